/** MongoDB implementations of the engine's session, subscription and privacy ports. */
import type { Connection } from "mongoose";
import { z } from "zod";
import type { PrivacyPort, SessionPort, Subscription, SubscriptionPort } from "../core/ports.js";
import type { ChannelName } from "../core/types.js";
import { SESSION_TTL_DAYS, sessionModel } from "./models/session.js";
import { subscriberModel } from "./models/subscriber.js";

const key = (channel: ChannelName, chatId: string) => `${channel}:${chatId}`;

/** Stored session data is checked on the way out: a malformed one is treated as a fresh session. */
const sessionSchema = z.object({
  lang: z.enum(["vi", "en"]).optional(),
  unit: z.string().max(64).optional(),
  lastProcedure: z.string().max(16).optional(),
  choices: z.array(z.string().max(64)).max(100).optional(),
  awaiting: z.literal("delete-confirm").optional(),
  fb: z
    .object({
      step: z.enum(["text", "photo", "consent", "name", "phone", "confirm"]),
      category: z.string().max(32),
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
      step: z.enum(["comment", "sipas"]),
      next: z.number().int().min(0).max(5).optional(),
    })
    .optional(),
});

/** Sessions in the `sessions` collection, refreshed on every save, expiring after 90 idle days. */
export function createSessionStore(conn: Connection, now: () => Date = () => new Date()): SessionPort {
  const Sessions = sessionModel(conn);
  return {
    async get(channel, chatId) {
      const doc = await Sessions.findById(key(channel, chatId)).lean();
      if (!doc) return undefined;
      const parsed = sessionSchema.safeParse(doc.data);
      return parsed.success ? parsed.data : {};
    },
    async save(channel, chatId, session) {
      const expiresAt = new Date(now().getTime() + SESSION_TTL_DAYS * 24 * 3600 * 1000);
      await Sessions.updateOne(
        { _id: key(channel, chatId) },
        { $set: { data: session, expiresAt } },
        { upsert: true },
      );
    },
    async delete(channel, chatId) {
      await Sessions.deleteOne({ _id: key(channel, chatId) });
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

/** Deletes everything tied to a chat (Law 91/2025, deletion on request). */
export function createPrivacyStore(conn: Connection): PrivacyPort {
  const Sessions = sessionModel(conn);
  const Subscribers = subscriberModel(conn);
  return {
    async deleteChatData(channel, chatId) {
      await Promise.all([
        Sessions.deleteOne({ _id: key(channel, chatId) }),
        Subscribers.deleteOne({ channel, chatId }),
      ]);
    },
  };
}
