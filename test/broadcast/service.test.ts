/**
 * Broadcasts through the real Telegram sender (telegraf's client, our limiter) to a Bot API server
 * that enforces 429s, 403s and 500s: exactly once per subscriber, claiming races, crashes, quiet hours,
 * cron runs, pause/resume/cancel.
 */
import { Telegram } from "telegraf";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRateLimiter } from "../../src/channels/outbound/limiter.js";
import { createTelegramSender } from "../../src/channels/telegram/sender.js";
import { parseQuietHours } from "../../src/broadcast/schedule.js";
import { createBroadcastService, type BroadcastService } from "../../src/broadcast/service.js";
import { createTranslator } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { announcementModel } from "../../src/store/models/announcement.js";
import { deliveryModel } from "../../src/store/models/delivery.js";
import { subscriberModel } from "../../src/store/models/subscriber.js";
import { openTestStore, type TestStore } from "../helpers/store.js";
import { startLimitedTelegram, type LimitedTelegram } from "../emulators/telegram-limits.js";

const TOKEN = "42:limited-emulator-token";
const t = createTranslator("locales");
const logger = createLogger({ level: "silent" });
let store: TestStore;
let api: LimitedTelegram;

beforeAll(async () => {
  store = await openTestStore();
  await Promise.all([
    subscriberModel(store.connection).init(),
    deliveryModel(store.connection).init(),
    announcementModel(store.connection).init(),
  ]);
});
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  api = await startLimitedTelegram({ ratePerSec: 200 });
  await Promise.all([
    subscriberModel(store.connection).deleteMany({}),
    deliveryModel(store.connection).deleteMany({}),
    announcementModel(store.connection).deleteMany({}),
  ]);
});
afterEach(async () => {
  await api.close();
});

function service(
  opts: { now?: () => Date; rate?: number; owner?: string; quiet?: string; leaseMs?: number } = {},
): BroadcastService {
  const sender = createTelegramSender(
    new Telegram(TOKEN, { apiRoot: api.url }),
    createRateLimiter({ ratePerSec: opts.rate ?? 150 }),
    logger,
  );
  return createBroadcastService({
    connection: store.connection,
    senders: { telegram: sender },
    t,
    logger,
    now: opts.now,
    owner: opts.owner,
    quietHours: opts.quiet ? parseQuietHours(opts.quiet) : undefined,
    leaseMs: opts.leaseMs,
    batchSize: 25,
    concurrency: 4,
  });
}

async function subscribers(
  n: number,
  over: Partial<{
    unit: string;
    topics: string[];
    lang: "vi" | "en";
    channel: string;
    lastInteractionAt: Date;
  }> = {},
  start = 1,
) {
  const Subs = subscriberModel(store.connection);
  await Subs.insertMany(
    Array.from({ length: n }, (_, i) => ({
      channel: over.channel ?? "telegram",
      chatId: String(start + i),
      unit: over.unit ?? "phuong-hoa-an",
      lang: over.lang ?? "vi",
      topics: over.topics ?? ["thong-bao-chung"],
      active: true,
      consent: { version: "test", at: new Date() },
      lastInteractionAt: over.lastInteractionAt ?? new Date(),
    })),
  );
}

const perChat = (received: LimitedTelegram["received"]) => {
  const m = new Map<string, number>();
  for (const r of received) m.set(r.chatId, (m.get(r.chatId) ?? 0) + 1);
  return m;
};

