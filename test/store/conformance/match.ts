/**
 * The unified test format's matching rules ("Evaluating Matches" in
 * mongodb/specifications source/unified-test-format/unified-test-format.md): extra fields only in
 * root-level documents, arrays of equal length, flexible numerics except Decimal128, and the `$$`
 * operators the CRUD tests use. `match` returns undefined on a match, else where and why it failed.
 */
import mongoose from "mongoose";

const { BSON } = mongoose.mongo;
type Doc = Record<string, unknown>;

/** Entities a `$$matchesEntity` may name. */
export type EntityLookup = (name: string) => unknown;

function bsontype(v: unknown): string | undefined {
  return v !== null && typeof v === "object" ? (v as { _bsontype?: string })._bsontype : undefined;
}

/** True for a plain document (not an array, not a BSON value, not a Date or RegExp). */
export function isDocument(v: unknown): v is Doc {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    !(v instanceof Uint8Array) &&
    bsontype(v) === undefined
  );
}

const NUMERIC = new Set(["Int32", "Double", "Long"]);

function isNumeric(v: unknown): boolean {
  return typeof v === "number" || typeof v === "bigint" || NUMERIC.has(bsontype(v) ?? "");
}

/** A numeric value as a bigint when integral (exact for Longs beyond 2^53), else a number. */
function numeric(v: unknown): number | bigint {
  if (typeof v === "bigint") return v;
  if (bsontype(v) === "Long") return BigInt((v as { toString(): string }).toString());
  const n = typeof v === "number" ? v : Number((v as { valueOf(): number }).valueOf());
  return Number.isInteger(n) && Math.abs(n) > Number.MAX_SAFE_INTEGER ? BigInt(n) : n;
}

function numericEqual(a: unknown, b: unknown): boolean {
  const x = numeric(a);
  const y = numeric(b);
  if (typeof x === "bigint" || typeof y === "bigint") {
    if (typeof x === "number" && !Number.isInteger(x)) return false;
    if (typeof y === "number" && !Number.isInteger(y)) return false;
    return BigInt(x) === BigInt(y);
  }
  return x === y || (Number.isNaN(x) && Number.isNaN(y));
}

function numericLte(actual: unknown, limit: unknown): boolean {
  return Number(numeric(actual)) <= Number(numeric(limit));
}

