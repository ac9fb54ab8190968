/** The `views` collection: how often procedures, guides and FAQs were shown, per day, unit and channel. */
import { Schema, type Connection, type Model } from "mongoose";

export interface ViewCountDoc {
  /** `day|unit|kind|id|channel`: one counter per bucket. */
  _id: string;
  /** Viet Nam calendar day, YYYY-MM-DD. */
  day: string;
  unit?: string;
  kind: "procedure" | "guide" | "faq";
  id: string;
  channel: string;
  n: number;
}

const schema = new Schema<ViewCountDoc>(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true },
    unit: String,
    kind: { type: String, enum: ["procedure", "guide", "faq"], required: true },
    id: { type: String, required: true },
    channel: { type: String, required: true },
    n: { type: Number, default: 0 },
  },
  { versionKey: false, strictQuery: true },
);
schema.index({ day: 1 });

export function viewCountModel(conn: Connection): Model<ViewCountDoc> {
  return (
    (conn.models.ViewCount as Model<ViewCountDoc> | undefined) ??
    conn.model<ViewCountDoc>("ViewCount", schema, "views")
  );
}

/** Counts one view (no identity, only the bucket), e.g. `await countView(model, {...}, new Date())`. */
export async function countView(
  model: Model<ViewCountDoc>,
  v: { kind: ViewCountDoc["kind"]; id: string; channel: string; unit?: string | undefined },
  at: Date,
): Promise<void> {
  const day = new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
  const key = [day, v.unit ?? "", v.kind, v.id, v.channel].join("|");
  await model.updateOne(
    { _id: key },
    { $setOnInsert: { day, unit: v.unit, kind: v.kind, id: v.id, channel: v.channel }, $inc: { n: 1 } },
    { upsert: true },
  );
}
