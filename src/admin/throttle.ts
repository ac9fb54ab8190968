/**
 * Sign-in throttling (issue 15): failed attempts — only failures — are counted per client address and
 * per username, and after a few free ones each further attempt must wait a delay that doubles with
 * every failure, up to a cap. Nothing locks: the owner of an account under attack waits at most the
 * username cap (a minute by default), and unknown usernames are counted exactly like known ones, so
 * the answer never tells which exist. Counts live in this process's memory and fade after `windowMs`
 * without failures; several replicas each keep their own (a guesser is slowed on each of them).
 */

export interface SignInThrottleOptions {
  /** Failures allowed before delays start. */
  free?: number;
  /** The first delay; each further failure doubles it. */
  baseMs?: number;
  /** Longest wait per client address (a guesser trying many names from one place). */
  maxAddressMs?: number;
  /** Longest wait per username (kept short: the account's owner may be the one waiting). */
  maxUsernameMs?: number;
  /** Failures are forgotten after this long without another. */
  windowMs?: number;
  now?: () => number;
}

/** The throttle's verdict before checking a password: go ahead, or wait this many seconds. */
export type ThrottleVerdict = { ok: true } | { ok: false; retryAfterSec: number };

export interface SignInThrottle {
  /** Whether an attempt for `username` from `address` may be checked now. */
  check(address: string, username: string): ThrottleVerdict;
  /** Counts a failed attempt against both the address and the username. */
  fail(address: string, username: string): void;
  /** A good sign-in clears the username's failures (the address's stay: failures only fade). */
  succeed(username: string): void;
}

interface Entry {
  failures: number;
  last: number;
}

/** Creates a throttle, e.g. `createSignInThrottle({ free: 5 })`. */
export function createSignInThrottle(opts: SignInThrottleOptions = {}): SignInThrottle {
  const free = opts.free ?? 5;
  const base = opts.baseMs ?? 1_000;
  const maxAddress = opts.maxAddressMs ?? 15 * 60_000;
  const maxUsername = opts.maxUsernameMs ?? 60_000;
  const windowMs = opts.windowMs ?? 60 * 60_000;
  const now = opts.now ?? Date.now;
  const byAddress = new Map<string, Entry>();
  const byUsername = new Map<string, Entry>();
  const key = (username: string) => username.trim().toLowerCase().slice(0, 64);

  const live = (map: Map<string, Entry>, k: string, at: number): Entry | undefined => {
    const e = map.get(k);
    if (e && at - e.last >= windowMs) {
      map.delete(k);
      return undefined;
    }
    return e;
  };
  /** How long after its last failure an entry must wait. */
  const delay = (e: Entry | undefined, max: number) =>
    !e || e.failures < free ? 0 : Math.min(max, base * 2 ** Math.min(30, e.failures - free));
  const sweep = (map: Map<string, Entry>, at: number) => {
    if (map.size > 10_000) for (const [k, e] of map) if (at - e.last >= windowMs) map.delete(k);
  };

  return {
    check(address, username) {
      const at = now();
      const a = live(byAddress, address, at);
      const u = live(byUsername, key(username), at);
      const until = Math.max(a ? a.last + delay(a, maxAddress) : 0, u ? u.last + delay(u, maxUsername) : 0);
      return until > at ? { ok: false, retryAfterSec: Math.ceil((until - at) / 1000) } : { ok: true };
    },
    fail(address, username) {
      const at = now();
      for (const [map, k] of [
        [byAddress, address],
        [byUsername, key(username)],
      ] as const) {
        sweep(map, at);
        const e = live(map, k, at);
        map.set(k, { failures: (e?.failures ?? 0) + 1, last: at });
      }
    },
    succeed(username) {
      byUsername.delete(key(username));
    },
  };
}
