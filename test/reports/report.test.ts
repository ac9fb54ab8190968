/**
 * The quarterly outreach report from a known dataset: every figure is worked out by hand below, and
 * records of another unit or outside the quarter must not count. Then the CSV and the printable page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReportService, type OutreachReport } from "../../src/reports/service.js";
import type ExcelJS from "exceljs";
import { reportDocx, reportXlsx } from "../../src/reports/office.js";
import { reportCsv, reportPage } from "../../src/reports/render.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { REPORT_NOW, seedOutreachDataset, U } from "../helpers/report-dataset.js";
import { docxParagraphs, docxTableRows, openXlsx, zipEntry } from "../helpers/office.js";

let t: TestApp;
let report: OutreachReport;

beforeAll(async () => {
  t = await startTestApp();
  const conn = t.app.store.connection;
  await seedOutreachDataset(conn);
  const service = createReportService({
    connection: conn,
    content: () => t.app.content.bundle(),
    sources: {
      satisfaction: (q) => t.app.feedback.satisfaction(q),
      handoffStats: (q) => t.app.handoff.stats(q),
    },
    now: () => REPORT_NOW,
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
    const wb = await openXlsx(await reportXlsx(report, t.app.t, "vi"));
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual([
      "Tổng hợp",
      "1. Thông báo đã gửi",
      "2. Người đăng ký",
      "3. Câu hỏi",
      "4. Thủ tục hỏi nhiều",
      "5. Câu hỏi chưa trả lời",
      "6. Lượt xem hướng dẫn",
      "7. Phản ánh, kiến nghị",
      "8. Mức độ hài lòng",
      "9. Tư vấn trực tiếp",
      "10. Thông tin chưa xác minh",
    ]);
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
