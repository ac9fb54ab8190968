/**
 * Number semantics beyond JavaScript's doubles (issue 19). Values arrive as JS numbers except 64-bit
 * integers beyond ±2^53 (kept as `Long`) and `Decimal128`. Comparisons see both as numbers (exact for
 * decimals a double can hold); `$inc` and `$mul` on integers are exact up to 64 bits and overflow with
 * mongod's error; arithmetic on Decimal128 is refused rather than answered wrongly.
 */
import { Long } from "bson";
import { CommandError, ErrorCodes } from "./errors.js";

type Bsonish = { _bsontype?: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** True for a Long (beyond ±2^53, as the wire hands them over) or a Decimal128. */
export function isWideNumber(v: unknown): boolean {
  const t = v !== null && typeof v === "object" ? (v as Bsonish)._bsontype : undefined;
  return t === "Long" || t === "Decimal128" || typeof v === "bigint";
}

/** True when a Decimal128 is somewhere in `v`. */
export function hasDecimal(v: unknown): boolean {
  if (v === null || typeof v !== "object") return false;
  const t = (v as Bsonish)._bsontype;
  if (t !== undefined) return t === "Decimal128";
  if (Array.isArray(v)) return v.some(hasDecimal);
  if (v instanceof Date || v instanceof RegExp) return false;
  return Object.values(v as Record<string, unknown>).some(hasDecimal);
}

/** True when a Long or Decimal128 is somewhere in `v` (a document or a filter). */
export function hasWideNumber(v: unknown): boolean {
  if (isWideNumber(v)) return true;
  if (v === null || typeof v !== "object" || (v as Bsonish)._bsontype !== undefined) return false;
  if (Array.isArray(v)) return v.some(hasWideNumber);
  if (v instanceof Date || v instanceof RegExp) return false;
  return Object.values(v as Record<string, unknown>).some(hasWideNumber);
}

/** `v` with every Long and Decimal128 as the nearest JS number, for comparisons and sorting. */
export function numberView(v: unknown): unknown {
  if (isWideNumber(v)) return toNumber(v);
  if (v === null || typeof v !== "object" || (v as Bsonish)._bsontype !== undefined) return v;
  if (v instanceof Date || v instanceof RegExp) return v;
  if (Array.isArray(v)) return v.map(numberView);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = numberView(x);
  return out;
}

/** A numeric BSON value as a JS number (Decimal128 and Long included). */
export function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  const t = (v as Bsonish | null)?._bsontype;
  if (t === "Long" || t === "Decimal128") return Number.parseFloat(String(v));
  if (t === "Int32" || t === "Double") return Number((v as { valueOf(): number }).valueOf());
  return Number.NaN;
}

function isIntegral(v: unknown): boolean {
  if (typeof v === "number") return Number.isInteger(v);
  const t = (v as Bsonish | null)?._bsontype;
  return t === "Long" || typeof v === "bigint";
}

function isNumeric(v: unknown): boolean {
  if (typeof v === "number" || typeof v === "bigint") return true;
  const t = (v as Bsonish | null)?._bsontype;
  return t === "Long" || t === "Decimal128" || t === "Int32" || t === "Double";
}

function showNumber(v: unknown): string {
  const t = (v as Bsonish | null)?._bsontype;
  if (t === "Long") return `(NumberLong)${String(v)}`;
  if (typeof v === "number") return Number.isInteger(v) ? `(NumberInt)${v}` : `(NumberDouble)${v}`;
  return String(v);
}

/**
 * The result of `$inc` (`op` "inc") or `$mul` on `current` by `by`, or undefined when plain JS
 * arithmetic gives mongod's answer (both doubles within 2^53) so the caller may go the usual way.
 * Throws mongod's errors for overflow and a clear refusal for Decimal128.
 */
export function exactArithmetic(op: "inc" | "mul", current: unknown, by: unknown, id: unknown): unknown {
  const name = op === "inc" ? "$inc" : "$mul";
  if ((current !== undefined && current !== null && !isNumeric(current)) || !isNumeric(by)) return undefined;
  const decimal = (v: unknown) => (v as Bsonish | null)?._bsontype === "Decimal128";
  if (decimal(current) || decimal(by)) {
    throw new CommandError(
      ErrorCodes.CommandNotSupported,
      `${name} with Decimal128 values is not supported by the motcua embedded store; set MONGODB_URI to use a MongoDB server`,
    );
  }
  const base = current ?? 0;
  if (!isIntegral(base) || !isIntegral(by)) {
    // Any double makes the result a double, as in mongod.
    return isWideNumber(base) || isWideNumber(by)
      ? op === "inc"
        ? toNumber(base) + toNumber(by)
        : toNumber(base) * toNumber(by)
      : undefined;
  }
  const toBig = (v: unknown): bigint =>
    typeof v === "number" || typeof v === "bigint" ? BigInt(v) : BigInt((v as Long).toString());
  const a = toBig(base);
  const b = toBig(by);
  const exact = op === "inc" ? a + b : a * b;
  if (exact < INT64_MIN || exact > INT64_MAX) {
    throw new CommandError(
      ErrorCodes.BadValue,
      `Failed to apply ${name} operations to current value (${showNumber(base)}) for document {_id: ${JSON.stringify(id) ?? "null"}}: integer overflow`,
    );
  }
  if (!isWideNumber(base) && !isWideNumber(by) && Number.isSafeInteger(Number(exact))) return undefined;
  return Number.isSafeInteger(Number(exact)) && exact <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(exact)
    : Long.fromBigInt(exact);
}
