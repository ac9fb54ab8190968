/**
 * Announcements: create, schedule (now, at a time, cron), claim with a lease, dispatch to every
 * subscriber through the channels' outbound limiters, and report. A delivery row is written before
 * each send, unique per (announcement, run, subscriber): nobody ever gets an announcement twice; rows
 * left `sending` by a crash become `unknown` and are reported, not resent.
 */
import crypto from "node:crypto";
import type { Connection, Types } from "mongoose";
import { z } from "zod";
import type { AnnouncementOutcome, Senders } from "../channels/outbound/sender.js";
import { webUrl } from "../content/schemas.js";
import { TOPICS } from "../core/topics.js";
import { CHANNEL_NAMES, type Lang, type Reply } from "../core/types.js";
import type { Translator } from "../i18n.js";
import type { Logger } from "../logger.js";
import { announcementModel, type AnnouncementDoc } from "../store/models/announcement.js";
import { deliveryModel, type DeliveryStatus } from "../store/models/delivery.js";
import { subscriberModel, type SubscriberDoc } from "../store/models/subscriber.js";
import { trusted } from "../store/trusted.js";
import { isQuiet, isValidCron, nextCronRun, type QuietHours } from "./schedule.js";

/** What staff submit to create an announcement. */
export const announcementInputSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(3500),
    // http(s) only: `javascript:` or `data:` would run when a resident taps the button (issue 15).
    imageUrl: webUrl().optional(),
    link: z
      .object({ label: z.string().trim().min(1).max(60), url: webUrl() })
      .strict()
      .optional(),
    audience: z
      .object({
        units: z.array(z.string().max(64)).max(200).default([]),
        // Residents choose topics when they subscribe; an announcement names the topics it belongs
        // to and reaches only those who kept one of them (urgent notices reach everyone). Without a
        // choice it is a general notice ("thong-bao-chung").
        topics: z.array(z.enum(TOPICS)).min(1).max(TOPICS.length).default(["thong-bao-chung"]),
        lang: z.enum(["vi", "en"]).optional(),
        channels: z.array(z.enum(CHANNEL_NAMES)).default([]),
      })
      .strict()
      .default({ units: [], topics: ["thong-bao-chung"], channels: [] }),
    urgent: z.boolean().default(false),
    schedule: z
      .discriminatedUnion("kind", [
        z.object({ kind: z.literal("now") }).strict(),
        z.object({ kind: z.literal("at"), at: z.coerce.date() }).strict(),
        z
          .object({
            kind: z.literal("cron"),
            cron: z.string().refine(isValidCron, "a five-field cron expression"),
          })
          .strict(),
      ])
      .default({ kind: "now" }),
    draft: z.boolean().default(false),
  })
  .strict();
export type AnnouncementInput = z.input<typeof announcementInputSchema>;

/** Progress and delivery report of an announcement's current or last run. */
export interface BroadcastReport {
  id: string;
  status: AnnouncementDoc["status"];
  run: string | undefined;
  audience: number;
  counts: Record<DeliveryStatus, number>;
  byChannel: Record<string, Partial<Record<DeliveryStatus, number>>>;
  /** Messages sent in the last minute, per second. */
  ratePerSec: number;
  /** Deliveries per route, where the channel chose one (Zalo OA: consultation, template, skip…). */
  routes: Record<string, number>;
  /** Estimated cost of the run so far, VND (billable Zalo OA messages). */
  estimatedCostVnd: number;
  /** Seconds to finish at the current rate, when sending. */
  etaSec: number | undefined;
}

/** Statuses in which an announcement has not started yet and may still be edited. */
export const EDITABLE_STATUSES = ["draft", "scheduled"] as const;

/** Whether an announcement can still be edited: a draft, or scheduled and never started. */
export function isEditable(a: Pick<AnnouncementDoc, "status" | "startedAt" | "runs">): boolean {
  return (EDITABLE_STATUSES as readonly string[]).includes(a.status) && !a.startedAt && !a.runs;
}

