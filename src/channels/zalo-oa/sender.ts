/** Sending to Zalo OA through the channel's limiter: back-off codes pause and retry, -213/-230/-232 are final. */
import type { Reply } from "../../core/types.js";
import type { RateLimiter } from "../outbound/limiter.js";
import { withRetries, type OutboundSender } from "../outbound/sender.js";
import { ZaloOaError, type ZaloOaClient } from "./client.js";
import { renderZaloOa } from "./render.js";

/** Creates the OA sender over the OA client. */
export function createZaloOaSender(client: ZaloOaClient, limiter: RateLimiter): OutboundSender {
  return {
    channel: "zalo-oa",
    async send(chatId, reply: Reply, priority) {
      try {
        for (const m of renderZaloOa([reply])) {
          await withRetries(
            async () => {
              await limiter.acquire(priority);
              await client.send(chatId, m);
            },
            (err) => {
              if (err instanceof ZaloOaError) {
                if (err.kind === "backoff") {
                  limiter.pause(5_000);
                  return 1;
                }
                return err.code >= 500 ? 500 : undefined;
              }
              return 500; // network
            },
          );
        }
        return { status: "sent" };
      } catch (err) {
        const detail = (err as Error).message.slice(0, 200);
        if (err instanceof ZaloOaError && err.kind === "unreachable")
          return { status: "unreachable", detail };
        return { status: "failed", detail };
      }
    },
  };
}
