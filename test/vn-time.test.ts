/** Viet Nam calendar days: the day turns at 17:00 UTC, and a range covers its last day whole. */
import { describe, expect, it } from "vitest";
import { vnDay, vnDayRange } from "../src/vn-time.js";

describe("Viet Nam days", () => {
  it("should give the Viet Nam calendar day of an instant", () => {
    expect(vnDay(new Date("2026-11-23T16:59:59Z"))).toBe("2026-11-23");
    expect(vnDay(new Date("2026-11-23T17:00:00Z"))).toBe("2026-11-24");
  });

  it("should bound days from..to with the last day included", () => {
    expect(vnDayRange("2026-10-01", "2026-12-31")).toEqual({
      start: new Date("2026-09-30T17:00:00Z"),
      end: new Date("2026-12-31T17:00:00Z"),
    });
  });
});
