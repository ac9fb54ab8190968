/**
 * Announcements, in GOV.UK Notify's order: write → check (audience by name, the exact number of
 * recipients, the time in words, the message as each channel shows it) → only then send or schedule.
 * A scheduled announcement can be edited until it starts; its audience stays on its page afterwards.
 * Repetition is chosen as "every day / week / month at …", never typed as cron.
 */
import type { Request, Response } from "express";
import type { z } from "zod";
import { announcementInputSchema, isEditable, type AnnouncementInput } from "../../broadcast/service.js";
import { cronToRepeat, repeatSchema, repeatToCron, type Repeat } from "../../broadcast/repeat.js";
import { renderTelegram } from "../../channels/telegram/render.js";
import { renderZaloBot } from "../../channels/zalo-bot/render.js";
import { oaButtons, renderZaloOa } from "../../channels/zalo-oa/render.js";
import { stripMarkup } from "../../channels/plain-text.js";
import { fieldIssues, type FieldIssue } from "../../content/store.js";
import { TOPICS } from "../../core/topics.js";
import { CHANNEL_NAMES, type Reply } from "../../core/types.js";
import { AppError } from "../../errors.js";
import type { AnnouncementDoc } from "../../store/models/announcement.js";
import { VN_OFFSET_MS } from "../../vn-time.js";
import { announcementIdSchema, notFound, parse } from "../api.js";
import { audienceInScope, can, inScope } from "../auth.js";
import { Html, esc, html } from "../../reports/html.js";
import { askToConfirm, isConfirmed } from "./confirm.js";
import { attempt, type ConsoleContext, type StaffView } from "./index.js";
import { csrfField, issueText, many, page, str, vnTime, type View } from "./layout.js";

type Form = Record<string, unknown>;
type Input = z.output<typeof announcementInputSchema>;

const flashOf = (req: Request) => (typeof req.query.done === "string" ? req.query.done : undefined);

/** A datetime-local value ("2026-12-01T08:00") read as Viet Nam time. */
const vnLocal = (s: string) => new Date(`${s}:00+07:00`);
/** An instant as a datetime-local value in Viet Nam time. */
const toVnLocal = (d: Date) => new Date(d.getTime() + VN_OFFSET_MS).toISOString().slice(0, 16);

/** Turns URLs in already-escaped HTML into links, as Telegram and Zalo apps do. */
const linkify = (escaped: string) =>
  escaped.replace(
    /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g,
    (u) => `<a href="${u}" rel="noreferrer">${u}</a>`,
  );

/** The form field each validation path belongs to (its label key), for problems staff can find. */
const FIELD_OF: Record<string, string> = {
  title: "ann.titleField",
  body: "ann.body",
  "link.label": "ann.linkLabel",
  "link.url": "ann.linkUrl",
  link: "ann.linkUrl",
  "audience.units": "ann.units",
  "audience.topics": "ann.topics",
  "audience.channels": "ann.channels",
  "schedule.at": "ann.at",
  at: "ann.at",
  "schedule.cron": "ann.repeat",
  repeat: "ann.repeat",
  time: "ann.repeatTime",
};

/** An announcement's schedule in words: "Gửi lúc 05/12/2026 08:00", "Thứ Hai hằng tuần lúc 08:00". */
export function scheduleWords(
  v: View,
  s: { kind: string; at?: Date | string | undefined; cron?: string | undefined },
): string {
  if (s.kind === "now") return v.tr("ann.whenNow");
  if (s.kind === "at") return v.tr("ann.whenAt", { at: vnTime(s.at ? new Date(s.at) : null) });
  const r = cronToRepeat(s.cron ?? "");
  if (!r) return v.tr("ann.whenCron", { cron: s.cron ?? "" });
  if (r.every === "day") return v.tr("ann.everyDayAt", { time: r.time });
  if (r.every === "week")
    return v.tr("ann.everyWeekAt", { day: v.tr(`ann.weekdays.${r.weekday}`), time: r.time });
  return v.tr("ann.everyMonthAt", { day: r.monthday, time: r.time });
}

