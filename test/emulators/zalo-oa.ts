/**
 * A local Zalo OA Open API v3 + OAuth v4 server, written from the public documentation and SDKs, never
 * from motcua's code (it imports nothing from src/). Sources:
 * - zaloplatform/zalo-java-sdk: src/test/java/GetAccessTokenByRefreshToken.java (refresh: form body,
 *   `secret_key` header), src/test/java/v3/SendTextCSMessage.java, SendImageCSMessage.java (media
 *   template), SendRequestUserInfoCSMessage.java (request_user_info), GetQuotaCSFree.java (quota).
 * - zaloplatform/zalo-php-sdk: src/Builder/MessageBuilder.php (message shapes).
 * - chatwoot/chatwoot: app/models/channel/zalo_oa.rb (ZALO_APP_SECRET in the refresh),
 *   app/jobs/webhooks/zalo_events_job.rb (signature sha256(app_id + body + timestamp + ZALO_OA_SECRET_KEY)),
 *   app/services/zalo_oa/message_sender.rb (error classes, /v2.0/oa/upload/image).
 * - docs.zaloplatforms.com/docs/OA (webhook events; retries after 30 s, 5 min, 15 min, 30 min, 1 h with
 *   a `num_retry` header; consultation window 48 h free / 7 days billable), as summarised in
 *   ../shared/platforms.md.
 * Payload samples: test/fixtures/zalo/oa/.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import path from "node:path";
import express from "express";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/zalo/oa");
/** A payload sample from test/fixtures/zalo/oa/. */
export function oaFixture(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Record<string, unknown>;
}

const H = 3600_000;
const BUTTON_TYPES = ["oa.open.url", "oa.query.show", "oa.query.hide", "oa.open.sms", "oa.open.phone"];

/** One consultation message as the citizen's Zalo would show it. */
export interface SentOaMessage {
  userId: string;
  text: string;
  buttons: Array<{ title: string; type: string; payload: unknown }>;
  /** A media template's image (URL or uploaded attachment id). */
  image?: { url?: string; attachmentId?: string };
  /** The message is a request_user_info card. */
  requestUserInfo?: boolean;
  /** Sent 48 h to 7 days after the citizen's last interaction: billable. */
  billable: boolean;
}

/** One template message (announcements outside the window). */
export interface SentOaTemplate {
  userId: string;
  templateId: string;
  data: Record<string, string>;
}

export interface ZaloOaEmulator {
  url: string;
  appId: string;
  /** App Secret Key: expected in the `secret_key` header of the OAuth refresh. */
  appSecret: string;
  /** OA Secret Key: signs webhook deliveries. */
  oaSecretKey: string;
  accessToken: string;
  refreshToken: string;
  sent: SentOaMessage[];
  templates: SentOaTemplate[];
  refreshCalls: number;
  /** Refresh requests refused (wrong secret, spent refresh token). */
  refreshFailures: Array<{ error: number; reason: string }>;
  /** Texts the citizen saw in their own chat because an `oa.query.show` button was tapped. */
  shownPayloads: string[];
  /** Per-user error codes for consultation messages (e.g. -217, -227, -244). */
  userErrors: Map<string, number>;
  /** Error codes returned by the next consultation sends, one each. */
  failNext: number[];
  /** When true, a consultation message carrying buttons gets -201 (the shape is not confirmed). */
  refuseButtons: boolean;
  /** Approved templates: id → the params each needs. */
  approvedTemplates: Map<string, string[]>;
  /** Sets when a user last interacted with the OA (the window's start). */
  setLastInteraction(userId: string, at: number): void;
  /** Makes the current access token invalid (the next call gets -216, or -124 on template endpoints). */
  revokeAccessToken(): void;
  /**
   * Signs `event` with the OA Secret Key as Zalo does and POSTs it; `numRetry` adds the header a
   * retried delivery carries (the body, timestamp included, stays as first sent).
   */
  deliver(
    target: string,
    event: Record<string, unknown>,
    opts?: { tamper?: (raw: string) => string; secretKey?: string; header?: string; numRetry?: number },
  ): Promise<Response>;
  /**
   * Delivers as Zalo's retry ladder does (first try, then num_retry 1..5) until a 200, without waiting
   * the real intervals; returns the statuses seen.
   */
  deliverWithRetries(target: string, event: Record<string, unknown>): Promise<number[]>;
  /** The citizen taps a button of a message: what Zalo posts back (or opens). */
  tap(
    target: string,
    userId: string,
    button: { type: string; payload: unknown },
  ): Promise<Response | undefined>;
  messagesTo(userId: string): SentOaMessage[];
  close(): Promise<void>;
}

