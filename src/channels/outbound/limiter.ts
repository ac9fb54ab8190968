/**
 * A per-channel rate limiter with two priorities: citizen replies go before broadcast messages, so a
 * running broadcast never makes the bot unresponsive. A 429 pauses the whole channel for the time the
 * platform asked.
 */

/** Who is waiting: a citizen's reply or a broadcast message. */
export type Priority = "reply" | "bulk";

export interface RateLimiter {
  /** Resolves when a message may be sent. */
  acquire(priority: Priority): Promise<void>;
  /** Stops all sending for `ms` (a 429 with retry_after). */
  pause(ms: number): void;
  /** Messages waiting, by priority. */
  waiting(): { reply: number; bulk: number };
}

/**
 * Creates a token bucket of `ratePerSec` with bursts up to `burst` (default 1: evenly spaced sends
 * never trip the platform's own bucket, even right after a restart), e.g.
 * `createRateLimiter({ ratePerSec: 30 })` for Telegram's bulk limit.
 */
export function createRateLimiter(opts: {
  ratePerSec: number;
  burst?: number;
  now?: () => number;
}): RateLimiter {
  const now = opts.now ?? (() => Date.now());
  // Timers fire a millisecond or more late; at high rates a bucket of one token would then send less
  // than the rate (one message per timer). Up to 10 ms of tokens may gather, which is still one token
  // at platform rates like Telegram's 30 msg/s.
  const burst = Math.max(opts.burst ?? 1, opts.ratePerSec / 100);
  let tokens = burst;
  let last = now();
  let pausedUntil = 0;
  const queues: Record<Priority, Array<() => void>> = { reply: [], bulk: [] };
  let timer: NodeJS.Timeout | undefined;

  function refill(): void {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * opts.ratePerSec);
    last = t;
  }

  function next(): (() => void) | undefined {
    return queues.reply.shift() ?? queues.bulk.shift();
  }

  function pump(): void {
    timer = undefined;
    refill();
    const t = now();
    if (t < pausedUntil) {
      schedule(pausedUntil - t);
      return;
    }
    while (tokens >= 1 && (queues.reply.length || queues.bulk.length)) {
      tokens -= 1;
      next()!();
    }
    if (queues.reply.length || queues.bulk.length) schedule(((1 - tokens) / opts.ratePerSec) * 1000);
  }

  function schedule(ms: number): void {
    if (timer) return;
    timer = setTimeout(pump, Math.max(1, Math.ceil(ms)));
  }

  return {
    acquire(priority) {
      return new Promise<void>((resolve) => {
        queues[priority].push(resolve);
        pump();
      });
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
      tokens = 0;
      if (timer) clearTimeout(timer);
      timer = undefined;
      schedule(ms);
    },
    waiting() {
      return { reply: queues.reply.length, bulk: queues.bulk.length };
    },
  };
}
