/** Moving content between the validated bundle and the store: idempotent sync and read-back. */
import crypto from "node:crypto";
import type { z } from "zod";
import type { ContentItemDoc, ContentKind, ContentModels } from "../store/models/content.js";
import {
  articleSchema,
  dictionarySchema,
  faqSchema,
  fieldsFileSchema,
  guideSchema,
  hotlineSchema,
  referralSchema,
  portalSchema,
  procedureSchema,
  surveysFileSchema,
  unitSchema,
  type ContentBundle,
} from "./schemas.js";

/** What a sync did (or would do, in a dry run), per kind. */
export interface SyncReport {
  created: string[];
  updated: string[];
  unchanged: number;
  /** Items in the store that the files no longer have: reported, never deleted silently. */
  removed: string[];
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function hashOf(data: unknown): string {
  return crypto.createHash("sha256").update(stableJson(data)).digest("hex").slice(0, 32);
}

/** The items of a bundle as (kind, key, data) triples. */
function itemsOf(bundle: ContentBundle): Array<{ kind: ContentKind; key: string; data: object }> {
  return [
    ...bundle.units.map((d) => ({ kind: "units" as const, key: d.id, data: d })),
    ...bundle.hotlines.map((d) => ({ kind: "hotlines" as const, key: d.id, data: d })),
    ...bundle.referrals.map((d) => ({ kind: "referrals" as const, key: d.key, data: d })),
    ...bundle.fields.map((d) => ({ kind: "fields" as const, key: d.id, data: d })),
    ...bundle.procedures.map((d) => ({ kind: "procedures" as const, key: d.code, data: d })),
    ...bundle.guides.map((d) => ({ kind: "guides" as const, key: d.slug, data: d })),
    ...bundle.faqs.map((d) => ({ kind: "faqs" as const, key: d.slug, data: d })),
    ...bundle.articles.map((d) => ({ kind: "articles" as const, key: d.slug, data: d })),
    { kind: "surveys" as const, key: "default", data: bundle.surveys },
    { kind: "dictionary" as const, key: "default", data: bundle.dictionary },
    { kind: "portal" as const, key: "default", data: bundle.portal },
  ];
}

/**
 * Upserts every item by key; an unchanged item is not written, so loading twice changes nothing.
 * Items missing from the files are reported in `removed`, not deleted.
 */
export async function syncContent(
  bundle: ContentBundle,
  models: ContentModels,
  opts: { dryRun?: boolean } = {},
): Promise<SyncReport> {
  const report: SyncReport = { created: [], updated: [], unchanged: 0, removed: [] };
  const items = itemsOf(bundle);
  const byKind = new Map<ContentKind, Set<string>>();
  for (const item of items) {
    const keys = byKind.get(item.kind) ?? new Set<string>();
    keys.add(item.key);
    byKind.set(item.kind, keys);
    const hash = hashOf(item.data);
    const existing = await models[item.kind].findOne({ key: item.key }, { hash: 1 }).lean();
    if (existing?.hash === hash) {
      report.unchanged++;
      continue;
    }
    (existing ? report.updated : report.created).push(`${item.kind}/${item.key}`);
    if (!opts.dryRun) {
      await models[item.kind].updateOne(
        { key: item.key },
        { $set: { data: item.data, hash, origin: "file" } },
        { upsert: true },
      );
    }
  }
  for (const [kind, model] of Object.entries(models) as Array<[ContentKind, ContentModels[ContentKind]]>) {
    const keys = byKind.get(kind) ?? new Set<string>();
    for (const doc of await model.find({}, { key: 1 }).lean()) {
      if (!keys.has(doc.key)) report.removed.push(`${kind}/${doc.key}`);
    }
  }
  return report;
}

/** Whether the store holds no procedures yet (a fresh deployment). */
export async function isContentEmpty(models: ContentModels): Promise<boolean> {
  return (await models.procedures.countDocuments({})) === 0;
}

type Problems = string[];

function parseAll<S extends z.ZodType>(
  schema: S,
  docs: ContentItemDoc[],
  kind: string,
  problems: Problems,
): Array<z.infer<S>> {
  return docs.flatMap((d) => {
    const r = schema.safeParse(d.data);
    if (r.success) return [r.data];
    problems.push(
      `${kind}/${d.key}: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
    return [];
  });
}

/**
 * Reads the content back from the store, validating each item again; invalid items are skipped and
 * reported. Returns undefined when a singleton (surveys, dictionary, portal) is missing.
 */
export async function readContentFromStore(
  models: ContentModels,
): Promise<{ bundle: ContentBundle | undefined; problems: Problems }> {
  const problems: Problems = [];
  // Retired items stay in the store (restorable) but are not content the bot answers with.
  const all = async (kind: ContentKind) =>
    ((await models[kind].find({}).sort({ key: 1 }).lean()) as ContentItemDoc[]).filter((d) => !d.retired);
  const one = async <S extends z.ZodType>(kind: ContentKind, schema: S): Promise<z.infer<S> | undefined> =>
    parseAll(schema, await all(kind), kind, problems)[0];
  const bundle = {
    units: parseAll(unitSchema, await all("units"), "units", problems),
    hotlines: parseAll(hotlineSchema, await all("hotlines"), "hotlines", problems),
    referrals: parseAll(referralSchema, await all("referrals"), "referrals", problems),
    fields: parseAll(fieldsFileSchema.shape.fields.element, await all("fields"), "fields", problems),
    procedures: parseAll(procedureSchema, await all("procedures"), "procedures", problems),
    guides: parseAll(guideSchema, await all("guides"), "guides", problems),
    faqs: parseAll(faqSchema, await all("faqs"), "faqs", problems),
    articles: parseAll(articleSchema, await all("articles"), "articles", problems),
    surveys: await one("surveys", surveysFileSchema),
    dictionary: await one("dictionary", dictionarySchema),
    portal: await one("portal", portalSchema),
  };
  if (!bundle.surveys || !bundle.dictionary || !bundle.portal) return { bundle: undefined, problems };
  return { bundle: bundle as ContentBundle, problems };
}

/** The schema each stored item of a kind must pass. */
export const ITEM_SCHEMAS: Record<ContentKind, z.ZodType> = {
  units: unitSchema,
  hotlines: hotlineSchema,
  referrals: referralSchema,
  fields: fieldsFileSchema.shape.fields.element,
  procedures: procedureSchema,
  guides: guideSchema,
  faqs: faqSchema,
  articles: articleSchema,
  surveys: surveysFileSchema,
  dictionary: dictionarySchema,
  portal: portalSchema,
};

/** One invalid field: where, the validator's message, and its details (for translated messages). */
export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
  minimum?: number;
  maximum?: number;
  /** What a size rule measured: "string" (characters) or "array" (items). */
  origin?: string;
  /** The expected format of an `invalid_format` issue ("url", "regex", …). */
  format?: string;
}

/** The issues of a zod error as field issues. */
export function fieldIssues(err: z.ZodError): FieldIssue[] {
  return err.issues.map((i) => {
    const bound = i as { minimum?: unknown; maximum?: unknown; origin?: unknown; format?: unknown };
    return {
      path: i.path.join("."),
      message: i.message,
      code: i.code,
      minimum: typeof bound.minimum === "number" ? bound.minimum : undefined,
      maximum: typeof bound.maximum === "number" ? bound.maximum : undefined,
      origin: typeof bound.origin === "string" ? bound.origin : undefined,
      format: typeof bound.format === "string" ? bound.format : undefined,
    };
  });
}

/** An edit that did not validate: one message per path. */
export class ContentEditError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.path || "(item)"}: ${i.message}`).join("; "));
    this.name = "ContentEditError";
  }
}

/** A copy of `value` without `undefined` members, at any depth. */
export function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value && typeof value === "object" && !(value instanceof Date))
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    );
  return value;
}

