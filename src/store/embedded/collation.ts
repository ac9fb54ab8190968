/**
 * Collation for the embedded store (issue 19): the common cases — `locale` with `strength` 1–3,
 * `caseLevel`, `caseFirst` and `numericOrdering` — by turning strings into sort keys that compare,
 * as plain strings, the way ICU compares the originals: first the base letters (primary), then accents
 * (secondary), then case (tertiary), each level only when the strength asks for it. Matching, sorting,
 * distinct and unique indexes compare these keys instead of the strings. Anything else (other locales'
 * tailorings, `alternate: "shifted"`, `backwards`, strength 4–5, `$regex` under a collation) is
 * refused with a clear error rather than answered wrongly.
 * Collation options: https://www.mongodb.com/docs/manual/reference/collation/
 */
import { CommandError, ErrorCodes } from "./errors.js";

/** A validated, non-simple collation. */
export interface Collation {
  locale: string;
  strength: 1 | 2 | 3;
  caseLevel: boolean;
  caseFirst: "off" | "upper" | "lower";
  numericOrdering: boolean;
  vietnamese: boolean;
}

/**
 * Locales whose letters sort as the root collation does (accents are secondary differences). `vi`
 * is handled too: its breve, circumflex and horn make distinct letters (ă, â, ê, ô, ơ, ư), as in its
 * ICU tailoring; only the tone marks are accents.
 */
const ROOT_LIKE = new Set([
  "",
  "root",
  "en",
  "en_US",
  "en_GB",
  "en_AU",
  "en_CA",
  "fr",
  "de",
  "it",
  "pt",
  "nl",
  "id",
  "ms",
]);

function unsupported(what: string): CommandError {
  return new CommandError(
    ErrorCodes.CommandNotSupported,
    `collation ${what} is not supported by the motcua embedded store; set MONGODB_URI to use a MongoDB server`,
  );
}

/** Validates a `collation` option; undefined for none or `{ locale: "simple" }`. */
export function parseCollation(raw: unknown): Collation | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw))
    throw new CommandError(ErrorCodes.FailedToParse, "collation must be an object");
  const c = raw as Record<string, unknown>;
  if (typeof c.locale !== "string")
    throw new CommandError(ErrorCodes.FailedToParse, 'Missing expected field "locale"');
  if (c.locale === "simple") return undefined;
  const vietnamese = c.locale === "vi";
  if (!vietnamese && !ROOT_LIKE.has(c.locale)) throw unsupported(`locale '${c.locale}'`);
  const strength = c.strength === undefined ? 3 : Number(c.strength);
  if (strength !== 1 && strength !== 2 && strength !== 3) throw unsupported(`strength ${strength}`);
  if (c.alternate !== undefined && c.alternate !== "non-ignorable")
    throw unsupported(`alternate ${JSON.stringify(c.alternate)}`);
  if (c.backwards === true) throw unsupported("backwards");
  if (c.maxVariable !== undefined && c.maxVariable !== "punct") throw unsupported("maxVariable");
  const caseFirst = c.caseFirst === undefined ? "off" : c.caseFirst;
  if (caseFirst !== "off" && caseFirst !== "upper" && caseFirst !== "lower")
    throw new CommandError(ErrorCodes.BadValue, `unknown caseFirst ${JSON.stringify(caseFirst)}`);
  return {
    locale: c.locale,
    strength,
    caseLevel: c.caseLevel === true,
    caseFirst,
    numericOrdering: c.numericOrdering === true,
    vietnamese,
  };
}

