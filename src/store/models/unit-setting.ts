/** The `unit_settings` collection: a unit's own working targets, set by its staff in the console. */
import { Schema, type Connection, type Model } from "mongoose";

export interface UnitSettingDoc {
  /** The unit's id. */
  _id: string;
  /** Outreach items (articles and announcements) the unit aims to publish each month. */
  outreachTarget: number;
  updatedBy: string;
  updatedAt: Date;
}

const schema = new Schema<UnitSettingDoc>(
  {
    _id: { type: String, required: true },
    outreachTarget: { type: Number, required: true, min: 0, max: 100 },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, strictQuery: true },
);

/** Registers (once) and returns the unit-settings model on `conn`. */
export function unitSettingModel(conn: Connection): Model<UnitSettingDoc> {
  return (
    (conn.models.UnitSetting as Model<UnitSettingDoc> | undefined) ??
    conn.model<UnitSettingDoc>("UnitSetting", schema, "unit_settings")
  );
}
