/** Sign-in throttling with a fake clock: growing delays, caps, fading, and never a lockout. */
import { describe, expect, it } from "vitest";
import { createSignInThrottle } from "../../src/admin/throttle.js";

describe("sign-in throttle", () => {
  const setup = () => {
    let t = 0;
    const th = createSignInThrottle({
      free: 5,
      baseMs: 1000,
      maxUsernameMs: 60_000,
      maxAddressMs: 15 * 60_000,
      windowMs: 3_600_000,
      now: () => t,
    });
    return { th, advance: (ms: number) => (t += ms) };
  };

  it("should let five failures through, then ask to wait a delay that doubles with each failure", () => {
    const { th, advance } = setup();
    for (let i = 0; i < 5; i++) {
      expect(th.check("10.0.0.1", "can-bo")).toEqual({ ok: true });
      th.fail("10.0.0.1", "can-bo");
    }
    expect(th.check("10.0.0.1", "can-bo")).toEqual({ ok: false, retryAfterSec: 1 });
    advance(1000);
    expect(th.check("10.0.0.1", "can-bo")).toEqual({ ok: true });
    th.fail("10.0.0.1", "can-bo");
    expect(th.check("10.0.0.1", "can-bo")).toEqual({ ok: false, retryAfterSec: 2 });
    advance(2000);
    th.fail("10.0.0.1", "can-bo");
    expect(th.check("10.0.0.1", "can-bo")).toEqual({ ok: false, retryAfterSec: 4 });
  });

  it("should cap the wait per username at a minute (the owner is never locked out) while a guessing address waits longer", () => {
    const { th, advance } = setup();
    // Twenty failures on one name, each from a new address: only the name's delay applies.
    for (let i = 0; i < 20; i++) {
      th.fail(`10.0.1.${i}`, "chu-tich");
      advance(1);
    }
    const owner = th.check("192.168.1.20", "chu-tich");
    expect(owner.ok).toBe(false);
    expect(owner.ok ? 0 : owner.retryAfterSec).toBeLessThanOrEqual(60);
    advance(60_000);
    expect(th.check("192.168.1.20", "chu-tich")).toEqual({ ok: true });
    // One address guessing many names: its own delay grows past a minute.
    for (let i = 0; i < 20; i++) th.fail("203.0.113.9", `ten-${i}`);
    const guesser = th.check("203.0.113.9", "ten-moi");
    expect(guesser.ok ? 0 : guesser.retryAfterSec).toBeGreaterThan(60);
  });

  it("should count unknown and known names alike, forget failures after the window, and clear a name on success", () => {
    const { th, advance } = setup();
    for (let i = 0; i < 6; i++) th.fail("10.0.0.2", "khong-co-ai");
    for (let i = 0; i < 6; i++) th.fail("10.0.0.3", "can-bo-that");
    expect(th.check("10.0.0.4", "khong-co-ai")).toEqual(th.check("10.0.0.5", "can-bo-that"));
    th.succeed("can-bo-that");
    expect(th.check("10.0.0.5", "can-bo-that")).toEqual({ ok: true });
    advance(3_600_000);
    expect(th.check("10.0.0.2", "khong-co-ai")).toEqual({ ok: true });
  });
});
