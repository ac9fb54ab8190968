/** Sending to Telegram through the channel's limiter: 429 pauses, 5xx and network errors retry, 403 is final. */
import type { Telegram } from "telegraf";
import type { Reply } from "../../core/types.js";
import type { Logger } from "../../logger.js";
import type { RateLimiter } from "../outbound/limiter.js";
import { withRetries, type OutboundSender } from "../outbound/sender.js";
import { renderTelegram } from "./render.js";

interface ApiErrorShape {
  code?: unknown;
  response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } };
}

function errorCode(err: unknown): number | undefined {
  const e = err as ApiErrorShape;
  return e.response?.error_code ?? (typeof e.code === "number" ? e.code : undefined);
}

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
            (err) => {
              const code = errorCode(err);
              if (code === 429) {
                const after = (err as ApiErrorShape).response?.parameters?.retry_after ?? 1;
                limiter.pause(after * 1000);
                return 1;
              }
              if (code === undefined || code >= 500) return 500;
              return undefined;
            },
            { tries: 6 },
          );
        }
        return { status: "sent" };
      } catch (err) {
        const code = errorCode(err);
        const detail = (err as ApiErrorShape).response?.description ?? (err as Error).message;
        if (code === 403) return { status: "blocked", detail };
        if (code === 400 && /chat not found|user not found/i.test(detail))
          return { status: "unreachable", detail };
        logger.warn({ code, channel: "telegram" }, "telegram send failed");
        return { status: "failed", detail: detail.slice(0, 200) };
      }
    },
  };
}
