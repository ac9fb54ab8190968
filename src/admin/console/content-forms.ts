/**
 * Forms for the content kinds a ward edits every day (Hỏi – Đáp, hotlines, the unit's own facts,
 * guides, articles): one description per kind, from which the page draws labelled fields and reads
 * the submitted form back into an item. Empty optional fields are left out (never stored as null);
 * problems are shown beside their field with the field's name, in the staff member's language.
 */
import type { Unit } from "../../content/schemas.js";
import type { FieldIssue } from "../../content/store.js";
import { foldText } from "../../core/intents.js";
import { html, type Html } from "../../reports/html.js";
import type { ContentKind } from "../../store/models/content.js";
import { issueText, many, str, type View } from "./layout.js";

type FieldType =
  "text" | "area" | "long" | "lines" | "unit" | "check" | "date" | "dates" | "hours" | "links" | "phone";

/** One field of a form: its item property, how it is edited, and whether it may be empty. */
export interface FieldSpec {
  name: string;
  type: FieldType;
  required?: boolean;
  /** Only all-unit editors may change it (e.g. a unit's official name). */
  provinceOnly?: boolean;
}

/** The kinds edited by form, and their fields in the order a person fills them in. */
export const FORMS = {
  faqs: [
    { name: "question", type: "text", required: true },
    { name: "answer", type: "area", required: true },
    { name: "unit", type: "unit" },
    { name: "aliases", type: "lines" },
    { name: "related", type: "lines" },
    { name: "question_en", type: "text" },
    { name: "answer_en", type: "area" },
  ],
  hotlines: [
    { name: "label", type: "text", required: true },
    { name: "phone", type: "phone", required: true },
    { name: "unit", type: "unit" },
    { name: "hours", type: "text" },
    { name: "note", type: "area" },
    { name: "sample", type: "check" },
    { name: "label_en", type: "text" },
  ],
  units: [
    { name: "name", type: "text", required: true, provinceOnly: true },
    { name: "name_en", type: "text", provinceOnly: true },
    { name: "address", type: "text" },
    { name: "phone", type: "phone" },
    { name: "office_hours", type: "text" },
    { name: "working_hours", type: "hours" },
    { name: "closed_dates", type: "dates" },
    { name: "portal", type: "text" },
  ],
  guides: [
    { name: "title", type: "text", required: true },
    { name: "summary", type: "area", required: true },
    { name: "body", type: "long", required: true },
    { name: "aliases", type: "lines" },
    { name: "keywords", type: "lines" },
    { name: "links", type: "links" },
    { name: "verified", type: "check" },
    { name: "title_en", type: "text" },
  ],
  articles: [
    { name: "title", type: "text", required: true },
    { name: "date", type: "date", required: true },
    { name: "unit", type: "unit" },
    { name: "topic", type: "text", required: true },
    { name: "body", type: "long", required: true },
    { name: "sample", type: "check" },
  ],
} as const satisfies Partial<Record<ContentKind, readonly FieldSpec[]>>;
export type FormKind = keyof typeof FORMS;

export const isFormKind = (k: ContentKind): k is FormKind => k in FORMS;

/** The property an item's title is read from, per form kind. */
export const TITLE_FIELD: Record<FormKind, string> = {
  faqs: "question",
  hotlines: "label",
  units: "name",
  guides: "title",
  articles: "title",
};

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
/** Rows of the opening-hours editor (filled ones plus blanks to add more), and the most read back. */
const HOUR_ROWS = 4;
const MAX_HOUR_ROWS = 20;

const lines = (s: unknown) =>
  str(s)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** "dd/mm/yyyy" or "yyyy-mm-dd" → "yyyy-mm-dd"; anything else is returned as typed (the schema says why). */
function isoDay(s: string): string {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
  return s;
}
const dmy = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d.slice(8)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : d;

/**
 * The item a submitted form describes: `base` (the stored item, or {} for a new one) with the form's
 * fields over it. Fields the actor may not change keep their stored value.
 */
