/**
 * The console's dashboard figures over the last days: questions per day by channel, top procedures,
 * unanswered questions, subscribers over time, satisfaction by month, tickets open and overdue; and
 * the outreach plan's own figures: articles and announcements this month against each unit's target,
 * content links that failed their last check, residents waiting for a person.
 */
import type { Connection } from "mongoose";
import { CHANNEL_NAMES } from "../core/types.js";
import type { ContentBundle } from "../content/schemas.js";
import type { ReportSources } from "./service.js";
import { queryLogModel } from "../store/models/query-log.js";
import { subscriberModel } from "../store/models/subscriber.js";
import { announcementModel } from "../store/models/announcement.js";
import { handoffModel } from "../store/models/handoff.js";
import { linkCheckModel } from "../store/models/link-check.js";
import { ticketModel } from "../store/models/ticket.js";
import { unitSettingModel } from "../store/models/unit-setting.js";
import { trusted } from "../store/trusted.js";
import { vnDay, vnDayRange } from "../vn-time.js";

/** The outreach plans ask for at least three outreach items a month (issue 16). */
export const DEFAULT_OUTREACH_TARGET = 3;

export interface Dashboard {
  days: string[];
  questionsByChannel: Record<string, number[]>;
  subscribersByDay: number[];
  topProcedures: Array<{ code: string; name: string; n: number }>;
  unanswered: Array<{ q: string; n: number }>;
  satisfaction: Array<{ month: string; index: number; n: number }>;
  tickets: { open: number; overdue: number };
  /** This Viet Nam month's outreach per unit in scope. */
  outreach: Array<{ unit: string; name: string; articles: number; announcements: number; target: number }>;
  /** Content links whose last check failed (undefined until the link checker has run). */
  links: { failed: number; refs: string[] } | undefined;
  waitingChats: number;
}

