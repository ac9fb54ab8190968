/** The console's page shell: navigation by permission, language switch, flash and error boxes. */
import type { Lang } from "../../core/types.js";
import type { Translator } from "../../i18n.js";
import { can, type Actor, type Permission } from "../auth.js";
import type { FieldIssue } from "../../content/store.js";
import { html, type Html } from "../../reports/html.js";
import { VN_OFFSET_MS } from "../../vn-time.js";

/** What a console page knows about its request. */
export interface View {
  actor: Actor | undefined;
  lang: Lang;
  /** Translates a key of the `console` namespace. */
  tr(key: string, vars?: Record<string, unknown>): string;
  csrf: string;
  path: string;
  /** Counts shown beside navigation links (new tickets, waiting chats), by link. */
  badges?: Record<string, number>;
}

export function makeView(t: Translator, lang: Lang, actor: Actor | undefined, path: string): View {
  return {
    actor,
    lang,
    tr: (key, vars) => t(lang, `console:${key}`, vars),
    csrf: actor?.csrf ?? "",
    path,
  };
}

const NAV: Array<[string, string, Permission]> = [
  ["/admin", "nav.dashboard", "dashboard.view"],
  ["/admin/content", "nav.content", "content.view"],
  ["/admin/verification", "nav.verification", "content.view"],
  ["/admin/announcements", "nav.announcements", "announcements.view"],
  ["/admin/tickets", "nav.tickets", "tickets.view"],
  ["/admin/handoffs", "nav.handoffs", "handoffs.view"],
  ["/admin/reports", "nav.reports", "reports.view"],
  ["/admin/staff", "nav.staff", "staff.manage"],
  ["/admin/audit", "nav.audit", "audit.view"],
];

/** The hidden CSRF field every form carries. */
export const csrfField = (v: View) => html`<input type="hidden" name="_csrf" value="${v.csrf}" />`;

/** The validators' own explanations that staff meet in forms, by their (English) message. */
const RULES: Record<string, string> = {
  "a five-field cron expression": "cron",
  "3–32 characters: a–z 0–9 . _ -": "username",
  "a common password": "commonPassword",
  "contains the username": "passwordUsername",
  "an http:// or https:// address": "httpUrl",
};

/** Problems the staff actions report by code, as console keys. */
const CODES: Record<string, string> = {
  reason_required: "form.rules.reason",
  units_out_of_scope: "form.rules.ownUnits",
  unit_out_of_scope: "form.rules.ownUnit",
  role_out_of_scope: "form.rules.ownRole",
  taken: "staff.taken",
  wrong_password: "password.wrong",
  same_password: "form.rules.samePassword",
  SELF_CHANGE: "staff.selfLockout",
  BAD_TRANSITION: "form.issues.badTransition",
  NO_CONSENT: "form.issues.noConsent",
  NOT_SENT: "flash.handoffNotSent",
  not_handler: "tickets.notHandler",
};

/**
 * A validation problem in the staff member's language: the common cases (empty, too long, not one of
 * the choices) are translated; a rule's own explanation (e.g. the cron format) is shown as written.
 */
export function issueText(v: View, p: FieldIssue): string {
  const coded = p.code ? CODES[p.code] : undefined;
  if (coded) return v.tr(coded);
  if (p.code === "too_small") {
    if (p.minimum === 1 || p.minimum === undefined) return v.tr("form.issues.empty");
    return v.tr(p.origin === "array" ? "form.issues.tooFewItems" : "form.issues.tooShort", { n: p.minimum });
  }
  if (p.code === "too_big" && p.maximum !== undefined)
    return v.tr(p.origin === "array" ? "form.issues.tooManyItems" : "form.issues.tooLong", { n: p.maximum });
  if (p.code === "invalid_value") return v.tr("form.issues.choice");
  if (p.code === "invalid_format" && p.format === "url") return v.tr("form.issues.url");
  const rule = RULES[p.message];
  if (rule) return v.tr(`form.rules.${rule}`);
  if (p.code === "invalid_type") return v.tr("form.issues.missing");
  return p.message;
}

/**
 * The problem of one field, shown right after it (and announced), e.g.
 * `<textarea id="r-text" …></textarea>${fieldProblem(v, problems, "text")}`.
 */
