/**
 * The audit log as staff read it: who (name and role), when, what (the action in words and the
 * object by name), and each changed field as before → after; filters by person, action and date;
 * failed sign-ins included. Wraps inside the page at 1366 px: no raw JSON, no sideways scrolling.
 */
import { z } from "zod";
import { CHANNEL_NAMES } from "../../core/types.js";
import { STAFF_ROLES } from "../../store/models/staff.js";
import type { AuditDoc } from "../../store/models/staff.js";
import { vnDayRange } from "../../vn-time.js";
import { parse } from "../api.js";
import { html } from "../../reports/html.js";
import { scheduleWords } from "./announcements.js";
import type { ConsoleContext } from "./index.js";
import { page, pager, vnTime } from "./layout.js";

const PAGE_SIZE = 50;

/** The actions the filter offers, grouped; each has a label under `audit.actions`. */
const ACTIONS = [
  "content.*",
  "content.update",
  "faq.publish",
  "announcement.*",
  "announcement.create",
  "announcement.update",
  "announcement.sendNow",
  "announcement.pause",
  "announcement.resume",
  "announcement.cancel",
  "ticket.*",
  "ticket.reply",
  "ticket.status",
  "ticket.assign",
  "handoff.*",
  "handoff.claim",
  "handoff.reply",
  "handoff.close",
  "staff.*",
  "staff.login",
  "staff.login.failed",
  "staff.create",
  "staff.update",
  "staff.password",
  "citizen.*",
  "citizen.export",
  "citizen.erase",
  "unit.target",
] as const;

/** Field labels (console keys) for the paths that appear in audit entries. */
const FIELD_LABELS: Record<string, string> = {
  title: "ann.titleField",
  body: "ann.body",
  link: "ann.linkUrl",
  "audience.units": "ann.units",
  "audience.topics": "ann.topics",
  "audience.channels": "ann.channels",
  urgent: "ann.urgentBadge",
  schedule: "ann.when",
  status: "tickets.status",
  assignee: "tickets.assignee",
  reply: "tickets.replies",
  reason: "tickets.reason",
  role: "staff.role",
  units: "staff.units",
  active: "staff.active",
  displayName: "staff.displayName",
  username: "staff.username",
  question: "tickets.faqQuestion",
  answer: "tickets.faqAnswer",
  outreachTarget: "dashboard.setTarget",
  draft: "ann.draft",
  passwordChanged: "staff.newPassword",
};
/** Bookkeeping fields that say nothing to a reader. */
const SKIP =
  /^(_id|__v|createdAt|updatedAt|passwordHash|failedLogins|lockedUntil|lastLoginAt|mustChangePassword)$/;

/** Flattens an entry's object into `path → value` (arrays kept whole), e.g. `audience.units → [..]`. */
function flat(
  value: unknown,
  prefix = "",
  out = new Map<string, unknown>(),
  depth = 0,
): Map<string, unknown> {
  // A schedule reads as one phrase ("Thứ Hai hằng tuần lúc 08:00"), not as its parts.
  if (value && typeof value === "object" && !Array.isArray(value) && depth < 3 && prefix !== "schedule") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (SKIP.test(k)) continue;
      flat(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
    }
  } else if (prefix) out.set(prefix, value);
  return out;
}

