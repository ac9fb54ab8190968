import { describe, expect, it } from "vitest";
import { createFloodGuard } from "../../src/channels/flood.js";

describe("flood guard", () => {
  it("should let a burst through, then warn once and drop the rest", () => {
    const t = 0;
    const guard = createFloodGuard({ burst: 3, perSecond: 1, now: () => t });
    const verdicts = Array.from({ length: 6 }, () => guard.check("a"));
    expect(verdicts).toEqual(["ok", "ok", "ok", "warn", "drop", "drop"]);
    expect(guard.check("b")).toBe("ok");
  });

  it("should warn a steady flood once a minute, not after every refilled token", () => {
    let t = 0;
    const guard = createFloodGuard({ burst: 2, perSecond: 1, now: () => t });
    const verdicts: string[] = [];
    // Four messages a second for 30 seconds: the bucket refills one token a second throughout.
    for (let i = 0; i < 120; i++) {
      verdicts.push(guard.check("a"));
      t += 250;
    }
    expect(verdicts.filter((v) => v === "warn")).toHaveLength(1);
    expect(verdicts.filter((v) => v === "ok").length).toBeGreaterThan(20);
    t += 60_000;
    for (let i = 0; i < 200; i++) guard.check("a");
    expect(guard.check("a")).toBe("drop");
  });
});
