/** telegram-test-api as Telegram's server, and helpers to talk to the bot through it. */
import net from "node:net";
import TelegramServerModule from "telegram-test-api";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";

export type { TelegramServer };

// The package is CommonJS with `module.exports = TelegramServer`: the default import is the class.
const TelegramServerClass = TelegramServerModule as unknown as typeof TelegramServer;

export const TEST_TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_test-token";

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts the emulator on a free port. storeTimeout is in ms in this package's clean-up. */
export async function startTelegramEmulator(): Promise<TelegramServer> {
  const server = new TelegramServerClass({
    port: await freePort(),
    host: "127.0.0.1",
    storeTimeout: 600_000,
  });
  await server.start();
  return server;
}

/** The chat a stored bot message went to (the package's own types need typegram, not installed). */
export function chatIdOf(u: { message: unknown }): unknown {
  return (u.message as { chat_id?: unknown }).chat_id;
}

/** A message the bot sent, as the emulator stored it. */
export interface BotMessage {
  chat_id: number | string;
  text: string;
  reply_markup?: { inline_keyboard?: Array<Array<{ text: string; callback_data?: string; url?: string }>> };
  parse_mode?: string;
}

/** Bot messages for `chatId` not yet read, waiting until at least `min` arrived and then a quiet 150 ms. */
export async function botMessages(
  server: TelegramServer,
  chatId: number,
  min = 1,
  timeoutMs = 8_000,
): Promise<BotMessage[]> {
  const out: BotMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  for (;;) {
    const fresh = server.storage.botMessages.filter(
      (u) => String(chatIdOf(u)) === String(chatId) && !u.isRead,
    );
    for (const u of fresh) {
      u.isRead = true;
      const m = u.message as unknown as BotMessage;
      const markup =
        typeof m.reply_markup === "string"
          ? (JSON.parse(m.reply_markup) as BotMessage["reply_markup"])
          : m.reply_markup;
      out.push({ ...m, reply_markup: markup });
      quietSince = Date.now();
    }
    if (out.length >= min && Date.now() - quietSince > 150) return out;
    if (Date.now() > deadline) {
      if (out.length >= min) return out;
      throw new Error(`expected ${min} bot messages for chat ${chatId}, got ${out.length}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The callback_data of every button in the messages. */
export function callbacks(messages: BotMessage[]): string[] {
  return messages
    .flatMap((m) => (m.reply_markup?.inline_keyboard ?? []).flat())
    .flatMap((b) => (b.callback_data ? [b.callback_data] : []));
}

export function allText(messages: BotMessage[]): string {
  return messages.map((m) => m.text).join("\n---\n");
}
