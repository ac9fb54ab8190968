/**
 * The Zalo Bot Platform channel: a webhook at `POST /webhooks/zalo-bot` (secret header checked in
 * constant time) or long polling with getUpdates; updates deduplicated on event name + message id;
 * choices rendered as numbered lines.
 */
import express, { type Express } from "express";
import type { IncomingMessage } from "../../core/types.js";
import type { Logger } from "../../logger.js";
import type { UpdateMarks } from "../../store/models/processed-update.js";
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
  /** Claims and completions of updates (dedupe across redeliveries). */
  marks: UpdateMarks;
  bodyLimit: string;
  logger: Logger;
  /** Seconds one getUpdates call waits (polling mode). */
  pollTimeoutSec?: number;
  ratePerSec: number;
}

export interface ZaloBotChannel {
  mount(app: Express): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly sender: OutboundSender;
}

/** Creates the channel, e.g. `createZaloBotChannel({ client, engine, … }).start()`. */
export function createZaloBotChannel(deps: ZaloBotChannelDeps): ZaloBotChannel {
  const { logger } = deps;
  const { marks } = deps;
  let polling = false;
  let loop: Promise<void> | undefined;
  const limiter = createRateLimiter({ ratePerSec: deps.ratePerSec });
  const sender = createZaloBotSender(deps.client, limiter, deps.t("vi", "zalo.chooseByNumber"));

  async function handle(update: ZaloBotUpdate): Promise<void> {
    const m = update.message;
    if (m.from.is_bot || (m.chat.chat_type && m.chat.chat_type !== "PRIVATE")) return;
    const msg: IncomingMessage = {
      channel: "zalo-bot",
      chatId: m.chat.id,
      userId: m.from.id,
      text: update.event_name === "message.text.received" ? m.text : undefined,
      photo: update.event_name === "message.image.received" ? m.photo_url : undefined,
      messageId: m.message_id,
    };
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

  const keyOf = (update: ZaloBotUpdate) => `zalo-bot:${update.event_name}:${update.message.message_id}`;

  /** Claims an update for handling: `new`, `done` (seen before) or `busy` (being handled). */
  function accept(update: ZaloBotUpdate): Promise<"new" | "done" | "busy"> {
    return marks.begin(keyOf(update));
  }

  /** Handles a claimed update and marks it done; errors are logged, never thrown. */
  async function handleClaimed(update: ZaloBotUpdate): Promise<void> {
    await handle(update).catch((err: unknown) =>
      logger.error(
        { err, channel: "zalo-bot", messageId: update.message.message_id },
        "failed to handle an update",
      ),
    );
    await marks.finish(keyOf(update));
  }

  async function poll(): Promise<void> {
    let backoff = 1_000;
    while (polling) {
      try {
        const raw = await deps.client.getUpdates(deps.pollTimeoutSec ?? 30);
        backoff = 1_000;
        if (raw === undefined) continue;
        const update = parseZaloBotUpdate(raw);
        if (!update) {
          logger.debug("zalo-bot: ignoring an update of an unknown shape");
          continue;
        }
        if ((await accept(update)) === "new") await handleClaimed(update);
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
          accept(update)
            .then(async (claim) => {
              if (claim === "busy") {
                res
                  .status(503)
                  .json({ error: { code: "IN_PROGRESS", message: "Update is being handled; retry later" } });
                return;
              }
              if (claim === "new") await handleClaimed(update);
              res.json({ ok: true });
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
      if (deps.publicUrl) {
        await deps.client.setWebhook(
          `${deps.publicUrl.replace(/\/$/, "")}${ZALO_BOT_WEBHOOK_PATH}`,
          deps.webhookSecret,
        );
        logger.info({ path: ZALO_BOT_WEBHOOK_PATH }, "zalo-bot webhook set");
        return;
      }
      polling = true;
      loop = poll();
      logger.info("zalo-bot long polling started");
    },
    async stop() {
      polling = false;
      await Promise.race([loop, new Promise((r) => setTimeout(r, 100))]);
    },
  };
}