export function itemFromForm(
  kind: FormKind,
  base: Record<string, unknown>,
  body: Record<string, unknown>,
  opts: { provinceWide: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const f of FORMS[kind] as readonly FieldSpec[]) {
    if (f.provinceOnly && !opts.provinceWide) continue;
    const raw = body[f.name];
    let value: unknown;
    switch (f.type) {
      case "text":
      case "area":
      case "long":
      case "phone":
      case "unit":
      case "date":
        value = str(raw).trim().replace(/\r\n/g, "\n");
        break;
      case "lines":
        value = lines(raw);
        break;
      case "dates":
        value = lines(raw).map(isoDay);
        break;
      case "check":
        value = raw === "on" || raw === "true";
        break;
      case "links":
        value = lines(raw).map((l) => {
          const i = l.lastIndexOf("|");
          return i < 0 ? { label: "", url: l } : { label: l.slice(0, i).trim(), url: l.slice(i + 1).trim() };
        });
        break;
      case "hours": {
        const rows = [];
        for (let i = 0; i < MAX_HOUR_ROWS; i++) {
          const days = many(body[`${f.name}_${i}_days`]);
          const from = str(body[`${f.name}_${i}_from`]).trim();
          const to = str(body[`${f.name}_${i}_to`]).trim();
          if (days.length || from || to) rows.push({ days, from, to });
        }
        value = rows;
        break;
      }
    }
    const empty = value === "" || (Array.isArray(value) && value.length === 0);
    // An empty optional field is absent, not "" or null; an empty required one stays "" so the
    // schema names it. Lists with a default ([]) keep it.
    if (empty && !f.required && f.type !== "lines" && f.type !== "links") delete out[f.name];
    else out[f.name] = value;
  }
  return out;
}

/** A new item's key from its title: "Giờ làm việc ngày lễ?" → "gio-lam-viec-ngay-le", unique among `taken`. */
export function newKey(title: string, taken: Set<string>, prefix = ""): string {
  const words = foldText(title)
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  let base = prefix;
  for (const w of words) {
    const next = base ? `${base}-${w}` : w;
    if (next.length > 40) break;
    base = next;
  }
  base ||= "muc";
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}

// === Drawing a form

/** The validators' own rules, by their (English) message, as keys of `contentForm.rules`. */
const RULES: Record<string, string> = {
  "digits, spaces, dots, dashes (x only in samples)": "phone",
  "a placeholder number (with x) must be marked sample: true": "sample",
  "'from' must be before 'to'": "fromTo",
  "a time like 07:30": "time",
};

/** One problem in words, e.g. "Số điện thoại: chỉ gồm chữ số…". */
export function problemText(v: View, p: FieldIssue): string {
  const rule = RULES[p.message];
  if (rule) return v.tr(`contentForm.rules.${rule}`);
  if (p.code === "out_of_scope" || p.code === "key_taken" || p.code === "key_fixed")
    return v.tr(`contentForm.rules.${p.code}`);
  if (p.code === "invalid_format" && p.format === "date") return v.tr("contentForm.rules.date");
  if (p.code === "invalid_format" && p.format === "regex" && /related/.test(p.path))
    return v.tr("contentForm.rules.related");
  return issueText(v, p);
}

/** The form field a problem belongs to ("working_hours.1.from" → "working_hours"). */
const fieldOf = (p: FieldIssue) => p.path.split(".")[0] ?? "";

/** The label of a field of `kind`. */
export const fieldLabel = (v: View, name: string) => {
  const key = `contentForm.fields.${name}`;
  const label = v.tr(key);
  // A field without a label of its own (the dictionary's, in the YAML view) is named as written.
  return label === key ? name : label;
};

/** The problems of a form, each named by its field's label and linked to it. */
export function problemsBox(
  v: View,
  problems: FieldIssue[],
  label: (field: string) => string = (f) => fieldLabel(v, f),
): Html | "" {
  if (!problems.length) return "";
  return html`<div class="errors" role="alert">
    <strong>${v.tr("form.invalid")}</strong>
    <ul>
      ${problems.map((p) => {
        const f = fieldOf(p);
        return html`<li>${f ? html`<a href="#f-${f}">${label(f)}</a>: ` : ""}${problemText(v, p)}</li>`;
      })}
    </ul>
  </div>`;
}

/** What a form needs to draw its unit choice: the units the actor may choose, by name. */
export interface UnitChoice {
  units: Unit[];
  /** Whether "every unit of the province" (no unit) may be chosen. */
  provinceWide: boolean;
}

