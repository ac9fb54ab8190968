/**
 * The outreach report as staff hand it in: a CSV (UTF-8 with BOM so Excel shows Vietnamese) and a
 * printable A4 page with Vietnamese headings, the unit's name and the period, that prints cleanly to
 * PDF from the browser. Every label comes from the `console` locale (`report.*`).
 */
import type { Lang } from "../core/types.js";
import type { Translator } from "../i18n.js";
import { html, type Html } from "./html.js";
import { VN_OFFSET_MS } from "../vn-time.js";
import type { OutreachReport } from "./service.js";

export type Tr = (key: string, vars?: Record<string, unknown>) => string;

/** "YYYY-MM-DD HH:mm" in Viet Nam time. */
export const vnStamp = (at: Date) =>
  new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");

/** "dd/mm/yyyy" of a "YYYY-MM-DD" day. */
export const dmy = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

/** The report's title line for its period, e.g. "Quý IV năm 2026". */
export function periodLabel(r: OutreachReport, tr: Tr): string {
  const p = r.period;
  switch (p.kind) {
    case "quarter":
      return tr("report.period.quarter", { n: ["I", "II", "III", "IV"][p.n - 1], year: p.year });
    case "half":
      return tr(`report.period.half${p.n}`, { year: p.year });
    case "year":
      return tr("report.period.year", { year: p.year });
    case "custom":
      return tr("report.period.custom", { from: dmy(p.from), to: dmy(p.to) });
  }
}

/** The report as sections of (label, value) rows and tables, shared by the CSV, the page and the office files. */
export function reportSections(r: OutreachReport, tr: Tr) {
  const pct = (n: number | null) => (n === null ? "—" : `${n}%`);
  const ch = (c: string) => tr(`channels.${c}`);
  return [
    {
      key: "announcements" as const,
      title: tr("report.s.announcements"),
      rows: [
        [tr("report.announcementsCount"), r.announcements.count],
        [tr("report.messagesSent"), r.announcements.sent],
        [tr("report.messagesFailed"), r.announcements.failed],
        [tr("report.reach"), r.announcements.reach],
      ] as Array<[string, string | number]>,
      table: {
        head: [tr("report.announcement"), tr("report.startedAt"), tr("report.sent")],
        rows: r.announcements.items.map((a) => [
          a.title,
          a.startedAt ? a.startedAt.toISOString().slice(0, 10) : "",
          a.sent,
        ]),
      },
    },
    {
      key: "subscribers" as const,
      title: tr("report.s.subscribers"),
      rows: [
        [tr("report.subscribersTotal"), r.subscribers.total],
        [tr("report.subscribersJoined"), r.subscribers.joined],
        [tr("report.subscribersLeft"), r.subscribers.left],
      ] as Array<[string, string | number]>,
      table: {
        head: [tr("report.channel"), tr("report.active"), tr("report.joined")],
        rows: r.subscribers.byChannel.map((c) => [ch(c.channel), c.active, c.joined]),
      },
    },
    {
      key: "questions" as const,
      title: tr("report.s.questions"),
      rows: [
        [tr("report.questionsTotal"), r.questions.total],
        [tr("report.questionsAnswered"), r.questions.answered],
        [tr("report.questionsFollowUps"), r.questions.followUps],
        [tr("report.questionsUnsure"), r.questions.unsure],
        [tr("report.questionsUnanswered"), r.questions.unanswered],
      ] as Array<[string, string | number]>,
      table: {
        head: [tr("report.field"), tr("report.count")],
        rows: r.questions.byField.map((f) => [f.name, f.n]),
      },
    },
    {
      key: "topProcedures" as const,
      title: tr("report.s.topProcedures"),
      rows: [],
      table: {
        head: [tr("report.code"), tr("report.procedure"), tr("report.count")],
        rows: r.questions.topProcedures.map((p) => [p.code, p.name, p.n]),
      },
    },
    {
      key: "unanswered" as const,
      title: tr("report.s.unanswered"),
      rows: [],
      table: {
        head: [tr("report.question"), tr("report.count")],
        rows: r.questions.topUnanswered.map((q) => [q.q, q.n]),
      },
    },
    {
      key: "guides" as const,
      title: tr("report.s.guides"),
      rows: [],
      table: {
        head: [tr("report.guide"), tr("report.views")],
        rows: r.guides.map((g) => [g.title, g.views]),
      },
    },
    {
      key: "tickets" as const,
      title: tr("report.s.tickets"),
      rows: [
        [tr("report.ticketsReceived"), r.tickets.received],
        [tr("report.ticketsAnswered"), r.tickets.answered],
        [tr("report.ticketsOnTime"), r.tickets.answeredOnTime],
        [tr("report.ticketsOverdue"), r.tickets.overdue],
      ] as Array<[string, string | number]>,
      table: {
        head: [tr("report.category"), tr("report.count")],
        rows: Object.entries(r.tickets.byCategory).map(([c, n]) => [tr(`tickets.categories.${c}`), n]),
      },
    },
    {
      key: "satisfaction" as const,
      title: tr("report.s.satisfaction"),
      rows: [
        [tr("report.ratings"), r.satisfaction.n],
        [tr("report.satisfactionIndex"), pct(r.satisfaction.index)],
      ] as Array<[string, string | number]>,
      table: {
        head: [tr("report.level"), tr("report.count")],
        rows: (["5", "4", "3", "2", "1"] as const).map((k) => [
          tr(`report.levels.${k}`),
          r.satisfaction.breakdown[k],
        ]),
      },
    },
    {
      key: "handoffs" as const,
      title: tr("report.s.handoffs"),
      rows: [
        [tr("report.handoffRequests"), r.handoffs.requests],
        [tr("report.handoffHandled"), r.handoffs.handled],
        [tr("report.handoffWithinHours"), r.handoffs.handledWithinHours],
        [tr("report.waitP50"), r.handoffs.waitMinutes.p50 ?? "—"],
        [tr("report.waitP90"), r.handoffs.waitMinutes.p90 ?? "—"],
        [tr("report.handoffSatisfaction"), pct(r.handoffs.satisfaction.index)],
      ] as Array<[string, string | number]>,
      table: undefined,
    },
    {
      key: "unverified" as const,
      title: tr("report.s.unverified"),
      rows: [
        [tr("report.unverifiedShared"), r.unverified.shared],
        [tr("report.unverifiedOwn"), r.unverified.own.length],
      ] as Array<[string, string | number]>,
      table: {
        head: [tr("report.unverifiedItem"), tr("report.unverifiedField")],
        rows: r.unverified.own.map((u) => [u.item, tr(`verification.fields.${u.field}`)]),
      },
    },
  ];
}

