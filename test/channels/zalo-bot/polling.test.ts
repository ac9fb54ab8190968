/** Zalo Bot Platform in polling mode: deleteWebhook first (getUpdates does not work while one is set). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import {
  botTextUpdate,
  botUnsupportedUpdate,
  startZaloBotEmulator,
  type ZaloBotEmulator,
} from "../../emulators/zalo-bot.js";

let bot: ZaloBotEmulator;
let app: TestApp;

beforeAll(async () => {
  // A webhook left over from an earlier deployment.
  bot = await startZaloBotEmulator({
    webhook: { url: "https://old.example.gov.vn/hook", secret: "old-secret-1" },
  });
  app = await startTestApp({ ZALO_BOT_TOKEN: bot.token, ZALO_BOT_API_ROOT: bot.url });
});
afterAll(async () => {
  await app.close();
  await bot.close();
});

describe("Zalo Bot polling", () => {
  it("should delete a leftover webhook before polling, then answer polled updates", async () => {
    expect(bot.webhook).toBeUndefined();
    const wait = Date.now() + 3_000;
    while (!bot.calls.includes("getUpdates") && Date.now() < wait)
      await new Promise((r) => setTimeout(r, 20));
    const first = bot.calls.indexOf("getUpdates");
    expect(bot.calls.indexOf("deleteWebhook")).toBeGreaterThanOrEqual(0);
    expect(bot.calls.indexOf("deleteWebhook")).toBeLessThan(first);
    bot.push(botUnsupportedUpdate());
    bot.push(botTextUpdate("zp-1", "/start"));
    const deadline = Date.now() + 5_000;
    while (bot.messagesTo("zp-1").length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(bot.messagesTo("zp-1")[0]).toContain("Xin chào!");
  });
});
