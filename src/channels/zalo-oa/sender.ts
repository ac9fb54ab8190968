/**
 * Sending to Zalo OA through the channel's limiter, by error class (platforms.md): `retry` (-32, -100)
 * backs off and retries, `unreachable` is final and marks the subscriber, a message whose buttons get
 * `-201` is resent as plain text with numbered choices instead of being dropped.
 */
import type { ChannelName, Reply } from "../../core/types.js";
import type { Priority, RateLimiter } from "../outbound/limiter.js";
import { withRetries, type OutboundSender, type SendOutcome } from "../outbound/sender.js";
import { ZaloOaError, type ZaloOaClient } from "./client.js";
import { oaImage, renderZaloOa, type OaMessage, type OaOutgoing } from "./render.js";

/** Fetches the bytes of a photo another platform holds (e.g. a Telegram file), for an upload. */
export type PhotoDownloader = (ref: string) => Promise<{ bytes: Buffer; mime: string }>;

/** Sends one message, retrying what may be retried. */
async function sendOne(
  client: ZaloOaClient,
  limiter: RateLimiter,
  chatId: string,
  m: OaMessage,
  priority: Priority,
): Promise<void> {
  await withRetries(
    async () => {
      await limiter.acquire(priority);
      await client.send(chatId, m);
    },
    (err) => {
      if (err instanceof ZaloOaError) {
        if (err.kind === "retry") {
          limiter.pause(2_000);
          return 500;
        }
        return err.code >= 500 ? 500 : undefined;
      }
      return 500; // network
    },
  );
}

/** Sends rendered messages in order; buttons refused with -201 fall back to numbered text. */
export async function sendOaMessages(
  client: ZaloOaClient,
  limiter: RateLimiter,
  chatId: string,
  messages: OaOutgoing[],
  priority: Priority,
): Promise<void> {
  for (const o of messages) {
    try {
      await sendOne(client, limiter, chatId, o.message, priority);
    } catch (err) {
      if (!(err instanceof ZaloOaError && err.kind === "invalid" && o.fallback)) throw err;
      // The text + buttons shape is not confirmed by an official v3 source: never lose the answer over it.
      for (const f of o.fallback) await sendOne(client, limiter, chatId, f, priority);
    }
  }
}

function outcomeOf(err: unknown): SendOutcome {
  const detail = (err as Error).message.slice(0, 200);
  if (err instanceof ZaloOaError && err.kind === "unreachable") return { status: "unreachable", detail };
  return { status: "failed", detail };
}

/** Creates the OA sender over the OA client; `download` lets staff photos from Telegram reach the OA. */
export function createZaloOaSender(
  client: ZaloOaClient,
  limiter: RateLimiter,
  download?: PhotoDownloader,
): OutboundSender {
  return {
    channel: "zalo-oa",
    async send(chatId, reply: Reply, priority) {
      try {
        await sendOaMessages(client, limiter, chatId, renderZaloOa([reply]), priority);
        return { status: "sent" };
      } catch (err) {
        return outcomeOf(err);
      }
    },
    async sendPhoto(chatId, photo: { channel: ChannelName; ref: string }, caption, priority) {
      try {
        let image: { url: string } | { attachmentId: string };
        if (photo.channel === "telegram") {
          // A Telegram file has no public URL: fetch it and upload it to Zalo (chatwoot does the same).
          if (!download) return { status: "failed", detail: "unsupported" };
          const file = await download(photo.ref);
          image = { attachmentId: await client.uploadImage(file.bytes, file.mime) };
        } else image = { url: photo.ref };
        await sendOne(client, limiter, chatId, oaImage(image, caption), priority);
        return { status: "sent" };
      } catch (err) {
        return outcomeOf(err);
      }
    },
  };
}
