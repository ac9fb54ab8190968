import { describe, expect, it } from "vitest";
import { formatLocal, isOpen, nextOpening, type Hours } from "../../src/core/hours.js";

const HOA_AN: Hours = {
  working_hours: [
    { days: ["mon", "tue", "wed", "thu", "fri"], from: "07:30", to: "11:30" },
    { days: ["mon", "tue", "wed", "thu", "fri"], from: "13:30", to: "17:00" },
  ],
  closed_dates: ["2026-09-02"],
};
/** An instant given in Viet Nam time. */
const vn = (local: string) => new Date(`${local}+07:00`);

describe("opening hours in Viet Nam time", () => {
  it("should be open inside a period and closed at lunch, after hours and at weekends", () => {
    expect(isOpen(HOA_AN, vn("2026-11-23T07:30:00"))).toBe(true);
    expect(isOpen(HOA_AN, vn("2026-11-23T11:29:59"))).toBe(true);
    expect(isOpen(HOA_AN, vn("2026-11-23T11:30:00"))).toBe(false);
    expect(isOpen(HOA_AN, vn("2026-11-23T12:15:00"))).toBe(false);
    expect(isOpen(HOA_AN, vn("2026-11-23T17:00:00"))).toBe(false);
    expect(isOpen(HOA_AN, vn("2026-11-22T09:00:00"))).toBe(false);
    // 23:30 UTC on Sunday is already Monday 06:30 in Viet Nam: still closed, 07:30 opens.
    expect(isOpen(HOA_AN, new Date("2026-11-22T23:30:00Z"))).toBe(false);
    expect(isOpen(HOA_AN, new Date("2026-11-23T00:30:00Z"))).toBe(true);
  });

  it("should be closed on a closed date even on a working weekday", () => {
    expect(isOpen(HOA_AN, vn("2026-09-02T09:00:00"))).toBe(false);
    expect(nextOpening(HOA_AN, vn("2026-09-02T09:00:00"))).toEqual(vn("2026-09-03T07:30:00"));
  });

  it("should find the next opening: after lunch, the next morning, across the weekend", () => {
    expect(nextOpening(HOA_AN, vn("2026-11-23T12:00:00"))).toEqual(vn("2026-11-23T13:30:00"));
    expect(nextOpening(HOA_AN, vn("2026-11-23T18:00:00"))).toEqual(vn("2026-11-24T07:30:00"));
    expect(nextOpening(HOA_AN, vn("2026-11-27T17:05:00"))).toEqual(vn("2026-11-30T07:30:00"));
    const now = vn("2026-11-24T08:00:00");
    expect(nextOpening(HOA_AN, now)).toBe(now);
    expect(nextOpening({}, now)).toBeUndefined();
  });

  it("should format an instant in Viet Nam time in both languages", () => {
    const at = vn("2026-11-30T07:30:00");
    expect(formatLocal(at, "vi")).toMatch(/07:30/);
    expect(formatLocal(at, "vi")).toMatch(/Thứ Hai/);
    expect(formatLocal(at, "en")).toMatch(/Monday/);
  });
});
