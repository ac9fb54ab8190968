/**
 * Day-to-day work: announcements (compose with a preview per channel and the audience, schedule,
 * follow progress, pause/cancel), the feedback inbox (reply, status, assign, publish as FAQ) and the
 * handoff queue (claim, reply, close). Every write goes through the same services as the bot and is
 * audited.
 */
import type { Request } from "express";
import { z } from "zod";
import { CHANNEL_NAMES } from "../../core/types.js";
import { fieldIssues, type FieldIssue } from "../../content/store.js";
import { announcementInputSchema } from "../../broadcast/service.js";
import { stripMarkup, zaloParts } from "../../channels/plain-text.js";
import { renderTelegram } from "../../channels/telegram/render.js";
import { AppError } from "../../errors.js";
import { TICKET_CATEGORIES, TICKET_STATUSES } from "../../store/models/ticket.js";
import {
  announcementIdSchema,
  assertScope,
  notFound,
  parse,
  presentHandoff,
  presentTicket,
  ticketOf,
} from "../api.js";
import { audienceInScope, can, inScope } from "../auth.js";
import { Html, html } from "../../reports/html.js";
import type { ConsoleContext, StaffView } from "./index.js";
import { csrfField, errorBox, many, page, str, vnTime } from "./layout.js";

const handoffCode = z.string().regex(/^H[0-9A-Z]{3,12}$/, "a handoff code like H7K2QX");
const flashOf = (req: Request) => (typeof req.query.done === "string" ? req.query.done : undefined);

/** A datetime-local value ("2026-12-01T08:00") read as Viet Nam time. */
const vnLocal = (s: string) => new Date(`${s}:00+07:00`);

