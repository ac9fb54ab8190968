/**
 * Verification of content facts as a workflow (issue 20): which facts still await a staff check, per
 * unit, and marking one fact verified or unverified with who did it and when (`verified_by`,
 * `verified_at`). The console page, the dashboard figure, the report and `content:load --dry-run`
 * all read {@link unverifiedFacts}; writes go through {@link applyVerification} and `saveItem`.
 */
import { z } from "zod";
import { FACT_FIELDS, type ContentBundle, type Procedure } from "./schemas.js";

/** A fact a verification mark can be put on: a procedure field, or a whole guide / FAQ ("item"). */
export const VERIFY_FIELDS = [...FACT_FIELDS, "item"] as const;
export type VerifyField = (typeof VERIFY_FIELDS)[number];

/** One fact awaiting verification. `unit` unset = shared content (every unit shows it). */
export interface UnverifiedFact {
  kind: "procedures" | "guides" | "faqs" | "hotlines" | "units";
  key: string;
  title: string;
  field: VerifyField | "phone" | "sample";
  unit?: string | undefined;
}

/**
 * Every fact still awaiting verification, e.g. `unverifiedFacts(bundle, "phuong-hoa-an")`: the
 * shared ones (procedure fields, guides and FAQs marked verified: false, province-wide sample
 * hotlines) plus, for a unit, its own FAQs, sample hotlines and a sample unit record. Without a unit,
 * every unit's own facts are listed too.
 */
export function unverifiedFacts(bundle: ContentBundle, unit?: string): UnverifiedFact[] {
  const mine = (u: string | undefined) => u === undefined || unit === undefined || u === unit;
  const out: UnverifiedFact[] = [];
  for (const p of bundle.procedures)
    for (const field of p.unverified) out.push({ kind: "procedures", key: p.code, title: p.name, field });
  for (const g of bundle.guides)
    if (!g.verified) out.push({ kind: "guides", key: g.slug, title: g.title, field: "item" });
  for (const f of bundle.faqs)
    if (!f.verified && mine(f.unit))
      out.push({ kind: "faqs", key: f.slug, title: f.question, field: "item", unit: f.unit });
  for (const h of bundle.hotlines)
    if (h.sample && mine(h.unit))
      out.push({ kind: "hotlines", key: h.id, title: h.label, field: "phone", unit: h.unit });
  for (const u of bundle.units)
    if (u.sample && u.kind !== "province" && mine(u.id))
      out.push({ kind: "units", key: u.id, title: u.name, field: "sample", unit: u.id });
  return out;
}

/** Counts of facts awaiting verification for each unit (shared facts count for every unit). */
export function unverifiedByUnit(bundle: ContentBundle): Array<{ unit: string; name: string; n: number }> {
  return bundle.units
    .filter((u) => u.kind !== "province")
    .map((u) => ({ unit: u.id, name: u.name, n: unverifiedFacts(bundle, u.id).length }));
}

/** Totals for `content:load --dry-run`: procedures with an unverified fact, facts, guides, FAQs. */
export function verificationCounts(bundle: ContentBundle): {
  procedures: number;
  unverifiedProcedures: number;
  unverifiedFacts: number;
  unverifiedGuides: number;
  unverifiedFaqs: number;
  sampleHotlines: number;
} {
  return {
    procedures: bundle.procedures.length,
    unverifiedProcedures: bundle.procedures.filter((p) => p.unverified.length > 0).length,
    unverifiedFacts: bundle.procedures.reduce((n, p) => n + p.unverified.length, 0),
    unverifiedGuides: bundle.guides.filter((g) => !g.verified).length,
    unverifiedFaqs: bundle.faqs.filter((f) => !f.verified).length,
    sampleHotlines: bundle.hotlines.filter((h) => h.sample).length,
  };
}

/** What a verification mark request says: which fact, and whether it is now verified. */
export const verificationInputSchema = z
  .object({
    kind: z.enum(["procedures", "guides", "faqs"]),
    key: z.string().regex(/^[\w.-]{1,80}$/),
    field: z.enum(VERIFY_FIELDS),
    verified: z.boolean(),
  })
  .strict();
export type VerificationInput = z.infer<typeof verificationInputSchema>;

/**
 * The stored item with one fact marked, e.g. a procedure's fee verified by "can-bo-tu-phap" now:
 * the field leaves `unverified`, `verification.fee` records who and when, and `verified` is true once
 * nothing is left. Marking unverified puts the field back and drops its record. Throws a message
 * when the field does not fit the kind (a procedure needs a fact field; guides and FAQs "item").
 */
export function applyVerification(
  item: Record<string, unknown>,
  input: VerificationInput,
  by: string,
  at: Date,
): Record<string, unknown> {
  const mark = { verified_by: by, verified_at: at.toISOString() };
  if (input.kind !== "procedures") {
    if (input.field !== "item") throw new Error(`a ${input.kind} item is verified as a whole ("item")`);
    const { verified_by: _b, verified_at: _a, ...rest } = item;
    return input.verified ? { ...rest, verified: true, ...mark } : { ...rest, verified: false };
  }
  if (input.field === "item") throw new Error("a procedure is verified field by field");
  const p = item as Partial<Procedure> & Record<string, unknown>;
  const field = input.field;
  const unverified = new Set(p.unverified ?? []);
  const verification = { ...(p.verification ?? {}) };
  if (input.verified) {
    unverified.delete(field);
    verification[field] = mark;
  } else {
    unverified.add(field);
    delete verification[field];
  }
  const list = FACT_FIELDS.filter((f) => unverified.has(f));
  return { ...p, unverified: list, verified: list.length === 0, verification };
}
