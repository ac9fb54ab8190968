/**
 * OA access/refresh tokens in MongoDB. Refresh tokens are single use and rotate: the new pair is
 * persisted before it is used, and a lease makes sure two replicas never refresh at once.
 */
import crypto from "node:crypto";
import { Schema, type Connection, type Model } from "mongoose";
import { trusted } from "../../store/trusted.js";

interface TokenDoc {
  _id: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  lockOwner?: string;
  lockUntil?: Date;
  /** The last failed refresh, kept until one succeeds (shown to staff, counted in metrics). */
  refreshError?: { at: Date; code: number; message: string };
}

const schema = new Schema<TokenDoc>(
  {
    _id: String,
    accessToken: { type: String, required: true },
    refreshToken: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    lockOwner: String,
    lockUntil: Date,
    refreshError: { at: Date, code: Number, message: String },
  },
  { versionKey: false, strictQuery: true },
);

function tokenModel(conn: Connection): Model<TokenDoc> {
  return (
    (conn.models.ZaloOaToken as Model<TokenDoc> | undefined) ??
    conn.model<TokenDoc>("ZaloOaToken", schema, "zalo_oa_tokens")
  );
}

/** A fresh pair from Zalo's OAuth server. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresInSec: number;
}

export interface OaTokenStore {
  /** A usable access token, refreshed first when it expires within `marginMs`. */
  accessToken(refresh: (refreshToken: string) => Promise<TokenPair>): Promise<string>;
  /** Refreshes now unless another caller already replaced `staleAccess`; returns the current token. */
  forceRefresh(staleAccess: string, refresh: (refreshToken: string) => Promise<TokenPair>): Promise<string>;
  /** The last refresh failure, if the latest refresh failed. */
  refreshError(): Promise<{ at: Date; code: number; message: string } | undefined>;
}

/** Called when a refresh fails (the caller keeps using the current token). */
export type RefreshFailureHook = (err: unknown) => void;

const ID = "oa";
const LEASE_MS = 30_000;

/**
 * Creates the store, seeded on first use with the tokens from the environment, e.g.
 * `createOaTokenStore(conn, { access, refresh })`.
 */
export function createOaTokenStore(
  conn: Connection,
  seed: { access: string; refresh: string },
  opts: {
    now?: () => Date;
    marginMs?: number;
    onRefreshFailure?: RefreshFailureHook;
    /** After a failed refresh, wait this long before trying again (the old token is used meanwhile). */
    retryAfterFailureMs?: number;
  } = {},
): OaTokenStore {
  const Tokens = tokenModel(conn);
  const now = opts.now ?? (() => new Date());
  const margin = opts.marginMs ?? 10 * 60_000;
  const owner = crypto.randomUUID();
  const retryAfterFailure = opts.retryAfterFailureMs ?? 5 * 60_000;

  async function current(): Promise<TokenDoc> {
    // Seeded tokens have an unknown age: treat them as valid for an hour, then refresh.
    await Tokens.updateOne(
      { _id: ID },
      {
        $setOnInsert: {
          accessToken: seed.access,
          refreshToken: seed.refresh,
          expiresAt: new Date(now().getTime() + 3600_000),
        },
      },
      { upsert: true },
    );
    const doc = await Tokens.findById(ID).lean();
    if (!doc) throw new Error("zalo-oa token document missing");
    return doc;
  }

  async function refreshFrom(stale: TokenDoc, refresh: (rt: string) => Promise<TokenPair>): Promise<string> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const t = now();
      const claimed = await Tokens.findOneAndUpdate(
        {
          _id: ID,
          accessToken: stale.accessToken,
          $or: [
            { lockUntil: trusted({ $exists: false }) },
            { lockUntil: null },
            { lockUntil: trusted({ $lt: t }) },
          ],
        },
        { $set: { lockOwner: owner, lockUntil: new Date(t.getTime() + LEASE_MS) } },
        { returnDocument: "after" },
      ).lean();
      if (claimed) {
        let pair: TokenPair;
        try {
          pair = await refresh(claimed.refreshToken);
        } catch (err) {
          const e = err as { code?: unknown; message?: unknown };
          await Tokens.updateOne(
            { _id: ID, lockOwner: owner },
            {
              $set: {
                refreshError: {
                  at: now(),
                  code: typeof e.code === "number" ? e.code : 0,
                  message: String(e.message ?? err).slice(0, 300),
                },
              },
              $unset: { lockOwner: "", lockUntil: "" },
            },
          );
          opts.onRefreshFailure?.(err);
          throw err;
        }
        // Persist the rotated pair before anyone uses it: the old refresh token is already spent.
        await Tokens.updateOne(
          { _id: ID, lockOwner: owner },
          {
            $set: {
              accessToken: pair.accessToken,
              refreshToken: pair.refreshToken,
              expiresAt: new Date(now().getTime() + pair.expiresInSec * 1000),
            },
            $unset: { lockOwner: "", lockUntil: "", refreshError: "" },
          },
        );
        return pair.accessToken;
      }
      const doc = await current();
      if (doc.accessToken !== stale.accessToken) return doc.accessToken;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("zalo-oa token refresh did not complete (lease held too long)");
  }

  return {
    async accessToken(refresh) {
      const doc = await current();
      if (doc.expiresAt.getTime() - now().getTime() > margin) return doc.accessToken;
      // A refresh failed a moment ago: keep the current token rather than hammer the OAuth server.
      if (doc.refreshError && now().getTime() - doc.refreshError.at.getTime() < retryAfterFailure)
        return doc.accessToken;
      try {
        return await refreshFrom(doc, refresh);
      } catch {
        // Zalo's access tokens live about 25 hours and the seed's age is unknown: the current one is
        // very likely still valid, and the API says so (-216) if not. Never stop replying over a refresh.
        return doc.accessToken;
      }
    },
    async refreshError() {
      return (await Tokens.findById(ID, { refreshError: 1 }).lean())?.refreshError ?? undefined;
    },
    async forceRefresh(staleAccess, refresh) {
      const doc = await current();
      if (doc.accessToken !== staleAccess) return doc.accessToken;
      return refreshFrom(doc, refresh);
    },
  };
}
