/**
 * When a staff member of a unit last acted on live help (console queue or staff group), so every
 * process of a deployment — and one restarted — knows whether someone is on duty.
 */
import { Schema, type Connection, type Model } from "mongoose";

export interface StaffPresenceDoc {
  /** The unit id. */
  _id: string;
  at: Date;
}

const schema = new Schema<StaffPresenceDoc>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false, strictQuery: true },
);

export function staffPresenceModel(conn: Connection): Model<StaffPresenceDoc> {
  return (
    (conn.models.StaffPresence as Model<StaffPresenceDoc> | undefined) ??
    conn.model<StaffPresenceDoc>("StaffPresence", schema, "staff_presence")
  );
}
