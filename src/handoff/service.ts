/**
 * Talking to a person: a queue per unit with places and expected waits, atomic claims by staff,
 * relaying both ways through the outbound limiters, closing by staff, citizen or idle timeout, and
 * the figures the outreach reports need.
 */
import crypto from "node:crypto";
import type { Connection } from "mongoose";
import type { Senders } from "../channels/outbound/sender.js";
import { ratingButtons } from "../core/cards.js";
import { isOpen, nextOpening } from "../core/hours.js";
import type { HandoffPort, HandoffState, UnitInfo } from "../core/ports.js";
import type { ChannelName, Lang, Reply } from "../core/types.js";
import type { HandoffFigures } from "../reports/service.js";
import type { Translator } from "../i18n.js";
import type { Logger } from "../logger.js";
import { handoffModel, type HandoffDoc, type HandoffEndReason } from "../store/models/handoff.js";
import { ratingModel } from "../store/models/rating.js";
import { staffPresenceModel } from "../store/models/staff-presence.js";
import { trusted } from "../store/trusted.js";
import type { PhotoRef, StaffDesk, StaffInbound, StaffRef } from "./ports.js";

/** Handling time assumed before a unit has any history (minutes). */
export const DEFAULT_HANDLING_MINUTES = 6;
/** Minutes a unit counts as staffed after a staff member's last action (console or staff group). */
export const ON_DUTY_MINUTES = 30;
/** Longest wait the citizen is ever told (minutes); beyond it they are told "more than". */
export const MAX_ETA_MINUTES = 60;
/** How often a process re-reads who is on duty from the store (other processes, a restart). */
export const PRESENCE_REFRESH_MS = 60_000;
/** A unit's presence is written to the store at most this often (every action refreshes memory). */
const PRESENCE_WRITE_MS = 60_000;
/** Closed requests whose handling times feed the wait estimate. */
const HISTORY = 20;
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** Figures for the outreach reports, in the shape the report asks for. */
export type HandoffStats = HandoffFigures;

export interface HandoffService extends HandoffPort {
  /** For the staff channel: messages and buttons from staff chats. */
  readonly inbound: StaffInbound;
  /** Connects the staff desk once the Telegram channel exists. */
  setDesk(desk: StaffDesk | undefined): void;
  claim(id: string, staff: StaffRef): Promise<"claimed" | "yours" | "taken" | "closed" | "not-found">;
  /** Relays a staff reply to the citizen; claims a waiting request first. */
  reply(
    id: string,
    staff: StaffRef,
    m: { text?: string | undefined; photo?: PhotoRef | undefined },
  ): Promise<"sent" | "not-owner" | "closed" | "not-found" | "undelivered" | "photo-unsupported">;
  close(id: string, reason: HandoffEndReason, staff?: StaffRef): Promise<boolean>;
  /** Closes idle conversations and expired waits; returns how many of each. */
  sweep(): Promise<{ idle: number; expired: number }>;
  get(id: string): Promise<HandoffDoc | undefined>;
  list(q: {
    /** One unit, or any of several (a scoped staff member's units). */
    unit?: string | string[] | undefined;
    status?: HandoffDoc["status"] | undefined;
    /** A code (or part of one) or words of the citizen's recent questions. */
    text?: string | undefined;
    /** Oldest first (the waiting queue's order) instead of newest first. */
    oldestFirst?: boolean;
    skip?: number;
    limit?: number;
  }): Promise<HandoffDoc[]>;
  /** How many requests match (the same filters as `list`, without paging). */
  count(q: {
    unit?: string | string[] | undefined;
    status?: HandoffDoc["status"] | undefined;
    text?: string | undefined;
  }): Promise<number>;
  stats(q: { from: Date; to: Date; unit?: string | undefined }): Promise<HandoffStats>;
  exportChat(channel: ChannelName, chatId: string): Promise<Array<Record<string, unknown>>>;
  anonymiseChat(channel: ChannelName, chatId: string): Promise<void>;
  /**
   * Records that a staff member of these units (of every unit, for an unscoped account) is at work now:
   * seen in the console queue or the staff group.
   */
  staffSeen(units?: string | readonly string[]): void;
  /** Re-reads who is on duty from the store now (done by itself every PRESENCE_REFRESH_MS). */
  refreshPresence(): Promise<void>;
}

