/** Per-chat flood control: a token bucket per chat, so one fast sender cannot swamp the service. */

/** The verdict for one incoming message. */
export type FloodVerdict = "ok" | "warn" | "drop";

export interface FloodGuard {
  /** `ok` to handle, `warn` to send one polite slow-down, `drop` to ignore silently. */
  check(key: string): FloodVerdict;
}

/**
 * Creates a guard allowing bursts of `burst` messages, refilled at `perSecond`, e.g.
 * `createFloodGuard({ burst: 8, perSecond: 1 })`.
 */
export function createFloodGuard(opts: {
  burst: number;
  perSecond: number;
  now?: () => number;
  maxKeys?: number;
}): FloodGuard {
  const now = opts.now ?? (() => Date.now());
  const buckets = new Map<string, { tokens: number; at: number; warned: boolean }>();
  const maxKeys = opts.maxKeys ?? 100_000;
  return {
    check(key) {
      const t = now();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
        b = { tokens: opts.burst, at: t, warned: false };
        buckets.set(key, b);
      }
      b.tokens = Math.min(opts.burst, b.tokens + ((t - b.at) / 1000) * opts.perSecond);
      b.at = t;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        b.warned = false;
        return "ok";
      }
      if (b.warned) return "drop";
      b.warned = true;
      return "warn";
    },
  };
}
