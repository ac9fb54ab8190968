/** The `sessions` collection: conversation state per chat, expiring after inactivity. */
import { Schema, type Connection, type Model } from "mongoose";

/** How long an idle conversation's state is kept. */
export const SESSION_TTL_DAYS = 90;

export interface SessionDoc {
  _id: string;
  data: Record<string, unknown>;
  expiresAt: Date;
}

const schema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false, strictQuery: true },
);
schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** Registers (once) and returns the session model on `conn`. */
export function sessionModel(conn: Connection): Model<SessionDoc> {
  return (
    (conn.models.Session as Model<SessionDoc> | undefined) ??
    conn.model<SessionDoc>("Session", schema, "sessions")
  );
}
