/**
 * A typed client for the Zalo OA Open API v3: consultation messages, template messages, the message
 * quota, image uploads and the OAuth token refresh. Errors come as HTTP 200 with `error != 0`; each
 * code is mapped to what the caller should do (platforms.md, chatwoot's `message_sender.rb`).
 */
import { z } from "zod";
import type { OaMessage } from "./render.js";
import type { OaTokenStore, TokenPair } from "./tokens.js";

/**
 * What to do about a failed call: `unreachable` mark the subscriber and never retry; `token` refresh
 * and retry once; `retry` back off and retry; `defer` try again later (quota, night ban); `alert`
 * tell staff (paid tier needed); `invalid` a parameter Zalo refused; `other` anything else.
 */
export type OaErrorKind = "unreachable" | "token" | "retry" | "defer" | "alert" | "invalid" | "other";

/** The Open API refused (`error != 0`) or could not be reached. */
export class ZaloOaError extends Error {
  readonly code: number;
  readonly kind: OaErrorKind;
  /** The OAuth server's own fields (`error_name`, `error_reason`), kept whole for the log. */
  readonly details: Record<string, unknown> | undefined;
  constructor(code: number, message: string, details?: Record<string, unknown>) {
    super(`Zalo OA error ${code}: ${message}`);
    this.name = "ZaloOaError";
    this.code = code;
    this.kind = classify(code);
    this.details = details;
  }
}

/** Error-code mapping from platforms.md (its table of classes). */
export function classify(code: number): OaErrorKind {
  switch (code) {
    case -213: // not following the OA
    case -217: // blocked the invitation
    case -227: // banned or inactive for 45 days
    case -230: // no interaction within 7 days
    case -232:
    case -244: // the user restricted this message type
      return "unreachable";
    case -216:
    case -220:
    case -124: // invalid token on the template endpoints
      return "token";
    case -32: // rate limited
    case -100: // attachment expired or unknown
      return "retry";
    case -211:
    case -218: // out of quota
    case -234: // night ban (promotion only)
      return "defer";
    case -224:
      return "alert";
    case -201:
      return "invalid";
    default:
      return "other";
  }
}

const apiAnswer = z.object({
  error: z.number(),
  message: z.string().optional(),
  data: z.unknown().optional(),
});
const oauthAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.union([z.string(), z.number()]).transform(Number),
});
const oauthError = z
  .object({
    error: z.union([z.number(), z.string()]).transform(Number),
    error_name: z.string().optional(),
    error_reason: z.string().optional(),
    error_description: z.string().optional(),
    message: z.string().optional(),
  })
  .loose();
/** The quota answer; field names are "verify" in platforms.md, so every one is optional. */
const quotaData = z
  .object({
    last_interaction: z.union([z.number(), z.string()]).transform(Number).optional(),
    cs_reply: z.object({ remain: z.number().optional() }).loose().optional(),
  })
  .loose();

/** What the quota endpoint says about one follower. */
export interface OaQuota {
  /** The citizen's last interaction with the OA, when Zalo tells. */
  lastInteraction: Date | undefined;
  /** Consultation messages left in the current window, when Zalo tells. */
  remain: number | undefined;
}

export interface ZaloOaClient {
  /** Sends a consultation message (within the 7-day interaction window). */
  send(userId: string, message: OaMessage): Promise<void>;
  /** Sends an approved template message by user id (announcements outside the window). */
  sendTemplate(userId: string, templateId: string, data: Record<string, string>): Promise<void>;
  /** The last interaction and remaining consultation quota of a follower. */
  quota(userId: string): Promise<OaQuota>;
  /** Uploads an image (≤ 1 MB jpg/png) and returns its `attachment_id` for a media template. */
  uploadImage(bytes: Buffer, mime: string): Promise<string>;
  /** Refreshes the access token now when it is due (the idle-OA schedule calls this). */
  keepFresh(): Promise<void>;
}

