/**
 * Content pages (issue 16 point 1): every kind a ward edits has a form — procedures (one line per
 * document or step), Hỏi – Đáp, hotlines, the unit's own facts, guides and articles — with the bot's
 * answer beside it; items are added and retired (kept, restorable), never deleted. The dictionary,
 * surveys and portal settings, and every item for admins, stay editable as YAML (advanced view).
 * Every write goes through the content actions (scope on the stored and the submitted item, audit,
 * index rebuilt so the bot answers with the new text at once).
 */
import type { Request, Response } from "express";
import YAML from "yaml";
import { z } from "zod";
import { procedureFile } from "../../content/export.js";
import { FACT_FIELDS, procedureSchema, type Procedure } from "../../content/schemas.js";
import {
  ContentEditError,
  fieldIssues,
  getStored,
  ITEM_SCHEMAS,
  keyOf,
  listStored,
  type FieldIssue,
  type StoredItem,
} from "../../content/store.js";
import { faqText, guideText, hotlineLine, procedureCard } from "../../core/cards.js";
import type { FaqInfo, GuideInfo, HotlineInfo } from "../../core/ports.js";
import { foldText } from "../../core/intents.js";
import type { Lang } from "../../core/types.js";
import { AppError } from "../../errors.js";
import { CONTENT_KINDS, type ContentKind } from "../../store/models/content.js";
import { notFound, parse } from "../api.js";
import { can } from "../auth.js";
import { createContentActions, mayCreateContent, mayEditContent, RETIRABLE } from "../content-actions.js";
import { html, type Html } from "../../reports/html.js";
import {
  formFields,
  isFormKind,
  itemFromForm,
  newKey,
  problemsBox,
  problemText,
  TITLE_FIELD,
  type FormKind,
  type UnitChoice,
} from "./content-forms.js";
import type { ConsoleContext, StaffView } from "./index.js";
import { botText, csrfField, many, page, str } from "./layout.js";

const kindSchema = z.enum(CONTENT_KINDS);
const keySchema = z.string().regex(/^[\w.-]{1,80}$/);
const ONLINE = ["toan-trinh", "mot-phan", "none"] as const;
const AGENCIES = ["ubnd-xa", "cong-an-xa"] as const;

/** Lines of a textarea, trimmed, blanks dropped. */
const lines = (s: unknown) =>
  str(s)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const optional = (s: unknown) => {
  const v = str(s).trim();
  return v ? v : undefined;
};