/** Creates the builder, e.g. `createDashboard({ connection, content, sources }).build({ units: [] })`. */
export function createDashboard(deps: {
  connection: Connection;
  content: () => ContentBundle;
  sources: Pick<ReportSources, "satisfaction">;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const Settings = unitSettingModel(deps.connection);
  return {
    /** Sets a unit's monthly outreach target; returns the previous one. */
    async setTarget(unit: string, target: number, by: string): Promise<number> {
      const before = await Settings.findOneAndUpdate(
        { _id: unit },
        { $set: { outreachTarget: target, updatedBy: by, updatedAt: now() } },
        { upsert: true },
      ).lean();
      return before?.outreachTarget ?? DEFAULT_OUTREACH_TARGET;
    },
    /** `units` empty = every unit. */
    async build(q: { units: string[]; days?: number }): Promise<Dashboard> {
      const n = q.days ?? 30;
      const end = now();
      // Viet Nam keeps no daylight saving: whole days back from now are the last n calendar days.
      const days = Array.from({ length: n }, (_, i) =>
        vnDay(new Date(end.getTime() - (n - 1 - i) * 86_400_000)),
      );
      const { start } = vnDayRange(days[0]!, days[0]!);
      const unitFilter = q.units.length ? { unit: trusted({ $in: q.units }) } : {};
      const queries = await queryLogModel(deps.connection)
        .find({ ...unitFilter, at: trusted({ $gte: start }) })
        .select({ q: 1, channel: 1, level: 1, hits: 1, at: 1 })
        .lean();
      const index = new Map(days.map((d, i) => [d, i]));
      const questionsByChannel = Object.fromEntries(
        CHANNEL_NAMES.map((c) => [c, days.map(() => 0)]),
      ) as Record<string, number[]>;
      const top = new Map<string, number>();
      const missed = new Map<string, number>();
      for (const x of queries) {
        const i = index.get(vnDay(x.at));
        const row = questionsByChannel[x.channel];
        if (i !== undefined && row) row[i]!++;
        if (x.level === "confident" && x.hits[0]) top.set(x.hits[0].id, (top.get(x.hits[0].id) ?? 0) + 1);
        if (x.level === "none") {
          const k = x.q.toLowerCase().trim();
          missed.set(k, (missed.get(k) ?? 0) + 1);
        }
      }
      const names = new Map(deps.content().procedures.map((p) => [p.code, p.name]));
      const subs = await subscriberModel(deps.connection)
        .find({ ...unitFilter })
        .select({ createdAt: 1, active: 1, updatedAt: 1 })
        .lean();
      const subscribersByDay = days.map((d) => {
        const dayEnd = vnDayRange(d, d).end;
        return subs.filter((s) => s.createdAt < dayEnd && (s.active || s.updatedAt >= dayEnd)).length;
      });
      const sixMonthsAgo = new Date(end.getTime() - 183 * 86_400_000);
      const sat = await deps.sources.satisfaction({
        from: sixMonthsAgo,
        to: end,
        // Staff of several units see their units' ratings, never everyone's (issue 15).
        unit: q.units.length ? q.units : undefined,
        by: "month",
      });
      const tickets = await ticketModel(deps.connection)
        .find({ ...unitFilter, status: trusted({ $in: ["received", "in_progress"] }) })
        .select({ dueAt: 1 })
        .lean();
      // === The outreach plan's figures
      const today = vnDay(end);
      const monthStart = vnDayRange(`${today.slice(0, 7)}-01`, `${today.slice(0, 7)}-01`).start;
      const bundle = deps.content();
      const scope = bundle.units.filter((u) => !q.units.length || q.units.includes(u.id));
      const [anns, targets, waitingChats] = await Promise.all([
        announcementModel(deps.connection)
          .find({
            createdAt: trusted({ $gte: monthStart }),
            status: trusted({ $nin: ["draft", "cancelled"] }),
          })
          .select({ audience: 1 })
          .lean(),
        Settings.find({ _id: trusted({ $in: scope.map((u) => u.id) }) }).lean(),
        handoffModel(deps.connection).countDocuments({ ...unitFilter, status: "waiting" }),
      ]);
      const targetOf = new Map(targets.map((x) => [x._id, x.outreachTarget]));
      const outreach = scope.map((u) => ({
        unit: u.id,
        name: u.name,
        articles: bundle.articles.filter(
          (a) => a.unit === u.id && a.date >= today.slice(0, 7) && a.date <= today,
        ).length,
        announcements: anns.filter((a) => !a.audience.units.length || a.audience.units.includes(u.id)).length,
        target: targetOf.get(u.id) ?? DEFAULT_OUTREACH_TARGET,
      }));
      // The link checker (issue 20) keeps each link's last result; before it has run there is
      // nothing to show.
      const Links = linkCheckModel(deps.connection);
      const [failed, anyChecked] = await Promise.all([
        Links.find({ ok: false }).select({ refs: 1 }).lean(),
        Links.exists({}),
      ]);
      const links = anyChecked
        ? { failed: failed.length, refs: [...new Set(failed.flatMap((f) => f.refs))] }
        : undefined;
      return {
        outreach,
        links,
        waitingChats,
        days,
        questionsByChannel,
        subscribersByDay,
        topProcedures: [...top]
          .filter(([code]) => names.has(code))
          .map(([code, k]) => ({ code, name: names.get(code)!, n: k }))
          .sort((a, b) => b.n - a.n)
          .slice(0, 10),
        unanswered: [...missed]
          .map(([text, k]) => ({ q: text, n: k }))
          .sort((a, b) => b.n - a.n)
          .slice(0, 10),
        satisfaction: sat
          .map((r) => ({ month: r.group, index: Math.round(r.index * 1000) / 10, n: r.n }))
          .sort((a, b) => a.month.localeCompare(b.month)),
        tickets: { open: tickets.length, overdue: tickets.filter((t) => t.dueAt < end).length },
      };
    },
  };
}
export type DashboardBuilder = ReturnType<typeof createDashboard>;
