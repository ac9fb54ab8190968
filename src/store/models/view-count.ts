/** The `views` collection: how often procedures, guides and FAQs were shown, per day, unit and channel. */
import { Schema, type Connection, type Model } from "mongoose";
import { vnDay } from "../../vn-time.js";

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

/** A view to count: what was shown, where, when. */
export interface View {
  kind: ViewCountDoc["kind"];
  id: string;
  channel: string;
  unit?: string | undefined;
  at: Date;
}

/** The counters a batch of views adds to: one `$inc` per bucket, in one bulk write. */
export async function countViews(model: Model<ViewCountDoc>, views: View[]): Promise<void> {
  const buckets = new Map<string, { view: View; day: string; n: number }>();
  for (const v of views) {
    const day = vnDay(v.at);
    const key = [day, v.unit ?? "", v.kind, v.id, v.channel].join("|");
    const b = buckets.get(key);
    if (b) b.n++;
    else buckets.set(key, { view: v, day, n: 1 });
  }
  if (!buckets.size) return;
  await model.bulkWrite(
    [...buckets].map(([key, b]) => ({
      updateOne: {
        filter: { _id: key },
        update: {
          $setOnInsert: {
            day: b.day,
            unit: b.view.unit,
            kind: b.view.kind,
            id: b.view.id,
            channel: b.view.channel,
          },
          $inc: { n: b.n },
        },
        upsert: true,
      },
    })),
    { ordered: false },
  );
}
