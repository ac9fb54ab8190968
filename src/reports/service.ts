/**
 * The periodic outreach report a ward's plan asks for (quarter, 6 months, year or custom): what was
 * announced and to how many, who subscribes, what residents asked and what went unanswered, guides
 * viewed, feedback handled on time, satisfaction, and conversations handed to staff.
 */
import type { Connection } from "mongoose";
import { z } from "zod";
import { CHANNEL_NAMES } from "../core/types.js";
import type { ContentBundle } from "../content/schemas.js";
import { unverifiedFacts } from "../content/verification.js";
import { AppError } from "../errors.js";
import { announcementModel } from "../store/models/announcement.js";
import { deliveryModel } from "../store/models/delivery.js";
import { queryLogModel } from "../store/models/query-log.js";
import { subscriberModel } from "../store/models/subscriber.js";
import { ticketModel } from "../store/models/ticket.js";
import { viewCountModel } from "../store/models/view-count.js";
import { trusted } from "../store/trusted.js";
import { vnDayRange } from "../vn-time.js";

/** A report period: "2026-Q3", "2026-H2", "2026", or custom days. */
export const periodSchema = z.union([
  z.object({
    kind: z.literal("quarter"),
    year: z.coerce.number().int().min(2020).max(2100),
    n: z.coerce.number().int().min(1).max(4),
  }),
  z.object({
    kind: z.literal("half"),
    year: z.coerce.number().int().min(2020).max(2100),
    n: z.coerce.number().int().min(1).max(2),
  }),
  z.object({ kind: z.literal("year"), year: z.coerce.number().int().min(2020).max(2100) }),
  z
    .object({ kind: z.literal("custom"), from: z.iso.date(), to: z.iso.date() })
    .refine((p) => p.from <= p.to, { message: "'from' must not be after 'to'" }),
]);
export type Period = z.infer<typeof periodSchema>;

/** The days a period covers, both included (Viet Nam calendar days). */
export function periodDays(p: Period): { from: string; to: string } {
  const pad = (n: number) => String(n).padStart(2, "0");
  const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  const span = (y: number, m1: number, m2: number) => ({
    from: `${y}-${pad(m1)}-01`,
    to: `${y}-${pad(m2)}-${pad(lastDay(y, m2))}`,
  });
  switch (p.kind) {
    case "quarter":
      return span(p.year, p.n * 3 - 2, p.n * 3);
    case "half":
      return span(p.year, p.n * 6 - 5, p.n * 6);
    case "year":
      return span(p.year, 1, 12);
    case "custom":
      return { from: p.from, to: p.to };
  }
}

type Breakdown = Record<"1" | "2" | "3" | "4" | "5", number>;

/** Satisfaction of a group of ratings (the feedback service computes it). */
export interface SatisfactionFigures {
  group: string;
  n: number;
  /** Share of the two top levels, 0..1. */
  index: number;
  breakdown: Breakdown;
}

/** Handoff figures of a period (the handoff service computes them). */
export interface HandoffFigures {
  requests: number;
  handled: number;
  /** Requests that ended before a staff member took them (citizen left, expired). */
  unhandled: number;
  handledWithinHours: number;
  waitMinutes: { p50: number | null; p90: number | null };
  byChannel: Record<string, number>;
  byEnd: Record<string, number>;
  satisfaction: { n: number; index: number | null; breakdown: Breakdown };
}

/** Where the report's figures on satisfaction and handoffs come from. */
export interface ReportSources {
  satisfaction(q: {
    from: Date;
    to: Date;
    /** One unit, or several (staff of several units). */
    unit?: string | string[] | undefined;
    by: "unit" | "month";
  }): Promise<SatisfactionFigures[]>;
  handoffStats(q: { from: Date; to: Date; unit?: string }): Promise<HandoffFigures>;
}

