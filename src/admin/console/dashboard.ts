/** The dashboard: charts of the last 30 days, each with its figures in a table for screen readers. */
import { unverifiedFacts } from "../../content/verification.js";
import { CHANNEL_NAMES } from "../../core/types.js";
import { z } from "zod";
import { Html, html } from "../../reports/html.js";
import { assertScope, parse } from "../api.js";
import { can, inScope } from "../auth.js";
import type { ConsoleContext, StaffView } from "./index.js";
import { csrfField, page } from "./layout.js";

/** The outreach plan's figures: this month's items against each unit's target, links, waiting chats. */
function planSection(
  v: StaffView,
  d: Awaited<ReturnType<ConsoleContext["deps"]["dashboard"]["build"]>>,
  bundle: ReturnType<ConsoleContext["deps"]["content"]["bundle"]>,
) {
  const mayEdit = can(v.actor, "content.edit");
  /** An item named by its title, never by its path ("guides/vneid-muc-2"). */
  const refName = (ref: string) => {
    const [kind = "", id = ""] = ref.split("/");
    const items = (bundle as unknown as Record<string, unknown>)[kind];
    const item = Array.isArray(items)
      ? (items as Array<Record<string, unknown>>).find((x) => [x.slug, x.id, x.code, x.key].includes(id))
      : undefined;
    const title = item?.title ?? item?.name ?? item?.question;
    const kindName = v.tr(`audit.targets.${kind}`);
    const label = kindName === `audit.targets.${kind}` ? "" : kindName;
    return typeof title === "string" ? `${label}: ${title}` : label || v.tr("dashboard.someItem");
  };
  return html`<section class="card" aria-labelledby="plan-h">
    <h2 id="plan-h">${v.tr("dashboard.plan")}</h2>
    <table class="stack">
      <thead>
        <tr>
          <th>${v.tr("tickets.unit")}</th>
          <th class="num">${v.tr("dashboard.articles")}</th>
          <th class="num">${v.tr("dashboard.announcements")}</th>
          <th>${v.tr("dashboard.target")}</th>
        </tr>
      </thead>
      <tbody>
        ${d.outreach.map((o) => {
          const done = o.articles + o.announcements;
          return html`<tr>
            <td>${o.name}</td>
            <td class="num" data-label="${v.tr("dashboard.articles")}">${o.articles}</td>
            <td class="num" data-label="${v.tr("dashboard.announcements")}">${o.announcements}</td>
            <td data-label="${v.tr("dashboard.target")}">
              <strong>${v.tr("dashboard.ofTarget", { done, target: o.target })}</strong>
              <span class="badge ${done >= o.target ? "ok" : "warn"}"
                >${v.tr(done >= o.target ? "dashboard.met" : "dashboard.notMet")}</span
              >
              ${
                mayEdit && inScope(v.actor, o.unit)
                  ? html`<form method="post" action="/admin/dashboard/target" class="inline">
                      ${csrfField(v)}<input type="hidden" name="unit" value="${o.unit}" />
                      <label class="choice"
                        >${v.tr("dashboard.setTarget")}
                        <input
                          name="target"
                          type="number"
                          min="0"
                          max="30"
                          value="${o.target}"
                          style="width:5em"
                      /></label>
                      <button type="submit" class="secondary">${v.tr("form.save")}</button>
                    </form>`
                  : ""
              }
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
    <div class="grid">
      <p>
        <span class="muted">${v.tr("dashboard.waitingChats")}</span><br /><span class="stat"
          ><a href="/admin/handoffs" id="dash-waiting">${d.waitingChats}</a></span
        >
      </p>
      <p>
        <span class="muted">${v.tr("dashboard.brokenLinks")}</span><br />
        ${
          d.links
            ? html`<span class="stat" id="dash-links">${d.links.failed}</span> ${
                  d.links.refs.length
                    ? html`<br /><span class="muted"
                          >${[...new Set(d.links.refs.map(refName))].slice(0, 8).join("; ")}</span
                        >`
                    : ""
                }`
            : html`<span class="muted" id="dash-links">${v.tr("dashboard.linksNotChecked")}</span>`
        }
      </p>
    </div>
  </section>`;
}

export function registerDashboard(ctx: ConsoleContext): void {
  ctx.route("get", "/", "dashboard.view", async (req, res, v) => {
    const d = await ctx.deps.dashboard.build({ units: v.actor.units });
    // Facts awaiting verification in the staff member's unit (province staff: every unit's).
    const unverified = unverifiedFacts(ctx.deps.content.bundle(), v.actor.units[0]).length;
    const alerts = (await ctx.deps.channelAlerts?.().catch(() => [])) ?? [];
    const channelName = (c: string) => v.tr(`channels.${c}`);
    const data = {
      labels: {
        days: d.days.map((x) => `${x.slice(8, 10)}/${x.slice(5, 7)}`),
        subscribers: v.tr("dashboard.subscribers"),
        asked: v.tr("dashboard.asked"),
        satisfaction: v.tr("dashboard.satisfactionIndex"),
      },
      channels: CHANNEL_NAMES.map((c) => ({ label: channelName(c), data: d.questionsByChannel[c] })),
      subscribers: d.subscribersByDay,
      top: d.topProcedures,
      satisfaction: d.satisfaction,
    };
    const totalQ = Object.values(d.questionsByChannel).reduce(
      (n, row) => n + row.reduce((a, b) => a + b, 0),
      0,
    );
    // JSON in a data block: "<" escaped so the text can never close the element.
    const json = JSON.stringify(data).replace(/</g, "\\u003c");
    res.type("html").send(
      page(
        v,
        v.tr("dashboard.title"),
        html`${alerts.map((a) => html`<div class="errors" role="alert">${v.tr(a.key, a.vars)}</div>`)}
          ${planSection(v, d, ctx.deps.content.bundle())}
          <div class="grid">
            <div class="card">
              <div class="muted">${v.tr("dashboard.questions30")}</div>
              <div class="stat">${totalQ}</div>
            </div>
            <div class="card">
              <div class="muted">${v.tr("dashboard.subscribersNow")}</div>
              <div class="stat">${d.subscribersByDay.at(-1) ?? 0}</div>
            </div>
            <div class="card">
              <div class="muted">${v.tr("dashboard.ticketsOpen")}</div>
              <div class="stat"><a href="/admin/tickets">${d.tickets.open}</a></div>
              <div>${v.tr("dashboard.ticketsOverdue", { n: d.tickets.overdue })}</div>
            </div>
            <div class="card">
              <div class="muted">${v.tr("dashboard.unverified")}</div>
              <div class="stat"><a href="/admin/verification" id="dash-unverified">${unverified}</a></div>
            </div>
          </div>
          <div class="grid">
            <section class="card">
              <h2>${v.tr("dashboard.questionsByChannel")}</h2>
              <canvas
                id="ch-questions"
                role="img"
                aria-label="${v.tr("dashboard.questionsByChannel")}"
              ></canvas>
            </section>
            <section class="card">
              <h2>${v.tr("dashboard.subscribersOverTime")}</h2>
              <canvas
                id="ch-subscribers"
                role="img"
                aria-label="${v.tr("dashboard.subscribersOverTime")}"
              ></canvas>
            </section>
            <section class="card">
              <h2>${v.tr("dashboard.topProcedures")}</h2>
              <canvas id="ch-top" role="img" aria-label="${v.tr("dashboard.topProcedures")}"></canvas>
              <table>
                <thead>
                  <tr>
                    <th>${v.tr("dashboard.procedure")}</th>
                    <th class="num">${v.tr("dashboard.asked")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${d.topProcedures.map(
                    (p) =>
                      html`<tr>
                        <td>${p.name} <span class="muted">${p.code}</span></td>
                        <td class="num">${p.n}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </section>
            <section class="card">
              <h2>${v.tr("dashboard.satisfactionTrend")}</h2>
              <canvas
                id="ch-satisfaction"
                role="img"
                aria-label="${v.tr("dashboard.satisfactionTrend")}"
              ></canvas>
              <table>
                <thead>
                  <tr>
                    <th>${v.tr("dashboard.month")}</th>
                    <th class="num">${v.tr("dashboard.satisfactionIndex")}</th>
                    <th class="num">${v.tr("dashboard.ratings")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${d.satisfaction.map(
                    (s) =>
                      html`<tr>
                        <td>${s.month}</td>
                        <td class="num">${s.index}%</td>
                        <td class="num">${s.n}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </section>
            <section class="card">
              <h2>${v.tr("dashboard.unanswered")}</h2>
              ${
                d.unanswered.length
                  ? html`<table>
                      <thead>
                        <tr>
                          <th>${v.tr("dashboard.question")}</th>
                          <th class="num">${v.tr("dashboard.times")}</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${d.unanswered.map(
                          (u) =>
                            html`<tr>
                              <td>${u.q}</td>
                              <td class="num">${u.n}</td>
                            </tr>`,
                        )}
                      </tbody>
                    </table>`
                  : html`<p class="muted">${v.tr("dashboard.none")}</p>`
              }
            </section>
          </div>
          <script type="application/json" id="dash-data">
            ${new Html(json)}
          </script>`,
        {
          flash: typeof req.query.done === "string" ? req.query.done : undefined,
          scripts: ["/admin/assets/chart.umd.min.js", "/admin/assets/console.js"],
        },
      ),
    );
  });

  ctx.route("post", "/dashboard/target", "content.edit", async (req, res, v) => {
    const b = parse(
      z.object({
        unit: z.string().regex(/^[a-z0-9-]{1,48}$/),
        target: z.coerce.number().int().min(0).max(30),
        _csrf: z.string().optional(),
      }),
      req.body,
    );
    assertScope(v.actor, b.unit);
    const before = await ctx.deps.dashboard.setTarget(b.unit, b.target, v.actor.username);
    await ctx.deps.audit.record(
      v.actor,
      "unit.target",
      `units/${b.unit}`,
      { outreachTarget: before },
      { outreachTarget: b.target },
    );
    ctx.done(res, "/admin", "targetSaved");
  });
}