export interface BroadcastService {
  create(input: AnnouncementInput, createdBy: string): Promise<AnnouncementDoc>;
  /**
   * Replaces what an announcement says, to whom and when, while it has not started
   * ({@link isEditable}); undefined when it has started (or does not exist).
   */
  update(
    id: string,
    input: AnnouncementInput,
  ): Promise<{ before: AnnouncementDoc; after: AnnouncementDoc } | undefined>;
  /** Moves a scheduled (not yet started) announcement's next run to now. */
  sendNow(id: string): Promise<boolean>;
  pause(id: string): Promise<boolean>;
  resume(id: string): Promise<boolean>;
  cancel(id: string): Promise<boolean>;
  /** Subscribers an audience would reach now. */
  estimate(audience: AnnouncementDoc["audience"], urgent?: boolean): Promise<number>;
  report(id: string): Promise<BroadcastReport | undefined>;
  get(id: string): Promise<AnnouncementDoc | undefined>;
  /** The message subscribers would get, for the compose preview (nothing stored). */
  preview(input: z.output<typeof announcementInputSchema>, lang: Lang): Reply;
  /** The latest announcements, newest first; `units` keeps those aimed at any of them (or at all). */
  list(q?: { units?: string[]; limit?: number }): Promise<AnnouncementDoc[]>;
  /** Claims due announcements and sends them; what the scheduler calls. Resolves when idle. */
  tick(): Promise<void>;
  /** Stops dispatching after the batch in flight. */
  stop(): Promise<void>;
}

export interface BroadcastDeps {
  connection: Connection;
  senders: Senders;
  t: Translator;
  logger: Logger;
  now?: () => Date;
  quietHours?: QuietHours;
  /** Messages in flight at once; also the most that can end `unknown` after a crash. */
  concurrency?: number;
  batchSize?: number;
  leaseMs?: number;
  /** Identifies this process in leases. */
  owner?: string;
}

const ALL_STATUSES: DeliveryStatus[] = [
  "sending",
  "sent",
  "failed",
  "blocked",
  "unreachable",
  "unknown",
  "skipped",
];

