/** The outbound rate limiter: replies before broadcasts, the configured rate kept even when timers fire late. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRateLimiter } from "../../../src/channels/outbound/limiter.js";

describe("rate limiter", () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("should send at most one message per interval at a platform rate like Telegram's 30 msg/s", async () => {
    const limiter = createRateLimiter({ ratePerSec: 30, now: () => clock });
    let sent = 0;
    for (let i = 0; i < 10; i++) void limiter.acquire("bulk").then(() => sent++);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toBe(1);
    // A timer firing 100 ms late still releases one message: no burst at platform rates.
    clock += 100;
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toBe(2);
  });

  it("should keep a high rate when timers fire late, by letting up to 10 ms of tokens gather", async () => {
    const limiter = createRateLimiter({ ratePerSec: 1000, now: () => clock });
    let sent = 0;
    for (let i = 0; i < 100; i++) void limiter.acquire("reply").then(() => sent++);
    await vi.advanceTimersByTimeAsync(0);
    const first = sent;
    // The timer meant for 1 ms fires after 5 ms: the 5 messages due by then all go.
    clock += 5;
    await vi.advanceTimersByTimeAsync(5);
    expect(sent - first).toBeGreaterThanOrEqual(5);
    // Never more than the rate over a longer span (10 ms of burst at most).
    clock += 50;
    await vi.advanceTimersByTimeAsync(50);
    expect(sent).toBeLessThanOrEqual(1 + 5 + 50 + 10);
  });

  it("should serve waiting replies before waiting broadcast messages", async () => {
    const limiter = createRateLimiter({ ratePerSec: 10, now: () => clock });
    const order: string[] = [];
    void limiter.acquire("bulk").then(() => order.push("bulk-1"));
    void limiter.acquire("bulk").then(() => order.push("bulk-2"));
    void limiter.acquire("reply").then(() => order.push("reply"));
    for (let i = 0; i < 3; i++) {
      clock += 100;
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(order).toEqual(["bulk-1", "reply", "bulk-2"]);
  });
});
