/**
 * `/admin/verification` (issue 20): the facts still awaiting a staff check, per unit, where an editor
 * marks each fact verified (recording who and when) or unverified again, with an audit entry; sample
 * hotlines and unit records to replace; and the content links whose last check failed.
 */
import { z } from "zod";
import { unverifiedFacts, verificationInputSchema, type UnverifiedFact } from "../../content/verification.js";
import type { ContentBundle } from "../../content/schemas.js";
import { html } from "../../reports/html.js";
import { parse } from "../api.js";
import { can, type Actor } from "../auth.js";
import type { ConsoleContext, StaffView } from "./index.js";
import { csrfField, page, vnTime } from "./layout.js";

const formSchema = z.object({
  kind: z.string(),
  key: z.string(),
  field: z.string(),
  verified: z.enum(["1", "0"]).transform((v) => v === "1"),
  unit: z.string().max(48).optional(),
  _csrf: z.string().max(100).optional(),
});

/**
 * Shared content (procedures, guides, FAQs without a unit) is verified at province level; a ward's
 * editors verify their own unit's FAQs (the rule content editing follows).
 */
function mayVerify(actor: Actor, unit: string | undefined): boolean {
  if (!can(actor, "content.edit")) return false;
  if (!actor.units.length) return true;
  return unit !== undefined && actor.units.includes(unit);
}

/** The units a staff member looks at: theirs, or (province staff) the one picked, else all. */
function unitOfView(actor: Actor, bundle: ContentBundle, asked: string | undefined): string | undefined {
  const known = (u: string | undefined) => bundle.units.some((x) => x.id === u && x.kind !== "province");
  if (actor.units.length) return actor.units.find((u) => u === asked) ?? actor.units[0];
  return known(asked) ? asked : undefined;
}

/** The order facts are best verified in: what residents act on first (content/README.md). */
const VERIFY_ORDER = [
  "fee",
  "processing_time",
  "documents",
  "where",
  "online",
  "legal_basis",
  "steps",
  "code",
] as const;

export function registerVerificationPages(ctx: ConsoleContext): void {
  const { deps } = ctx;

  ctx.route("get", "/verification", "content.view", async (req, res, v) => {
    const bundle = deps.content.bundle();
    const unit = unitOfView(v.actor, bundle, typeof req.query.unit === "string" ? req.query.unit : undefined);
    const facts = unverifiedFacts(bundle, unit);
    const links = deps.links ? await deps.links.list() : [];
    const failing = links.filter((l) => !l.ok);
    res.type("html").send(
      page(v, v.tr("verification.title"), body(v, bundle, unit, facts, { all: links.length, failing }), {
        flash: typeof req.query.done === "string" ? req.query.done : undefined,
      }),
    );
  });

  ctx.route("post", "/verification", "content.edit", async (req, res, v) => {
    const form = parse(formSchema, req.body);
    const input = parse(verificationInputSchema, {
      kind: form.kind,
      key: form.key,
      field: form.field,
      verified: form.verified,
    });
    await deps.actions.run(v.actor, "content.verify", input);
    const back = form.unit
      ? `/admin/verification?unit=${encodeURIComponent(form.unit)}`
      : "/admin/verification";
    ctx.done(res, back, input.verified ? "factVerified" : "factUnverified");
  });
}