export function registerOperationsPages(ctx: ConsoleContext): void {
  const { deps } = ctx;
  const unitsOf = (v: StaffView) =>
    deps.content
      .bundle()
      .units.filter((u) => inScope(v.actor, u.id))
      .map((u) => ({ id: u.id, name: u.name }));

  // === Announcements
  type Form = Record<string, unknown>;
  const toInput = (body: Form) => {
    const kind = str(body.when) || "now";
    return {
      title: str(body.title),
      body: str(body.body),
      ...(str(body.linkUrl).trim()
        ? { link: { label: str(body.linkLabel).trim(), url: str(body.linkUrl).trim() } }
        : {}),
      audience: { units: many(body.units), topics: [], channels: many(body.channels) },
      urgent: body.urgent === "on",
      schedule:
        kind === "at"
          ? { kind: "at", at: vnLocal(str(body.at)) }
          : kind === "cron"
            ? { kind: "cron", cron: str(body.cron).trim() }
            : { kind: "now" },
      draft: body.draft === "on",
    };
  };
  const composeForm = (v: StaffView, body: Form, problems: FieldIssue[], pv?: Html) => {
    const val = (k: string) => str(body[k]);
    const units = new Set(many(body.units));
    const channels = new Set(many(body.channels));
    const when = val("when") || "now";
    return html`${errorBox(v, problems)}
      <div class="grid">
        <form class="card" method="post" action="/admin/announcements">
          ${csrfField(v)}
          <h2>${v.tr("ann.compose")}</h2>
          <label for="a-title">${v.tr("ann.titleField")}</label>
          <input id="a-title" name="title" type="text" maxlength="200" required value="${val("title")}" />
          <label for="a-body">${v.tr("ann.body")}</label>
          <textarea id="a-body" name="body" rows="8" maxlength="3500" required>${val("body")}</textarea>
          <div class="row">
            <div>
              <label for="a-ll">${v.tr("ann.linkLabel")}</label
              ><input id="a-ll" name="linkLabel" type="text" maxlength="60" value="${val("linkLabel")}" />
            </div>
            <div>
              <label for="a-lu">${v.tr("ann.linkUrl")}</label
              ><input id="a-lu" name="linkUrl" type="text" value="${val("linkUrl")}" />
            </div>
          </div>
          <fieldset>
            <legend>
              ${v.tr("ann.units")}
              <span class="hint"
                >${v.actor.units.length ? v.tr("ann.unitsScoped") : v.tr("ann.unitsAll")}</span
              >
            </legend>
            ${unitsOf(v).map((u) => html`<label style="font-weight:400"><input type="checkbox" name="units" value="${u.id}" ${units.has(u.id) ? "checked" : ""} /> ${u.name}</label>`)}
          </fieldset>
          <fieldset>
            <legend>${v.tr("ann.channels")} <span class="hint">${v.tr("ann.channelsAll")}</span></legend>
            ${CHANNEL_NAMES.map((c) => html`<label style="font-weight:400;display:inline-block;margin-right:12px"><input type="checkbox" name="channels" value="${c}" ${channels.has(c) ? "checked" : ""} /> ${v.tr(`channels.${c}`)}</label>`)}
          </fieldset>
          <fieldset>
            <legend>${v.tr("ann.when")}</legend>
            ${(["now", "at", "cron"] as const).map((w) => html`<label style="font-weight:400"><input type="radio" name="when" value="${w}" ${when === w ? "checked" : ""} /> ${v.tr(`ann.whenKinds.${w}`)}</label>`)}
            <div class="row">
              <div>
                <label for="a-at">${v.tr("ann.at")}</label
                ><input id="a-at" name="at" type="datetime-local" value="${val("at")}" />
              </div>
              <div>
                <label for="a-cron"
                  >${v.tr("ann.cron")} <span class="hint">${v.tr("ann.cronHint")}</span></label
                ><input id="a-cron" name="cron" type="text" value="${val("cron")}" />
              </div>
            </div>
          </fieldset>
          <label style="font-weight:400"
            ><input type="checkbox" name="urgent" ${body.urgent === "on" ? "checked" : ""} />
            ${v.tr("ann.urgent")}</label
          >
          <label style="font-weight:400"
            ><input type="checkbox" name="draft" ${body.draft === "on" ? "checked" : ""} />
            ${v.tr("ann.draft")}</label
          >
          <p class="row">
            <button type="submit" name="action" value="preview" class="secondary">
              ${v.tr("ann.preview")}
            </button>
            <button type="submit" name="action" value="create">${v.tr("ann.create")}</button>
          </p>
        </form>
        <section class="card" aria-live="polite">
          <h2>${v.tr("ann.previewTitle")}</h2>
          ${pv ?? html`<p class="muted">${v.tr("ann.previewHint")}</p>`}
        </section>
      </div>`;
  };
  const checkUnits = (v: StaffView, units: string[]) => {
    if (!audienceInScope(v.actor, units))
      throw new AppError("OUT_OF_SCOPE", 403, "errors:http.forbidden", v.tr("ann.pickYourUnits"));
  };
  const listPage = async (v: StaffView, body: Form, problems: FieldIssue[], pv?: Html, flash?: string) => {
    const list = await deps.broadcast.list({ units: v.actor.units });
    const canSend = can(v.actor, "announcements.send");
    return page(
      v,
      v.tr("ann.title"),
      html`${canSend ? composeForm(v, body, problems, pv) : ""}
        <h2>${v.tr("ann.list")}</h2>
        <table>
          <thead>
            <tr>
              <th>${v.tr("ann.titleField")}</th>
              <th>${v.tr("ann.status")}</th>
              <th>${v.tr("ann.created")}</th>
              <th>${v.tr("ann.next")}</th>
            </tr>
          </thead>
          <tbody>
            ${list.map(
              (a) =>
                html`<tr>
                  <td>
                    <a href="/admin/announcements/${String(a._id)}">${a.title}</a
                    >${a.urgent ? html` <span class="badge warn">${v.tr("ann.urgentBadge")}</span>` : ""}
                  </td>
                  <td>${v.tr(`ann.statuses.${a.status}`)}</td>
                  <td>${vnTime(a.createdAt)}</td>
                  <td>${vnTime(a.nextRunAt ?? null)}</td>
                </tr>`,
            )}
          </tbody>
        </table>`,
      { flash },
    );
  };

  ctx.route("get", "/announcements", "announcements.view", async (req, res, v) => {
    res.type("html").send(await listPage(v, { when: "now" }, [], undefined, flashOf(req)));
  });
  ctx.route("post", "/announcements", "announcements.send", async (req, res, v) => {
    const body = req.body as Form;
    const r = announcementInputSchema.safeParse(toInput(body));
    if (!r.success) {
      const problems = fieldIssues(r.error);
      res
        .status(400)
        .type("html")
        .send(await listPage(v, body, problems));
      return;
    }
    checkUnits(v, r.data.audience.units);
    if (body.action === "preview") {
      const audience = await deps.broadcast.estimate(
        { units: r.data.audience.units, topics: [], channels: r.data.audience.channels },
        r.data.urgent,
      );
      const reply = deps.broadcast.preview(r.data, "vi");
      const tg = renderTelegram(reply);
      const zalo = zaloParts(stripMarkup(reply.text));
      const buttons = reply.buttons?.flat().map((b) => b.label) ?? [];
      const pv = html`<p><strong>${v.tr("ann.audience", { n: audience })}</strong></p>
        <h3>${v.tr("channels.telegram")}</h3>
        ${tg.map((m) => html`<div class="preview">${new Html(m.text)}</div>`)}
        <p class="muted">${buttons.map((b) => html`<span class="badge">${b}</span> `)}</p>
        <h3>
          ${v.tr("channels.zalo")} <span class="hint">${v.tr("ann.zaloParts", { n: zalo.length })}</span>
        </h3>
        ${zalo.map((p) => html`<div class="preview">${p}</div>`)}`;
      res.type("html").send(await listPage(v, body, [], pv));
      return;
    }
    const a = await deps.broadcast.create(r.data, v.actor.username);
    await deps.audit.record(v.actor, "announcement.create", `announcements/${String(a._id)}`, null, r.data);
    ctx.done(res, `/admin/announcements/${String(a._id)}`, "annCreated");
  });
  ctx.route("get", "/announcements/:id", "announcements.view", async (req, res, v) => {
    const id = parse(announcementIdSchema, req.params.id);
    const a = await deps.broadcast.get(id);
    if (!a) throw notFound("announcement");
    if (
      v.actor.units.length &&
      a.audience.units.length &&
      !a.audience.units.some((u) => v.actor.units.includes(u))
    )
      throw new AppError("OUT_OF_SCOPE", 403, "errors:http.forbidden", "Outside your units");
    const r = await deps.broadcast.report(id);
    const canSend = can(v.actor, "announcements.send");
    const actions =
      (
        {
          scheduled: ["pause", "cancel"],
          sending: ["pause", "cancel"],
          paused: ["resume", "cancel"],
          draft: ["resume", "cancel"],
        } as Record<string, string[]>
      )[a.status] ?? [];
    res.type("html").send(
      page(
        v,
        a.title,
        html`<div class="card">
            <p>
              ${v.tr("ann.status")}: <strong>${v.tr(`ann.statuses.${a.status}`)}</strong> ·
              ${v.tr("ann.next")}: ${vnTime(a.nextRunAt ?? null) || "—"}
            </p>
            <div class="preview">${a.body}</div>
          </div>
          ${
            r
              ? html`<section class="card">
                  <h2>${v.tr("ann.progress")}</h2>
                  <p>
                    ${v.tr("ann.audience", { n: r.audience })} ·
                    ${v.tr("ann.rate", { n: r.ratePerSec.toFixed(1) })}${r.etaSec !== undefined ? html` · ${v.tr("ann.eta", { n: Math.ceil(r.etaSec / 60) })}` : ""}
                  </p>
                  <table>
                    <thead>
                      <tr>
                        <th>${v.tr("ann.channel")}</th>
                        ${Object.keys(r.counts).map((s) => html`<th class="num">${v.tr(`ann.delivery.${s}`)}</th>`)}
                      </tr>
                    </thead>
                    <tbody>
                      ${Object.entries(r.byChannel).map(
                        ([c, counts]) =>
                          html`<tr>
                            <td>${v.tr(`channels.${c}`)}</td>
                            ${Object.keys(r.counts).map((s) => html`<td class="num">${(counts as Record<string, number>)[s] ?? 0}</td>`)}
                          </tr>`,
                      )}
                      <tr>
                        <th>${v.tr("ann.total")}</th>
                        ${Object.values(r.counts).map((n) => html`<th class="num">${n}</th>`)}
                      </tr>
                    </tbody>
                  </table>
                </section>`
              : ""
          }
          ${
            canSend && actions.length
              ? html`<div class="row">
                  ${actions.map((act) => html`<form method="post" action="/admin/announcements/${id}/${act}">${csrfField(v)}<button type="submit" class="${act === "cancel" ? "danger" : "secondary"}">${v.tr(`ann.actions.${act}`)}</button></form>`)}
                </div>`
              : ""
          }
          <p><a href="/admin/announcements">${v.tr("ann.back")}</a></p>`,
        { flash: flashOf(req), refreshSec: a.status === "sending" ? 5 : undefined },
      ),
    );
  });
  for (const action of ["pause", "resume", "cancel"] as const) {
    ctx.route("post", `/announcements/:id/${action}`, "announcements.send", async (req, res, v) => {
      const id = parse(announcementIdSchema, req.params.id);
      const a = await deps.broadcast.get(id);
      if (!a) throw notFound("announcement");
      if (v.actor.units.length) checkUnits(v, a.audience.units);
      if (!(await deps.broadcast[action](id)))
        throw new AppError("BAD_TRANSITION", 409, "errors:http.conflict", v.tr("ann.cannot"));
      await deps.audit.record(v.actor, `announcement.${action}`, `announcements/${id}`, { status: a.status });
      ctx.done(res, `/admin/announcements/${id}`, `ann${action[0]!.toUpperCase()}${action.slice(1)}`);
    });
  }

  // === Feedback inbox
  const ticketFilter = z
    .object({
      status: z.enum(TICKET_STATUSES).or(z.literal("")).optional(),
      unit: z.string().max(64).optional(),
      overdue: z.enum(["on", ""]).optional(),
      category: z.enum(TICKET_CATEGORIES).or(z.literal("")).optional(),
      done: z.string().max(40).optional(),
    })
    .strict();
  ctx.route("get", "/tickets", "tickets.view", async (req, res, v) => {
    const q = parse(ticketFilter, req.query);
    if (q.unit) assertScope(v.actor, q.unit);
    const list = (
      await deps.feedback.list({
        status: q.status || undefined,
        unit: q.unit || (v.actor.units.length ? v.actor.units : undefined),
        overdue: q.overdue === "on",
        limit: 200,
      })
    ).filter((t) => !q.category || t.category === q.category);
    res.type("html").send(
      page(
        v,
        v.tr("tickets.title"),
        html`<form class="card row" method="get" action="/admin/tickets">
            <div>
              <label for="t-unit">${v.tr("tickets.unit")}</label>
              <select id="t-unit" name="unit">
                <option value="">${v.tr("tickets.any")}</option>
                ${unitsOf(v).map((u) => html`<option value="${u.id}" ${q.unit === u.id ? "selected" : ""}>${u.name}</option>`)}
              </select>
            </div>
            <div>
              <label for="t-status">${v.tr("tickets.status")}</label>
              <select id="t-status" name="status">
                <option value="">${v.tr("tickets.any")}</option>
                ${TICKET_STATUSES.map((s) => html`<option value="${s}" ${q.status === s ? "selected" : ""}>${v.tr(`tickets.statuses.${s}`)}</option>`)}
              </select>
            </div>
            <div>
              <label for="t-cat">${v.tr("tickets.category")}</label>
              <select id="t-cat" name="category">
                <option value="">${v.tr("tickets.any")}</option>
                ${TICKET_CATEGORIES.map((c) => html`<option value="${c}" ${q.category === c ? "selected" : ""}>${v.tr(`tickets.categories.${c}`)}</option>`)}
              </select>
            </div>
            <div>
              <label style="font-weight:400"
                ><input type="checkbox" name="overdue" value="on" ${q.overdue === "on" ? "checked" : ""} />
                ${v.tr("tickets.overdueOnly")}</label
              >
            </div>
            <div style="flex:0 0 auto"><button type="submit">${v.tr("tickets.filter")}</button></div>
          </form>
          <table>
            <thead>
              <tr>
                <th>${v.tr("tickets.code")}</th>
                <th>${v.tr("tickets.received")}</th>
                <th>${v.tr("tickets.category")}</th>
                <th>${v.tr("tickets.text")}</th>
                <th>${v.tr("tickets.status")}</th>
                <th>${v.tr("tickets.due")}</th>
                <th>${v.tr("tickets.assignee")}</th>
              </tr>
            </thead>
            <tbody>
              ${list.map((raw) => {
                const t = presentTicket(raw);
                return html`<tr>
                  <td><a href="/admin/tickets/${t.code}">${t.code}</a></td>
                  <td>${vnTime(raw.createdAt)}</td>
                  <td>${v.tr(`tickets.categories.${t.category}`)}</td>
                  <td>${t.text.length > 120 ? `${t.text.slice(0, 120)}…` : t.text}</td>
                  <td>${v.tr(`tickets.statuses.${t.status}`)}</td>
                  <td>
                    ${vnTime(raw.dueAt)}
                    ${t.overdue ? html`<span class="badge warn">${v.tr("tickets.overdue")}</span>` : ""}
                  </td>
                  <td>${t.assignee ?? ""}</td>
                </tr>`;
              })}
            </tbody>
          </table>
          ${list.length ? "" : html`<p class="muted">${v.tr("tickets.empty")}</p>`}`,
        { flash: q.done },
      ),
    );
  });
  const ticketInScope = (v: StaffView, raw: unknown) => ticketOf(deps.feedback, v.actor, raw);
  ctx.route("get", "/tickets/:code", "tickets.view", async (req, res, v) => {
    const raw = await ticketInScope(v, req.params.code);
    const t = presentTicket(raw);
    const handle = can(v.actor, "tickets.handle");
    const open = t.status === "received" || t.status === "in_progress";
    res.type("html").send(
      page(
        v,
        `${v.tr("tickets.ticket")} ${t.code}`,
        html`<div class="grid">
            <section class="card">
              <p>
                ${v.tr(`tickets.categories.${t.category}`)} · ${v.tr(`channels.${t.channel}`)} ·
                ${vnTime(raw.createdAt)}
              </p>
              <p>
                <strong>${v.tr("tickets.status")}:</strong> ${v.tr(`tickets.statuses.${t.status}`)}
                ${t.overdue ? html`<span class="badge warn">${v.tr("tickets.overdue")}</span>` : ""} ·
                ${v.tr("tickets.due")}: ${vnTime(raw.dueAt)}
              </p>
              <div class="preview">${t.text}</div>
              ${t.contact ? html`<p>${v.tr("tickets.contact")}: ${[t.contact.name, t.contact.phone].filter(Boolean).join(" · ")}</p>` : html`<p class="muted">${v.tr("tickets.noContact")}</p>`}
              ${t.rejectReason ? html`<p>${v.tr("tickets.reason")}: ${t.rejectReason}</p>` : ""}
              <h2>${v.tr("tickets.replies")}</h2>
              ${t.replies.map((r) => html`<p><strong>${r.by}</strong> <span class="muted">${vnTime(new Date(r.at))}</span><br />${r.text}</p>`)}
              <h2>${v.tr("tickets.history")}</h2>
              <ul>
                ${t.history.map((h) => html`<li>${vnTime(new Date(h.at))} — ${v.tr(`tickets.statuses.${h.status}`)} (${h.by})${h.note ? `: ${h.note}` : ""}</li>`)}
              </ul>
            </section>
            ${
              handle
                ? html`<section class="card">
                    <form method="post" action="/admin/tickets/${t.code}/reply">
                      ${csrfField(v)}
                      <label for="r-text"
                        >${v.tr("tickets.replyLabel")}
                        <span class="hint">${v.tr("tickets.replyHint")}</span></label
                      >
                      <textarea id="r-text" name="text" rows="5" maxlength="2000" required></textarea>
                      <p><button type="submit">${v.tr("tickets.send")}</button></p>
                    </form>
                    <form method="post" action="/admin/tickets/${t.code}/status">
                      ${csrfField(v)}
                      <div class="row">
                        <div>
                          <label for="s-status">${v.tr("tickets.setStatus")}</label>
                          <select id="s-status" name="status">
                            ${TICKET_STATUSES.map((s) => html`<option value="${s}" ${t.status === s ? "selected" : ""}>${v.tr(`tickets.statuses.${s}`)}</option>`)}
                          </select>
                        </div>
                        <div>
                          <label for="s-reason"
                            >${v.tr("tickets.reason")}
                            <span class="hint">${v.tr("tickets.reasonHint")}</span></label
                          ><input id="s-reason" name="reason" type="text" maxlength="500" />
                        </div>
                        <div style="flex:0 0 auto">
                          <button type="submit" class="secondary">${v.tr("form.save")}</button>
                        </div>
                      </div>
                    </form>
                    ${
                      open
                        ? html`<form method="post" action="/admin/tickets/${t.code}/assign">
                            ${csrfField(v)}
                            <div class="row">
                              <div>
                                <label for="as">${v.tr("tickets.assignee")}</label
                                ><input
                                  id="as"
                                  name="assignee"
                                  type="text"
                                  maxlength="100"
                                  value="${t.assignee ?? ""}"
                                />
                              </div>
                              <div style="flex:0 0 auto">
                                <button type="submit" class="secondary">${v.tr("tickets.assign")}</button>
                              </div>
                            </div>
                          </form>`
                        : ""
                    }
                    ${
                      can(v.actor, "content.edit") && t.consent.publish && !t.publishedFaq
                        ? html`<form method="post" action="/admin/tickets/${t.code}/faq">
                            ${csrfField(v)}
                            <h2>${v.tr("tickets.publishFaq")}</h2>
                            <label for="fq">${v.tr("tickets.faqQuestion")}</label
                            ><input id="fq" name="question" type="text" maxlength="500" />
                            <label for="fa">${v.tr("tickets.faqAnswer")}</label
                            ><textarea id="fa" name="answer" rows="4" maxlength="3000"></textarea>
                            <p><button type="submit" class="secondary">${v.tr("tickets.publish")}</button></p>
                          </form>`
                        : ""
                    }
                  </section>`
                : ""
            }
          </div>
          <p><a href="/admin/tickets">${v.tr("tickets.back")}</a></p>`,
        { flash: flashOf(req) },
      ),
    );
  });
  const ticketWrite = (
    path: string,
    permission: "tickets.handle" | "content.edit",
    schema: z.ZodType<Record<string, string | undefined>>,
    act: (
      code: string,
      body: Record<string, string | undefined>,
      v: StaffView,
    ) => Promise<{ before: unknown; after: unknown; action: string }>,
  ) =>
    ctx.route("post", `/tickets/:code/${path}`, permission, async (req, res, v) => {
      const t = await ticketInScope(v, req.params.code);
      const { _csrf: _, ...rest } = req.body as Record<string, unknown>;
      const r = await act(t.code, parse(schema, rest), v);
      await deps.audit.record(v.actor, r.action, `tickets/${t.code}`, r.before, r.after);
      ctx.done(res, `/admin/tickets/${t.code}`, "ticketSaved");
    });
  ticketWrite(
    "reply",
    "tickets.handle",
    z.object({ text: z.string().trim().min(1).max(2000) }).strict(),
    async (code, b, v) => {
      const after = await deps.feedback.reply(code, v.actor.displayName, b.text!);
      return { action: "ticket.reply", before: null, after: { status: after.status, reply: b.text } };
    },
  );
  ticketWrite(
    "status",
    "tickets.handle",
    z.object({ status: z.enum(TICKET_STATUSES), reason: z.string().trim().max(500).optional() }).strict(),
    async (code, b, v) => {
      const after = await deps.feedback.setStatus(
        code,
        b.status as (typeof TICKET_STATUSES)[number],
        v.actor.displayName,
        b.reason || undefined,
      );
      return {
        action: "ticket.status",
        before: null,
        after: { status: after.status, reason: b.reason ?? null },
      };
    },
  );
  ticketWrite(
    "assign",
    "tickets.handle",
    z.object({ assignee: z.string().trim().min(1).max(100) }).strict(),
    async (code, b, v) => {
      const after = await deps.feedback.assign(code, b.assignee!, v.actor.displayName);
      return { action: "ticket.assign", before: null, after: { assignee: after.assignee ?? null } };
    },
  );
  ticketWrite(
    "faq",
    "content.edit",
    z
      .object({ question: z.string().trim().min(5).max(500), answer: z.string().trim().min(5).max(3000) })
      .strict(),
    async (code, b) => {
      const slug = await deps.feedback.publishFaq(code, { question: b.question!, answer: b.answer! });
      return { action: "faq.publish", before: null, after: { faq: slug, ...b } };
    },
  );

  // === Handoff queue
  const staffRef = (v: StaffView) => ({ id: `console:${v.actor.username}`, name: v.actor.displayName });
  const handoffOf = async (v: StaffView, raw: unknown) => {
    const h = await deps.handoff.get(parse(handoffCode, raw));
    if (!h) throw notFound("handoff");
    assertScope(v.actor, h.unit);
    return h;
  };
  ctx.route("get", "/handoffs", "handoffs.view", async (req, res, v) => {
    const units = v.actor.units.length ? v.actor.units : undefined;
    const [waiting, active] = await Promise.all([
      deps.handoff.list({ status: "waiting", unit: units, limit: 200 }),
      deps.handoff.list({ status: "active", unit: units, limit: 200 }),
    ]);
    const now = (deps.now ?? (() => new Date()))();
    const row = (h: (typeof waiting)[number], i?: number) => {
      const p = presentHandoff(h);
      return html`<tr>
        ${i !== undefined ? html`<td class="num">${i + 1}</td>` : ""}
        <td><a href="/admin/handoffs/${p.code}">${p.code}</a></td>
        <td>${h.unit}</td>
        <td>${v.tr(`channels.${p.channel}`)}</td>
        <td>
          ${v.tr("handoffs.minutes", { n: Math.max(0, Math.round((now.getTime() - h.createdAt.getTime()) / 60_000)) })}
        </td>
        <td>${p.recent.join(" · ")}</td>
        ${i === undefined ? html`<td>${p.staff ?? ""}</td>` : ""}
      </tr>`;
    };
    res.type("html").send(
      page(
        v,
        v.tr("handoffs.title"),
        html`<h2>${v.tr("handoffs.waiting")} (${waiting.length})</h2>
          <table>
            <thead>
              <tr>
                <th class="num">#</th>
                <th>${v.tr("handoffs.code")}</th>
                <th>${v.tr("handoffs.unit")}</th>
                <th>${v.tr("handoffs.channel")}</th>
                <th>${v.tr("handoffs.since")}</th>
                <th>${v.tr("handoffs.recent")}</th>
              </tr>
            </thead>
            <tbody>
              ${[...waiting].reverse().map((h, i) => row(h, i))}
            </tbody>
          </table>
          <h2>${v.tr("handoffs.active")} (${active.length})</h2>
          <table>
            <thead>
              <tr>
                <th>${v.tr("handoffs.code")}</th>
                <th>${v.tr("handoffs.unit")}</th>
                <th>${v.tr("handoffs.channel")}</th>
                <th>${v.tr("handoffs.since")}</th>
                <th>${v.tr("handoffs.recent")}</th>
                <th>${v.tr("handoffs.staff")}</th>
              </tr>
            </thead>
            <tbody>
              ${active.map((h) => row(h))}
            </tbody>
          </table>`,
        { flash: flashOf(req), refreshSec: 15 },
      ),
    );
  });
  ctx.route("get", "/handoffs/:code", "handoffs.view", async (req, res, v) => {
    const h = await handoffOf(v, req.params.code);
    const p = presentHandoff(h);
    const mine = h.staff?.id === staffRef(v).id;
    const handle = can(v.actor, "handoffs.handle") && h.status !== "closed";
    res.type("html").send(
      page(
        v,
        `${v.tr("handoffs.one")} ${p.code}`,
        html`<section class="card">
            <p>
              ${v.tr(`handoffs.statuses.${h.status}`)} · ${h.unit} · ${v.tr(`channels.${p.channel}`)} ·
              ${vnTime(h.createdAt)}${p.staff ? html` · ${v.tr("handoffs.staff")}: ${p.staff}` : ""}
            </p>
            <h2>${v.tr("handoffs.recent")}</h2>
            <ul>
              ${p.recent.map((q) => html`<li>${q}</li>`)}
            </ul>
            <h2>${v.tr("handoffs.transcript")}</h2>
            <div class="transcript">
              ${(h.transcript ?? []).map((m) => html`<p class="${m.from}"><span class="muted">${vnTime(m.at)} ${v.tr(`handoffs.from.${m.from}`)}:</span> ${m.text}${m.photo ? html` <span class="badge">${v.tr("handoffs.photo")}</span>` : ""}</p>`)}
            </div>
          </section>
          ${
            handle
              ? html`<section class="card">
                  ${
                    h.status === "waiting"
                      ? html`<form method="post" action="/admin/handoffs/${p.code}/claim">
                          ${csrfField(v)}<button type="submit">${v.tr("handoffs.claim")}</button>
                        </form>`
                      : ""
                  }
                  ${
                    h.status === "waiting" || mine
                      ? html`<form method="post" action="/admin/handoffs/${p.code}/reply">
                          ${csrfField(v)}
                          <label for="h-text">${v.tr("handoffs.replyLabel")}</label>
                          <textarea id="h-text" name="text" rows="4" maxlength="3000" required></textarea>
                          <p><button type="submit">${v.tr("handoffs.send")}</button></p>
                        </form>`
                      : html`<p class="muted">${v.tr("handoffs.takenBy", { staff: p.staff ?? "" })}</p>`
                  }
                  ${
                    mine && h.status === "active"
                      ? html`<form method="post" action="/admin/handoffs/${p.code}/close">
                          ${csrfField(v)}<button type="submit" class="danger">
                            ${v.tr("handoffs.close")}
                          </button>
                        </form>`
                      : ""
                  }
                </section>`
              : ""
          }
          <p><a href="/admin/handoffs">${v.tr("handoffs.back")}</a></p>`,
        { flash: flashOf(req), refreshSec: h.status === "closed" ? undefined : 10 },
      ),
    );
  });
  ctx.route("post", "/handoffs/:code/claim", "handoffs.handle", async (req, res, v) => {
    const h = await handoffOf(v, req.params.code);
    const r = await deps.handoff.claim(h._id, staffRef(v));
    if (r === "claimed") await deps.audit.record(v.actor, "handoff.claim", `handoffs/${h._id}`);
    ctx.done(
      res,
      `/admin/handoffs/${h._id}`,
      `handoff${r === "claimed" ? "Claimed" : r === "yours" ? "Yours" : "Taken"}`,
    );
  });
  ctx.route("post", "/handoffs/:code/reply", "handoffs.handle", async (req, res, v) => {
    const h = await handoffOf(v, req.params.code);
    const { text } = parse(
      z.object({ text: z.string().trim().min(1).max(3000), _csrf: z.string().optional() }).strict(),
      req.body,
    );
    const r = await deps.handoff.reply(h._id, staffRef(v), { text });
    if (r === "sent") await deps.audit.record(v.actor, "handoff.reply", `handoffs/${h._id}`);
    ctx.done(
      res,
      `/admin/handoffs/${h._id}`,
      r === "sent" ? "handoffSent" : r === "not-owner" ? "handoffTaken" : "handoffNotSent",
    );
  });
  ctx.route("post", "/handoffs/:code/close", "handoffs.handle", async (req, res, v) => {
    const h = await handoffOf(v, req.params.code);
    const ok = await deps.handoff.close(h._id, "staff", staffRef(v));
    if (ok) await deps.audit.record(v.actor, "handoff.close", `handoffs/${h._id}`);
    ctx.done(
      res,
      ok ? "/admin/handoffs" : `/admin/handoffs/${h._id}`,
      ok ? "handoffClosed" : "handoffNotClosed",
    );
  });
}
