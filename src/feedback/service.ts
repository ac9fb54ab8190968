/**
 * Feedback (phản ánh kiến nghị) and satisfaction: tickets with yearly codes, the staff lifecycle with
 * pushes to the citizen's chat, FAQ publication with consent, ratings and the satisfaction index, and
 * the citizen's data rights (export, deletion).
 */
import crypto from "node:crypto";
import type { Connection } from "mongoose";
import { ratingButtons } from "../core/cards.js";
import type { Senders } from "../channels/outbound/sender.js";
import type { FeedbackPort, NewTicket, TicketView } from "../core/ports.js";
import type { ChannelName, Lang, Reply } from "../core/types.js";
import type { Translator } from "../i18n.js";
import { VN_OFFSET_MS } from "../vn-time.js";
import type { Logger } from "../logger.js";
import { contentModels } from "../store/models/content.js";
import { ratingModel, SIPAS_ELEMENTS, type RatingDoc } from "../store/models/rating.js";
import { subscriberModel } from "../store/models/subscriber.js";
import { sessionModel } from "../store/models/session.js";
import {
  counterModel,
  ticketModel,
  TICKET_CATEGORIES,
  type TicketCategory,
  type TicketDoc,
  type TicketStatus,
} from "../store/models/ticket.js";
import { trusted } from "../store/trusted.js";

/** A ticket code: PA-2026-000123. */
export const TICKET_CODE = /\bPA-(\d{4})-(\d{6})\b/i;

/** Which status may follow which (staff actions). */
const TRANSITIONS: Record<TicketStatus, TicketStatus[]> = {
  received: ["in_progress", "answered", "rejected", "closed"],
  in_progress: ["answered", "rejected", "closed"],
  answered: ["in_progress", "closed"],
  closed: ["in_progress"],
  rejected: ["in_progress"],
};

/** A staff-side failure with a stable code and HTTP status. */
export class FeedbackError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "BAD_TRANSITION" | "NO_CONSENT" | "REASON_REQUIRED",
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "FeedbackError";
  }
}

/** One group of the satisfaction index. */
export interface SatisfactionRow {
  group: string;
  n: number;
  /** Share of "Rất hài lòng" and "Hài lòng" (scores 5 and 4). */
  index: number;
  breakdown: Record<"1" | "2" | "3" | "4" | "5", number>;
  sipas: Record<string, number>;
}

export type SatisfactionGroup = "unit" | "channel" | "field" | "month" | "quarter";

export interface FeedbackService extends FeedbackPort {
  list(q: {
    status?: TicketStatus;
    /** One unit, or any of several (a scoped staff member's units). */
    unit?: string | string[];
    overdue?: boolean;
    limit?: number;
  }): Promise<TicketDoc[]>;
  /**
   * The inbox: filters, search and sort run in the store query, then one page of `limit` is read,
   * with the total that matched (so nothing is silently cut off).
   */
  search(q: TicketQuery): Promise<{ items: TicketDoc[]; total: number }>;
  get(code: string): Promise<TicketDoc | undefined>;
  reply(code: string, by: string, text: string): Promise<TicketDoc>;
  setStatus(code: string, status: TicketStatus, by: string, reason?: string): Promise<TicketDoc>;
  assign(code: string, assignee: string, by: string): Promise<TicketDoc>;
  publishFaq(code: string, qa: { question: string; answer: string }): Promise<string>;
  /** Ratings grouped by `by`; `unit` keeps one unit's or (a list) those units' ratings. */
  satisfaction(q: {
    from: Date;
    to: Date;
    unit?: string | string[] | undefined;
    by: SatisfactionGroup;
  }): Promise<SatisfactionRow[]>;
  exportCitizen(channel: ChannelName, chatId: string): Promise<Record<string, unknown>>;
  /** Removes identity from tickets and ratings of a chat; ticket content stays, anonymous. */
  anonymiseChat(channel: ChannelName, chatId: string): Promise<void>;
  /** Drops contact details of tickets closed more than `retentionDays` ago. */
  purgeContacts(): Promise<number>;
}