let seq = 1;

/** Starts the emulator on a free loopback port. */
export async function startZaloOaEmulator(): Promise<ZaloOaEmulator> {
  const app = express();
  const state = {
    appId: "3608465249409039671",
    appSecret: `app-secret-${crypto.randomBytes(6).toString("hex")}`,
    oaSecretKey: `oa-secret-${crypto.randomBytes(6).toString("hex")}`,
    accessToken: `at-${crypto.randomUUID()}`,
    refreshToken: `rt-${crypto.randomUUID()}`,
    revoked: new Set<string>(),
  };
  const sent: SentOaMessage[] = [];
  const templates: SentOaTemplate[] = [];
  const userErrors = new Map<string, number>();
  const lastInteraction = new Map<string, number>();
  const uploads = new Set<string>();
  const approvedTemplates = new Map<string, string[]>();
  const failNext: number[] = [];
  const refreshFailures: ZaloOaEmulator["refreshFailures"] = [];
  const shownPayloads: string[] = [];
  let refreshCalls = 0;
  let refuseButtons = false;

  // Tokens issued and not revoked stay valid (an access token lives about 25 h; a refresh does not
  // revoke the previous one, as far as any source says).
  const issued = new Set<string>([state.accessToken]);
  const tokenOk = (t: string | undefined) => t !== undefined && issued.has(t) && !state.revoked.has(t);

  function checkButtons(buttons: unknown): string | undefined {
    if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 5) return "1 to 5 buttons";
    for (const b of buttons as Array<Record<string, unknown>>) {
      if (typeof b.title !== "string" || b.title.length === 0 || b.title.length > 100) return "button title";
      if (typeof b.type !== "string" || !BUTTON_TYPES.includes(b.type))
        return `button type ${String(b.type)}`;
      const p = b.payload;
      if (b.type === "oa.query.show" || b.type === "oa.query.hide") {
        if (typeof p !== "string" || p.length === 0 || p.length > 1000) return "query payload";
      } else if (b.type === "oa.open.url") {
        if (!p || typeof p !== "object" || !/^https?:\/\//.test(String((p as { url?: unknown }).url)))
          return "url payload";
      } else if (b.type === "oa.open.phone") {
        if (
          !p ||
          typeof p !== "object" ||
          !/^\+?\d{3,15}$/.test(String((p as { phone_code?: unknown }).phone_code))
        )
          return "phone payload";
      }
    }
    return undefined;
  }

  app.post("/v3.0/oa/message/cs", express.json({ limit: "1mb" }), (req, res) => {
    if (!tokenOk(req.get("access_token"))) {
      res.json({ error: -216, message: "Access token is invalid" });
      return;
    }
    const body = req.body as {
      recipient?: { user_id?: unknown };
      message?: { text?: unknown; attachment?: { type?: unknown; payload?: Record<string, unknown> } };
    };
    const userId = body.recipient?.user_id;
    const text = body.message?.text;
    const att = body.message?.attachment;
    if (typeof userId !== "string" || !/^\d+$/.test(userId)) {
      res.json({ error: -201, message: "user_id is invalid" });
      return;
    }
    if (text !== undefined && (typeof text !== "string" || text.length === 0 || text.length > 2000)) {
      res.json({ error: -201, message: "text is invalid" });
      return;
    }
    let buttons: SentOaMessage["buttons"] = [];
    let image: SentOaMessage["image"];
    let requestUserInfo = false;
    if (att) {
      const p = att.payload ?? {};
      if (att.type !== "template") {
        res.json({ error: -201, message: "attachment.type is invalid" });
        return;
      }
      if (p.template_type === "media") {
        const el = (p.elements as Array<Record<string, unknown>> | undefined)?.[0];
        const url = el?.url;
        const attachmentId = el?.attachment_id;
        if (el?.media_type !== "image" || (typeof url !== "string" && typeof attachmentId !== "string")) {
          res.json({ error: -201, message: "media element is invalid" });
          return;
        }
        if (typeof attachmentId === "string" && !uploads.has(attachmentId)) {
          res.json({ error: -100, message: "Attachment is expired or unknown" });
          return;
        }
        image = typeof url === "string" ? { url } : { attachmentId: attachmentId as string };
      } else if (p.template_type === "request_user_info") {
        const el = (p.elements as Array<Record<string, unknown>> | undefined)?.[0];
        if (
          !el ||
          typeof el.title !== "string" ||
          typeof el.subtitle !== "string" ||
          typeof el.image_url !== "string"
        ) {
          res.json({ error: -201, message: "request_user_info element is invalid" });
          return;
        }
        requestUserInfo = true;
      } else {
        const problem = checkButtons(p.buttons);
        if (problem || typeof text !== "string") {
          res.json({ error: -201, message: `Invalid parameter: ${problem ?? "text"}` });
          return;
        }
        if (refuseButtons) {
          res.json({ error: -201, message: "Invalid parameter: attachment" });
          return;
        }
        buttons = p.buttons as SentOaMessage["buttons"];
      }
    } else if (typeof text !== "string") {
      res.json({ error: -201, message: "message is empty" });
      return;
    }
    const injected = failNext.shift() ?? userErrors.get(userId);
    if (injected !== undefined) {
      res.json({ error: injected, message: "injected failure" });
      return;
    }
    const last = lastInteraction.get(userId);
    const age = last === undefined ? 0 : Date.now() - last;
    if (age > 7 * 24 * H) {
      res.json({ error: -230, message: "User has not interacted with the OA in the last 7 days" });
      return;
    }
    sent.push({
      userId,
      text: typeof text === "string" ? text : "",
      buttons,
      image,
      requestUserInfo,
      billable: age > 48 * H,
    });
    res.json({ error: 0, message: "Success", data: { message_id: crypto.randomUUID(), user_id: userId } });
  });

  app.post("/v3.0/oa/message/template", express.json({ limit: "1mb" }), (req, res) => {
    if (!tokenOk(req.get("access_token"))) {
      res.json({ error: -124, message: "Access token is invalid" });
      return;
    }
    const b = req.body as {
      user_id?: unknown;
      template_id?: unknown;
      template_data?: unknown;
      recipient?: unknown;
    };
    const params = typeof b.template_id === "string" ? approvedTemplates.get(b.template_id) : undefined;
    if (b.recipient !== undefined || typeof b.user_id !== "string" || !/^\d+$/.test(b.user_id)) {
      res.json({ error: -201, message: "user_id is invalid" });
      return;
    }
    if (!params) {
      res.json({ error: -201, message: "template_id is invalid or not approved" });
      return;
    }
    const data = (b.template_data ?? {}) as Record<string, unknown>;
    const missing = params.filter((k) => typeof data[k] !== "string" || data[k] === "");
    if (missing.length) {
      res.json({ error: -201, message: `template_data is missing ${missing.join(",")}` });
      return;
    }
    templates.push({
      userId: b.user_id,
      templateId: b.template_id as string,
      data: data as Record<string, string>,
    });
    res.json({ error: 0, message: "Success", data: { msg_id: crypto.randomUUID() } });
  });

  app.post("/v3.0/oa/quota/message", express.json(), (req, res) => {
    if (!tokenOk(req.get("access_token"))) {
      res.json({ error: -216, message: "Access token is invalid" });
      return;
    }
    const userId = (req.body as { user_id?: unknown }).user_id;
    if (typeof userId !== "string") {
      res.json({ error: -201, message: "user_id is invalid" });
      return;
    }
    const last = lastInteraction.get(userId);
    res.json({
      error: 0,
      message: "Success",
      data: {
        last_interaction: last ?? 0,
        cs_reply: { remain: last && Date.now() - last < 7 * 24 * H ? 8 : 0 },
      },
    });
  });

  app.post(
    "/v2.0/oa/upload/image",
    express.raw({ type: "multipart/form-data", limit: "2mb" }),
    (req, res) => {
      if (!tokenOk(req.get("access_token"))) {
        res.json({ error: -216, message: "Access token is invalid" });
        return;
      }
      const raw = req.body as Buffer;
      if (!Buffer.isBuffer(raw) || !raw.includes(Buffer.from('name="file"'))) {
        res.json({ error: -201, message: "file is required" });
        return;
      }
      const id = crypto.randomBytes(12).toString("hex");
      uploads.add(id);
      res.json({ error: 0, message: "Success", data: { attachment_id: id } });
    },
  );

  app.post("/v4/oa/access_token", express.urlencoded({ extended: false }), (req, res) => {
    const body = req.body as Record<string, string>;
    if (req.get("secret_key") !== state.appSecret || body.app_id !== state.appId) {
      refreshFailures.push({ error: -14002, reason: "secret_key" });
      res.json({
        error: -14002,
        error_name: "Invalid app secret",
        error_reason: "secret_key does not match the app",
      });
      return;
    }
    if (body.grant_type !== "refresh_token" || body.refresh_token !== state.refreshToken) {
      refreshFailures.push({ error: -14014, reason: "refresh_token" });
      res.json({
        error: -14014,
        error_name: "Invalid refresh token",
        error_reason: "refresh token is invalid or already used",
      });
      return;
    }
    refreshCalls++;
    state.accessToken = `at-${crypto.randomUUID()}`;
    issued.add(state.accessToken);
    state.refreshToken = `rt-${crypto.randomUUID()}`;
    res.json({ access_token: state.accessToken, refresh_token: state.refreshToken, expires_in: "90000" });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const initial = { access: state.accessToken, refresh: state.refreshToken };

  async function deliver(
    target: string,
    event: Record<string, unknown>,
    opts: { tamper?: (raw: string) => string; secretKey?: string; header?: string; numRetry?: number } = {},
  ): Promise<Response> {
    const raw = JSON.stringify(event);
    const appId = typeof event.app_id === "string" ? event.app_id : "";
    const ts = event.timestamp;
    const timestamp = typeof ts === "string" ? ts : typeof ts === "number" ? String(ts) : "";
    // The documented signature: plain SHA-256 of app_id + raw body + timestamp + OA Secret Key.
    const mac = crypto
      .createHash("sha256")
      .update(appId + raw + timestamp + (opts.secretKey ?? state.oaSecretKey))
      .digest("hex");
    const sender =
      (event.sender as { id?: unknown } | undefined)?.id ??
      (event.follower as { id?: unknown } | undefined)?.id;
    if (typeof sender === "string" && !opts.numRetry)
      lastInteraction.set(sender, Number(timestamp) || Date.now());
    return fetch(target, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-ZEvent-Signature": opts.header ?? `mac=${mac}`,
        ...(opts.numRetry ? { num_retry: String(opts.numRetry) } : {}),
      },
      body: opts.tamper ? opts.tamper(raw) : raw,
    });
  }

  return {
    url,
    appId: state.appId,
    appSecret: state.appSecret,
    oaSecretKey: state.oaSecretKey,
    accessToken: initial.access,
    refreshToken: initial.refresh,
    sent,
    templates,
    get refreshCalls() {
      return refreshCalls;
    },
    refreshFailures,
    shownPayloads,
    userErrors,
    failNext,
    get refuseButtons() {
      return refuseButtons;
    },
    set refuseButtons(v: boolean) {
      refuseButtons = v;
    },
    approvedTemplates,
    setLastInteraction(userId, at) {
      lastInteraction.set(userId, at);
    },
    revokeAccessToken() {
      state.revoked.add(state.accessToken);
    },
    deliver,
    async deliverWithRetries(target, event) {
      const statuses: number[] = [];
      for (let n = 0; n <= 5; n++) {
        const res = await deliver(target, event, n ? { numRetry: n } : {});
        statuses.push(res.status);
        if (res.status === 200) break;
      }
      return statuses;
    },
    async tap(target, userId, button) {
      // oa.query.show posts the payload as the citizen's own message (they see it); hide sends it unseen.
      if (button.type !== "oa.query.show" && button.type !== "oa.query.hide") return undefined;
      if (button.type === "oa.query.show") shownPayloads.push(String(button.payload));
      return deliver(target, oaTextEvent(state.appId, userId, String(button.payload)));
    },
    messagesTo(userId) {
      return sent.filter((m) => m.userId === userId);
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A `user_send_text` event built on the docs sample, for this app and user. */
export function oaTextEvent(
  appId: string,
  userId: string,
  text: string,
  at = Date.now(),
): Record<string, unknown> {
  const e = oaFixture("user_send_text");
  return {
    ...e,
    app_id: appId,
    sender: { id: userId },
    user_id_by_app: userId,
    message: { text, msg_id: `${(e.message as { msg_id: string }).msg_id}${seq++}${at}` },
    timestamp: String(at),
  };
}

/** A `user_send_image` event built on the docs sample. */
export function oaImageEvent(
  appId: string,
  userId: string,
  imageUrl: string,
  at = Date.now(),
): Record<string, unknown> {
  const e = oaFixture("user_send_image");
  const m = e.message as { msg_id: string; attachments: Array<{ payload: Record<string, string> }> };
  return {
    ...e,
    app_id: appId,
    sender: { id: userId },
    message: {
      ...m,
      msg_id: `${m.msg_id}${seq++}${at}`,
      attachments: [{ type: "image", payload: { thumbnail: imageUrl, url: imageUrl } }],
    },
    timestamp: String(at),
  };
}

/** A `follow` or `unfollow` event built on the docs sample. */
export function oaFollowEvent(
  appId: string,
  userId: string,
  kind: "follow" | "unfollow",
  at = Date.now(),
): Record<string, unknown> {
  return {
    ...oaFixture("follow"),
    app_id: appId,
    follower: { id: userId },
    event_name: kind,
    timestamp: String(at),
  };
}

/** A `user_submit_info` event (the answer to a request_user_info card). */
export function oaSubmitInfoEvent(
  appId: string,
  userId: string,
  info: { name: string; phone: string },
  at = Date.now(),
): Record<string, unknown> {
  const e = oaFixture("user_submit_info");
  return {
    ...e,
    app_id: appId,
    sender: { id: userId },
    info: { ...(e.info as object), ...info },
    timestamp: String(at),
  };
}

/** The environment that points motcua's Zalo OA channel at this emulator (both secrets). */
export function oaEnv(oa: ZaloOaEmulator): Record<string, string> {
  return {
    ZALO_OA_APP_ID: oa.appId,
    ZALO_APP_SECRET: oa.appSecret,
    ZALO_OA_SECRET_KEY: oa.oaSecretKey,
    ZALO_OA_ACCESS_TOKEN: oa.accessToken,
    ZALO_OA_REFRESH_TOKEN: oa.refreshToken,
    ZALO_OA_API_ROOT: oa.url,
    ZALO_OAUTH_API_ROOT: oa.url,
  };
}