export interface OutreachReport {
  unit: { id: string; name: string; sample: boolean };
  period: Period & { from: string; to: string };
  generatedAt: Date;
  announcements: {
    count: number;
    sent: number;
    failed: number;
    reach: number;
    items: Array<{ title: string; startedAt: Date | null; sent: number }>;
  };
  subscribers: {
    total: number;
    joined: number;
    left: number;
    byChannel: Array<{ channel: string; active: number; joined: number }>;
  };
  questions: {
    total: number;
    /** Answered with confidence, follow-ups included. */
    answered: number;
    /** Follow-up questions answered from the item just shown (part of `answered`). */
    followUps: number;
    unsure: number;
    unanswered: number;
    byField: Array<{ field: string; name: string; n: number }>;
    topProcedures: Array<{ code: string; name: string; n: number }>;
    topUnanswered: Array<{ q: string; n: number }>;
  };
  guides: Array<{ slug: string; title: string; views: number }>;
  tickets: {
    received: number;
    answered: number;
    answeredOnTime: number;
    overdue: number;
    byCategory: Record<string, number>;
  };
  satisfaction: { n: number; index: number | null; breakdown: Record<"1" | "2" | "3" | "4" | "5", number> };
  handoffs: HandoffFigures;
  /**
   * Content facts still awaiting a staff check (issue 20): how many are shared (the province verifies
   * them) and the unit's own, listed (sample hotlines, its FAQs, a sample unit record).
   */
  unverified: { shared: number; own: Array<{ item: string; field: string }> };
}

export interface ReportService {
  build(unit: string, period: Period): Promise<OutreachReport>;
}

