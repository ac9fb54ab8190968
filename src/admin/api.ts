/**
 * The staff JSON API at `/admin/api` (until the console's sessions land, it takes a bearer token):
 * tickets, satisfaction, citizens' data rights, announcements. Each handler: authenticate →
 * validate (zod) → act through a service → present.
 */
import crypto from "node:crypto";
import express, { Router, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import type { BroadcastService } from "../broadcast/service.js";
import { announcementInputSchema } from "../broadcast/service.js";
import { AppError } from "../errors.js";
import { FeedbackError, type FeedbackService } from "../feedback/service.js";
import type { HandoffService } from "../handoff/service.js";
import { HANDOFF_STATUSES, type HandoffDoc } from "../store/models/handoff.js";
import { TICKET_STATUSES, type TicketDoc } from "../store/models/ticket.js";

const code = z.string().regex(/^PA-\d{4}-\d{6}$/i, "a ticket code like PA-2026-000123");
const staffName = z.string().trim().min(1).max(100);
const channel = z.enum(["telegram", "zalo-oa", "zalo-bot"]);
const objectId = z.string().regex(/^[0-9a-f]{24}$/, "an announcement id");

const schemas = {
  list: z
    .object({
      status: z.enum(TICKET_STATUSES).optional(),
      unit: z.string().max(64).optional(),
      overdue: z.enum(["true", "false"]).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
    })
    .strict(),
  reply: z.object({ text: z.string().trim().min(1).max(2000), by: staffName }).strict(),
  status: z
    .object({ status: z.enum(TICKET_STATUSES), reason: z.string().trim().max(500).optional(), by: staffName })
    .strict(),
  assign: z.object({ assignee: staffName, by: staffName }).strict(),
  faq: z
    .object({ question: z.string().trim().min(5).max(500), answer: z.string().trim().min(5).max(3000) })
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

/** A period of whole Viet Nam days, `to` included. */
function vnRange(from: string, to: string): { from: Date; to: Date } {
  return {
    from: new Date(`${from}T00:00:00+07:00`),
    to: new Date(new Date(`${to}T00:00:00+07:00`).getTime() + 24 * 3600_000),
  };
}

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
function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
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

type Handler = (req: Request, res: Response) => Promise<void>;
const wrap = (h: Handler) => (req: Request, res: Response, next: NextFunction) => {
  h(req, res).catch((err: unknown) => {
    if (err instanceof FeedbackError)
      next(new AppError(err.code, err.status, `errors:feedback.${err.code}`, err.message));
    else next(err);
  });
};

/** Creates the router, e.g. `app.use("/admin/api", createAdminApi({ token, feedback, broadcast }))`. */
export function createAdminApi(deps: {
  token: string;
  feedback: FeedbackService;
  broadcast: BroadcastService;
  handoff: HandoffService;
  citizenErase: (c: "telegram" | "zalo-oa" | "zalo-bot", chatId: string) => Promise<void>;
}): Router {
  const router = Router();
  const expected = crypto.createHash("sha256").update(deps.token).digest();
  router.use((req, _res, next) => {
    const m = /^Bearer (.+)$/.exec(req.get("authorization") ?? "");
    const given = crypto
      .createHash("sha256")
      .update(m?.[1] ?? "")
      .digest();
    if (!m || !crypto.timingSafeEqual(given, expected)) {
      next(new AppError("UNAUTHORIZED", 401, "errors:http.unauthorized", "Missing or wrong API token"));
      return;
    }
    next();
  });
  router.use(express.json({ limit: "64kb" }));

  router.get(
    "/tickets",
    wrap(async (req, res) => {
      const q = parse(schemas.list, req.query);
      const list = await deps.feedback.list({
        status: q.status,
        unit: q.unit,
        overdue: q.overdue === "true",
        limit: q.limit,
      });
      res.json({ tickets: list.map(presentTicket) });
    }),
  );
  router.get(
    "/tickets/:code",
    wrap(async (req, res) => {
      const t = await deps.feedback.get(parse(code, req.params.code));
      if (!t) throw new AppError("NOT_FOUND", 404, "errors:http.notFound", "No such ticket");
      res.json({ ticket: presentTicket(t) });
    }),
  );
  router.post(
    "/tickets/:code/replies",
    wrap(async (req, res) => {
      const body = parse(schemas.reply, req.body);
      res.json({
        ticket: presentTicket(await deps.feedback.reply(parse(code, req.params.code), body.by, body.text)),
      });
    }),
  );
  router.post(
    "/tickets/:code/status",
    wrap(async (req, res) => {
      const body = parse(schemas.status, req.body);
      res.json({
        ticket: presentTicket(
          await deps.feedback.setStatus(parse(code, req.params.code), body.status, body.by, body.reason),
        ),
      });
    }),
  );
  router.post(
    "/tickets/:code/assign",
    wrap(async (req, res) => {
      const body = parse(schemas.assign, req.body);
      res.json({
        ticket: presentTicket(
          await deps.feedback.assign(parse(code, req.params.code), body.assignee, body.by),
        ),
      });
    }),
  );
  router.post(
    "/tickets/:code/faq",
    wrap(async (req, res) => {
      const slug = await deps.feedback.publishFaq(parse(code, req.params.code), parse(schemas.faq, req.body));
      res.status(201).json({ faq: `faq:${slug}` });
    }),
  );
  router.get(
    "/satisfaction",
    wrap(async (req, res) => {
      const q = parse(schemas.satisfaction, req.query);
      const { from, to } = vnRange(q.from, q.to);
      res.json({
        from: q.from,
        to: q.to,
        by: q.by,
        rows: await deps.feedback.satisfaction({ from, to, unit: q.unit, by: q.by }),
      });
    }),
  );
  router.get(
    "/citizens/:channel/:chatId/export",
    wrap(async (req, res) => {
      const c = parse(schemas.citizen, req.params);
      res.json({
        ...(await deps.feedback.exportCitizen(c.channel, c.chatId)),
        handoffs: await deps.handoff.exportChat(c.channel, c.chatId),
      });
    }),
  );
  router.delete(
    "/citizens/:channel/:chatId",
    wrap(async (req, res) => {
      const c = parse(schemas.citizen, req.params);
      await deps.citizenErase(c.channel, c.chatId);
      res.status(204).end();
    }),
  );
  router.get(
    "/handoffs",
    wrap(async (req, res) => {
      const q = parse(schemas.handoffs, req.query);
      const list = await deps.handoff.list({ status: q.status, unit: q.unit, limit: q.limit });
      res.json({ handoffs: list.map(presentHandoff) });
    }),
  );
  router.get(
    "/handoffs/stats",
    wrap(async (req, res) => {
      const q = parse(schemas.period, req.query);
      res.json({
        from: q.from,
        to: q.to,
        unit: q.unit ?? null,
        ...(await deps.handoff.stats({ ...vnRange(q.from, q.to), unit: q.unit })),
      });
    }),
  );
  router.post(
    "/announcements",
    wrap(async (req, res) => {
      const body = parse(announcementInputSchema, req.body);
      const a = await deps.broadcast.create(body, "api");
      res.status(201).json({
        id: String(a._id),
        status: a.status,
        nextRunAt: a.nextRunAt?.toISOString() ?? null,
        audience: await deps.broadcast.estimate(a.audience, a.urgent),
      });
    }),
  );
  router.get(
    "/announcements/:id",
    wrap(async (req, res) => {
      const r = await deps.broadcast.report(parse(objectId, req.params.id));
      if (!r) throw new AppError("NOT_FOUND", 404, "errors:http.notFound", "No such announcement");
      res.json(r);
    }),
  );
  for (const action of ["pause", "resume", "cancel"] as const) {
    router.post(
      `/announcements/:id/${action}`,
      wrap(async (req, res) => {
        const ok = await deps.broadcast[action](parse(objectId, req.params.id));
        if (!ok)
          throw new AppError(
            "BAD_TRANSITION",
            409,
            "errors:http.conflict",
            `Cannot ${action} this announcement now`,
          );
        res.json({ ok: true });
      }),
    );
  }
  return router;
}
