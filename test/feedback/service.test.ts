/** The staff lifecycle with pushes through a real channel sender, FAQ publication, and the index. */
import { Telegram } from "telegraf";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter } from "../../src/channels/outbound/limiter.js";
import { createTelegramSender } from "../../src/channels/telegram/sender.js";
import { createContentService } from "../../src/content/service.js";
import { createFeedbackService, type FeedbackService } from "../../src/feedback/service.js";
import { createTranslator } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { ratingModel } from "../../src/store/models/rating.js";
import { ticketModel } from "../../src/store/models/ticket.js";
import { openTestStore, type TestStore } from "../helpers/store.js";
import { startLimitedTelegram, type LimitedTelegram } from "../emulators/telegram-limits.js";

const logger = createLogger({ level: "silent" });
let store: TestStore;
let api: LimitedTelegram;
let fb: FeedbackService;
let now = new Date("2026-11-23T09:00:00+07:00");

beforeAll(async () => {
  store = await openTestStore();
  api = await startLimitedTelegram({ ratePerSec: 100 });
  const content = createContentService({ connection: store.connection, logger, contentDir: "content" });
  await content.start();
  fb = createFeedbackService({
    connection: store.connection,
    senders: {
      telegram: createTelegramSender(
        new Telegram("1:x", { apiRoot: api.url }),
        createRateLimiter({ ratePerSec: 100 }),
        logger,
      ),
    },
    t: createTranslator("locales"),
    logger,
    salt: "s",
    dueDays: 10,
    contactRetentionDays: 180,
    now: () => now,
    onContentChange: () => content.reload(),
  });
});
afterAll(async () => {
  await api.close();
  await store.close();
});
afterEach(() => {
  api.received.length = 0;
});

const file = (chatId: string, extra: Partial<Parameters<FeedbackService["fileTicket"]>[0]> = {}) =>
  fb.fileTicket({
    channel: "telegram",
    chatId,
    lang: "vi",
    category: "thu-tuc",
    text: "Hồ sơ nộp trực tuyến bị trả lại không rõ lý do.",
    publishConsent: true,
    ...extra,
  });

describe("ticket lifecycle", () => {
  it("should push assignment, replies and status changes to the citizen, with a rating offer at close", async () => {
    const { code } = await file("501");
    expect((await fb.assign(code, "Chị Hoa", "admin")).status).toBe("in_progress");
    expect((await fb.reply(code, "Tổ tư vấn", "Hồ sơ thiếu bản sao giấy khai sinh.")).status).toBe(
      "answered",
    );
    const closed = await fb.setStatus(code, "closed", "admin");
    expect(closed.history.map((h) => h.status)).toEqual(["received", "in_progress", "answered", "closed"]);
    const texts = api.received.filter((r) => r.chatId === "501").map((r) => r.text);
    expect(texts[0]).toContain(`Phiếu ${code}: Đang xử lý.`);
    expect(texts[1]).toContain("Hồ sơ thiếu bản sao giấy khai sinh.");
    expect(texts[2]).toContain(`Phiếu ${code}: Đã kết thúc.`);
    expect(texts[2]).toContain("Anh/Chị hài lòng thế nào?");
  });

  it("should refuse impossible transitions and rejections without a reason", async () => {
    const { code } = await file("502");
    await expect(fb.setStatus(code, "rejected", "admin")).rejects.toMatchObject({ code: "REASON_REQUIRED" });
    await fb.setStatus(code, "rejected", "admin", "Không thuộc thẩm quyền của phường");
    await expect(fb.setStatus(code, "answered", "admin")).rejects.toMatchObject({
      code: "BAD_TRANSITION",
      status: 409,
    });
    expect(api.received.find((r) => r.chatId === "502")?.text).toContain(
      "Lý do: Không thuộc thẩm quyền của phường",
    );
    await expect(fb.reply("PA-2026-999999", "x", "y")).rejects.toMatchObject({
      code: "NOT_FOUND",
      status: 404,
    });
  });

  it("should list overdue tickets", async () => {
    const { code } = await file("503");
    now = new Date("2026-12-10T09:00:00+07:00");
    const overdue = await fb.list({ overdue: true });
    expect(overdue.map((t) => t.code)).toContain(code);
    now = new Date("2026-11-23T09:00:00+07:00");
  });

  it("should publish an anonymised FAQ only with consent, and make it searchable", async () => {
    const { code } = await file("504");
    const slug = await fb.publishFaq(code, {
      question: "Vì sao hồ sơ nộp trực tuyến bị trả lại?",
      answer: "Thường do thiếu bản chụp giấy tờ; xem lý do trong mục hồ sơ đã nộp.",
    });
    expect(slug).toBe(`hoi-dap-${code.toLowerCase()}`);
    const { code: privateCode } = await file("505", { publishConsent: false });
    await expect(
      fb.publishFaq(privateCode, {
        question: "Câu hỏi riêng tư nào đó?",
        answer: "Trả lời riêng tư nào đó.",
      }),
    ).rejects.toMatchObject({ code: "NO_CONSENT" });
  });

  it("should drop contact details after the retention period", async () => {
    const { code } = await file("506", {
      contact: { name: "A", phone: "0900000001" },
      contactConsentVersion: "v",
    });
    await fb.setStatus(code, "closed", "admin");
    expect(await fb.purgeContacts()).toBe(0);
    now = new Date(now.getTime() + 181 * 24 * 3600_000);
    expect(await fb.purgeContacts()).toBe(1);
    expect((await ticketModel(store.connection).findOne({ code }).lean())?.contact).toBeUndefined();
    now = new Date("2026-11-23T09:00:00+07:00");
  });
});

describe("satisfaction index", () => {
  it("should compute the share of the top two levels per channel, month and quarter on a known dataset", async () => {
    const Ratings = ratingModel(store.connection);
    await Ratings.deleteMany({});
    const at = (iso: string) => new Date(`${iso}T10:00:00+07:00`);
    const rows = [
      { channel: "telegram", score: 5, at: at("2026-10-05") },
      { channel: "telegram", score: 4, at: at("2026-10-06") },
      { channel: "telegram", score: 2, at: at("2026-11-01") },
      { channel: "zalo-oa", score: 3, at: at("2026-11-02") },
      { channel: "zalo-oa", score: 5, at: at("2026-11-03") },
      { channel: "zalo-oa", score: 1, at: at("2026-12-31") },
    ];
    await Ratings.insertMany(
      rows.map((r) => ({ ...r, unit: "phuong-hoa-an", target: { kind: "service" }, sipas: {} })),
    );
    const from = at("2026-10-01");
    const to = at("2027-01-01");
    const byChannel = await fb.satisfaction({ from, to, by: "channel" });
    expect(byChannel).toEqual([
      expect.objectContaining({
        group: "telegram",
        n: 3,
        index: 0.6667,
        breakdown: { "1": 0, "2": 1, "3": 0, "4": 1, "5": 1 },
      }),
      expect.objectContaining({ group: "zalo-oa", n: 3, index: 0.3333 }),
    ]);
    const byMonth = await fb.satisfaction({ from, to, by: "month" });
    expect(byMonth.map((r) => [r.group, r.n, r.index])).toEqual([
      ["2026-10", 2, 1],
      ["2026-11", 3, 0.3333],
      ["2026-12", 1, 0],
    ]);
    expect((await fb.satisfaction({ from, to, by: "quarter" })).map((r) => [r.group, r.n, r.index])).toEqual([
      ["2026-Q4", 6, 0.5],
    ]);
    expect(await fb.satisfaction({ from, to, by: "unit", unit: "xa-tan-loc" })).toEqual([]);
  });
});
