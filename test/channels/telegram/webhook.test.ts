/** The Telegram webhook: secret check, malformed bodies, duplicates, and replies sent to the emulator. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TelegramServer } from "../../helpers/telegram.js";
import { defaultWebhookSecret } from "../../../src/channels/telegram/index.js";
import { processedUpdateModel } from "../../../src/store/models/processed-update.js";
import { sessionModel } from "../../../src/store/models/session.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { allText, botMessages, chatIdOf, startTelegramEmulator, TEST_TOKEN } from "../../helpers/telegram.js";

let tg: TelegramServer;
let app: TestApp;
const secret = defaultWebhookSecret(TEST_TOKEN);

beforeAll(async () => {
  tg = await startTelegramEmulator();
  app = await startTestApp({
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: tg.config.apiURL,
    PUBLIC_URL: "https://bot.example.gov.vn",
  });
});
afterAll(async () => {
  await app.close();
  await tg.stop();
});

let nextUpdate = 500;
function update(chatId: number, text: string) {
  return {
    update_id: nextUpdate++,
    message: {
      message_id: nextUpdate,
      date: 1_700_000_000,
      chat: { id: chatId, type: "private" },
      from: { id: chatId, is_bot: false, language_code: "vi" },
      text,
    },
  };
}

function post(
  body: unknown,
  headers: Record<string, string> = { "X-Telegram-Bot-Api-Secret-Token": secret },
) {
  return fetch(`${app.url}/webhooks/telegram`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("Telegram webhook", () => {
  it("should answer a valid update and send the reply through the Bot API", async () => {
    const res = await post(update(8001, "dang ky tam tru"));
    expect(res.status).toBe(200);
    const got = await botMessages(tg, 8001);
    expect(allText(got)).toContain("<b>Đăng ký tạm trú</b>");
  });

  it("should reject a wrong or missing secret with 401 and store nothing", async () => {
    const Sessions = sessionModel(app.app.store.connection);
    const before = await Sessions.countDocuments();
    for (const headers of [
      {} as Record<string, string>,
      { "X-Telegram-Bot-Api-Secret-Token": "nope" },
      { "X-Telegram-Bot-Api-Secret-Token": `${secret}x` },
    ]) {
      const res = await post(update(8002, "xin chào"), headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: "BAD_SECRET", message: "Wrong or missing secret token" },
      });
    }
    expect(await Sessions.countDocuments()).toBe(before);
    expect(await processedUpdateModel(app.app.store.connection).countDocuments({ _id: /^telegram:/ })).toBe(
      1,
    );
  });

  it("should reject malformed bodies with 4xx and store nothing", async () => {
    const Processed = processedUpdateModel(app.app.store.connection);
    const before = await Processed.countDocuments();
    const bodies: unknown[] = [
      "{not json",
      "[]",
      "null",
      { update_id: "1" },
      { update_id: -5 },
      { update_id: 9, message: { chat: "x" } },
      {
        update_id: 10,
        message: { message_id: 1, chat: { id: 1, type: "private" }, text: "x".repeat(20_000) },
      },
      { deep: JSON.parse(`${"[".repeat(2000)}${"]".repeat(2000)}`) as unknown },
    ];
    for (const b of bodies) {
      const res = await post(b);
      expect(res.status, JSON.stringify(b).slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const huge = await post({
      update_id: 11,
      message: { message_id: 1, chat: { id: 1, type: "private" }, text: "y".repeat(1_000_000) },
    });
    expect(huge.status).toBe(413);
    expect(await Processed.countDocuments()).toBe(before);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it("should handle a redelivered update only once", async () => {
    const u = update(8003, "tach ho");
    expect((await post(u)).status).toBe(200);
    expect((await post(u)).status).toBe(200);
    const got = await botMessages(tg, 8003);
    expect(got).toHaveLength(1);
  });

  it("should ignore group chats", async () => {
    const u = {
      ...update(8004, "khai sinh"),
      message: { ...update(8004, "khai sinh").message, chat: { id: -100, type: "group" } },
    };
    expect((await post(u)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(tg.storage.botMessages.filter((m) => String(chatIdOf(m)) === "-100")).toHaveLength(0);
  });
});