/** The procedure a submitted form describes: the stored one (or a new one) with the form's fields over it. */
function fromForm(
  base: Partial<Procedure>,
  body: Record<string, unknown>,
  creating: boolean,
): Record<string, unknown> {
  // In the stored order, new ticks after: saving a form unchanged must store the item unchanged.
  const ticked = many(body.unverified);
  const stored = (base.unverified ?? []) as string[];
  const unverified = [
    ...stored.filter((f) => ticked.includes(f)),
    ...ticked.filter((f) => !stored.includes(f)),
  ];
  const out: Record<string, unknown> = {
    ...base,
    ...(creating ? { code: str(body.code).trim(), field: str(body.field), agency: str(body.agency) } : {}),
    name: str(body.name).trim(),
    summary: str(body.summary).trim(),
    who: optional(body.who),
    where: str(body.where).trim(),
    documents: lines(body.documents),
    processing_time: str(body.processing_time).trim(),
    fee: str(body.fee).trim(),
    legal_basis: lines(body.legal_basis),
    online: str(body.online),
    online_note: optional(body.online_note),
    steps: lines(body.steps),
    aliases: lines(body.aliases),
    keywords: lines(body.keywords),
    unverified,
    verified: unverified.length === 0,
  };
  // Absent, not undefined: an undefined member would be stored as null (issue 15 point 1).
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** The bar that keeps Save in reach on a long form, with the one-tap jump to the preview on a phone. */
function actionsBar(v: StaffView, previewAction: string): Html {
  return html`<div class="actions">
    <button
      type="submit"
      name="action"
      value="preview"
      class="secondary"
      formaction="${previewAction}#preview"
    >
      ${v.tr("procedure.preview")}
    </button>
    <button type="submit" name="action" value="save">${v.tr("form.save")}</button>
    <a class="button secondary phone-only" href="#preview">${v.tr("contentForm.toPreview")}</a>
  </div>`;
}

export function registerContentPages(ctx: ConsoleContext): void {
  const { deps } = ctx;
  const actions = createContentActions({ content: deps.content, audit: deps.audit });
  const flashOf = (req: Request) => (typeof req.query.done === "string" ? req.query.done : undefined);
  const bundle = () => deps.content.bundle();

  /** A unit's name in the page's language; "every unit" for none. */
  const unitName = (v: StaffView, id: unknown): string => {
    if (typeof id !== "string" || !id) return v.tr("contentForm.everyUnit");
    const u = bundle().units.find((x) => x.id === id);
    return u ? (v.lang === "en" && u.name_en ? u.name_en : u.name) : v.tr("contentForm.unknownUnit");
  };
  const unitChoice = (v: StaffView): UnitChoice => ({
    units: bundle().units.filter(
      (u) => u.kind !== "province" && (!v.actor.units.length || v.actor.units.includes(u.id)),
    ),
    provinceWide: !v.actor.units.length,
  });
  const mayEdit = (v: StaffView, kind: ContentKind, item: unknown) => {
    if (!mayEditContent(v.actor, kind, item))
      throw new AppError("OUT_OF_SCOPE", 403, "errors:http.forbidden", v.tr("content.sharedContent"));
  };
  const editBadge = (v: StaffView, kind: ContentKind, item: StoredItem) =>
    html`${item.retired ? html`<span class="badge warn">${v.tr("contentForm.retired")}</span> ` : ""}${
      mayEditContent(v.actor, kind, item.data)
        ? html`<span class="badge ok">${v.tr("contentForm.yours")}</span>`
        : html`<span class="badge">${v.tr("contentForm.readOnly")}</span>`
    }`;
  const retireCard = (v: StaffView, kind: ContentKind, item: StoredItem): Html | "" => {
    if (!RETIRABLE.includes(kind) || !mayEditContent(v.actor, kind, item.data)) return "";
    const to = item.retired ? "restore" : "retire";
    return html`<form class="card" method="post" action="/admin/content/${kind}/${item.key}/${to}">
      ${csrfField(v)}
      <p class="muted">${v.tr(item.retired ? "contentForm.retiredHint" : "contentForm.retireHint")}</p>
      <button type="submit" class="${item.retired ? "" : "danger"}">${v.tr(`contentForm.${to}`)}</button>
    </form>`;
  };
  /** What staff call an item: its name, title, question or label; the kind's name for a singleton. */
  const itemTitle = (v: StaffView, kind: ContentKind, data: Record<string, unknown>): string => {
    const en = v.lang === "en";
    const pick = (...keys: string[]) => keys.map((k) => str(data[k])).find(Boolean);
    return (
      (en ? pick("name_en", "title_en", "question_en", "label_en") : undefined) ??
      pick(isFormKind(kind) ? TITLE_FIELD[kind] : "name", "name", "title", "question", "label") ??
      v.tr(`content.kinds.${kind}`)
    );
  };
  const yamlLink = (v: StaffView, kind: ContentKind, key: string) =>
    can(v.actor, "content.advanced")
      ? html`<p><a href="/admin/content/${kind}/${key}/yaml">${v.tr("contentForm.advanced")}</a></p>`
      : "";
  /** Translates a content save's problems (or rethrows what is not one). */
  const problemsOf = (err: unknown): FieldIssue[] => {
    if (err instanceof ContentEditError) return err.issues;
    throw err;
  };

  // === Procedures

  const fieldName = (v: StaffView, id: unknown) => {
    const f = bundle().fields.find((x) => x.id === id);
    return f ? (v.lang === "en" ? f.name_en : f.name) : "";
  };
  const preview = (p: Procedure, v: StaffView) =>
    html`${(["vi", "en"] as const).map(
      (lang) =>
        html`<h3>${v.tr(`lang.${lang}`)}</h3>
          ${botText(procedureCard(p, lang, deps.t, bundle()))}`,
    )}`;
  const findProcedure = async (code: string) => {
    const item = await getStored(deps.content.models, "procedures", code);
    const p = item ? procedureSchema.safeParse(item.data) : undefined;
    if (!item || !p?.success) throw notFound("content item");
    return { item, p: p.data };
  };

  function procedureForm(
    v: StaffView,
    p: Record<string, unknown>,
    opts: { editable: boolean; problems: FieldIssue[]; preview?: Html; item?: StoredItem },
  ): Html {
    const creating = !opts.item;
    const action = creating ? "/admin/content/procedures/new" : `/admin/content/procedures/${str(p.code)}`;
    const val = (k: string) => str(p[k]);
    const list = (k: string) => (Array.isArray(p[k]) ? (p[k] as string[]).join("\n") : "");
    const errs = (k: string) => {
      const mine = opts.problems.filter((x) => (x.path.split(".")[0] ?? "") === k);
      return mine.length
        ? html`<p class="field-error" id="e-${k}">${mine.map((x) => problemText(v, x)).join("; ")}</p>`
        : "";
    };
    const field = (k: string, kind: "text" | "area" | "lines", hint = false) =>
      html`<label for="f-${k}">
          ${v.tr(`procedure.${k}`)}
          ${hint ? html`<span class="hint">${v.tr("procedure.oneLine")}</span>` : ""}
        </label>
        ${
          kind === "text"
            ? html`<input
                id="f-${k}"
                name="${k}"
                type="text"
                value="${val(k)}"
                ${opts.editable ? "" : "readonly"}
              />`
            : html`<textarea
                id="f-${k}"
                name="${k}"
                rows="${kind === "lines" ? 5 : 3}"
                ${opts.editable ? "" : "readonly"}
              >
${kind === "lines" ? list(k) : val(k)}</textarea>`
        }${errs(k)}`;
    const unverified = new Set((p.unverified as string[] | undefined) ?? []);
    return html`${problemsBox(v, opts.problems, (f) => v.tr(`procedure.${f}`))}
      <div class="editor">
        <form class="card" method="post" action="${action}">
          ${csrfField(v)}
          ${
            creating
              ? html`${field("code", "text")}
                  <label for="f-field">${v.tr("procedure.field")}</label>
                  <select id="f-field" name="field">
                    ${bundle().fields.map((f) => html`<option value="${f.id}" ${p.field === f.id ? "selected" : ""}>${v.lang === "en" ? f.name_en : f.name}</option>`)}
                  </select>
                  <label for="f-agency">${v.tr("procedure.agency")}</label>
                  <select id="f-agency" name="agency">
                    ${AGENCIES.map((a) => html`<option value="${a}" ${p.agency === a ? "selected" : ""}>${v.tr(`procedure.agencies.${a}`)}</option>`)}
                  </select>`
              : html`<p class="muted">
                  ${v.tr("procedure.code")}: <strong>${val("code")}</strong> · ${fieldName(v, p.field)} ·
                  ${v.tr(`procedure.agencies.${val("agency") || "ubnd-xa"}`)}
                  ${opts.item ? html` · ${editBadge(v, "procedures", opts.item)}` : ""}
                </p>`
          }
          ${field("name", "text")} ${field("summary", "area")} ${field("who", "area")}
          ${field("where", "area")} ${field("documents", "lines", true)} ${field("processing_time", "text")}
          ${field("fee", "area")} ${field("legal_basis", "lines", true)}
          <label for="f-online">${v.tr("procedure.online")}</label>
          <select id="f-online" name="online" ${opts.editable ? "" : "disabled"}>
            ${ONLINE.map((o) => html`<option value="${o}" ${p.online === o ? "selected" : ""}>${v.tr(`procedure.onlineLevels.${o}`)}</option>`)}
          </select>
          ${field("online_note", "area")} ${field("steps", "lines", true)} ${field("aliases", "lines", true)}
          ${field("keywords", "lines", true)}
          <fieldset>
            <legend>${v.tr("procedure.unverified")}</legend>
            ${FACT_FIELDS.map(
              (f) =>
                html`<label style="font-weight:400;display:inline-block;margin-right:12px">
                  <input
                    type="checkbox"
                    name="unverified"
                    value="${f}"
                    ${unverified.has(f) ? "checked" : ""}
                    ${opts.editable ? "" : "disabled"}
                  />
                  ${v.tr(`procedure.facts.${f}`)}
                </label>`,
            )}
          </fieldset>
          ${opts.editable ? actionsBar(v, action) : ""}
        </form>
        <section class="card side" id="preview" aria-live="polite">
          <h2>${v.tr("procedure.asBot")}</h2>
          ${opts.preview ?? html`<p class="muted">${v.tr("contentForm.previewHint")}</p>`}
          ${
            creating
              ? ""
              : html`<p>
                  <a class="button secondary" href="/admin/content/procedures/${val("code")}/file"
                    >${v.tr("content.download")}</a
                  >
                </p>`
          }
        </section>
      </div>
      ${opts.item ? html`${retireCard(v, "procedures", opts.item)}${yamlLink(v, "procedures", opts.item.key)}` : ""}`;
  }

  ctx.route("get", "/content", "content.view", async (req, res, v) => {
    const q = typeof req.query.q === "string" ? req.query.q.slice(0, 100) : "";
    const fq = foldText(q);
    const rows = (await listStored(deps.content.models, "procedures"))
      .map((i) => ({ i, p: i.data as unknown as Procedure }))
      .filter(
        ({ p }) =>
          !fq ||
          String(p.code).includes(fq) ||
          foldText(`${p.name} ${(p.aliases ?? []).join(" ")} ${(p.keywords ?? []).join(" ")}`).includes(fq),
      );
    const own = v.actor.units.length ? bundle().units.filter((u) => v.actor.units.includes(u.id)) : [];
    res.type("html").send(
      page(
        v,
        v.tr("content.title"),
        html`${
            own.length
              ? html`<section class="card">
                  <h2>${v.tr("contentForm.yourUnit")}</h2>
                  <ul>
                    ${own.map((u) => html`<li><a href="/admin/content/units/${u.id}">${v.tr("contentForm.unitFacts", { unit: v.lang === "en" && u.name_en ? u.name_en : u.name })}</a></li>`)}
                    ${(["faqs", "hotlines", "articles"] as const).map((k) => html`<li><a href="/admin/content/${k}?mine=1">${v.tr(`content.kinds.${k}`)}</a></li>`)}
                  </ul>
                </section>`
              : ""
          }
          <form class="card row" method="get" action="/admin/content" role="search">
            <div>
              <label for="q">${v.tr("content.search")}</label
              ><input id="q" name="q" type="search" value="${q}" />
            </div>
            <div style="flex:0 0 auto"><button type="submit">${v.tr("content.find")}</button></div>
          </form>
          <h2>${v.tr("content.procedures")} (${rows.length})</h2>
          ${mayCreateContent(v.actor, "procedures") ? html`<p><a class="button" href="/admin/content/procedures/new">${v.tr("contentForm.addProcedure")}</a></p>` : ""}
          <table>
            <thead>
              <tr>
                <th>${v.tr("procedure.code")}</th>
                <th>${v.tr("procedure.name")}</th>
                <th>${v.tr("procedure.field")}</th>
                <th>${v.tr("procedure.online")}</th>
                <th>${v.tr("procedure.status")}</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                ({ i, p }) =>
                  html`<tr>
                    <td>${p.code}</td>
                    <td><a href="/admin/content/procedures/${i.key}">${p.name}</a></td>
                    <td>${fieldName(v, p.field)}</td>
                    <td>${v.tr(`procedure.onlineLevels.${p.online}`)}</td>
                    <td>
                      ${i.retired ? html`<span class="badge warn">${v.tr("contentForm.retired")}</span>` : p.verified ? html`<span class="badge ok">${v.tr("procedure.verified")}</span>` : html`<span class="badge warn">${v.tr("procedure.toVerify")}</span>`}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <h2>${v.tr("content.otherKinds")}</h2>
          <ul>
            ${CONTENT_KINDS.filter((k) => k !== "procedures").map((k) => html`<li><a href="/admin/content/${k}">${v.tr(`content.kinds.${k}`)}</a></li>`)}
          </ul>
          <p class="muted">${v.tr("content.exportHint")}</p>`,
        { flash: flashOf(req) },
      ),
    );
  });

  ctx.route("get", "/content/procedures/new", "content.edit", (_req, res, v) => {
    if (!mayCreateContent(v.actor, "procedures")) mayEdit(v, "procedures", {});
    const blank = {
      online: "none",
      agency: "ubnd-xa",
      field: bundle().fields[0]?.id,
      unverified: [...FACT_FIELDS],
    };
    res
      .type("html")
      .send(
        page(v, v.tr("contentForm.addProcedure"), procedureForm(v, blank, { editable: true, problems: [] })),
      );
  });

  ctx.route("post", "/content/procedures/new", "content.edit", async (req, res, v) => {
    if (!mayCreateContent(v.actor, "procedures")) mayEdit(v, "procedures", {});
    const candidate = fromForm({ related: [], en: undefined }, req.body as Record<string, unknown>, true);
    delete candidate.en;
    const show = (problems: FieldIssue[], status: number, pv?: Html) =>
      res
        .status(status)
        .type("html")
        .send(
          page(
            v,
            v.tr("contentForm.addProcedure"),
            procedureForm(v, candidate, { editable: true, problems, preview: pv }),
          ),
        );
    if ((req.body as { action?: unknown }).action === "preview") {
      const r = procedureSchema.safeParse(candidate);
      if (!r.success) show(fieldIssues(r.error), 400);
      else show([], 200, preview(r.data, v));
      return;
    }
    try {
      const r = await actions.save(v.actor, "procedures", undefined, candidate);
      ctx.done(res, `/admin/content/procedures/${r.key}`, "created");
    } catch (err) {
      show(problemsOf(err), 400);
    }
  });

  ctx.route("get", "/content/procedures/:code", "content.view", async (req, res, v) => {
    const { item, p } = await findProcedure(parse(keySchema, req.params.code));
    res.type("html").send(
      page(
        v,
        p.name,
        procedureForm(v, p, {
          editable: mayEditContent(v.actor, "procedures", p),
          problems: [],
          preview: preview(p, v),
          item,
        }),
        { flash: flashOf(req) },
      ),
    );
  });

  ctx.route("get", "/content/procedures/:code/file", "content.view", async (req, res) => {
    const [file, text] = procedureFile((await findProcedure(parse(keySchema, req.params.code))).p);
    res
      .type("application/yaml; charset=utf-8")
      .set("Content-Disposition", `attachment; filename="${file.split("/").pop()}"`)
      .send(text);
  });

  ctx.route("post", "/content/procedures/:code", "content.edit", async (req, res, v) => {
    const { item, p: base } = await findProcedure(parse(keySchema, req.params.code));
    mayEdit(v, "procedures", base);
    const body = req.body as Record<string, unknown>;
    const candidate = fromForm(base, body, false);
    const show = (problems: FieldIssue[], status: number, pv?: Html) =>
      res
        .status(status)
        .type("html")
        .send(
          page(v, base.name, procedureForm(v, candidate, { editable: true, problems, preview: pv, item })),
        );
    if (body.action === "preview") {
      const r = procedureSchema.safeParse(candidate);
      if (!r.success) show(fieldIssues(r.error), 400);
      else show([], 200, preview(r.data, v));
      return;
    }
    try {
      const r = await actions.save(v.actor, "procedures", base.code, candidate);
      ctx.done(res, `/admin/content/procedures/${base.code}`, r.changed ? "saved" : "unchanged");
    } catch (err) {
      show(problemsOf(err), 400);
    }
  });

  // === Retire and restore (every retirable kind)

  for (const to of ["retire", "restore"] as const) {
    ctx.route("post", `/content/:kind/:key/${to}`, "content.edit", async (req, res, v) => {
      const kind = parse(kindSchema, req.params.kind);
      const key = parse(keySchema, req.params.key);
      const item = await getStored(deps.content.models, kind, key);
      if (!item) throw notFound("content item");
      mayEdit(v, kind, item.data);
      await actions.setRetired(v.actor, kind, key, to === "retire");
      ctx.done(res, `/admin/content/${kind}/${key}`, to === "retire" ? "retired" : "restored");
    });
  }

  // === Form kinds: Hỏi – Đáp, hotlines, units, guides, articles

  /** The item as the bot shows it, in both languages (only for a valid item). */
  const asBot = (v: StaffView, kind: FormKind, data: Record<string, unknown>): Html => {
    const r = ITEM_SCHEMAS[kind].safeParse(data);
    if (!r.success) return html`<p class="muted">${v.tr("contentForm.previewInvalid")}</p>`;
    const item = r.data as Record<string, unknown>;
    const text = (lang: Lang): string => {
      switch (kind) {
        case "faqs":
          return faqText(item as unknown as FaqInfo, lang);
        case "hotlines":
          return hotlineLine(item as unknown as HotlineInfo, lang, deps.t);
        case "guides":
          return guideText(item as unknown as GuideInfo, lang);
        case "articles":
          return `**${str(item.title)}**\n\n${str(item.body)}`;
        case "units": {
          const id = str(item.id);
          const name = lang === "en" && item.name_en ? str(item.name_en) : str(item.name);
          const out = [deps.t(lang, "hotlines.title", { unit: name })];
          for (const h of bundle().hotlines.filter((x) => x.unit === id))
            out.push(hotlineLine(h, lang, deps.t));
          if (item.address) out.push("", `📍 ${str(item.address)}`);
          if (item.phone) out.push(`☎️ ${str(item.phone)}`);
          if (item.office_hours) out.push(`🕒 ${str(item.office_hours)}`);
          return out.join("\n");
        }
      }
    };
    return html`${(["vi", "en"] as const).map(
      (lang) =>
        html`<h3>${v.tr(`lang.${lang}`)}</h3>
          ${botText(text(lang))}`,
    )}`;
  };

  const formPage = (
    v: StaffView,
    kind: FormKind,
    data: Record<string, unknown>,
    opts: { item?: StoredItem; problems: FieldIssue[]; flash?: string | undefined },
  ): string => {
    const editable = opts.item
      ? mayEditContent(v.actor, kind, opts.item.data)
      : mayCreateContent(v.actor, kind);
    const action = opts.item ? `/admin/content/${kind}/${opts.item.key}` : `/admin/content/${kind}/new`;
    const title = str(data[TITLE_FIELD[kind]]) || v.tr(`contentForm.add.${kind}`);
    return page(
      v,
      opts.item ? `${v.tr(`content.kinds.${kind}`)}: ${title}` : v.tr(`contentForm.add.${kind}`),
      html`${problemsBox(v, opts.problems)}
        <div class="editor">
          <form class="card" method="post" action="${action}">
            ${csrfField(v)}
            ${
              opts.item
                ? html`<p class="muted">
                    ${kind === "units" ? "" : html`${v.tr("contentForm.fields.unit")}: <strong>${unitName(v, opts.item.data.unit)}</strong> · `}
                    ${editBadge(v, kind, opts.item)}
                  </p>`
                : ""
            }
            ${formFields(v, kind, data, { editable, problems: opts.problems, units: unitChoice(v) })}
            ${editable ? actionsBar(v, action) : ""}
          </form>
          <section class="card side" id="preview" aria-live="polite">
            <h2>${v.tr(opts.problems.length || !opts.item ? "procedure.asBot" : "content.asBotSaved")}</h2>
            ${asBot(v, kind, data)}
          </section>
        </div>
        ${opts.item ? html`${retireCard(v, kind, opts.item)}${yamlLink(v, kind, opts.item.key)}` : ""}
        <p>
          <a href="/admin/content/${kind}"
            >${v.tr("contentForm.backTo", { kind: v.tr(`content.kinds.${kind}`) })}</a
          >
        </p>`,
      { flash: opts.flash },
    );
  };

  ctx.route("get", "/content/:kind", "content.view", async (req, res, v) => {
    const kind = parse(kindSchema, req.params.kind);
    if (kind === "procedures") {
      res.redirect(303, "/admin/content");
      return;
    }
    const mine = req.query.mine === "1";
    const items = (await listStored(deps.content.models, kind)).filter(
      (i) => !mine || mayEditContent(v.actor, kind, i.data),
    );
    const titleOf = (i: StoredItem) => itemTitle(v, kind, i.data);
    const unitCol = kind === "faqs" || kind === "hotlines" || kind === "articles";
    res.type("html").send(
      page(
        v,
        v.tr(`content.kinds.${kind}`),
        html`${isFormKind(kind) && mayCreateContent(v.actor, kind) ? html`<p><a class="button" href="/admin/content/${kind}/new">${v.tr(`contentForm.add.${kind}`)}</a></p>` : ""}
          ${
            v.actor.units.length
              ? html`<p>
                  ${mine ? html`<a href="/admin/content/${kind}">${v.tr("contentForm.showAll")}</a>` : html`<a href="/admin/content/${kind}?mine=1">${v.tr("contentForm.showMine")}</a>`}
                </p>`
              : ""
          }
          <table>
            <thead>
              <tr>
                <th>${v.tr("content.itemTitle")}</th>
                ${unitCol ? html`<th>${v.tr("contentForm.fields.unit")}</th>` : ""}
                <th>${v.tr("procedure.status")}</th>
              </tr>
            </thead>
            <tbody>
              ${items.map(
                (i) =>
                  html`<tr>
                    <td><a href="/admin/content/${kind}/${i.key}">${titleOf(i)}</a></td>
                    ${unitCol ? html`<td>${unitName(v, i.data.unit)}</td>` : ""}
                    <td>${editBadge(v, kind, i)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <p><a href="/admin/content">${v.tr("content.back")}</a></p>`,
        { flash: flashOf(req) },
      ),
    );
  });

  ctx.route("get", "/content/:kind/new", "content.edit", (req, res, v) => {
    const kind = parse(kindSchema, req.params.kind);
    if (!isFormKind(kind) || !mayCreateContent(v.actor, kind)) {
      mayEdit(v, kind, {});
      throw notFound("content item");
    }
    const units = unitChoice(v);
    const blank: Record<string, unknown> =
      kind === "hotlines" || kind === "faqs" || kind === "articles"
        ? { unit: units.provinceWide ? undefined : units.units[0]?.id }
        : {};
    res.type("html").send(formPage(v, kind, blank, { problems: [] }));
  });

  ctx.route("post", "/content/:kind/new", "content.edit", async (req, res, v) => {
    const kind = parse(kindSchema, req.params.kind);
    if (!isFormKind(kind) || !mayCreateContent(v.actor, kind)) {
      mayEdit(v, kind, {});
      throw notFound("content item");
    }
    const body = req.body as Record<string, unknown>;
    const data = itemFromForm(kind, {}, body, { provinceWide: !v.actor.units.length });
    const taken = new Set((await listStored(deps.content.models, kind)).map((i) => i.key));
    const keyName = kind === "hotlines" ? "id" : "slug";
    data[keyName] = newKey(str(data[TITLE_FIELD[kind]]), taken);
    const show = (problems: FieldIssue[], status: number) =>
      res
        .status(status)
        .type("html")
        .send(formPage(v, kind, data, { problems }));
    if (body.action === "preview") {
      const r = ITEM_SCHEMAS[kind].safeParse(data);
      show(r.success ? [] : fieldIssues(r.error), r.success ? 200 : 400);
      return;
    }
    try {
      const r = await actions.save(v.actor, kind, undefined, data);
      ctx.done(res, `/admin/content/${kind}/${r.key}`, "created");
    } catch (err) {
      show(problemsOf(err), 400);
    }
  });

  // === Kinds without a form (and every kind for admins): YAML

  const yamlPage = (
    v: StaffView,
    kind: ContentKind,
    key: string,
    text: string,
    problems: FieldIssue[],
    item: StoredItem,
  ) => {
    const editable =
      mayEditContent(v.actor, kind, item.data) &&
      (!(isFormKind(kind) || kind === "procedures") || can(v.actor, "content.advanced"));
    const action =
      isFormKind(kind) || kind === "procedures"
        ? `/admin/content/${kind}/${key}/yaml`
        : `/admin/content/${kind}/${key}`;
    return page(
      v,
      `${v.tr(`content.kinds.${kind}`)}: ${itemTitle(v, kind, item.data)}`,
      html`${problemsBox(v, problems)}
        <form class="card" method="post" action="${action}">
          ${csrfField(v)}
          <label for="yaml"
            >${v.tr("content.yaml")} <span class="hint">${v.tr("content.yamlHint")}</span></label
          >
          <textarea id="yaml" name="yaml" class="code" spellcheck="false" ${editable ? "" : "readonly"}>
${text}</textarea>
          ${editable ? html`<p><button type="submit">${v.tr("form.save")}</button></p>` : ""}
        </form>`,
    );
  };
  const storedOr404 = async (kind: ContentKind, key: string) => {
    const item = await getStored(deps.content.models, kind, key);
    if (!item) throw notFound("content item");
    return item;
  };
  const toYaml = (data: unknown) => YAML.stringify(data, { lineWidth: 0 });

  ctx.route("get", "/content/:kind/:key", "content.view", async (req, res, v) => {
    const kind = parse(kindSchema, req.params.kind);
    const key = parse(keySchema, req.params.key);
    const item = await storedOr404(kind, key);
    if (isFormKind(kind))
      res.type("html").send(formPage(v, kind, item.data, { item, problems: [], flash: flashOf(req) }));
    else res.type("html").send(yamlPage(v, kind, key, toYaml(item.data), [], item));
  });

  const saveYaml = async (req: Request, res: Response, v: StaffView, kind: ContentKind, key: string) => {
    const item = await storedOr404(kind, key);
    mayEdit(v, kind, item.data);
    const text = str((req.body as { yaml?: unknown }).yaml).slice(0, 200_000);
    const fail = (problems: FieldIssue[]) =>
      res
        .status(400)
        .type("html")
        .send(yamlPage(v, kind, key, text, problems, item));
    let data: unknown;
    try {
      data = YAML.parse(text, { uniqueKeys: true }) as unknown;
    } catch (err) {
      fail([{ path: "", message: `YAML: ${(err as Error).message.split("\n")[0]}` }]);
      return;
    }
    if (
      data &&
      typeof data === "object" &&
      !Array.isArray(data) &&
      keyOf(kind, data as Record<string, unknown>) !== key
    ) {
      fail([{ path: "", message: v.tr("content.keyFixed", { key }) }]);
      return;
    }
    try {
      const r = await actions.save(v.actor, kind, key, data);
      ctx.done(res, `/admin/content/${kind}`, r.changed ? "saved" : "unchanged");
    } catch (err) {
      fail(problemsOf(err));
    }
  };

  ctx.route("get", "/content/:kind/:key/yaml", "content.view", async (req, res, v) => {
    const kind = parse(kindSchema, req.params.kind);
    const key = parse(keySchema, req.params.key);
    const item = await storedOr404(kind, key);
    res.type("html").send(yamlPage(v, kind, key, toYaml(item.data), [], item));
  });

  ctx.route("post", "/content/:kind/:key/yaml", "content.advanced", async (req, res, v) => {
    const kind = parse(kindSchema, req.params.kind);
    const key = parse(keySchema, req.params.key);
    await saveYaml(req, res, v, kind, key);
  });

  ctx.route("post", "/content/:kind/:key", "content.edit", async (req, res, v) => {
    const kind = parse(kindSchema, req.params.kind);
    const key = parse(keySchema, req.params.key);
    if (!isFormKind(kind)) {
      await saveYaml(req, res, v, kind, key);
      return;
    }
    const item = await storedOr404(kind, key);
    mayEdit(v, kind, item.data);
    const body = req.body as Record<string, unknown>;
    const data = itemFromForm(kind, item.data, body, { provinceWide: !v.actor.units.length });
    const show = (problems: FieldIssue[], status: number) =>
      res
        .status(status)
        .type("html")
        .send(formPage(v, kind, data, { item, problems }));
    if (body.action === "preview") {
      const r = ITEM_SCHEMAS[kind].safeParse(data);
      show(r.success ? [] : fieldIssues(r.error), r.success ? 200 : 400);
      return;
    }
    try {
      const r = await actions.save(v.actor, kind, key, data);
      ctx.done(res, `/admin/content/${kind}/${key}`, r.changed ? "saved" : "unchanged");
    } catch (err) {
      show(problemsOf(err), 400);
    }
  });
}
