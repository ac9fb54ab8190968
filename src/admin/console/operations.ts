/**
 * Day-to-day work: the feedback inbox (search, sort, pages, bulk assign/close; reply, status, assign,
 * publish as FAQ) and the handoff queue (claim, reply, close; new messages arrive without reloading).
 * Announcements live in announcements.ts. Every write is a staff action (../actions.ts).
 */
import type { Request } from "express";
import { z } from "zod";
import type { FieldIssue } from "../../content/store.js";
import type { HandoffDoc } from "../../store/models/handoff.js";
import { TICKET_CATEGORIES, TICKET_STATUSES, type TicketDoc } from "../../store/models/ticket.js";
import type { ActionInput } from "../actions.js";
import {
  assertScope,
  notFound,
  parse,
  presentHandoff,
  presentTicket,
  ticketCodeSchema,
  ticketOf,
} from "../api.js";
import { can, inScope } from "../auth.js";
import { html } from "../../reports/html.js";
import { askToConfirm, isConfirmed } from "./confirm.js";
import { attempt, type ConsoleContext, type StaffView } from "./index.js";
import { csrfField, errorBox, fieldProblem, many, page, pager, str, vnTime } from "./layout.js";

const handoffCode = z.string().regex(/^H[0-9A-Z]{3,12}$/, "a handoff code like H7K2QX");
const flashOf = (req: Request) => (typeof req.query.done === "string" ? req.query.done : undefined);