/** The field an item's key is read from ("code", "slug", "id"). */
export function keyField(kind: ContentKind): string {
  if (kind === "procedures") return "code";
  if (kind === "guides" || kind === "faqs" || kind === "articles") return "slug";
  return "id";
}

/** The key an item is stored under, read from the item itself. */
export function keyOf(kind: ContentKind, data: Record<string, unknown>): string {
  if (kind === "procedures") return String(data.code);
  if (kind === "referrals") return String(data.key);
  if (kind === "guides" || kind === "faqs" || kind === "articles") return String(data.slug);
  if (kind === "surveys" || kind === "dictionary" || kind === "portal") return "default";
  return String(data.id);
}

/**
 * Validates and stores one edited item (origin "console"); throws {@link ContentEditError} naming
 * every invalid field. The key may not change (a new key is a new item).
 */
export async function saveItem(
  models: ContentModels,
  kind: ContentKind,
  key: string,
  data: unknown,
  opts: { create?: boolean } = {},
): Promise<{ before: unknown; after: unknown; changed: boolean }> {
  const r = ITEM_SCHEMAS[kind].safeParse(data);
  if (!r.success) throw new ContentEditError(fieldIssues(r.error));
  // An absent optional field must stay absent: the driver would store `undefined` as null, which then
  // fails validation on reload and the item silently disappears (issue 15 point 1).
  const after = withoutUndefined(r.data) as Record<string, unknown>;
  if (keyOf(kind, after) !== key)
    throw new ContentEditError([{ path: keyField(kind), message: `must stay ${key}`, code: "key_fixed" }]);
  const existing = await models[kind].findOne({ key }).lean();
  if (opts.create && existing)
    throw new ContentEditError([{ path: keyField(kind), message: `${key} exists`, code: "key_taken" }]);
  const hash = hashOf(after);
  if (existing?.hash === hash) return { before: existing.data, after, changed: false };
  await models[kind].updateOne({ key }, { $set: { data: after, hash, origin: "console" } }, { upsert: true });
  return { before: existing?.data ?? null, after, changed: true };
}

/** One stored item as the console lists it, retired ones included. */
export interface StoredItem {
  key: string;
  data: Record<string, unknown>;
  retired: boolean;
  origin: "file" | "console";
  updatedAt: Date | undefined;
}

/** Every stored item of a kind, retired ones included, by key. */
export async function listStored(models: ContentModels, kind: ContentKind): Promise<StoredItem[]> {
  const docs = (await models[kind].find({}).sort({ key: 1 }).lean()) as ContentItemDoc[];
  return docs.map(storedOf);
}

/** One stored item (retired or not), or undefined. */
export async function getStored(
  models: ContentModels,
  kind: ContentKind,
  key: string,
): Promise<StoredItem | undefined> {
  const doc = (await models[kind].findOne({ key }).lean()) as ContentItemDoc | null;
  return doc ? storedOf(doc) : undefined;
}

function storedOf(d: ContentItemDoc): StoredItem {
  return { key: d.key, data: d.data, retired: d.retired === true, origin: d.origin, updatedAt: d.updatedAt };
}

/**
 * Retires an item (the bot stops answering with it; it stays stored) or restores it. Returns whether
 * anything changed; undefined when there is no such item.
 */
export async function setRetired(
  models: ContentModels,
  kind: ContentKind,
  key: string,
  retired: boolean,
): Promise<boolean | undefined> {
  const doc = await models[kind].findOne({ key }, { retired: 1 }).lean();
  if (!doc) return undefined;
  if ((doc.retired === true) === retired) return false;
  await models[kind].updateOne({ key }, { $set: { retired, origin: "console" } });
  return true;
}
