/** The `deliveries` ledger: one row per (announcement, run, subscriber), written before the send. */
import { Schema, type Connection, type Model, type Types } from "mongoose";

export type DeliveryStatus =
  "sending" | "sent" | "failed" | "blocked" | "unreachable" | "unknown" | "skipped";

export interface DeliveryDoc {
  announcement: Types.ObjectId;
  run: string;
  subscriber: Types.ObjectId;
  channel: string;
  status: DeliveryStatus;
  detail?: string;
  /** The channel's route for this delivery (Zalo OA: consultation, template, paid-consultation, skip). */
  route?: string;
  /** Estimated cost of this delivery, VND. */
  costVnd?: number;
  at: Date;
}

const schema = new Schema<DeliveryDoc>(
  {
    announcement: { type: Schema.Types.ObjectId, required: true },
    run: { type: String, required: true },
    subscriber: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, required: true },
    status: {
      type: String,
      enum: ["sending", "sent", "failed", "blocked", "unreachable", "unknown", "skipped"],
      required: true,
    },
    detail: String,
    route: String,
    costVnd: Number,
    at: { type: Date, required: true },
  },
  { versionKey: false, strictQuery: true },
);
// The guarantee that nobody gets an announcement twice: a second row for the same run cannot exist.
schema.index({ announcement: 1, run: 1, subscriber: 1 }, { unique: true });
schema.index({ announcement: 1, run: 1, status: 1 });

export function deliveryModel(conn: Connection): Model<DeliveryDoc> {
  return (
    (conn.models.Delivery as Model<DeliveryDoc> | undefined) ??
    conn.model<DeliveryDoc>("Delivery", schema, "deliveries")
  );
}
