/** zod schemas of the content files in `content/`; types are derived from them. */
import { z } from "zod";

const text = z.string().trim().min(1);
/**
 * A link citizens can open: http(s) only. `z.url()` alone accepts `javascript:` and `data:`, which a
 * chat app or the console would run when tapped (issue 15).
 */
export const webUrl = () => z.url({ protocol: /^https?$/, message: "an http:// or https:// address" });
const slug = z
  .string()
  .max(48, "at most 48 characters (it travels in button payloads)")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase words joined by '-'");
/** A national procedure code such as "1.001193". */
export const procedureCode = z.string().regex(/^\d\.\d{6}$/, 'a national procedure code like "1.001193"');

/** A phone number as shown to citizens; samples may use x placeholders (0xx-xxx-0001). */
const phone = z.string().regex(/^[0-9x.+\- ()]{3,20}$/, "digits, spaces, dots, dashes (x only in samples)");

// === Units and hotlines

const hhmm = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, "a time like 07:30");
/** One opening period of the one-stop shop, e.g. Monday–Friday 07:30–11:30 (Vietnam time). */
export const openingSchema = z
  .object({
    days: z.array(z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])).min(1),
    from: hhmm,
    to: hhmm,
  })
  .strict()
  .refine((o) => o.from < o.to, { message: "'from' must be before 'to'" });

export const unitSchema = z
  .object({
    id: slug,
    name: text,
    name_en: text.optional(),
    kind: z.enum(["province", "ward", "commune", "special-zone"]),
    parent: slug.optional(),
    sample: z.boolean().default(false),
    address: text.optional(),
    /** The one-stop shop's own number, shown with the address (issue 16: a unit's facts). */
    phone: phone.optional(),
    office_hours: text.optional(),
    /** When the advisory team answers in chat (handoff to a person). */
    working_hours: z.array(openingSchema).optional(),
    /** Days the office is closed although the weekday is open (public holidays), YYYY-MM-DD. */
    closed_dates: z.array(z.iso.date()).optional(),
    portal: webUrl().optional(),
  })
  .strict()
  .refine((u) => u.sample || !u.phone?.includes("x"), {
    message: "a placeholder number (with x) must be marked sample: true",
    path: ["sample"],
  });
export type Unit = z.infer<typeof unitSchema>;

export const hotlineSchema = z
  .object({
    id: slug,
    unit: slug.optional(),
    label: text,
    label_en: text.optional(),
    phone,
    hours: text.optional(),
    note: text.optional(),
    sample: z.boolean().default(false),
  })
  .strict()
  .refine((h) => h.sample || !h.phone.includes("x"), {
    message: "a placeholder number (with x) must be marked sample: true",
    path: ["sample"],
  });
export type Hotline = z.infer<typeof hotlineSchema>;
export const hotlinesFileSchema = z.object({ hotlines: z.array(hotlineSchema) }).strict();

// === Referrals: matters that are not the commune's

/** An agency family that handles matters the commune does not, and the phrases that name them. */
export const referralSchema = z
  .object({
    /** Stable key, e.g. `cong-an`, `toa-an`, `bhxh`. */
    key: slug,
    /** Who handles it, as said to the citizen: "Công an (…)". */
    agency: text,
    agency_en: text,
    /** What it handles, one line. */
    handles: text,
    handles_en: text,
    /** How to reach it, without numbers or addresses unless the deployment supplies them. */
    reach: text,
    reach_en: text,
    /** Phrases (with or without diacritics) that name a matter of this agency. */
    topics: z.array(text).min(1),
    /** Phrases that, when present, mean the matter is the commune's after all (e.g. "bản sao"). */
    except: z.array(text).default([]),
  })
  .strict();
export type Referral = z.infer<typeof referralSchema>;
export const referralsFileSchema = z.object({ referrals: z.array(referralSchema) }).strict();

// === Procedures

export const FACT_FIELDS = [
  "code",
  "documents",
  "processing_time",
  "fee",
  "legal_basis",
  "online",
  "steps",
  "where",
] as const;

/** Who confirmed a fact against the official text, and when (issue 20). */
export const verificationMarkSchema = z
  .object({ verified_by: text, verified_at: z.iso.datetime({ offset: true }) })
  .strict();

const localized = z
  .object({
    name: text.optional(),
    /** What English speakers call it ("birth certificate"), searched like the Vietnamese aliases. */
    aliases: z.array(text).optional(),
    summary: text.optional(),
    where: text.optional(),
    documents: z.array(text).optional(),
    processing_time: text.optional(),
    fee: text.optional(),
    steps: z.array(text).optional(),
  })
  .strict();

