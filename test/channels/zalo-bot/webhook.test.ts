/** Zalo Bot Platform in webhook mode: setWebhook, secret header, bare and wrapped updates, dedupe. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveSecret } from "../../../src/channels/secret.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { botTextUpdate, startZaloBotEmulator, type ZaloBotEmulator } from "../../emulators/zalo-bot.js";

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
    expect(second[1]).toContain("Đơn vị của bạn: Phường Hòa An");
  });

  it("should refuse a wrong or missing secret with 401", async () => {
    expect((await post(botTextUpdate("zb-2", "hi"), "wrong-secret")).status).toBe(401);
    expect((await post(botTextUpdate("zb-2", "hi"), null)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 150));
    expect(bot.messagesTo("zb-2")).toEqual([]);
  });

  it("should refuse malformed updates with 400", async () => {
    for (const body of [
      "{x",
      "[]",
      { event_name: "message.text.received" },
      { ok: true, result: { event_name: 5 } },
    ]) {
      expect((await post(body)).status).toBe(400);
    }
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
});
