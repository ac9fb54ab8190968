/**
 * The Telegram channel (telegraf is confined to this folder): long polling or a webhook at
 * `POST /webhooks/telegram`, validated and deduplicated updates, rendered replies, one error path.
 */
import express, { type Express, type Request, type Response } from "express";
import { Telegraf } from "telegraf";
import type { Engine } from "../../core/engine.js";
import type { IncomingMessage, Lang } from "../../core/types.js";
import type { Translator } from "../../i18n.js";
import type { Logger } from "../../logger.js";
import type { UpdateMarks } from "../../store/models/processed-update.js";
import type { FloodGuard } from "../flood.js";
import { deriveSecret, requireSecretHeader } from "../secret.js";
import { runTurn } from "../turn.js";
import { createRateLimiter } from "../outbound/limiter.js";
import type { OutboundSender } from "../outbound/sender.js";
import { createTelegramSender } from "./sender.js";
import { createTelegramDesk } from "./desk.js";
import type { StaffDesk, StaffInbound } from "../../handoff/ports.js";
import { updateSchema, type TelegramUpdate } from "./updates.js";

/** Where Telegram delivers webhook updates. */
export const TELEGRAM_WEBHOOK_PATH = "/webhooks/telegram";

/** What the Telegram channel needs. */
export interface TelegramChannelDeps {
  token: string;
  apiRoot: string;
  /** Public HTTPS base URL; unset = long polling. */
  publicUrl: string | undefined;
  webhookSecret: string;
  engine: Engine;
  t: Translator;
  logger: Logger;
  /** Claims and completions of updates (dedupe across redeliveries). */
  marks: UpdateMarks;
  flood: FloodGuard;
  bodyLimit: string;
  /** Messages per second across all chats (Telegram's bulk limit is about 30). */
  ratePerSec: number;
  /** Staff groups (handoff to the advisory team): their messages and buttons go here. */
  staff?: StaffInbound | undefined;
}

/** A running (or runnable) Telegram channel. */
export interface TelegramChannel {
  /** Mounts the webhook route on the express app (before the 404 handler). */
  mount(app: Express): void;
  /** Sets the webhook (with PUBLIC_URL) or starts long polling. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The outbound path (limiter included) for broadcasts and pushes. */
  readonly sender: OutboundSender;
  /** Staff groups: handoff cards and relayed messages, through the same limiter. */
  readonly desk: StaffDesk;
  /** Downloads a photo by file id (so it can be re-uploaded to a platform without Telegram URLs). */
  download(fileId: string): Promise<{ bytes: Buffer; mime: string }>;
}

/** Derives a webhook secret from the token when none is configured (same on every replica). */
export function defaultWebhookSecret(token: string): string {
  return deriveSecret("telegram-webhook", token);
}

function langOf(code: string | undefined): Lang {
  return code?.toLowerCase().startsWith("en") ? "en" : "vi";
}