/** A CSV cell: quoted when needed; a leading = + - @ is neutralised (no formulas in Excel). */
function cell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === "string") s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The report as CSV: a header block, then each section's figures and table. */
export function reportCsv(r: OutreachReport, t: Translator, lang: Lang): string {
  const tr: Tr = (k, vars) => t(lang, `console:${k}`, vars);
  const out: Array<Array<string | number>> = [
    [tr("report.title")],
    [tr("report.unit"), r.unit.name],
    [tr("report.periodLabel"), periodLabel(r, tr)],
    [tr("report.from"), dmy(r.period.from)],
    [tr("report.to"), dmy(r.period.to)],
    [tr("report.generated"), vnStamp(r.generatedAt)],
  ];
  for (const s of reportSections(r, tr)) {
    out.push([], [s.title]);
    for (const row of s.rows) out.push(row);
    if (s.table && s.table.rows.length) {
      out.push(s.table.head);
      for (const row of s.table.rows) out.push(row);
    }
  }
  return `\uFEFF${out.map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}

/** The printable report page (A4), standalone: no console navigation. */
export function reportPage(
  r: OutreachReport,
  t: Translator,
  lang: Lang,
  links: { csv: string; back: string; xlsx?: string; docx?: string },
): string {
  const tr: Tr = (k, vars) => t(lang, `console:${k}`, vars);
  const table = (head: string[], rows: Array<Array<string | number>>): Html =>
    html`<table>
      <thead>
        <tr>
          ${head.map((h, i) => html`<th class="${i > 0 && typeof rows[0]?.[i] === "number" ? "num" : ""}">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) =>
            html`<tr>
              ${row.map((c) => html`<td class="${typeof c === "number" ? "num" : ""}">${c}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>`;
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${tr("report.title")} — ${r.unit.name} — ${periodLabel(r, tr)}</title>
        <link rel="stylesheet" href="/admin/assets/console.css" />
      </head>
      <body>
        <main class="report">
          <p class="noprint">
            <a href="${links.back}">${tr("report.back")}</a> ·
            ${links.xlsx ? html`<a href="${links.xlsx}">${tr("report.xlsx")}</a> · ` : ""}
            ${links.docx ? html`<a href="${links.docx}">${tr("report.docx")}</a> · ` : ""}
            <a href="${links.csv}">${tr("report.csv")}</a> · ${tr("report.printHint")}
          </p>
          <p style="text-transform:uppercase;font-weight:700">${r.unit.name}</p>
          <h1>${tr("report.title")}</h1>
          <p class="sub">
            <strong>${periodLabel(r, tr)}</strong>
            (${tr("report.fromTo", { from: dmy(r.period.from), to: dmy(r.period.to) })})
          </p>
          ${r.unit.sample ? html`<p class="muted">${tr("report.sampleUnit")}</p>` : ""}
          ${reportSections(r, tr).map(
            (s, i) =>
              html`<h2>${i + 1}. ${s.title}</h2>
                ${s.rows.length ? table([tr("report.indicator"), tr("report.value")], s.rows) : ""}
                ${s.table ? (s.table.rows.length ? table(s.table.head, s.table.rows) : html`<p class="muted">${tr("report.noData")}</p>`) : ""}`,
          )}
          <p class="muted">${tr("report.generatedAt", { at: vnStamp(r.generatedAt) })}</p>
        </main>
      </body>
    </html>`.value;
}
