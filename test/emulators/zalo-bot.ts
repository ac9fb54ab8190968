/**
 * A local Zalo Bot Platform server, written from the public documentation and a maintained client,
 * never from motcua's code (it imports nothing from src/). Sources:
 * - the official docs (bot.zaloplatforms.com/docs), copy in
 *   XuanNguyenNB/QuanLyThuChi_Bot_Telegram_Zalom:docs/ZALO_BOT_API.md: `POST /bot<TOKEN>/<method>`,
 *   `{ok, result?, error_code?, description?}`, getUpdates (one update, 408 when none; not while a
 *   webhook is set), setWebhook {url, secret_token 8–256} → {url, updated_at}, getWebhookInfo,
 *   deleteWebhook, sendMessage (1–2,000 chars), sendPhoto {photo URL, caption}, sendSticker,
 *   sendChatAction {action: "typing"}; webhook deliveries carry `X-Bot-Api-Secret-Token`.
 * - openclaw/openclaw extensions/zalo/src/api.ts, monitor.webhook.ts, inbound-parsing.ts: images as
 *   `photo_url` (legacy `photo`), deliveries bare or wrapped as `{ok, result}`, and
 *   message.unsupported.received without a message.
 * Payload samples: test/fixtures/zalo/bot/.
 */
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import path from "node:path";
import express from "express";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/zalo/bot");
/** A payload sample from test/fixtures/zalo/bot/. */
export function botFixture(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Record<string, unknown>;
}

export interface ZaloBotEmulator {
  url: string;
  token: string;
  /** Texts and photos the bot sent, in order. */
  sent: Array<{ chatId: string; text: string; parseMode?: string; photo?: string }>;
  /** Chat actions the bot sent ("typing"). */
  actions: Array<{ chatId: string; action: string }>;
  /** Methods called, in order (e.g. deleteWebhook before getUpdates). */
  calls: string[];
  webhook: { url: string; secret: string } | undefined;
  /** Holds each sendMessage answer this long (a slow platform). */
  sendDelayMs: number;
  /** Queues an update for getUpdates (polling mode). */
  push(update: Record<string, unknown>): void;
  /** POSTs an update to the registered webhook with its secret, as the platform does. */
  deliver(
    update: Record<string, unknown>,
    opts?: { secret?: string | null; target?: string },
  ): Promise<Response>;
  messagesTo(chatId: string): string[];
  close(): Promise<void>;
}

