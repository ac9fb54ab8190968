/** MongoDB implementations of the engine's session, subscription and privacy ports. */
import type { Connection } from "mongoose";
import { z } from "zod";
import type { PrivacyPort, Session, SessionPort, Subscription, SubscriptionPort } from "../core/ports.js";
import type { ChannelName } from "../core/types.js";
import { runDirect, type DirectStore } from "./direct.js";
import { SESSION_TTL_DAYS, sessionModel } from "./models/session.js";
import { subscriberModel } from "./models/subscriber.js";

const key = (channel: ChannelName, chatId: string) => `${channel}:${chatId}`;

/** Stored session data is checked on the way out: a malformed one is treated as a fresh session. */
const sessionSchema = z.object({
  lang: z.enum(["vi", "en"]).optional(),
  unit: z.string().max(64).optional(),
  lastProcedure: z.string().max(16).optional(),
  lastGuide: z.string().max(64).optional(),
  lastOffice: z.enum(["address", "hours", "phone", "hotlines"]).optional(),
  choices: z.array(z.string().max(64)).max(100).optional(),
  labels: z.array(z.string().max(64)).max(100).optional(),
  awaiting: z.literal("delete-confirm").optional(),
  fb: z
    .object({
      step: z.enum(["category", "text", "photo", "consent", "name", "phone", "confirm"]),
      category: z.string().max(32),
      draft: z.string().max(2000).optional(),
      paused: z.boolean().optional(),
      text: z.string().max(2000).optional(),
      photo: z.string().max(2048).optional(),
      name: z.string().max(100).optional(),
      phone: z.string().max(20).optional(),
    })
    .optional(),
  handoff: z.string().max(32).optional(),
  recent: z.array(z.string().max(200)).max(3).optional(),
  rating: z
    .object({
      id: z.string().max(24),
      step: z.enum(["rated", "comment", "sipas"]),
      next: z.number().int().min(0).max(5).optional(),
    })
    .optional(),
});

/** How often an unchanged session's expiry is pushed back (a write only when it changes otherwise). */
const REFRESH_MS = 24 * 3600 * 1000;
const TTL_MS = SESSION_TTL_DAYS * 24 * 3600 * 1000;

export interface SessionStoreOptions {
  now?: () => Date;
  /**
   * Keep up to this many sessions in memory, written through to the store. Only safe when this
   * process is the store's only writer of sessions: the embedded store, whose data directory one
   * process holds (with MongoDB and several replicas, leave it off).
   */
  cacheSize?: number;
  /** The embedded engine of this process: saves are written straight to it (see `store/direct.ts`). */
  direct?: DirectStore;
}

/**
 * Sessions in the `sessions` collection, expiring after 90 idle days. With `cacheSize`, reads come
 * from memory and a save that changes nothing (and is not due a refresh of its expiry) is skipped:
 * two store round trips fewer on most messages.
 */
export function createSessionStore(conn: Connection, opts: SessionStoreOptions = {}): SessionPort {
  const Sessions = sessionModel(conn);
  const now = opts.now ?? (() => new Date());
  const cacheSize = opts.cacheSize ?? 0;
  /** key → the stored session as JSON and when its expiry was last written; Map order is recency. */
  const cache = new Map<string, { json: string; writtenAt: number }>();
  const remember = (k: string, json: string, writtenAt: number) => {
    if (!cacheSize) return;
    cache.delete(k);
    cache.set(k, { json, writtenAt });
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
  };
  return {
    async get(channel, chatId) {
      const k = key(channel, chatId);
      const hit = cache.get(k);
      const at = now().getTime();
      if (hit && at - hit.writtenAt < TTL_MS) {
        remember(k, hit.json, hit.writtenAt);
        return JSON.parse(hit.json) as Session;
      }
      const doc = await Sessions.findById(k).lean();
      if (!doc) return undefined;
      const parsed = sessionSchema.safeParse(doc.data);
      const session = parsed.success ? parsed.data : {};
      const expiresAt = doc.expiresAt instanceof Date ? doc.expiresAt.getTime() : at;
      remember(k, JSON.stringify(session), expiresAt - TTL_MS);
      return session;
    },
    async save(channel, chatId, session) {
      const k = key(channel, chatId);
      const json = JSON.stringify(session);
      const at = now().getTime();
      const hit = cache.get(k);
      if (hit && hit.json === json && at - hit.writtenAt < REFRESH_MS) return;
      // The JSON round trip drops undefined fields, which the store would otherwise keep as null.
      const set = {
        data: JSON.parse(json) as Session,
        expiresAt: new Date(at + TTL_MS),
      };
      if (opts.direct?.open())
        runDirect(opts.direct, {
          update: Sessions.collection.collectionName,
          updates: [{ q: { _id: k }, u: { $set: set }, upsert: true }],
        });
      else await Sessions.updateOne({ _id: k }, { $set: set }, { upsert: true });
      remember(k, json, at);
    },
    async delete(channel, chatId) {
      const k = key(channel, chatId);
      cache.delete(k);
      await Sessions.deleteOne({ _id: k });
    },
  };
}

/** Subscriptions in the `subscribers` collection; consent is recorded when one is created. */
export function createSubscriptionStore(
  conn: Connection,
  now: () => Date = () => new Date(),
): SubscriptionPort {
  const Subscribers = subscriberModel(conn);
  return {
    async get(channel, chatId) {
      const doc = await Subscribers.findOne({ channel, chatId, active: true }).lean();
      if (!doc) return undefined;
      const sub: Subscription = { topics: doc.topics, unit: doc.unit, lang: doc.lang };
      return sub;
    },
    async subscribe(channel, chatId, sub) {
      const at = now();
      await Subscribers.updateOne(
        { channel, chatId },
        {
          $set: { topics: sub.topics, unit: sub.unit, lang: sub.lang, active: true, lastInteractionAt: at },
          $unset: { inactiveReason: "" },
          $setOnInsert: { consent: { version: sub.consentVersion, at } },
        },
        { upsert: true },
      );
    },
    async unsubscribe(channel, chatId) {
      // Withdrawing consent ends the processing: the record goes, nothing is kept "inactive".
      await Subscribers.deleteOne({ channel, chatId });
    },
  };
}

/** Deletes everything tied to a chat (Law 91/2025, deletion on request), through `sessions` (and its cache). */
export function createPrivacyStore(conn: Connection, sessions: SessionPort): PrivacyPort {
  const Subscribers = subscriberModel(conn);
  return {
    async deleteChatData(channel, chatId) {
      await Promise.all([sessions.delete(channel, chatId), Subscribers.deleteOne({ channel, chatId })]);
    },
  };
}
