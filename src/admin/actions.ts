/**
 * Staff actions: every write a staff member makes, from the console (`/admin`) or the JSON API
 * (`/admin/api`), is one entry of {@link STAFF_ACTIONS} run through {@link StaffActions.run}. Running
 * an action, in this order and in this one place (issue 15, design.md "Staff actions"):
 *
 * 1. checks the actor's role has the action's permission (403 `FORBIDDEN`);
 * 2. validates the input with the action's zod schema (400 `VALIDATION_FAILED`, a {@link ValidationError}
 *    whose `issues` name each field);
 * 3. loads the stored object and checks the actor's units cover it (403 `OUT_OF_SCOPE`, 404 `NOT_FOUND`);
 * 4. checks the units of what was submitted too (a ward cannot move its hotline to another unit, or
 *    aim an announcement at the whole province);
 * 5. acts through the service and writes the audit entry.
 *
 * Callers are thin: parse the request into the input, `await actions.run(actor, "ticket.reply", {
 * code, text })`, present the result. Never call a service's write method from a route.
 *
 * ```ts
 * const actions = createStaffActions({ audit, feedback, broadcast, handoff, content, staff, citizens });
 * const ticket = await actions.run(actor, "ticket.reply", { code: "PA-2026-000001", text: "Đã xử lý" });
 * ```
 *
 * Adding an action: add its entry to `STAFF_ACTIONS` (permission + input schema) and its
 * implementation in `createStaffActions`; the policy test (test/admin/actions.test.ts) walks every
 * entry × role × target unit and fails for an action it cannot exercise.
 */
import { z } from "zod";
import { announcementInputSchema, type BroadcastService } from "../broadcast/service.js";
import type { ContentService } from "../content/service.js";
import { createContentActions, mayEditContent } from "./content-actions.js";
import { ContentEditError, fieldIssues, saveItem, type FieldIssue } from "../content/store.js";
import { applyVerification, verificationInputSchema } from "../content/verification.js";
import { CHANNEL_NAMES, type ChannelName } from "../core/types.js";
import { AppError } from "../errors.js";
import { FeedbackError, type FeedbackService } from "../feedback/service.js";
import type { HandoffService } from "../handoff/service.js";
import { CONTENT_KINDS } from "../store/models/content.js";
import type { AnnouncementDoc } from "../store/models/announcement.js";
import type { HandoffDoc } from "../store/models/handoff.js";
import { STAFF_ROLES, type StaffDoc, type StaffRole } from "../store/models/staff.js";
import { TICKET_STATUSES, type TicketDoc } from "../store/models/ticket.js";
import {
  audienceInScope,
  can,
  inScope,
  newPasswordSchema,
  passwordSchema,
  PERMISSIONS,
  usernameSchema,
  type Actor,
  type AuditLog,
  type Permission,
  type StaffService,
} from "./auth.js";

// === Errors

/** A 400 whose `issues` say which field is wrong (the console shows each beside its field). */
export class ValidationError extends AppError {
  constructor(
    readonly issues: FieldIssue[],
    stable: { code: string; message: string } = { code: "VALIDATION_FAILED", message: "Invalid request" },
  ) {
    super(
      stable.code,
      400,
      "errors:http.validation",
      stable.message,
      issues.map((i) => ({ field: i.path || "(body)", message: i.message })),
    );
  }
}

/** Parses with zod or throws a {@link ValidationError} naming every field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(fieldIssues(r.error));
  return r.data;
}

const outOfScope = (message = "This belongs to a unit outside your scope") =>
  new AppError("OUT_OF_SCOPE", 403, "errors:http.forbidden", message);
const notFound = (what: string) => new AppError("NOT_FOUND", 404, "errors:http.notFound", `No such ${what}`);
const conflict = (code: string, message: string) => new AppError(code, 409, "errors:http.conflict", message);

// === Policies (pure: the console also uses them to show or hide a button)

/** Throws unless the actor works for `unit` (an item without a unit is province-wide). */
export function assertUnit(actor: Actor, unit: string | undefined): void {
  if (!inScope(actor, unit)) throw outOfScope();
}

