/**
 * "Repeat every …" choices for staff, kept apart from cron: a day, a weekday or a day of the month at
 * a time of day, turned into the five-field cron the scheduler runs (Viet Nam time), and back.
 */
import { z } from "zod";

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day like 08:00");

/** A repeating schedule as staff choose it. */
export const repeatSchema = z.discriminatedUnion("every", [
  z.object({ every: z.literal("day"), time }).strict(),
  // 0 = Sunday … 6 = Saturday, as in cron.
  z.object({ every: z.literal("week"), weekday: z.coerce.number().int().min(0).max(6), time }).strict(),
  // Days 29–31 are left out so that every month has the day.
  z.object({ every: z.literal("month"), monthday: z.coerce.number().int().min(1).max(28), time }).strict(),
]);
export type Repeat = z.infer<typeof repeatSchema>;

/** The cron expression of a repeat choice, e.g. `{ every: "week", weekday: 1, time: "08:00" }` → `0 8 * * 1`. */
export function repeatToCron(r: Repeat): string {
  const [h, m] = r.time.split(":").map(Number) as [number, number];
  if (r.every === "day") return `${m} ${h} * * *`;
  if (r.every === "week") return `${m} ${h} * * ${r.weekday}`;
  return `${m} ${h} ${r.monthday} * *`;
}

/** The repeat choice a cron expression stands for, or undefined when it is not one of the choices. */
export function cronToRepeat(cron: string): Repeat | undefined {
  const m = /^(\d{1,2}) (\d{1,2}) (\*|\d{1,2}) \* (\*|\d)$/.exec(cron.trim().replace(/\s+/g, " "));
  if (!m) return undefined;
  const [min, hour, dom, dow] = [Number(m[1]), Number(m[2]), m[3]!, m[4]!];
  if (min > 59 || hour > 23) return undefined;
  const t = `${String(hour).padStart(2, "0")}:${String(min).padStart(2, "0")}`;
  if (dom === "*" && dow === "*") return { every: "day", time: t };
  if (dom === "*") return Number(dow) <= 6 ? { every: "week", weekday: Number(dow), time: t } : undefined;
  if (dow === "*" && Number(dom) >= 1 && Number(dom) <= 28)
    return { every: "month", monthday: Number(dom), time: t };
  return undefined;
}
