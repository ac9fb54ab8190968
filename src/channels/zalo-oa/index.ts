/**
 * The Zalo Official Account channel: `POST /webhooks/zalo-oa` verifies the signature (OA Secret Key)
 * on the raw bytes, rejects foreign events and replays older than Zalo's retry ladder, persists each
 * accepted event (idempotent on its msg_id), answers 200 at once and handles it after; a sweeper
 * retries what a crash left behind, and keeps an idle OA's tokens fresh.
 */
import express, { type Express, type Request, type Response } from "express";
import type { Model } from "mongoose";
import type { SubscriptionPort } from "../../core/ports.js";
import { TOPICS } from "../../core/topics.js";
import type { IncomingMessage } from "../../core/types.js";
import type { Logger } from "../../logger.js";
import type { SubscriberDoc } from "../../store/models/subscriber.js";
import type { ZaloOaEventDoc } from "../../store/models/zalo-oa-event.js";
import { createEventInbox } from "../inbox.js";
import { runTurn, type TurnDeps } from "../turn.js";
import { ZaloOaError, type ZaloOaClient } from "./client.js";
import { baseEventSchema, eventKey, oaEventSchema, type OaEvent } from "./events.js";
import { createRateLimiter, type RateLimiter } from "../outbound/limiter.js";
import type { OutboundSender } from "../outbound/sender.js";
import { createOaAnnouncer, type OaAnnouncerDeps } from "./announce.js";
import { oaRequestUserInfo, renderZaloOa, type OaOutgoing } from "./render.js";
import { createZaloOaSender, sendOaMessages, type PhotoDownloader } from "./sender.js";
import { verifyOaSignature } from "./signature.js";

/** Where Zalo delivers OA webhook events. */
export const ZALO_OA_WEBHOOK_PATH = "/webhooks/zalo-oa";
/**
 * Signed events older than this are refused as replays. Zalo retries a failed delivery after 30 s,
 * 5 min, 15 min, 30 min and 1 h (about 1.8 h in all, each with a `num_retry` header), very likely with
 * the original timestamp: a shorter window would lose every retried event after an outage. Replays
 * inside it are caught by the msg_id deduplication.
 */
export const OA_MAX_AGE_MS = 3 * 3600_000;
/** Signed events dated further in the future than this are refused (clock skew). */
export const OA_MAX_FUTURE_MS = 15 * 60_000;
/** How often an idle OA checks that its access token (and with it the rotating refresh token) is fresh. */
export const OA_KEEP_FRESH_MS = 3600_000;
/** Consent recorded when following the OA subscribes a citizen. */
export const OA_FOLLOW_CONSENT = "zalo-oa-follow-2026-11";
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
  /** Fetches a Telegram photo's bytes so staff photos can be uploaded to the OA. */
  download?: PhotoDownloader;
  /** The image shown on the one-tap contact request card. */
  contactCardImage?: string;
  /** How announcements reach followers outside the free 48-hour window. */
  announcements?: Omit<OaAnnouncerDeps, "client" | "limiter">;
}

export interface ZaloOaChannel {
  mount(app: Express): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Handles pending events now (also run by the sweeper); resolves when done. */
  drain(): Promise<void>;
  /** Refreshes the OA token now if it is due (the hourly idle check runs this). */
  keepFresh(): Promise<void>;
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
  let keepFresh: NodeJS.Timeout | undefined;
  const limiter: RateLimiter = createRateLimiter({ ratePerSec: deps.ratePerSec });
  const announcer = createOaAnnouncer({
    client: deps.client,
    limiter,
    templates: {},
    paidConsultation: false,
    consultPriceVnd: 0,
    unitName: (id) => id ?? "",
    ...deps.announcements,
  });
  const sender: OutboundSender = {
    ...createZaloOaSender(deps.client, limiter, deps.download),
    announce: (chatId, a, reply, sub) => announcer.announce(chatId, a, reply, sub),
  };

  async function deliver(msg: IncomingMessage): Promise<void> {
    const { replies, lang } = await runTurn(deps, msg);
    const out: OaOutgoing[] = renderZaloOa(replies);
    if (replies.some((r) => r.requestContact))
      out.push({
        message: oaRequestUserInfo(
          deps.t(lang, "zalo.contactCardTitle"),
          deps.t(lang, "zalo.contactCardSubtitle"),
          deps.contactCardImage ?? "https://developers.zalo.me/web/static/zalo.png",
        ),
      });
    try {
      await sendOaMessages(deps.client, limiter, msg.chatId, out, "reply");
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
      case "user_submit_info": {
        // Handed to the engine, which keeps them only inside a form whose consent step was passed.
        await touch(e.sender.id);
        const name = e.info?.name?.trim();
        const phone = e.info?.phone?.trim();
        if (!name && !phone) return;
        await deliver({
          channel: "zalo-oa",
          chatId: e.sender.id,
          userId: e.sender.id,
          contact: { name: name?.slice(0, 100), phone: phone?.slice(0, 20) },
        });
        return;
      }
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

  const inbox = createEventInbox({
    events: deps.events,
    handle: (body) => handle(oaEventSchema.parse(body)),
    logger,
    name: "zalo-oa",
    now,
  });

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
    const age = now().getTime() - Number(base.data.timestamp);
    const retry = req.get("num_retry");
    if (retry) logger.info({ numRetry: retry.slice(0, 4), ageMs: age }, "zalo-oa: a retried delivery");
    if (age > OA_MAX_AGE_MS || age < -OA_MAX_FUTURE_MS) {
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
      if ((await inbox.accept(key, event.data)) === "duplicate") {
        res.json({ error: 0, duplicate: true });
        return;
      }
    } catch (err) {
      logger.warn({ err }, "zalo-oa: store unavailable; asking Zalo to retry");
      res.status(503).json({ error: { code: "STORE_UNAVAILABLE", message: "Try again later" } });
      return;
    }
    res.json({ error: 0 });
    inbox.schedule(key);
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
      await deps.events.init();
      inbox.start(deps.sweepIntervalMs ?? 30_000);
      keepFresh = setInterval(() => {
        // An OA nobody writes to still rotates its tokens, so the refresh token never ages out.
        deps.client.keepFresh().catch((err: unknown) => logger.warn({ err }, "zalo-oa: token check failed"));
      }, OA_KEEP_FRESH_MS);
      keepFresh.unref();
      logger.info({ path: ZALO_OA_WEBHOOK_PATH }, "zalo-oa webhook ready");
    },
    async stop() {
      if (keepFresh) clearInterval(keepFresh);
      await inbox.stop();
    },
    drain: () => inbox.drain(),
    keepFresh: () => deps.client.keepFresh(),
  };
}