/** What the staff inbox asks for. */
export interface TicketQuery {
  /** A ticket code (or part of one), words of the text, or a phone number (any spacing). */
  text?: string | undefined;
  status?: TicketStatus | undefined;
  /** One unit, or any of several (a scoped staff member's units). */
  unit?: string | string[] | undefined;
  category?: TicketCategory | undefined;
  overdue?: boolean | undefined;
  /** A username; `""` for tickets nobody has taken. */
  assignee?: string | undefined;
  sort?: "newest" | "oldest" | "due" | undefined;
  skip?: number | undefined;
  limit?: number | undefined;
}

/** Escapes text for a literal match inside a regular expression. */
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export interface FeedbackDeps {
  connection: Connection;
  senders: Senders;
  t: Translator;
  logger: Logger;
  salt: string;
  dueDays: number;
  contactRetentionDays: number;
  now?: () => Date;
  /** Called after a ticket is filed (e.g. to tell the unit's staff group); failures are logged. */
  onFiled?: (ticket: {
    code: string;
    unit: string | undefined;
    category: TicketCategory;
    text: string;
  }) => Promise<void>;
  /** Called after a FAQ is published, to rebuild the search index. */
  onContentChange?: () => Promise<void>;
}

/** Creates the service, e.g. `createFeedbackService({ connection, senders, t, logger, … })`. */
export function createFeedbackService(deps: FeedbackDeps): FeedbackService {
  const Tickets = ticketModel(deps.connection);
  const Counters = counterModel(deps.connection);
  const Ratings = ratingModel(deps.connection);
  const now = deps.now ?? (() => new Date());
  const { t, logger } = deps;
  const chatHash = (channel: string, chatId: string) =>
    crypto.createHmac("sha256", deps.salt).update(`${channel}:${chatId}`).digest("hex").slice(0, 32);

  async function push(ticket: TicketDoc, reply: Reply): Promise<void> {
    if (!ticket.chatId) return;
    const sender = deps.senders[ticket.channel as ChannelName];
    if (!sender) return;
    const outcome = await sender.send(ticket.chatId, reply, "reply");
    if (outcome.status !== "sent")
      logger.warn({ code: ticket.code, status: outcome.status }, "ticket update not delivered");
  }

  function statusText(lang: Lang, status: TicketStatus): string {
    return t(lang, `feedback.status.${status}`);
  }

  async function load(code: string): Promise<TicketDoc> {
    const doc = await Tickets.findOne({ code: code.toUpperCase() }).lean();
    if (!doc) throw new FeedbackError("NOT_FOUND", 404, `No ticket ${code}`);
    return doc;
  }

  return {
    async ticketsSince(channel, chatId, since) {
      return Tickets.countDocuments({ channel, chatId, createdAt: trusted({ $gte: since }) });
    },

    async fileTicket(input: NewTicket) {
      const at = now();
      const year = new Date(at.getTime() + VN_OFFSET_MS).getUTCFullYear();
      const counter = await Counters.findOneAndUpdate(
        { _id: `ticket:${year}` },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: "after" },
      ).lean();
      const code = `PA-${year}-${String(counter.seq).padStart(6, "0")}`;
      const category: TicketCategory = (TICKET_CATEGORIES as readonly string[]).includes(input.category)
        ? (input.category as TicketCategory)
        : "khac";
      const consentContact =
        input.contact && input.contactConsentVersion
          ? { version: input.contactConsentVersion, at }
          : undefined;
      await Tickets.create({
        code,
        unit: input.unit,
        channel: input.channel,
        chatId: input.chatId,
        lang: input.lang,
        category,
        text: input.text.slice(0, 2000),
        photo: input.photo,
        // Contact details are kept only with the explicit consent step.
        contact: consentContact ? input.contact : undefined,
        consent: { contact: consentContact, publish: input.publishConsent },
        hidden: true,
        status: "received",
        dueAt: new Date(at.getTime() + deps.dueDays * 24 * 3600_000),
        history: [{ at, status: "received", by: "citizen" }],
        replies: [],
      });
      if (deps.onFiled)
        await deps
          .onFiled({ code, unit: input.unit, category, text: input.text })
          .catch((err: unknown) => logger.warn({ err, code }, "new-ticket notice not sent"));
      return { code };
    },

    async ticket(code, channel, chatId) {
      const doc = await Tickets.findOne({ code: code.toUpperCase() }).lean();
      if (!doc) return undefined;
      const own = doc.channel === channel && doc.chatId === chatId;
      const view: TicketView = {
        code: doc.code,
        status: doc.status,
        category: doc.category,
        createdAt: doc.createdAt,
        dueAt: doc.dueAt,
        rejectReason: own ? doc.rejectReason : undefined,
        replies: own ? doc.replies.map((r) => ({ at: r.at, text: r.text })) : [],
        own,
      };
      return view;
    },

    async rate(r) {
      const hash = chatHash(r.channel, r.chatId);
      const existing = await Ratings.findOne({
        chatHash: hash,
        "target.kind": r.target.kind,
        "target.id": r.target.id ?? null,
      }).lean();
      if (existing && r.target.kind !== "service") return "duplicate";
      let field: string | undefined;
      if (r.target.kind === "procedure" && r.target.id) {
        field = (await contentModels(deps.connection).procedures.findOne({ key: r.target.id }).lean())?.data
          .field as string | undefined;
      }
      const doc = await Ratings.create({
        unit: r.unit,
        channel: r.channel,
        target: r.target,
        field,
        score: Math.min(5, Math.max(1, Math.round(r.score))),
        chatHash: hash,
        sipas: {},
        at: now(),
      });
      return { id: String(doc._id) };
    },

    async comment(id, text) {
      if (!/^[0-9a-f]{24}$/.test(id)) return;
      await Ratings.updateOne({ _id: id }, { $set: { comment: text.slice(0, 500) } });
    },

    async sipas(id, element, score) {
      if (!/^[0-9a-f]{24}$/.test(id) || !(SIPAS_ELEMENTS as readonly string[]).includes(element)) return;
      await Ratings.updateOne(
        { _id: id },
        { $set: { [`sipas.${element}`]: Math.min(5, Math.max(1, Math.round(score))) } },
      );
    },

    async list(q) {
      const filter: Record<string, unknown> = {};
      if (q.status) filter.status = q.status;
      if (q.unit) filter.unit = Array.isArray(q.unit) ? trusted({ $in: q.unit }) : q.unit;
      if (q.overdue) {
        filter.status = trusted({ $in: ["received", "in_progress"] });
        filter.dueAt = trusted({ $lt: now() });
      }
      return Tickets.find(filter)
        .sort({ createdAt: -1 })
        .limit(Math.min(q.limit ?? 100, 500))
        .lean();
    },

    async search(q) {
      const and: Array<Record<string, unknown>> = [];
      if (q.status) and.push({ status: q.status });
      if (q.unit) and.push({ unit: Array.isArray(q.unit) ? trusted({ $in: q.unit }) : q.unit });
      if (q.category) and.push({ category: q.category });
      if (q.overdue)
        and.push({ status: trusted({ $in: ["received", "in_progress"] }), dueAt: trusted({ $lt: now() }) });
      if (q.assignee !== undefined)
        and.push(q.assignee ? { assignee: q.assignee } : { assignee: trusted({ $in: [null, ""] }) });
      const text = (q.text ?? "").trim().normalize("NFC").slice(0, 100);
      if (text) {
        const or: Array<Record<string, unknown>> = [
          { code: trusted({ $regex: literal(text), $options: "i" }) },
          { text: trusted({ $regex: literal(text), $options: "i" }) },
        ];
        const digits = text.replace(/\D/g, "");
        // A phone typed with spaces or dots still finds "0905123456" (and the reverse).
        if (digits.length >= 4 && digits.length >= text.replace(/[\s.+()-]/g, "").length)
          or.push({ "contact.phone": trusted({ $regex: digits.split("").join("\\D*"), $options: "i" }) });
        and.push({ $or: or });
      }
      // `$and`/`$or` pass the connection's sanitizeFilter; each condition inside is marked trusted.
      const filter = and.length ? { $and: and } : {};
      const sort: Record<string, 1 | -1> =
        q.sort === "oldest"
          ? { createdAt: 1 }
          : q.sort === "due"
            ? { dueAt: 1, createdAt: 1 }
            : { createdAt: -1 };
      const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
      const [items, total] = await Promise.all([
        Tickets.find(filter)
          .sort(sort)
          .skip(Math.max(q.skip ?? 0, 0))
          .limit(limit)
          .lean(),
        Tickets.countDocuments(filter),
      ]);
      return { items, total };
    },

    async get(code) {
      return (await Tickets.findOne({ code: code.toUpperCase() }).lean()) ?? undefined;
    },

    async reply(code, by, text) {
      const doc = await load(code);
      const at = now();
      const status: TicketStatus =
        doc.status === "received" || doc.status === "in_progress" ? "answered" : doc.status;
      const updated = await Tickets.findOneAndUpdate(
        { _id: doc._id },
        {
          $push: {
            replies: { at, by, text },
            ...(status !== doc.status ? { history: { at, status, by } } : {}),
          },
          $set: { status },
        },
        { returnDocument: "after" },
      ).lean();
      await push(updated!, {
        text: `${t(doc.lang, "feedback.replyPush", { code: doc.code })}\n\n${text.replace(/\*\*/g, "*")}`,
        buttons: [[{ kind: "action", label: t(doc.lang, "feedback.lookup"), payload: `tk:${doc.code}` }]],
      });
      return updated!;
    },

    async setStatus(code, status, by, reason) {
      const doc = await load(code);
      if (status === "rejected" && !reason?.trim())
        throw new FeedbackError("REASON_REQUIRED", 400, "A rejection needs a reason");
      if (!TRANSITIONS[doc.status].includes(status)) {
        throw new FeedbackError("BAD_TRANSITION", 409, `A ${doc.status} ticket cannot become ${status}`);
      }
      const at = now();
      const updated = await Tickets.findOneAndUpdate(
        { _id: doc._id, status: doc.status },
        {
          $set: {
            status,
            ...(status === "rejected" ? { rejectReason: reason } : {}),
            ...(status === "closed" ? { closedAt: at } : {}),
          },
          $push: { history: { at, status, by, note: reason } },
        },
        { returnDocument: "after" },
      ).lean();
      if (!updated) throw new FeedbackError("BAD_TRANSITION", 409, "The ticket changed meanwhile; reload it");
      const lines = [
        t(doc.lang, "feedback.statusPush", { code: doc.code, status: statusText(doc.lang, status) }),
      ];
      if (status === "rejected" && reason) lines.push(t(doc.lang, "feedback.reason", { reason }));
      if (status === "closed") lines.push("", t(doc.lang, "rating.ask"));
      await push(updated, {
        text: lines.join("\n"),
        buttons: status === "closed" ? ratingButtons(doc.lang, t, "t", doc.code) : undefined,
      });
      return updated;
    },

    async assign(code, assignee, by) {
      const doc = await load(code);
      const at = now();
      const status: TicketStatus = doc.status === "received" ? "in_progress" : doc.status;
      const updated = await Tickets.findOneAndUpdate(
        { _id: doc._id },
        {
          $set: { assignee, status },
          $push: { history: { at, status, by, note: `assigned to ${assignee}` } },
        },
        { returnDocument: "after" },
      ).lean();
      if (status !== doc.status)
        await push(updated!, {
          text: t(doc.lang, "feedback.statusPush", { code: doc.code, status: statusText(doc.lang, status) }),
        });
      return updated!;
    },

    async publishFaq(code, qa) {
      const doc = await load(code);
      if (!doc.consent.publish)
        throw new FeedbackError("NO_CONSENT", 409, "The citizen did not agree to publication");
      const slug = `hoi-dap-${doc.code.toLowerCase()}`;
      const data = {
        slug,
        question: qa.question,
        answer: qa.answer,
        aliases: [],
        related: [],
        ...(doc.unit ? { unit: doc.unit } : {}),
      };
      await contentModels(deps.connection).faqs.updateOne(
        { key: slug },
        {
          $set: {
            data,
            hash: crypto.createHash("sha256").update(JSON.stringify(data)).digest("hex").slice(0, 32),
            origin: "console",
          },
        },
        { upsert: true },
      );
      await Tickets.updateOne({ _id: doc._id }, { $set: { publishedFaq: slug } });
      await deps.onContentChange?.();
      return slug;
    },

    async satisfaction(q) {
      const filter: Record<string, unknown> = { at: trusted({ $gte: q.from, $lt: q.to }) };
      if (q.unit) filter.unit = Array.isArray(q.unit) ? trusted({ $in: q.unit }) : q.unit;
      const rows = (await Ratings.find(filter, {
        unit: 1,
        channel: 1,
        field: 1,
        score: 1,
        sipas: 1,
        at: 1,
      }).lean()) as RatingDoc[];
      const groups = new Map<string, RatingDoc[]>();
      for (const r of rows) {
        const local = new Date(r.at.getTime() + VN_OFFSET_MS);
        const key =
          q.by === "unit"
            ? (r.unit ?? "-")
            : q.by === "channel"
              ? r.channel
              : q.by === "field"
                ? (r.field ?? "-")
                : q.by === "month"
                  ? `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, "0")}`
                  : `${local.getUTCFullYear()}-Q${Math.floor(local.getUTCMonth() / 3) + 1}`;
        // Appended in place: copying the group per rating was quadratic over a period's ratings.
        const group = groups.get(key);
        if (group) group.push(r);
        else groups.set(key, [r]);
      }
      return [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([group, rs]) => {
          const breakdown = { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 } as SatisfactionRow["breakdown"];
          for (const r of rs) breakdown[String(r.score) as keyof typeof breakdown]++;
          const sipas: Record<string, number> = {};
          for (const el of SIPAS_ELEMENTS) {
            const vals = rs.map((r) => r.sipas?.[el]).filter((v): v is number => typeof v === "number");
            if (vals.length) sipas[el] = Number((vals.reduce((a, b) => a + b, 0) / vals.length).toFixed(2));
          }
          return {
            group,
            n: rs.length,
            index: Number(((breakdown["4"] + breakdown["5"]) / rs.length).toFixed(4)),
            breakdown,
            sipas,
          };
        });
    },

    async exportCitizen(channel, chatId) {
      const [subscriber, session, tickets] = await Promise.all([
        subscriberModel(deps.connection).findOne({ channel, chatId }, { _id: 0, __v: 0 }).lean(),
        sessionModel(deps.connection).findById(`${channel}:${chatId}`).lean(),
        Tickets.find({ channel, chatId }, { _id: 0, __v: 0 }).lean(),
      ]);
      const ratings = await Ratings.find(
        { chatHash: chatHash(channel, chatId) },
        { _id: 0, chatHash: 0 },
      ).lean();
      return {
        channel,
        chatId,
        exportedAt: now().toISOString(),
        subscriber,
        session: session?.data ?? null,
        tickets,
        ratings,
      };
    },

    async anonymiseChat(channel, chatId) {
      await Tickets.updateMany(
        { channel, chatId },
        { $unset: { chatId: "", contact: "", "consent.contact": "" } },
      );
      await Ratings.updateMany({ chatHash: chatHash(channel, chatId) }, { $unset: { chatHash: "" } });
    },

    async purgeContacts() {
      const cutoff = new Date(now().getTime() - deps.contactRetentionDays * 24 * 3600_000);
      const r = await Tickets.updateMany(
        {
          status: trusted({ $in: ["closed", "rejected"] }),
          closedAt: trusted({ $lt: cutoff }),
          contact: trusted({ $exists: true }),
        },
        { $unset: { contact: "" } },
      );
      return r.modifiedCount;
    },
  };
}
