/** Per-chat flood control: a token bucket per chat, so one fast sender cannot swamp the service. */

/** The verdict for one incoming message. */
export type FloodVerdict = "ok" | "warn" | "drop";

export interface FloodGuard {
  /** `ok` to handle, `warn` to send one polite slow-down, `drop` to ignore silently. */
  check(key: string): FloodVerdict;
}

/**
 * Creates a guard allowing bursts of `burst` messages, refilled at `perSecond`, e.g.
 * `createFloodGuard({ burst: 8, perSecond: 1 })`. A chat is warned at most once per `warnEveryMs`
 * (default a minute), however its bucket refills in between: a steady flood gets one slow-down, not one
 * per refilled token.
 */
export function createFloodGuard(opts: {
  burst: number;
  perSecond: number;
  now?: () => number;
  maxKeys?: number;
  warnEveryMs?: number;
}): FloodGuard {
  const now = opts.now ?? (() => Date.now());
  const warnEveryMs = opts.warnEveryMs ?? 60_000;
  const buckets = new Map<string, { tokens: number; at: number; warnedAt: number }>();
  const maxKeys = opts.maxKeys ?? 100_000;
  return {
    check(key) {
      const t = now();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
        b = { tokens: opts.burst, at: t, warnedAt: -Infinity };
        buckets.set(key, b);
      }
      b.tokens = Math.min(opts.burst, b.tokens + ((t - b.at) / 1000) * opts.perSecond);
      b.at = t;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return "ok";
      }
      if (t - b.warnedAt < warnEveryMs) return "drop";
      b.warnedAt = t;
      return "warn";
    },
  };
}
