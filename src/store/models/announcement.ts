/** The `announcements` collection: what staff push, to whom, when, and how far the current run got. */
import { Schema, type Connection, type Model, type Types } from "mongoose";

export type AnnouncementStatus = "draft" | "scheduled" | "sending" | "done" | "cancelled" | "paused";

export interface AnnouncementDoc {
  _id: Types.ObjectId;
  title: string;
  body: string;
  imageUrl?: string;
  link?: { label: string; url: string };
  audience: { units: string[]; topics: string[]; lang?: "vi" | "en"; channels: string[] };
  urgent: boolean;
  status: AnnouncementStatus;
  schedule: { kind: "now" | "at" | "cron"; at?: Date; cron?: string };
  /** When the next run is due (scheduled announcements). */
  nextRunAt?: Date;
  /** The run being sent: "once", or the ISO time of a cron occurrence. */
  run?: string;
  runs: number;
  /** Last subscriber `_id` whose batch is complete in the current run. */
  cursor?: Types.ObjectId;
  lease?: { owner: string; until: Date };
  createdBy: string;
  startedAt?: Date;
  finishedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<AnnouncementDoc>(
  {
    title: { type: String, required: true, maxlength: 200 },
    body: { type: String, required: true, maxlength: 3500 },
    imageUrl: String,
    link: { label: String, url: String },
    audience: {
      units: { type: [String], default: [] },
      topics: { type: [String], default: [] },
      lang: { type: String, enum: ["vi", "en"] },
      channels: { type: [String], default: [] },
    },
    urgent: { type: Boolean, default: false },
    status: {
      type: String,
      enum: ["draft", "scheduled", "sending", "done", "cancelled", "paused"],
      required: true,
    },
    schedule: { kind: { type: String, enum: ["now", "at", "cron"], required: true }, at: Date, cron: String },
    nextRunAt: Date,
    run: String,
    runs: { type: Number, default: 0 },
    cursor: Schema.Types.ObjectId,
    lease: { owner: String, until: Date },
    createdBy: { type: String, required: true },
    startedAt: Date,
    finishedAt: Date,
  },
  { timestamps: true, strictQuery: true },
);
schema.index({ status: 1, nextRunAt: 1 });

export function announcementModel(conn: Connection): Model<AnnouncementDoc> {
  return (
    (conn.models.Announcement as Model<AnnouncementDoc> | undefined) ??
    conn.model<AnnouncementDoc>("Announcement", schema, "announcements")
  );
}