export function fieldProblem(v: View, problems: FieldIssue[], path: string): Html | "" {
  const mine = problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`));
  if (!mine.length) return "";
  return html`<p class="field-error" role="alert">${mine.map((p) => issueText(v, p)).join("; ")}</p>`;
}

/** Previous / "page n of m" / next links under a paged list; nothing when it has one page. */
export function pager(v: View, pageNo: number, pages: number, link: (page: number) => string): Html | "" {
  if (pages <= 1) return "";
  return html`<nav class="row pager" aria-label="${v.tr("tickets.pages")}">
    ${pageNo > 1 ? html`<a href="${link(pageNo - 1)}">${v.tr("tickets.prev")}</a>` : ""}
    <span>${v.tr("tickets.pageOf", { page: pageNo, pages })}</span>
    ${pageNo < pages ? html`<a href="${link(pageNo + 1)}">${v.tr("tickets.next")}</a>` : ""}
  </nav>`;
}

/** A list of validation problems. */
export function errorBox(v: View, problems: FieldIssue[]): Html | "" {
  if (!problems.length) return "";
  return html`<div class="errors" role="alert">
    <strong>${v.tr("form.invalid")}</strong>
    <ul>
      ${problems.map((p) => html`<li>${p.path ? html`<code>${p.path}</code>: ` : ""}${issueText(v, p)}</li>`)}
    </ul>
  </div>`;
}

/** A whole page. `flash` is a key under `flash.` shown once after a redirect. */
export function page(
  v: View,
  title: string,
  body: Html,
  opts: { flash?: string | undefined; scripts?: string[]; refreshSec?: number } = {},
): string {
  const here = (href: string) =>
    href === "/admin" ? v.path === "/" || v.path === "" : v.path.startsWith(href.slice("/admin".length));
  const actor = v.actor;
  const other: Lang = v.lang === "vi" ? "en" : "vi";
  const flashKey = opts.flash && /^[a-zA-Z]{1,40}$/.test(opts.flash) ? `flash.${opts.flash}` : undefined;
  const flash = flashKey && v.tr(flashKey) !== flashKey ? v.tr(flashKey) : "";
  return html`<!doctype html>
    <html lang="${v.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${v.tr("app")}</title>
        <link rel="stylesheet" href="/admin/assets/console.css" />
        ${opts.refreshSec ? html`<meta http-equiv="refresh" content="${opts.refreshSec}" />` : ""}
      </head>
      <body>
        <a class="skip" href="#main">${v.tr("skip")}</a>
        <header class="top">
          <a class="brand" href="/admin">${v.tr("app")}</a>
          ${
            actor
              ? html`<nav aria-label="${v.tr("nav.label")}">
                  <ul>
                    ${NAV.filter(([, , p]) => can(actor, p)).map(([href, key]) => {
                      const n = v.badges?.[href] ?? 0;
                      return html`<li>
                        <a href="${href}" ${here(href) ? html`aria-current="page"` : ""}
                          >${v.tr(key)}${
                            n
                              ? html` <span class="count" title="${v.tr(`badges.${key}`, { n })}"
                                  >${n}<span class="sr"> ${v.tr(`badges.${key}`, { n })}</span></span
                                >`
                              : ""
                          }</a
                        >
                      </li>`;
                    })}
                  </ul>
                </nav>`
              : ""
          }
          <div class="me">
            <a
              href="/admin/lang/${other}?back=${encodeURIComponent(`/admin${v.path === "/" ? "" : v.path}`)}"
              lang="${other}"
              >${v.tr(`lang.${other}`)}</a
            >
            ${
              actor
                ? html`<span>${actor.displayName} · ${v.tr(`roles.${actor.role}`)}</span>
                    <a href="/admin/password">${v.tr("nav.password")}</a>
                    <form method="post" action="/admin/logout">
                      ${csrfField(v)}<button class="secondary" type="submit">${v.tr("logout")}</button>
                    </form>`
                : ""
            }
          </div>
        </header>
        <main id="main">
          <h1>${title}</h1>
          ${flash ? html`<div class="flash" role="status">${flash}</div>` : ""} ${body}
        </main>
        ${(opts.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
      </body>
    </html>`.value;
}

/** Renders a bot message (our `**bold**` markup) as HTML, escaped. */
export function botText(text: string): Html {
  const parts = text.split(/\*\*(.+?)\*\*/gs);
  return html`<div class="preview">${parts.map((p, i) => (i % 2 ? html`<b>${p}</b>` : p))}</div>`;
}

/** Formats an instant in Viet Nam time, e.g. "24/11/2026 09:30". */
export function vnTime(at: Date | null | undefined): string {
  if (!at) return "";
  const d = new Date(at.getTime() + VN_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** A form or query value as text ("" when missing or not text). */
export const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** A repeated form field (checkboxes) as a list. */
export const many = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === "string")
    : typeof v === "string" && v
      ? [v]
      : [];