// Content's own policies and actions live in content-actions.ts (save, retire, restore); the
// "content.save" action below runs through them, so both paths keep one rule.
export { mayEditContent };

/** Whether `units` (an account's) lie within the actor's: province staff manage everyone. */
export function unitsWithin(actor: Actor, units: readonly string[]): boolean {
  if (!actor.units.length) return true;
  return units.length > 0 && units.every((u) => actor.units.includes(u));
}

/** Whether a role grants nothing the actor's own role lacks. */
export function roleWithin(actor: Actor, role: StaffRole): boolean {
  return (Object.keys(PERMISSIONS) as Permission[]).every((p) => can(actor, p) || !can({ role }, p));
}

/** Whether the actor may manage (edit, reset the password of) this account. */
export function mayManageStaff(actor: Actor, target: Pick<StaffDoc, "units" | "role">): boolean {
  return can(actor, "staff.manage") && unitsWithin(actor, target.units) && roleWithin(actor, target.role);
}

// === The action table

const unitId = z.string().regex(/^[a-z0-9-]{1,48}$/, "a unit id");
const ticketCode = z.string().regex(/^PA-\d{4}-\d{6}$/i, "a ticket code like PA-2026-000123");
const handoffCode = z.string().regex(/^H[0-9A-Z]{3,12}$/, "a handoff code like H7K2QX");
const objectId = z.string().regex(/^[0-9a-f]{24}$/, "an id");
/** The name a write is recorded under by a script (the API token); staff sessions use their own name. */
const by = z.string().trim().min(1).max(100).optional();
const citizen = z
  .object({ channel: z.enum(CHANNEL_NAMES), chatId: z.string().regex(/^[\w-]{1,64}$/) })
  .strict();

/** Every staff write: the permission it needs and the input it takes. */
export const STAFF_ACTIONS = {
  "ticket.reply": {
    permission: "tickets.handle",
    input: z.object({ code: ticketCode, text: z.string().trim().min(1).max(2000), by }).strict(),
  },
  "ticket.status": {
    permission: "tickets.handle",
    input: z
      .object({
        code: ticketCode,
        status: z.enum(TICKET_STATUSES),
        reason: z.string().trim().max(500).optional(),
        by,
      })
      .strict(),
  },
  "ticket.assign": {
    permission: "tickets.handle",
    input: z.object({ code: ticketCode, assignee: z.string().trim().min(1).max(100), by }).strict(),
  },
  "ticket.publishFaq": {
    permission: "content.edit",
    input: z
      .object({
        code: ticketCode,
        question: z.string().trim().min(5).max(500),
        answer: z.string().trim().min(5).max(3000),
      })
      .strict(),
  },
  "announcement.create": { permission: "announcements.send", input: announcementInputSchema },
  "announcement.update": {
    permission: "announcements.send",
    input: z.object({ id: objectId, announcement: announcementInputSchema }).strict(),
  },
  "announcement.sendNow": { permission: "announcements.send", input: z.object({ id: objectId }).strict() },
  "announcement.pause": { permission: "announcements.send", input: z.object({ id: objectId }).strict() },
  "announcement.resume": { permission: "announcements.send", input: z.object({ id: objectId }).strict() },
  "announcement.cancel": { permission: "announcements.send", input: z.object({ id: objectId }).strict() },
  "handoff.claim": { permission: "handoffs.handle", input: z.object({ code: handoffCode }).strict() },
  "handoff.reply": {
    permission: "handoffs.handle",
    input: z.object({ code: handoffCode, text: z.string().trim().min(1).max(3000) }).strict(),
  },
  "handoff.close": { permission: "handoffs.handle", input: z.object({ code: handoffCode }).strict() },
  "content.save": {
    permission: "content.edit",
    input: z
      .object({ kind: z.enum(CONTENT_KINDS), key: z.string().regex(/^[\w.-]{1,80}$/), data: z.unknown() })
      .strict(),
  },
  "content.verify": { permission: "content.edit", input: verificationInputSchema },
  "staff.create": {
    permission: "staff.manage",
    input: z
      .object({
        username: usernameSchema,
        displayName: z.string().trim().min(1).max(100),
        role: z.enum(STAFF_ROLES),
        units: z.array(unitId).max(50).default([]),
        password: passwordSchema,
      })
      .strict(),
  },
  "staff.update": {
    permission: "staff.manage",
    input: z
      .object({
        id: objectId,
        role: z.enum(STAFF_ROLES),
        units: z.array(unitId).max(50),
        active: z.boolean(),
        password: passwordSchema.optional(),
      })
      .strict(),
  },
  "staff.password": {
    permission: "signed-in",
    input: z.object({ current: z.string().max(200), password: z.string().max(200) }).strict(),
  },
  "citizen.export": { permission: "citizens.manage", input: citizen },
  "citizen.erase": { permission: "citizens.manage", input: citizen },
} as const satisfies Record<string, { permission: Permission | "signed-in"; input: z.ZodType }>;