describe("broadcast delivery", () => {
  it("should reach exactly the audience, once each, and report it", async () => {
    await subscribers(30);
    await subscribers(5, { unit: "xa-tan-loc" }, 100);
    await subscribers(5, { topics: ["khao-sat"] }, 200);
    await subscribers(5, { lang: "en" }, 300);
    const svc = service();
    const a = await svc.create(
      {
        title: "Lịch tiếp dân",
        body: "Tuần này tiếp dân vào thứ Năm.",
        audience: { units: ["phuong-hoa-an"], topics: ["thong-bao-chung"], lang: "vi" },
        link: { label: "Chi tiết", url: "https://example.com/lich" },
      },
      "test",
    );
    expect(await svc.estimate(a.audience)).toBe(30);
    await svc.tick();
    const counts = perChat(api.received);
    expect(counts.size).toBe(30);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(api.received[0]?.text).toContain("📢 Thông báo: <b>Lịch tiếp dân</b>");
    const report = await svc.report(String(a._id));
    expect(report).toMatchObject({
      status: "done",
      audience: 30,
      counts: { sent: 30, unknown: 0, failed: 0 },
    });
    await svc.tick();
    expect(api.received).toHaveLength(30);
  });

  it("should ignore topics for an urgent notice", async () => {
    await subscribers(3, { topics: [] });
    await subscribers(2, { topics: ["khao-sat"] }, 10);
    const svc = service();
    await svc.create(
      { title: "Khẩn", body: "Mất điện khu phố 3.", urgent: true, audience: { topics: ["thong-bao-chung"] } },
      "test",
    );
    await svc.tick();
    expect(perChat(api.received).size).toBe(5);
    expect(api.received[0]?.text).toContain("KHẨN");
  });

  it("should mark a chat that blocked the bot and keep going", async () => {
    await subscribers(10);
    api.blocked.add("3");
    const svc = service();
    const a = await svc.create({ title: "T", body: "B" }, "test");
    await svc.tick();
    expect(perChat(api.received).size).toBe(9);
    const Del = deliveryModel(store.connection);
    expect(await Del.findOne({ announcement: a._id, status: "blocked" }).lean()).toBeTruthy();
    expect(await subscriberModel(store.connection).findOne({ chatId: "3" }).lean()).toMatchObject({
      active: false,
      inactiveReason: "blocked",
    });
  });

  it("should wait out 429s and retry 500s without sending anyone twice", async () => {
    await api.close();
    api = await startLimitedTelegram({ ratePerSec: 10 });
    api.fail500.count = 2;
    await subscribers(40);
    const svc = service({ rate: 40 });
    const a = await svc.create({ title: "T", body: "B" }, "test");
    await svc.tick();
    expect(api.tooMany).toBeGreaterThan(0);
    const counts = perChat(api.received);
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect((await svc.report(String(a._id)))?.counts.sent).toBe(40);
  }, 30_000);

  it("should skip Zalo OA subscribers outside the 7-day window and report them", async () => {
    await subscribers(2, { channel: "zalo-oa", lastInteractionAt: new Date(Date.now() - 8 * 24 * 3600_000) });
    await subscribers(3, {}, 10);
    const svc = service();
    const a = await svc.create({ title: "T", body: "B" }, "test");
    await svc.tick();
    expect((await svc.report(String(a._id)))?.counts).toMatchObject({ sent: 3, skipped: 2 });
  });
});

