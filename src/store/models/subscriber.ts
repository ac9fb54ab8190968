/** The `subscribers` collection: one per (channel, chat) that agreed to receive announcements. */
import { Schema, type Connection, type Model } from "mongoose";

export interface SubscriberDoc {
  channel: string;
  chatId: string;
  unit?: string;
  lang: "vi" | "en";
  topics: string[];
  active: boolean;
  /** Why pushes stopped: the user blocked the bot, or the platform says they cannot be reached. */
  inactiveReason?: "blocked" | "unreachable" | "unfollowed";
  consent: { version: string; at: Date };
  lastInteractionAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<SubscriberDoc>(
  {
    channel: { type: String, required: true },
    chatId: { type: String, required: true },
    unit: String,
    lang: { type: String, enum: ["vi", "en"], default: "vi" },
    topics: { type: [String], default: [] },
    active: { type: Boolean, default: true },
    inactiveReason: { type: String, enum: ["blocked", "unreachable", "unfollowed"] },
    consent: { version: { type: String, required: true }, at: { type: Date, required: true } },
    lastInteractionAt: { type: Date, required: true },
  },
  { timestamps: true, strictQuery: true },
);
schema.index({ channel: 1, chatId: 1 }, { unique: true });
schema.index({ active: 1, unit: 1 });

/** Registers (once) and returns the subscriber model on `conn`. */
export function subscriberModel(conn: Connection): Model<SubscriberDoc> {
  return (
    (conn.models.Subscriber as Model<SubscriberDoc> | undefined) ??
    conn.model<SubscriberDoc>("Subscriber", schema, "subscribers")
  );
}
