/**
 * The outreach report in the files the office works with (issue 16 point 6): an Excel workbook
 * (exceljs: numbers stored as numbers, Vietnamese headers, one sheet per section) and a Word draft
 * (docx) laid out as an administrative report under Nghị định 30/2020/NĐ-CP — quốc hiệu and tiêu
 * ngữ, the issuing body, số/ký hiệu and date left blank for the office, the title, the figures as
 * sentences and tables, nơi nhận and the signature block — for the ward to complete and sign.
 */
import {
  AlignmentType,
  Document,
  Packer,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import ExcelJS from "exceljs";
import type { Lang } from "../core/types.js";
import type { Translator } from "../i18n.js";
import { dmy, periodLabel, reportSections, vnStamp, type Tr } from "./render.js";
import type { OutreachReport } from "./service.js";

type Value = string | number;

/** A unit's name without the "(đơn vị mẫu)" mark, e.g. "Phường Hòa An". */
const plainName = (name: string) => name.replace(/\s*\([^)]*\)\s*$/, "").trim();

// === Excel

/** A cell's value as Excel should hold it: numbers, percentages and days as such, the rest as text. */
function excelValue(v: Value): { value: ExcelJS.CellValue; numFmt?: string } {
  if (typeof v === "number") return { value: v };
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(v);
  if (pct) return { value: Number(pct[1]) / 100, numFmt: "0.0%" };
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return { value: new Date(`${v}T00:00:00Z`), numFmt: "dd/mm/yyyy" };
  return { value: v };
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(title: string, taken: Set<string>): string {
  const clean = title
    .replace(/[[\]:*?/\\]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  let name = clean.length > 31 ? `${clean.slice(0, 30).trimEnd()}…` : clean;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${clean.slice(0, 27).trimEnd()} (${n})`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * The report as an .xlsx workbook: a summary sheet (who, which period, every indicator) and one sheet
 * per section with its indicators and its table, e.g. `await reportXlsx(r, t, "vi")` → a Buffer.
 */
export async function reportXlsx(r: OutreachReport, t: Translator, lang: Lang): Promise<Buffer> {
  const tr: Tr = (k, vars) => t(lang, `console:${k}`, vars);
  const wb = new ExcelJS.Workbook();
  wb.creator = "motcua";
  wb.created = r.generatedAt;
  wb.title = `${tr("report.title")} — ${r.unit.name} — ${periodLabel(r, tr)}`;
  const taken = new Set<string>();
  const addRow = (ws: ExcelJS.Worksheet, values: Value[], opts: { bold?: boolean; head?: boolean } = {}) => {
    const row = ws.addRow(values.map((v) => excelValue(v).value));
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      const fmt = excelValue(v).numFmt;
      if (fmt) cell.numFmt = fmt;
      if (opts.head) {
        cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEEF1F4" } };
        cell.border = { bottom: { style: "thin" } };
      }
    });
    if (opts.bold || opts.head) row.font = { bold: true };
    return row;
  };
  const fit = (ws: ExcelJS.Worksheet) => {
    ws.columns.forEach((col) => {
      let w = 10;
      col.eachCell?.({ includeEmpty: false }, (c) => {
        w = Math.max(w, Math.min(70, String(c.text ?? "").length + 2));
      });
      col.width = w;
    });
  };
  const header = (ws: ExcelJS.Worksheet, title: string) => {
    addRow(ws, [title], { bold: true });
    addRow(ws, [tr("report.unit"), r.unit.name]);
    addRow(ws, [tr("report.periodLabel"), periodLabel(r, tr)]);
    addRow(ws, [tr("report.from"), r.period.from]);
    addRow(ws, [tr("report.to"), r.period.to]);
  };

  const sections = reportSections(r, tr);
  const summary = wb.addWorksheet(sheetName(tr("office.summarySheet"), taken));
  header(summary, tr("report.title"));
  addRow(summary, [tr("report.generated"), vnStamp(r.generatedAt)]);
  if (r.unit.sample) addRow(summary, [tr("report.sampleUnit")]);
  sections.forEach((s, i) => {
    if (!s.rows.length) return;
    summary.addRow([]);
    addRow(summary, [`${i + 1}. ${s.title}`], { bold: true });
    addRow(summary, [tr("report.indicator"), tr("report.value")], { head: true });
    for (const row of s.rows) addRow(summary, row);
  });
  fit(summary);

  sections.forEach((s, i) => {
    const ws = wb.addWorksheet(sheetName(`${i + 1}. ${tr(`office.sheets.${s.key}`)}`, taken));
    addRow(ws, [`${i + 1}. ${s.title}`], { bold: true });
    addRow(ws, [tr("report.unit"), r.unit.name]);
    addRow(ws, [tr("report.periodLabel"), periodLabel(r, tr)]);
    if (s.rows.length) {
      ws.addRow([]);
      addRow(ws, [tr("report.indicator"), tr("report.value")], { head: true });
      for (const row of s.rows) addRow(ws, row);
    }
    if (s.table) {
      ws.addRow([]);
      addRow(ws, s.table.head, { head: true });
      if (s.table.rows.length) for (const row of s.table.rows) addRow(ws, row);
      else addRow(ws, [tr("report.noData")]);
    }
    fit(ws);
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// === Word (Nghị định 30/2020/NĐ-CP layout)

/** Times New Roman sizes in half-points (13 pt body, as the decree's appendix recommends 13–14). */
const PT = (n: number) => n * 2;
const NO_BORDERS = TableBorders.NONE;
/** Millimetres in twips, rounded (A4 is 11906 × 16838). */
const mm = (n: number) => Math.round((n * 1440) / 25.4);

const p = (
  text: string | TextRun[],
  opts: {
    align?: "left" | "center" | "right" | "both";
    bold?: boolean;
    italic?: boolean;
    size?: number;
    before?: number;
    after?: number;
    indent?: boolean;
  } = {},
) =>
  new Paragraph({
    alignment:
      opts.align === "center"
        ? AlignmentType.CENTER
        : opts.align === "right"
          ? AlignmentType.RIGHT
          : opts.align === "left"
            ? AlignmentType.LEFT
            : AlignmentType.JUSTIFIED,
    spacing: { before: opts.before ?? 0, after: opts.after ?? 60 },
    indent: opts.indent ? { firstLine: mm(10) } : undefined,
    children:
      typeof text === "string"
        ? [
            new TextRun({
              text,
              bold: opts.bold,
              italics: opts.italic,
              size: opts.size ? PT(opts.size) : undefined,
            }),
          ]
        : text,
  });

/** A table of the report's figures, header row bold, numbers right-aligned. */
function figuresTable(head: string[], rows: Value[][]): Table {
  const cell = (v: Value, bold = false) =>
    new TableCell({
      children: [p(String(v), { align: typeof v === "number" ? "right" : "left", bold, size: 12, after: 0 })],
      margins: { top: 40, bottom: 40, left: 80, right: 80 },
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: head.map((h) => cell(h, true)) }),
      ...rows.map((row) => new TableRow({ children: row.map((v) => cell(v)) })),
    ],
  });
}

/** Two borderless columns side by side (the header and the signature block). */
function twoColumns(left: Paragraph[], right: Paragraph[], leftPct = 40): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        children: [
          new TableCell({ width: { size: leftPct, type: WidthType.PERCENTAGE }, children: left }),
          new TableCell({ width: { size: 100 - leftPct, type: WidthType.PERCENTAGE }, children: right }),
        ],
      }),
    ],
  });
}

/** The sentence that states a section's figures, by the section's key. */
function sectionText(r: OutreachReport, tr: Tr, key: string, unit: string): string | undefined {
  const pct = (n: number | null) => (n === null ? tr("office.noIndex") : `${n}%`);
  switch (key) {
    case "announcements":
      return tr("office.text.announcements", { unit, ...r.announcements });
    case "subscribers":
      return tr("office.text.subscribers", r.subscribers);
    case "questions":
      return tr("office.text.questions", r.questions);
    case "tickets":
      return tr("office.text.tickets", r.tickets);
    case "satisfaction":
      return tr("office.text.satisfaction", { n: r.satisfaction.n, index: pct(r.satisfaction.index) });
    case "handoffs":
      return tr("office.text.handoffs", { ...r.handoffs });
    default:
      return undefined;
  }
}

/**
 * The report as a .docx draft in the administrative layout of Nghị định 30/2020/NĐ-CP, e.g.
 * `await reportDocx(r, t, "vi")` → a Buffer. Số, ngày and the signer are left for the office.
 */
export async function reportDocx(r: OutreachReport, t: Translator, lang: Lang): Promise<Buffer> {
  const tr: Tr = (k, vars) => t(lang, `console:${k}`, vars);
  const unit = plainName(r.unit.name);
  const place = unit.replace(/^(Phường|Xã|Đặc khu|Ward|Commune)\s+/i, "");
  const period = periodLabel(r, tr);
  const year = new Date(r.generatedAt.getTime() + 7 * 3600_000).getUTCFullYear();
  const sections = reportSections(r, tr);

  const header = twoColumns(
    [
      p(tr("office.issuer"), { align: "center", bold: true, size: 12, after: 0 }),
      p(unit.toUpperCase(), { align: "center", bold: true, size: 12, after: 0 }),
      p("———", { align: "center", size: 12, after: 120 }),
      p(tr("office.number"), { align: "center", size: 13 }),
    ],
    [
      p(tr("office.nation"), { align: "center", bold: true, size: 12, after: 0 }),
      p([new TextRun({ text: tr("office.motto"), bold: true, size: PT(13), underline: {} })], {
        align: "center",
        after: 120,
      }),
      p(tr("office.placeDate", { place, year }), { align: "center", italic: true, size: 13 }),
    ],
  );

  const body: Array<Paragraph | Table> = [
    header,
    p(tr("office.kind"), { align: "center", bold: true, size: 14, before: 360, after: 0 }),
    p(tr("office.subject", { period }), { align: "center", bold: true, size: 14, after: 0 }),
    p(`(${tr("report.fromTo", { from: dmy(r.period.from), to: dmy(r.period.to) })})`, {
      align: "center",
      italic: true,
      size: 13,
      after: 240,
    }),
    p(tr("office.intro", { unit, period, year: r.period.from.slice(0, 4) }), { indent: true, size: 13 }),
  ];
  if (r.unit.sample) body.push(p(tr("report.sampleUnit"), { italic: true, size: 12, indent: true }));
  body.push(p(tr("office.partResults"), { bold: true, size: 13, before: 120 }));
  sections.forEach((s, i) => {
    body.push(p(`${i + 1}. ${s.title}`, { bold: true, size: 13, before: 120 }));
    const text = sectionText(r, tr, s.key, unit);
    if (text) body.push(p(text, { indent: true, size: 13 }));
    if (s.table && s.table.rows.length) body.push(figuresTable(s.table.head, s.table.rows));
    else if (!s.table && s.rows.length)
      body.push(figuresTable([tr("report.indicator"), tr("report.value")], s.rows));
    else if (s.table) body.push(p(tr("report.noData"), { italic: true, size: 13, indent: true }));
  });
  body.push(
    p(tr("office.partAssessment"), { bold: true, size: 13, before: 240 }),
    p(tr("office.assessmentPlaceholder"), { italic: true, size: 13, indent: true }),
    p(tr("office.partNext"), { bold: true, size: 13, before: 240 }),
    p(tr("office.nextPlaceholder"), { italic: true, size: 13, indent: true }),
    p(tr("office.closing", { unit, period }), { indent: true, size: 13, before: 120, after: 240 }),
    twoColumns(
      [
        p(tr("office.recipients"), { bold: true, italic: true, size: 12, after: 0 }),
        ...tr("office.recipientList")
          .split("\n")
          .map((line) => p(line, { size: 11, after: 0, align: "left" })),
      ],
      [
        p(tr("office.signFor"), { align: "center", bold: true, size: 13, after: 0 }),
        p(tr("office.signTitle"), { align: "center", bold: true, size: 13, after: 0 }),
        p(tr("office.signHint"), { align: "center", italic: true, size: 12, after: 1200 }),
        p(tr("office.signName"), { align: "center", bold: true, size: 13 }),
      ],
      50,
    ),
    p(tr("report.generatedAt", { at: vnStamp(r.generatedAt) }), { italic: true, size: 10, before: 240 }),
  );

  const doc = new Document({
    creator: "motcua",
    title: `${tr("report.title")} — ${r.unit.name} — ${period}`,
    styles: { default: { document: { run: { font: "Times New Roman", size: PT(13) } } } },
    sections: [
      {
        properties: {
          page: {
            // A4; margins within the decree's ranges (top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm).
            size: { width: mm(210), height: mm(297) },
            margin: {
              top: mm(20),
              bottom: mm(20),
              left: mm(30),
              right: mm(15),
            },
          },
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