export type StaffActionName = keyof typeof STAFF_ACTIONS;
/** What an action takes (before defaults), e.g. `ActionInput<"ticket.reply">`. */
export type ActionInput<N extends StaffActionName> = z.input<(typeof STAFF_ACTIONS)[N]["input"]>;
type Parsed<N extends StaffActionName> = z.output<(typeof STAFF_ACTIONS)[N]["input"]>;

/** What each action returns. */
export interface ActionResults {
  "ticket.reply": TicketDoc;
  "ticket.status": TicketDoc;
  "ticket.assign": TicketDoc;
  "ticket.publishFaq": { slug: string };
  "announcement.create": AnnouncementDoc;
  "announcement.update": AnnouncementDoc;
  "announcement.sendNow": { ok: true };
  "announcement.pause": { ok: true };
  "announcement.resume": { ok: true };
  "announcement.cancel": { ok: true };
  "handoff.claim": "claimed" | "yours" | "taken";
  "handoff.reply": "sent" | "not-owner" | "undelivered" | "photo-unsupported";
  "handoff.close": boolean;
  "content.save": { changed: boolean };
  "content.verify": { changed: boolean };
  "staff.create": StaffDoc;
  "staff.update": StaffDoc;
  "staff.password": { ok: true };
  "citizen.export": Record<string, unknown>;
  "citizen.erase": { ok: true };
}

/** Where the citizen's data lies, for the scope of export and erasure. */
export interface CitizenData {
  /** The units the chat's data belongs to (subscription, tickets, handoffs). */
  unitsOf(channel: ChannelName, chatId: string): Promise<string[]>;
  export(channel: ChannelName, chatId: string): Promise<Record<string, unknown>>;
  erase(channel: ChannelName, chatId: string): Promise<void>;
}

export interface StaffActionDeps {
  audit: AuditLog;
  feedback: FeedbackService;
  broadcast: BroadcastService;
  handoff: HandoffService;
  content: ContentService;
  now?: () => Date;
  staff: StaffService;
  citizens: CitizenData;
}

export interface StaffActions {
  /** Runs one action for `actor`: validate → permission → scope (stored and submitted) → act → audit. */
  run<N extends StaffActionName>(actor: Actor, name: N, input: ActionInput<N>): Promise<ActionResults[N]>;
}

