/**
 * The Zalo Official Account channel: `POST /webhooks/zalo-oa` verifies the signature on the raw
 * bytes, rejects stale or foreign events, persists each accepted event (idempotent on its id), answers
 * 200 at once and handles it after; a sweeper retries what a crash left behind.
 */
import express, { type Express, type Request, type Response } from "express";
import type { Model } from "mongoose";
import { trusted } from "../../store/trusted.js";
import type { SubscriptionPort } from "../../core/ports.js";
import { TOPICS } from "../../core/topics.js";
import type { IncomingMessage } from "../../core/types.js";
import type { Logger } from "../../logger.js";
import type { SubscriberDoc } from "../../store/models/subscriber.js";
import type { ZaloOaEventDoc } from "../../store/models/zalo-oa-event.js";
import { runTurn, type TurnDeps } from "../turn.js";
import { ZaloOaError, type ZaloOaClient } from "./client.js";
import { baseEventSchema, eventKey, oaEventSchema, type OaEvent } from "./events.js";
import { createRateLimiter, type RateLimiter } from "../outbound/limiter.js";
import type { OutboundSender } from "../outbound/sender.js";
import { renderZaloOa } from "./render.js";
import { createZaloOaSender } from "./sender.js";
import { verifyOaSignature } from "./signature.js";

/** Where Zalo delivers OA webhook events. */
export const ZALO_OA_WEBHOOK_PATH = "/webhooks/zalo-oa";
/** Events older (or newer) than this are refused as replays. */
export const OA_MAX_SKEW_MS = 15 * 60_000;
/** Consent recorded when following the OA subscribes a citizen. */
export const OA_FOLLOW_CONSENT = "zalo-oa-follow-2026-11";
const MAX_ATTEMPTS = 5;
const PAYLOAD = /^(menu|[a-z]{1,4}:[A-Za-z0-9._:-]{0,60})$/;

export interface ZaloOaChannelDeps extends TurnDeps {
  client: ZaloOaClient;
  appId: string;
  secretKey: string;
  events: Model<ZaloOaEventDoc>;
  subscribers: Model<SubscriberDoc>;
  subscriptions: SubscriptionPort;
  /** The unit a follower is subscribed to when the deployment has only one. */
  defaultUnit: () => string | undefined;
  bodyLimit: string;
  logger: Logger;
  now?: () => Date;
  sweepIntervalMs?: number;
  ratePerSec: number;
}

export interface ZaloOaChannel {
  mount(app: Express): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Handles pending events now (also run by the sweeper); resolves when done. */
  drain(): Promise<void>;
  readonly sender: OutboundSender;
}

/** The URL of the first image attachment of a media event, if any. */
function photoUrl(message: Record<string, unknown>): string | undefined {
  const att = (message.attachments as Array<{ payload?: { url?: unknown } }> | undefined)?.[0];
  const url = att?.payload?.url;
  return typeof url === "string" && url.length <= 2048 ? url : undefined;
}

