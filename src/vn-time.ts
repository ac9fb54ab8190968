/**
 * Viet Nam time (UTC+7, no daylight saving) for calendar days outside the conversation core (which
 * keeps its own in `core/hours.ts`): report periods, dashboards, daily counters, printed stamps.
 */

/** Viet Nam's offset from UTC. */
export const VN_OFFSET_MS = 7 * 3600_000;

/** The Viet Nam calendar day of an instant, e.g. `vnDay(new Date("2026-11-23T18:00:00Z"))` → "2026-11-24". */
export function vnDay(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instants bounding Viet Nam days `from`..`to` ("YYYY-MM-DD", both included): `start` ≤ t < `end`. */
export function vnDayRange(from: string, to: string): { start: Date; end: Date } {
  return {
    start: new Date(`${from}T00:00:00+07:00`),
    end: new Date(new Date(`${to}T00:00:00+07:00`).getTime() + 86_400_000),
  };
}