export interface HandoffDeps {
  connection: Connection;
  senders: Senders;
  t: Translator;
  logger: Logger;
  /** Staff Telegram group chat id of each unit. */
  groups: Readonly<Record<string, string>>;
  /** Units whose queue is also answered in the staff console: every unit, or these. */
  consoleUnits?: "all" | readonly string[];
  idleMinutes: number;
  waitMaxMinutes: number;
  /** Show staff first names to citizens (otherwise the role name only). */
  showStaffNames: boolean;
  units(): UnitInfo[];
  now?: () => Date;
}

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

const OPEN = ["waiting", "active"];

/** Creates the service, e.g. `createHandoffService({ connection, senders, t, logger, groups, … })`. */
export function createHandoffService(deps: HandoffDeps): HandoffService {
  const Handoffs = handoffModel(deps.connection);
  const Ratings = ratingModel(deps.connection);
  const now = deps.now ?? (() => new Date());
  const { t, logger } = deps;
  const staffChats = new Set(Object.values(deps.groups));
  let desk: StaffDesk | undefined;

  const unitOf = (id: string | undefined) => deps.units().find((u) => u.id === id);
  /**
   * When a staff member of each unit last acted: kept in memory for the synchronous availability
   * check, written to the store (at most once a minute per unit) and re-read from it every minute,
   * so all processes of a deployment, and one just restarted, agree on who is on duty.
   */
  const Presence = staffPresenceModel(deps.connection);
  const lastSeen = new Map<string, number>();
  const written = new Map<string, number>();
  let readAt = -Infinity;
  let reading: Promise<void> | undefined;
  const remember = (unit: string, at: number) => lastSeen.set(unit, Math.max(lastSeen.get(unit) ?? 0, at));
  const seen = (units?: string | readonly string[]) => {
    const ids =
      units === undefined ? deps.units().map((u) => u.id) : typeof units === "string" ? [units] : units;
    const at = now().getTime();
    for (const u of ids) {
      remember(u, at);
      if (at - (written.get(u) ?? -Infinity) < PRESENCE_WRITE_MS) continue;
      written.set(u, at);
      Presence.updateOne({ _id: u }, { $max: { at: new Date(at) } }, { upsert: true })
        .exec()
        .catch((err: unknown) => logger.warn({ err, unit: u }, "handoff: could not record staff presence"));
    }
  };
  /** Re-reads presence from the store; at most one read at a time. */
  function refreshPresence(): Promise<void> {
    readAt = now().getTime();
    reading ??= Presence.find({}, { at: 1 })
      .lean()
      .exec()
      .then((docs) => {
        for (const d of docs) remember(d._id, new Date(d.at).getTime());
      })
      .catch((err: unknown) => logger.warn({ err }, "handoff: could not read staff presence"))
      .finally(() => {
        reading = undefined;
      });
    return reading;
  }
  void refreshPresence();
  const onDuty = (unit: string, at: Date) => {
    // The check must answer now; a stale view is refreshed for the next one.
    if (now().getTime() - readAt >= PRESENCE_REFRESH_MS) void refreshPresence();
    return at.getTime() - (lastSeen.get(unit) ?? -Infinity) <= ON_DUTY_MINUTES * 60_000;
  };
  const unitOfGroup = (chatId: string) => Object.keys(deps.groups).find((u) => deps.groups[u] === chatId);
  const openKey = (channel: string, chatId: string) => `${channel}:${chatId}`;

  function staffLabel(lang: Lang, staff: HandoffDoc["staff"]): string {
    const role = t(lang, "handoff.staffRole");
    return deps.showStaffNames && staff?.label ? `${role} ${staff.label}` : role;
  }

  function newCode(): string {
    const bytes = crypto.randomBytes(6);
    return `H${[...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("")}`;
  }

  async function position(doc: HandoffDoc): Promise<number> {
    const ahead = await Handoffs.countDocuments({
      unit: doc.unit,
      status: "waiting",
      createdAt: trusted({ $lt: doc.createdAt }),
    });
    return ahead + 1;
  }

  /** Minutes until a staff member is likely free for the citizen at `pos`, from recent handling times. */
  async function eta(unit: string, pos: number): Promise<number> {
    const recent = await Handoffs.find({ unit, status: "closed", claimedAt: trusted({ $exists: true }) })
      .sort({ closedAt: -1 })
      .limit(HISTORY)
      .select({ claimedAt: 1, closedAt: 1 })
      .lean();
    const durations = recent
      .map((d) => (d.closedAt && d.claimedAt ? d.closedAt.getTime() - d.claimedAt.getTime() : NaN))
      .filter((x) => Number.isFinite(x) && x >= 0)
      .sort((a, b) => a - b);
    const handling = percentile(durations, 0.5) ?? DEFAULT_HANDLING_MINUTES * 60_000;
    const active = await Handoffs.distinct("staff.id", { unit, status: "active" });
    const waitMs = (pos * handling) / Math.max(1, active.length);
    // Out of hours the citizen is told when the team opens, never a wait counted in hundreds of minutes.
    return Math.min(MAX_ETA_MINUTES, Math.max(1, Math.ceil(waitMs / 60_000)));
  }

  async function stateOf(doc: HandoffDoc | null | undefined, id: string): Promise<HandoffState> {
    if (!doc || doc.status === "closed") return { status: "ended", id };
    if (doc.status === "active") return { status: "active", id };
    const pos = await position(doc);
    return { status: "waiting", id, position: pos, etaMinutes: await eta(doc.unit, pos) };
  }

  async function toCitizen(doc: HandoffDoc, reply: Reply): Promise<"sent" | "undelivered"> {
    const sender = doc.chatId ? deps.senders[doc.channel as ChannelName] : undefined;
    if (!sender || !doc.chatId) return "undelivered";
    const outcome = await sender.send(doc.chatId, reply, "reply");
    if (outcome.status === "sent") return "sent";
    logger.warn({ handoff: doc._id, status: outcome.status }, "handoff message not delivered to the citizen");
    return "undelivered";
  }

  const endButton = (lang: Lang, key: string): Reply["buttons"] => [
    [{ kind: "action", label: t(lang, key), payload: "h:end" }],
  ];

  // === The staff card

  function card(doc: HandoffDoc): Reply {
    const u = unitOf(doc.unit);
    const lines = [
      t("vi", "handoff.staff.card", {
        code: doc._id,
        unit: u?.name ?? doc.unit,
        channel: t("vi", `handoff.channel.${doc.channel}`),
        lang: doc.lang,
      }),
    ];
    if (!doc.insideHours) lines.push(t("vi", "handoff.staff.outsideHours"));
    if (doc.recent.length)
      lines.push("", t("vi", "handoff.staff.recent"), ...doc.recent.map((q) => `• ${q}`));
    else lines.push("", t("vi", "handoff.staff.noRecent"));
    if (doc.status === "waiting") {
      lines.push("", t("vi", "handoff.staff.waiting"));
      return {
        text: lines.join("\n"),
        buttons: [[{ kind: "action", label: t("vi", "handoff.staff.claim"), payload: `hc:${doc._id}` }]],
      };
    }
    if (doc.status === "active") {
      lines.push("", t("vi", "handoff.staff.active", { staff: doc.staff?.label ?? doc.staff?.id ?? "" }));
      lines.push(t("vi", "handoff.staff.howToReply"));
      return {
        text: lines.join("\n"),
        buttons: [[{ kind: "action", label: t("vi", "handoff.staff.close"), payload: `hx:${doc._id}` }]],
      };
    }
    lines.push("", t("vi", `handoff.staff.ended.${doc.endReason ?? "staff"}`));
    return { text: lines.join("\n") };
  }

  async function refreshCard(doc: HandoffDoc): Promise<void> {
    if (!desk || !doc.desk?.cardId) return;
    await desk
      .edit(doc.desk.chatId, doc.desk.cardId, card(doc))
      .catch((err: unknown) => logger.warn({ err, handoff: doc._id }, "could not update the staff card"));
  }

  async function postToDesk(doc: HandoffDoc, reply: Reply, photo?: PhotoRef): Promise<number | undefined> {
    if (!desk || !doc.desk) return undefined;
    const id = await desk
      .post(doc.desk.chatId, reply, { replyTo: doc.desk.cardId, photo })
      .catch((err: unknown) => {
        logger.warn({ err, handoff: doc._id }, "could not post to the staff group");
        return undefined;
      });
    if (id !== undefined) await Handoffs.updateOne({ _id: doc._id }, { $push: { "desk.messageIds": id } });
    return id;
  }

  /** Tells every waiting citizen of the unit whose place changed their new place and wait. */
  async function updateQueue(unit: string): Promise<void> {
    const waiting = await Handoffs.find({ unit, status: "waiting" }).sort({ createdAt: 1, _id: 1 }).lean();
    for (const [i, doc] of waiting.entries()) {
      const pos = i + 1;
      if (doc.toldPosition === pos) continue;
      // Conditional, so two replicas never tell the same change twice.
      const told = await Handoffs.updateOne(
        { _id: doc._id, status: "waiting", toldPosition: doc.toldPosition ?? null },
        { $set: { toldPosition: pos } },
      );
      if (!told.modifiedCount) continue;
      await toCitizen(doc, {
        text: t(doc.lang, "handoff.position", { position: pos, minutes: await eta(unit, pos) }),
        buttons: endButton(doc.lang, "handoff.cancel"),
      });
    }
  }

  /** One line of the console transcript, capped to the last 100. */
  function transcriptEntry(from: "citizen" | "staff", text: string, photo: boolean) {
    return { $each: [{ at: now(), from, text: text.slice(0, 3000), photo }], $slice: -100 };
  }

  async function close(id: string, reason: HandoffEndReason, staff?: StaffRef): Promise<boolean> {
    const at = now();
    const filter: Record<string, unknown> = { _id: id, status: trusted({ $in: OPEN }) };
    // Staff may close only what they own (an active conversation).
    if (staff) Object.assign(filter, { status: "active", "staff.id": staff.id });
    const doc = await Handoffs.findOneAndUpdate(
      filter,
      {
        $set: { status: "closed", endReason: reason, closedAt: at },
        $unset: { openKey: "", transcript: "" },
      },
      { returnDocument: "after" },
    ).lean();
    if (!doc) return false;
    const wasActive = doc.claimedAt !== undefined;
    if (reason === "staff" || reason === "idle") {
      const key = reason === "idle" ? "handoff.idleClosed" : "handoff.staffClosed";
      await toCitizen(doc, {
        text: t(doc.lang, key),
        buttons: wasActive
          ? [
              ...ratingButtons(doc.lang, t, "h", doc._id),
              [{ kind: "action" as const, label: t(doc.lang, "menu.back"), payload: "menu" }],
            ]
          : [[{ kind: "action" as const, label: t(doc.lang, "menu.back"), payload: "menu" }]],
      });
    } else if (reason === "expired") {
      await toCitizen(doc, {
        text: t(doc.lang, "handoff.expired"),
        buttons: [
          [{ kind: "action", label: t(doc.lang, "handoff.leaveQuestion"), payload: "m:fb" }],
          [{ kind: "action", label: t(doc.lang, "menu.back"), payload: "menu" }],
        ],
      });
    }
    await refreshCard(doc);
    if (reason === "citizen" && wasActive)
      await postToDesk(doc, { text: t("vi", "handoff.staff.citizenLeft") });
    if (!wasActive) await updateQueue(doc.unit);
    return true;
  }

  async function claim(
    id: string,
    staff: StaffRef,
  ): Promise<"claimed" | "yours" | "taken" | "closed" | "not-found"> {
    const at = now();
    const doc = await Handoffs.findOneAndUpdate(
      { _id: id, status: "waiting" },
      {
        $set: {
          status: "active",
          claimedAt: at,
          lastActivityAt: at,
          staff: { id: staff.id, label: staff.name?.slice(0, 64) },
        },
      },
      { returnDocument: "after" },
    ).lean();
    if (!doc) {
      const current = await Handoffs.findById(id).lean();
      if (!current) return "not-found";
      if (current.status === "closed") return "closed";
      return current.staff?.id === staff.id ? "yours" : "taken";
    }
    await toCitizen(doc, {
      text: t(doc.lang, "handoff.claimed", { staff: staffLabel(doc.lang, doc.staff) }),
      buttons: endButton(doc.lang, "handoff.end"),
    });
    seen(doc.unit);
    await refreshCard(doc);
    await updateQueue(doc.unit);
    return "claimed";
  }

  async function reply(
    id: string,
    staff: StaffRef,
    m: { text?: string | undefined; photo?: PhotoRef | undefined },
  ): Promise<"sent" | "not-owner" | "closed" | "not-found" | "undelivered" | "photo-unsupported"> {
    let doc = await Handoffs.findById(id).lean();
    if (!doc) return "not-found";
    if (doc.status === "waiting") {
      const c = await claim(id, staff);
      if (c === "taken") return "not-owner";
      if (c === "closed" || c === "not-found") return "closed";
      doc = await Handoffs.findById(id).lean();
      if (!doc) return "not-found";
    }
    if (doc.status === "closed") return "closed";
    if (doc.staff?.id !== staff.id) return "not-owner";
    seen(doc.unit);
    const label = staffLabel(doc.lang, doc.staff);
    const text = (m.text ?? "").slice(0, 3000);
    let result: "sent" | "undelivered" | "photo-unsupported";
    if (m.photo) {
      const sender = deps.senders[doc.channel as ChannelName];
      const outcome =
        sender?.sendPhoto && doc.chatId
          ? await sender.sendPhoto(doc.chatId, m.photo, text ? `${label}: ${text}` : label, "reply")
          : { status: "failed" as const, detail: "unsupported" };
      if (outcome.status === "sent") result = "sent";
      else {
        // The photo cannot travel to this platform: the text still goes, and staff are told.
        result = "photo-unsupported";
        await toCitizen(doc, { text: `**${label}:** ${text || t(doc.lang, "handoff.photoNotRelayed")}` });
      }
    } else result = await toCitizen(doc, { text: `**${label}:** ${text}` });
    await Handoffs.updateOne(
      { _id: id },
      {
        $set: { lastActivityAt: now() },
        $inc: { "counts.staff": 1 },
        $push: { transcript: transcriptEntry("staff", text, Boolean(m.photo)) },
      },
    );
    return result;
  }

  const inbound: StaffInbound = {
    isStaffChat: (chatId) => staffChats.has(chatId),
    async onButton(b) {
      const groupUnit = unitOfGroup(b.chatId);
      if (groupUnit) seen(groupUnit);
      const [kind, id = ""] = b.data.split(":");
      if (kind === "hc") {
        const r = await claim(id, b.staff);
        return t("vi", `handoff.staff.claimResult.${r}`);
      }
      if (kind === "hx") {
        const ok = await close(id, "staff", b.staff);
        return t("vi", ok ? "handoff.staff.closedOk" : "handoff.staff.notYours");
      }
      return t("vi", "handoff.staff.unknownButton");
    },
    async onMessage(m) {
      const groupUnit = unitOfGroup(m.chatId);
      if (groupUnit) seen(groupUnit);
      const text = m.text?.trim();
      if (text && /^\/(hangcho|queue)(@\w+)?$/i.test(text)) return { reply: await queueList(m.chatId) };
      if (m.replyTo === undefined) return undefined;
      const doc = await Handoffs.findOne({
        "desk.chatId": m.chatId,
        "desk.messageIds": m.replyTo,
      }).lean();
      if (!doc) return undefined;
      if (text && /^\/(xong|ketthuc|close)(@\w+)?$/i.test(text)) {
        const ok = await close(doc._id, "staff", m.staff);
        return ok ? undefined : { reply: { text: t("vi", "handoff.staff.notYours") }, replyTo: m.replyTo };
      }
      if (!text && !m.photo) return undefined;
      const r = await reply(doc._id, m.staff, {
        text,
        photo: m.photo ? { channel: "telegram", ref: m.photo } : undefined,
      });
      if (r === "sent") return undefined;
      return { reply: { text: t("vi", `handoff.staff.replyResult.${r}`) }, replyTo: m.replyTo };
    },
  };

  async function queueList(chatId: string): Promise<Reply> {
    const units = Object.entries(deps.groups)
      .filter(([, c]) => c === chatId)
      .map(([u]) => u);
    const open = await Handoffs.find({ unit: trusted({ $in: units }), status: trusted({ $in: OPEN }) })
      .sort({ createdAt: 1 })
      .lean();
    if (!open.length) return { text: t("vi", "handoff.staff.queueEmpty") };
    const lines = open.map((d) =>
      t("vi", `handoff.staff.queueLine.${d.status}`, {
        code: d._id,
        channel: t("vi", `handoff.channel.${d.channel}`),
        minutes: Math.max(0, Math.round((now().getTime() - d.createdAt.getTime()) / 60_000)),
      }),
    );
    return { text: [t("vi", "handoff.staff.queueTitle"), ...lines].join("\n") };
  }

  function listFilter(q: {
    unit?: string | string[] | undefined;
    status?: HandoffDoc["status"] | undefined;
    text?: string | undefined;
  }): Record<string, unknown> {
    const filter: Record<string, unknown> = {};
    if (q.unit) filter.unit = Array.isArray(q.unit) ? trusted({ $in: q.unit }) : q.unit;
    if (q.status) filter.status = q.status;
    const text = (q.text ?? "").trim().slice(0, 100);
    if (text) {
      const re = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      filter.$or = [
        { _id: trusted({ $regex: re, $options: "i" }) },
        { recent: trusted({ $regex: re, $options: "i" }) },
      ];
    }
    return filter;
  }

  return {
    inbound,
    setDesk(d) {
      desk = d;
    },
    staffSeen: seen,
    refreshPresence,
    availability(unit, at) {
      const u = unitOf(unit);
      const inConsole = (id: string) => deps.consoleUnits === "all" || (deps.consoleUnits ?? []).includes(id);
      const reachable = u !== undefined && (deps.groups[u.id] !== undefined || inConsole(u.id));
      if (!u || !reachable) return { reachable: false, open: false, staffed: false };
      // A unit without hours set is open whenever someone is on duty.
      const open = u.working_hours?.length ? isOpen(u, at) : true;
      return {
        reachable,
        open,
        staffed: open && onDuty(u.id, at),
        nextOpen: open ? undefined : nextOpening(u, at),
      };
    },
    async request(r) {
      const key = openKey(r.channel, r.chatId);
      const existing = await Handoffs.findOne({ openKey: key }).lean();
      if (existing) return stateOf(existing, existing._id);
      const at = now();
      const u = unitOf(r.unit);
      const doc: HandoffDoc = {
        _id: newCode(),
        unit: r.unit,
        channel: r.channel,
        chatId: r.chatId,
        openKey: key,
        lang: r.lang,
        status: "waiting",
        recent: r.recent.slice(-3).map((q) => q.slice(0, 200)),
        insideHours: u ? !u.working_hours?.length || isOpen(u, at) : false,
        createdAt: at,
        lastActivityAt: at,
        desk: deps.groups[r.unit] ? { chatId: deps.groups[r.unit]!, messageIds: [] } : undefined,
        counts: { citizen: 0, staff: 0 },
      };
      try {
        await Handoffs.create(doc);
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        // A concurrent request of the same chat won (or, rarely, the code was taken): use what is there.
        const won = await Handoffs.findOne({ openKey: key }).lean();
        if (won) return stateOf(won, won._id);
        throw err;
      }
      if (desk && doc.desk) {
        const cardId = await desk.post(doc.desk.chatId, card(doc)).catch((err: unknown) => {
          logger.warn({ err, handoff: doc._id }, "could not post the handoff to the staff group");
          return undefined;
        });
        if (cardId !== undefined)
          await Handoffs.updateOne(
            { _id: doc._id },
            { $set: { "desk.cardId": cardId }, $push: { "desk.messageIds": cardId } },
          );
      }
      const state = await stateOf(doc, doc._id);
      if (state.status === "waiting")
        await Handoffs.updateOne({ _id: doc._id }, { $set: { toldPosition: state.position } });
      return state;
    },
    async state(id) {
      return stateOf(await Handoffs.findById(id).lean(), id);
    },
    async end(id) {
      await close(id, "citizen");
    },
    async relay(id, m) {
      const doc = await Handoffs.findOneAndUpdate(
        { _id: id, status: trusted({ $in: OPEN }) },
        {
          $set: { lastActivityAt: now() },
          $inc: { "counts.citizen": 1 },
          $push: { transcript: transcriptEntry("citizen", m.text ?? "", Boolean(m.photo)) },
        },
        { returnDocument: "after" },
      ).lean();
      if (!doc) return;
      const text = t("vi", "handoff.staff.fromCitizen", { code: doc._id, text: m.text ?? "" });
      const photo: PhotoRef | undefined = m.photo
        ? { channel: doc.channel as ChannelName, ref: m.photo }
        : undefined;
      const posted = await postToDesk(doc, { text }, photo);
      // A photo the group cannot take still arrives as text.
      if (posted === undefined && photo)
        await postToDesk(doc, { text: `${text}\n${t("vi", "handoff.staff.photoNotRelayed")}` });
    },
    claim,
    reply,
    close,
    async sweep() {
      const at = now().getTime();
      const idle = await Handoffs.find({
        status: "active",
        lastActivityAt: trusted({ $lt: new Date(at - deps.idleMinutes * 60_000) }),
      })
        .select({ _id: 1 })
        .lean();
      let nIdle = 0;
      for (const d of idle) if (await close(d._id, "idle")) nIdle++;
      const stale = await Handoffs.find({
        status: "waiting",
        createdAt: trusted({ $lt: new Date(at - deps.waitMaxMinutes * 60_000) }),
      })
        .select({ _id: 1 })
        .lean();
      let nExpired = 0;
      for (const d of stale) if (await close(d._id, "expired")) nExpired++;
      return { idle: nIdle, expired: nExpired };
    },
    async get(id) {
      return (await Handoffs.findById(id).lean()) ?? undefined;
    },
    async list(q) {
      return Handoffs.find(listFilter(q))
        .sort({ createdAt: q.oldestFirst ? 1 : -1 })
        .skip(q.skip ?? 0)
        .limit(q.limit ?? 100)
        .lean();
    },
    count: (q) => Handoffs.countDocuments(listFilter(q)),
    async stats(q) {
      const filter: Record<string, unknown> = { createdAt: trusted({ $gte: q.from, $lt: q.to }) };
      if (q.unit) filter.unit = q.unit;
      const docs = await Handoffs.find(filter).lean();
      const handled = docs.filter((d) => d.claimedAt);
      const waits = handled
        .map((d) => (d.claimedAt!.getTime() - d.createdAt.getTime()) / 60_000)
        .sort((a, b) => a - b);
      const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
      const count = (key: (d: HandoffDoc) => string | undefined) =>
        docs.reduce<Record<string, number>>((acc, d) => {
          const k = key(d);
          if (k) acc[k] = (acc[k] ?? 0) + 1;
          return acc;
        }, {});
      const rFilter: Record<string, unknown> = {
        "target.kind": "handoff",
        at: trusted({ $gte: q.from, $lt: q.to }),
      };
      if (q.unit) rFilter.unit = q.unit;
      const ratings = await Ratings.find(rFilter).select({ score: 1 }).lean();
      const breakdown = { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 };
      for (const r of ratings) breakdown[String(r.score) as keyof typeof breakdown]++;
      return {
        requests: docs.length,
        handled: handled.length,
        unhandled: docs.filter((d) => d.status === "closed" && !d.claimedAt).length,
        handledWithinHours: handled.filter((d) => d.insideHours).length,
        waitMinutes: { p50: round(percentile(waits, 0.5)), p90: round(percentile(waits, 0.9)) },
        byChannel: count((d) => d.channel),
        byEnd: count((d) => d.endReason),
        satisfaction: {
          n: ratings.length,
          index: ratings.length
            ? Math.round(((breakdown["4"] + breakdown["5"]) / ratings.length) * 1000) / 10
            : null,
          breakdown,
        },
      };
    },
    async exportChat(channel, chatId) {
      const docs = await Handoffs.find({ channel, chatId }).lean();
      return docs.map((d) => ({
        code: d._id,
        unit: d.unit,
        status: d.status,
        endReason: d.endReason,
        recentQuestions: d.recent,
        createdAt: d.createdAt,
        claimedAt: d.claimedAt,
        closedAt: d.closedAt,
      }));
    },
    async anonymiseChat(channel, chatId) {
      const open = await Handoffs.find({ channel, chatId, status: trusted({ $in: OPEN }) })
        .select({ _id: 1 })
        .lean();
      for (const d of open) await close(d._id, "erased");
      await Handoffs.updateMany(
        { channel, chatId },
        { $unset: { chatId: "", openKey: "", transcript: "" }, $set: { recent: [] } },
      );
    },
  };
}