function body(
  v: StaffView,
  bundle: ContentBundle,
  unit: string | undefined,
  facts: UnverifiedFact[],
  links: {
    all: number;
    failing: Array<{
      _id: string;
      refs: string[];
      status: number;
      error?: string | undefined;
      checkedAt: Date;
    }>;
  },
) {
  const units = bundle.units.filter(
    (u) => u.kind !== "province" && (!v.actor.units.length || v.actor.units.includes(u.id)),
  );
  const unitName = (id: string | undefined) =>
    bundle.units.find((u) => u.id === id)?.name ?? v.tr("verification.shared");
  const fieldName = (f: string) => v.tr(`verification.fields.${f}`);
  const button = (
    kind: string,
    key: string,
    field: string,
    verified: boolean,
    label: string,
    disabled: boolean,
  ) =>
    html`<form method="post" action="/admin/verification" style="display:inline">
      ${csrfField(v)}<input type="hidden" name="kind" value="${kind}" /><input
        type="hidden"
        name="key"
        value="${key}"
      />
      <input type="hidden" name="field" value="${field}" /><input
        type="hidden"
        name="verified"
        value="${verified ? "1" : "0"}"
      />
      ${unit ? html`<input type="hidden" name="unit" value="${unit}" />` : ""}
      <button type="submit" class="small ${verified ? "" : "secondary"}" ${disabled ? "disabled" : ""}>
        ${label}
      </button>
    </form>`;
  const procedures = bundle.procedures.filter(
    (p) => p.unverified.length || Object.keys(p.verification).length,
  );
  const shared = !mayVerify(v.actor, undefined);
  return html`<div class="grid">
      <div class="card">
        <div class="muted">${v.tr("verification.pending", { unit: unitName(unit) })}</div>
        <div class="stat" id="unverified-count">${facts.length}</div>
      </div>
      <div class="card">
        <div class="muted">${v.tr("verification.linksFailing")}</div>
        <div class="stat" id="links-failing">${links.failing.length}</div>
        <div>${v.tr("verification.linksChecked", { n: links.all })}</div>
      </div>
    </div>
    ${
      units.length > 1
        ? html`<form method="get" action="/admin/verification" class="card">
            <label for="unit">${v.tr("verification.unit")}</label>
            <select id="unit" name="unit">
              ${v.actor.units.length ? "" : html`<option value="">${v.tr("verification.allUnits")}</option>`}
              ${units.map((u) => html`<option value="${u.id}" ${u.id === unit ? "selected" : ""}>${u.name}</option>`)}
            </select>
            <button type="submit">${v.tr("verification.show")}</button>
          </form>`
        : ""
    }
    <p class="muted">${v.tr("verification.order")}</p>
    ${shared ? html`<p class="muted">${v.tr("verification.sharedReadOnly")}</p>` : ""}
    <section class="card">
      <h2>${v.tr("verification.procedures")}</h2>
      <table>
        <thead>
          <tr>
            <th>${v.tr("verification.procedure")}</th>
            <th>${v.tr("verification.awaiting")}</th>
            <th>${v.tr("verification.done")}</th>
          </tr>
        </thead>
        <tbody>
          ${procedures.map(
            (p) =>
              html`<tr id="p-${p.code.replace(".", "-")}">
                <td>
                  <a href="/admin/content/procedures/${p.code}">${p.name}</a>
                  <span class="muted">${p.code}</span>
                </td>
                <td>
                  ${VERIFY_ORDER.filter((f) => p.unverified.includes(f)).map(
                    (f) =>
                      html`<div class="fact">
                        ${fieldName(f)}
                        ${button("procedures", p.code, f, true, v.tr("verification.markVerified"), shared)}
                      </div>`,
                  )}
                </td>
                <td>
                  ${VERIFY_ORDER.filter((f) => p.verification[f]).map((f) => {
                    const m = p.verification[f]!;
                    return html`<div class="fact">
                      ✓ ${fieldName(f)} · ${m.verified_by} · ${vnTime(new Date(m.verified_at))}
                      ${button("procedures", p.code, f, false, v.tr("verification.markUnverified"), shared)}
                    </div>`;
                  })}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
    <section class="card">
      <h2>${v.tr("verification.items")}</h2>
      <table>
        <tbody>
          ${[
            ...bundle.guides.map((g) => ({
              kind: "guides",
              key: g.slug,
              title: g.title,
              unit: undefined,
              verified: g.verified,
              by: g.verified_by,
              at: g.verified_at,
            })),
            ...bundle.faqs
              .filter((f) => !unit || !f.unit || f.unit === unit)
              .map((f) => ({
                kind: "faqs",
                key: f.slug,
                title: f.question,
                unit: f.unit,
                verified: f.verified,
                by: f.verified_by,
                at: f.verified_at,
              })),
          ]
            .filter((i) => !i.verified || i.by)
            .map(
              (i) =>
                html`<tr>
                  <td>${i.title} <span class="muted">${i.kind}/${i.key}</span></td>
                  <td>
                    ${
                      i.verified
                        ? html`✓ ${i.by} · ${i.at ? vnTime(new Date(i.at)) : ""}
                          ${button(i.kind, i.key, "item", false, v.tr("verification.markUnverified"), !mayVerify(v.actor, i.unit))}`
                        : button(
                            i.kind,
                            i.key,
                            "item",
                            true,
                            v.tr("verification.markVerified"),
                            !mayVerify(v.actor, i.unit),
                          )
                    }
                  </td>
                </tr>`,
            )}
        </tbody>
      </table>
    </section>
    <section class="card">
      <h2>${v.tr("verification.samples")}</h2>
      <ul>
        ${facts
          .filter((f) => f.kind === "hotlines" || f.kind === "units")
          .map(
            (f) =>
              html`<li>
                <a href="/admin/content/${f.kind}/${f.key}">${f.title}</a> · ${fieldName(f.field)}
              </li>`,
          )}
      </ul>
    </section>
    <section class="card">
      <h2>${v.tr("verification.links")}</h2>
      ${
        links.failing.length
          ? html`<table id="failing-links">
              <thead>
                <tr>
                  <th>${v.tr("verification.link")}</th>
                  <th>${v.tr("verification.linkStatus")}</th>
                  <th>${v.tr("verification.usedBy")}</th>
                  <th>${v.tr("verification.checkedAt")}</th>
                </tr>
              </thead>
              <tbody>
                ${links.failing.map(
                  (l) =>
                    html`<tr>
                      <td><code>${l._id}</code></td>
                      <td>${l.status ? String(l.status) : (l.error ?? "")}</td>
                      <td>${l.refs.join(", ")}</td>
                      <td>${vnTime(l.checkedAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">
              ${v.tr(links.all ? "verification.linksAllOk" : "verification.linksNever")}
            </p>`
      }
    </section>`;
}
