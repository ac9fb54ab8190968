/**
 * A local Zalo Bot Platform server written from the documented shapes (platforms.md):
 * `POST /bot<TOKEN>/<method>`, `{ok, result?, error_code?, description?}`, getUpdates returning one
 * update or 408 when none arrived, sendMessage up to 2,000 characters.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";

export interface ZaloBotEmulator {
  url: string;
  token: string;
  sent: Array<{ chatId: string; text: string }>;
  webhook: { url: string; secret: string } | undefined;
  /** Queues an update for getUpdates (polling mode). */
  push(update: Record<string, unknown>): void;
  messagesTo(chatId: string): string[];
  close(): Promise<void>;
}

export async function startZaloBotEmulator(opts: { waitMs?: number } = {}): Promise<ZaloBotEmulator> {
  const token = "2233445566:zalo-bot-secret-for-tests";
  const app = express();
  const sent: ZaloBotEmulator["sent"] = [];
  const queue: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let webhook: ZaloBotEmulator["webhook"];

  app.post("/bot:token/:method", express.json({ limit: "1mb" }), (req, res) => {
    if (req.params.token !== token) {
      res.status(401).json({ ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    const body = req.body as Record<string, unknown>;
    switch (req.params.method) {
      case "getMe":
        res.json({
          ok: true,
          result: { id: "2233445566", account_name: "motcua_test_bot", can_join_groups: false },
        });
        return;
      case "sendMessage": {
        if (
          typeof body.chat_id !== "string" ||
          typeof body.text !== "string" ||
          body.text.length === 0 ||
          body.text.length > 2000
        ) {
          res.json({ ok: false, error_code: 400, description: "Bad Request: invalid chat_id or text" });
          return;
        }
        sent.push({ chatId: body.chat_id, text: body.text });
        res.json({ ok: true, result: { message_id: `m${sent.length}`, date: Date.now() } });
        return;
      }
      case "getUpdates": {
        if (webhook) {
          res.json({ ok: false, error_code: 409, description: "Conflict: webhook is active" });
          return;
        }
        const answer = () => {
          const next = queue.shift();
          if (next) res.json({ ok: true, result: next });
          else res.json({ ok: false, error_code: 408, description: "Request timeout" });
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
          typeof body.secret_token !== "string" ||
          body.secret_token.length < 8
        ) {
          res.json({
            ok: false,
            error_code: 400,
            description: "Bad Request: url and secret_token (8-256) required",
          });
          return;
        }
        webhook = { url: body.url, secret: body.secret_token };
        res.json({ ok: true, result: true });
        return;
      case "deleteWebhook":
        webhook = undefined;
        res.json({ ok: true, result: true });
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
    get webhook() {
      return webhook;
    },
    push(update) {
      queue.push(update);
      waiters.splice(0).forEach((w) => w());
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
/** A `message.text.received` update as the platform sends it. */
export function botTextUpdate(chatId: string, text: string): Record<string, unknown> {
  const id = `zm-${Date.now()}-${seq++}`;
  return {
    event_name: "message.text.received",
    message: {
      message_id: id,
      from: { id: chatId, display_name: "Dân", is_bot: false },
      chat: { id: chatId, chat_type: "PRIVATE" },
      date: Date.now(),
      text,
    },
  };
}
