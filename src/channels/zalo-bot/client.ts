/**
 * A typed client for the Zalo Bot Platform (`POST {root}/bot<TOKEN>/<method>`, JSON envelope
 * `{ok, result?, error_code?, description?}`). The token sits in the URL: never log URLs.
 */
import { z } from "zod";

/** The API said no (`ok: false`). */
export class ZaloBotApiError extends Error {
  readonly code: number;
  constructor(code: number, description: string) {
    super(`Zalo Bot API error ${code}: ${description}`);
    this.name = "ZaloBotApiError";
    this.code = code;
  }
}

const envelope = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
});

export interface ZaloBotClient {
  call(method: string, body: Record<string, unknown>, timeoutMs?: number): Promise<unknown>;
  /** Sends text; `parseMode` only where the text has markup worth keeping. */
  sendMessage(chatId: string, text: string, parseMode?: "markdown" | "html"): Promise<void>;
  /** Shows "typing…" while an answer is prepared. */
  sendChatAction(chatId: string, action: "typing"): Promise<void>;
  /** One update, or undefined when none arrived within the timeout (the API's 408). */
  getUpdates(timeoutSec: number): Promise<unknown>;
  setWebhook(url: string, secretToken: string): Promise<void>;
  deleteWebhook(): Promise<void>;
  /** The webhook URL currently set ("" when none). */
  getWebhookInfo(): Promise<{ url: string }>;
}

/** Creates the client, e.g. `createZaloBotClient({ token, apiRoot: "https://bot-api.zaloplatforms.com" })`. */
export function createZaloBotClient(opts: { token: string; apiRoot: string }): ZaloBotClient {
  const root = opts.apiRoot.replace(/\/$/, "");
  async function call(method: string, body: Record<string, unknown>, timeoutMs = 15_000): Promise<unknown> {
    const res = await fetch(`${root}/bot${opts.token}/${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new ZaloBotApiError(res.status, `non-JSON answer to ${method} (HTTP ${res.status})`);
    }
    const parsed = envelope.safeParse(json);
    if (!parsed.success) throw new ZaloBotApiError(res.status, `malformed answer to ${method}`);
    if (!parsed.data.ok)
      throw new ZaloBotApiError(
        parsed.data.error_code ?? res.status,
        parsed.data.description ?? "unknown error",
      );
    return parsed.data.result;
  }
  return {
    call,
    async sendMessage(chatId, text, parseMode) {
      await call("sendMessage", { chat_id: chatId, text, ...(parseMode ? { parse_mode: parseMode } : {}) });
    },
    async sendChatAction(chatId, action) {
      await call("sendChatAction", { chat_id: chatId, action }, 5_000);
    },
    async getUpdates(timeoutSec) {
      try {
        return await call("getUpdates", { timeout: String(timeoutSec) }, (timeoutSec + 10) * 1000);
      } catch (err) {
        if (err instanceof ZaloBotApiError && err.code === 408) return undefined;
        throw err;
      }
    },
    async setWebhook(url, secretToken) {
      await call("setWebhook", { url, secret_token: secretToken });
    },
    async deleteWebhook() {
      await call("deleteWebhook", {});
    },
    async getWebhookInfo() {
      const r = (await call("getWebhookInfo", {})) as { url?: unknown } | undefined;
      return { url: typeof r?.url === "string" ? r.url : "" };
    },
  };
}
