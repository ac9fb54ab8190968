/** Staff accounts (admins only) and everyone's own password. The audit log is in audit.ts. */
import { z } from "zod";
import { fieldIssues, type FieldIssue } from "../../content/store.js";
import { AppError } from "../../errors.js";
import { STAFF_ROLES } from "../../store/models/staff.js";
import { parse } from "../api.js";
import { passwordSchema, staffInputSchema } from "../auth.js";
import { html } from "../../reports/html.js";
import { askToConfirm, isConfirmed } from "./confirm.js";
import type { ConsoleContext, StaffView } from "./index.js";
import { csrfField, errorBox, many, page, str, vnTime } from "./layout.js";

const idSchema = z.string().regex(/^[0-9a-f]{24}$/, "an account id");

export function registerStaffPages(ctx: ConsoleContext): void {
  const { deps } = ctx;
  const issues = fieldIssues;

  const staffPage = async (v: StaffView, problems: FieldIssue[], flash?: string) => {
    const list = await deps.staff.list();
    const units = deps.content.bundle().units;
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
        ${STAFF_ROLES.map((r) => html`<option value="${r}" ${current === r ? "selected" : ""}>${v.tr(`roles.${r}`)}</option>`)}
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
                    ${s.username}${s.active ? "" : html` <span class="badge warn">${v.tr("staff.inactive")}</span>`}${s.lockedUntil && s.lockedUntil > new Date() ? html` <span class="badge warn">${v.tr("staff.locked")}</span>` : ""}
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
                          ${unitBoxes("units", s.units)}
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
              ><input id="n-user" name="username" type="text" required />
            </div>
            <div>
              <label for="n-name">${v.tr("staff.displayName")}</label
              ><input id="n-name" name="displayName" type="text" required />
            </div>
            <div><label for="n-role">${v.tr("staff.role")}</label>${roleSelect("n-role", "viewer")}</div>
          </div>
          <fieldset>
            <legend>${v.tr("staff.units")} <span class="hint">${v.tr("staff.unitsHint")}</span></legend>
            ${unitBoxes("units", v.actor.units)}
          </fieldset>
          <label for="n-pw"
            >${v.tr("staff.password")} <span class="hint">${v.tr("staff.passwordHint")}</span></label
          >
          <input id="n-pw" name="password" type="password" autocomplete="new-password" required />
          <p><button type="submit">${v.tr("staff.createButton")}</button></p>
        </form>`,
      { flash },
    );
  };

  ctx.route("get", "/staff", "staff.manage", async (req, res, v) => {
    res
      .type("html")
      .send(await staffPage(v, [], typeof req.query.done === "string" ? req.query.done : undefined));
  });
  ctx.route("post", "/staff", "staff.manage", async (req, res, v) => {
    const b = req.body as Record<string, unknown>;
    const r = staffInputSchema.safeParse({
      username: b.username,
      displayName: b.displayName,
      role: b.role,
      units: many(b.units),
      password: b.password,
    });
    if (!r.success) {
      res
        .status(400)
        .type("html")
        .send(await staffPage(v, issues(r.error)));
      return;
    }
    try {
      const s = await deps.staff.create(r.data);
      await deps.audit.record(v.actor, "staff.create", `staff/${s.username}`, null, s);
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      res
        .status(409)
        .type("html")
        .send(await staffPage(v, [{ path: "username", message: v.tr("staff.taken") }]));
      return;
    }
    ctx.done(res, "/admin/staff", "staffSaved");
  });
  ctx.route("post", "/staff/:id", "staff.manage", async (req, res, v) => {
    const id = parse(idSchema, req.params.id);
    const b = req.body as Record<string, unknown>;
    const patch = z
      .object({
        role: z.enum(STAFF_ROLES),
        units: z.array(z.string().regex(/^[a-z0-9-]{1,48}$/)).max(50),
        active: z.boolean(),
      })
      .safeParse({ role: b.role, units: many(b.units), active: b.active === "on" });
    const pw = str(b.password);
    const pwCheck = pw ? passwordSchema.safeParse(pw) : undefined;
    if (!patch.success || (pwCheck && !pwCheck.success)) {
      const problems = [
        ...(patch.success ? [] : issues(patch.error)),
        ...(pwCheck && !pwCheck.success
          ? issues(pwCheck.error).map((p) => ({ ...p, path: "password" }))
          : []),
      ];
      res
        .status(400)
        .type("html")
        .send(await staffPage(v, problems));
      return;
    }
    // Taking a unit away from an account ends its access there: ask first.
    const before = await deps.staff.get(id);
    const removed = (before?.units ?? []).filter((u) => !patch.data.units.includes(u));
    if (before && patch.data.units.length && removed.length && !isConfirmed(b)) {
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
    if (id === v.actor.staffId && (patch.data.role !== "admin" || !patch.data.active))
      throw new AppError("SELF_LOCKOUT", 409, "errors:http.conflict", v.tr("staff.selfLockout"));
    const r = await deps.staff.update(id, patch.data);
    if (!r) throw new AppError("NOT_FOUND", 404, "errors:http.notFound", "No such account");
    if (pw) await deps.staff.setPassword(id, pw);
    await deps.audit.record(v.actor, "staff.update", `staff/${r.after.username}`, r.before, {
      ...r.after,
      passwordChanged: Boolean(pw),
    });
    ctx.done(res, "/admin/staff", "staffSaved");
  });

  // Everyone's own password.
  const passwordPage = (v: StaffView, problems: FieldIssue[], flash?: string) =>
    page(
      v,
      v.tr("password.title"),
      html`${errorBox(v, problems)}
        <form class="card" method="post" action="/admin/password" style="max-width:480px">
          ${csrfField(v)}
          <label for="p-cur">${v.tr("password.current")}</label
          ><input id="p-cur" name="current" type="password" autocomplete="current-password" required />
          <label for="p-new"
            >${v.tr("password.new")} <span class="hint">${v.tr("staff.passwordHint")}</span></label
          ><input id="p-new" name="password" type="password" autocomplete="new-password" required />
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
    const check = await deps.staff.login(v.actor.username, str(b.current));
    if (!check.ok) {
      res
        .status(400)
        .type("html")
        .send(passwordPage(v, [{ path: "", message: v.tr("password.wrong") }]));
      return;
    }
    const pw = passwordSchema.safeParse(b.password);
    if (!pw.success) {
      res
        .status(400)
        .type("html")
        .send(passwordPage(v, issues(pw.error)));
      return;
    }
    await deps.staff.setPassword(v.actor.staffId!, pw.data);
    await deps.audit.record(v.actor, "staff.password", `staff/${v.actor.username}`);
    // Changing the password ends every session, this one too.
    res.redirect(303, "/admin/login");
  });
}