/** Whether two collations (either possibly simple) are the same. */
export function sameCollation(a: Collation | undefined, b: Collation | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

const COMBINING = /[\u0300-\u036f]/;
/** In Vietnamese, these marks make a letter of their own (ă â ê ô ơ ư): they stay in the primary key. */
const VI_LETTER_MARKS: Record<string, string> = {
  "\u0306": "\ue000",
  "\u0302": "\ue001",
  "\u031b": "\ue002",
};

/** Swaps case so that, compared as code points, lowercase sorts before uppercase (ICU's default). */
function lowerFirst(s: string): string {
  let out = "";
  for (const ch of s) {
    const lo = ch.toLowerCase();
    out += ch === lo ? ch.toUpperCase() : lo;
  }
  return out;
}

/**
 * Digit runs prefixed with their length so that, as strings, they order by value ("9" < "10") and
 * still before letters, as ICU orders them.
 */
function numeric(s: string): string {
  return s.replace(/\d+/g, (d) => {
    const t = d.replace(/^0+(?=\d)/, "");
    return `0${String.fromCharCode(0x30 + Math.min(t.length, 0x30))}${t}`;
  });
}

/** The sort key of a string under `c`: equal keys for strings the collation holds equal. */
export function collationKey(s: string, c: Collation): string {
  const decomposed = s.normalize("NFD");
  let primary = "";
  let secondary = "";
  for (const ch of decomposed) {
    if (COMBINING.test(ch)) {
      if (c.vietnamese && VI_LETTER_MARKS[ch]) primary += VI_LETTER_MARKS[ch];
      else secondary += ch;
      continue;
    }
    primary += ch.toLowerCase();
    secondary += "\u0001";
  }
  if (c.vietnamese) primary = primary.replace(/đ/g, "d\ue003");
  if (c.numericOrdering) primary = numeric(primary);
  const tertiary = c.caseFirst === "upper" ? decomposed : lowerFirst(decomposed);
  const parts = [primary];
  if (c.caseLevel) {
    // Case alone (not accents): one mark per base letter, lowercase first unless caseFirst is upper.
    let caseOnly = "";
    for (const ch of decomposed) {
      if (COMBINING.test(ch)) continue;
      const upper = ch !== ch.toLowerCase();
      caseOnly += upper === (c.caseFirst === "upper") ? "0" : "1";
    }
    parts.push(caseOnly);
  }
  if (c.strength >= 2) parts.push(secondary);
  if (c.strength >= 3) parts.push(tertiary);
  return parts.join("\u0000");
}

/** `value` with every string (deeply, in arrays and documents) replaced by its collation key. */
export function collateValue(value: unknown, c: Collation): unknown {
  if (typeof value === "string") return collationKey(value, c);
  if (Array.isArray(value)) return value.map((v) => collateValue(v, c));
  if (value === null || typeof value !== "object" || value instanceof Date || value instanceof RegExp)
    return value;
  if ((value as { _bsontype?: string })._bsontype !== undefined) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = collateValue(v, c);
  return out;
}

/** Operators whose arguments are not values to compare (type names, sizes, patterns). */
const LITERAL_ARGS = new Set([
  "$type",
  "$exists",
  "$size",
  "$mod",
  "$bitsAllSet",
  "$bitsAnySet",
  "$bitsAllClear",
  "$bitsAnyClear",
]);
/** Operators a collated filter cannot honour here (regular expressions ignore collation in MongoDB). */
const REFUSED = new Set(["$regex", "$where", "$expr", "$text", "$function", "$jsonSchema", "$options"]);

/** A filter whose string literals are collation keys, to test against {@link collateValue}d documents. */
export function collateFilter(filter: unknown, c: Collation): unknown {
  if (filter instanceof RegExp) throw unsupported("with a regular expression");
  if (typeof filter === "string") return collationKey(filter, c);
  if (Array.isArray(filter)) return filter.map((f) => collateFilter(f, c));
  if (filter === null || typeof filter !== "object" || filter instanceof Date) return filter;
  if ((filter as { _bsontype?: string })._bsontype !== undefined) return filter;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filter as Record<string, unknown>)) {
    if (REFUSED.has(k)) throw unsupported(`with ${k}`);
    out[k] = LITERAL_ARGS.has(k) ? v : collateFilter(v, c);
  }
  return out;
}
