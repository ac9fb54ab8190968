/**
 * The known dataset of the outreach report tests: one quarter (Q4 2026) of announcements, subscribers,
 * questions, views, tickets, ratings and a handoff for Phường Hòa An, plus records of another unit and
 * of the previous quarter that must not count. test/reports/report.test.ts works every figure out.
 */
import type { Connection } from "mongoose";
import { Types } from "mongoose";
import { announcementModel } from "../../src/store/models/announcement.js";
import { deliveryModel } from "../../src/store/models/delivery.js";
import { handoffModel } from "../../src/store/models/handoff.js";
import { queryLogModel } from "../../src/store/models/query-log.js";
import { ratingModel } from "../../src/store/models/rating.js";
import { subscriberModel } from "../../src/store/models/subscriber.js";
import { ticketModel } from "../../src/store/models/ticket.js";
import { viewCountModel } from "../../src/store/models/view-count.js";

export const U = "phuong-hoa-an";
export const O = "xa-tan-loc";
/** Viet Nam local time → instant. */
export const vn = (s: string) => new Date(`${s}+07:00`);
const consent = { version: "2026-01", at: vn("2026-09-01T08:00:00") };

/** When the report is made: after the quarter, so every due date has passed. */
export const REPORT_NOW = vn("2027-01-05T09:00:00");