/** Extended JSON of a scalar, for equality of non-numeric BSON values and for messages. */
export function show(v: unknown): string {
  if (v === undefined) return "undefined";
  try {
    return BSON.EJSON.stringify(v, { relaxed: false });
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** The `$type` names the format's `$$type` operator uses. */
function typeNames(v: unknown): string[] {
  if (v === null) return ["null"];
  if (v === undefined) return ["undefined"];
  if (typeof v === "string") return ["string"];
  if (typeof v === "boolean") return ["bool"];
  if (typeof v === "number") {
    // The driver promotes int32, int64 and double to numbers: accept what the number could have been.
    if (!Number.isInteger(v)) return ["double"];
    return Math.abs(v) <= 2147483647 ? ["int", "long", "double"] : ["long", "double"];
  }
  if (typeof v === "bigint") return ["long"];
  if (Array.isArray(v)) return ["array"];
  if (v instanceof Date) return ["date"];
  if (v instanceof RegExp) return ["regex"];
  switch (bsontype(v)) {
    case "Int32":
      return ["int"];
    case "Long":
      return ["long"];
    case "Double":
      return ["double"];
    case "Decimal128":
      return ["decimal"];
    case "ObjectId":
      return ["objectId"];
    case "Binary":
      return ["binData"];
    case "Timestamp":
      return ["timestamp"];
    case "BSONRegExp":
      return ["regex"];
    case "MinKey":
      return ["minKey"];
    case "MaxKey":
      return ["maxKey"];
    case "Code":
      return ["javascript"];
    default:
      return ["object"];
  }
}

function scalarEqual(expected: unknown, actual: unknown): boolean {
  if (isNumeric(expected) && isNumeric(actual)) return numericEqual(expected, actual);
  if (bsontype(expected) === "Decimal128" || bsontype(actual) === "Decimal128") {
    return bsontype(expected) === bsontype(actual) && String(expected) === String(actual);
  }
  return show(expected) === show(actual);
}

/** Options of {@link match}. */
export interface MatchOptions {
  /** The value is a root-level document: extra fields in the actual document are allowed. */
  root?: boolean;
  /** The value is an array of root-level documents (the iterated result of find or aggregate). */
  rootElements?: boolean;
  /** Exact comparison (collection outcomes): no special operators, no extra fields anywhere. */
  exact?: boolean;
  entities?: EntityLookup;
}

/** Matches `actual` against `expected`; undefined when they match, else a description of the first mismatch. */
export function match(
  expected: unknown,
  actual: unknown,
  opts: MatchOptions = {},
  path = "$",
): string | undefined {
  // The driver builds some command fields (sort, index keys) as Maps; BSON writes them as documents.
  if (actual instanceof Map) actual = Object.fromEntries(actual) as Doc;
  if (isDocument(expected)) {
    const keys = Object.keys(expected);
    if (!opts.exact && keys.length === 1 && keys[0]!.startsWith("$$")) {
      return special(keys[0]!, expected[keys[0]!], actual, opts, path);
    }
    if (!isDocument(actual)) return `${path}: expected a document, got ${show(actual)}`;
    opts = { ...opts, rootElements: false };
    for (const k of keys) {
      const want = expected[k];
      if (!opts.exact && isDocument(want)) {
        const wk = Object.keys(want);
        if (wk.length === 1 && (wk[0] === "$$exists" || wk[0] === "$$unsetOrMatches")) {
          if (wk[0] === "$$exists") {
            const present = Object.prototype.hasOwnProperty.call(actual, k) && actual[k] !== undefined;
            if (present !== want.$$exists) return `${path}.${k}: expected $$exists ${String(want.$$exists)}`;
            continue;
          }
          if (!(k in actual) || actual[k] === undefined) continue;
          const m = match(want.$$unsetOrMatches, actual[k], { ...opts, root: false }, `${path}.${k}`);
          if (m) return m;
          continue;
        }
      }
      if (!(k in actual) || actual[k] === undefined) return `${path}.${k}: missing`;
      const m = match(want, actual[k], { ...opts, root: false }, `${path}.${k}`);
      if (m) return m;
    }
    if (!opts.root || opts.exact) {
      const extra = Object.keys(actual).filter((k) => !(k in expected) && actual[k] !== undefined);
      if (extra.length) return `${path}: unexpected field(s) ${extra.join(", ")}`;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${show(actual)}`;
    if (actual.length !== expected.length)
      return `${path}: expected ${expected.length} element(s), got ${actual.length}: ${show(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const inner = { ...opts, root: opts.rootElements === true, rootElements: false };
      const m = match(expected[i], actual[i], inner, `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  return scalarEqual(expected, actual)
    ? undefined
    : `${path}: expected ${show(expected)}, got ${show(actual)}`;
}

function special(
  op: string,
  arg: unknown,
  actual: unknown,
  opts: MatchOptions,
  path: string,
): string | undefined {
  switch (op) {
    case "$$type": {
      const wanted = Array.isArray(arg) ? (arg as string[]) : [arg as string];
      if (actual === undefined) return `${path}: missing (expected type ${wanted.join("|")})`;
      return typeNames(actual).some((t) => wanted.includes(t))
        ? undefined
        : `${path}: expected type ${wanted.join("|")}, got ${show(actual)}`;
    }
    case "$$unsetOrMatches":
      return actual === undefined ? undefined : match(arg, actual, opts, path);
    case "$$exists":
      return (actual !== undefined) === arg ? undefined : `${path}: $$exists ${String(arg)}`;
    case "$$lte":
      return isNumeric(actual) && numericLte(actual, arg) ? undefined : `${path}: expected <= ${show(arg)}`;
    case "$$matchesEntity": {
      const entity = opts.entities?.(arg as string);
      if (entity === undefined) throw new Error(`no entity named ${String(arg)}`);
      return match(entity, actual, opts, path);
    }
    case "$$matchAsRoot":
      return match(arg, actual, { ...opts, root: true }, path);
    case "$$matchAsDocument": {
      if (typeof actual !== "string") return `${path}: expected an extended JSON string`;
      return match(arg, BSON.EJSON.parse(actual, { relaxed: false }), { ...opts, root: false }, path);
    }
    default:
      throw new Error(`unsupported special operator ${op}`);
  }
}