describe("claiming and crashes", () => {
  it("should never send twice when two processes tick at once", async () => {
    await subscribers(60);
    const a = service({ owner: "replica-a" });
    const b = service({ owner: "replica-b" });
    await a.create({ title: "T", body: "B" }, "test");
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    const counts = perChat(api.received);
    expect(counts.size).toBe(60);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it("should let another process take over an expired lease, reporting in-flight messages as unknown", async () => {
    await subscribers(12);
    api.hold.add("2");
    const a = service({ owner: "dies" });
    const ann = await a.create({ title: "T", body: "B" }, "test");
    void a.tick();
    const Del = deliveryModel(store.connection);
    const deadline = Date.now() + 5_000;
    while (!(await Del.findOne({ status: "sending" }).lean()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    // "dies" is stuck on chat 2; a process whose clock is past the lease takes over.
    const b = service({ owner: "survivor", now: () => new Date(Date.now() + 120_000) });
    await b.tick();
    const report = await b.report(String(ann._id));
    expect(report?.counts.unknown).toBeGreaterThanOrEqual(1);
    expect(report?.counts.unknown).toBeLessThanOrEqual(4);
    api.release();
    await new Promise((r) => setTimeout(r, 200));
    const counts = perChat(api.received);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(12);
    expect(await announcementModel(store.connection).findById(ann._id).lean()).toMatchObject({
      status: "done",
    });
  });
});

describe("schedules", () => {
  it("should hold non-urgent sends in quiet hours and let urgent ones through", async () => {
    await subscribers(3);
    const night = new Date("2026-11-23T22:30:00+07:00");
    const svc = service({ now: () => night, quiet: "21:00-07:00" });
    const normal = await svc.create({ title: "Thường", body: "B" }, "test");
    await svc.tick();
    expect(api.received).toHaveLength(0);
    await svc.create({ title: "Khẩn", body: "B", urgent: true }, "test");
    await svc.tick();
    expect(api.received).toHaveLength(3);
    const morning = service({ now: () => new Date("2026-11-24T07:01:00+07:00"), quiet: "21:00-07:00" });
    await morning.tick();
    expect(api.received).toHaveLength(6);
    expect((await morning.report(String(normal._id)))?.status).toBe("done");
  });

  it("should send at the scheduled time, not before", async () => {
    await subscribers(2);
    let now = new Date("2026-11-23T09:00:00+07:00");
    const svc = service({ now: () => now });
    await svc.create(
      { title: "T", body: "B", schedule: { kind: "at", at: "2026-11-23T10:00:00+07:00" } },
      "test",
    );
    await svc.tick();
    expect(api.received).toHaveLength(0);
    now = new Date("2026-11-23T10:00:01+07:00");
    await svc.tick();
    expect(api.received).toHaveLength(2);
  });

  it("should run a cron announcement at each occurrence, once per subscriber per run", async () => {
    await subscribers(3);
    let now = new Date("2026-11-23T07:00:00+07:00");
    const svc = service({ now: () => now });
    const a = await svc.create(
      { title: "Nhắc lịch", body: "Thứ Hai", schedule: { kind: "cron", cron: "0 8 * * 1" } },
      "test",
    );
    expect(a.nextRunAt?.toISOString()).toBe(new Date("2026-11-23T08:00:00+07:00").toISOString());
    await svc.tick();
    expect(api.received).toHaveLength(0);
    now = new Date("2026-11-23T08:00:30+07:00");
    await svc.tick();
    await svc.tick();
    expect(api.received).toHaveLength(3);
    const after = await announcementModel(store.connection).findById(a._id).lean();
    expect(after).toMatchObject({ status: "scheduled", runs: 1 });
    expect(after?.nextRunAt?.toISOString()).toBe(new Date("2026-11-30T08:00:00+07:00").toISOString());
    now = new Date("2026-11-30T08:00:05+07:00");
    await svc.tick();
    expect(api.received).toHaveLength(6);
  });

  it("should not send a cancelled or paused announcement, and resume a paused one", async () => {
    await subscribers(4);
    const svc = service();
    const c = await svc.create({ title: "Hủy", body: "B" }, "test");
    const p = await svc.create({ title: "Dừng", body: "B" }, "test");
    expect(await svc.cancel(String(c._id))).toBe(true);
    expect(await svc.pause(String(p._id))).toBe(true);
    await svc.tick();
    expect(api.received).toHaveLength(0);
    expect(await svc.resume(String(p._id))).toBe(true);
    await svc.tick();
    expect(api.received).toHaveLength(4);
    expect(api.received.every((r) => r.text.includes("Dừng"))).toBe(true);
    expect(await svc.cancel("not-an-id")).toBe(false);
  });

  it("should validate what staff submit", async () => {
    const svc = service();
    await expect(svc.create({ title: "", body: "B" }, "test")).rejects.toThrow();
    await expect(
      svc.create({ title: "T", body: "B", schedule: { kind: "cron", cron: "every day" } }, "test"),
    ).rejects.toThrow(/cron/);
    await expect(
      svc.create({ title: "T", body: "B", audience: { units: [{ $gt: "" }] } } as never, "test"),
    ).rejects.toThrow();
  });
});
