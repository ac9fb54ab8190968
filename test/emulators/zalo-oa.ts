/**
 * A local Zalo OA Open API v3 + OAuth v4 server written from the documented shapes (platforms.md):
 * `access_token` header, `{error, message, data}` answers with HTTP 200, single-use rotating refresh
 * tokens, `/v3.0/oa/message/cs` with at most 5 buttons and 2,000 characters.
 */
import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { oaSignature } from "../../src/channels/zalo-oa/signature.js";

export interface SentOaMessage {
  userId: string;
  text: string;
  buttons: Array<{ title: string; type: string; payload: unknown }>;
}

export interface ZaloOaEmulator {
  url: string;
  appId: string;
  secretKey: string;
  accessToken: string;
  refreshToken: string;
  sent: SentOaMessage[];
  refreshCalls: number;
  /** Users who get -230 (no interaction within 7 days). */
  unreachable: Set<string>;
  /** Error codes returned by the next sends, one each. */
  failNext: number[];
  /** Makes the current access token invalid (the next send gets -216). */
  revokeAccessToken(): void;
  /** Signs `event` as Zalo does and POSTs it to `target`; `tamper` alters the body after signing. */
  deliver(
    target: string,
    event: Record<string, unknown>,
    opts?: { tamper?: (raw: string) => string; secretKey?: string; header?: string },
  ): Promise<Response>;
  messagesTo(userId: string): SentOaMessage[];
  close(): Promise<void>;
}

/** Starts the emulator on a free loopback port. */
export async function startZaloOaEmulator(): Promise<ZaloOaEmulator> {
  const app = express();
  const state = {
    appId: "1234567890123456789",
    secretKey: "oa-secret-key-for-tests",
    accessToken: `at-${crypto.randomUUID()}`,
    refreshToken: `rt-${crypto.randomUUID()}`,
    revoked: new Set<string>(),
  };
  const sent: SentOaMessage[] = [];
  const unreachable = new Set<string>();
  const failNext: number[] = [];
  let refreshCalls = 0;

  app.post("/v3.0/oa/message/cs", express.json({ limit: "1mb" }), (req, res) => {
    const token = req.get("access_token");
    if (!token || token !== state.accessToken || state.revoked.has(token)) {
      res.json({ error: -216, message: "Access token is invalid" });
      return;
    }
    const body = req.body as {
      recipient?: { user_id?: unknown };
      message?: { text?: unknown; attachment?: { payload?: { buttons?: unknown[] } } };
    };
    const userId = body.recipient?.user_id;
    const text = body.message?.text;
    const buttons = (body.message?.attachment?.payload?.buttons ?? []) as SentOaMessage["buttons"];
    if (typeof userId !== "string" || typeof text !== "string" || text.length > 2000 || buttons.length > 5) {
      res.json({ error: -201, message: "Invalid parameter" });
      return;
    }
    const injected = failNext.shift();
    if (injected !== undefined) {
      res.json({ error: injected, message: "injected failure" });
      return;
    }
    if (unreachable.has(userId)) {
      res.json({ error: -230, message: "User has not interacted with the OA in the last 7 days" });
      return;
    }
    sent.push({ userId, text, buttons });
    res.json({ error: 0, message: "Success", data: { message_id: crypto.randomUUID(), user_id: userId } });
  });

  app.post("/v4/oa/access_token", express.urlencoded({ extended: false }), (req, res) => {
    const body = req.body as Record<string, string>;
    if (
      req.get("secret_key") !== state.secretKey ||
      body.app_id !== state.appId ||
      body.grant_type !== "refresh_token"
    ) {
      res.json({ error: -14002, message: "Invalid app or secret" });
      return;
    }
    if (body.refresh_token !== state.refreshToken) {
      res.json({ error: -14014, message: "Refresh token is invalid or already used" });
      return;
    }
    refreshCalls++;
    state.accessToken = `at-${crypto.randomUUID()}`;
    state.refreshToken = `rt-${crypto.randomUUID()}`;
    res.json({ access_token: state.accessToken, refresh_token: state.refreshToken, expires_in: "90000" });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const initial = { access: state.accessToken, refresh: state.refreshToken };
  return {
    url,
    appId: state.appId,
    secretKey: state.secretKey,
    accessToken: initial.access,
    refreshToken: initial.refresh,
    sent,
    get refreshCalls() {
      return refreshCalls;
    },
    unreachable,
    failNext,
    revokeAccessToken() {
      state.revoked.add(state.accessToken);
    },
    async deliver(target, event, opts = {}) {
      const raw = JSON.stringify(event);
      const appId = typeof event.app_id === "string" ? event.app_id : "";
      const timestamp =
        typeof event.timestamp === "string" ? event.timestamp : JSON.stringify(event.timestamp ?? "");
      const mac = oaSignature(appId, Buffer.from(raw, "utf8"), timestamp, opts.secretKey ?? state.secretKey);
      const body = opts.tamper ? opts.tamper(raw) : raw;
      return fetch(target, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-ZEvent-Signature": opts.header ?? `mac=${mac}` },
        body,
      });
    },
    messagesTo(userId) {
      return sent.filter((m) => m.userId === userId);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let msgSeq = 1;
/** A `user_send_text` event as Zalo sends it. */
export function oaTextEvent(
  appId: string,
  userId: string,
  text: string,
  at = Date.now(),
): Record<string, unknown> {
  return {
    app_id: appId,
    sender: { id: userId },
    recipient: { id: "579745863508352884" },
    user_id_by_app: userId,
    event_name: "user_send_text",
    message: { text, msg_id: `msg-${at}-${msgSeq++}` },
    timestamp: String(at),
  };
}

/** A `follow` or `unfollow` event. */
export function oaFollowEvent(
  appId: string,
  userId: string,
  kind: "follow" | "unfollow",
  at = Date.now(),
): Record<string, unknown> {
  return {
    app_id: appId,
    oa_id: "579745863508352884",
    follower: { id: userId },
    event_name: kind,
    source: "testing",
    timestamp: String(at),
  };
}

/** The environment that points motcua's Zalo OA channel at this emulator. */
export function oaEnv(oa: ZaloOaEmulator): Record<string, string> {
  return {
    ZALO_OA_APP_ID: oa.appId,
    ZALO_OA_SECRET_KEY: oa.secretKey,
    ZALO_OA_ACCESS_TOKEN: oa.accessToken,
    ZALO_OA_REFRESH_TOKEN: oa.refreshToken,
    ZALO_OA_API_ROOT: oa.url,
    ZALO_OAUTH_API_ROOT: oa.url,
  };
}
