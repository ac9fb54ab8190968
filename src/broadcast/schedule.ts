/**
 * Time rules for announcements, all in Asia/Ho_Chi_Minh (UTC+7 all year: Viet Nam has no daylight
 * saving): quiet hours and the next occurrence of a cron schedule.
 */
import { parse, validate } from "node-cron";

const OFFSET_MS = 7 * 3600_000;

/** Quiet hours as minutes of the day, e.g. 21:00–07:00 → { from: 1260, to: 420 }. */
export interface QuietHours {
  from: number;
  to: number;
}

/** Parses "21:00-07:00"; throws on a malformed value. */
export function parseQuietHours(text: string): QuietHours {
  const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`quiet hours must look like 21:00-07:00, got "${text}"`);
  const [h1, m1, h2, m2] = m.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) throw new Error(`quiet hours out of range: "${text}"`);
  return { from: h1 * 60 + m1, to: h2 * 60 + m2 };
}

/** Minutes since local midnight in Viet Nam. */
function localMinutes(date: Date): number {
  const local = new Date(date.getTime() + OFFSET_MS);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

/** True when `date` falls in the quiet hours (which may wrap past midnight). */
export function isQuiet(date: Date, q: QuietHours | undefined): boolean {
  if (!q || q.from === q.to) return false;
  const m = localMinutes(date);
  return q.from < q.to ? m >= q.from && m < q.to : m >= q.from || m < q.to;
}

/** Whether a five-field cron expression is valid. */
export function isValidCron(expr: string): boolean {
  return expr.trim().split(/\s+/).length === 5 && validate(expr);
}

/** The first minute strictly after `after` matching the five-field cron `expr`, in Viet Nam time. */
export function nextCronRun(expr: string, after: Date): Date {
  if (!isValidCron(expr)) throw new Error(`invalid cron expression "${expr}"`);
  const f = parse(expr);
  const has = (list: Array<number | string>, v: number) => list.some((x) => Number(x) === v);
  let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  const limit = t + 366 * 24 * 3600_000;
  for (; t < limit; t += 60_000) {
    const d = new Date(t + OFFSET_MS);
    if (!has(f.minute, d.getUTCMinutes()) || !has(f.hour, d.getUTCHours())) continue;
    if (!has(f.month, d.getUTCMonth() + 1)) continue;
    const dow = d.getUTCDay();
    const domOk = has(f.dayOfMonth, d.getUTCDate());
    const dowOk = has(f.dayOfWeek, dow) || (dow === 0 && has(f.dayOfWeek, 7));
    // As in Vixie cron: when both day fields are restricted, either may match.
    const bothRestricted = f.dayOfMonth.length < 31 && f.dayOfWeek.length < 7;
    if (bothRestricted ? !(domOk || dowOk) : !(domOk && dowOk)) continue;
    return new Date(t);
  }
  throw new Error(`cron expression "${expr}" has no run within a year`);
}
