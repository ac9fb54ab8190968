/**
 * Sorting documents by a sort spec with MongoDB's comparison order, in place and without copying
 * documents (mingo's cursor sort copies them, which made paging through large collections slow).
 */
import { collateValue, type Collation } from "./collation.js";
import { valuesAtPath } from "./keys.js";
import { toNumber } from "./numbers.js";

// MongoDB's order of types: null < numbers < strings < objects < arrays < binary < ObjectId < booleans < dates < regex.
function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 1;
  if (typeof v === "number" || typeof v === "bigint") return 2;
  if (typeof v === "string") return 3;
  if (typeof v === "boolean") return 8;
  if (v instanceof Date) return 9;
  if (v instanceof RegExp) return 11;
  if (Array.isArray(v)) return 5;
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === "ObjectId" || t === "ObjectID") return 7;
  if (t === "Binary") return 6;
  if (t === "Long" || t === "Int32" || t === "Double" || t === "Decimal128") return 2;
  return 4;
}

/** Compares two BSON values as MongoDB orders them. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 1:
      return 0;
    case 2: {
      const x = typeof a === "number" ? a : toNumber(a);
      const y = typeof b === "number" ? b : toNumber(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 7: {
      const x = (a as { toHexString(): string }).toHexString();
      const y = (b as { toHexString(): string }).toHexString();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 8:
      return Number(a) - Number(b);
    case 9:
      return (a as Date).getTime() - (b as Date).getTime();
    case 5: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c) return c;
      }
      return xa.length - xb.length;
    }
    default: {
      const x = JSON.stringify(a) ?? "";
      const y = JSON.stringify(b) ?? "";
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
}

/** The value a document sorts by on `path`: for arrays, the smallest (ascending) or largest element. */
function sortKey(doc: unknown, path: string, dir: number, collation?: Collation): unknown {
  let vals = valuesAtPath(doc, path);
  if (collation) vals = vals.map((v) => collateValue(v, collation));
  if (vals.length <= 1) return vals[0];
  return vals.reduce((best, v) => (compareValues(v, best) * dir < 0 ? v : best));
}

/** Sorts `docs` in place by `spec` ({ field: 1 | -1, … }), under `collation` if given; ties keep natural order. */
export function sortDocs<T>(docs: T[], spec: Record<string, unknown>, collation?: Collation): T[] {
  const fields = Object.entries(spec).map(([f, d]) => [f, Number(d) < 0 ? -1 : 1] as const);
  if (fields.length === 1) {
    const [f, dir] = fields[0]!;
    const keyed = docs.map((d, i) => ({ d, i, k: sortKey(d, f, dir, collation) }));
    keyed.sort((x, y) => compareValues(x.k, y.k) * dir || x.i - y.i);
    keyed.forEach((x, i) => (docs[i] = x.d));
    return docs;
  }
  const keyed = docs.map((d, i) => ({ d, i, k: fields.map(([f, dir]) => sortKey(d, f, dir, collation)) }));
  keyed.sort((x, y) => {
    for (let j = 0; j < fields.length; j++) {
      const c = compareValues(x.k[j], y.k[j]) * fields[j]![1];
      if (c) return c;
    }
    return x.i - y.i;
  });
  keyed.forEach((x, i) => (docs[i] = x.d));
  return docs;
}
