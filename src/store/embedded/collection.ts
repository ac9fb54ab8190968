/** One collection of the embedded store: documents in natural order plus hash indexes. */
import { Query } from "mingo";
import { collateValue, parseCollation, type Collation } from "./collation.js";
import { CommandError, ErrorCodes } from "./errors.js";
import { keyOf, valuesAtPath } from "./keys.js";
import { hasWideNumber } from "./numbers.js";
import { compareValues } from "./sort.js";

/** A stored document; `_id` is always present. */
export type Doc = Record<string, unknown> & { _id: unknown };

/** An index definition as `createIndexes` receives it and `listIndexes` returns it. */
export interface IndexSpec {
  v?: number;
  name: string;
  key: Record<string, unknown>;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Record<string, unknown>;
  [option: string]: unknown;
}

const INDEX_OPTIONS_COMPARED = [
  "unique",
  "sparse",
  "expireAfterSeconds",
  "partialFilterExpression",
  "collation",
] as const;

/** A hash index from canonical key to the ids of the documents holding it. */
export class HashIndex {
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly map: IdMap = new Map();
  /** For compound indexes: the first field alone, so prefix equality queries are served too. */
  readonly prefix: IdMap | undefined;
  private readonly partial: Query | undefined;
  /** Keys of a collated index compare strings as the collation does (a case-insensitive unique index). */
  private readonly collation: Collation | undefined;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.collation = parseCollation(spec.collation);
    this.fields = Object.keys(spec.key);
    this.prefix = this.fields.length > 1 ? new Map() : undefined;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : undefined;
  }

  get unique(): boolean {
    return this.spec.unique === true || this.spec.name === "_id_";
  }

  /**
   * True when the index may answer equality lookups for every document: not sparse, partial, hidden
   * (mongod's planner ignores hidden indexes) or collated (its keys are not the query's values).
   */
  get complete(): boolean {
    return !this.spec.sparse && !this.partial && this.spec.hidden !== true && !this.collation;
  }

  private values(doc: Doc, field: string): unknown[] {
    const vals = valuesAtPath(doc, field);
    const c = this.collation;
    return c ? vals.map((v) => collateValue(v, c)) : vals;
  }

  /** The keys a document contributes, or none when a sparse or partial index leaves it out. */
  keysFor(doc: Doc): string[] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.fields.map((f) => this.values(doc, f));
    if (this.spec.sparse && perField.every((vals) => vals.every((v) => v === undefined))) return [];
    return combine(perField.map((vals) => vals.map(keyOf)));
  }

  prefixKeysFor(doc: Doc): string[] {
    if (this.partial && !this.partial.test(doc)) return [];
    return this.values(doc, this.fields[0]!).map(keyOf);
  }

  add(doc: Doc, id: string): void {
    for (const k of this.keysFor(doc)) addTo(this.map, k, id);
    if (this.prefix) for (const k of this.prefixKeysFor(doc)) addTo(this.prefix, k, id);
  }

  remove(doc: Doc, id: string): void {
    for (const k of this.keysFor(doc)) removeFrom(this.map, k, id);
    if (this.prefix) for (const k of this.prefixKeysFor(doc)) removeFrom(this.prefix, k, id);
  }

  /** Whether another spec describes the same index (same key and options). */
  sameAs(other: IndexSpec): boolean {
    return (
      keyOf(this.spec.key) === keyOf(other.key) &&
      INDEX_OPTIONS_COMPARED.every((o) => keyOf(this.spec[o]) === keyOf(other[o]))
    );
  }
}

function combine(parts: string[][]): string[] {
  if (parts.length === 1) return parts[0]!;
  let acc: string[][] = [[]];
  for (const options of parts) acc = acc.flatMap((prefix) => options.map((o) => [...prefix, o]));
  return acc.map((p) => JSON.stringify(p));
}

/**
 * Index key → the ids holding it. Most keys have one holder (always, for unique indexes), so a lone
 * id is stored as the string itself; a Set appears only for a second holder. At 100,000 documents
 * this saves a Set per key, which is most of an index's memory.
 */
export type IdMap = Map<string, string | Set<string>>;

