import { describe, expect, it } from "vitest";
import { isQuiet, isValidCron, nextCronRun, parseQuietHours } from "../../src/broadcast/schedule.js";

const vn = (iso: string) => new Date(`${iso}+07:00`);

describe("quiet hours (Asia/Ho_Chi_Minh)", () => {
  const q = parseQuietHours("21:00-07:00");
  it.each([
    ["2026-11-23T20:59:00", false],
    ["2026-11-23T21:00:00", true],
    ["2026-11-24T03:00:00", true],
    ["2026-11-24T06:59:00", true],
    ["2026-11-24T07:00:00", false],
    ["2026-11-24T12:00:00", false],
  ])("should say %s local is quiet: %s", (t, quiet) => {
    expect(isQuiet(vn(t), q)).toBe(quiet);
  });

  it("should handle windows that do not wrap midnight and reject bad values", () => {
    const noon = parseQuietHours("12:00-13:30");
    expect(isQuiet(vn("2026-11-23T12:30:00"), noon)).toBe(true);
    expect(isQuiet(vn("2026-11-23T13:30:00"), noon)).toBe(false);
    expect(() => parseQuietHours("25:00-07:00")).toThrow();
    expect(() => parseQuietHours("9pm")).toThrow();
  });
});

describe("cron schedules", () => {
  it("should find the next Monday 08:00 in Viet Nam time", () => {
    // 2026-11-23 is a Monday.
    expect(nextCronRun("0 8 * * 1", vn("2026-11-23T07:59:00")).toISOString()).toBe(
      vn("2026-11-23T08:00:00").toISOString(),
    );
    expect(nextCronRun("0 8 * * 1", vn("2026-11-23T08:00:00")).toISOString()).toBe(
      vn("2026-11-30T08:00:00").toISOString(),
    );
  });

  it("should follow cron's OR rule when both day fields are restricted", () => {
    // The 1st of the month or any Friday, at 09:30.
    expect(nextCronRun("30 9 1 * 5", vn("2026-11-23T10:00:00")).toISOString()).toBe(
      vn("2026-11-27T09:30:00").toISOString(),
    );
  });

  it("should accept five-field expressions only", () => {
    expect(isValidCron("0 8 * * 1")).toBe(true);
    expect(isValidCron("*/5 * * * * *")).toBe(false);
    expect(isValidCron("61 8 * * *")).toBe(false);
    expect(isValidCron("hello")).toBe(false);
  });
});
