/** The `queries` collection: what citizens searched and what they got, with no personal data. */
import { Schema, type Connection, type Model } from "mongoose";

/** One logged search. */
export interface QueryLogDoc {
  /** The question with numbers, e-mail addresses and links masked, at most 200 characters. */
  q: string;
  channel: string;
  unit?: string;
  /**
   * Set when the question followed up on an item the bot had just shown ("phí bao nhiêu?" after a
   * card): the bot answers it from that item, so it counts as answered whatever `level` says.
   */
  followUp?: string;
  hits: Array<{ id: string; score: number }>;
  confidence: number;
  level: "confident" | "unsure" | "none";
  at: Date;
}

/** How long query logs are kept (they feed the quarterly and yearly reports). */
export const QUERY_LOG_TTL_DAYS = 400;

const schema = new Schema<QueryLogDoc>(
  {
    q: { type: String, required: true, maxlength: 200 },
    channel: { type: String, required: true },
    unit: String,
    followUp: String,
    hits: [{ _id: false, id: String, score: Number }],
    confidence: Number,
    level: { type: String, enum: ["confident", "unsure", "none"], required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, strictQuery: true },
);
schema.index({ at: 1 }, { expireAfterSeconds: QUERY_LOG_TTL_DAYS * 24 * 3600 });
schema.index({ level: 1, at: -1 });

/** Registers (once) and returns the query-log model on `conn`. */
export function queryLogModel(conn: Connection): Model<QueryLogDoc> {
  return (
    (conn.models.QueryLog as Model<QueryLogDoc> | undefined) ??
    conn.model<QueryLogDoc>("QueryLog", schema, "queries")
  );
}

/** Masks what could identify a person before a question is stored (see core/intents). */
export { scrubQuery } from "../../core/intents.js";
