/** Constant-time comparison of webhook secrets (hashing first makes the lengths equal). */
import crypto from "node:crypto";
import type { RequestHandler } from "express";

/** True when `given` equals `expected`, compared in constant time. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/** A stable secret derived from a token, so every replica computes the same one. */
export function deriveSecret(purpose: string, token: string): string {
  return crypto.createHash("sha256").update(`motcua:${purpose}:${token}`).digest("base64url").slice(0, 48);
}

/** Express middleware refusing (401) a request whose `header` does not carry `secret`. */
export function requireSecretHeader(header: string, secret: string): RequestHandler {
  return (req, res, next) => {
    if (!sameSecret(req.get(header), secret)) {
      res.status(401).json({ error: { code: "BAD_SECRET", message: "Wrong or missing secret token" } });
      return;
    }
    next();
  };
}