export function registerOperationsPages(ctx: ConsoleContext): void {
  const { deps } = ctx;
  const unitsOf = (v: StaffView) =>
    deps.content
      .bundle()
      .units.filter((u) => inScope(v.actor, u.id))
      .map((u) => ({ id: u.id, name: u.name }));

  // === Feedback inbox
  const PAGE_SIZE = 50;
  const ticketInScope = (v: StaffView, raw: unknown) => ticketOf(deps.feedback, v.actor, raw);
  const unitName = (id: string | undefined) =>
    (id && deps.content.bundle().units.find((u) => u.id === id)?.name) || id || "—";
  /** Who may take tickets of `unit`: active handlers and admins whose units include it. */
  const handlersFor = async (units: Array<string | undefined>) =>
    (await deps.staff.list()).filter(
      (s) =>
        s.active &&
        can(s, "tickets.handle") &&
        units.every((u) => (u ? s.units.includes(u) : !s.units.length)),
    );
  const staffName = async () => {
    const names = new Map((await deps.staff.list()).map((s) => [s.username, s.displayName]));
    return (username: string | undefined) => (username ? (names.get(username) ?? username) : "");
  };
  const ticketFilter = z
    .object({
      q: z.string().max(100).optional(),
      status: z.enum(TICKET_STATUSES).or(z.literal("")).optional(),
      unit: z.string().max(64).optional(),
      overdue: z.enum(["on", ""]).optional(),
      category: z.enum(TICKET_CATEGORIES).or(z.literal("")).optional(),
      assignee: z.enum(["", "me", "none"]).optional(),
      sort: z.enum(["newest", "oldest", "due"]).or(z.literal("")).optional(),
      page: z.coerce.number().int().min(1).max(10_000).optional(),
      done: z.string().max(40).optional(),
    })
    .strict();
  ctx.route("get", "/tickets", "tickets.view", async (req, res, v) => {
    const q = parse(ticketFilter, req.query);
    if (q.unit) assertScope(v.actor, q.unit);
    const pageNo = q.page ?? 1;
    const { items, total } = await deps.feedback.search({
      text: q.q,
      status: q.status || undefined,
      unit: q.unit || (v.actor.units.length ? v.actor.units : undefined),
      category: q.category || undefined,
      overdue: q.overdue === "on",
      assignee: q.assignee === "me" ? v.actor.username : q.assignee === "none" ? "" : undefined,
      sort: q.sort || undefined,
      skip: (pageNo - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const showUnit = v.actor.units.length !== 1;
    const handle = can(v.actor, "tickets.handle");
    const nameOf = await staffName();
    const colleagues = handle
      ? await handlersFor(v.actor.units.length === 1 ? v.actor.units : [undefined])
      : [];
    const choices = handle
      ? v.actor.units.length === 1
        ? colleagues
        : (await deps.staff.list()).filter((s) => s.active && can(s, "tickets.handle"))
      : [];
    const link = (over: Record<string, string | number>) => {
      const p = new URLSearchParams();
      for (const [k, val] of Object.entries({ ...q, done: undefined, page: undefined, ...over }))
        if (val !== undefined && val !== "") p.set(k, String(val));
      return `/admin/tickets?${p.toString()}`;
    };
    const option = (value: string, current: string | undefined, label: string) =>
      html`<option value="${value}" ${current === value ? "selected" : ""}>${label}</option>`;
    res.type("html").send(
      page(
        v,
        v.tr("tickets.title"),
        html`<form class="card row" method="get" action="/admin/tickets" role="search">
            <div style="flex:2 1 240px">
              <label for="t-q">${v.tr("tickets.search")}</label>
              <input
                id="t-q"
                name="q"
                type="search"
                value="${q.q ?? ""}"
                placeholder="${v.tr("tickets.searchHint")}"
              />
            </div>
            ${
              showUnit
                ? html`<div>
                    <label for="t-unit">${v.tr("tickets.unit")}</label>
                    <select id="t-unit" name="unit">
                      ${option("", q.unit, v.tr("tickets.any"))}
                      ${unitsOf(v).map((u) => option(u.id, q.unit, u.name))}
                    </select>
                  </div>`
                : ""
            }
            <div>
              <label for="t-status">${v.tr("tickets.status")}</label>
              <select id="t-status" name="status">
                ${option("", q.status, v.tr("tickets.any"))}
                ${TICKET_STATUSES.map((s) => option(s, q.status, v.tr(`tickets.statuses.${s}`)))}
              </select>
            </div>
            <div>
              <label for="t-cat">${v.tr("tickets.category")}</label>
              <select id="t-cat" name="category">
                ${option("", q.category, v.tr("tickets.any"))}
                ${TICKET_CATEGORIES.map((c) => option(c, q.category, v.tr(`tickets.categories.${c}`)))}
              </select>
            </div>
            <div>
              <label for="t-as">${v.tr("tickets.assignee")}</label>
              <select id="t-as" name="assignee">
                ${option("", q.assignee, v.tr("tickets.any"))}
                ${option("me", q.assignee, v.tr("tickets.mine"))}
                ${option("none", q.assignee, v.tr("tickets.nobody"))}
              </select>
            </div>
            <div>
              <label for="t-sort">${v.tr("tickets.sort")}</label>
              <select id="t-sort" name="sort">
                ${(["newest", "oldest", "due"] as const).map((s) => option(s, q.sort || "newest", v.tr(`tickets.sorts.${s}`)))}
              </select>
            </div>
            <div>
              <label class="choice"
                ><input type="checkbox" name="overdue" value="on" ${q.overdue === "on" ? "checked" : ""} />
                ${v.tr("tickets.overdueOnly")}</label
              >
            </div>
            <div style="flex:0 0 auto"><button type="submit">${v.tr("tickets.filter")}</button></div>
          </form>
          <p class="muted" role="status">${v.tr("tickets.found", { n: total, page: pageNo, pages })}</p>
          <form method="post" action="/admin/tickets/bulk" id="bulk">
            ${csrfField(v)}
            <table class="stack">
              <thead>
                <tr>
                  ${handle ? html`<th><span class="sr">${v.tr("tickets.select")}</span></th>` : ""}
                  <th>${v.tr("tickets.code")}</th>
                  <th>${v.tr("tickets.status")}</th>
                  <th>${v.tr("tickets.due")}</th>
                  ${showUnit ? html`<th>${v.tr("tickets.unit")}</th>` : ""}
                  <th>${v.tr("tickets.text")}</th>
                  <th>${v.tr("tickets.assignee")}</th>
                  <th>${v.tr("tickets.received")}</th>
                </tr>
              </thead>
              <tbody>
                ${items.map((raw) => {
                  const t = presentTicket(raw);
                  return html`<tr class="${t.overdue ? "overdue" : ""}">
                    ${
                      handle
                        ? html`<td>
                            <input
                              type="checkbox"
                              name="codes"
                              value="${t.code}"
                              aria-label="${v.tr("tickets.selectOne", { code: t.code })}"
                            />
                          </td>`
                        : ""
                    }
                    <td><a href="/admin/tickets/${t.code}">${t.code}</a></td>
                    <td data-label="${v.tr("tickets.status")}">
                      ${v.tr(`tickets.statuses.${t.status}`)}
                      ${t.overdue ? html`<span class="badge warn">${v.tr("tickets.overdue")}</span>` : ""}
                    </td>
                    <td data-label="${v.tr("tickets.due")}">${vnTime(raw.dueAt)}</td>
                    ${showUnit ? html`<td data-label="${v.tr("tickets.unit")}">${unitName(t.unit ?? undefined)}</td>` : ""}
                    <td>
                      <span class="muted">${v.tr(`tickets.categories.${t.category}`)}:</span>
                      ${t.text.length > 120 ? `${t.text.slice(0, 120)}…` : t.text}
                    </td>
                    <td data-label="${v.tr("tickets.assignee")}">${nameOf(t.assignee ?? undefined)}</td>
                    <td data-label="${v.tr("tickets.received")}">${vnTime(raw.createdAt)}</td>
                  </tr>`;
                })}
              </tbody>
            </table>
            ${items.length ? "" : html`<p class="muted">${v.tr("tickets.empty")}</p>`}
            ${
              handle && items.length
                ? html`<fieldset class="card row">
                    <legend>${v.tr("tickets.bulk")}</legend>
                    <div>
                      <label for="b-as">${v.tr("tickets.assignTo")}</label>
                      <select id="b-as" name="assignee">
                        ${choices.map((s) => option(s.username, undefined, s.displayName))}
                      </select>
                    </div>
                    <div style="flex:0 0 auto">
                      <button type="submit" name="action" value="assign" class="secondary">
                        ${v.tr("tickets.bulkAssign")}
                      </button>
                    </div>
                    <div style="flex:0 0 auto">
                      <button type="submit" name="action" value="close" class="secondary">
                        ${v.tr("tickets.bulkClose")}
                      </button>
                    </div>
                  </fieldset>`
                : ""
            }
          </form>
          ${pager(v, pageNo, pages, (n) => link({ page: n }))}`,
        { flash: q.done },
      ),
    );
  });
  ctx.route("post", "/tickets/bulk", "tickets.handle", async (req, res, v) => {
    const body = req.body as Record<string, unknown>;
    const b = parse(
      z.object({
        codes: z.array(ticketCodeSchema).min(1).max(PAGE_SIZE),
        action: z.enum(["assign", "close"]),
        assignee: z.string().max(64).optional(),
      }),
      { codes: many(body.codes), action: body.action, assignee: str(body.assignee) || undefined },
    );
    const tickets = await Promise.all(b.codes.map((c) => ticketInScope(v, c)));
    if (b.action === "close" && !isConfirmed(body)) {
      askToConfirm(res, v, {
        title: v.tr("tickets.bulk"),
        question: v.tr("tickets.confirmClose", { n: tickets.length, codes: b.codes.join(", ") }),
        action: "/admin/tickets/bulk",
        confirm: v.tr("tickets.bulkClose"),
        back: "/admin/tickets",
        body,
      });
      return;
    }
    for (const t of tickets) {
      if (b.action === "assign")
        await deps.actions.run(v.actor, "ticket.assign", { code: t.code, assignee: b.assignee ?? "" });
      else if (t.status !== "closed")
        await deps.actions.run(v.actor, "ticket.status", { code: t.code, status: "closed" });
    }
    ctx.done(res, "/admin/tickets", "ticketsBulk");
  });
  /** A form shown again after a problem: which form, what was typed, what is wrong. */
  type Retry = { form: string; values: Record<string, string>; problems: FieldIssue[] };
  const ticketPage = async (v: StaffView, raw: TicketDoc, flash: string | undefined, retry?: Retry) => {
    const t = presentTicket(raw);
    const typed = (form: string, name: string, fallback = "") =>
      retry?.form === form ? (retry.values[name] ?? fallback) : fallback;
    const problem = (form: string, name: string) =>
      retry?.form === form ? fieldProblem(v, retry.problems, name) : "";
    const general = (form: string) =>
      retry?.form === form
        ? errorBox(
            v,
            retry.problems.filter((p) => !p.path),
          )
        : "";
    const chosenStatus = typed("status", "status", t.status);
    const chosenAssignee = typed("assign", "assignee", t.assignee ?? "");
    const handle = can(v.actor, "tickets.handle");
    const open = t.status === "received" || t.status === "in_progress";
    const nameOf = await staffName();
    const colleagues = handle && open ? await handlersFor([t.unit ?? undefined]) : [];
    // The service notes assignments in English for the API; staff read them in their language.
    const noteText = (note: string) => {
      const m = /^assigned to (.+)$/.exec(note);
      return m ? v.tr("tickets.assignedTo", { name: nameOf(m[1]) }) : note;
    };
    return page(
      v,
      `${v.tr("tickets.ticket")} ${t.code}`,
      html`<div class="grid">
          <section class="card">
            <p>
              ${unitName(t.unit ?? undefined)} · ${v.tr(`tickets.categories.${t.category}`)} ·
              ${v.tr(`channels.${t.channel}`)} · ${vnTime(raw.createdAt)}
            </p>
            <p>
              <strong>${v.tr("tickets.status")}:</strong> ${v.tr(`tickets.statuses.${t.status}`)}
              ${t.assignee ? html` · ${v.tr("tickets.assignee")}: ${nameOf(t.assignee)}` : ""}
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
              ${t.history.map((h) => html`<li>${vnTime(new Date(h.at))} — ${v.tr(`tickets.statuses.${h.status}`)} (${h.by === "citizen" ? v.tr("tickets.citizen") : h.by})${h.note ? `: ${noteText(h.note)}` : ""}</li>`)}
            </ul>
          </section>
          ${
            handle
              ? html`<section class="card">
                  <form method="post" action="/admin/tickets/${t.code}/reply">
                    ${csrfField(v)} ${general("reply")}
                    <label for="r-text"
                      >${v.tr("tickets.replyLabel")}
                      <span class="hint">${v.tr("tickets.replyHint")}</span></label
                    >
                    <textarea id="r-text" name="text" rows="5" maxlength="2000" required>
${typed("reply", "text")}</textarea>
                    ${problem("reply", "text")}
                    <p><button type="submit">${v.tr("tickets.send")}</button></p>
                  </form>
                  <form method="post" action="/admin/tickets/${t.code}/status">
                    ${csrfField(v)} ${general("status")}
                    <div class="row">
                      <div>
                        <label for="s-status">${v.tr("tickets.setStatus")}</label>
                        <select id="s-status" name="status">
                          ${TICKET_STATUSES.map((s) => html`<option value="${s}" ${chosenStatus === s ? "selected" : ""}>${v.tr(`tickets.statuses.${s}`)}</option>`)}
                        </select>
                      </div>
                      <div>
                        <label for="s-reason"
                          >${v.tr("tickets.reason")}
                          <span class="hint">${v.tr("tickets.reasonHint")}</span></label
                        ><input
                          id="s-reason"
                          name="reason"
                          type="text"
                          maxlength="500"
                          value="${typed("status", "reason")}"
                        />
                        ${problem("status", "reason")}
                      </div>
                      <div style="flex:0 0 auto">
                        <button type="submit" class="secondary">${v.tr("form.save")}</button>
                      </div>
                    </div>
                  </form>
                  ${
                    open
                      ? html`<form method="post" action="/admin/tickets/${t.code}/assign">
                          ${csrfField(v)} ${general("assign")}
                          <div class="row">
                            <div>
                              <label for="as">${v.tr("tickets.assignee")}</label>
                              <select id="as" name="assignee">
                                ${colleagues.map((c) => html`<option value="${c.username}" ${chosenAssignee === c.username ? "selected" : ""}>${c.displayName}${c.username === v.actor.username ? ` (${v.tr("tickets.me")})` : ""}</option>`)}
                              </select>
                              ${problem("assign", "assignee")}
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
                          ${csrfField(v)} ${general("faq")}
                          <h2>${v.tr("tickets.publishFaq")}</h2>
                          <label for="fq">${v.tr("tickets.faqQuestion")}</label
                          ><input
                            id="fq"
                            name="question"
                            type="text"
                            maxlength="500"
                            value="${typed("faq", "question")}"
                          />
                          ${problem("faq", "question")}
                          <label for="fa">${v.tr("tickets.faqAnswer")}</label
                          ><textarea id="fa" name="answer" rows="4" maxlength="3000">
${typed("faq", "answer")}</textarea>
                          ${problem("faq", "answer")}
                          <p><button type="submit" class="secondary">${v.tr("tickets.publish")}</button></p>
                        </form>`
                      : ""
                  }
                </section>`
              : ""
          }
        </div>
        <p><a href="/admin/tickets">${v.tr("tickets.back")}</a></p>`,
      { flash },
    );
  };
  ctx.route("get", "/tickets/:code", "tickets.view", async (req, res, v) => {
    const raw = await ticketInScope(v, req.params.code);
    res.type("html").send(await ticketPage(v, raw, flashOf(req)));
  });
  /** A ticket form posts to `/tickets/:code/<form>` and runs one action; a problem shows the page again. */
  const ticketWrite = (
    form: string,
    permission: "tickets.handle" | "content.edit",
    action: "ticket.reply" | "ticket.status" | "ticket.assign" | "ticket.publishFaq",
    fields: string[],
  ) =>
    ctx.route("post", `/tickets/:code/${form}`, permission, async (req, res, v) => {
      const t = await ticketInScope(v, req.params.code);
      const body = req.body as Record<string, unknown>;
      const values = Object.fromEntries(fields.map((f) => [f, str(body[f])]));
      // Rejecting (không thụ lý) ends the citizen's request: ask first.
      if (form === "status" && values.status === "rejected" && values.reason?.trim() && !isConfirmed(body)) {
        askToConfirm(res, v, {
          title: `${v.tr("tickets.ticket")} ${t.code}`,
          question: v.tr("tickets.confirmReject", { code: t.code, reason: values.reason }),
          action: `/admin/tickets/${t.code}/status`,
          confirm: v.tr("tickets.reject"),
          back: `/admin/tickets/${t.code}`,
          body,
        });
        return;
      }
      const input = { code: t.code, ...values } as ActionInput<typeof action>;
      const r = await attempt(() => deps.actions.run(v.actor, action, input));
      if (!r.ok) {
        const fresh = (await deps.feedback.get(t.code)) ?? t;
        res
          .status(r.status)
          .type("html")
          .send(await ticketPage(v, fresh, undefined, { form, values, problems: r.problems }));
        return;
      }
      ctx.done(res, `/admin/tickets/${t.code}`, "ticketSaved");
    });
  ticketWrite("reply", "tickets.handle", "ticket.reply", ["text"]);
  ticketWrite("status", "tickets.handle", "ticket.status", ["status", "reason"]);
  ticketWrite("assign", "tickets.handle", "ticket.assign", ["assignee"]);
  ticketWrite("faq", "content.edit", "ticket.publishFaq", ["question", "answer"]);

  // === Handoff queue
  const mineId = (v: StaffView) => `console:${v.actor.username}`;
  const handoffOf = async (v: StaffView, raw: unknown) => {
    const h = await deps.handoff.get(parse(handoffCode, raw));
    if (!h) throw notFound("handoff");
    assertScope(v.actor, h.unit);
    return h;
  };
  const handoffFilter = z
    .object({
      q: z.string().max(100).optional(),
      page: z.coerce.number().int().min(1).max(10_000).optional(),
      done: z.string().max(40).optional(),
    })
    .strict();
  /** The queue's tables (what the page's live region refreshes), for the page's search and page. */
  const queueTables = async (v: StaffView, q: z.infer<typeof handoffFilter>) => {
    const unit = v.actor.units.length ? v.actor.units : undefined;
    // Someone watching the queue is on duty: citizens of these units are told a person can answer.
    deps.handoff.staffSeen(unit);
    const text = q.q?.trim() || undefined;
    const pageNo = q.page ?? 1;
    const [waiting, active, closed, closedTotal] = await Promise.all([
      deps.handoff.list({ status: "waiting", unit, text, oldestFirst: true, limit: 500 }),
      deps.handoff.list({ status: "active", unit, text, limit: 500 }),
      deps.handoff.list({ status: "closed", unit, text, skip: (pageNo - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
      deps.handoff.count({ status: "closed", unit, text }),
    ]);
    const pages = Math.max(1, Math.ceil(closedTotal / PAGE_SIZE));
    const now = (deps.now ?? (() => new Date()))();
    const showUnit = v.actor.units.length !== 1;
    const head = (first: boolean, staff: boolean) =>
      html`<thead>
        <tr>
          ${first ? html`<th class="num">#</th>` : ""}
          <th>${v.tr("handoffs.code")}</th>
          ${showUnit ? html`<th>${v.tr("handoffs.unit")}</th>` : ""}
          <th>${v.tr("handoffs.channel")}</th>
          <th>${v.tr("handoffs.since")}</th>
          <th>${v.tr("handoffs.recent")}</th>
          ${staff ? html`<th>${v.tr("handoffs.staff")}</th>` : ""}
        </tr>
      </thead>`;
    const row = (h: (typeof waiting)[number], i?: number) => {
      const p = presentHandoff(h);
      return html`<tr>
        ${i !== undefined ? html`<td class="num">${i + 1}</td>` : ""}
        <td><a href="/admin/handoffs/${p.code}">${p.code}</a></td>
        ${showUnit ? html`<td data-label="${v.tr("handoffs.unit")}">${unitName(h.unit)}</td>` : ""}
        <td data-label="${v.tr("handoffs.channel")}">${v.tr(`channels.${p.channel}`)}</td>
        <td data-label="${v.tr("handoffs.since")}">
          ${
            h.status === "closed"
              ? vnTime(h.createdAt)
              : v.tr("handoffs.minutes", {
                  n: Math.max(0, Math.round((now.getTime() - h.createdAt.getTime()) / 60_000)),
                })
          }
        </td>
        <td>${p.recent.join(" · ")}</td>
        ${i === undefined ? html`<td data-label="${v.tr("handoffs.staff")}">${p.staff ?? ""}</td>` : ""}
      </tr>`;
    };
    const link = (n: number) =>
      `/admin/handoffs?${new URLSearchParams({ ...(text ? { q: text } : {}), page: String(n) }).toString()}`;
    return html`<h2>${v.tr("handoffs.waiting")} (${waiting.length})</h2>
      <table class="stack">
        ${head(true, false)}
        <tbody>
          ${waiting.map((h, i) => row(h, i))}
        </tbody>
      </table>
      <h2>${v.tr("handoffs.active")} (${active.length})</h2>
      <table class="stack">
        ${head(false, true)}
        <tbody>
          ${active.map((h) => row(h))}
        </tbody>
      </table>
      <h2>${v.tr("handoffs.closed")} (${closedTotal})</h2>
      <table class="stack">
        ${head(false, true)}
        <tbody>
          ${closed.map((h) => row(h))}
        </tbody>
      </table>
      ${pager(v, pageNo, pages, link)}`;
  };
  // New requests appear without reloading the page (a reload would lose what staff were doing).
  ctx.route("get", "/handoffs/queue.json", "handoffs.view", async (req, res, v) => {
    const { done: _, ...q } = parse(handoffFilter, req.query);
    res.json({ html: (await queueTables(v, q)).value });
  });
  ctx.route("get", "/handoffs", "handoffs.view", async (req, res, v) => {
    const q = parse(handoffFilter, req.query);
    const text = q.q?.trim() || undefined;
    const live = `/admin/handoffs/queue.json?${new URLSearchParams({
      ...(text ? { q: text } : {}),
      ...(q.page ? { page: String(q.page) } : {}),
    }).toString()}`;
    res.type("html").send(
      page(
        v,
        v.tr("handoffs.title"),
        html`<form class="card row" method="get" action="/admin/handoffs" role="search">
            <div style="flex:2 1 240px">
              <label for="h-q">${v.tr("handoffs.search")}</label>
              <input
                id="h-q"
                name="q"
                type="search"
                value="${text ?? ""}"
                placeholder="${v.tr("handoffs.searchHint")}"
              />
            </div>
            <div style="flex:0 0 auto"><button type="submit">${v.tr("tickets.filter")}</button></div>
          </form>
          <div data-live="${live}" aria-live="polite">${await queueTables(v, q)}</div>`,
        { flash: q.done, scripts: ["/admin/assets/console.js"] },
      ),
    );
  });
  /** The transcript of a chat (what the page's live region refreshes). */
  const transcript = (v: StaffView, h: HandoffDoc) =>
    html`${(h.transcript ?? []).map((m) => html`<p class="${m.from}"><span class="muted">${vnTime(m.at)} ${v.tr(`handoffs.from.${m.from}`)}:</span> ${m.text}${m.photo ? html` <span class="badge">${v.tr("handoffs.photo")}</span>` : ""}</p>`)}`;
  const handoffPage = (
    v: StaffView,
    h: HandoffDoc,
    flash: string | undefined,
    retry?: { text: string; problems: FieldIssue[] },
  ) => {
    const p = presentHandoff(h);
    const mine = h.staff?.id === mineId(v);
    const handle = can(v.actor, "handoffs.handle") && h.status !== "closed";
    return page(
      v,
      `${v.tr("handoffs.one")} ${p.code}`,
      html`<section class="card">
          <p>
            ${v.tr(`handoffs.statuses.${h.status}`)} · ${unitName(h.unit)} · ${v.tr(`channels.${p.channel}`)}
            · ${vnTime(h.createdAt)}${p.staff ? html` · ${v.tr("handoffs.staff")}: ${p.staff}` : ""}
          </p>
          <h2>${v.tr("handoffs.recent")}</h2>
          <ul>
            ${p.recent.map((q) => html`<li>${q}</li>`)}
          </ul>
          <h2>${v.tr("handoffs.transcript")}</h2>
          <div
            class="transcript"
            aria-live="polite"
            data-live="/admin/handoffs/${p.code}/live"
            data-status="${h.status}"
            data-notice="h-changed"
          >
            ${transcript(v, h)}
          </div>
          <p id="h-changed" class="flash" role="status" hidden>${v.tr("handoffs.changed")}</p>
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
                        ${
                          retry
                            ? errorBox(
                                v,
                                retry.problems.filter((x) => !x.path),
                              )
                            : ""
                        }
                        <label for="h-text">${v.tr("handoffs.replyLabel")}</label>
                        <textarea id="h-text" name="text" rows="4" maxlength="3000" required>
${retry?.text ?? ""}</textarea>
                        ${retry ? fieldProblem(v, retry.problems, "text") : ""}
                        <p><button type="submit">${v.tr("handoffs.send")}</button></p>
                      </form>`
                    : html`<p class="muted">${v.tr("handoffs.takenBy", { staff: p.staff ?? "" })}</p>`
                }
                ${
                  mine && h.status === "active"
                    ? html`<form method="post" action="/admin/handoffs/${p.code}/close">
                        ${csrfField(v)}<button type="submit" class="danger">${v.tr("handoffs.close")}</button>
                      </form>`
                    : ""
                }
              </section>`
            : ""
        }
        <p><a href="/admin/handoffs">${v.tr("handoffs.back")}</a></p>`,
      { flash, scripts: ["/admin/assets/console.js"] },
    );
  };
  ctx.route("get", "/handoffs/:code", "handoffs.view", async (req, res, v) => {
    res.type("html").send(handoffPage(v, await handoffOf(v, req.params.code), flashOf(req)));
  });
  // The page asks for new messages every few seconds instead of reloading (issue 15: a reload
  // wiped the reply being typed).
  ctx.route("get", "/handoffs/:code/live", "handoffs.view", async (req, res, v) => {
    const h = await handoffOf(v, req.params.code);
    const html = transcript(v, h).value;
    res.json({ status: h.status, html, transcript: html });
  });
  ctx.route("post", "/handoffs/:code/claim", "handoffs.handle", async (req, res, v) => {
    const code = parse(handoffCode, req.params.code);
    const r = await deps.actions.run(v.actor, "handoff.claim", { code });
    ctx.done(
      res,
      `/admin/handoffs/${code}`,
      `handoff${r === "claimed" ? "Claimed" : r === "yours" ? "Yours" : "Taken"}`,
    );
  });
  ctx.route("post", "/handoffs/:code/reply", "handoffs.handle", async (req, res, v) => {
    const code = parse(handoffCode, req.params.code);
    const text = str((req.body as Record<string, unknown>).text);
    const r = await attempt(() => deps.actions.run(v.actor, "handoff.reply", { code, text }));
    if (!r.ok || r.value === "undelivered" || r.value === "photo-unsupported") {
      // Not sent: the page again with the reply as typed.
      const problems = r.ok ? [{ path: "", message: "", code: "NOT_SENT" }] : r.problems;
      res
        .status(r.ok ? 502 : r.status)
        .type("html")
        .send(handoffPage(v, await handoffOf(v, code), undefined, { text, problems }));
      return;
    }
    ctx.done(res, `/admin/handoffs/${code}`, r.value === "sent" ? "handoffSent" : "handoffTaken");
  });
  ctx.route("post", "/handoffs/:code/close", "handoffs.handle", async (req, res, v) => {
    const h = await handoffOf(v, req.params.code);
    if (!isConfirmed(req.body)) {
      askToConfirm(res, v, {
        title: `${v.tr("handoffs.one")} ${h._id}`,
        question: v.tr("handoffs.confirmClose"),
        action: `/admin/handoffs/${h._id}/close`,
        confirm: v.tr("handoffs.close"),
        back: `/admin/handoffs/${h._id}`,
      });
      return;
    }
    const ok = await deps.actions.run(v.actor, "handoff.close", { code: h._id });
    ctx.done(
      res,
      ok ? "/admin/handoffs" : `/admin/handoffs/${h._id}`,
      ok ? "handoffClosed" : "handoffNotClosed",
    );
  });
}
