/** The `link_checks` collection: the last check of each link the content shows residents (issue 20). */
import { Schema, type Connection, type Model } from "mongoose";

export interface LinkCheckDoc {
  /** The URL as the content holds it. */
  _id: string;
  /** Where the content shows it, e.g. `guides/vneid-muc-2`, `portal`, `surveys/sipas-tinh`. */
  refs: string[];
  /** The HTTP status of the last check; 0 when no answer came (network error, timeout). */
  status: number;
  ok: boolean;
  /** Why a check failed without a status ("timeout", "ECONNREFUSED"…). */
  error?: string | undefined;
  checkedAt: Date;
  /** When the link last answered with a success status. */
  lastOkAt?: Date | undefined;
}

const schema = new Schema<LinkCheckDoc>(
  {
    _id: { type: String, required: true },
    refs: { type: [String], default: [] },
    status: { type: Number, required: true },
    ok: { type: Boolean, required: true },
    error: String,
    checkedAt: { type: Date, required: true },
    lastOkAt: Date,
  },
  { versionKey: false, strictQuery: true },
);
schema.index({ ok: 1 });

/** Registers (once) and returns the link-check model on `conn`. */
export function linkCheckModel(conn: Connection): Model<LinkCheckDoc> {
  return (
    (conn.models.LinkCheck as Model<LinkCheckDoc> | undefined) ??
    conn.model<LinkCheckDoc>("LinkCheck", schema, "link_checks")
  );
}