export async function startZaloBotEmulator(
  opts: { waitMs?: number; webhook?: { url: string; secret: string } } = {},
): Promise<ZaloBotEmulator> {
  const token = "2233445566:zalo-bot-secret-for-tests";
  const app = express();
  const sent: ZaloBotEmulator["sent"] = [];
  const actions: ZaloBotEmulator["actions"] = [];
  const calls: string[] = [];
  const queue: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let webhook: ZaloBotEmulator["webhook"] = opts.webhook;
  let sendDelayMs = 0;
  const fail = (res: express.Response, code: number, description: string) =>
    res.json({ ok: false, error_code: code, description });

  app.post("/bot:token/:method", express.json({ limit: "1mb" }), async (req, res) => {
    if (req.params.token !== token) {
      res.status(401).json({ ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    calls.push(req.params.method);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const chatOk = typeof body.chat_id === "string" && body.chat_id.length > 0;
    switch (req.params.method) {
      case "getMe":
        res.json({
          ok: true,
          result: {
            id: "2233445566",
            account_name: "bot.motcua",
            account_type: "BASIC",
            can_join_groups: false,
          },
        });
        return;
      case "sendMessage": {
        if (sendDelayMs) await new Promise((r) => setTimeout(r, sendDelayMs));
        const text = body.text;
        if (!chatOk || typeof text !== "string" || text.length === 0 || text.length > 2000)
          return fail(res, 400, "Bad Request: invalid chat_id or text");
        if (body.parse_mode !== undefined && body.parse_mode !== "markdown" && body.parse_mode !== "html")
          return fail(res, 400, "Bad Request: invalid parse_mode");
        // What the citizen sees: markdown's **bold** markers are rendered, not shown (verify on a real bot).
        const shown = body.parse_mode === "markdown" ? text.replace(/\*\*([^*\n]+?)\*\*/g, "$1") : text;
        sent.push({
          chatId: body.chat_id as string,
          text: shown,
          ...(body.parse_mode ? { parseMode: String(body.parse_mode) } : {}),
        });
        res.json({ ok: true, result: { message_id: `m${sent.length}`, date: Date.now() } });
        return;
      }
      case "sendPhoto": {
        const photo = body.photo;
        const caption = body.caption;
        if (!chatOk || typeof photo !== "string" || !/^https?:\/\//.test(photo))
          return fail(res, 400, "Bad Request: photo must be a URL");
        if (caption !== undefined && (typeof caption !== "string" || caption.length > 2000))
          return fail(res, 400, "Bad Request: caption");
        sent.push({
          chatId: body.chat_id as string,
          text: typeof caption === "string" ? caption : "",
          photo,
        });
        res.json({ ok: true, result: { message_id: `m${sent.length}`, date: Date.now() } });
        return;
      }
      case "sendChatAction":
        if (!chatOk || body.action !== "typing") return fail(res, 400, "Bad Request: action");
        actions.push({ chatId: body.chat_id as string, action: "typing" });
        res.json({ ok: true });
        return;
      case "getUpdates": {
        if (webhook) return fail(res, 409, "Conflict: webhook is active");
        const answer = () => {
          const next = queue.shift();
          if (next) res.json({ ok: true, result: next });
          else fail(res, 408, "Request timeout");
        };
        if (queue.length) return answer();
        const waiter = () => {
          clearTimeout(timer);
          answer();
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          answer();
        }, opts.waitMs ?? 300);
        waiters.push(waiter);
        return;
      }
      case "setWebhook":
        if (
          typeof body.url !== "string" ||
          !body.url.startsWith("https://") ||
          typeof body.secret_token !== "string" ||
          body.secret_token.length < 8 ||
          body.secret_token.length > 256
        )
          return fail(res, 400, "Bad Request: url (https) and secret_token (8-256) required");
        webhook = { url: body.url, secret: body.secret_token };
        res.json({ ok: true, result: { url: body.url, updated_at: Date.now() } });
        return;
      case "getWebhookInfo":
        res.json({ ok: true, result: { url: webhook?.url ?? "", updated_at: Date.now() } });
        return;
      case "deleteWebhook":
        webhook = undefined;
        res.json({ ok: true, result: { url: "", updated_at: Date.now() } });
        return;
      default:
        res.status(404).json({ ok: false, error_code: 404, description: "Not Found: method" });
    }
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    sent,
    actions,
    calls,
    get webhook() {
      return webhook;
    },
    get sendDelayMs() {
      return sendDelayMs;
    },
    set sendDelayMs(ms: number) {
      sendDelayMs = ms;
    },
    push(update) {
      queue.push(update);
      waiters.splice(0).forEach((w) => w());
    },
    async deliver(update, o = {}) {
      const target = o.target ?? webhook?.url;
      if (!target) throw new Error("no webhook set");
      const secret = o.secret === undefined ? webhook?.secret : o.secret;
      return fetch(target, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(secret ? { "X-Bot-Api-Secret-Token": secret } : {}),
        },
        body: JSON.stringify(update),
      });
    },
    messagesTo(chatId) {
      return sent.filter((m) => m.chatId === chatId).map((m) => m.text);
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let seq = 1;
/** Fills a sample's ids for this chat with a fresh message id. */
function forChat(sample: Record<string, unknown>, chatId: string): Record<string, unknown> {
  const inner = (sample.ok === true ? sample.result : sample) as Record<string, unknown>;
  const m = inner.message as Record<string, unknown> | undefined;
  if (!m) return inner;
  return {
    ...inner,
    message: {
      ...m,
      message_id: `zm-${Date.now()}-${seq++}`,
      chat: { ...(m.chat as object), id: chatId },
      from: { ...(m.from as object), id: chatId },
      date: Date.now(),
    },
  };
}

/** A `message.text.received` update built on the docs sample. */
export function botTextUpdate(chatId: string, text: string): Record<string, unknown> {
  const u = forChat(botFixture("text.webhook"), chatId);
  return { ...u, message: { ...(u.message as object), text } };
}

/** A `message.image.received` update with the image as `photo` (docs) or `photo_url` (openclaw). */
export function botImageUpdate(
  chatId: string,
  url: string,
  field: "photo" | "photo_url",
  caption?: string,
): Record<string, unknown> {
  const u = forChat(botFixture(field === "photo" ? "image.photo" : "image.photo_url"), chatId);
  const m = { ...(u.message as Record<string, unknown>) };
  m[field] = url;
  m.caption = caption ?? null;
  return { ...u, message: m };
}

/** A sticker or voice update built on the samples. */
export function botMediaUpdate(chatId: string, kind: "sticker" | "voice"): Record<string, unknown> {
  return forChat(botFixture(kind), chatId);
}

/** `message.unsupported.received` without a message (protected users), as delivered. */
export function botUnsupportedUpdate(): Record<string, unknown> {
  return botFixture("unsupported.no-message");
}
