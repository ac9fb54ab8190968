/**
 * Opening hours in Vietnam time (UTC+7 all year, no daylight saving): whether the advisory team is in
 * now, and when it is next in.
 */
import type { Opening } from "./ports.js";

const OFFSET_MS = 7 * 3600_000;
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

function minutes(hhmm: string): number {
  const [h = "0", m = "0"] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}

/** The Vietnam-time calendar day and minute of the day of an instant. */
function local(at: Date): { day: (typeof DAYS)[number]; date: string; minute: number; midnight: number } {
  const shifted = new Date(at.getTime() + OFFSET_MS);
  const midnightShifted = Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate());
  return {
    day: DAYS[shifted.getUTCDay()]!,
    date: shifted.toISOString().slice(0, 10),
    minute: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
    midnight: midnightShifted - OFFSET_MS,
  };
}

export interface Hours {
  working_hours?: Opening[] | undefined;
  closed_dates?: string[] | undefined;
}

/** True when `at` falls in one of the opening periods (and not on a closed date). */
export function isOpen(hours: Hours, at: Date): boolean {
  const l = local(at);
  if (hours.closed_dates?.includes(l.date)) return false;
  return (hours.working_hours ?? []).some(
    (o) => o.days.includes(l.day) && l.minute >= minutes(o.from) && l.minute < minutes(o.to),
  );
}

/** The next instant the team is in (`at` itself when open now); undefined when no hours are set. */
export function nextOpening(hours: Hours, at: Date): Date | undefined {
  if (!hours.working_hours?.length) return undefined;
  if (isOpen(hours, at)) return at;
  // Look up to 30 days ahead (closed dates can stack up around Tết).
  for (let d = 0; d <= 30; d++) {
    const l = local(new Date(at.getTime() + d * 86_400_000));
    if (hours.closed_dates?.includes(l.date)) continue;
    const starts = hours.working_hours
      .filter((o) => o.days.includes(l.day))
      .map((o) => l.midnight + minutes(o.from) * 60_000)
      .filter((t) => t > at.getTime())
      .sort((a, b) => a - b);
    if (starts.length) return new Date(starts[0]!);
  }
  return undefined;
}

/** Formats an instant as Vietnam time, e.g. "07:30 Thứ Hai 23/11" (vi) or "07:30 Mon 23/11" (en). */
export function formatLocal(at: Date, lang: "vi" | "en"): string {
  return at.toLocaleString(lang === "en" ? "en-GB" : "vi-VN", {
    timeZone: "Asia/Ho_Chi_Minh",
    hour: "2-digit",
    minute: "2-digit",
    weekday: "long",
    day: "2-digit",
    month: "2-digit",
  });
}