/** The fields of a form, filled from `item`, with each field's problems beside it. */
export function formFields(
  v: View,
  kind: FormKind,
  item: Record<string, unknown>,
  opts: { editable: boolean; problems: FieldIssue[]; units: UnitChoice },
): Html {
  const ro = opts.editable ? "" : "readonly";
  const dis = opts.editable ? "" : "disabled";
  return html`${(FORMS[kind] as readonly FieldSpec[]).map((f) => {
    const id = `f-${f.name}`;
    const mine = opts.problems.filter((p) => fieldOf(p) === f.name);
    const err = mine.length
      ? html`<p class="field-error" id="e-${f.name}">${mine.map((p) => problemText(v, p)).join("; ")}</p>`
      : "";
    const described = html`${f.required ? html`aria-required="true"` : ""}
    ${mine.length ? html`aria-invalid="true" aria-describedby="e-${f.name}"` : ""}`;
    const locked = f.provinceOnly && !opts.units.provinceWide ? "readonly" : ro;
    const hintKey = `contentForm.hints.${f.name}`;
    const hint = v.tr(hintKey) !== hintKey ? html` <span class="hint">${v.tr(hintKey)}</span>` : "";
    const label = html`<label for="${id}"
      >${fieldLabel(v, f.name)}${f.required ? html` <span class="req" aria-hidden="true">*</span>` : ""}${hint}</label
    >`;
    const value = item[f.name];
    const list = (xs: unknown) => (Array.isArray(xs) ? xs.map(String).join("\n") : "");
    switch (f.type) {
      case "text":
      case "phone":
        return html`${label}<input
            id="${id}"
            name="${f.name}"
            type="text"
            ${f.type === "phone" ? html`inputmode="tel"` : ""}
            value="${str(value)}"
            ${locked}
            ${described}
          />${err}`;
      case "date":
        return html`${label}<input
            id="${id}"
            name="${f.name}"
            type="date"
            value="${str(value)}"
            ${ro}
            ${described}
          />${err}`;
      case "area":
      case "long":
        return html`${label}<textarea
            id="${id}"
            name="${f.name}"
            rows="${f.type === "long" ? 14 : 4}"
            ${ro}
            ${described}
          >
${str(value)}</textarea
          >${err}`;
      case "lines":
        return html`${label}<textarea id="${id}" name="${f.name}" rows="4" ${ro} ${described}>
${list(value)}</textarea
          >${err}`;
      case "dates":
        return html`${label}<textarea id="${id}" name="${f.name}" rows="4" ${ro} ${described}>
${Array.isArray(value) ? value.map((d) => dmy(String(d))).join("\n") : ""}</textarea
          >${err}`;
      case "links":
        return html`${label}<textarea id="${id}" name="${f.name}" rows="3" ${ro} ${described}>
${Array.isArray(value) ? (value as Array<{ label?: string; url?: string }>).map((l) => `${l.label ?? ""} | ${l.url ?? ""}`).join("\n") : ""}</textarea
          >${err}`;
      case "check":
        return html`<label class="check" for="${id}"
            ><input id="${id}" name="${f.name}" type="checkbox" ${value === true ? "checked" : ""} ${dis} />
            ${fieldLabel(v, f.name)}${hint}</label
          >${err}`;
      case "unit": {
        const current = str(value);
        const choices = opts.units.units;
        return html`${label}<select id="${id}" name="${f.name}" ${dis} ${described}>
            ${opts.units.provinceWide ? html`<option value="" ${current ? "" : "selected"}>${v.tr("contentForm.everyUnit")}</option>` : ""}
            ${choices.map((u) => html`<option value="${u.id}" ${u.id === current ? "selected" : ""}>${v.lang === "en" && u.name_en ? u.name_en : u.name}</option>`)}</select
          >${err}`;
      }
      case "hours": {
        const rows = Array.isArray(value)
          ? (value as Array<{ days?: string[]; from?: string; to?: string }>)
          : [];
        const n = Math.min(MAX_HOUR_ROWS, Math.max(HOUR_ROWS, rows.length + 1));
        return html`<fieldset id="${id}" ${described}>
            <legend>${fieldLabel(v, f.name)}${hint}</legend>
            ${Array.from({ length: n }, (_, i) => {
              const r = rows[i] ?? {};
              const days = new Set(r.days ?? []);
              return html`<div
                class="hours-row"
                role="group"
                aria-label="${v.tr("contentForm.period", { n: i + 1 })}"
              >
                <span class="days">
                  ${DAYS.map(
                    (d) =>
                      html`<label class="check"
                        ><input
                          type="checkbox"
                          name="${f.name}_${i}_days"
                          value="${d}"
                          ${days.has(d) ? "checked" : ""}
                          ${dis}
                        />
                        ${v.tr(`contentForm.days.${d}`)}</label
                      >`,
                  )}
                </span>
                <label class="time"
                  >${v.tr("contentForm.from")}
                  <input type="time" name="${f.name}_${i}_from" value="${r.from ?? ""}" ${ro}
                /></label>
                <label class="time"
                  >${v.tr("contentForm.to")}
                  <input type="time" name="${f.name}_${i}_to" value="${r.to ?? ""}" ${ro}
                /></label>
              </div>`;
            })}
          </fieldset>
          ${err}`;
      }
    }
  })}`;
}