/** Creates the channel, e.g. `createTelegramChannel({ token, apiRoot, engine, … }).start()`. */
export function createTelegramChannel(deps: TelegramChannelDeps): TelegramChannel {
  const { logger } = deps;
  const { marks } = deps;
  const root = deps.apiRoot.endsWith("/") ? deps.apiRoot : `${deps.apiRoot}/`;
  const bot = new Telegraf(deps.token, {
    telegram: { apiRoot: root.replace(/\/$/, ""), webhookReply: false },
  });
  let polling = false;
  const limiter = createRateLimiter({ ratePerSec: deps.ratePerSec });
  const sender = createTelegramSender(bot.telegram, limiter, logger);
  const desk = createTelegramDesk(bot.telegram, limiter, logger);

  /** A staff member as the handoff service knows them (the first name is shown only if configured). */
  const staffOf = (from: { id: number; first_name?: string | undefined } | undefined) => ({
    id: `telegram:${from?.id ?? 0}`,
    name: from?.first_name,
  });

  /** A message or button press in a staff group. */
  async function processStaff(update: TelegramUpdate, staff: StaffInbound): Promise<void> {
    if (update.message) {
      const m = update.message;
      if (m.from?.is_bot) return;
      const chatId = String(m.chat.id);
      const answer = await staff.onMessage({
        chatId,
        staff: staffOf(m.from),
        replyTo: m.reply_to_message?.message_id,
        text: m.text ?? m.caption,
        photo: m.photo?.at(-1)?.file_id,
      });
      if (answer) await desk.post(chatId, answer.reply, { replyTo: answer.replyTo ?? m.message_id });
      return;
    }
    const q = update.callback_query;
    if (!q?.message) return;
    const notice = await staff.onButton({
      chatId: String(q.message.chat.id),
      staff: staffOf(q.from),
      data: q.data ?? "",
    });
    await bot.telegram.answerCbQuery(q.id, notice.slice(0, 200)).catch((err: unknown) => {
      logger.debug({ err, updateId: update.update_id }, "answerCallbackQuery failed");
    });
  }

  async function process(update: TelegramUpdate): Promise<void> {
    const chat = update.message?.chat ?? update.callback_query?.message?.chat;
    if (chat && chat.type !== "private") {
      if (deps.staff?.isStaffChat(String(chat.id))) await processStaff(update, deps.staff);
      return;
    }
    let msg: IncomingMessage | undefined;
    let lang: Lang = "vi";
    if (update.message) {
      const m = update.message;
      if (m.from?.is_bot) return;
      lang = langOf(m.from?.language_code);
      msg = {
        channel: "telegram",
        chatId: String(m.chat.id),
        userId: m.from ? String(m.from.id) : undefined,
        // A photo's caption is what the citizen typed with it (the feedback form takes both).
        text: m.text ?? m.caption,
        photo: m.photo?.at(-1)?.file_id,
        localeHint: m.from?.language_code,
        messageId: String(update.update_id),
      };
    } else if (update.callback_query) {
      const q = update.callback_query;
      // Always answer, or the user's button keeps spinning.
      bot.telegram
        .answerCbQuery(q.id)
        .catch((err: unknown) =>
          logger.debug({ err, updateId: update.update_id }, "answerCallbackQuery failed"),
        );
      lang = langOf(q.from.language_code);
      msg = {
        channel: "telegram",
        chatId: String(q.message?.chat.id ?? q.from.id),
        userId: String(q.from.id),
        payload: q.data ?? "menu",
        localeHint: q.from.language_code,
        messageId: String(update.update_id),
      };
    }
    if (!msg) return;
    const { replies } = await runTurn(deps, msg, lang);
    for (const reply of replies) {
      const outcome = await sender.send(msg.chatId, reply, "reply");
      if (outcome.status !== "sent")
        logger.warn({ status: outcome.status, updateId: update.update_id }, "telegram reply not delivered");
    }
  }

  bot.use(async (ctx) => {
    const parsed = updateSchema.safeParse(ctx.update);
    if (!parsed.success) {
      logger.debug(
        {
          updateId: (ctx.update as { update_id?: unknown }).update_id,
          issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
        },
        "ignoring an update of an unknown shape",
      );
      return;
    }
    const key = `telegram:${parsed.data.update_id}`;
    if ((await marks.begin(key)) !== "new") {
      logger.debug({ updateId: parsed.data.update_id }, "duplicate update ignored");
      return;
    }
    await process(parsed.data);
    await marks.finish(key);
  });
  bot.catch((err, ctx) => {
    logger.error({ err, updateId: ctx.update.update_id, channel: "telegram" }, "failed to handle an update");
  });

  async function webhook(req: Request, res: Response): Promise<void> {
    const parsed = updateSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: { code: "MALFORMED_UPDATE", message: "Not a Telegram update" } });
      return;
    }
    const key = `telegram:${parsed.data.update_id}`;
    try {
      const claim = await marks.begin(key);
      if (claim === "done") {
        res.json({ ok: true, duplicate: true });
        return;
      }
      if (claim === "busy") {
        // Being handled by another request right now: Telegram will redeliver if that one fails.
        res
          .status(503)
          .json({ error: { code: "IN_PROGRESS", message: "Update is being handled; retry later" } });
        return;
      }
    } catch (err) {
      // The store is unreachable: refuse with a retryable status so Telegram redelivers later.
      logger.warn({ err, updateId: parsed.data.update_id }, "store unavailable; asking Telegram to retry");
      res.status(503).json({ error: { code: "STORE_UNAVAILABLE", message: "Try again later" } });
      return;
    }
    try {
      await process(parsed.data);
    } catch (err) {
      logger.error(
        { err, updateId: parsed.data.update_id, channel: "telegram" },
        "failed to handle a webhook update",
      );
    }
    // Only a finished update is acknowledged: if this process dies first, the redelivery is handled.
    try {
      await marks.finish(key);
    } catch (err) {
      logger.warn({ err, updateId: parsed.data.update_id }, "could not mark an update done");
    }
    res.json({ ok: true });
  }

  return {
    sender,
    desk,
    async download(fileId) {
      // The file URL carries the bot token: it is never logged.
      const link = await bot.telegram.getFileLink(fileId);
      const res = await fetch(link, { signal: AbortSignal.timeout(20_000) });
      if (!res.ok) throw new Error(`telegram file download failed (HTTP ${res.status})`);
      const bytes = Buffer.from(await res.arrayBuffer());
      if (bytes.length > 1_000_000) throw new Error("photo larger than Zalo's 1 MB upload limit");
      return { bytes, mime: /\.png$/i.test(link.pathname) ? "image/png" : "image/jpeg" };
    },
    mount(app) {
      app.post(
        TELEGRAM_WEBHOOK_PATH,
        requireSecretHeader("x-telegram-bot-api-secret-token", deps.webhookSecret),
        express.json({ limit: deps.bodyLimit, type: () => true }),
        (req, res, next) => {
          webhook(req, res).catch(next);
        },
      );
    },
    async start() {
      bot.botInfo ??= await bot.telegram.getMe();
      if (deps.publicUrl) {
        const url = `${deps.publicUrl.replace(/\/$/, "")}${TELEGRAM_WEBHOOK_PATH}`;
        await bot.telegram.setWebhook(url, {
          secret_token: deps.webhookSecret,
          allowed_updates: ["message", "callback_query"],
        });
        logger.info({ path: TELEGRAM_WEBHOOK_PATH }, "telegram webhook set");
        return;
      }
      polling = true;
      bot
        .launch({ allowedUpdates: ["message", "callback_query"] })
        .catch((err: unknown) => logger.error({ err }, "telegram polling stopped with an error"));
      logger.info("telegram long polling started");
    },
    async stop() {
      if (polling) {
        polling = false;
        try {
          bot.stop("shutdown");
        } catch {
          // Already stopped.
        }
      }
      await Promise.resolve();
    },
  };
}
