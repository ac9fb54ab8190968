/** The `ratings` collection: satisfaction ratings on the five-level scale, with no identity. */
import { Schema, type Connection, type Model, type Types } from "mongoose";

export const SIPAS_ELEMENTS = ["tiep-can", "thu-tuc", "cong-chuc", "ket-qua", "phan-anh"] as const;

export interface RatingDoc {
  _id: Types.ObjectId;
  unit?: string;
  channel: string;
  target: { kind: "procedure" | "ticket" | "service" | "handoff"; id?: string };
  /** The procedure's field, for the index by field. */
  field?: string;
  /** 5 Rất hài lòng … 1 Rất không hài lòng. */
  score: number;
  comment?: string;
  sipas: Record<string, number>;
  /** A salted hash of the chat, to keep one rating per target per chat; removed on data deletion. */
  chatHash?: string;
  at: Date;
}

const schema = new Schema<RatingDoc>(
  {
    unit: String,
    channel: { type: String, required: true },
    target: {
      kind: { type: String, enum: ["procedure", "ticket", "service", "handoff"], required: true },
      id: String,
    },
    field: String,
    score: { type: Number, required: true, min: 1, max: 5 },
    comment: { type: String, maxlength: 500 },
    sipas: { type: Schema.Types.Mixed, default: {} },
    chatHash: String,
    at: { type: Date, required: true },
  },
  { versionKey: false, strictQuery: true, minimize: false },
);
schema.index({ unit: 1, at: 1 });
schema.index({ chatHash: 1, "target.kind": 1, "target.id": 1 });

export function ratingModel(conn: Connection): Model<RatingDoc> {
  return (
    (conn.models.Rating as Model<RatingDoc> | undefined) ?? conn.model<RatingDoc>("Rating", schema, "ratings")
  );
}
