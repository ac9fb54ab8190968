/**
 * A Telegram Bot API server that enforces limits the way Telegram does (platforms.md): a global rate
 * with real 429s carrying retry_after, 403 for chats that blocked the bot, scripted 500s, and chats
 * whose answer can be held back. Used for broadcasts and their benchmark.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";

export interface LimitedTelegram {
  url: string;
  /** Accepted messages in arrival order. */
  received: Array<{ chatId: string; text: string; at: number }>;
  tooMany: number;
  blocked: Set<string>;
  /** How many of the next sendMessage calls fail with 500. */
  fail500: { count: number };
  /** Chats whose sendMessage does not answer until released. */
  hold: Set<string>;
  release(): void;
  close(): Promise<void>;
}

/** Starts the server on `port` (0 = free) allowing `ratePerSec` messages a second overall. */
export async function startLimitedTelegram(opts: {
  ratePerSec: number;
  port?: number;
  retryAfterSec?: number;
}): Promise<LimitedTelegram> {
  const app = express();
  const received: LimitedTelegram["received"] = [];
  const blocked = new Set<string>();
  const hold = new Set<string>();
  const held: Array<() => void> = [];
  const fail500 = { count: 0 };
  let tooMany = 0;
  let tokens = opts.ratePerSec;
  let last = Date.now();

  app.post("/bot:token/:method", express.json({ limit: "1mb" }), (req, res) => {
    const body = req.body as { chat_id?: unknown; text?: unknown };
    if (req.params.method === "getMe") {
      res.json({ ok: true, result: { id: 1, is_bot: true, first_name: "motcua", username: "motcua_bot" } });
      return;
    }
    if (["setWebhook", "deleteWebhook", "answerCallbackQuery"].includes(req.params.method)) {
      res.json({ ok: true, result: true });
      return;
    }
    if (req.params.method !== "sendMessage") {
      res.status(404).json({ ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    const chatId = String(body.chat_id);
    const answer = () => {
      const t = Date.now();
      tokens = Math.min(opts.ratePerSec, tokens + ((t - last) / 1000) * opts.ratePerSec);
      last = t;
      if (fail500.count > 0) {
        fail500.count--;
        res.status(500).json({ ok: false, error_code: 500, description: "Internal Server Error" });
        return;
      }
      if (tokens < 1) {
        tooMany++;
        const after = opts.retryAfterSec ?? 1;
        res.status(429).json({
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${after}`,
          parameters: { retry_after: after },
        });
        return;
      }
      tokens -= 1;
      if (blocked.has(chatId)) {
        res
          .status(403)
          .json({ ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
        return;
      }
      received.push({ chatId, text: String(body.text), at: t });
      res.json({
        ok: true,
        result: {
          message_id: received.length,
          date: Math.floor(t / 1000),
          chat: { id: Number(chatId), type: "private" },
          text: body.text,
        },
      });
    };
    if (hold.has(chatId)) held.push(answer);
    else answer();
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(opts.port ?? 0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    get tooMany() {
      return tooMany;
    },
    blocked,
    fail500,
    hold,
    release() {
      hold.clear();
      held.splice(0).forEach((f) => f());
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
