/** The dashboard: charts of the last 30 days, each with its figures in a table for screen readers. */
import { unverifiedFacts } from "../../content/verification.js";
import { CHANNEL_NAMES } from "../../core/types.js";
import { Html, html } from "../../reports/html.js";
import type { ConsoleContext } from "./index.js";
import { page } from "./layout.js";

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
}