function addTo(map: IdMap, key: string, id: string): void {
  const cur = map.get(key);
  if (cur === undefined) map.set(key, id);
  else if (typeof cur === "string") {
    if (cur !== id) map.set(key, new Set([cur, id]));
  } else cur.add(id);
}

function removeFrom(map: IdMap, key: string, id: string): void {
  const cur = map.get(key);
  if (cur === undefined) return;
  if (typeof cur === "string") {
    if (cur === id) map.delete(key);
    return;
  }
  cur.delete(id);
  if (cur.size === 1) map.set(key, cur.values().next().value!);
  else if (cur.size === 0) map.delete(key);
}

/** The ids holding a key, as an iterable. */
export function holdersOf(map: IdMap, key: string): Iterable<string> {
  const cur = map.get(key);
  return cur === undefined ? [] : typeof cur === "string" ? [cur] : cur;
}

/** A failed unique check: which index and which key collided. */
export interface DuplicateKey {
  index: HashIndex;
  keyValue: Record<string, unknown>;
}

/** The documents of one collection with their indexes; every mutation keeps the indexes in step. */
export class Collection {
  readonly db: string;
  readonly name: string;
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, HashIndex>();
  readonly options: Record<string, unknown>;
  /** Ids of documents holding a Long beyond ±2^53 or a Decimal128 (queries then compare through views). */
  private readonly wide = new Set<string>();
  /** `_id`s in ascending order, for range scans sorted by `_id` (undefined = to be rebuilt). */
  private byId: unknown[] | undefined;

  constructor(db: string, name: string, options: Record<string, unknown> = {}) {
    this.db = db;
    this.name = name;
    this.options = options;
    this.indexes.set("_id_", new HashIndex({ v: 2, key: { _id: 1 }, name: "_id_" }));
  }