/** Registers the announcement pages on the console. */
export function registerAnnouncementPages(ctx: ConsoleContext): void {
  const { deps } = ctx;
  const now = () => (deps.now ?? (() => new Date()))();
  const allUnits = () => deps.content.bundle().units.map((u) => ({ id: u.id, name: u.name }));
  const unitsOf = (v: StaffView) => allUnits().filter((u) => inScope(v.actor, u.id));
  const unitName = (id: string) => allUnits().find((u) => u.id === id)?.name ?? id;
  const topicName = (v: StaffView, id: string) => deps.t(v.lang, `topics.${id}`);
  const channelName = (v: StaffView, c: string) => v.tr(`channels.${c}`);

  // === Reading the form

  /** Form values → the service's input, plus the console's own rules (a unit, a topic, a future time). */
  const readForm = (v: StaffView, body: Form): { input?: Input; problems: FieldIssue[] } => {
    const problems: FieldIssue[] = [];
    const when = str(body.when) || "at";
    const units = many(body.units);
    const topics = many(body.topics);
    // No unit ticked means "choose a unit", never "everyone".
    if (!units.length) problems.push({ path: "audience.units", message: v.tr("ann.pickUnit") });
    else if (!audienceInScope(v.actor, units))
      problems.push({ path: "audience.units", message: v.tr("ann.pickYourUnits") });
    if (!topics.length) problems.push({ path: "audience.topics", message: v.tr("ann.pickTopic") });
    let schedule: unknown = { kind: "now" };
    if (when === "at") {
      const at = vnLocal(str(body.at));
      if (!str(body.at) || Number.isNaN(at.getTime()))
        problems.push({ path: "at", message: v.tr("ann.pickTime") });
      else if (at.getTime() <= now().getTime())
        problems.push({ path: "at", message: v.tr("ann.timePassed") });
      else schedule = { kind: "at", at };
    } else if (when === "repeat") {
      const r = repeatSchema.safeParse({
        every: str(body.every),
        time: str(body.time),
        ...(str(body.every) === "week" ? { weekday: str(body.weekday) } : {}),
        ...(str(body.every) === "month" ? { monthday: str(body.monthday) } : {}),
      });
      if (!r.success) problems.push({ path: "repeat", message: v.tr("ann.pickRepeat") });
      else schedule = { kind: "cron", cron: repeatToCron(r.data) };
    }
    const raw: AnnouncementInput = {
      title: str(body.title),
      body: str(body.body),
      ...(str(body.linkUrl).trim() || str(body.linkLabel).trim()
        ? { link: { label: str(body.linkLabel).trim(), url: str(body.linkUrl).trim() } }
        : {}),
      audience: {
        units,
        topics: topics as Input["audience"]["topics"],
        channels: many(body.channels) as Input["audience"]["channels"],
      },
      urgent: body.urgent === "on",
      schedule: schedule as Input["schedule"],
      draft: body.draft === "on",
    };
    const r = announcementInputSchema.safeParse(raw);
    if (!r.success)
      for (const p of fieldIssues(r.error))
        if (!problems.some((q) => q.path === p.path) && !(p.path === "schedule" && when !== "now"))
          problems.push(p);
    return problems.length || !r.success ? { problems } : { input: r.data, problems };
  };

  /** The form values of a stored announcement (to edit it). */
  const valuesOf = (a: AnnouncementDoc): Form => {
    const repeat = a.schedule.kind === "cron" ? cronToRepeat(a.schedule.cron ?? "") : undefined;
    return {
      title: a.title,
      body: a.body,
      linkLabel: a.link?.label ?? "",
      linkUrl: a.link?.url ?? "",
      units: a.audience.units,
      topics: a.audience.topics,
      channels: a.audience.channels,
      urgent: a.urgent ? "on" : "",
      draft: a.status === "draft" ? "on" : "",
      when: a.schedule.kind === "cron" ? "repeat" : a.schedule.kind,
      at: a.schedule.at ? toVnLocal(a.schedule.at) : "",
      ...(repeat ? repeatValues(repeat) : {}),
    };
  };
  const repeatValues = (r: Repeat): Form => ({
    every: r.every,
    time: r.time,
    weekday: r.every === "week" ? String(r.weekday) : "1",
    monthday: r.every === "month" ? String(r.monthday) : "1",
  });

  /** A new announcement's defaults: the staff member's units, general topic, tomorrow 08:00. */
  const defaults = (v: StaffView): Form => {
    const mine = unitsOf(v);
    const tomorrow = new Date(now().getTime() + VN_OFFSET_MS + 24 * 3600_000).toISOString().slice(0, 10);
    return {
      units: v.actor.units.length === 1 ? v.actor.units : mine.length === 1 ? [mine[0]!.id] : [],
      topics: ["thong-bao-chung"],
      when: "at",
      at: `${tomorrow}T08:00`,
      every: "week",
      weekday: "1",
      monthday: "1",
      time: "08:00",
    };
  };

  // === Words for what staff chose

  const whenText = scheduleWords;

  const audienceRows = (
    v: StaffView,
    a: { audience: Input["audience"] | AnnouncementDoc["audience"]; urgent: boolean },
  ) => {
    const channels = a.audience.channels.length ? a.audience.channels : [...CHANNEL_NAMES];
    return html`<dl class="facts">
      <dt>${v.tr("ann.units")}</dt>
      <dd>${a.audience.units.map(unitName).join(", ") || v.tr("ann.allUnits")}</dd>
      <dt>${v.tr("ann.topics")}</dt>
      <dd>
        ${a.audience.topics.map((x) => topicName(v, x)).join(", ")}
        ${a.urgent ? html`<br /><span class="badge warn">${v.tr("ann.urgentReach")}</span>` : ""}
      </dd>
      <dt>${v.tr("ann.channels")}</dt>
      <dd>${channels.map((c) => channelName(v, c)).join(", ")}</dd>
    </dl>`;
  };

  /** The message as each chosen channel shows it, from the channels' own renderers. */
  const channelPreviews = (v: StaffView, reply: Reply, chosen: string[]) => {
    const channels = chosen.length ? chosen : [...CHANNEL_NAMES];
    const button = (label: string, url?: string) =>
      url
        ? html`<a class="badge" href="${url}" rel="noreferrer">${label} ↗</a> `
        : html`<span class="badge">${label}</span> `;
    const plain = (text: string) => new Html(linkify(esc(text)));
    return channels.map((c) => {
      if (c === "telegram") {
        const msgs = renderTelegram(reply);
        return html`<h3>${channelName(v, c)}</h3>
          ${msgs.map(
            (m) =>
              html`<div class="preview">${new Html(linkify(m.text))}</div>
                <p>
                  ${(m.reply_markup?.inline_keyboard ?? []).flat().map((b) => button(b.text, "url" in b ? b.url : undefined))}
                </p>`,
          )}`;
      }
      if (c === "zalo-oa") {
        const msgs = renderZaloOa([reply]);
        return html`<h3>
            ${channelName(v, c)} <span class="hint">${v.tr("ann.zaloParts", { n: msgs.length })}</span>
          </h3>
          ${msgs.map(
            (m) =>
              html`<div class="preview">${plain(m.message.text ?? "")}</div>
                <p>
                  ${oaButtons(m.message).map((b) => button(b.title, b.type === "oa.open.url" ? b.payload.url : undefined))}
                </p>`,
          )}`;
      }
      const msgs = renderZaloBot([reply], deps.t("vi", "zalo.chooseByNumber"));
      return html`<h3>
          ${channelName(v, c)} <span class="hint">${v.tr("ann.zaloParts", { n: msgs.length })}</span>
        </h3>
        ${msgs.map((m) => html`<div class="preview">${plain(stripMarkup(m.text))}</div>`)}`;
    });
  };

  const problemsBox = (v: StaffView, problems: FieldIssue[]) =>
    problems.length
      ? html`<div class="errors" role="alert">
          <strong>${v.tr("ann.fix")}</strong>
          <ul>
            ${problems.map((p) => {
              const label = FIELD_OF[p.path] ?? FIELD_OF[p.path.split(".").slice(0, 2).join(".")];
              const text = p.code ? issueText(v, p) : p.message;
              return html`<li>${label ? html`<strong>${v.tr(label)}</strong>: ` : ""}${text}</li>`;
            })}
          </ul>
        </div>`
      : "";

  // === Pages

  const composePage = (v: StaffView, body: Form, problems: FieldIssue[], id?: string) => {
    const val = (k: string) => str(body[k]);
    const units = new Set(many(body.units));
    const topics = new Set(many(body.topics));
    const channels = new Set(many(body.channels));
    const when = val("when") || "at";
    const every = val("every") || "week";
    const action = id ? `/admin/announcements/${id}/check` : "/admin/announcements/check";
    const radio = (name: string, value: string, checked: boolean, label: string) =>
      html`<label class="choice"
        ><input type="radio" name="${name}" value="${value}" ${checked ? "checked" : ""} /> ${label}</label
      >`;
    const box = (name: string, value: string, checked: boolean, label: string) =>
      html`<label class="choice"
        ><input type="checkbox" name="${name}" value="${value}" ${checked ? "checked" : ""} /> ${label}</label
      >`;
    return page(
      v,
      id ? v.tr("ann.editTitle") : v.tr("ann.compose"),
      html`${problemsBox(v, problems)}
        <form class="card" method="post" action="${action}">
          ${csrfField(v)}
          <label for="a-title">${v.tr("ann.titleField")}</label>
          <input id="a-title" name="title" type="text" maxlength="200" required value="${val("title")}" />
          <label for="a-body">${v.tr("ann.body")} <span class="hint">${v.tr("ann.bodyHint")}</span></label>
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
            <legend>${v.tr("ann.units")} <span class="hint">${v.tr("ann.unitsHint")}</span></legend>
            ${unitsOf(v).map((u) => box("units", u.id, units.has(u.id), u.name))}
          </fieldset>
          <fieldset>
            <legend>${v.tr("ann.topics")} <span class="hint">${v.tr("ann.topicsHint")}</span></legend>
            ${TOPICS.map((x) => box("topics", x, topics.has(x), topicName(v, x)))}
          </fieldset>
          <fieldset>
            <legend>${v.tr("ann.channels")} <span class="hint">${v.tr("ann.channelsAll")}</span></legend>
            ${CHANNEL_NAMES.map((c) => box("channels", c, channels.has(c), channelName(v, c)))}
          </fieldset>
          <fieldset>
            <legend>${v.tr("ann.when")}</legend>
            ${radio("when", "at", when === "at", v.tr("ann.whenKinds.at"))}
            <div class="indent">
              <label for="a-at">${v.tr("ann.at")}</label
              ><input id="a-at" name="at" type="datetime-local" value="${val("at")}" />
            </div>
            ${radio("when", "repeat", when === "repeat", v.tr("ann.whenKinds.repeat"))}
            <div class="indent row">
              <div>
                <label for="a-every">${v.tr("ann.repeat")}</label>
                <select id="a-every" name="every">
                  ${(["day", "week", "month"] as const).map((e) => html`<option value="${e}" ${every === e ? "selected" : ""}>${v.tr(`ann.every.${e}`)}</option>`)}
                </select>
              </div>
              <div>
                <label for="a-wd">${v.tr("ann.weekday")}</label>
                <select id="a-wd" name="weekday">
                  ${[1, 2, 3, 4, 5, 6, 0].map((d) => html`<option value="${d}" ${val("weekday") === String(d) ? "selected" : ""}>${v.tr(`ann.weekdays.${d}`)}</option>`)}
                </select>
              </div>
              <div>
                <label for="a-md">${v.tr("ann.monthday")}</label>
                <select id="a-md" name="monthday">
                  ${Array.from({ length: 28 }, (_, i) => i + 1).map((d) => html`<option value="${d}" ${val("monthday") === String(d) ? "selected" : ""}>${d}</option>`)}
                </select>
              </div>
              <div>
                <label for="a-time">${v.tr("ann.repeatTime")}</label
                ><input id="a-time" name="time" type="time" value="${val("time") || "08:00"}" />
              </div>
            </div>
            ${radio("when", "now", when === "now", v.tr("ann.whenKinds.now"))}
          </fieldset>
          ${box("urgent", "on", body.urgent === "on", v.tr("ann.urgent"))}
          ${box("draft", "on", body.draft === "on", v.tr("ann.draft"))}
          <p class="row actions">
            <button type="submit">${v.tr("ann.toCheck")}</button>
            <a class="button secondary" href="${id ? `/admin/announcements/${id}` : "/admin/announcements"}"
              >${v.tr("ann.back")}</a
            >
          </p>
        </form>`,
    );
  };

  /** The check page: everything that will happen, then one button that does it. */
  const checkPage = async (v: StaffView, body: Form, input: Input, id?: string) => {
    const recipients = await deps.broadcast.estimate(
      { units: input.audience.units, topics: input.audience.topics, channels: input.audience.channels },
      input.urgent,
    );
    const reply = deps.broadcast.preview(input, "vi");
    const hidden = Object.entries(body).flatMap(([k, val]) =>
      k === "_csrf" || k === "checked"
        ? []
        : (Array.isArray(val) ? val : [val])
            .filter((x): x is string => typeof x === "string")
            .map((x) => html`<input type="hidden" name="${k}" value="${x}" />`),
    );
    const go = input.draft
      ? v.tr("ann.saveDraft")
      : input.schedule.kind === "now"
        ? v.tr("ann.sendNowTo", { n: recipients })
        : v.tr("ann.scheduleFor", { n: recipients });
    return page(
      v,
      v.tr("ann.checkTitle"),
      html`<div class="grid">
        <section class="card">
          <h2>${input.title}</h2>
          ${audienceRows(v, input)}
          <dl class="facts">
            <dt>${v.tr("ann.recipients")}</dt>
            <dd><strong class="stat">${recipients}</strong> ${v.tr("ann.recipientsUnit")}</dd>
            <dt>${v.tr("ann.when")}</dt>
            <dd>${input.draft ? v.tr("ann.asDraft") : whenText(v, input.schedule)}</dd>
          </dl>
          ${recipients === 0 ? html`<p class="errors">${v.tr("ann.nobody")}</p>` : ""}
          <form method="post" action="${id ? `/admin/announcements/${id}` : "/admin/announcements"}">
            ${csrfField(v)} ${hidden}
            <input type="hidden" name="checked" value="yes" />
            <p>
              <button type="submit" class="${input.schedule.kind === "now" ? "danger" : ""}">${go}</button>
            </p>
          </form>
          <form method="post" action="${id ? `/admin/announcements/${id}/edit` : "/admin/announcements/new"}">
            ${csrfField(v)} ${hidden}
            <p><button type="submit" class="secondary">${v.tr("ann.change")}</button></p>
          </form>
        </section>
        <section class="card">
          <h2>${v.tr("ann.previewTitle")}</h2>
          ${channelPreviews(v, reply, input.audience.channels)}
        </section>
      </div>`,
    );
  };

  const listPage = async (v: StaffView, flash?: string) => {
    const list = await deps.broadcast.list({ units: v.actor.units });
    return page(
      v,
      v.tr("ann.title"),
      html`${
          can(v.actor, "announcements.send")
            ? html`<p><a class="button" href="/admin/announcements/new">${v.tr("ann.new")}</a></p>`
            : ""
        }
        <h2>${v.tr("ann.list")}</h2>
        <table class="stack">
          <thead>
            <tr>
              <th>${v.tr("ann.titleField")}</th>
              <th>${v.tr("ann.status")}</th>
              <th>${v.tr("ann.units")}</th>
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
                  <td>${a.audience.units.map(unitName).join(", ") || v.tr("ann.allUnits")}</td>
                  <td>${vnTime(a.nextRunAt ?? null) || "—"}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${list.length ? "" : html`<p class="muted">${v.tr("ann.empty")}</p>`}`,
      { flash },
    );
  };

  /** An announcement the actor may see (and, with `write`, change): in their units. */
  const announcementOf = async (v: StaffView, raw: unknown, write = false) => {
    const id = parse(announcementIdSchema, raw);
    const a = await deps.broadcast.get(id);
    if (!a) throw notFound("announcement");
    const units = a.audience.units;
    const visible = !v.actor.units.length || !units.length || units.some((u) => v.actor.units.includes(u));
    if (!visible || (write && !audienceInScope(v.actor, units)))
      throw new AppError("OUT_OF_SCOPE", 403, "console:ann.notYours");
    return { id, a };
  };

  // === Routes

  ctx.route("get", "/announcements", "announcements.view", async (req, res, v) => {
    res.type("html").send(await listPage(v, flashOf(req)));
  });
  /** The form's input, or undefined after showing the form again (400) with its problems beside the fields. */
  const readOrReshow = (v: StaffView, body: Form, res: Response, id?: string): Input | undefined => {
    const r = readForm(v, body);
    if (!r.input)
      res
        .status(400)
        .type("html")
        .send(composePage(v, body, r.problems, id));
    return r.input;
  };
  ctx.route("get", "/announcements/new", "announcements.send", (_req, res, v) => {
    res.type("html").send(composePage(v, defaults(v), []));
  });
  // "Change" on the check page comes back here with everything typed so far.
  ctx.route("post", "/announcements/new", "announcements.send", (req, res, v) => {
    res.type("html").send(composePage(v, req.body as Form, []));
  });
  ctx.route("post", "/announcements/check", "announcements.send", async (req, res, v) => {
    const body = req.body as Form;
    const input = readOrReshow(v, body, res);
    if (!input) return;
    res.type("html").send(await checkPage(v, body, input));
  });
  ctx.route("post", "/announcements", "announcements.send", async (req, res, v) => {
    const body = req.body as Form;
    const input = readOrReshow(v, body, res);
    if (!input) return;
    // Nothing is sent without the check page first.
    if (body.checked !== "yes") {
      res.type("html").send(await checkPage(v, body, input));
      return;
    }
    const made = await attempt(() => deps.actions.run(v.actor, "announcement.create", input));
    if (!made.ok) {
      res
        .status(made.status)
        .type("html")
        .send(composePage(v, body, made.problems));
      return;
    }
    ctx.done(res, `/admin/announcements/${String(made.value._id)}`, "annCreated");
  });

  ctx.route("get", "/announcements/:id", "announcements.view", async (req, res, v) => {
    const { id, a } = await announcementOf(v, req.params.id);
    const r = await deps.broadcast.report(id);
    const canSend = can(v.actor, "announcements.send") && audienceInScope(v.actor, a.audience.units);
    const editable = canSend && isEditable(a);
    const actions =
      (
        {
          scheduled: editable ? ["sendNow", "pause", "cancel"] : ["pause", "cancel"],
          sending: ["pause", "cancel"],
          paused: ["resume", "cancel"],
          draft: ["resume", "cancel"],
        } as Record<string, string[]>
      )[a.status] ?? [];
    const reply = deps.broadcast.preview(
      { ...a, audience: a.audience as Input["audience"], draft: false } as unknown as Input,
      "vi",
    );
    res.type("html").send(
      page(
        v,
        a.title,
        html`<div class="grid">
            <section class="card">
              <dl class="facts">
                <dt>${v.tr("ann.status")}</dt>
                <dd><strong>${v.tr(`ann.statuses.${a.status}`)}</strong></dd>
                <dt>${v.tr("ann.when")}</dt>
                <dd>${whenText(v, a.schedule)}</dd>
                ${
                  a.nextRunAt && ["scheduled", "paused", "draft"].includes(a.status)
                    ? html`<dt>${v.tr("ann.next")}</dt>
                        <dd>${vnTime(a.nextRunAt)}</dd>`
                    : ""
                }
                <dt>${v.tr("ann.recipients")}</dt>
                <dd>${r?.audience ?? 0} ${v.tr("ann.recipientsUnit")}</dd>
              </dl>
              ${audienceRows(v, a)}
              ${
                editable
                  ? html`<p>
                      <a class="button" href="/admin/announcements/${id}/edit">${v.tr("ann.edit")}</a>
                    </p>`
                  : ""
              }
              ${
                canSend && actions.length
                  ? html`<div class="row actions">
                      ${actions.map((act) => html`<form method="post" action="/admin/announcements/${id}/${act === "sendNow" ? "send-now" : act}">${csrfField(v)}<button type="submit" class="${act === "cancel" || act === "sendNow" ? "danger" : "secondary"}">${v.tr(`ann.actions.${act}`)}</button></form>`)}
                    </div>`
                  : ""
              }
            </section>
            <section class="card">
              <h2>${v.tr("ann.previewTitle")}</h2>
              ${channelPreviews(v, reply, a.audience.channels)}
            </section>
          </div>
          ${
            r && r.run
              ? html`<section class="card">
                  <h2>${v.tr("ann.progress")}</h2>
                  <p>
                    ${v.tr("ann.rate", { n: r.ratePerSec.toFixed(1) })}${
                      r.etaSec !== undefined
                        ? html` · ${v.tr("ann.eta", { n: Math.ceil(r.etaSec / 60) })}`
                        : ""
                    }
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
                            <td>${channelName(v, c)}</td>
                            ${Object.keys(r.counts).map((s) => html`<td class="num">${(counts as Record<string, number>)[s] ?? 0}</td>`)}
                          </tr>`,
                      )}
                      <tr>
                        <th>${v.tr("ann.total")}</th>
                        ${Object.values(r.counts).map((n) => html`<th class="num">${n}</th>`)}
                      </tr>
                    </tbody>
                  </table>
                  ${
                    Object.keys(r.routes).length
                      ? html`<h3>${v.tr("ann.routes.title")}</h3>
                          <table>
                            <tbody>
                              ${Object.entries(r.routes).map(
                                ([route, n]) =>
                                  html`<tr>
                                    <td>${v.tr(`ann.routes.${route}`)}</td>
                                    <td class="num">${n}</td>
                                  </tr>`,
                              )}
                            </tbody>
                          </table>
                          <p>
                            ${v.tr("ann.routes.cost", { n: r.estimatedCostVnd.toLocaleString("vi-VN") })}
                          </p>`
                      : ""
                  }
                </section>`
              : ""
          }
          <p><a href="/admin/announcements">${v.tr("ann.back")}</a></p>`,
        { flash: flashOf(req), refreshSec: a.status === "sending" ? 5 : undefined },
      ),
    );
  });

  const editableOf = async (v: StaffView, raw: unknown) => {
    const found = await announcementOf(v, raw, true);
    if (!isEditable(found.a)) throw new AppError("BAD_TRANSITION", 409, "console:ann.started");
    return found;
  };
  ctx.route("get", "/announcements/:id/edit", "announcements.send", async (req, res, v) => {
    const { id, a } = await editableOf(v, req.params.id);
    res.type("html").send(composePage(v, valuesOf(a), [], id));
  });
  ctx.route("post", "/announcements/:id/edit", "announcements.send", async (req, res, v) => {
    const { id } = await editableOf(v, req.params.id);
    res.type("html").send(composePage(v, req.body as Form, [], id));
  });
  ctx.route("post", "/announcements/:id/check", "announcements.send", async (req, res, v) => {
    const { id } = await editableOf(v, req.params.id);
    const body = req.body as Form;
    const input = readOrReshow(v, body, res, id);
    if (!input) return;
    res.type("html").send(await checkPage(v, body, input, id));
  });
  ctx.route("post", "/announcements/:id", "announcements.send", async (req, res, v) => {
    const { id } = await editableOf(v, req.params.id);
    const body = req.body as Form;
    const input = readOrReshow(v, body, res, id);
    if (!input) return;
    if (body.checked !== "yes") {
      res.type("html").send(await checkPage(v, body, input, id));
      return;
    }
    const changed = await attempt(() =>
      deps.actions.run(v.actor, "announcement.update", { id, announcement: input }),
    );
    if (!changed.ok) {
      if (changed.problems.some((p) => p.code === "BAD_TRANSITION"))
        throw new AppError("BAD_TRANSITION", 409, "console:ann.started");
      res
        .status(changed.status)
        .type("html")
        .send(composePage(v, body, changed.problems, id));
      return;
    }
    ctx.done(res, `/admin/announcements/${id}`, "annUpdated");
  });

  const confirmKeys: Record<string, string> = {
    cancel: "ann.confirmCancel",
    "send-now": "ann.confirmSendNow",
  };
  for (const action of ["pause", "resume", "cancel", "send-now"] as const) {
    ctx.route("post", `/announcements/:id/${action}`, "announcements.send", async (req, res, v) => {
      const { id, a } = await announcementOf(v, req.params.id, true);
      const key = confirmKeys[action];
      if (key && !isConfirmed(req.body)) {
        const n = await deps.broadcast.estimate(a.audience, a.urgent);
        askToConfirm(res, v, {
          title: a.title,
          question: v.tr(key, { n, title: a.title }),
          action: `/admin/announcements/${id}/${action}`,
          confirm: v.tr(`ann.actions.${action === "send-now" ? "sendNow" : action}`),
          back: `/admin/announcements/${id}`,
        });
        return;
      }
      const name = action === "send-now" ? "sendNow" : action;
      const done = await attempt(() => deps.actions.run(v.actor, `announcement.${name}`, { id }));
      if (!done.ok) throw new AppError("BAD_TRANSITION", 409, "console:ann.cannot");
      ctx.done(res, `/admin/announcements/${id}`, `ann${name[0]!.toUpperCase()}${name.slice(1)}`);
    });
  }
}
