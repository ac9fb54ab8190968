/** The outbound path shared by replies and broadcasts: one sender per channel, behind its limiter. */
import type { ChannelName, Reply } from "../../core/types.js";
import type { Priority } from "./limiter.js";

/** What happened to one message (one reply, possibly several platform messages). */
export type SendOutcome =
  | { status: "sent" }
  | { status: "blocked"; detail: string }
  | { status: "unreachable"; detail: string }
  | { status: "failed"; detail: string }
  | { status: "skipped"; detail: string };

/** What an announcement needs to be routed (Zalo OA templates read its fields). */
export interface AnnouncementContent {
  title: string;
  body: string;
  urgent: boolean;
  topics: readonly string[];
  imageUrl?: string | undefined;
  link?: string | undefined;
}

/** How one announcement reached (or did not reach) a subscriber, and what it is estimated to cost. */
export type AnnouncementOutcome = SendOutcome & {
  /** e.g. "consultation", "template", "paid-consultation", "skip-no-template", "skip-7-days" (Zalo OA). */
  route?: string;
  costVnd?: number;
};

/** A channel that chooses how to deliver an announcement per subscriber (the Zalo OA's cost windows). */
export interface AnnouncementRouter {
  announce(
    chatId: string,
    a: AnnouncementContent,
    reply: Reply,
    sub: { lastInteractionAt: Date; unit?: string | undefined },
  ): Promise<AnnouncementOutcome>;
}

/** Sends a reply to a chat on one channel, respecting its limits and retrying what may be retried. */
export interface OutboundSender {
  readonly channel: ChannelName;
  send(chatId: string, reply: Reply, priority: Priority): Promise<SendOutcome>;
  /** Delivers an announcement by the channel's own route choice; absent, the broadcast uses `send`. */
  announce?: AnnouncementRouter["announce"];
  /**
   * Re-sends a photo from a platform reference with a caption (staff relay). Absent, or "failed" with
   * detail "unsupported", when this channel cannot take a photo from that platform.
   */
  sendPhoto?(
    chatId: string,
    photo: { channel: ChannelName; ref: string },
    caption: string,
    priority: Priority,
  ): Promise<SendOutcome>;
}

/** The senders of the channels that are configured. */
export type Senders = Partial<Record<ChannelName, OutboundSender>>;

/** Retries `attempt` on errors `retryable` says may pass, with capped exponential backoff. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  retryable: (err: unknown) => number | undefined,
  opts: { tries?: number; capMs?: number } = {},
): Promise<T> {
  const tries = opts.tries ?? 4;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      const wait = retryable(err);
      if (wait === undefined || i >= tries) throw err;
      await new Promise((r) => setTimeout(r, Math.min(wait * 2 ** (i - 1), opts.capMs ?? 10_000)));
    }
  }
}
