/** The reports page: pick a unit and a period, then open the printable page or download the CSV. */
import type { Request } from "express";
import { z } from "zod";
import { periodSchema } from "../../reports/service.js";
import { reportDocx, reportXlsx } from "../../reports/office.js";
import { reportCsv, reportPage } from "../../reports/render.js";
import { assertScope, parse } from "../api.js";
import { inScope } from "../auth.js";
import { html } from "../../reports/html.js";
import type { ConsoleContext, StaffView } from "./index.js";
import { page, str } from "./layout.js";
import { VN_OFFSET_MS } from "../../vn-time.js";

const unitSchema = z.string().regex(/^[a-z0-9-]{1,48}$/, "a unit id");

/** The query of a report request: unit + period fields. */
function readQuery(req: Request) {
  const q = req.query as Record<string, unknown>;
  const unit = parse(unitSchema, q.unit);
  const kind = str(q.kind);
  const period = parse(
    periodSchema,
    kind === "custom"
      ? { kind, from: q.from, to: q.to }
      : kind === "year"
        ? { kind, year: q.year }
        : { kind, year: q.year, n: q.n },
  );
  return { unit, period };
}

export function registerReportPages(ctx: ConsoleContext): void {
  const { deps } = ctx;
  const now = deps.now ?? (() => new Date());

  ctx.route("get", "/reports", "reports.view", (_req, res, v: StaffView) => {
    const units = deps.content.bundle().units.filter((u) => inScope(v.actor, u.id));
    const today = new Date(now().getTime() + VN_OFFSET_MS);
    const year = today.getUTCFullYear();
    const quarter = Math.floor(today.getUTCMonth() / 3) + 1;
    res.type("html").send(
      page(
        v,
        v.tr("reports.title"),
        html`<form class="card" method="get" action="/admin/reports/view">
          <p class="muted">${v.tr("reports.intro")}</p>
          <div class="row">
            <div>
              <label for="r-unit">${v.tr("reports.unit")}</label>
              <select id="r-unit" name="unit">
                ${units.map((u) => html`<option value="${u.id}">${u.name}</option>`)}
              </select>
            </div>
            <div>
              <label for="r-kind">${v.tr("reports.kind")}</label>
              <select id="r-kind" name="kind">
                ${(["quarter", "half", "year", "custom"] as const).map((k) => html`<option value="${k}">${v.tr(`reports.kinds.${k}`)}</option>`)}
              </select>
            </div>
            <div>
              <label for="r-year">${v.tr("reports.year")}</label
              ><input id="r-year" name="year" type="number" min="2020" max="2100" value="${year}" />
            </div>
            <div>
              <label for="r-n">${v.tr("reports.n")} <span class="hint">${v.tr("reports.nHint")}</span></label
              ><input id="r-n" name="n" type="number" min="1" max="4" value="${quarter}" />
            </div>
          </div>
          <div class="row">
            <div>
              <label for="r-from"
                >${v.tr("reports.from")} <span class="hint">${v.tr("reports.customHint")}</span></label
              ><input id="r-from" name="from" type="date" />
            </div>
            <div>
              <label for="r-to">${v.tr("reports.to")}</label><input id="r-to" name="to" type="date" />
            </div>
          </div>
          <p class="row">
            <button type="submit">${v.tr("reports.open")}</button>
            <button type="submit" class="secondary" formaction="/admin/reports/xlsx">
              ${v.tr("reports.xlsx")}
            </button>
            <button type="submit" class="secondary" formaction="/admin/reports/docx">
              ${v.tr("reports.docx")}
            </button>
            <button type="submit" class="secondary" formaction="/admin/reports/csv">
              ${v.tr("reports.csv")}
            </button>
          </p>
        </form>`,
      ),
    );
  });

  ctx.route("get", "/reports/view", "reports.view", async (req, res, v) => {
    const { unit, period } = readQuery(req);
    assertScope(v.actor, unit);
    const r = await deps.reports.build(unit, period);
    const qs = new URLSearchParams(
      Object.entries(req.query).map(([k, x]): [string, string] => [k, str(x)]),
    ).toString();
    res.type("html").send(
      reportPage(r, deps.t, v.lang, {
        csv: `/admin/reports/csv?${qs}`,
        xlsx: `/admin/reports/xlsx?${qs}`,
        docx: `/admin/reports/docx?${qs}`,
        back: "/admin/reports",
      }),
    );
  });

  ctx.route("get", "/reports/csv", "reports.view", async (req, res, v) => {
    const { unit, period } = readQuery(req);
    assertScope(v.actor, unit);
    const r = await deps.reports.build(unit, period);
    const name = `bao-cao-${unit}-${r.period.from}-${r.period.to}.csv`;
    res
      .type("text/csv; charset=utf-8")
      .set("Content-Disposition", `attachment; filename="${name}"`)
      .send(reportCsv(r, deps.t, v.lang));
  });

  // The office's own files: Excel to work the figures, Word to edit, sign and file (issue 16 point 6).
  const office = [
    ["xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", reportXlsx],
    ["docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", reportDocx],
  ] as const;
  for (const [ext, type, render] of office) {
    ctx.route("get", `/reports/${ext}`, "reports.view", async (req, res, v) => {
      const { unit, period } = readQuery(req);
      assertScope(v.actor, unit);
      const r = await deps.reports.build(unit, period);
      res
        .type(type)
        .set(
          "Content-Disposition",
          `attachment; filename="bao-cao-${unit}-${r.period.from}-${r.period.to}.${ext}"`,
        )
        .send(await render(r, deps.t, v.lang));
    });
  }
}
