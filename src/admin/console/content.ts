/**
 * Content pages: procedures with a form made for staff (one line per document or step), a preview
 * exactly as the bot shows the card, and every other kind (guides, hotlines, FAQs, dictionary, …) as
 * reviewed YAML. Every save is validated by the same schemas as `content/` files, audited, and the
 * search index is rebuilt so the bot answers with the new text at once.
 */
import type { Request } from "express";
import YAML from "yaml";
import { z } from "zod";
import { procedureFile } from "../../content/export.js";
import { FACT_FIELDS, procedureSchema, type Procedure } from "../../content/schemas.js";
import { ContentEditError, fieldIssues, keyOf, saveItem, type FieldIssue } from "../../content/store.js";
import { faqText, guideText, hotlineLine, procedureCard } from "../../core/cards.js";
import { foldText } from "../../core/intents.js";
import { AppError } from "../../errors.js";
import { CONTENT_KINDS, type ContentKind } from "../../store/models/content.js";
import { notFound, parse } from "../api.js";
import { can } from "../auth.js";
import { html, type Html } from "../../reports/html.js";
import type { ConsoleContext, StaffView } from "./index.js";
import { botText, csrfField, errorBox, many, page, str } from "./layout.js";

const kindSchema = z.enum(CONTENT_KINDS);
const keySchema = z.string().regex(/^[\w.-]{1,80}$/);
const ONLINE = ["toan-trinh", "mot-phan", "none"] as const;

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