/** Writes the dataset into the store behind `conn`. */
export async function seedOutreachDataset(conn: Connection): Promise<void> {
  const subIds = {
    uTg: new Types.ObjectId(),
    uOa: new Types.ObjectId(),
    uBot: new Types.ObjectId(),
    oTg: new Types.ObjectId(),
  };
  const sub = (
    _id: Types.ObjectId,
    channel: string,
    unit: string,
    active: boolean,
    createdAt: Date,
    updatedAt: Date,
  ) => ({
    _id,
    channel,
    chatId: String(_id),
    unit,
    lang: "vi",
    topics: [],
    active,
    consent,
    lastInteractionAt: createdAt,
    createdAt,
    updatedAt,
  });
  await subscriberModel(conn).collection.insertMany([
    sub(subIds.uTg, "telegram", U, true, vn("2026-09-01T08:00:00"), vn("2026-09-01T08:00:00")),
    sub(subIds.uOa, "zalo-oa", U, true, vn("2026-10-10T08:00:00"), vn("2026-10-10T08:00:00")),
    // Joined in the quarter and left in it.
    sub(subIds.uBot, "zalo-bot", U, false, vn("2026-10-05T08:00:00"), vn("2026-11-01T08:00:00")),
    sub(subIds.oTg, "telegram", O, true, vn("2026-10-02T08:00:00"), vn("2026-10-02T08:00:00")),
  ]);
  const ann = (title: string, units: string[], startedAt: Date) => ({
    _id: new Types.ObjectId(),
    title,
    body: "…",
    audience: { units, topics: [], channels: [] },
    urgent: false,
    status: "done",
    schedule: { kind: "now" },
    runs: 1,
    createdBy: "test",
    startedAt,
    finishedAt: startedAt,
    createdAt: startedAt,
    updatedAt: startedAt,
  });
  const a1 = ann("Lịch tiếp công dân quý IV", [], vn("2026-10-15T08:00:00"));
  const a2 = ann("Thông báo riêng của xã Tân Lộc", [O], vn("2026-11-01T08:00:00"));
  const a3 = ann("Thông báo quý III", [U], vn("2026-09-20T08:00:00"));
  await announcementModel(conn).collection.insertMany([a1, a2, a3]);
  const del = (a: { _id: Types.ObjectId }, s: Types.ObjectId, channel: string, status: string, at: Date) => ({
    announcement: a._id,
    run: "once",
    subscriber: s,
    channel,
    status,
    at,
  });
  await deliveryModel(conn).collection.insertMany([
    del(a1, subIds.uTg, "telegram", "sent", vn("2026-10-15T08:00:01")),
    del(a1, subIds.uOa, "zalo-oa", "sent", vn("2026-10-15T08:00:02")),
    del(a1, subIds.uBot, "zalo-bot", "failed", vn("2026-10-15T08:00:03")),
    del(a1, subIds.oTg, "telegram", "sent", vn("2026-10-15T08:00:04")),
    del(a2, subIds.oTg, "telegram", "sent", vn("2026-11-01T08:00:01")),
    del(a3, subIds.uTg, "telegram", "sent", vn("2026-09-20T08:00:01")),
  ]);
  const q = (
    text: string,
    unit: string,
    level: string,
    hit: string | undefined,
    at: Date,
    followUp?: string,
  ) => ({
    q: text,
    channel: "telegram",
    unit,
    ...(followUp ? { followUp } : {}),
    hits: hit ? [{ id: hit, score: 5 }] : [],
    confidence: 0.9,
    level,
    at,
  });
  await queryLogModel(conn).collection.insertMany([
    q("dang ky khai sinh", U, "confident", "1.001193", vn("2026-10-02T09:00:00")),
    q("khai sinh cho con", U, "confident", "1.001193", vn("2026-10-03T09:00:00")),
    q("lam giay khai sinh", U, "confident", "1.001193", vn("2026-12-31T23:30:00")),
    q("dang ky ket hon", U, "confident", "1.000894", vn("2026-11-03T09:00:00")),
    q("xac nhan gi do", U, "unsure", "1.000894", vn("2026-11-04T09:00:00")),
    q("gia vang hom nay", U, "none", undefined, vn("2026-11-05T09:00:00")),
    q("Gia vang hom nay ", U, "none", undefined, vn("2026-11-06T09:00:00")),
    // "phí bao nhiêu?" right after a card: answered from that procedure, though its own search found nothing.
    q("phi bao nhieu", U, "none", undefined, vn("2026-11-06T09:01:00"), "1.000894"),
    q("dang ky khai sinh", U, "confident", "1.001193", vn("2026-09-30T23:59:00")),
    q("dang ky khai sinh", O, "confident", "1.001193", vn("2026-10-02T09:00:00")),
  ]);
  const view = (day: string, unit: string, kind: string, id: string, n: number) => ({
    _id: `${day}|${unit}|${kind}|${id}|telegram`,
    day,
    unit,
    kind,
    id,
    channel: "telegram",
    n,
  });
  await viewCountModel(conn).collection.insertMany([
    view("2026-10-20", U, "procedure", "1.001193", 5),
    view("2026-11-20", U, "procedure", "1.000894", 2),
    view("2026-12-01", U, "guide", "vneid-muc-2", 3),
    view("2026-10-20", O, "procedure", "1.000894", 100),
    view("2026-09-30", U, "procedure", "1.000894", 50),
  ] as never[]);
  const ticket = (
    code: string,
    unit: string,
    createdAt: Date,
    dueAt: Date,
    answeredAt: Date | undefined,
    category: string,
  ) => ({
    code,
    unit,
    channel: "telegram",
    lang: "vi",
    category,
    text: "…",
    consent: { publish: false },
    hidden: true,
    status: answeredAt ? "answered" : "received",
    dueAt,
    history: [
      { at: createdAt, status: "received", by: "citizen" },
      ...(answeredAt ? [{ at: answeredAt, status: "answered", by: "staff" }] : []),
    ],
    replies: answeredAt ? [{ at: answeredAt, by: "staff", text: "…" }] : [],
    createdAt,
    updatedAt: createdAt,
  });
  await ticketModel(conn).collection.insertMany([
    ticket(
      "PA-2026-000101",
      U,
      vn("2026-10-01T08:00:00"),
      vn("2026-10-15T17:00:00"),
      vn("2026-10-10T10:00:00"),
      "thu-tuc",
    ),
    ticket(
      "PA-2026-000102",
      U,
      vn("2026-11-01T08:00:00"),
      vn("2026-11-15T17:00:00"),
      vn("2026-11-20T10:00:00"),
      "thu-tuc",
    ),
    ticket("PA-2026-000103", U, vn("2026-12-01T08:00:00"), vn("2026-12-15T17:00:00"), undefined, "thai-do"),
    ticket("PA-2026-000104", O, vn("2026-12-01T08:00:00"), vn("2026-12-15T17:00:00"), undefined, "khac"),
  ]);
  const rating = (unit: string, score: number, at: Date) => ({
    unit,
    channel: "telegram",
    target: { kind: "service" },
    score,
    sipas: {},
    at,
  });
  await ratingModel(conn).collection.insertMany([
    ...[5, 5, 4, 3, 1].map((s, i) => rating(U, s, vn(`2026-11-1${i}T10:00:00`))),
    rating(O, 1, vn("2026-11-10T10:00:00")),
    rating(U, 1, vn("2026-09-10T10:00:00")),
  ]);
  await handoffModel(conn).collection.insertMany([
    {
      _id: "HTEST01",
      unit: U,
      channel: "zalo-oa",
      lang: "vi",
      status: "closed",
      endReason: "staff",
      recent: [],
      insideHours: true,
      createdAt: vn("2026-10-06T09:00:00"),
      claimedAt: vn("2026-10-06T09:04:00"),
      closedAt: vn("2026-10-06T09:20:00"),
      lastActivityAt: vn("2026-10-06T09:20:00"),
      counts: { citizen: 3, staff: 2 },
    },
  ] as never[]);
}
