/**
 * Staff accounts (admins only) and everyone's own password. The audit log is in audit.ts. Staff see
 * and manage only accounts within their own units and role; every change is a staff action.
 */
import { z } from "zod";
import type { FieldIssue } from "../../content/store.js";
import { STAFF_ROLES } from "../../store/models/staff.js";
import { mayManageStaff, roleWithin } from "../actions.js";
import { parse } from "../api.js";
import { inScope } from "../auth.js";
import { html } from "../../reports/html.js";
import { askToConfirm, isConfirmed } from "./confirm.js";
import { attempt, type ConsoleContext, type StaffView } from "./index.js";
import { csrfField, errorBox, fieldProblem, many, page, str, vnTime } from "./layout.js";

const idSchema = z.string().regex(/^[0-9a-f]{24}$/, "an account id");

export function registerStaffPages(ctx: ConsoleContext): void {
  const { deps } = ctx;
  /** What was typed into the new-account form, and which account's form had a problem. */
  type Retry = { form: string; values: Record<string, unknown>; problems: FieldIssue[] };

  const staffPage = async (v: StaffView, retry?: Retry, flash?: string) => {
    // Staff manage only accounts within their own units and role (issue 15).
    const list = (await deps.staff.list()).filter((s) => mayManageStaff(v.actor, s));
    const units = deps.content.bundle().units.filter((u) => inScope(v.actor, u.id));
    const problems = retry?.problems ?? [];
    const created = retry?.form === "create" ? retry.values : {};
    const problem = (form: string, name: string) =>
      retry?.form === form ? fieldProblem(v, problems, name) : "";
    const unitBoxes = (name: string, checked: string[]) =>
      units.map(
        (u) =>
          html`<label style="font-weight:400"
            ><input
              type="checkbox"
              name="${name}"
              value="${u.id}"
              ${checked.includes(u.id) ? "checked" : ""}
            />
            ${u.name}</label
          >`,
      );
    const roleSelect = (id: string, current?: string) =>
      html`<select id="${id}" name="role">
        ${STAFF_ROLES.filter((r) => roleWithin(v.actor, r)).map((r) => html`<option value="${r}" ${current === r ? "selected" : ""}>${v.tr(`roles.${r}`)}</option>`)}
      </select>`;
    return page(
      v,
      v.tr("staff.title"),
      html`${errorBox(v, problems)}
        <table>
          <thead>
            <tr>
              <th>${v.tr("staff.username")}</th>
              <th>${v.tr("staff.displayName")}</th>
              <th>${v.tr("staff.role")}</th>
              <th>${v.tr("staff.units")}</th>
              <th>${v.tr("staff.lastLogin")}</th>
              <th>${v.tr("staff.change")}</th>
            </tr>
          </thead>
          <tbody>
            ${list.map(
              (s) =>
                html`<tr>
                  <td>
                    ${s.username}${s.active ? "" : html` <span class="badge warn">${v.tr("staff.inactive")}</span>`}${s.mustChangePassword ? html` <span class="badge">${v.tr("staff.mustChange")}</span>` : ""}
                  </td>
                  <td>${s.displayName}</td>
                  <td>${v.tr(`roles.${s.role}`)}</td>
                  <td>
                    ${
                      s.units.length
                        ? s.units.map((id) => units.find((u) => u.id === id)?.name ?? id).join(", ")
                        : v.tr("staff.allUnits")
                    }
                  </td>
                  <td>${vnTime(s.lastLoginAt ?? null)}</td>
                  <td>
                    <details>
                      <summary>${v.tr("staff.edit")}</summary>
                      <form method="post" action="/admin/staff/${String(s._id)}">
                        ${csrfField(v)}
                        <label for="role-${String(s._id)}">${v.tr("staff.role")}</label
                        >${roleSelect(`role-${String(s._id)}`, s.role)}
                        <fieldset>
                          <legend>${v.tr("staff.units")}</legend>
                          ${unitBoxes("units", s.units)} ${problem(String(s._id), "units")}
                        </fieldset>
                        <label style="font-weight:400"
                          ><input type="checkbox" name="active" value="on" ${s.active ? "checked" : ""} />
                          ${v.tr("staff.active")}</label
                        >
                        <label for="pw-${String(s._id)}"
                          >${v.tr("staff.newPassword")}
                          <span class="hint">${v.tr("staff.passwordHint")}</span></label
                        >
                        <input
                          id="pw-${String(s._id)}"
                          name="password"
                          type="password"
                          autocomplete="new-password"
                        />
                        ${problem(String(s._id), "password")} ${problem(String(s._id), "role")}
                        <p><button type="submit">${v.tr("form.save")}</button></p>
                      </form>
                    </details>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        <form class="card" method="post" action="/admin/staff" style="margin-top:16px">
          ${csrfField(v)}
          <h2>${v.tr("staff.create")}</h2>
          <div class="row">
            <div>
              <label for="n-user">${v.tr("staff.username")}</label
              ><input id="n-user" name="username" type="text" required value="${str(created.username)}" />
              ${problem("create", "username")}
            </div>
            <div>
              <label for="n-name">${v.tr("staff.displayName")}</label
              ><input
                id="n-name"
                name="displayName"
                type="text"
                required
                value="${str(created.displayName)}"
              />
              ${problem("create", "displayName")}
            </div>
            <div>
              <label for="n-role">${v.tr("staff.role")}</label
              >${roleSelect("n-role", str(created.role) || "viewer")} ${problem("create", "role")}
            </div>
          </div>
          <fieldset>
            <legend>${v.tr("staff.units")} <span class="hint">${v.tr("staff.unitsHint")}</span></legend>
            ${unitBoxes("units", retry?.form === "create" ? many(created.units) : v.actor.units)}
            ${problem("create", "units")}
          </fieldset>
          <label for="n-pw"
            >${v.tr("staff.password")} <span class="hint">${v.tr("staff.passwordHint")}</span></label
          >
          <input id="n-pw" name="password" type="password" autocomplete="new-password" required />
          ${problem("create", "password")}
          <p><button type="submit">${v.tr("staff.createButton")}</button></p>
        </form>`,
      { flash },
    );
  };

  ctx.route("get", "/staff", "staff.manage", async (req, res, v) => {
    res
      .type("html")
      .send(await staffPage(v, undefined, typeof req.query.done === "string" ? req.query.done : undefined));
  });
  ctx.route("post", "/staff", "staff.manage", async (req, res, v) => {
    const b = req.body as Record<string, unknown>;
    const r = await attempt(() =>
      deps.actions.run(v.actor, "staff.create", {
        username: str(b.username),
        displayName: str(b.displayName),
        role: str(b.role) as (typeof STAFF_ROLES)[number],
        units: many(b.units),
        password: str(b.password),
      }),
    );
    if (!r.ok) {
      const { password: _pw, ...typed } = b;
      res
        .status(r.problems.some((p) => p.code === "taken") ? 409 : r.status)
        .type("html")
        .send(await staffPage(v, { form: "create", values: typed, problems: r.problems }));
      return;
    }
    ctx.done(res, "/admin/staff", "staffSaved");
  });
  ctx.route("post", "/staff/:id", "staff.manage", async (req, res, v) => {
    const id = parse(idSchema, req.params.id);
    const b = req.body as Record<string, unknown>;
    const pw = str(b.password);
    // Taking a unit away from an account ends its access there: ask first.
    const units = many(b.units);
    const before = await deps.staff.get(id);
    const removed = (before?.units ?? []).filter((u) => !units.includes(u));
    if (before && units.length && removed.length && !isConfirmed(b)) {
      const name = (u: string) => deps.content.bundle().units.find((x) => x.id === u)?.name ?? u;
      askToConfirm(res, v, {
        title: v.tr("staff.title"),
        question: v.tr("staff.confirmRemoveUnits", {
          name: before.displayName,
          units: removed.map(name).join(", "),
        }),
        action: `/admin/staff/${id}`,
        confirm: v.tr("staff.removeUnits"),
        back: "/admin/staff",
        body: b,
      });
      return;
    }
    const r = await attempt(() =>
      deps.actions.run(v.actor, "staff.update", {
        id,
        role: str(b.role) as (typeof STAFF_ROLES)[number],
        units,
        active: b.active === "on",
        ...(pw ? { password: pw } : {}),
      }),
    );
    if (!r.ok) {
      res
        .status(r.status)
        .type("html")
        .send(await staffPage(v, { form: id, values: {}, problems: r.problems }));
      return;
    }
    ctx.done(res, "/admin/staff", "staffSaved");
  });

  // Everyone's own password.
  const passwordPage = (v: StaffView, problems: FieldIssue[], flash?: string) =>
    page(
      v,
      v.tr("password.title"),
      html`${v.actor.mustChangePassword ? html`<div class="flash" role="status">${v.tr("password.mustChange")}</div>` : ""}
        ${errorBox(
          v,
          problems.filter((p) => !p.path),
        )}
        <form class="card" method="post" action="/admin/password" style="max-width:480px">
          ${csrfField(v)}
          <label for="p-cur">${v.tr("password.current")}</label
          ><input id="p-cur" name="current" type="password" autocomplete="current-password" required />
          ${fieldProblem(v, problems, "current")}
          <label for="p-new"
            >${v.tr("password.new")} <span class="hint">${v.tr("staff.passwordHint")}</span></label
          ><input id="p-new" name="password" type="password" autocomplete="new-password" required />
          ${fieldProblem(v, problems, "password")}
          <p><button type="submit">${v.tr("form.save")}</button></p>
        </form>`,
      { flash },
    );
  ctx.route("get", "/password", "signed-in", (req, res, v) => {
    res
      .type("html")
      .send(passwordPage(v, [], typeof req.query.done === "string" ? req.query.done : undefined));
  });
  ctx.route("post", "/password", "signed-in", async (req, res, v) => {
    const b = req.body as Record<string, unknown>;
    const r = await attempt(() =>
      deps.actions.run(v.actor, "staff.password", { current: str(b.current), password: str(b.password) }),
    );
    if (!r.ok) {
      res.status(r.status).type("html").send(passwordPage(v, r.problems));
      return;
    }
    // Changing the password ends every session, this one too.
    res.redirect(303, "/admin/login");
  });
}
