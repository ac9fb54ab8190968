/**
 * A durable inbox for webhook events: an accepted event is stored (idempotent on its key) before the
 * platform gets its 200, then handled after; a failed or interrupted one is retried by the sweeper.
 * Both Zalo channels use it, because neither platform documents a generous webhook timeout.
 */
import type { Model } from "mongoose";
import type { Logger } from "../logger.js";
import type { ZaloOaEventDoc } from "../store/models/zalo-oa-event.js";
import { trusted } from "../store/trusted.js";

/** The stored shape of one inbox event (the Zalo OA and Zalo Bot collections share it). */
export type InboxEventDoc = ZaloOaEventDoc;

export interface EventInbox {
  /** Stores an event; `duplicate` when this key was seen before. Throws when the store is down. */
  accept(key: string, body: Record<string, unknown>): Promise<"stored" | "duplicate">;
  /** Handles a stored event in the background. */
  schedule(key: string): void;
  /** Handles one stored event now (claims it first). */
  process(key: string): Promise<void>;
  /** Waits for events in flight, then handles pending ones older than a few seconds. */
  drain(): Promise<void>;
  /** Starts the sweeper. */
  start(intervalMs: number): void;
  /** Stops the sweeper and waits for events in flight. */
  stop(): Promise<void>;
}

const MAX_ATTEMPTS = 5;
const LEASE_MS = 60_000;

/** Creates an inbox over `events`; `handle` gets the stored body (parse it again: it is data). */
export function createEventInbox(deps: {
  events: Model<InboxEventDoc>;
  handle: (body: unknown) => Promise<void>;
  logger: Logger;
  name: string;
  now?: () => Date;
}): EventInbox {
  const { events, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;

  async function process(key: string): Promise<void> {
    const t = now();
    const doc = await events
      .findOneAndUpdate(
        {
          _id: key,
          status: trusted({ $in: ["pending", "failed", "processing"] }),
          attempts: trusted({ $lt: MAX_ATTEMPTS }),
          $or: [
            { lockUntil: trusted({ $exists: false }) },
            { lockUntil: null },
            { lockUntil: trusted({ $lt: t }) },
          ],
        },
        {
          $set: { status: "processing", lockUntil: new Date(t.getTime() + LEASE_MS) },
          $inc: { attempts: 1 },
        },
        { returnDocument: "after" },
      )
      .lean();
    if (!doc?.body) return;
    try {
      await deps.handle(doc.body);
      // Keep only what is needed: the body goes once handled.
      await events.updateOne(
        { _id: key },
        { $set: { status: "done" }, $unset: { body: "", lockUntil: "", error: "" } },
      );
    } catch (err) {
      logger.error({ err, key }, `${deps.name}: failed to handle an event; will retry`);
      await events.updateOne(
        { _id: key },
        {
          $set: { status: "failed", error: (err as Error).message.slice(0, 200) },
          $unset: { lockUntil: "" },
        },
      );
    }
  }

  function schedule(key: string): void {
    const p = process(key).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  async function drain(): Promise<void> {
    await Promise.all([...inFlight]);
    const stale = new Date(now().getTime() - 5_000);
    const todo = await events
      .find(
        {
          status: trusted({ $in: ["pending", "failed", "processing"] }),
          attempts: trusted({ $lt: MAX_ATTEMPTS }),
          receivedAt: trusted({ $lt: stale }),
        },
        { _id: 1 },
      )
      .limit(100)
      .lean();
    for (const d of todo) await process(d._id);
  }

  return {
    async accept(key, body) {
      try {
        await events.create({ _id: key, body, status: "pending", attempts: 0, receivedAt: now() });
        return "stored";
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return "duplicate";
        throw err;
      }
    },
    schedule,
    process,
    drain,
    start(intervalMs) {
      timer = setInterval(() => {
        drain().catch((err: unknown) => logger.warn({ err }, `${deps.name}: sweep failed`));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