export const procedureSchema = z
  .object({
    code: procedureCode,
    name: text,
    field: slug,
    agency: z.enum(["ubnd-xa", "cong-an-xa"]),
    aliases: z.array(text).default([]),
    keywords: z.array(text).default([]),
    summary: text,
    who: text.optional(),
    where: text,
    documents: z.array(text).min(1),
    processing_time: text,
    fee: text,
    legal_basis: z.array(text).min(1),
    online: z.enum(["toan-trinh", "mot-phan", "none"]),
    online_note: text.optional(),
    /** The national portal's own numeric id of this procedure (not its code), once staff confirm it. */
    portal_id: z
      .string()
      .regex(/^\d{1,10}$/, "the portal's numeric id (from the page address), not the national code")
      .optional(),
    steps: z.array(text).min(1),
    related: z.array(procedureCode).default([]),
    verified: z.boolean(),
    unverified: z.array(z.enum(FACT_FIELDS)).default([]),
    /** Per fact: who verified it and when (set from the console's verification page). */
    verification: z.partialRecord(z.enum(FACT_FIELDS), verificationMarkSchema).default({}),
    en: localized.optional(),
  })
  .strict()
  .refine((p) => p.verified === (p.unverified.length === 0), {
    message: "verified must be false exactly when some facts are listed under unverified",
    path: ["verified"],
  })
  .refine((p) => !p.unverified.some((f) => p.verification[f]), {
    message: "a fact listed under unverified cannot also carry a verification record",
    path: ["verification"],
  });
export type Procedure = z.infer<typeof procedureSchema>;

export const fieldsFileSchema = z
  .object({ fields: z.array(z.object({ id: slug, name: text, name_en: text }).strict()).min(1) })
  .strict();
export type Field = z.infer<typeof fieldsFileSchema>["fields"][number];

// === Guides, FAQs, articles (Markdown with front matter)

export const guideMetaSchema = z
  .object({
    slug,
    title: text,
    title_en: text.optional(),
    summary: text,
    aliases: z.array(text).default([]),
    aliases_en: z.array(text).default([]),
    keywords: z.array(text).default([]),
    links: z.array(z.object({ label: text, url: webUrl() }).strict()).default([]),
    verified: z.boolean().default(true),
    verified_by: text.optional(),
    verified_at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
/** A guide as stored: front matter plus the Markdown body. */
export const guideSchema = guideMetaSchema.extend({ body: text });
export type Guide = z.infer<typeof guideSchema>;

export const faqSchema = z
  .object({
    slug,
    question: text,
    question_en: text.optional(),
    answer: text,
    answer_en: text.optional(),
    aliases: z.array(text).default([]),
    aliases_en: z.array(text).default([]),
    related: z.array(z.union([procedureCode, z.string().regex(/^guide:[a-z0-9-]+$/)])).default([]),
    unit: slug.optional(),
    /** false while the answer rests on a fact marked (verify) in content-facts. */
    verified: z.boolean().default(true),
    verified_by: text.optional(),
    verified_at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type Faq = z.infer<typeof faqSchema>;

export const articleMetaSchema = z
  .object({
    slug,
    title: text,
    date: z.iso.date(),
    unit: slug.optional(),
    topic: slug,
    sample: z.boolean().default(false),
  })
  .strict();
/** An article as stored: front matter plus the Markdown body. */
export const articleSchema = articleMetaSchema.extend({ body: text });
export type Article = z.infer<typeof articleSchema>;

// === Surveys and the dictionary

export const surveysFileSchema = z
  .object({
    links: z.array(
      z
        .object({
          id: slug,
          unit: slug.optional(),
          label: text,
          url: webUrl(),
          sample: z.boolean().default(false),
        })
        .strict(),
    ),
    rating_scale: z
      .array(z.object({ value: z.number().int().min(1).max(5), label: text, label_en: text }).strict())
      .length(5),
    sipas_elements: z.array(z.object({ id: slug, label: text, label_en: text }).strict()).length(5),
  })
  .strict();
export type Surveys = z.infer<typeof surveysFileSchema>;

export const dictionarySchema = z
  .object({
    /** Short forms replaced by their expansion: `dk: đăng ký`. */
    abbreviations: z.record(z.string().min(1), text),
    /** Phrases that mean the same as a canonical phrase the content uses: `cưới: kết hôn`. */
    synonyms: z.array(z.object({ canonical: text, variants: z.array(text).min(1) }).strict()),
    /** Words that carry no meaning for retrieval (question words, politeness). */
    stopwords: z.array(text).default([]),
    /** Topics the catalogue does not cover (other agencies, other levels): never a confident answer. */
    not_covered: z.array(text).default([]),
  })
  .strict();
export type Dictionary = z.infer<typeof dictionarySchema>;

/** Everything in `content/`, validated and cross-checked. */
export interface ContentBundle {
  units: Unit[];
  hotlines: Hotline[];
  /** Matters that are not the commune's, and who handles them (absent file: none). */
  referrals: Referral[];
  fields: Field[];
  procedures: Procedure[];
  guides: Guide[];
  faqs: Faq[];
  articles: Article[];
  surveys: Surveys;
  dictionary: Dictionary;
  portal: Portal;
}

export const portalSchema = z
  .object({
    name: text,
    url: webUrl(),
    /**
     * A procedure's detail page; `{id}` is replaced by the portal's own numeric id of the procedure
     * (`portal_id`, entered by staff once they have opened the page), never by the national code:
     * pages built from the code are very likely dead (content-facts).
     */
    procedure_url: z
      .string()
      .includes("{id}")
      .regex(/^https?:\/\//i, "an http:// or https:// address"),
    /** The portal's search page, linked for procedures whose portal id nobody has confirmed yet. */
    search_url: webUrl(),
  })
  .strict();
export type Portal = z.infer<typeof portalSchema>;