/** Creates the client over a token store, e.g. `createZaloOaClient({ apiRoot, oauthRoot, appId, appSecret, tokens })`. */
export function createZaloOaClient(opts: {
  apiRoot: string;
  oauthRoot: string;
  appId: string;
  /** App Secret Key (not the OA Secret Key): the refresh's `secret_key` header. */
  appSecret: string;
  tokens: OaTokenStore;
  timeoutMs?: number;
}): ZaloOaClient {
  const api = opts.apiRoot.replace(/\/$/, "");
  const oauth = opts.oauthRoot.replace(/\/$/, "");
  const timeout = opts.timeoutMs ?? 10_000;

  async function refresh(refreshToken: string): Promise<TokenPair> {
    const res = await fetch(`${oauth}/v4/oa/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", secret_key: opts.appSecret },
      body: new URLSearchParams({
        refresh_token: refreshToken,
        app_id: opts.appId,
        grant_type: "refresh_token",
      }),
      signal: AbortSignal.timeout(timeout),
    });
    const json: unknown = await res.json().catch(() => undefined);
    const ok = oauthAnswer.safeParse(json);
    if (!ok.success) {
      const err = oauthError.safeParse(json);
      if (err.success) {
        const { error, ...details } = err.data;
        throw new ZaloOaError(
          error,
          err.data.error_name ?? err.data.message ?? "refresh failed",
          // Logged whole: the reason is what tells an operator which secret is wrong.
          { ...details, httpStatus: res.status },
        );
      }
      throw new ZaloOaError(res.status, "malformed OAuth answer", { httpStatus: res.status });
    }
    return {
      accessToken: ok.data.access_token,
      refreshToken: ok.data.refresh_token,
      expiresInSec: ok.data.expires_in || 90_000,
    };
  }

  async function call(accessToken: string, path: string, body: unknown): Promise<unknown> {
    const res = await fetch(`${api}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", access_token: accessToken },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeout),
    });
    const json: unknown = await res.json().catch(() => undefined);
    const parsed = apiAnswer.safeParse(json);
    if (!parsed.success) throw new ZaloOaError(res.status >= 400 ? res.status : -1, "malformed answer");
    if (parsed.data.error !== 0) throw new ZaloOaError(parsed.data.error, parsed.data.message ?? "");
    return parsed.data.data;
  }

  /** Calls with the current token; an invalid or expired token is refreshed once and the call retried. */
  async function withToken<T>(fn: (token: string) => Promise<T>): Promise<T> {
    const token = await opts.tokens.accessToken(refresh);
    try {
      return await fn(token);
    } catch (err) {
      if (err instanceof ZaloOaError && err.kind === "token") {
        const fresh = await opts.tokens.forceRefresh(token, refresh);
        return fn(fresh);
      }
      throw err;
    }
  }

  return {
    async send(userId, message) {
      await withToken((t) => call(t, "/v3.0/oa/message/cs", { recipient: { user_id: userId }, message }));
    },
    async sendTemplate(userId, templateId, data) {
      // Body as documented for template messages by user id: no recipient wrapper (platforms.md).
      await withToken((t) =>
        call(t, "/v3.0/oa/message/template", {
          user_id: userId,
          template_id: templateId,
          template_data: data,
        }),
      );
    },
    async quota(userId) {
      const data = await withToken((t) => call(t, "/v3.0/oa/quota/message", { user_id: userId }));
      const q = quotaData.safeParse(data ?? {});
      const last = q.success ? q.data.last_interaction : undefined;
      return {
        lastInteraction: last && Number.isFinite(last) && last > 0 ? new Date(last) : undefined,
        remain: q.success ? q.data.cs_reply?.remain : undefined,
      };
    },
    async uploadImage(bytes, mime) {
      return withToken(async (token) => {
        const form = new FormData();
        form.append(
          "file",
          new Blob([new Uint8Array(bytes)], { type: mime }),
          mime === "image/png" ? "photo.png" : "photo.jpg",
        );
        const res = await fetch(`${api}/v2.0/oa/upload/image`, {
          method: "POST",
          headers: { access_token: token },
          body: form,
          signal: AbortSignal.timeout(timeout),
        });
        const parsed = apiAnswer.safeParse(await res.json().catch(() => undefined));
        if (!parsed.success) throw new ZaloOaError(res.status >= 400 ? res.status : -1, "malformed answer");
        if (parsed.data.error !== 0) throw new ZaloOaError(parsed.data.error, parsed.data.message ?? "");
        const id = (parsed.data.data as { attachment_id?: unknown } | undefined)?.attachment_id;
        if (typeof id !== "string" || !id) throw new ZaloOaError(-1, "upload answered without attachment_id");
        return id;
      });
    },
    async keepFresh() {
      await opts.tokens.accessToken(refresh);
    },
  };
}
