/**
 * Zalo OA webhook authenticity: `X-ZEvent-Signature: mac=<hex sha256(app_id + rawBody + timestamp +
 * OA secret key)>`, computed over the exact raw bytes (platforms.md).
 */
import crypto from "node:crypto";

/** The signature Zalo sends for this body. */
export function oaSignature(appId: string, rawBody: Buffer, timestamp: string, secretKey: string): string {
  return crypto
    .createHash("sha256")
    .update(
      Buffer.concat([
        Buffer.from(appId, "utf8"),
        rawBody,
        Buffer.from(timestamp, "utf8"),
        Buffer.from(secretKey, "utf8"),
      ]),
    )
    .digest("hex");
}

/** True when the header carries the right mac, compared in constant time. */
export function verifyOaSignature(
  header: string | undefined,
  appId: string,
  rawBody: Buffer,
  timestamp: string,
  secretKey: string,
): boolean {
  const m = /^mac=([0-9a-f]{64})$/i.exec(header?.trim() ?? "");
  if (!m) return false;
  const given = Buffer.from(m[1]!.toLowerCase(), "hex");
  const expected = Buffer.from(oaSignature(appId, rawBody, timestamp, secretKey), "hex");
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
