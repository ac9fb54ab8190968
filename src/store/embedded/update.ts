/** Update semantics on top of mingo: operator, replacement and pipeline updates, upsert seeding. */
import { ObjectId } from "bson";
import { aggregate, update as mingoUpdate, ProcessingMode } from "mingo";
import type { Doc } from "./collection.js";
import { CommandError, ErrorCodes } from "./errors.js";
import { cloneDoc, keyOf } from "./keys.js";
import { exactArithmetic } from "./numbers.js";

const OPERATORS = new Set([
  "$set",
  "$unset",
  "$inc",
  "$mul",
  "$push",
  "$addToSet",
  "$pull",
  "$pullAll",
  "$pop",
  "$rename",
  "$setOnInsert",
  "$min",
  "$max",
  "$currentDate",
  "$bit",
]);

/** The shape of an update statement's `u`. */
export type UpdateKind = "replacement" | "operators" | "pipeline";

/** Classifies `u` and rejects mixtures mongod rejects. */
export function updateKind(u: unknown): UpdateKind {
  if (Array.isArray(u)) return "pipeline";
  if (!u || typeof u !== "object")
    throw new CommandError(ErrorCodes.FailedToParse, "Update argument must be an object or a pipeline");
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith("$"));
  if (ops.length === 0) return "replacement";
  if (ops.length !== keys.length) {
    throw new CommandError(ErrorCodes.FailedToParse, "Update document must not mix operators and fields");
  }
  for (const op of ops) {
    if (!OPERATORS.has(op))
      throw new CommandError(
        ErrorCodes.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
  }
  return "operators";
}

/** Builds the document an upsert starts from: the filter's equality fields (`{a: 1, "b.c": 2}`). */
export function seedFromFilter(filter: Record<string, unknown>): Record<string, unknown> {
  const seed: Record<string, unknown> = {};
  const visit = (f: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === "$and" && Array.isArray(v)) {
        for (const part of v as Record<string, unknown>[]) visit(part);
        continue;
      }
      if (k.startsWith("$")) continue;
      let value: unknown = v;
      if (
        v &&
        typeof v === "object" &&
        !Array.isArray(v) &&
        !(v instanceof Date) &&
        !(v instanceof RegExp) &&
        (v as { _bsontype?: string })._bsontype === undefined
      ) {
        const keys = Object.keys(v);
        if (keys.some((x) => x.startsWith("$"))) {
          if (keys.length === 1 && "$eq" in v) value = v.$eq;
          else continue;
        }
      }
      if (value instanceof RegExp) continue;
      setPath(seed, k, cloneDoc(value));
    }
  };
  visit(filter);
  return seed;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let node = target;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    if (!next || typeof next !== "object") node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

/** Puts `_id` first, as mongod stores it. */
export function withIdFirst(doc: Record<string, unknown>, id: unknown): Doc {
  const { _id: _drop, ...rest } = doc;
  return { _id: id, ...rest };
}

/**
 * Applies `u` to a copy of `doc` and returns the new document. `inserting` turns `$setOnInsert`
 * into `$set`; `filter` resolves the positional `$` operator.
 */
export function applyUpdate(
  doc: Doc | Record<string, unknown>,
  u: unknown,
  opts: {
    inserting: boolean;
    arrayFilters?: Record<string, unknown>[];
    filter: Record<string, unknown>;
    variables?: Record<string, unknown>;
  },
): Record<string, unknown> {
  const kind = updateKind(u);
  if (kind === "replacement") return { ...cloneDoc(u as Record<string, unknown>) };
  if (kind === "pipeline") {
    const out = aggregate([cloneDoc(doc)], u as Record<string, unknown>[], {
      processingMode: ProcessingMode.CLONE_INPUT,
      ...(opts.variables ? { variables: opts.variables } : {}),
    });
    return out[0] ?? {};
  }
  const { $setOnInsert, ...modifier } = u as Record<string, Record<string, unknown>>;
  if (opts.inserting && $setOnInsert) modifier.$set = { ...(modifier.$set ?? {}), ...$setOnInsert };
  const copy = cloneDoc(doc) as Record<string, unknown>;
  exactNumbers(copy, modifier);
  if (!opts.arrayFilters?.length && applySimple(copy, modifier)) return copy;
  if (Object.keys(modifier).length > 0) {
    try {
      mingoUpdate(copy, modifier, opts.arrayFilters, opts.filter, {
        cloneMode: "deep",
        ...(opts.variables ? { queryOptions: { variables: opts.variables } } : {}),
      });
    } catch (err) {
      if (err instanceof Error && err.message.includes("immutable field '_id'")) throw immutableId();
      throw err;
    }
  }
  return copy;
}

/**
 * Moves `$inc`/`$mul` on plain paths whose result needs more than doubles (64-bit integers, overflow,
 * Decimal128) into `$set` with the exact value, or throws mongod's error; the rest stay as they were.
 */
