/**
 * Worker for `bench:broadcast`. Modes:
 * - `setup N`: creates N Telegram subscribers and one announcement to all of them;
 * - `send`: runs the real broadcast service (real Telegram sender and limiter) until the run is done;
 * - `verify`: prints the delivery ledger's counts and the chats left `unknown`, as JSON.
 * Env: DATA_DIR, TELEGRAM_API_ROOT, RATE.
 */
import { Telegram } from "telegraf";
import { createBroadcastService } from "../../src/broadcast/service.js";
import { createRateLimiter } from "../../src/channels/outbound/limiter.js";
import { createTelegramSender } from "../../src/channels/telegram/sender.js";
import { createTranslator } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { connectStore } from "../../src/store/connect.js";
import { announcementModel } from "../../src/store/models/announcement.js";
import { deliveryModel } from "../../src/store/models/delivery.js";
import { subscriberModel } from "../../src/store/models/subscriber.js";
import { trusted } from "../../src/store/trusted.js";

const mode = process.argv[2];
const dataDir = process.env.DATA_DIR!;
const logger = createLogger({ level: "warn" });
// MONGODB_URI: the store runs in its own process (as MongoDB would); unset: embedded in this one.
const store = await connectStore(
  { mongodbUri: process.env.MONGODB_URI || undefined, dataDir, dataFsync: false },
  logger,
);
const conn = store.connection;
const Subs = subscriberModel(conn);
const Del = deliveryModel(conn);
const Ann = announcementModel(conn);
await Promise.all([Subs.init(), Del.init(), Ann.init()]);

if (mode === "setup") {
  const n = Number(process.argv[3]);
  const now = new Date();
  for (let i = 0; i < n; i += 5_000) {
    const docs = Array.from({ length: Math.min(5_000, n - i) }, (_, k) => ({
      channel: "telegram",
      chatId: String(100_000 + i + k),
      unit: "phuong-hoa-an",
      lang: "vi",
      topics: ["thong-bao-chung"],
      active: true,
      consent: { version: "bench", at: now },
      lastInteractionAt: now,
    }));
    await Subs.collection.insertMany(docs, { ordered: false });
  }
  const svc = createBroadcastService({
    connection: conn,
    senders: {},
    t: createTranslator("locales"),
    logger,
  });
  await svc.create({ title: "Bench", body: "Thông báo thử nghiệm hiệu năng.", urgent: true }, "bench");
  console.log(JSON.stringify({ subscribers: await Subs.countDocuments() }));
} else if (mode === "send") {
  const rate = Number(process.env.RATE);
  const sender = createTelegramSender(
    new Telegram("1:bench", { apiRoot: process.env.TELEGRAM_API_ROOT! }),
    createRateLimiter({ ratePerSec: rate }),
    logger,
  );
  const svc = createBroadcastService({
    connection: conn,
    senders: { telegram: sender },
    t: createTranslator("locales"),
    logger,
    concurrency: Number(process.env.CONCURRENCY ?? 8),
    batchSize: 500,
    leaseMs: 2_000,
  });
  for (;;) {
    await svc.tick();
    const a = await Ann.findOne({}).lean();
    if (a?.status === "done") break;
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(JSON.stringify({ done: true, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
} else if (mode === "verify") {
  const rows = await Del.aggregate<{ _id: string; n: number }>([
    { $group: { _id: "$status", n: { $sum: 1 } } },
  ]);
  const unknown = await Del.find({ status: "unknown" }, { subscriber: 1 }).lean();
  const subs = await Subs.find(
    { _id: trusted({ $in: unknown.map((u) => u.subscriber) }) },
    { chatId: 1 },
  ).lean();
  console.log(
    JSON.stringify({
      counts: Object.fromEntries(rows.map((r) => [r._id, r.n])),
      unknownChats: subs.map((s) => s.chatId),
    }),
  );
}
await store.close();
process.exit(0);
