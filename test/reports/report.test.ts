/**
 * The quarterly outreach report from a known dataset: every figure is worked out by hand below, and
 * records of another unit or outside the quarter must not count. Then the CSV and the printable page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Types } from "mongoose";
import { createReportService, type OutreachReport } from "../../src/reports/service.js";
import ExcelJS from "exceljs";
import { reportDocx, reportXlsx } from "../../src/reports/office.js";
import { reportCsv, reportPage } from "../../src/reports/render.js";
import { announcementModel } from "../../src/store/models/announcement.js";
import { deliveryModel } from "../../src/store/models/delivery.js";
import { handoffModel } from "../../src/store/models/handoff.js";
import { queryLogModel } from "../../src/store/models/query-log.js";
import { ratingModel } from "../../src/store/models/rating.js";
import { subscriberModel } from "../../src/store/models/subscriber.js";
import { ticketModel } from "../../src/store/models/ticket.js";
import { viewCountModel } from "../../src/store/models/view-count.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { docxParagraphs, docxTableRows, zipEntry } from "../helpers/office.js";

const U = "phuong-hoa-an";
const O = "xa-tan-loc";
/** Viet Nam local time → instant. */
const vn = (s: string) => new Date(`${s}+07:00`);
const consent = { version: "2026-01", at: vn("2026-09-01T08:00:00") };

let t: TestApp;
let report: OutreachReport;

beforeAll(async () => {
  t = await startTestApp();
  const conn = t.app.store.connection;
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
  const service = createReportService({
    connection: conn,
    content: () => t.app.content.bundle(),
    sources: {
      satisfaction: (q) => t.app.feedback.satisfaction(q),
      handoffStats: (q) => t.app.handoff.stats(q),
    },
    now: () => vn("2027-01-05T09:00:00"),
  });
  report = await service.build(U, { kind: "quarter", year: 2026, n: 4 });
}, 30_000);
afterAll(async () => {
  await t?.close();
});