/** Registers the audit page. */
export function registerAuditPage(ctx: ConsoleContext): void {
  const { deps } = ctx;
  const units = () => deps.content.bundle().units;
  const unitName = (id: string) => units().find((u) => u.id === id)?.name ?? id;

  const filter = z
    .object({
      actor: z.string().max(64).optional(),
      action: z.enum(ACTIONS).or(z.literal("")).optional(),
      from: z.iso.date().or(z.literal("")).optional(),
      to: z.iso.date().or(z.literal("")).optional(),
      page: z.coerce.number().int().min(1).max(10_000).optional(),
    })
    .strict();

  ctx.route("get", "/audit", "audit.view", async (req, res, v) => {
    const q = parse(filter, req.query);
    const pageNo = q.page ?? 1;
    const range = q.from || q.to ? vnDayRange(q.from || "2000-01-01", q.to || "2999-12-31") : undefined;
    const [{ items, total }, actors, staff] = await Promise.all([
      deps.audit.search({
        actor: q.actor || undefined,
        action: q.action || undefined,
        from: range?.start,
        to: range?.end,
        skip: (pageNo - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
      }),
      deps.audit.actors(),
      deps.staff.list(),
    ]);
    const names = new Map(staff.map((s) => [s.username, s.displayName]));
    const person = (username: string) =>
      username === "api" ? v.tr("audit.api") : (names.get(username) ?? username);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const actionText = (action: string) => {
      const key = `audit.actions.${action.replace(/\./g, "_")}`;
      const t = v.tr(key);
      return t === key
        ? v.tr("audit.otherAction", { group: v.tr(`audit.groups.${action.split(".")[0]}`) })
        : t;
    };
    const targetText = (target: string) => {
      const [kind, ...rest] = target.split("/");
      const id = rest.join("/");
      const key = `audit.targets.${kind}`;
      const label = v.tr(key);
      if (kind === "staff") return `${label} ${person(id)}`;
      // Announcements are named by their title in the entry itself (see `changes`); ids mean nothing.
      if (kind === "announcements" || kind === "handoffs" || kind === "citizens") return label;
      if (kind === "units") return `${label} ${unitName(id)}`;
      return label === key ? target : `${label} ${id}`;
    };
    const show = (path: string, value: unknown): string => {
      if (value === undefined || value === null || value === "") return "—";
      if (path === "schedule" && typeof value === "object")
        return scheduleWords(v, value as { kind: string; at?: string; cron?: string });
      if (path.endsWith("channels") && Array.isArray(value) && !value.length)
        return CHANNEL_NAMES.map((c) => v.tr(`channels.${c}`)).join(", ");
      if (Array.isArray(value)) {
        if (path.endsWith("units"))
          return value.map((u) => unitName(String(u))).join(", ") || v.tr("staff.allUnits");
        if (path.endsWith("topics"))
          return value.map((x) => deps.t(v.lang, `topics.${String(x)}`)).join(", ");
        if (path.endsWith("channels")) return value.map((c) => v.tr(`channels.${String(c)}`)).join(", ");
        return value.map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x))).join(", ");
      }
      if (typeof value === "boolean") return v.tr(value ? "audit.yes" : "audit.no");
      const text =
        typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value);
      if (path === "role" && (STAFF_ROLES as readonly string[]).includes(text)) return v.tr(`roles.${text}`);
      if (path === "status") {
        for (const ns of ["tickets.statuses", "ann.statuses"]) {
          const t = v.tr(`${ns}.${text}`);
          if (t !== `${ns}.${text}`) return t;
        }
      }
      if (path === "assignee") return person(text);
      if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) return vnTime(new Date(value));
      return text.length > 300 ? `${text.slice(0, 300)}…` : text;
    };
    const changes = (r: AuditDoc) => {
      const before = flat(r.before);
      const after = flat(r.after);
      const paths = [...new Set([...before.keys(), ...after.keys()])].filter(
        (p) => JSON.stringify(before.get(p)) !== JSON.stringify(after.get(p)),
      );
      if (!paths.length) return "";
      const label = (p: string) => {
        const key = FIELD_LABELS[p] ?? FIELD_LABELS[p.split(".").slice(0, 2).join(".")];
        if (key) return v.tr(key);
        // Content items: the procedure form's own field names (other kinds share most of them).
        const field = `procedure.${p.replace(/^data\./, "").split(".")[0]!}`;
        const t = v.tr(field);
        return t === field ? v.tr("audit.otherField", { field: p }) : t;
      };
      return html`<ul class="changes">
        ${paths
          .slice(0, 12)
          .map(
            (p) =>
              html`<li>
                <strong>${label(p)}</strong>:
                ${
                  r.before === undefined || r.before === null
                    ? show(p, after.get(p))
                    : html`<del>${show(p, before.get(p))}</del> → <ins>${show(p, after.get(p))}</ins>`
                }
              </li>`,
          )}
      </ul>`;
    };
    const link = (n: number) => {
      const p = new URLSearchParams();
      for (const [k, val] of Object.entries({ ...q, page: n })) if (val) p.set(k, String(val));
      return `/admin/audit?${p.toString()}`;
    };
    const option = (value: string, current: string | undefined, label: string) =>
      html`<option value="${value}" ${current === value ? "selected" : ""}>${label}</option>`;
    res.type("html").send(
      page(
        v,
        v.tr("audit.title"),
        html`<form class="card row" method="get" action="/admin/audit" role="search">
            <div>
              <label for="au-actor">${v.tr("audit.actor")}</label>
              <select id="au-actor" name="actor">
                ${option("", q.actor, v.tr("tickets.any"))}
                ${actors.map((a) => option(a, q.actor, person(a)))}
              </select>
            </div>
            <div>
              <label for="au-action">${v.tr("audit.action")}</label>
              <select id="au-action" name="action">
                ${option("", q.action, v.tr("tickets.any"))}
                ${ACTIONS.map((a) =>
                  option(
                    a,
                    q.action,
                    a.endsWith(".*") ? v.tr(`audit.groups.${a.slice(0, -2)}`) : `— ${actionText(a)}`,
                  ),
                )}
              </select>
            </div>
            <div>
              <label for="au-from">${v.tr("audit.from")}</label
              ><input id="au-from" name="from" type="date" value="${q.from ?? ""}" />
            </div>
            <div>
              <label for="au-to">${v.tr("audit.to")}</label
              ><input id="au-to" name="to" type="date" value="${q.to ?? ""}" />
            </div>
            <div style="flex:0 0 auto"><button type="submit">${v.tr("tickets.filter")}</button></div>
          </form>
          <p class="muted" role="status">${v.tr("audit.found", { n: total, page: pageNo, pages })}</p>
          <table class="stack audit">
            <thead>
              <tr>
                <th>${v.tr("audit.at")}</th>
                <th>${v.tr("audit.actor")}</th>
                <th>${v.tr("audit.action")}</th>
                <th>${v.tr("audit.changes")}</th>
              </tr>
            </thead>
            <tbody>
              ${items.map(
                (r) =>
                  html`<tr class="${r.action.endsWith(".failed") ? "overdue" : ""}">
                    <td>${vnTime(r.at)}</td>
                    <td>
                      ${person(r.actor)}
                      <span class="muted"
                        >${(STAFF_ROLES as readonly string[]).includes(r.role) ? v.tr(`roles.${r.role}`) : ""}</span
                      >
                    </td>
                    <td>
                      <strong>${actionText(r.action)}</strong><br /><span class="muted"
                        >${targetText(r.target)}</span
                      >
                    </td>
                    <td>${changes(r)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          ${items.length ? "" : html`<p class="muted">${v.tr("audit.empty")}</p>`}
          ${pager(v, pageNo, pages, link)}`,
      ),
    );
  });
}
