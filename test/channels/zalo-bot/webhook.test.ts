/**
 * Zalo Bot Platform in webhook mode, against the emulator written from the docs: setWebhook, secret
 * header, bare and wrapped updates, message-less updates, images (`photo` and `photo_url`), stickers,
 * voice, typing, dedupe, and a photo at the feedback form's photo step landing in the ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveSecret } from "../../../src/channels/secret.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { ticketModel } from "../../../src/store/models/ticket.js";
import {
  botFixture,
  botImageUpdate,
  botMediaUpdate,
  botTextUpdate,
  botUnsupportedUpdate,
  startZaloBotEmulator,
  type ZaloBotEmulator,
} from "../../emulators/zalo-bot.js";

let bot: ZaloBotEmulator;
let app: TestApp;
let secret: string;

beforeAll(async () => {
  bot = await startZaloBotEmulator();
  app = await startTestApp({
    ZALO_BOT_TOKEN: bot.token,
    ZALO_BOT_API_ROOT: bot.url,
    PUBLIC_URL: "https://bot.example.gov.vn",
  });
  secret = deriveSecret("zalo-bot-webhook", bot.token);
});
afterAll(async () => {
  await app.close();
  await bot.close();
});

const post = (body: unknown, token: string | null = secret) =>
  fetch(`${app.url}/webhooks/zalo-bot`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(token === null ? {} : { "X-Bot-Api-Secret-Token": token }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function textsTo(chatId: string, min = 1) {
  const deadline = Date.now() + 5_000;
  while (bot.messagesTo(chatId).length < min && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 150));
  return bot.messagesTo(chatId);
}

describe("Zalo Bot webhook", () => {
  it("should register the webhook with its secret at start", () => {
    expect(bot.webhook).toEqual({ url: "https://bot.example.gov.vn/webhooks/zalo-bot", secret });
  });

  it("should accept bare and {ok,result}-wrapped updates and answer with numbered choices", async () => {
    expect((await post(botTextUpdate("zb-1", "/start"))).status).toBe(200);
    const first = await textsTo("zb-1");
    expect(first[0]).toContain("Xin chào!");
    expect(first[0]).toMatch(/^1\. Phường Đông Hải \(đơn vị mẫu\)$/m);
    expect(first[0]).toContain("Trả lời bằng số để chọn");
    expect((await post({ ok: true, result: botTextUpdate("zb-1", "2") })).status).toBe(200);
    const second = await textsTo("zb-1", 2);
    expect(second[1]).toContain("Đơn vị của Anh/Chị: Phường Hòa An");
  });

  it("should refuse a wrong or missing secret with 401", async () => {
    expect((await post(botTextUpdate("zb-2", "hi"), "wrong-secret")).status).toBe(401);
    expect((await post(botTextUpdate("zb-2", "hi"), null)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 150));
    expect(bot.messagesTo("zb-2")).toEqual([]);
  });

  it("should refuse bodies that are not JSON objects with 400", async () => {
    for (const body of ["{x", "[]", "5"]) expect((await post(body)).status).toBe(400);
  });

  it("should answer 200 to updates without a message (protected users) and to unknown objects", async () => {
    const before = bot.sent.length;
    expect((await post(botUnsupportedUpdate())).status).toBe(200);
    expect((await post({ event_name: "message.text.received" })).status).toBe(200);
    expect((await post({ ok: true, result: { event_name: 5 } })).status).toBe(200);
    expect((await post({})).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(bot.sent.length).toBe(before);
  });

  it("should read the documented samples: a wrapped webhook text and a polled text without event_name", async () => {
    const wrapped = botFixture("text.webhook");
    expect((await post(wrapped)).status).toBe(200);
    expect((await textsTo("6ede9afa66b88fe6d6a9"))[0]).toBeDefined();
    expect((await post(botFixture("text.getUpdates"))).status).toBe(200);
    expect((await textsTo("e4ea2cd5189df1c3a88c"))[0]).toContain("Xin chào!");
  });

  it("should give stickers and voice messages a short fitting answer", async () => {
    expect((await post(botMediaUpdate("zb-6", "sticker"))).status).toBe(200);
    expect((await textsTo("zb-6"))[0]).toBe(app.app.t("vi", "zalo.sticker"));
    expect((await post(botMediaUpdate("zb-6", "voice"))).status).toBe(200);
    expect((await textsTo("zb-6", 2))[1]).toBe(app.app.t("vi", "zalo.voice"));
  });

  it("should acknowledge a delivery before the turn's replies go out", async () => {
    bot.sendDelayMs = 800;
    try {
      const res = await post(botTextUpdate("zb-8", "hotline"));
      expect(res.status).toBe(200);
      expect(bot.messagesTo("zb-8")).toEqual([]);
      expect((await textsTo("zb-8"))[0]).toContain("Đường dây nóng");
    } finally {
      bot.sendDelayMs = 0;
    }
  });

  it("should show typing while it answers", async () => {
    expect((await post(botTextUpdate("zb-7", "hotline"))).status).toBe(200);
    await textsTo("zb-7");
    expect(bot.actions).toContainEqual({ chatId: "zb-7", action: "typing" });
  });

  it("should handle the same event and message id once", async () => {
    const u = botTextUpdate("zb-3", "khai tu");
    expect((await post(u)).status).toBe(200);
    expect((await post({ ok: true, result: u })).status).toBe(200);
    expect(await textsTo("zb-3")).toHaveLength(1);
  });

  it("should split answers longer than 2,000 characters", async () => {
    expect((await post(botTextUpdate("zb-4", "/privacy"))).status).toBe(200);
    for (const text of await textsTo("zb-4")) expect(text.length).toBeLessThanOrEqual(2000);
  });

  for (const field of ["photo", "photo_url"] as const)
    it(`should keep a photo (\`${field}\`) sent at the feedback form's photo step in the ticket`, async () => {
      const chat = `zb-fb-${field}`;
      let seen = 0;
      const say = async (text: string) => {
        expect((await post(botTextUpdate(chat, text))).status).toBe(200);
        const all = await textsTo(chat, seen + 1);
        const fresh = all.slice(seen).join("\n");
        seen = all.length;
        return fresh;
      };
      const choose = async (label: string, text: string) => {
        const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const m = new RegExp(`^(\\d+)\\. ${escaped}`, "m").exec(text);
        expect(m, `no "${label}" in ${text}`).not.toBeNull();
        return say(m![1]!);
      };
      const start = await say("/start");
      const units = await choose("Phường Hòa An", start);
      const fb = await choose(app.app.t("vi", "menu.feedback"), units);
      const cat = await choose(app.app.t("vi", "feedback.category.khac"), fb);
      expect(cat).toContain(app.app.t("vi", "feedback.askText", { max: 2000 }).slice(0, 20));
      const askPhoto = await say("Đèn đường trên đường Lê Lợi bị hỏng nhiều ngày nay.");
      expect(askPhoto).toContain(app.app.t("vi", "feedback.askPhoto").slice(0, 20));
      const url = `https://photo-zalo.example/${field}.jpg`;
      expect((await post(botImageUpdate(chat, url, field, "Ảnh chụp đèn hỏng"))).status).toBe(200);
      const all = await textsTo(chat, seen + 1);
      const consent = all.slice(seen).join("\n");
      seen = all.length;
      expect(consent).toContain("180 ngày");
      const confirm = await choose(app.app.t("vi", "feedback.consentNo"), consent);
      expect(confirm).toContain(app.app.t("vi", "feedback.withPhoto"));
      const filed = await choose(app.app.t("vi", "feedback.sendPrivate"), confirm);
      const code = /PA-\d{4}-\d{6}/.exec(filed)?.[0];
      const t = await ticketModel(app.app.store.connection).findOne({ code }).lean();
      expect(t?.photo).toBe(url);
      expect(t?.text).toBe("Đèn đường trên đường Lê Lợi bị hỏng nhiều ngày nay.");
    });
});
