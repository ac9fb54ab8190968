/**
 * The staff desk on Telegram: handoff cards and relayed citizen messages in a unit's staff group.
 * Every call passes the channel limiter and a per-group one (Telegram allows about 20 messages a
 * minute in a group).
 */
import type { Telegram } from "telegraf";
import type { Logger } from "../../logger.js";
import type { StaffDesk } from "../../handoff/ports.js";
import { createRateLimiter, type RateLimiter } from "../outbound/limiter.js";
import { withRetries } from "../outbound/sender.js";
import { renderTelegram, toHtml } from "./render.js";
import { CAPTION_LIMIT, photoInput, retryAfter } from "./sender.js";

/** Telegram's per-group budget: 20 messages a minute, in bursts. */
const GROUP_PER_MINUTE = 20;

/** Creates the desk over the bot's Telegram client and the channel's limiter. */
export function createTelegramDesk(telegram: Telegram, channel: RateLimiter, logger: Logger): StaffDesk {
  const groups = new Map<string, RateLimiter>();
  const groupLimiter = (chatId: string): RateLimiter => {
    let l = groups.get(chatId);
    if (!l) {
      l = createRateLimiter({ ratePerSec: GROUP_PER_MINUTE / 60, burst: GROUP_PER_MINUTE });
      groups.set(chatId, l);
    }
    return l;
  };

  async function call<T>(chatId: string, fn: () => Promise<T>): Promise<T> {
    const group = groupLimiter(chatId);
    return withRetries(
      async () => {
        await group.acquire("reply");
        await channel.acquire("reply");
        return fn();
      },
      (err) => retryAfter(err, group, channel),
      { tries: 4 },
    );
  }

  return {
    async post(chatId, reply, opts = {}) {
      const thread = opts.replyTo
        ? { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } }
        : {};
      if (opts.photo) {
        const photo = opts.photo;
        try {
          const sent = await call(chatId, () =>
            telegram.sendPhoto(chatId, photoInput(photo), {
              caption: toHtml(reply.text.slice(0, CAPTION_LIMIT - 200)),
              parse_mode: "HTML",
              ...thread,
            }),
          );
          return sent.message_id;
        } catch (err) {
          logger.warn({ err, channel: "telegram" }, "photo not relayed to the staff group");
          return undefined;
        }
      }
      let last: number | undefined;
      for (const m of renderTelegram(reply)) {
        const sent = await call(chatId, () =>
          telegram.sendMessage(chatId, m.text, {
            parse_mode: "HTML",
            link_preview_options: { is_disabled: true },
            ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}),
            ...thread,
          }),
        );
        last = sent.message_id;
      }
      return last;
    },
    async edit(chatId, messageId, reply) {
      const [m] = renderTelegram(reply);
      if (!m) return;
      await call(chatId, () =>
        telegram.editMessageText(chatId, messageId, undefined, m.text, {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
          reply_markup: m.reply_markup ?? { inline_keyboard: [] },
        }),
      );
    },
  };
}