/** Creates the channel, e.g. `createZaloOaChannel({ client, appId, secretKey, … })`. */
export function createZaloOaChannel(deps: ZaloOaChannelDeps): ZaloOaChannel {
  const { logger } = deps;
  const now = deps.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();
  const limiter: RateLimiter = createRateLimiter({ ratePerSec: deps.ratePerSec });
  const sender = createZaloOaSender(deps.client, limiter);

  async function deliver(msg: IncomingMessage): Promise<void> {
    const { replies } = await runTurn(deps, msg);
    for (const m of renderZaloOa(replies)) {
      try {
        await limiter.acquire("reply");
        await deps.client.send(msg.chatId, m);
      } catch (err) {
        if (err instanceof ZaloOaError && err.kind === "unreachable") {
          await deps.subscribers.updateOne(
            { channel: "zalo-oa", chatId: msg.chatId },
            { $set: { inactiveReason: "unreachable" } },
          );
          logger.info({ code: err.code }, "zalo-oa: user not reachable; reply dropped");
          return;
        }
        throw err;
      }
    }
  }

  async function handle(e: OaEvent): Promise<void> {
    switch (e.event_name) {
      case "user_send_text": {
        await touch(e.sender.id);
        const text = e.message.text.trim();
        const isPayload = PAYLOAD.test(text);
        await deliver({
          channel: "zalo-oa",
          chatId: e.sender.id,
          userId: e.sender.id,
          ...(isPayload ? { payload: text } : { text }),
          messageId: e.message.msg_id,
        });
        return;
      }
      case "follow":
        await deps.subscriptions.subscribe("zalo-oa", e.follower.id, {
          topics: [...TOPICS],
          unit: deps.defaultUnit(),
          lang: "vi",
          consentVersion: OA_FOLLOW_CONSENT,
        });
        await deliver({ channel: "zalo-oa", chatId: e.follower.id, text: "/start" });
        return;
      case "unfollow":
        await deps.subscriptions.unsubscribe("zalo-oa", e.follower.id);
        return;
      case "user_submit_info":
        // Contact details are not needed by any feature yet: they are not stored.
        return;
      default:
        await touch(e.sender.id);
        await deliver({
          channel: "zalo-oa",
          chatId: e.sender.id,
          userId: e.sender.id,
          messageId: e.message.msg_id,
          photo: e.event_name === "user_send_image" ? photoUrl(e.message) : undefined,
        });
    }
  }

  /** Records the interaction that opens Zalo's 7-day window and makes a flagged user reachable again. */
  async function touch(userId: string): Promise<void> {
    await deps.subscribers.updateOne(
      { channel: "zalo-oa", chatId: userId },
      { $set: { lastInteractionAt: now() }, $unset: { inactiveReason: "" } },
    );
  }

  /** Claims one stored event (pending, failed, or stuck past its lease) and handles it. */
  async function processOne(key: string): Promise<void> {
    const t = now();
    const doc = await deps.events
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
        { $set: { status: "processing", lockUntil: new Date(t.getTime() + 60_000) }, $inc: { attempts: 1 } },
        { returnDocument: "after" },
      )
      .lean();
    if (!doc?.body) return;
    try {
      await handle(oaEventSchema.parse(doc.body));
      await deps.events.updateOne(
        { _id: key },
        { $set: { status: "done" }, $unset: { body: "", lockUntil: "", error: "" } },
      );
    } catch (err) {
      logger.error({ err, key }, "zalo-oa: failed to handle an event; will retry");
      await deps.events.updateOne(
        { _id: key },
        {
          $set: { status: "failed", error: (err as Error).message.slice(0, 200) },
          $unset: { lockUntil: "" },
        },
      );
    }
  }

  function schedule(key: string): void {
    const p = processOne(key).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  async function drain(): Promise<void> {
    await Promise.all([...inFlight]);
    const stale = new Date(now().getTime() - 5_000);
    const todo = await deps.events
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
    for (const d of todo) await processOne(d._id);
  }

  async function webhook(req: Request, res: Response): Promise<void> {
    const raw = req.body as unknown;
    if (!Buffer.isBuffer(raw) || raw.length === 0) {
      res.status(400).json({ error: { code: "EMPTY_BODY", message: "Empty body" } });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      res.status(400).json({ error: { code: "MALFORMED_JSON", message: "Malformed JSON body" } });
      return;
    }
    const base = baseEventSchema.safeParse(json);
    if (!base.success) {
      res.status(400).json({ error: { code: "MALFORMED_EVENT", message: "Not a Zalo OA event" } });
      return;
    }
    if (
      !verifyOaSignature(
        req.get("x-zevent-signature"),
        base.data.app_id,
        raw,
        base.data.timestamp,
        deps.secretKey,
      )
    ) {
      res.status(401).json({ error: { code: "BAD_SIGNATURE", message: "Signature does not match" } });
      return;
    }
    if (base.data.app_id !== deps.appId) {
      res.status(403).json({ error: { code: "FOREIGN_APP", message: "Event for another app" } });
      return;
    }
    if (Math.abs(now().getTime() - Number(base.data.timestamp)) > OA_MAX_SKEW_MS) {
      res
        .status(403)
        .json({ error: { code: "STALE_EVENT", message: "Event timestamp outside the accepted window" } });
      return;
    }
    const event = oaEventSchema.safeParse(json);
    if (!event.success) {
      // Signed but of a kind we do not handle (e.g. OA-side events): acknowledge, do nothing.
      res.json({ error: 0, ignored: true });
      return;
    }
    const key = eventKey(event.data);
    try {
      await deps.events.create({
        _id: key,
        body: event.data,
        status: "pending",
        attempts: 0,
        receivedAt: now(),
      });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) {
        res.json({ error: 0, duplicate: true });
        return;
      }
      logger.warn({ err }, "zalo-oa: store unavailable; asking Zalo to retry");
      res.status(503).json({ error: { code: "STORE_UNAVAILABLE", message: "Try again later" } });
      return;
    }
    res.json({ error: 0 });
    schedule(key);
  }

  return {
    sender,
    mount(app) {
      app.post(
        ZALO_OA_WEBHOOK_PATH,
        express.raw({ type: () => true, limit: deps.bodyLimit }),
        (req, res, next) => {
          webhook(req, res).catch(next);
        },
      );
    },
    async start() {
      await Promise.all([deps.events.init()]);
      timer = setInterval(() => {
        drain().catch((err: unknown) => logger.warn({ err }, "zalo-oa: sweep failed"));
      }, deps.sweepIntervalMs ?? 30_000);
      timer.unref();
      logger.info({ path: ZALO_OA_WEBHOOK_PATH }, "zalo-oa webhook ready");
    },
    async stop() {
      if (timer) clearInterval(timer);
      await Promise.all([...inFlight]);
    },
    drain,
  };
}