function exactNumbers(doc: Record<string, unknown>, modifier: Record<string, Record<string, unknown>>): void {
  for (const op of ["$inc", "$mul"] as const) {
    const fields = modifier[op];
    if (!isPlainObject(fields)) continue;
    for (const [path, by] of Object.entries(fields)) {
      if (path.includes("$")) continue;
      let node: unknown = doc;
      for (const part of path.split(".")) {
        node = isPlainObject(node)
          ? node[part]
          : Array.isArray(node)
            ? (node as unknown[])[Number(part)]
            : undefined;
        if (node === undefined) break;
      }
      const exact = exactArithmetic(op === "$inc" ? "inc" : "mul", node, by, doc._id);
      if (exact === undefined) continue;
      delete fields[path];
      if (Object.keys(fields).length === 0) delete modifier[op];
      modifier.$set = { ...(modifier.$set ?? {}), [path]: exact };
    }
  }
}

const SIMPLE_OPS = new Set(["$set", "$unset", "$inc", "$push"]);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    (v as { _bsontype?: string })._bsontype === undefined
  );
}

/**
 * Applies the common update forms ($set, $unset, $inc, $push of one value on plain dotted paths) in
 * place, without mingo's per-call setup (most of the cost of a session save or a delivery update).
 * Returns false, having changed nothing, for anything else; mingo then applies the update.
 */
function applySimple(
  doc: Record<string, unknown>,
  modifier: Record<string, Record<string, unknown>>,
): boolean {
  const steps: Array<() => void> = [];
  const paths: string[] = [];
  for (const [op, fields] of Object.entries(modifier)) {
    if (!SIMPLE_OPS.has(op) || !isPlainObject(fields)) return false;
    for (const [path, value] of Object.entries(fields)) {
      if (path === "" || path.includes("$") || path.split(".").some((p) => p === "" || /^\d+$/.test(p)))
        return false;
      // The parent must be an object all the way down (or missing); arrays and scalars go to mingo.
      const parts = path.split(".");
      let node: unknown = doc;
      for (const part of parts.slice(0, -1)) {
        node = (node as Record<string, unknown>)[part];
        if (node === undefined) break;
        if (!isPlainObject(node)) return false;
      }
      const parent = node;
      const leaf = parts[parts.length - 1]!;
      const current = isPlainObject(parent) ? parent[leaf] : undefined;
      if (
        op === "$inc" &&
        (typeof value !== "number" || (current !== undefined && typeof current !== "number"))
      )
        return false;
      if (
        op === "$push" &&
        ((current !== undefined && !Array.isArray(current)) ||
          (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith("$"))))
      )
        return false;
      paths.push(path);
      steps.push(() => {
        if (op === "$unset") {
          if (isPlainObject(parent)) delete parent[leaf];
          return;
        }
        let target: Record<string, unknown> = doc;
        for (const part of parts.slice(0, -1)) {
          if (!isPlainObject(target[part])) target[part] = {};
          target = target[part] as Record<string, unknown>;
        }
        if (op === "$set") target[leaf] = cloneDoc(value);
        else if (op === "$inc")
          target[leaf] = ((target[leaf] as number | undefined) ?? 0) + (value as number);
        else target[leaf] = [...((target[leaf] as unknown[] | undefined) ?? []), cloneDoc(value)];
      });
    }
  }
  // Overlapping paths ("a" and "a.b") are a conflict mongod refuses: let mingo decide.
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i] === sorted[i - 1] || sorted[i]!.startsWith(`${sorted[i - 1]}.`)) return false;
  for (const step of steps) step();
  return true;
}

function immutableId(): CommandError {
  return new CommandError(
    ErrorCodes.ImmutableField,
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

/** Computes the replacement of `old` under `u`, keeping `_id` immutable as mongod does. */
export function updatedDoc(
  old: Doc,
  u: unknown,
  opts: {
    arrayFilters?: Record<string, unknown>[];
    filter: Record<string, unknown>;
    variables?: Record<string, unknown>;
  },
): Doc {
  const next = applyUpdate(old, u, { ...opts, inserting: false });
  if ("_id" in next && keyOf(next._id) !== keyOf(old._id)) {
    throw immutableId();
  }
  return withIdFirst(next, old._id);
}

/** The document an upsert inserts when nothing matched. */
export function upsertDoc(
  filter: Record<string, unknown>,
  u: unknown,
  arrayFilters: Record<string, unknown>[] | undefined,
  variables?: Record<string, unknown>,
): Doc {
  const kind = updateKind(u);
  const seed = seedFromFilter(filter);
  const base = kind === "replacement" ? {} : seed;
  const next = applyUpdate(base, u, { inserting: true, arrayFilters, filter, variables });
  // `_id: null` is a value like any other (the filter `{ _id: null }` upserts a document with a null _id).
  const id = next._id !== undefined ? next._id : seed._id !== undefined ? seed._id : new ObjectId();
  return withIdFirst(next, id);
}
