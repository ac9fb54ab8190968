/** Sending to Telegram through the channel's limiter: 429 pauses, 5xx and network errors retry, 403 is final. */
import type { Telegram } from "telegraf";
import type { Reply } from "../../core/types.js";
import type { Logger } from "../../logger.js";
import type { RateLimiter } from "../outbound/limiter.js";
import { withRetries, type OutboundSender, type SendOutcome } from "../outbound/sender.js";
import { renderTelegram, toHtml } from "./render.js";

interface ApiErrorShape {
  code?: unknown;
  response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } };
}

function errorCode(err: unknown): number | undefined {
  const e = err as ApiErrorShape;
  return e.response?.error_code ?? (typeof e.code === "number" ? e.code : undefined);
}

/**
 * How long to wait before retrying a failed Bot API call, or undefined when it must not be retried:
 * a 429 pauses the whole channel for the time Telegram asked; 5xx and network errors back off.
 */
export function retryAfter(err: unknown, ...limiters: RateLimiter[]): number | undefined {
  const code = errorCode(err);
  if (code === 429) {
    const after = (err as ApiErrorShape).response?.parameters?.retry_after ?? 1;
    for (const l of limiters) l.pause(after * 1000);
    return 1;
  }
  if (code === undefined || code >= 500) return 500;
  return undefined;
}

/** What a failed send means for the caller. */
function outcomeOf(err: unknown, logger: Logger): SendOutcome {
  const code = errorCode(err);
  const detail = (err as ApiErrorShape).response?.description ?? (err as Error).message;
  if (code === 403) return { status: "blocked", detail };
  if (code === 400 && /chat not found|user not found/i.test(detail)) return { status: "unreachable", detail };
  logger.warn({ code, channel: "telegram" }, "telegram send failed");
  return { status: "failed", detail: detail.slice(0, 200) };
}

/** A photo from a platform reference: a Telegram file id as is, another platform's image by URL. */
export function photoInput(photo: { channel: string; ref: string }): string | { url: string } {
  return photo.channel === "telegram" ? photo.ref : { url: photo.ref };
}

/** Telegram's limit on a photo caption. */
export const CAPTION_LIMIT = 1024;

/** Creates the Telegram sender, e.g. `createTelegramSender(bot.telegram, limiter, logger)`. */
export function createTelegramSender(
  telegram: Telegram,
  limiter: RateLimiter,
  logger: Logger,
): OutboundSender {
  return {
    channel: "telegram",
    async send(chatId, reply: Reply, priority) {
      try {
        for (const m of renderTelegram(reply)) {
          await withRetries(
            async () => {
              await limiter.acquire(priority);
              await telegram.sendMessage(chatId, m.text, {
                parse_mode: "HTML",
                link_preview_options: { is_disabled: true },
                ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}),
              });
            },
            (err) => retryAfter(err, limiter),
            { tries: 6 },
          );
        }
        return { status: "sent" };
      } catch (err) {
        return outcomeOf(err, logger);
      }
    },
    async sendPhoto(chatId, photo, caption, priority) {
      try {
        await withRetries(
          async () => {
            await limiter.acquire(priority);
            await telegram.sendPhoto(chatId, photoInput(photo), {
              caption: toHtml(caption.slice(0, CAPTION_LIMIT - 200)),
              parse_mode: "HTML",
            });
          },
          (err) => retryAfter(err, limiter),
          { tries: 4 },
        );
        return { status: "sent" };
      } catch (err) {
        return outcomeOf(err, logger);
      }
    },
  };
}