/** The procedure a submitted form describes: the stored one with the form's fields over it. */
function fromForm(base: Procedure, body: Record<string, unknown>): Record<string, unknown> {
  const checked = (name: string) => {
    return many(body[name]);
  };
  const unverified = checked("unverified");
  return {
    ...base,
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
}

function procedureForm(
  v: StaffView,
  p: Record<string, unknown>,
  opts: { editable: boolean; problems: FieldIssue[]; preview?: Html },
): Html {
  const val = (k: string) => str(p[k]);
  const list = (k: string) => (Array.isArray(p[k]) ? (p[k] as string[]).join("\n") : "");
  const field = (k: string, kind: "text" | "area" | "lines", hint = false) =>
    html`<label for="f-${k}">
        ${v.tr(`procedure.${k}`)} ${hint ? html`<span class="hint">${v.tr("procedure.oneLine")}</span>` : ""}
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
      }`;
  const unverified = new Set((p.unverified as string[] | undefined) ?? []);
  return html`${errorBox(v, opts.problems)}
    <div class="grid">
      <form class="card" method="post" action="/admin/content/procedures/${val("code")}">
        ${csrfField(v)}
        <p class="muted">
          ${v.tr("procedure.code")}: <strong>${val("code")}</strong> · ${val("field")} · ${val("agency")}
        </p>
        ${field("name", "text")} ${field("summary", "area")} ${field("who", "area")} ${field("where", "area")}
        ${field("documents", "lines", true)} ${field("processing_time", "text")} ${field("fee", "area")}
        ${field("legal_basis", "lines", true)}
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
        ${
          opts.editable
            ? html`<p class="row">
                <button type="submit" name="action" value="preview" class="secondary">
                  ${v.tr("procedure.preview")}
                </button>
                <button type="submit" name="action" value="save">${v.tr("form.save")}</button>
              </p>`
            : ""
        }
      </form>
      <section class="card" aria-live="polite">
        <h2>${v.tr("procedure.asBot")}</h2>
        ${opts.preview ?? ""}
        <p>
          <a class="button secondary" href="/admin/content/procedures/${val("code")}/file"
            >${v.tr("content.download")}</a
          >
        </p>
      </section>
    </div>`;
}

export function registerContentPages(ctx: ConsoleContext): void {
  const { deps } = ctx;
  const preview = (p: Procedure, v: StaffView) => {
    const bundle = deps.content.bundle();
    return html`${(["vi", "en"] as const).map(
      (lang) =>
        html`<h3>${v.tr(`lang.${lang}`)}</h3>
          ${botText(procedureCard(p, lang, deps.t, bundle))}`,
    )}`;
  };
  const findProcedure = (code: string) => {
    const p = deps.content.bundle().procedures.find((x) => x.code === code);
    if (!p) throw notFound("content item");
    return p;
  };
  /**
   * Content shared by every unit (procedures, guides, the dictionary…) is edited at province level;
   * a ward's staff edit their own unit's record, hotlines and FAQs.
   */
  const canEdit = (v: StaffView, kind: ContentKind, item: unknown): boolean => {
    if (!can(v.actor, "content.edit")) return false;
    if (!v.actor.units.length) return true;
    const own = (unit: unknown) => typeof unit === "string" && v.actor.units.includes(unit);
    const data = item as { id?: unknown; unit?: unknown };
    return (kind === "units" && own(data.id)) || ((kind === "hotlines" || kind === "faqs") && own(data.unit));
  };
  const mayEdit = (v: StaffView, kind: ContentKind, item: unknown) => {
    if (!canEdit(v, kind, item))
      throw new AppError("OUT_OF_SCOPE", 403, "errors:http.forbidden", v.tr("content.sharedContent"));
  };
  const flashOf = (req: Request) => (typeof req.query.done === "string" ? req.query.done : undefined);

  ctx.route("get", "/content", "content.view", (req, res, v) => {
    const bundle = deps.content.bundle();
    const q = typeof req.query.q === "string" ? req.query.q.slice(0, 100) : "";
    const fq = foldText(q);
    const rows = bundle.procedures.filter(
      (p) =>
        !fq ||
        p.code.includes(fq) ||
        foldText(`${p.name} ${p.aliases.join(" ")} ${p.keywords.join(" ")}`).includes(fq),
    );
    const fields = new Map(bundle.fields.map((f) => [f.id, v.lang === "en" ? f.name_en : f.name]));
    res.type("html").send(
      page(
        v,
        v.tr("content.title"),
        html`<form class="card row" method="get" action="/admin/content" role="search">
            <div>
              <label for="q">${v.tr("content.search")}</label
              ><input id="q" name="q" type="search" value="${q}" />
            </div>
            <div style="flex:0 0 auto"><button type="submit">${v.tr("content.find")}</button></div>
          </form>
          <h2>${v.tr("content.procedures")} (${rows.length})</h2>
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
                (p) =>
                  html`<tr>
                    <td>${p.code}</td>
                    <td><a href="/admin/content/procedures/${p.code}">${p.name}</a></td>
                    <td>${fields.get(p.field) ?? p.field}</td>
                    <td>${v.tr(`procedure.onlineLevels.${p.online}`)}</td>
                    <td>
                      ${p.verified ? html`<span class="badge ok">${v.tr("procedure.verified")}</span>` : html`<span class="badge warn">${v.tr("procedure.toVerify")}</span>`}
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

  ctx.route("get", "/content/procedures/:code", "content.view", (req, res, v) => {
    const p = findProcedure(parse(keySchema, req.params.code));
    res.type("html").send(
      page(
        v,
        p.name,
        procedureForm(v, p, { editable: canEdit(v, "procedures", p), problems: [], preview: preview(p, v) }),
        {
          flash: flashOf(req),
        },
      ),
    );
  });

  ctx.route("get", "/content/procedures/:code/file", "content.view", (req, res) => {
    const [file, text] = procedureFile(findProcedure(parse(keySchema, req.params.code)));
    res
      .type("application/yaml; charset=utf-8")
      .set("Content-Disposition", `attachment; filename="${file.split("/").pop()}"`)
      .send(text);
  });

  ctx.route("post", "/content/procedures/:code", "content.edit", async (req, res, v) => {
    const base = findProcedure(parse(keySchema, req.params.code));
    mayEdit(v, "procedures", base);
    const body = req.body as Record<string, unknown>;
    const candidate = fromForm(base, body);
    const show = (problems: FieldIssue[], status: number, pv?: Html) =>
      res
        .status(status)
        .type("html")
        .send(page(v, base.name, procedureForm(v, candidate, { editable: true, problems, preview: pv })));
    if (body.action === "preview") {
      const r = procedureSchema.safeParse(candidate);
      if (!r.success) show(fieldIssues(r.error), 400);
      else show([], 200, preview(r.data, v));
      return;
    }
    try {
      const r = await saveItem(deps.content.models, "procedures", base.code, candidate);
      if (r.changed) {
        await deps.content.reload();
        await deps.audit.record(v.actor, "content.update", `procedures/${base.code}`, r.before, r.after);
      }
      ctx.done(res, `/admin/content/procedures/${base.code}`, r.changed ? "saved" : "unchanged");
    } catch (err) {
      if (err instanceof ContentEditError) show(err.issues, 400);
      else throw err;
    }
  });

  // === Every other kind, as YAML
  const itemsOf = (kind: ContentKind): Array<{ key: string; title: string; data: unknown }> => {
    const b = deps.content.bundle();
    const one = (data: unknown) => [{ key: "default", title: "default", data }];
    switch (kind) {
      case "units":
        return b.units.map((u) => ({ key: u.id, title: u.name, data: u }));
      case "hotlines":
        return b.hotlines.map((h) => ({ key: h.id, title: h.label, data: h }));
      case "fields":
        return b.fields.map((f) => ({ key: f.id, title: f.name, data: f }));
      case "procedures":
        return b.procedures.map((p) => ({ key: p.code, title: p.name, data: p }));
      case "guides":
        return b.guides.map((g) => ({ key: g.slug, title: g.title, data: g }));
      case "faqs":
        return b.faqs.map((f) => ({ key: f.slug, title: f.question, data: f }));
      case "articles":
        return b.articles.map((a) => ({ key: a.slug, title: a.title, data: a }));
      case "surveys":
        return one(b.surveys);
      case "dictionary":
        return one(b.dictionary);
      case "portal":
        return one(b.portal);
    }
  };
  const yamlPage = (v: StaffView, kind: ContentKind, key: string, text: string, problems: FieldIssue[]) => {
    const editable = canEdit(v, kind, itemsOf(kind).find((i) => i.key === key)?.data);
    return page(
      v,
      `${v.tr(`content.kinds.${kind}`)}: ${key}`,
      html`${errorBox(v, problems)}
        <form class="card" method="post" action="/admin/content/${kind}/${key}">
          ${csrfField(v)}
          <label for="yaml"
            >${v.tr("content.yaml")} <span class="hint">${v.tr("content.yamlHint")}</span></label
          >
          <textarea id="yaml" name="yaml" class="code" spellcheck="false" ${editable ? "" : "readonly"}>
${text}</textarea>
          ${editable ? html`<p><button type="submit">${v.tr("form.save")}</button></p>` : ""}
        </form>
        ${asBot(v, kind, key)}`,
    );
  };
  /** The saved item as the bot shows it, for kinds the bot shows as one message. */
  const asBot = (v: StaffView, kind: ContentKind, key: string): Html | "" => {
    const b = deps.content.bundle();
    const render = (text: (lang: "vi" | "en") => string) =>
      html`<section class="card">
        <h2>${v.tr("content.asBotSaved")}</h2>
        ${(["vi", "en"] as const).map(
          (lang) =>
            html`<h3>${v.tr(`lang.${lang}`)}</h3>
              ${botText(text(lang))}`,
        )}
      </section>`;
    const guide = kind === "guides" ? b.guides.find((g) => g.slug === key) : undefined;
    if (guide) return render((lang) => guideText(guide, lang));
    const faq = kind === "faqs" ? b.faqs.find((f) => f.slug === key) : undefined;
    if (faq) return render((lang) => faqText(faq, lang));
    const hotline = kind === "hotlines" ? b.hotlines.find((h) => h.id === key) : undefined;
    if (hotline) return render((lang) => hotlineLine(hotline, lang, deps.t));
    return "";
  };

  ctx.route("get", "/content/:kind", "content.view", (req, res, v) => {
    const kind = parse(kindSchema, req.params.kind);
    if (kind === "procedures") {
      res.redirect(303, "/admin/content");
      return;
    }
    res.type("html").send(
      page(
        v,
        v.tr(`content.kinds.${kind}`),
        html`<table>
            <thead>
              <tr>
                <th>${v.tr("content.key")}</th>
                <th>${v.tr("content.itemTitle")}</th>
              </tr>
            </thead>
            <tbody>
              ${itemsOf(kind).map(
                (i) =>
                  html`<tr>
                    <td><a href="/admin/content/${kind}/${i.key}">${i.key}</a></td>
                    <td>${i.title}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <p><a href="/admin/content">${v.tr("content.back")}</a></p>`,
        { flash: flashOf(req) },
      ),
    );
  });

  ctx.route("get", "/content/:kind/:key", "content.view", (req, res, v) => {
    const kind = parse(kindSchema, req.params.kind);
    const key = parse(keySchema, req.params.key);
    const item = itemsOf(kind).find((i) => i.key === key);
    if (!item) throw notFound("content item");
    res.type("html").send(yamlPage(v, kind, key, YAML.stringify(item.data, { lineWidth: 0 }), []));
  });

  ctx.route("post", "/content/:kind/:key", "content.edit", async (req, res, v) => {
    const kind = parse(kindSchema, req.params.kind);
    const key = parse(keySchema, req.params.key);
    const current = itemsOf(kind).find((i) => i.key === key);
    if (!current) throw notFound("content item");
    mayEdit(v, kind, current.data);
    const text = str((req.body as { yaml?: unknown }).yaml).slice(0, 200_000);
    let data: unknown;
    try {
      data = YAML.parse(text, { uniqueKeys: true }) as unknown;
    } catch (err) {
      res
        .status(400)
        .type("html")
        .send(
          yamlPage(v, kind, key, text, [
            { path: "", message: `YAML: ${(err as Error).message.split("\n")[0]}` },
          ]),
        );
      return;
    }
    try {
      if (
        data &&
        typeof data === "object" &&
        !Array.isArray(data) &&
        keyOf(kind, data as Record<string, unknown>) !== key
      )
        throw new ContentEditError([{ path: "", message: v.tr("content.keyFixed", { key }) }]);
      const r = await saveItem(deps.content.models, kind, key, data);
      if (r.changed) {
        await deps.content.reload();
        await deps.audit.record(v.actor, "content.update", `${kind}/${key}`, r.before, r.after);
      }
      ctx.done(res, `/admin/content/${kind}`, r.changed ? "saved" : "unchanged");
    } catch (err) {
      if (err instanceof ContentEditError)
        res
          .status(400)
          .type("html")
          .send(yamlPage(v, kind, key, text, err.issues));
      else throw err;
    }
  });
}
