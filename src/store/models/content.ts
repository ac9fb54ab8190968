/** Content collections: one document per content item, keyed, holding the validated item as data. */
import { Schema, type Connection, type Model } from "mongoose";

/** The kinds of content, each in its own collection. */
export const CONTENT_KINDS = [
  "units",
  "hotlines",
  "referrals",
  "fields",
  "procedures",
  "guides",
  "faqs",
  "articles",
  "surveys",
  "dictionary",
  "portal",
] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** A stored content item; `data` is validated by the content zod schemas on the way in and out. */
export interface ContentItemDoc {
  key: string;
  data: Record<string, unknown>;
  hash: string;
  /** Where the current version came from: a file in `content/` or an edit in the console. */
  origin: "file" | "console";
  /** Retired by staff: kept and restorable, but the bot no longer answers with it (issue 16). */
  retired?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const contentItemSchema = new Schema<ContentItemDoc>(
  {
    key: { type: String, required: true, unique: true },
    data: { type: Schema.Types.Mixed, required: true },
    hash: { type: String, required: true },
    origin: { type: String, enum: ["file", "console"], default: "file" },
    retired: { type: Boolean, default: false },
  },
  { timestamps: true, minimize: false, strictQuery: true },
);

/** The content models of a connection, one per kind (collection named after the kind). */
export type ContentModels = Record<ContentKind, Model<ContentItemDoc>>;

/** Registers (once) and returns the content models on `conn`. */
export function contentModels(conn: Connection): ContentModels {
  const out = {} as ContentModels;
  for (const kind of CONTENT_KINDS) {
    const name = `content_${kind}`;
    out[kind] =
      (conn.models[name] as Model<ContentItemDoc> | undefined) ??
      conn.model<ContentItemDoc>(name, contentItemSchema, kind);
  }
  return out;
}