  /** How many documents hold a Long beyond ±2^53 or a Decimal128. */
  get wideDocs(): number {
    return this.wide.size;
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get(id: unknown): Doc | undefined {
    return this.docs.get(keyOf(id));
  }

  /** Finds a unique-index collision for `doc`, ignoring the document with the same `_id`. */
  findDuplicate(doc: Doc): DuplicateKey | undefined {
    const self = keyOf(doc._id);
    for (const index of this.indexes.values()) {
      if (!index.unique) continue;
      for (const k of index.keysFor(doc)) {
        for (const other of holdersOf(index.map, k)) {
          if (other !== self) return { index, keyValue: keyValueOf(index, doc) };
        }
      }
    }
    return undefined;
  }

  /** Stores `doc` (insert or replace by `_id`) and returns the document it replaced, if any. */
  put(doc: Doc): Doc | undefined {
    const id = keyOf(doc._id);
    const prev = this.docs.get(id);
    if (prev) for (const index of this.indexes.values()) index.remove(prev, id);
    this.docs.set(id, doc);
    for (const index of this.indexes.values()) index.add(doc, id);
    if (hasWideNumber(doc)) this.wide.add(id);
    else if (prev) this.wide.delete(id);
    if (!prev && this.byId) {
      // ObjectIds made by one client grow: appending keeps the order; anything else rebuilds it later.
      const last = this.byId[this.byId.length - 1];
      if (last === undefined || compareValues(last, doc._id) < 0) this.byId.push(doc._id);
      else this.byId = undefined;
    }
    return prev;
  }

  /** Every `_id` in ascending order (built on demand, kept up to date by appends). */
  idsInOrder(): unknown[] {
    if (!this.byId) {
      const ids = [...this.docs.values()].map((d) => d._id);
      ids.sort(compareValues);
      this.byId = ids;
    }
    return this.byId;
  }

  /** Removes a document by `_id` and returns it. */
  remove(idValue: unknown): Doc | undefined {
    const id = keyOf(idValue);
    const prev = this.docs.get(id);
    if (!prev) return undefined;
    for (const index of this.indexes.values()) index.remove(prev, id);
    this.docs.delete(id);
    this.wide.delete(id);
    this.byId = undefined;
    return prev;
  }

  /** Builds an index over the existing documents; a unique index over duplicates fails with 11000. */
  addIndex(spec: IndexSpec): void {
    const index = new HashIndex(spec);
    for (const [id, doc] of this.docs) {
      if (index.unique) {
        for (const k of index.keysFor(doc)) {
          const holders = [...holdersOf(index.map, k)];
          if (holders.length > 0 && !holders.includes(id)) {
            throw duplicateKeyError(this, { index, keyValue: keyValueOf(index, doc) });
          }
        }
      }
      index.add(doc, id);
    }
    this.indexes.set(spec.name, index);
  }

  /**
   * The documents that can match `filter`: an index lookup when the filter pins every field of a
   * complete index (or the first field of a compound one) by equality, else every document.
   */
  candidates(filter: Record<string, unknown>): Iterable<Doc> {
    const eq = equalityValues(filter);
    if (eq.size === 0) return this.docs.values();
    let best: { ids: Iterable<string> } | undefined;
    let bestScore = 0;
    for (const index of this.indexes.values()) {
      if (!index.complete) continue;
      let ids: Iterable<string> | undefined;
      let score = 0;
      if (index.fields.every((f) => eq.has(f))) {
        ids = lookup(index.map, combine(index.fields.map((f) => eq.get(f)!)));
        score = index.fields.length * 2 + (index.unique ? 1 : 0);
      } else if (index.prefix && eq.has(index.fields[0]!)) {
        ids = lookup(index.prefix, eq.get(index.fields[0]!)!);
        score = 1;
      }
      if (ids && score > bestScore) {
        best = { ids };
        bestScore = score;
      }
    }
    if (!best) return this.docs.values();
    const out: Doc[] = [];
    for (const id of best.ids) {
      const d = this.docs.get(id);
      if (d) out.push(d);
    }
    return out;
  }
}

function lookup(map: IdMap, keys: string[]): Iterable<string> {
  if (keys.length === 1) return holdersOf(map, keys[0]!);
  const out = new Set<string>();
  for (const k of keys) for (const id of holdersOf(map, k)) out.add(id);
  return out;
}

function isScalar(v: unknown): boolean {
  if (v === null) return true;
  const t = typeof v;
  if (t === "string" || t === "number" || t === "boolean" || t === "bigint") return true;
  if (v instanceof Date) return true;
  const bt = typeof v === "object" && v !== null && "_bsontype" in v ? v._bsontype : undefined;
  return bt === "ObjectId" || bt === "ObjectID" || bt === "Binary";
}

/** Top-level equality constraints of a filter, as canonical keys per field. */
function equalityValues(filter: Record<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [field, cond] of Object.entries(filter)) {
    if (field.startsWith("$")) continue;
    if (isScalar(cond)) {
      out.set(field, [keyOf(cond)]);
      continue;
    }
    if (cond && typeof cond === "object" && !Array.isArray(cond) && !(cond instanceof RegExp)) {
      const ops = cond as Record<string, unknown>;
      if ("$eq" in ops && isScalar(ops.$eq)) out.set(field, [keyOf(ops.$eq)]);
      else if (Array.isArray(ops.$in) && ops.$in.every(isScalar)) {
        out.set(field, (ops.$in as unknown[]).map(keyOf));
      }
    }
  }
  return out;
}

function keyValueOf(index: HashIndex, doc: Doc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of index.fields) {
    const vals = valuesAtPath(doc, f);
    out[f] = vals.length === 1 ? (vals[0] ?? null) : vals;
  }
  return out;
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v && typeof v === "object" && (v as { _bsontype?: string })._bsontype === "ObjectId") {
    return `ObjectId('${(v as { toHexString(): string }).toHexString()}')`;
  }
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  return v === undefined ? "null" : (JSON.stringify(v) ?? "null");
}

/** The E11000 error exactly as mongod words it, with keyPattern and keyValue. */
export function duplicateKeyError(coll: Collection, dup: DuplicateKey): CommandError {
  const shown = Object.entries(dup.keyValue)
    .map(([k, v]) => `${k}: ${show(v)}`)
    .join(", ");
  return new CommandError(
    ErrorCodes.DuplicateKey,
    `E11000 duplicate key error collection: ${coll.ns} index: ${dup.index.spec.name} dup key: { ${shown} }`,
    { keyPattern: dup.index.spec.key, keyValue: dup.keyValue },
  );
}
