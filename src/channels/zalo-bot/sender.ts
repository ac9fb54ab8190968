/** Sending to the Zalo Bot Platform through the channel's limiter; 429 pauses, 5xx and network retry. */
import type { Reply } from "../../core/types.js";
import type { RateLimiter } from "../outbound/limiter.js";
import { withRetries, type OutboundSender, type SendOutcome } from "../outbound/sender.js";
import { ZaloBotApiError, type ZaloBotClient } from "./client.js";
import { stripMarkup, ZALO_TEXT_LIMIT } from "../plain-text.js";
import { renderZaloBot, type BotText } from "./render.js";

/** Sends already-rendered texts; used by the channel for reply batches. */
export async function sendZaloBotTexts(
  client: ZaloBotClient,
  limiter: RateLimiter,
  chatId: string,
  texts: BotText[],
  priority: "reply" | "bulk",
): Promise<void> {
  for (const m of texts) {
    const send = (text: string, parseMode?: "markdown") =>
      withRetries(
        async () => {
          await limiter.acquire(priority);
          await client.sendMessage(chatId, text, parseMode);
        },
        (err) => retryAfter(err, limiter),
      );
    try {
      await send(m.text, m.parseMode);
    } catch (err) {
      // Markdown the platform refuses must not cost the citizen the answer: send it plain.
      if (!(m.parseMode && err instanceof ZaloBotApiError && err.code === 400)) throw err;
      await send(stripMarkup(m.text));
    }
  }
}

/** Retry policy: 429 pauses the channel, 5xx and network errors back off, the rest is final. */
function retryAfter(err: unknown, limiter: RateLimiter): number | undefined {
  if (err instanceof ZaloBotApiError) {
    if (err.code === 429) {
      limiter.pause(2_000);
      return 1;
    }
    return err.code >= 500 ? 500 : undefined;
  }
  return 500;
}

function outcomeOf(err: unknown): SendOutcome {
  const detail = (err as Error).message.slice(0, 200);
  if (err instanceof ZaloBotApiError && (err.code === 403 || err.code === 404))
    return { status: "unreachable", detail };
  return { status: "failed", detail };
}

/** Creates the Zalo Bot sender; `hint` is the "reply with a number" line. */
export function createZaloBotSender(
  client: ZaloBotClient,
  limiter: RateLimiter,
  hint: string,
): OutboundSender {
  return {
    channel: "zalo-bot",
    async send(chatId, reply: Reply, priority) {
      try {
        await sendZaloBotTexts(client, limiter, chatId, renderZaloBot([reply], hint), priority);
        return { status: "sent" };
      } catch (err) {
        return outcomeOf(err);
      }
    },
    async sendPhoto(chatId, photo, caption, priority) {
      // sendPhoto takes a URL: a Zalo image is re-sent from its URL; a Telegram file has none to give.
      if (photo.channel === "telegram") return { status: "failed", detail: "unsupported" };
      try {
        await withRetries(
          async () => {
            await limiter.acquire(priority);
            await client.call("sendPhoto", {
              chat_id: chatId,
              photo: photo.ref,
              caption: caption.slice(0, ZALO_TEXT_LIMIT),
            });
          },
          (err) => retryAfter(err, limiter),
        );
        return { status: "sent" };
      } catch (err) {
        return outcomeOf(err);
      }
    },
  };
}
