/**
 * A typed client for the Zalo OA Open API v3: consultation messages and the OAuth token refresh.
 * Errors come as HTTP 200 with `error != 0`; they are mapped to what the caller should do.
 */
import { z } from "zod";
import type { OaMessage } from "./render.js";
import type { OaTokenStore, TokenPair } from "./tokens.js";

/** What to do about a failed call. */
export type OaErrorKind = "unreachable" | "backoff" | "token" | "other";

/** The Open API refused (`error != 0`) or could not be reached. */
export class ZaloOaError extends Error {
  readonly code: number;
  readonly kind: OaErrorKind;
  constructor(code: number, message: string) {
    super(`Zalo OA error ${code}: ${message}`);
    this.name = "ZaloOaError";
    this.code = code;
    this.kind = classify(code);
  }
}

/** Error-code mapping from platforms.md. */
export function classify(code: number): OaErrorKind {
  if (code === -213 || code === -230 || code === -232) return "unreachable";
  if (code === -32 || code === -211 || code === -218) return "backoff";
  if (code === -216 || code === -220) return "token";
  return "other";
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

export interface ZaloOaClient {
  /** Sends a consultation message (within the 7-day interaction window). */
  send(userId: string, message: OaMessage): Promise<void>;
}

/** Creates the client over a token store, e.g. `createZaloOaClient({ apiRoot, oauthRoot, appId, secretKey, tokens })`. */
export function createZaloOaClient(opts: {
  apiRoot: string;
  oauthRoot: string;
  appId: string;
  secretKey: string;
  tokens: OaTokenStore;
  timeoutMs?: number;
}): ZaloOaClient {
  const api = opts.apiRoot.replace(/\/$/, "");
  const oauth = opts.oauthRoot.replace(/\/$/, "");
  const timeout = opts.timeoutMs ?? 10_000;

  async function refresh(refreshToken: string): Promise<TokenPair> {
    const res = await fetch(`${oauth}/v4/oa/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", secret_key: opts.secretKey },
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
      const err = apiAnswer.safeParse(json);
      throw new ZaloOaError(
        err.success ? err.data.error : res.status,
        err.success ? (err.data.message ?? "refresh failed") : "malformed OAuth answer",
      );
    }
    return {
      accessToken: ok.data.access_token,
      refreshToken: ok.data.refresh_token,
      expiresInSec: ok.data.expires_in || 90_000,
    };
  }

  async function post(accessToken: string, userId: string, message: OaMessage): Promise<void> {
    const res = await fetch(`${api}/v3.0/oa/message/cs`, {
      method: "POST",
      headers: { "Content-Type": "application/json", access_token: accessToken },
      body: JSON.stringify({ recipient: { user_id: userId }, message }),
      signal: AbortSignal.timeout(timeout),
    });
    const json: unknown = await res.json().catch(() => undefined);
    const parsed = apiAnswer.safeParse(json);
    if (!parsed.success) throw new ZaloOaError(res.status >= 400 ? res.status : -1, "malformed answer");
    if (parsed.data.error !== 0) throw new ZaloOaError(parsed.data.error, parsed.data.message ?? "");
  }

  return {
    async send(userId, message) {
      const token = await opts.tokens.accessToken(refresh);
      try {
        await post(token, userId, message);
      } catch (err) {
        // An invalid or expired token: refresh once (or take a replica's fresh one) and retry once.
        if (err instanceof ZaloOaError && err.kind === "token") {
          const fresh = await opts.tokens.forceRefresh(token, refresh);
          await post(fresh, userId, message);
          return;
        }
        throw err;
      }
    },
  };
}
