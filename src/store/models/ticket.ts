/** The `tickets` collection: citizens' feedback and petitions (phản ánh kiến nghị). */
import { Schema, type Connection, type Model, type Types } from "mongoose";

export const TICKET_CATEGORIES = ["thu-tuc", "thai-do", "dich-vu-cong", "de-xuat", "khac"] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export const TICKET_STATUSES = ["received", "in_progress", "answered", "closed", "rejected"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketDoc {
  _id: Types.ObjectId;
  /** PA-<year>-<6-digit sequence>, never reused. */
  code: string;
  unit?: string;
  channel: string;
  /** Where to push updates; removed when the citizen deletes their data. */
  chatId?: string;
  lang: "vi" | "en";
  category: TicketCategory;
  text: string;
  /** A platform reference to a photo the citizen sent (file id or URL). */
  photo?: string;
  /** Only with explicit consent (`consent.contact`). */
  contact?: { name?: string; phone?: string };
  consent: { contact?: { version: string; at: Date }; publish: boolean };
  /** Hidden from any public view (it holds personal data). */
  hidden: boolean;
  status: TicketStatus;
  rejectReason?: string;
  assignee?: string;
  dueAt: Date;
  history: Array<{ at: Date; status: TicketStatus; by: string; note?: string }>;
  replies: Array<{ at: Date; by: string; text: string }>;
  publishedFaq?: string;
  closedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<TicketDoc>(
  {
    code: { type: String, required: true, unique: true },
    unit: String,
    channel: { type: String, required: true },
    chatId: String,
    lang: { type: String, enum: ["vi", "en"], default: "vi" },
    category: { type: String, enum: TICKET_CATEGORIES, required: true },
    text: { type: String, required: true, maxlength: 2000 },
    photo: String,
    // Sub-schemas with no default, so a ticket without consent holds no contact object at all.
    contact: { type: new Schema({ name: String, phone: String }, { _id: false }), default: undefined },
    consent: {
      contact: { type: new Schema({ version: String, at: Date }, { _id: false }), default: undefined },
      publish: { type: Boolean, default: false },
    },
    hidden: { type: Boolean, default: true },
    status: { type: String, enum: TICKET_STATUSES, required: true },
    rejectReason: String,
    assignee: String,
    dueAt: { type: Date, required: true },
    history: [{ _id: false, at: Date, status: String, by: String, note: String }],
    replies: [{ _id: false, at: Date, by: String, text: String }],
    publishedFaq: String,
    closedAt: Date,
  },
  { timestamps: true, strictQuery: true, minimize: false },
);
schema.index({ channel: 1, chatId: 1, createdAt: -1 });
schema.index({ status: 1, dueAt: 1 });
schema.index({ unit: 1, createdAt: -1 });

export function ticketModel(conn: Connection): Model<TicketDoc> {
  return (
    (conn.models.Ticket as Model<TicketDoc> | undefined) ?? conn.model<TicketDoc>("Ticket", schema, "tickets")
  );
}

/** Yearly sequences: `{ _id: "ticket:2026", seq }`, incremented atomically. */
interface CounterDoc {
  _id: string;
  seq: number;
}
const counterSchema = new Schema<CounterDoc>(
  { _id: String, seq: { type: Number, default: 0 } },
  { versionKey: false },
);
export function counterModel(conn: Connection): Model<CounterDoc> {
  return (
    (conn.models.Counter as Model<CounterDoc> | undefined) ??
    conn.model<CounterDoc>("Counter", counterSchema, "counters")
  );
}
