/** A full run at trace level never writes a token or secret to its logs. */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { spawnMain } from "../helpers/main-process.js";
import { tempDir } from "../helpers/store.js";
import { botMessages, startTelegramEmulator, TEST_TOKEN } from "../helpers/telegram.js";
import { oaTextEvent, startZaloOaEmulator, oaEnv } from "../emulators/zalo-oa.js";
import { botTextUpdate, startZaloBotEmulator } from "../emulators/zalo-bot.js";

describe("logs", () => {
  it("should contain no token, secret or key after a run that exercises every channel and errors", async () => {
    const [tg, oa, bot] = await Promise.all([
      startTelegramEmulator(),
      startZaloOaEmulator(),
      startZaloBotEmulator(),
    ]);
    const dataDir = tempDir("motcua-logs-");
    const adminToken = "admin-token-that-must-not-leak-123456";
    const main = await spawnMain({
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "trace",
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: tg.config.apiURL,
      ...oaEnv(oa),
      ZALO_BOT_TOKEN: bot.token,
      ZALO_BOT_API_ROOT: bot.url,
      ADMIN_API_TOKEN: adminToken,
    });
    const { child, url: base } = main;
    try {
      const client = tg.getClient(TEST_TOKEN, { userId: 4401, chatId: 4401 });
      await client.sendCommand(client.makeCommand("/start"));
      await botMessages(tg, 4401);
      oa.revokeAccessToken();
      await oa.deliver(`${base}/webhooks/zalo-oa`, oaTextEvent(oa.appId, "8801", "khai sinh"));
      await oa.deliver(`${base}/webhooks/zalo-oa`, oaTextEvent(oa.appId, "8802", "x"), {
        secretKey: "forged",
      });
      bot.push(botTextUpdate("zb-logs", "/start"));
      await fetch(`${base}/admin/api/tickets`, { headers: { Authorization: `Bearer ${adminToken}` } });
      await fetch(`${base}/admin/api/tickets`, { headers: { Authorization: "Bearer wrong" } });
      await fetch(`${base}/webhooks/telegram`, {
        method: "POST",
        headers: { "X-Telegram-Bot-Api-Secret-Token": "nope" },
        body: "{}",
      });
      await new Promise((r) => setTimeout(r, 1_500));
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await Promise.all([tg.stop(), oa.close(), bot.close()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    const out = main.output();
    expect(out.length).toBeGreaterThan(500);
    for (const secret of [
      TEST_TOKEN,
      TEST_TOKEN.split(":")[1]!,
      oa.oaSecretKey,
      oa.appSecret,
      oa.accessToken,
      oa.refreshToken,
      bot.token,
      bot.token.split(":")[1]!,
      adminToken,
    ]) {
      expect(out.includes(secret), `log contains ${secret.slice(0, 6)}…`).toBe(false);
    }
  }, 60_000);
});