/** Creates the service, e.g. `createBroadcastService({ connection, senders, t, logger })`. */
export function createBroadcastService(deps: BroadcastDeps): BroadcastService {
  const Ann = announcementModel(deps.connection);
  const Del = deliveryModel(deps.connection);
  const Subs = subscriberModel(deps.connection);
  const now = deps.now ?? (() => new Date());
  const owner = deps.owner ?? `${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const concurrency = deps.concurrency ?? 8;
  const batchSize = deps.batchSize ?? 200;
  const leaseMs = deps.leaseMs ?? 30_000;
  const { logger } = deps;
  let running: Promise<void> | undefined;
  let stopping = false;

  function audienceFilter(a: AnnouncementDoc["audience"], urgent: boolean): Record<string, unknown> {
    const f: Record<string, unknown> = { active: true, inactiveReason: trusted({ $exists: false }) };
    if (a.units.length) f.unit = trusted({ $in: a.units });
    if (a.topics.length && !urgent) f.topics = trusted({ $in: a.topics });
    if (a.lang) f.lang = a.lang;
    if (a.channels.length) f.channel = trusted({ $in: a.channels });
    return f;
  }

  function message(a: AnnouncementDoc, lang: Lang, imageShown = false): Reply {
    const buttons: Reply["buttons"] = [];
    if (a.link) buttons.push([{ kind: "url", label: a.link.label, url: a.link.url }]);
    if (a.imageUrl && !imageShown)
      buttons.push([{ kind: "url", label: deps.t(lang, "broadcast.image"), url: a.imageUrl }]);
    buttons.push([{ kind: "action", label: deps.t(lang, "broadcast.manage"), payload: "m:sub" }]);
    const head = a.urgent ? deps.t(lang, "broadcast.urgent") : deps.t(lang, "broadcast.label");
    return {
      // Staff may write **bold** in the body (the compose form says so); every channel renders it
      // as it renders the bot's own bold: Telegram bolds it, Zalo shows the words without the stars.
      text: `${head} **${a.title.replace(/\*\*/g, "*")}**\n\n${a.body}`,
      buttons,
    };
  }

  async function record(
    a: AnnouncementDoc,
    run: string,
    sub: SubscriberDoc & { _id: Types.ObjectId },
    status: DeliveryStatus,
    detail?: string,
  ): Promise<boolean> {
    try {
      await Del.create({
        announcement: a._id,
        run,
        subscriber: sub._id,
        channel: sub.channel,
        status,
        detail,
        at: now(),
      });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  async function deliverOne(
    a: AnnouncementDoc,
    run: string,
    sub: SubscriberDoc & { _id: Types.ObjectId },
  ): Promise<void> {
    const sender = deps.senders[sub.channel as keyof Senders];
    if (!sender) {
      await record(a, run, sub, "skipped", "channel not configured");
      return;
    }
    // The row goes in before the platform call; if it already exists, this subscriber was handled.
    if (!(await record(a, run, sub, "sending"))) return;
    // A channel with its own route choice (the Zalo OA's free and billable windows, templates) decides;
    // it shows the image itself.
    const outcome: AnnouncementOutcome = sender.announce
      ? await sender.announce(
          sub.chatId,
          {
            title: a.title,
            body: a.body,
            urgent: a.urgent,
            topics: a.audience.topics,
            imageUrl: a.imageUrl,
            link: a.link?.url,
          },
          message(a, sub.lang, true),
          { lastInteractionAt: sub.lastInteractionAt, unit: sub.unit },
        )
      : await sender.send(sub.chatId, message(a, sub.lang), "bulk");
    await Del.updateOne(
      { announcement: a._id, run, subscriber: sub._id },
      {
        $set: {
          status: outcome.status,
          at: now(),
          ...(outcome.status === "sent" ? {} : { detail: outcome.detail }),
          ...(outcome.route ? { route: outcome.route } : {}),
          ...(outcome.costVnd ? { costVnd: outcome.costVnd } : {}),
        },
      },
    );
    if (outcome.status === "blocked")
      await Subs.updateOne({ _id: sub._id }, { $set: { active: false, inactiveReason: "blocked" } });
    if (outcome.status === "unreachable")
      await Subs.updateOne({ _id: sub._id }, { $set: { inactiveReason: "unreachable" } });
  }

  /** Claims one due announcement: a crashed run first (keeping its place), else a scheduled one. */
  async function claim(): Promise<AnnouncementDoc | undefined> {
    const t = now();
    const quiet = isQuiet(t, deps.quietHours);
    const lease = { owner, until: new Date(t.getTime() + leaseMs) };
    const urgentOnly = quiet ? { urgent: true } : {};
    const resumed = await Ann.findOneAndUpdate(
      { status: "sending", "lease.until": trusted({ $lt: t }), ...urgentOnly },
      { $set: { lease } },
      { returnDocument: "after" },
    ).lean();
    if (resumed) {
      // Rows a dead owner left mid-send: the message may or may not have gone out. Never resend.
      const stale = await Del.updateMany(
        { announcement: resumed._id, run: resumed.run, status: "sending" },
        { $set: { status: "unknown" } },
      );
      if (stale.modifiedCount)
        logger.warn(
          { id: String(resumed._id), unknown: stale.modifiedCount },
          "broadcast resumed after a crash",
        );
      return resumed;
    }
    const due = await Ann.findOne({ status: "scheduled", nextRunAt: trusted({ $lte: t }), ...urgentOnly })
      .sort({ nextRunAt: 1 })
      .lean();
    if (!due?.nextRunAt) return undefined;
    const run = due.schedule.kind === "cron" ? due.nextRunAt.toISOString() : "once";
    return (
      (await Ann.findOneAndUpdate(
        { _id: due._id, status: "scheduled", nextRunAt: due.nextRunAt },
        { $set: { status: "sending", run, lease, startedAt: t }, $unset: { cursor: "" } },
        { returnDocument: "after" },
      ).lean()) ?? undefined
    );
  }

  /**
   * Walks the audience in `_id` order with `concurrency` workers fed continuously (no stall between
   * batches). The stored cursor only passes a subscriber once every earlier one is handled, so a
   * resumed run re-walks at most the messages that were in flight.
   */
  async function dispatch(a: AnnouncementDoc): Promise<void> {
    const run = a.run ?? "once";
    type Sub = SubscriberDoc & { _id: Types.ObjectId };
    const window: Array<{ sub: Sub; done: boolean }> = [];
    let next = 0;
    let fetchFrom = a.cursor;
    let exhausted = false;
    let lost = false;
    let fetching: Promise<void> | undefined;
    let completed = 0;
    let lastCheck = Date.now();

    const fetchMore = (): Promise<void> =>
      (fetching ??= (async () => {
        const filter = {
          ...audienceFilter(a.audience, a.urgent),
          ...(fetchFrom ? { _id: trusted({ $gt: fetchFrom }) } : {}),
        };
        const batch = (await Subs.find(filter).sort({ _id: 1 }).limit(batchSize).lean()) as Sub[];
        if (batch.length === 0) exhausted = true;
        else fetchFrom = batch[batch.length - 1]!._id;
        for (const sub of batch) window.push({ sub, done: false });
      })().finally(() => {
        fetching = undefined;
      }));

    /** Persists the cursor past the handled prefix and renews the lease; false when we must stop. */
    const checkpoint = async (): Promise<boolean> => {
      let k = 0;
      while (k < window.length && window[k]!.done) k++;
      const cursor = k > 0 ? window[k - 1]!.sub._id : undefined;
      window.splice(0, k);
      next -= k;
      const r = await Ann.updateOne(
        { _id: a._id, status: "sending", "lease.owner": owner },
        { $set: { "lease.until": new Date(now().getTime() + leaseMs), ...(cursor ? { cursor } : {}) } },
      );
      return r.matchedCount === 1; // 0: paused, cancelled, or the lease went to another process
    };

    if (!(await checkpoint())) return;
    const worker = async (): Promise<void> => {
      for (;;) {
        if (stopping || lost) return;
        if (next >= window.length - batchSize / 2 && !exhausted) {
          const f = fetchMore();
          if (next >= window.length) await f;
        }
        if (next >= window.length) {
          if (exhausted) return;
          await fetchMore();
          continue;
        }
        const item = window[next++]!;
        try {
          await deliverOne(a, run, item.sub);
        } catch (err) {
          logger.error({ err }, "broadcast: a delivery failed unexpectedly");
        }
        item.done = true;
        completed++;
        if (completed % batchSize === 0 || Date.now() - lastCheck > 1_000) {
          lastCheck = Date.now();
          if (!(await checkpoint())) lost = true;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (stopping || lost || !(await checkpoint())) return;
    const t = now();
    if (a.schedule.kind === "cron" && a.schedule.cron) {
      await Ann.updateOne(
        { _id: a._id, "lease.owner": owner },
        {
          $set: { status: "scheduled", nextRunAt: nextCronRun(a.schedule.cron, t), finishedAt: t },
          $inc: { runs: 1 },
          $unset: { lease: "", cursor: "" },
        },
      );
    } else {
      await Ann.updateOne(
        { _id: a._id, "lease.owner": owner },
        { $set: { status: "done", finishedAt: t }, $inc: { runs: 1 }, $unset: { lease: "" } },
      );
    }
    logger.info({ id: String(a._id), run }, "broadcast run finished");
  }

  async function loop(): Promise<void> {
    for (;;) {
      if (stopping) return;
      const a = await claim();
      if (!a) return;
      await dispatch(a);
    }
  }

  async function setStatus(
    id: string,
    from: AnnouncementDoc["status"][],
    set: Record<string, unknown>,
  ): Promise<boolean> {
    if (!/^[0-9a-f]{24}$/.test(id)) return false;
    const r = await Ann.updateOne({ _id: id, status: trusted({ $in: from }) }, { $set: set });
    return r.modifiedCount === 1;
  }

  const firstRun = (v: z.output<typeof announcementInputSchema>, t: Date) =>
    v.schedule.kind === "now"
      ? t
      : v.schedule.kind === "at"
        ? v.schedule.at
        : nextCronRun(v.schedule.cron, t);

  return {
    async update(id, input) {
      if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
      const v = announcementInputSchema.parse(input);
      const before = await Ann.findById(id).lean();
      if (!before || !isEditable(before)) return undefined;
      // The status guard makes the edit lose to a dispatcher that claimed the run meanwhile.
      const after = await Ann.findOneAndUpdate(
        {
          _id: before._id,
          status: trusted({ $in: [...EDITABLE_STATUSES] }),
          startedAt: trusted({ $exists: false }),
        },
        {
          $set: {
            title: v.title,
            body: v.body,
            audience: v.audience,
            urgent: v.urgent,
            schedule: v.schedule,
            status: v.draft ? "draft" : "scheduled",
            nextRunAt: firstRun(v, now()),
            ...(v.imageUrl ? { imageUrl: v.imageUrl } : {}),
            ...(v.link ? { link: v.link } : {}),
          },
          ...(v.imageUrl && v.link
            ? {}
            : { $unset: { ...(v.imageUrl ? {} : { imageUrl: "" }), ...(v.link ? {} : { link: "" }) } }),
        },
        { returnDocument: "after" },
      ).lean();
      return after ? { before, after } : undefined;
    },
    sendNow: (id) => setStatus(id, ["scheduled"], { nextRunAt: now() }),
    async create(input, createdBy) {
      const v = announcementInputSchema.parse(input);
      const t = now();
      const nextRunAt = firstRun(v, t);
      const doc = await Ann.create({
        title: v.title,
        body: v.body,
        imageUrl: v.imageUrl,
        link: v.link,
        audience: v.audience,
        urgent: v.urgent,
        status: v.draft ? "draft" : "scheduled",
        schedule: v.schedule,
        nextRunAt,
        runs: 0,
        createdBy,
      });
      return doc.toObject();
    },
    pause: (id) => setStatus(id, ["scheduled", "sending"], { status: "paused" }),
    // A resumed run keeps its place: it is picked up like a run whose owner went away.
    resume: async (id) =>
      (await setStatus(id, ["paused"], {
        status: "sending",
        lease: { owner: "none", until: new Date(0) },
      })) || (await setStatus(id, ["draft"], { status: "scheduled", nextRunAt: now() })),
    cancel: (id) =>
      setStatus(id, ["draft", "scheduled", "sending", "paused"], { status: "cancelled", finishedAt: now() }),
    estimate: (audience, urgent = false) => Subs.countDocuments(audienceFilter(audience, urgent)),
    preview(input, lang) {
      return message(
        {
          title: input.title,
          body: input.body,
          urgent: input.urgent,
          link: input.link,
          imageUrl: input.imageUrl,
        } as AnnouncementDoc,
        lang,
      );
    },
    async get(id) {
      if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
      return (await Ann.findById(id).lean()) ?? undefined;
    },
    async list(q = {}) {
      const filter = q.units?.length
        ? // Each operator is marked, not the outer $or: sanitizeFilter would neutralise the inner ones.
          {
            $or: [
              { "audience.units": trusted({ $size: 0 }) },
              { "audience.units": trusted({ $in: q.units }) },
            ],
          }
        : {};
      return Ann.find(filter)
        .sort({ createdAt: -1 })
        .limit(Math.min(q.limit ?? 50, 200))
        .lean();
    },
    async report(id) {
      if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
      const a = await Ann.findById(id).lean();
      if (!a) return undefined;
      const run = a.run;
      const rows = run
        ? await Del.aggregate<{ _id: { status: DeliveryStatus; channel: string }; n: number }>([
            { $match: { announcement: a._id, run } },
            { $group: { _id: { status: "$status", channel: "$channel" }, n: { $sum: 1 } } },
          ])
        : [];
      const counts = Object.fromEntries(ALL_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
      const byChannel: BroadcastReport["byChannel"] = {};
      for (const r of rows) {
        counts[r._id.status] += r.n;
        (byChannel[r._id.channel] ??= {})[r._id.status] = r.n;
      }
      const routeRows = run
        ? await Del.aggregate<{ _id: string; n: number; cost: number }>([
            { $match: { announcement: a._id, run, route: trusted({ $exists: true }) } },
            { $group: { _id: "$route", n: { $sum: 1 }, cost: { $sum: "$costVnd" } } },
          ])
        : [];
      const routes = Object.fromEntries(routeRows.map((r) => [r._id, r.n]));
      const estimatedCostVnd = routeRows.reduce((sum, r) => sum + (r.cost || 0), 0);
      const since = new Date(now().getTime() - 60_000);
      const recent = run
        ? await Del.countDocuments({ announcement: a._id, run, status: "sent", at: trusted({ $gte: since }) })
        : 0;
      const ratePerSec = recent / 60;
      const audience = await Subs.countDocuments(audienceFilter(a.audience, a.urgent));
      const handled = ALL_STATUSES.reduce((n, s) => n + counts[s], 0);
      const remaining = Math.max(0, audience - handled);
      return {
        id,
        status: a.status,
        run,
        audience,
        counts,
        byChannel,
        routes,
        estimatedCostVnd,
        ratePerSec,
        etaSec: a.status === "sending" && ratePerSec > 0 ? Math.round(remaining / ratePerSec) : undefined,
      };
    },
    tick() {
      running ??= loop()
        .catch((err: unknown) => logger.error({ err }, "broadcast tick failed"))
        .finally(() => {
          running = undefined;
        });
      return running;
    },
    async stop() {
      stopping = true;
      await running;
    },
  };
}
