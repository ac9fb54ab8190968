/** The app with all three channels on, each against its emulator. */
import type { AppOverrides } from "../../src/app.js";
import { startTestApp, type TestApp } from "./app.js";
import { startTelegramEmulator, TEST_TOKEN, type TelegramServer } from "./telegram.js";
import { oaEnv, startZaloOaEmulator, type ZaloOaEmulator } from "../emulators/zalo-oa.js";
import { startZaloBotEmulator, type ZaloBotEmulator } from "../emulators/zalo-bot.js";

export interface AllChannels {
  tg: TelegramServer;
  oa: ZaloOaEmulator;
  bot: ZaloBotEmulator;
  app: TestApp;
  close(): Promise<void>;
}

/** Starts the emulators, then the app wired to Telegram, Zalo OA and Zalo Bot at once. */
export async function startAllChannels(
  env: Record<string, string> = {},
  overrides: AppOverrides = {},
): Promise<AllChannels> {
  const [tg, oa, bot] = await Promise.all([
    startTelegramEmulator(),
    startZaloOaEmulator(),
    startZaloBotEmulator(),
  ]);
  const app = await startTestApp(
    {
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: tg.config.apiURL,
      ...oaEnv(oa),
      ZALO_BOT_TOKEN: bot.token,
      ZALO_BOT_API_ROOT: bot.url,
      ...env,
    },
    overrides,
  );
  return {
    tg,
    oa,
    bot,
    app,
    async close() {
      await app.close();
      await Promise.all([tg.stop(), oa.close(), bot.close()]);
    },
  };
}
