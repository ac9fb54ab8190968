/** The `handoffs` collection: requests to talk to a person of the ward's advisory team. */
import { Schema, type Connection, type Model } from "mongoose";

export const HANDOFF_STATUSES = ["waiting", "active", "closed"] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];
export const HANDOFF_END_REASONS = ["staff", "citizen", "idle", "expired", "erased"] as const;
export type HandoffEndReason = (typeof HANDOFF_END_REASONS)[number];

export interface HandoffDoc {
  /** A short code staff can say aloud, e.g. "H7K2QX". */
  _id: string;
  unit: string;
  channel: string;
  /** Where to relay staff replies; removed when the citizen deletes their data. */
  chatId?: string;
  /** `channel:chatId` while the request is open: at most one open request per chat. */
  openKey?: string;
  lang: "vi" | "en";
  status: HandoffStatus;
  endReason?: HandoffEndReason;
  /** The citizen's last questions, scrubbed of numbers, e-mails and links. */
  recent: string[];
  /** Whether the request came within the unit's working hours. */
  insideHours: boolean;
  createdAt: Date;
  claimedAt?: Date;
  closedAt?: Date;
  lastActivityAt: Date;
  /** Who owns the conversation: an id for claims, and the label the citizen sees. */
  staff?: { id: string; label: string };
  /** The staff group's card and the relayed messages, so replies to any of them find the request. */
  desk?: { chatId: string; cardId?: number; messageIds: number[] };
  /** The queue place last told to the citizen. */
  toldPosition?: number;
  /** Messages relayed each way. */
  counts: { citizen: number; staff: number };
  /**
   * The open conversation as text, for staff answering from the console (last 100 messages);
   * dropped when the conversation closes or the citizen erases their data.
   */
  transcript?: Array<{ at: Date; from: "citizen" | "staff"; text: string; photo?: boolean }>;
}

const schema = new Schema<HandoffDoc>(
  {
    _id: { type: String, required: true },
    unit: { type: String, required: true },
    channel: { type: String, required: true },
    chatId: String,
    openKey: String,
    lang: { type: String, enum: ["vi", "en"], required: true },
    status: { type: String, enum: HANDOFF_STATUSES, required: true },
    endReason: { type: String, enum: HANDOFF_END_REASONS },
    recent: { type: [String], default: [] },
    insideHours: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    claimedAt: Date,
    closedAt: Date,
    lastActivityAt: { type: Date, required: true },
    staff: { id: String, label: String },
    desk: { chatId: String, cardId: Number, messageIds: { type: [Number], default: [] } },
    toldPosition: Number,
    counts: { citizen: { type: Number, default: 0 }, staff: { type: Number, default: 0 } },
    transcript: {
      type: [
        {
          _id: false,
          at: Date,
          from: { type: String, enum: ["citizen", "staff"] },
          text: String,
          photo: Boolean,
        },
      ],
      default: undefined,
    },
  },
  { versionKey: false, strictQuery: true, minimize: false },
);
schema.index({ openKey: 1 }, { unique: true, sparse: true });
schema.index({ unit: 1, status: 1, createdAt: 1 });
schema.index({ "desk.chatId": 1, "desk.messageIds": 1 });
schema.index({ channel: 1, chatId: 1 });

export function handoffModel(conn: Connection): Model<HandoffDoc> {
  return (
    (conn.models.Handoff as Model<HandoffDoc> | undefined) ??
    conn.model<HandoffDoc>("Handoff", schema, "handoffs")
  );
}