/** Creates the staff actions, e.g. `createStaffActions({ audit, feedback, … })`. */
export function createStaffActions(deps: StaffActionDeps): StaffActions {
  const { audit } = deps;
  const contentActions = createContentActions({ content: deps.content, audit });
  /** The name shown to citizens and in histories: the staff member, or `by` for a script. */
  const nameOf = (actor: Actor, given: string | undefined) =>
    actor.via === "session" ? actor.displayName : (given ?? actor.displayName);
  const staffRef = (actor: Actor) => ({ id: `console:${actor.username}`, name: actor.displayName });

  const ticket = async (actor: Actor, code: string): Promise<TicketDoc> => {
    const t = await deps.feedback.get(code.toUpperCase());
    if (!t) throw notFound("ticket");
    assertUnit(actor, t.unit);
    return t;
  };
  const announcement = async (actor: Actor, id: string): Promise<AnnouncementDoc> => {
    const a = await deps.broadcast.get(id);
    if (!a) throw notFound("announcement");
    // Staff of some units may act only on announcements aimed at their units alone.
    if (!audienceInScope(actor, a.audience.units)) throw outOfScope();
    return a;
  };
  const handoff = async (actor: Actor, code: string): Promise<HandoffDoc> => {
    const h = await deps.handoff.get(code);
    if (!h) throw notFound("handoff");
    assertUnit(actor, h.unit);
    return h;
  };
  /** Service errors as HTTP ones; a missing rejection reason points at its field. */
  const feedbackCall = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      if (err instanceof FeedbackError) {
        if (err.code === "REASON_REQUIRED")
          throw new ValidationError([{ path: "reason", message: err.message, code: "reason_required" }], err);
        throw new AppError(err.code, err.status, `errors:feedback.${err.code}`, err.message);
      }
      throw err;
    }
  };
  const staffAccount = async (actor: Actor, id: string): Promise<StaffDoc> => {
    const s = await deps.staff.get(id);
    if (!s) throw notFound("account");
    if (!mayManageStaff(actor, s)) throw outOfScope("This account belongs to units outside your scope");
    return s;
  };
  /** The submitted account stays within the actor's units and role. */
  const grantable = (actor: Actor, role: StaffRole, units: string[]) => {
    if (!unitsWithin(actor, units))
      throw new ValidationError([
        { path: "units", message: "choose only your own units", code: "units_out_of_scope" },
      ]);
    if (!roleWithin(actor, role))
      throw new ValidationError([
        { path: "role", message: "a role beyond your own", code: "role_out_of_scope" },
      ]);
  };
  const password = (value: string, username: string, field = "password") => {
    const r = newPasswordSchema(username).safeParse(value);
    if (!r.success) throw new ValidationError(fieldIssues(r.error).map((i) => ({ ...i, path: field })));
    return r.data;
  };

  type Impl = { [N in StaffActionName]: (actor: Actor, input: Parsed<N>) => Promise<ActionResults[N]> };
  const impl: Impl = {
    async "ticket.reply"(actor, i) {
      const t = await ticket(actor, i.code);
      const after = await feedbackCall(() => deps.feedback.reply(t.code, nameOf(actor, i.by), i.text));
      await audit.record(
        actor,
        "ticket.reply",
        `tickets/${t.code}`,
        { status: t.status },
        {
          status: after.status,
          reply: i.text,
        },
      );
      return after;
    },
    async "ticket.status"(actor, i) {
      const t = await ticket(actor, i.code);
      const reason = i.reason || undefined;
      const after = await feedbackCall(() =>
        deps.feedback.setStatus(t.code, i.status, nameOf(actor, i.by), reason),
      );
      await audit.record(
        actor,
        "ticket.status",
        `tickets/${t.code}`,
        { status: t.status },
        {
          status: after.status,
          reason: reason ?? null,
        },
      );
      return after;
    },
    async "ticket.assign"(actor, i) {
      const t = await ticket(actor, i.code);
      // Only a colleague who handles this ticket's unit can be given it.
      const handlers = (await deps.staff.list()).filter(
        (s) =>
          s.active &&
          can(s, "tickets.handle") &&
          (t.unit ? s.units.includes(t.unit) || !s.units.length : !s.units.length),
      );
      if (!handlers.some((s) => s.username === i.assignee))
        throw new ValidationError([
          { path: "assignee", message: "not a handler of this unit", code: "not_handler" },
        ]);
      const after = await feedbackCall(() => deps.feedback.assign(t.code, i.assignee, nameOf(actor, i.by)));
      await audit.record(
        actor,
        "ticket.assign",
        `tickets/${t.code}`,
        { assignee: t.assignee ?? null },
        {
          assignee: after.assignee ?? null,
        },
      );
      return after;
    },
    async "ticket.publishFaq"(actor, i) {
      const t = await ticket(actor, i.code);
      // The FAQ takes the ticket's unit: the submitted item must be one the actor may edit.
      if (!mayEditContent(actor, "faqs", { unit: t.unit })) throw outOfScope();
      const slug = await feedbackCall(() =>
        deps.feedback.publishFaq(t.code, { question: i.question, answer: i.answer }),
      );
      await audit.record(actor, "faq.publish", `faqs/${slug}`, null, {
        from: t.code,
        question: i.question,
        answer: i.answer,
      });
      return { slug };
    },
    async "announcement.create"(actor, i) {
      if (!audienceInScope(actor, i.audience.units))
        throw new ValidationError([
          { path: "audience.units", message: "choose only your own units", code: "units_out_of_scope" },
        ]);
      const a = await deps.broadcast.create(i, actor.via === "token" ? "api" : actor.username);
      await audit.record(actor, "announcement.create", `announcements/${String(a._id)}`, null, i);
      return a;
    },
    async "announcement.update"(actor, i) {
      await announcement(actor, i.id);
      if (!audienceInScope(actor, i.announcement.audience.units))
        throw new ValidationError([
          { path: "audience.units", message: "choose only your own units", code: "units_out_of_scope" },
        ]);
      const changed = await deps.broadcast.update(i.id, i.announcement);
      if (!changed)
        throw conflict("BAD_TRANSITION", "This announcement has started and can no longer be edited");
      await audit.record(
        actor,
        "announcement.update",
        `announcements/${i.id}`,
        editedFields(changed.before),
        editedFields(changed.after),
      );
      return changed.after;
    },
    "announcement.sendNow": (actor, i) => transition(actor, "sendNow", i.id),
    "announcement.pause": (actor, i) => transition(actor, "pause", i.id),
    "announcement.resume": (actor, i) => transition(actor, "resume", i.id),
    "announcement.cancel": (actor, i) => transition(actor, "cancel", i.id),
    async "handoff.claim"(actor, i) {
      const h = await handoff(actor, i.code);
      const r = await deps.handoff.claim(h._id, staffRef(actor));
      if (r === "not-found") throw notFound("handoff");
      if (r === "closed") throw conflict("BAD_TRANSITION", "This conversation has ended");
      if (r === "claimed") await audit.record(actor, "handoff.claim", `handoffs/${h._id}`);
      return r;
    },
    async "handoff.reply"(actor, i) {
      const h = await handoff(actor, i.code);
      const r = await deps.handoff.reply(h._id, staffRef(actor), { text: i.text });
      if (r === "not-found") throw notFound("handoff");
      if (r === "closed") throw conflict("BAD_TRANSITION", "This conversation has ended");
      if (r === "sent") await audit.record(actor, "handoff.reply", `handoffs/${h._id}`);
      return r;
    },
    async "handoff.close"(actor, i) {
      const h = await handoff(actor, i.code);
      const ok = await deps.handoff.close(h._id, "staff", staffRef(actor));
      if (ok) await audit.record(actor, "handoff.close", `handoffs/${h._id}`);
      return ok;
    },
    async "content.save"(actor, i) {
      try {
        const r = await contentActions.save(actor, i.kind, i.key, i.data);
        return { changed: r.changed };
      } catch (err) {
        if (err instanceof ContentEditError) throw new ValidationError(err.issues);
        throw err;
      }
    },
    async "content.verify"(actor, i) {
      const stored = (await deps.content.models[i.kind].findOne({ key: i.key }).lean())?.data;
      if (!stored) throw notFound("content item");
      // Shared content is verified at province level; a ward's editors verify their own unit's items.
      if (!mayEditContent(actor, i.kind, stored)) throw outOfScope();
      let after: Record<string, unknown>;
      try {
        after = applyVerification(stored, i, actor.username, (deps.now ?? (() => new Date()))());
      } catch (err) {
        throw new ValidationError([{ path: "field", message: (err as Error).message }]);
      }
      const r = await saveItem(deps.content.models, i.kind, i.key, after);
      if (r.changed) {
        await deps.content.reload();
        await audit.record(
          actor,
          i.verified ? "content.verify" : "content.unverify",
          `${i.kind}/${i.key}#${i.field}`,
          r.before,
          r.after,
        );
      }
      return { changed: r.changed };
    },
    async "staff.create"(actor, i) {
      grantable(actor, i.role, i.units);
      const pw = password(i.password, i.username);
      try {
        // Set by someone else: the new colleague chooses their own at first sign-in.
        const s = await deps.staff.create({ ...i, password: pw }, { mustChangePassword: true });
        await audit.record(actor, "staff.create", `staff/${s.username}`, null, s);
        return s;
      } catch (err) {
        if ((err as { code?: number }).code === 11000)
          throw new ValidationError([{ path: "username", message: "taken", code: "taken" }]);
        throw err;
      }
    },
    async "staff.update"(actor, i) {
      const s = await staffAccount(actor, i.id);
      const self = actor.staffId === String(s._id);
      if (self && (i.role !== s.role || !sameSet(i.units, s.units) || !i.active))
        throw conflict("SELF_CHANGE", "You cannot change your own role, units or access");
      grantable(actor, i.role, i.units);
      const pw = i.password ? password(i.password, s.username) : undefined;
      const r = await deps.staff.update(i.id, { role: i.role, units: i.units, active: i.active });
      if (!r) throw notFound("account");
      if (pw) await deps.staff.setPassword(i.id, pw, { mustChange: !self });
      await audit.record(actor, "staff.update", `staff/${r.after.username}`, r.before, {
        ...r.after,
        passwordChanged: Boolean(pw),
      });
      return r.after;
    },
    async "staff.password"(actor, i) {
      if (!actor.staffId)
        throw new AppError("FORBIDDEN", 403, "errors:http.forbidden", "Sign in as a person");
      if (!(await deps.staff.checkPassword(actor.staffId, i.current)))
        throw new ValidationError([{ path: "current", message: "wrong password", code: "wrong_password" }]);
      const pw = password(i.password, actor.username);
      if (pw === i.current)
        throw new ValidationError([
          { path: "password", message: "the same as before", code: "same_password" },
        ]);
      await deps.staff.setPassword(actor.staffId, pw, { mustChange: false });
      await audit.record(actor, "staff.password", `staff/${actor.username}`);
      return { ok: true };
    },
    async "citizen.export"(actor, i) {
      await citizenInScope(actor, i.channel, i.chatId);
      // The chat id itself is personal data: the audit names only the channel.
      await audit.record(actor, "citizen.export", `citizens/${i.channel}`);
      return deps.citizens.export(i.channel, i.chatId);
    },
    async "citizen.erase"(actor, i) {
      await citizenInScope(actor, i.channel, i.chatId);
      await deps.citizens.erase(i.channel, i.chatId);
      await audit.record(actor, "citizen.erase", `citizens/${i.channel}`);
      return { ok: true };
    },
  };

  async function transition(actor: Actor, action: "pause" | "resume" | "cancel" | "sendNow", id: string) {
    const a = await announcement(actor, id);
    if (!(await deps.broadcast[action](id)))
      throw conflict("BAD_TRANSITION", `Cannot ${action} this announcement now`);
    await audit.record(actor, `announcement.${action}`, `announcements/${id}`, { status: a.status });
    return { ok: true as const };
  }

  /** A ward's staff reach a citizen only when all of the chat's data lies in their units. */
  async function citizenInScope(actor: Actor, channel: ChannelName, chatId: string) {
    if (!actor.units.length) return;
    const units = await deps.citizens.unitsOf(channel, chatId);
    if (!units.length || !units.every((u) => actor.units.includes(u))) throw outOfScope();
  }

  return {
    async run(actor, name, input) {
      const spec = STAFF_ACTIONS[name];
      // The role first: a role without the permission learns nothing about the input.
      if (spec.permission !== "signed-in" && !can(actor, spec.permission))
        throw new AppError(
          "FORBIDDEN",
          403,
          "errors:http.forbidden",
          `Your role may not do this (${spec.permission})`,
        );
      const parsed = parseInput(spec.input, input) as Parsed<typeof name>;
      const f = impl[name] as (
        actor: Actor,
        input: Parsed<typeof name>,
      ) => Promise<ActionResults[typeof name]>;
      return f(actor, parsed);
    },
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** What an announcement edit changed, in the fields staff set (for the audit's before → after). */
function editedFields(a: AnnouncementDoc) {
  return {
    title: a.title,
    body: a.body,
    link: a.link ?? null,
    audience: a.audience,
    urgent: a.urgent,
    schedule: a.schedule,
    status: a.status,
  };
}
