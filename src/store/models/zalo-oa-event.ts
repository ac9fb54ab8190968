/** The `zalo_oa_events` collection: accepted webhook events, persisted before the 200 is sent. */
import { Schema, type Connection, type Model } from "mongoose";

export interface ZaloOaEventDoc {
  _id: string;
  /** The validated event; removed once handled (keep only what is needed). */
  body?: Record<string, unknown>;
  status: "pending" | "processing" | "done" | "failed";
  attempts: number;
  lockUntil?: Date;
  receivedAt: Date;
  error?: string;
}

const schema = new Schema<ZaloOaEventDoc>(
  {
    _id: String,
    body: Schema.Types.Mixed,
    status: { type: String, enum: ["pending", "processing", "done", "failed"], required: true },
    attempts: { type: Number, default: 0 },
    lockUntil: Date,
    receivedAt: { type: Date, required: true },
    error: String,
  },
  { versionKey: false, strictQuery: true, minimize: false },
);
schema.index({ receivedAt: 1 }, { expireAfterSeconds: 7 * 24 * 3600 });
schema.index({ status: 1, receivedAt: 1 });

/** Registers (once) and returns the model on `conn`. */
export function zaloOaEventModel(conn: Connection): Model<ZaloOaEventDoc> {
  return (
    (conn.models.ZaloOaEvent as Model<ZaloOaEventDoc> | undefined) ??
    conn.model<ZaloOaEventDoc>("ZaloOaEvent", schema, "zalo_oa_events")
  );
}

/** The `zalo_bot_events` collection: accepted Zalo Bot updates, same shape and lifecycle. */
export function zaloBotEventModel(conn: Connection): Model<ZaloOaEventDoc> {
  return (
    (conn.models.ZaloBotEvent as Model<ZaloOaEventDoc> | undefined) ??
    conn.model<ZaloOaEventDoc>("ZaloBotEvent", schema.clone(), "zalo_bot_events")
  );
}
