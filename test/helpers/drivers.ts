/** One interface to talk to the bot on Telegram, Zalo OA and Zalo Bot, through their emulators. */
import type { TelegramServer } from "./telegram.js";
import { botMessages, type BotMessage } from "./telegram.js";
import { oaTextEvent, type ZaloOaEmulator } from "../emulators/zalo-oa.js";
import { botTextUpdate, type ZaloBotEmulator } from "../emulators/zalo-bot.js";
import { TEST_TOKEN } from "./telegram.js";

/** A citizen on one channel. `choose` presses a button (Telegram, OA) or types its number (Zalo Bot). */
export interface Driver {
  channel: "telegram" | "zalo-oa" | "zalo-bot";
  chatId: string;
  say(text: string): Promise<string>;
  choose(payload: string, label: string): Promise<string>;
}

function htmlToText(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Message texts with their buttons as `[label]` lines, as the OA driver shows them. */
function telegramText(messages: BotMessage[]): string {
  return messages
    .map((m) =>
      [htmlToText(m.text), ...(m.reply_markup?.inline_keyboard ?? []).flat().map((b) => `[${b.text}]`)].join(
        "\n",
      ),
    )
    .join("\n---\n");
}

async function waitFor<T>(read: () => T[], from: number, quietMs = 200, timeoutMs = 8_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  let count = read().length;
  let changedAt = Date.now();
  for (;;) {
    const now = read().length;
    if (now !== count) {
      count = now;
      changedAt = Date.now();
    }
    if (count > from && Date.now() - changedAt > quietMs) return read().slice(from);
    if (Date.now() > deadline) throw new Error(`no reply within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function telegramDriver(tg: TelegramServer, id: number): Driver {
  const client = tg.getClient(TEST_TOKEN, { userId: id, chatId: id });
  return {
    channel: "telegram",
    chatId: String(id),
    async say(text) {
      if (text.startsWith("/")) await client.sendCommand(client.makeCommand(text));
      else await client.sendMessage(client.makeMessage(text));
      return telegramText(await botMessages(tg, id));
    },
    async choose(payload) {
      await client.sendCallback(client.makeCallbackQuery(payload));
      return telegramText(await botMessages(tg, id));
    },
  };
}

export function zaloOaDriver(oa: ZaloOaEmulator, appUrl: string, userId: string): Driver {
  const send = async (text: string) => {
    const from = oa.messagesTo(userId).length;
    const res = await oa.deliver(`${appUrl}/webhooks/zalo-oa`, oaTextEvent(oa.appId, userId, text));
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    const got = await waitFor(() => oa.messagesTo(userId), from);
    return got.map((m) => [m.text, ...m.buttons.map((b) => `[${b.title}]`)].join("\n")).join("\n---\n");
  };
  return {
    channel: "zalo-oa",
    chatId: userId,
    say: send,
    // oa.query.show sends the button's payload back as the user's text.
    choose: (payload) => send(payload),
  };
}

export function zaloBotDriver(bot: ZaloBotEmulator, chatId: string): Driver {
  let last = "";
  const send = async (text: string) => {
    const from = bot.messagesTo(chatId).length;
    bot.push(botTextUpdate(chatId, text));
    last = (await waitFor(() => bot.messagesTo(chatId), from)).join("\n---\n");
    return last;
  };
  return {
    channel: "zalo-bot",
    chatId,
    say: send,
    async choose(_payload, label) {
      const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const m = new RegExp(`^(\\d+)\\. ${escaped}$`, "m").exec(last);
      if (!m) throw new Error(`no numbered choice "${label}" in:\n${last}`);
      return send(m[1]!);
    },
  };
}
