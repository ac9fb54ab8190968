/**
 * The Zalo Bot Platform channel: a webhook at `POST /webhooks/zalo-bot` (secret header checked in
 * constant time) that stores each update and answers 200 at once, handling it after (a sweeper retries
 * what a crash left behind); or long polling with getUpdates after deleteWebhook. Updates are
 * deduplicated on event name + message id; updates without a message are acknowledged and ignored;
 * choices are rendered as numbered lines.
 */
import express, { type Express } from "express";
import type { Model } from "mongoose";
import type { IncomingMessage } from "../../core/types.js";
import type { Logger } from "../../logger.js";
import { createEventInbox, type InboxEventDoc } from "../inbox.js";
import { requireSecretHeader } from "../secret.js";
import { runTurn, type TurnDeps } from "../turn.js";
import type { ZaloBotClient } from "./client.js";
import { createRateLimiter } from "../outbound/limiter.js";
import type { OutboundSender } from "../outbound/sender.js";
import { renderZaloBot } from "./render.js";
import { createZaloBotSender, sendZaloBotTexts } from "./sender.js";
import { parseZaloBotUpdate, type ZaloBotUpdate } from "./updates.js";

/** Where the Zalo Bot Platform delivers webhook updates. */
export const ZALO_BOT_WEBHOOK_PATH = "/webhooks/zalo-bot";

export interface ZaloBotChannelDeps extends TurnDeps {
  client: ZaloBotClient;
  publicUrl: string | undefined;
  webhookSecret: string;
  /** Accepted updates, stored before the 200 (dedupe across redeliveries, retry after a crash). */
  events: Model<InboxEventDoc>;
  bodyLimit: string;
  logger: Logger;
  /** Seconds one getUpdates call waits (polling mode). */
  pollTimeoutSec?: number;
  ratePerSec: number;
  sweepIntervalMs?: number;
}

export interface ZaloBotChannel {
  mount(app: Express): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Handles stored updates now (also run by the sweeper); resolves when done. */
  drain(): Promise<void>;
  readonly sender: OutboundSender;
}

/** Creates the channel, e.g. `createZaloBotChannel({ client, engine, … }).start()`. */
export function createZaloBotChannel(deps: ZaloBotChannelDeps): ZaloBotChannel {
  const { logger } = deps;
  let polling = false;
  let loop: Promise<void> | undefined;
  const limiter = createRateLimiter({ ratePerSec: deps.ratePerSec });
  const sender = createZaloBotSender(deps.client, limiter, deps.t("vi", "zalo.chooseByNumber"));

  async function handle(update: ZaloBotUpdate): Promise<void> {
    const m = update.message;
    if (!m || m.from.is_bot || (m.chat.chat_type && m.chat.chat_type !== "PRIVATE")) return;
    const chatId = m.chat.id;
    // Voice and stickers carry nothing to answer: a short fitting reply instead of an empty turn.
    if (update.kind === "voice" || update.kind === "sticker") {
      // A flood of stickers is a flood like any other: counted, and answered at most as the guard allows.
      if (deps.flood.check(`zalo-bot:${chatId}`) !== "ok") return;
      await sendZaloBotTexts(
        deps.client,
        limiter,
        chatId,
        [{ text: deps.t("vi", `zalo.${update.kind}`) }],
        "reply",
      );
      return;
    }
    if (update.kind === "unsupported") return;
    const caption = m.caption ?? undefined;
    const msg: IncomingMessage = {
      channel: "zalo-bot",
      chatId,
      userId: m.from.id,
      text: update.kind === "text" ? m.text : caption,
      photo: update.kind === "image" ? update.photo : undefined,
      messageId: m.message_id,
    };
    // "typing…" while the answer is prepared (best effort: it never holds the answer back).
    void deps.client.sendChatAction(chatId, "typing").catch((err: unknown) => {
      logger.debug({ err: (err as Error).message }, "zalo-bot: sendChatAction failed");
    });
    const { replies, lang } = await runTurn(deps, msg);
    if (!replies.length) return;
    await sendZaloBotTexts(
      deps.client,
      limiter,
      msg.chatId,
      renderZaloBot(replies, deps.t(lang, "zalo.chooseByNumber")),
      "reply",
    );
  }

  const inbox = createEventInbox({
    events: deps.events,
    handle: async (body) => {
      const update = parseZaloBotUpdate(body);
      if (update) await handle(update);
    },
    logger,
    name: "zalo-bot",
  });

  /** Stores an update for handling; undefined when there is nothing to handle (no message). */
  async function accept(update: ZaloBotUpdate, raw: unknown): Promise<string | undefined> {
    if (!update.message) {
      logger.debug({ event: update.eventName }, "zalo-bot: update without a message; ignored");
      return undefined;
    }
    // No update_id exists: event name + message id identify a delivery.
    const key = `zalo-bot:${update.eventName}:${update.message.message_id}`;
    const inner = raw && typeof raw === "object" && "result" in raw ? raw.result : raw;
    return (await inbox.accept(key, inner as Record<string, unknown>)) === "stored" ? key : undefined;
  }

  async function poll(): Promise<void> {
    let backoff = 1_000;
    while (polling) {
      try {
        const raw = await deps.client.getUpdates(deps.pollTimeoutSec ?? 30);
        backoff = 1_000;
        if (raw === undefined) continue;
        const update = parseZaloBotUpdate(raw);
        if (!update) continue;
        const key = await accept(update, raw);
        if (key) await inbox.process(key);
      } catch (err) {
        if (!polling) return;
        logger.warn({ err: (err as Error).message }, "zalo-bot: polling failed; retrying");
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  return {
    sender,
    drain: () => inbox.drain(),
    mount(app) {
      app.post(
        ZALO_BOT_WEBHOOK_PATH,
        requireSecretHeader("x-bot-api-secret-token", deps.webhookSecret),
        express.json({ limit: deps.bodyLimit, type: () => true }),
        (req, res, next) => {
          const update = parseZaloBotUpdate(req.body);
          if (!update) {
            res.status(400).json({ error: { code: "MALFORMED_UPDATE", message: "Not a Zalo Bot update" } });
            return;
          }
          accept(update, req.body)
            .then((key) => {
              // Acknowledge first: the turn and its replies run after the platform has its 200.
              res.json({ ok: true });
              if (key) inbox.schedule(key);
            })
            .catch((err: unknown) => {
              logger.warn({ err }, "zalo-bot: store unavailable; asking for a retry");
              res.status(503).json({ error: { code: "STORE_UNAVAILABLE", message: "Try again later" } });
            })
            .catch(next);
        },
      );
    },
    async start() {
      await deps.events.init();
      inbox.start(deps.sweepIntervalMs ?? 30_000);
      if (deps.publicUrl) {
        await deps.client.setWebhook(
          `${deps.publicUrl.replace(/\/$/, "")}${ZALO_BOT_WEBHOOK_PATH}`,
          deps.webhookSecret,
        );
        logger.info({ path: ZALO_BOT_WEBHOOK_PATH }, "zalo-bot webhook set");
        return;
      }
      // getUpdates does not work while a webhook is set (docs): remove it first, as telegraf does.
      await deps.client.deleteWebhook();
      const info = await deps.client.getWebhookInfo().catch(() => ({ url: "" }));
      if (info.url)
        logger.warn("zalo-bot: a webhook is still set after deleteWebhook; polling may get nothing");
      polling = true;
      loop = poll();
      logger.info("zalo-bot long polling started");
    },
    async stop() {
      polling = false;
      await Promise.race([loop, new Promise((r) => setTimeout(r, 100))]);
      await inbox.stop();
    },
  };
}
