/**
 * The staff JSON API at `/admin/api`: tickets, satisfaction, citizens' data rights, announcements,
 * handoffs, reports. Callers are a signed-in staff member (session cookie + `x-csrf-token` on writes)
 * or a script with the bearer token. Each handler: identify → permission → validate (zod) → scope to
 * the actor's units → act through a service → audit the write → present.
 */
import express, { Router, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { CHANNEL_NAMES } from "../core/types.js";
import type { BroadcastService } from "../broadcast/service.js";
import { AppError } from "../errors.js";
import { FeedbackError, type FeedbackService } from "../feedback/service.js";
import type { ActionInput, StaffActions } from "./actions.js";
import type { HandoffService } from "../handoff/service.js";
import { HANDOFF_STATUSES, type HandoffDoc } from "../store/models/handoff.js";
import { TICKET_STATUSES, type TicketDoc } from "../store/models/ticket.js";
import type { ReportService } from "../reports/service.js";
import { periodSchema } from "../reports/service.js";
import { vnDayRange } from "../vn-time.js";
import { inScope, type Actor } from "./auth.js";
import { actorOf, type RouteSpec, type createGuard } from "./guard.js";

/** A ticket code in a path. */
export const ticketCodeSchema = z.string().regex(/^PA-\d{4}-\d{6}$/i, "a ticket code like PA-2026-000123");
const channel = z.enum(CHANNEL_NAMES);
/** An announcement id in a path. */
export const announcementIdSchema = z.string().regex(/^[0-9a-f]{24}$/, "an announcement id");

const schemas = {
  list: z
    .object({
      status: z.enum(TICKET_STATUSES).optional(),
      unit: z.string().max(64).optional(),
      overdue: z.enum(["true", "false"]).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
    })
    .strict(),
  satisfaction: z
    .object({
      from: z.iso.date(),
      to: z.iso.date(),
      unit: z.string().max(64).optional(),
      by: z.enum(["unit", "channel", "field", "month", "quarter"]).default("month"),
    })
    .strict(),
  citizen: z.object({ channel, chatId: z.string().regex(/^[\w-]{1,64}$/) }).strict(),
  handoffs: z
    .object({
      status: z.enum(HANDOFF_STATUSES).optional(),
      unit: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
    })
    .strict(),
  period: z.object({ from: z.iso.date(), to: z.iso.date(), unit: z.string().max(64).optional() }).strict(),
};

/** What staff see of a handoff (no chat id: staff reach the citizen through the relay only). */
export function presentHandoff(h: HandoffDoc) {
  return {
    code: h._id,
    unit: h.unit,
    channel: h.channel,
    lang: h.lang,
    status: h.status,
    endReason: h.endReason ?? null,
    recent: h.recent,
    insideHours: h.insideHours,
    staff: h.staff?.label ?? h.staff?.id ?? null,
    createdAt: h.createdAt.toISOString(),
    claimedAt: h.claimedAt?.toISOString() ?? null,
    closedAt: h.closedAt?.toISOString() ?? null,
    messages: h.counts,
  };
}

/** Parses with zod or throws a 400 naming every field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const details = r.error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
    throw new AppError("VALIDATION_FAILED", 400, "errors:http.validation", "Invalid request", details);
  }
  return r.data;
}

/** What staff see of a ticket. */
export function presentTicket(t: TicketDoc) {
  return {
    code: t.code,
    unit: t.unit ?? null,
    channel: t.channel,
    category: t.category,
    text: t.text,
    photo: t.photo ?? null,
    contact: t.contact ?? null,
    consent: { contact: Boolean(t.consent.contact), publish: t.consent.publish },
    status: t.status,
    rejectReason: t.rejectReason ?? null,
    assignee: t.assignee ?? null,
    dueAt: t.dueAt.toISOString(),
    overdue: (t.status === "received" || t.status === "in_progress") && t.dueAt.getTime() < Date.now(),
    replies: t.replies.map((r) => ({ at: r.at.toISOString(), by: r.by, text: r.text })),
    history: t.history.map((h) => ({
      at: h.at.toISOString(),
      status: h.status,
      by: h.by,
      note: h.note ?? null,
    })),
    publishedFaq: t.publishedFaq ?? null,
    createdAt: t.createdAt.toISOString(),
  };
}

type Handler = (req: Request, res: Response, actor: Actor) => Promise<void>;

/** Turns service errors into HTTP ones. */
export function httpError(err: unknown): unknown {
  if (err instanceof FeedbackError)
    return new AppError(err.code, err.status, `errors:feedback.${err.code}`, err.message);
  return err;
}

const forbiddenUnit = () =>
  new AppError("OUT_OF_SCOPE", 403, "errors:http.forbidden", "This belongs to a unit outside your scope");
/** The 404 of a missing ticket, announcement, handoff…, e.g. `throw notFound("ticket")`. */
export const notFound = (what: string) =>
  new AppError("NOT_FOUND", 404, "errors:http.notFound", `No such ${what}`);

/** The ticket a path names, if it exists and the actor works for its unit (else 404 / 403). */
export async function ticketOf(feedback: FeedbackService, actor: Actor, raw: unknown): Promise<TicketDoc> {
  const t = await feedback.get(parse(ticketCodeSchema, raw));
  if (!t) throw notFound("ticket");
  assertScope(actor, t.unit);
  return t;
}

/**
 * Throws unless staff may see an announcement aimed at `units`: one for everyone (empty) or for any of
 * their units. (Acting on it needs all of its units: see the staff actions.)
 */
export function assertAnnouncementVisible(actor: Actor, units: string[]): void {
  if (actor.units.length && units.length && !units.some((u) => actor.units.includes(u)))
    throw forbiddenUnit();
}

/** Throws unless the actor works for `unit`. */
export function assertScope(actor: Actor, unit: string | undefined): void {
  if (!inScope(actor, unit)) throw forbiddenUnit();
}

/** The units a list may show: the one asked for (if in scope), else the actor's units (or all). */
export function scopedUnits(actor: Actor, asked: string | undefined): string | string[] | undefined {
  if (asked) {
    assertScope(actor, asked);
    return asked;
  }
  return actor.units.length ? actor.units : undefined;
}

export interface AdminApiDeps {
  guard: ReturnType<typeof createGuard>;
  /** Every write goes through these (permission, unit scope, audit). */
  actions: StaffActions;
  feedback: FeedbackService;
  broadcast: BroadcastService;
  handoff: HandoffService;
  reports: ReportService;
}

/** Creates the router and its route table, e.g. `app.use("/admin/api", createAdminApi(deps).router)`. */
export function createAdminApi(deps: AdminApiDeps): { router: Router; routes: RouteSpec[] } {
  const router = Router();
  const routes: RouteSpec[] = [];
  const { actions } = deps;
  /** A JSON body as an object (an action's schema then names any missing field). */
  const body = (req: Request) =>
    (req.body && typeof req.body === "object" && !Array.isArray(req.body) ? req.body : {}) as Record<
      string,
      unknown
    >;
  router.use(deps.guard.identify);
  router.use(express.json({ limit: "64kb" }));
  const unauthorized = (_req: Request, _res: Response, next: NextFunction) =>
    next(new AppError("UNAUTHORIZED", 401, "errors:http.unauthorized", "Sign in or send the API token"));
  const route = (
    method: RouteSpec["method"],
    path: string,
    permission: RouteSpec["permission"],
    h: Handler,
  ) => {
    routes.push({ method, path, permission });
    router[method](path, deps.guard.allow(permission, unauthorized), (req, res, next) => {
      h(req, res, actorOf(res)!).catch((err: unknown) => next(httpError(err)));
    });
  };
  const ticketInScope = (actor: Actor, raw: unknown) => ticketOf(deps.feedback, actor, raw);

  route("get", "/tickets", "tickets.view", async (req, res, actor) => {
    const q = parse(schemas.list, req.query);
    const list = await deps.feedback.list({
      status: q.status,
      unit: scopedUnits(actor, q.unit),
      overdue: q.overdue === "true",
      limit: q.limit,
    });
    res.json({ tickets: list.map(presentTicket) });
  });
  route("get", "/tickets/:code", "tickets.view", async (req, res, actor) => {
    res.json({ ticket: presentTicket(await ticketInScope(actor, req.params.code)) });
  });
  for (const [path, name] of [
    ["replies", "ticket.reply"],
    ["status", "ticket.status"],
    ["assign", "ticket.assign"],
  ] as const) {
    route("post", `/tickets/:code/${path}`, "tickets.handle", async (req, res, actor) => {
      const input = { ...body(req), code: parse(ticketCodeSchema, req.params.code) };
      const after = await actions.run(actor, name, input as ActionInput<typeof name>);
      res.json({ ticket: presentTicket(after) });
    });
  }
  route("post", "/tickets/:code/faq", "content.edit", async (req, res, actor) => {
    const input = { ...body(req), code: parse(ticketCodeSchema, req.params.code) };
    const r = await actions.run(actor, "ticket.publishFaq", input as ActionInput<"ticket.publishFaq">);
    res.status(201).json({ faq: `faq:${r.slug}` });
  });
  route("get", "/satisfaction", "reports.view", async (req, res, actor) => {
    const q = parse(schemas.satisfaction, req.query);
    const { start: from, end: to } = vnDayRange(q.from, q.to);
    // A ward's staff get their units' ratings only, whatever the grouping (issue 15).
    const rows = await deps.feedback.satisfaction({ from, to, unit: scopedUnits(actor, q.unit), by: q.by });
    res.json({
      from: q.from,
      to: q.to,
      by: q.by,
      rows: rows.filter((r) => q.by !== "unit" || inScope(actor, r.group)),
    });
  });
  route("get", "/citizens/:channel/:chatId/export", "citizens.manage", async (req, res, actor) => {
    res.json(await actions.run(actor, "citizen.export", parse(schemas.citizen, req.params)));
  });
  route("delete", "/citizens/:channel/:chatId", "citizens.manage", async (req, res, actor) => {
    await actions.run(actor, "citizen.erase", parse(schemas.citizen, req.params));
    res.status(204).end();
  });
  route("get", "/handoffs", "handoffs.view", async (req, res, actor) => {
    const q = parse(schemas.handoffs, req.query);
    const list = await deps.handoff.list({
      status: q.status,
      unit: scopedUnits(actor, q.unit),
      limit: q.limit,
    });
    res.json({ handoffs: list.map(presentHandoff) });
  });
  route("get", "/handoffs/stats", "reports.view", async (req, res, actor) => {
    const q = parse(schemas.period, req.query);
    assertScope(actor, q.unit);
    const { start, end } = vnDayRange(q.from, q.to);
    res.json({
      from: q.from,
      to: q.to,
      unit: q.unit ?? null,
      ...(await deps.handoff.stats({ from: start, to: end, unit: q.unit })),
    });
  });
  route("get", "/reports/:unit", "reports.view", async (req, res, actor) => {
    const unit = parse(z.string().regex(/^[a-z0-9-]{1,48}$/, "a unit id"), req.params.unit);
    assertScope(actor, unit);
    const period = parse(periodSchema, req.query);
    res.json({ report: await deps.reports.build(unit, period) });
  });
  route("post", "/announcements", "announcements.send", async (req, res, actor) => {
    const a = await actions.run(
      actor,
      "announcement.create",
      body(req) as ActionInput<"announcement.create">,
    );
    res.status(201).json({
      id: String(a._id),
      status: a.status,
      nextRunAt: a.nextRunAt?.toISOString() ?? null,
      audience: await deps.broadcast.estimate(a.audience, a.urgent),
    });
  });
  route("get", "/announcements/:id", "announcements.view", async (req, res, actor) => {
    const id = parse(announcementIdSchema, req.params.id);
    const a = await deps.broadcast.get(id);
    if (!a) throw notFound("announcement");
    assertAnnouncementVisible(actor, a.audience.units);
    const r = await deps.broadcast.report(id);
    if (!r) throw notFound("announcement");
    res.json(r);
  });
  for (const action of ["pause", "resume", "cancel"] as const) {
    route("post", `/announcements/:id/${action}`, "announcements.send", async (req, res, actor) => {
      await actions.run(actor, `announcement.${action}`, { id: parse(announcementIdSchema, req.params.id) });
      res.json({ ok: true });
    });
  }
  return { router, routes };
}