function tally<T>(items: T[], key: (x: T) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) {
    const k = key(x);
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** Creates the report service, e.g. `createReportService({ connection, content, sources })`. */
export function createReportService(deps: {
  connection: Connection;
  content: () => ContentBundle;
  sources: ReportSources;
  now?: () => Date;
}): ReportService {
  const conn = deps.connection;
  const now = deps.now ?? (() => new Date());

  return {
    async build(unitId, period) {
      const bundle = deps.content();
      const unit = bundle.units.find((u) => u.id === unitId);
      if (!unit) throw new AppError("NOT_FOUND", 404, "errors:http.notFound", `No such unit: ${unitId}`);
      const days = periodDays(period);
      const { start, end } = vnDayRange(days.from, days.to);
      const inPeriod = trusted({ $gte: start, $lt: end });

      // Announcements for this unit (or for every unit) that ran in the period, and their reach here.
      const subscribers = await subscriberModel(conn)
        .find({ unit: unitId })
        .select({ _id: 1, channel: 1, active: 1, createdAt: 1, updatedAt: 1 })
        .lean();
      const subIds = new Set(subscribers.map((s) => String(s._id)));
      const anns = await announcementModel(conn)
        .find({ startedAt: trusted({ $lt: end }) })
        .select({ title: 1, startedAt: 1, finishedAt: 1, audience: 1 })
        .lean();
      // Deliveries run to hundreds of thousands a period: walk them with a cursor, keeping only tallies.
      const sentBy = new Map<string, number>();
      const reached = new Set<string>();
      let sentHere = 0;
      let failedHere = 0;
      const deliveries = deliveryModel(conn)
        .find({ at: inPeriod })
        .select({ announcement: 1, subscriber: 1, status: 1 })
        .lean()
        .cursor({ batchSize: 5_000 });
      for await (const d of deliveries) {
        const sub = String(d.subscriber);
        if (!subIds.has(sub)) continue;
        if (d.status === "sent") {
          sentHere++;
          reached.add(sub);
          sentBy.set(String(d.announcement), (sentBy.get(String(d.announcement)) ?? 0) + 1);
        } else if (d.status !== "skipped" && d.status !== "sending") failedHere++;
      }
      const ran = anns.filter(
        (a) =>
          (a.audience.units.length === 0 || a.audience.units.includes(unitId)) && sentBy.has(String(a._id)),
      );

      // Questions asked in the unit, read with a cursor (a year can hold many). A follow-up the bot
      // answered from the item just shown ("phí bao nhiêu?") counts as answered whatever its search found.
      const asked = { total: 0, answered: 0, followUps: 0, unsure: 0, unanswered: 0 };
      const topIds = new Map<string, number>();
      const unanswered = new Map<string, number>();
      const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
      for await (const q of queryLogModel(conn)
        .find({ unit: unitId, at: inPeriod })
        .select({ q: 1, hits: 1, level: 1, followUp: 1 })
        .lean()
        .cursor()) {
        asked.total++;
        if (q.followUp) {
          asked.answered++;
          asked.followUps++;
        } else if (q.level === "confident") {
          asked.answered++;
          const top = q.hits[0]?.id;
          if (top) bump(topIds, top);
        } else if (q.level === "unsure") asked.unsure++;
        else {
          asked.unanswered++;
          bump(unanswered, q.q.toLowerCase().trim());
        }
      }
      const procName = new Map(bundle.procedures.map((p) => [p.code, p]));
      const views = await viewCountModel(conn)
        .find({ unit: unitId, day: trusted({ $gte: days.from, $lte: days.to }) })
        .lean();
      const viewsBy = (kind: string) => {
        const m = new Map<string, number>();
        for (const v of views) if (v.kind === kind) m.set(v.id, (m.get(v.id) ?? 0) + v.n);
        return m;
      };
      const byField = new Map<string, number>();
      for (const [id, n] of topIds) {
        const p = procName.get(id);
        if (p) byField.set(p.field, (byField.get(p.field) ?? 0) + n);
      }

      // Feedback.
      const tickets = await ticketModel(conn)
        .find({ unit: unitId, createdAt: inPeriod })
        .select({ status: 1, dueAt: 1, history: 1, replies: 1, category: 1 })
        .lean();
      const answeredAt = (t: (typeof tickets)[number]) =>
        t.history.find((h) => h.status === "answered" || h.status === "closed" || h.status === "rejected")
          ?.at ?? t.replies[0]?.at;
      const ticketsAnswered = tickets.filter((t) => answeredAt(t) !== undefined);
      const reportEnd = end < now() ? end : now();

      const sat = await deps.sources.satisfaction({ from: start, to: end, unit: unitId, by: "unit" });
      const satRow = sat.find((r) => r.group === unitId);
      const breakdown = satRow?.breakdown ?? { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 };

      return {
        unit: { id: unit.id, name: unit.name, sample: unit.sample },
        period: { ...period, ...days },
        generatedAt: now(),
        announcements: {
          count: ran.length,
          sent: sentHere,
          failed: failedHere,
          reach: reached.size,
          items: ran
            .map((a) => ({
              title: a.title,
              startedAt: a.startedAt ?? null,
              sent: sentBy.get(String(a._id)) ?? 0,
            }))
            .sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0)),
        },
        subscribers: {
          total: subscribers.filter((s) => s.active).length,
          joined: subscribers.filter((s) => s.createdAt >= start && s.createdAt < end).length,
          left: subscribers.filter((s) => !s.active && s.updatedAt >= start && s.updatedAt < end).length,
          byChannel: CHANNEL_NAMES.map((channel) => ({
            channel,
            active: subscribers.filter((s) => s.channel === channel && s.active).length,
            joined: subscribers.filter(
              (s) => s.channel === channel && s.createdAt >= start && s.createdAt < end,
            ).length,
          })),
        },
        questions: {
          ...asked,
          byField: bundle.fields
            .map((f) => ({ field: f.id, name: f.name, n: byField.get(f.id) ?? 0 }))
            .filter((f) => f.n > 0)
            .sort((a, b) => b.n - a.n),
          // Every time a card was shown (answer to a question, browsing, a related link).
          topProcedures: [...viewsBy("procedure")]
            .filter(([code]) => procName.has(code))
            .map(([code, n]) => ({ code, name: procName.get(code)!.name, n }))
            .sort((a, b) => b.n - a.n || a.code.localeCompare(b.code))
            .slice(0, 10),
          topUnanswered: [...unanswered.entries()]
            .map(([q, n]) => ({ q, n }))
            .sort((a, b) => b.n - a.n)
            .slice(0, 20),
        },
        guides: bundle.guides
          .map((g) => ({
            slug: g.slug,
            title: g.title,
            views: viewsBy("guide").get(g.slug) ?? 0,
          }))
          .sort((a, b) => b.views - a.views),
        tickets: {
          received: tickets.length,
          answered: ticketsAnswered.length,
          answeredOnTime: ticketsAnswered.filter((t) => answeredAt(t)! <= t.dueAt).length,
          overdue: tickets.filter((t) => {
            const at = answeredAt(t);
            return at ? at > t.dueAt : t.dueAt < reportEnd;
          }).length,
          byCategory: Object.fromEntries(tally(tickets, (t) => t.category)),
        },
        satisfaction: {
          n: satRow?.n ?? 0,
          index: satRow ? Math.round(satRow.index * 1000) / 10 : null,
          breakdown,
        },
        handoffs: await deps.sources.handoffStats({ from: start, to: end, unit: unitId }),
        unverified: {
          shared: unverifiedFacts(bundle, unitId).filter((f) => f.unit === undefined).length,
          own: unverifiedFacts(bundle, unitId)
            .filter((f) => f.unit !== undefined)
            .map((f) => ({ item: `${f.title} (${f.kind}/${f.key})`, field: f.field })),
        },
      };
    },
  };
}
