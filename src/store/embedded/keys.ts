/** Canonical index keys: equal BSON values (1, 1.0, Long 1) map to the same string. */

type Bsonish = { _bsontype?: string };

/** The canonical key of one value, so equal values in MongoDB's sense compare equal as strings. */
export function keyOf(value: unknown): string {
  if (value === undefined || value === null) return "n";
  switch (typeof value) {
    case "number":
      return Number.isNaN(value) ? "#NaN" : `#${value === 0 ? 0 : value}`;
    case "bigint":
      return `#${value.toString()}`;
    case "string":
      return `s${value}`;
    case "boolean":
      return value ? "b1" : "b0";
    default:
      break;
  }
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof RegExp) return `r/${value.source}/${value.flags}`;
  if (Array.isArray(value)) return `a[${value.map(keyOf).join(",")}]`;
  const t = (value as Bsonish)._bsontype;
  if (t !== undefined) {
    switch (t) {
      case "ObjectId":
      case "ObjectID":
        return `o${(value as { toHexString(): string }).toHexString()}`;
      case "Long":
      case "Int32":
      case "Double":
      case "Decimal128":
        return `#${(value as { toString(): string }).toString()}`;
      case "Binary": {
        const b = value as { sub_type: number; buffer: Uint8Array };
        return `x${b.sub_type}:${Buffer.from(b.buffer).toString("base64")}`;
      }
      default:
        return `${t}:${JSON.stringify(value)}`;
    }
  }
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${JSON.stringify(k)}:${keyOf(v)}`,
  );
  return `{${entries.join(",")}}`;
}

/**
 * Every value a dotted path reaches in a document, descending through arrays as MongoDB's multikey
 * indexes do; a missing field yields `[undefined]`.
 */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const parts = path.split(".");
  const out: unknown[] = [];
  const walk = (node: unknown, i: number): void => {
    if (i === parts.length) {
      if (Array.isArray(node)) {
        if (node.length === 0) out.push(undefined);
        else out.push(...(node as unknown[]));
      } else out.push(node);
      return;
    }
    if (Array.isArray(node)) {
      const idx = /^\d+$/.test(parts[i]!) ? Number(parts[i]) : undefined;
      if (idx !== undefined) {
        walk(node[idx], i + 1);
        return;
      }
      if (node.length === 0) out.push(undefined);
      for (const el of node) walk(el, i);
      return;
    }
    if (node === null || typeof node !== "object" || node instanceof Date) {
      out.push(undefined);
      return;
    }
    walk((node as Record<string, unknown>)[parts[i]!], i + 1);
  };
  walk(doc, 0);
  const seen = new Set<string>();
  return out.filter((v) => {
    const k = keyOf(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** True when `doc` has some value (possibly null) at the dotted path. */
export function hasPath(doc: unknown, path: string): boolean {
  return valuesAtPath(doc, path).some((v) => v !== undefined);
}

/** Copies a document deeply, sharing immutable BSON values (ObjectId, Binary, Decimal128). */
export function cloneDoc<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(cloneDoc) as T;
  if (value instanceof RegExp || (value as Bsonish)._bsontype !== undefined) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = cloneDoc(v);
  return out as T;
}