describe("outreach report", () => {
  it("should cover the quarter's Viet Nam days and name the unit", () => {
    expect(report.period).toMatchObject({ from: "2026-10-01", to: "2026-12-31" });
    expect(report.unit).toMatchObject({ id: U, name: "Phường Hòa An (đơn vị mẫu)", sample: true });
  });

  it("should count announcements sent to the unit and the residents reached", () => {
    expect(report.announcements).toMatchObject({ count: 1, sent: 2, failed: 1, reach: 2 });
    expect(report.announcements.items.map((i) => [i.title, i.sent])).toEqual([
      ["Lịch tiếp công dân quý IV", 2],
    ]);
  });

  it("should count subscribers by channel, joined and left", () => {
    expect(report.subscribers).toEqual({
      total: 2,
      joined: 2,
      left: 1,
      byChannel: [
        { channel: "telegram", active: 1, joined: 0 },
        { channel: "zalo-oa", active: 1, joined: 1 },
        { channel: "zalo-bot", active: 0, joined: 1 },
      ],
    });
  });

  it("should count questions by outcome and field, the most shown procedures and the unanswered ones", () => {
    expect(report.questions).toMatchObject({ total: 8, answered: 5, followUps: 1, unsure: 1, unanswered: 2 });
    expect(report.questions.byField).toEqual([{ field: "ho-tich", name: "Hộ tịch", n: 4 }]);
    expect(report.questions.topProcedures.map((p) => [p.code, p.n])).toEqual([
      ["1.001193", 5],
      ["1.000894", 2],
    ]);
    expect(report.questions.topUnanswered).toEqual([{ q: "gia vang hom nay", n: 2 }]);
    expect(report.guides.find((g) => g.slug === "vneid-muc-2")?.views).toBe(3);
    expect(report.guides.filter((g) => g.slug !== "vneid-muc-2").every((g) => g.views === 0)).toBe(true);
  });

  it("should count tickets received, answered on time and overdue", () => {
    expect(report.tickets).toEqual({
      received: 3,
      answered: 2,
      answeredOnTime: 1,
      overdue: 2,
      byCategory: { "thu-tuc": 2, "thai-do": 1 },
    });
  });

  it("should give the satisfaction index with the five-level breakdown", () => {
    expect(report.satisfaction).toEqual({
      n: 5,
      index: 60,
      breakdown: { "1": 1, "2": 0, "3": 1, "4": 1, "5": 2 },
    });
    expect(report.handoffs).toMatchObject({ requests: 1, handled: 1, handledWithinHours: 1 });
    expect(report.handoffs.waitMinutes.p50).toBe(4);
  });

  it("should export a CSV Excel opens in Vietnamese, without formulas", () => {
    const csv = reportCsv(report, t.app.t, "vi");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).split("\r\n");
    expect(lines).toContain("Đơn vị,Phường Hòa An (đơn vị mẫu)");
    expect(lines).toContain("Kỳ báo cáo,Quý IV năm 2026");
    expect(lines).toContain("Số người dân nhận được,2");
    expect(lines).toContain("Trả lời đúng hạn,1");
    expect(lines).toContain("Rất hài lòng,2");
    expect(lines).toContain("Chỉ số hài lòng (Rất hài lòng + Hài lòng),60%");
    const hostile = reportCsv(
      {
        ...report,
        questions: { ...report.questions, topUnanswered: [{ q: '=HYPERLINK("http://x","y")', n: 1 }] },
      },
      t.app.t,
      "vi",
    );
    expect(hostile).toContain(`"'=HYPERLINK(""http://x"",""y"")",1`);
  });

  it("should render one printable A4 page with the unit, the period and every section", () => {
    const html = reportPage(report, t.app.t, "vi", { csv: "/x.csv", back: "/admin/reports" });
    expect(html).toContain(
      "<title>Báo cáo kết quả công tác tuyên truyền cải cách hành chính qua chatbot — Phường Hòa An (đơn vị mẫu) — Quý IV năm 2026</title>",
    );
    expect(html).toContain("từ ngày 01/10/2026 đến ngày 31/12/2026");
    for (const h of [
      "1. Thông báo, tuyên truyền đã gửi",
      "7. Tiếp nhận, xử lý phản ánh, kiến nghị",
      "8. Mức độ hài lòng của người dân",
      "9. Tư vấn trực tiếp",
    ])
      expect(html).toContain(h);
    expect(html).toContain('class="noprint"');
  });

  it("should export an Excel workbook: numbers as numbers, Vietnamese headers, one sheet per section", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await reportXlsx(report, t.app.t, "vi"));
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toHaveLength(10);
    expect(names[0]).toBe("Tổng hợp");
    expect(names[1]).toBe("1. Thông báo đã gửi");
    expect(names[8]).toBe("8. Mức độ hài lòng");
    expect(names.every((n) => n.length <= 31)).toBe(true);
    /** The value beside a label in a sheet. */
    const valueOf = (ws: ExcelJS.Worksheet, label: string) => {
      let found: ExcelJS.Cell | undefined;
      ws.eachRow((row) => {
        if (row.getCell(1).value === label) found = row.getCell(2);
      });
      return found;
    };
    const summary = wb.worksheets[0]!;
    expect(valueOf(summary, "Đơn vị")?.value).toBe("Phường Hòa An (đơn vị mẫu)");
    expect(valueOf(summary, "Kỳ báo cáo")?.value).toBe("Quý IV năm 2026");
    expect(valueOf(summary, "Số người dân nhận được")?.value).toBe(2);
    expect(valueOf(summary, "Trả lời được")?.value).toBe(5);
    expect(valueOf(summary, "Chưa trả lời được")?.value).toBe(2);
    expect(valueOf(summary, "Trả lời đúng hạn")?.value).toBe(1);
    const index = valueOf(summary, "Chỉ số hài lòng (Rất hài lòng + Hài lòng)")!;
    expect(index.value).toBeCloseTo(0.6);
    expect(index.numFmt).toBe("0.0%");
    const satisfaction = wb.worksheets.find((w) => w.name.startsWith("8."))!;
    expect(satisfaction.getRow(1).getCell(1).value).toBe("8. Mức độ hài lòng của người dân");
    expect(valueOf(satisfaction, "Rất hài lòng")?.value).toBe(2);
    const announcements = wb.worksheets[1]!;
    expect(announcements.getRow(1).getCell(1).value).toBe("1. Thông báo, tuyên truyền đã gửi");
    let dated: ExcelJS.Cell | undefined;
    announcements.eachRow((row) => {
      if (row.getCell(1).value === "Lịch tiếp công dân quý IV") dated = row.getCell(2);
    });
    expect(dated?.value).toEqual(new Date("2026-10-15T00:00:00Z"));
    expect(dated?.numFmt).toBe("dd/mm/yyyy");
  });

  it("should export a Word draft in the layout of Nghị định 30/2020/NĐ-CP with the figures as text and tables", async () => {
    const docx = await reportDocx(report, t.app.t, "vi");
    const paras = docxParagraphs(docx);
    for (const line of [
      "ỦY BAN NHÂN DÂN",
      "PHƯỜNG HÒA AN",
      "Số:        /BC-UBND",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Hòa An, ngày     tháng     năm 2027",
      "BÁO CÁO",
      "Kết quả công tác tuyên truyền cải cách hành chính qua chatbot Quý IV năm 2026",
      "(từ ngày 01/10/2026 đến ngày 31/12/2026)",
      "I. KẾT QUẢ THỰC HIỆN",
      "Nơi nhận:",
      "- Lưu: VT.",
      "TM. ỦY BAN NHÂN DÂN",
      "CHỦ TỊCH",
    ])
      expect(paras, line).toContain(line);
    expect(paras).toContain(
      "Trong kỳ, Phường Hòa An đã gửi 1 thông báo, tin tuyên truyền qua chatbot; 2 tin nhắn được gửi thành công tới 2 người dân, 1 tin nhắn không gửi được.",
    );
    expect(paras).toContain(
      "Người dân đã gửi 8 câu hỏi; chatbot trả lời được 5 câu (trong đó 1 câu hỏi tiếp theo về thủ tục vừa xem), gợi ý 1 câu và chưa trả lời được 2 câu.",
    );
    expect(paras).toContain(
      "Tiếp nhận 3 phản ánh, kiến nghị; đã trả lời 2, trong đó 1 đúng hạn; 2 phản ánh, kiến nghị quá hạn.",
    );
    expect(paras.join("\n")).toContain("chỉ số hài lòng (Rất hài lòng và Hài lòng) đạt 60%");
    const rows = docxTableRows(docx);
    expect(rows).toContainEqual(["Rất hài lòng", "2"]);
    expect(rows).toContainEqual(["1.001193", "Đăng ký khai sinh", "5"]);
    expect(rows).toContainEqual(["gia vang hom nay", "2"]);
    // A4, Times New Roman, left margin 30 mm (1701 twips) as the decree asks.
    const xml = zipEntry(docx, "word/document.xml")!.toString("utf8");
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/w:left="1701"/);
    expect(zipEntry(docx, "word/styles.xml")!.toString("utf8")).toContain("Times New Roman");
  });
});
