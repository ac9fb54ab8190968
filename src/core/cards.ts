/** Building the texts of procedure cards, guides, FAQs and hotlines from content. */
import type { Facet } from "./intents.js";
import type { ContentView, FaqInfo, GuideInfo, HotlineInfo, ProcedureInfo, Translate } from "./ports.js";
import type { Button, Lang } from "./types.js";

/** Makes content text safe inside our light markup (only `**` is special). */
export function plain(text: string): string {
  return text.replace(/\*\*/g, "*");
}

const bold = (s: string) => `**${plain(s)}**`;

/** The procedure's fields in the user's language, falling back to Vietnamese. */
export function localized(p: ProcedureInfo, lang: Lang) {
  const en = lang === "en" ? p.en : undefined;
  return {
    name: en?.name ?? p.name,
    summary: en?.summary ?? p.summary,
    where: en?.where ?? p.where,
    documents: en?.documents ?? p.documents,
    processingTime: en?.processing_time ?? p.processing_time,
    fee: en?.fee ?? p.fee,
    steps: en?.steps ?? p.steps,
  };
}

/**
 * Where "see on the portal" leads: the procedure's page when staff have entered the portal's own id,
 * else the portal's search page (the code alone cannot address a page; content-facts).
 */
export function portalLink(view: ContentView, p: Pick<ProcedureInfo, "portal_id">): string {
  return p.portal_id
    ? view.portal.procedure_url.replace("{id}", encodeURIComponent(p.portal_id))
    : view.portal.search_url;
}

function list(items: string[]): string {
  return items.map((i) => `• ${plain(i)}`).join("\n");
}

/**
 * The ⚠️ line every answer about a procedure carries while any of its facts awaits verification
 * (content-facts: "simplest safe rule"), naming those facts; "" when all are verified. Cards, facet
 * answers, the steps button and choice previews all go through this one function (issue 20).
 */
export function unverifiedNote(p: ProcedureInfo, lang: Lang, t: Translate): string {
  if (p.verified && p.unverified.length === 0) return "";
  const fields = p.unverified.map((f) => t(lang, `card.facts.${f}`)).join(", ");
  return t(lang, "card.unverified", { fields });
}

/** Appends the unverified note (if any) after a blank line. */
function withNote(text: string, p: ProcedureInfo, lang: Lang, t: Translate): string {
  const note = unverifiedNote(p, lang, t);
  return note ? `${text}\n\n${note}` : text;
}

/** One facet of a procedure, as a short answer, with the unverified note when the procedure has one. */
export function facetText(
  p: ProcedureInfo,
  facet: Facet,
  lang: Lang,
  t: Translate,
  view: ContentView,
): string {
  return withNote(facetBody(p, facet, lang, t, view), p, lang, t);
}

function facetBody(p: ProcedureInfo, facet: Facet, lang: Lang, t: Translate, view: ContentView): string {
  const l = localized(p, lang);
  const head = `${bold(l.name)}\n`;
  switch (facet) {
    case "fee":
      return `${head}${t(lang, "card.fee")}: ${plain(l.fee)}`;
    case "time":
      return `${head}${t(lang, "card.time")}: ${plain(l.processingTime)}`;
    case "where":
      return `${head}${t(lang, "card.where")}: ${plain(l.where)}`;
    case "documents":
      return `${head}${t(lang, "card.documents")}:\n${list(l.documents)}`;
    case "steps":
      return `${head}${t(lang, "card.steps")}:\n${l.steps.map((s, i) => `${i + 1}. ${plain(s)}`).join("\n")}`;
    case "legal_basis":
      return `${head}${t(lang, "card.legal")}:\n${list(p.legal_basis)}`;
    case "who":
      return `${head}${t(lang, "card.who")}: ${p.who ? plain(p.who) : t(lang, "card.whoUnknown")}`;
    case "online":
      return p.online === "none"
        ? `${head}${onlineLine(p, lang, t)}`
        : `${head}${onlineLine(p, lang, t)}\n${portalLine(p, lang, t, view)}`;
  }
}

function portalLine(p: ProcedureInfo, lang: Lang, t: Translate, view: ContentView): string {
  return p.portal_id
    ? `${t(lang, "card.portal")}: ${portalLink(view, p)}`
    : `${t(lang, "card.portalSearch", { code: p.code })}: ${portalLink(view, p)}`;
}

function onlineLine(p: ProcedureInfo, lang: Lang, t: Translate): string {
  const label = t(lang, `card.online.${p.online}`);
  return `${t(lang, "card.onlineLabel")}: ${label}${p.online_note ? ` — ${plain(p.online_note)}` : ""}`;
}

/** The first sentence of a summary (the rest is in the facets). */
function firstSentence(text: string): string {
  const m = /^(.+?[.!?…])\s+\p{Lu}/u.exec(text);
  return m ? m[1]! : text;
}

/** The summary's first sentence when it is short; a long one would push the facts off the screen. */
function summaryLine(summary: string): string[] {
  const first = firstSentence(summary);
  return first.length <= 160 ? [plain(first)] : [];
}

/** "Where" without its "or online …" tail when the online line right below says the same. */
function withoutOnlineAlternative(where: string, p: ProcedureInfo): string {
  if (p.online === "none") return where;
  return where
    .replace(/[;,]\s*(hoặc|or)\s+(nộp\s+)?(trực tuyến|online)[^;]*\.?$/iu, ".")
    .replace(/\.\.$/, ".");
}

/** What a phone shows without scrolling: the first answer about a procedure stays within this. */
export const CARD_BUDGET = 600;

/** Characters as the phone shows them (the bold markers are not shown). */
export function shownLength(text: string): number {
  return text.replace(/\*\*/g, "").length;
}

/** The longest a time or fee line may be on the card; a longer one is cut and its button shows it whole. */
const LINE_MAX = 120;

/**
 * A fact cut for the card at a sentence or clause end within `max` characters (else at a word), with
 * "…" when something was left out: "15.000 đồng khi nộp trực tiếp; 7.000 đồng khi nộp trực tuyến. Miễn
 * lệ phí cho …" becomes its first sentence.
 */
function brief(text: string, max = LINE_MAX): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const head = text.slice(0, max);
  const clause = Math.max(head.lastIndexOf(". "), head.lastIndexOf("; "));
  if (clause >= max / 3) return { text: `${head.slice(0, clause + 1).replace(/;$/, "")} …`, cut: true };
  const word = head.lastIndexOf(" ");
  return { text: `${head.slice(0, word > 0 ? word : max)} …`, cut: true };
}

/**
 * The first answer about a procedure, laid out for a phone screen (CARD_BUDGET characters): what it
 * is, time, fee, where, online, and the ⚠️ line. When that is too long, the summary goes first, then
 * long time, fee and place lines are cut shorter; a cut fact gets a button that shows it whole.
 */
function cardLayout(p: ProcedureInfo, lang: Lang, t: Translate): { text: string; cut: Facet[] } {
  const l = localized(p, lang);
  const title = `${bold(l.name)} (${t(lang, "card.code")} ${p.code})`;
  // Whole facts first: a fact is cut only when the card would not fit otherwise.
  const layouts = [
    { summary: true, max: Infinity },
    { summary: false, max: Infinity },
    { summary: false, max: LINE_MAX },
    { summary: false, max: LINE_MAX * 0.75 },
  ];
  let last = { text: "", cut: [] as Facet[] };
  for (const { summary, max } of layouts) {
    const facts = {
      time: brief(l.processingTime, max),
      fee: brief(l.fee, max),
      where: brief(withoutOnlineAlternative(l.where, p), max),
    };
    const lines = [
      title,
      ...(summary ? summaryLine(l.summary) : []),
      "",
      `⏱ ${bold(t(lang, "card.time"))}: ${plain(facts.time.text)}`,
      `💰 ${bold(t(lang, "card.fee"))}: ${plain(facts.fee.text)}`,
      `📍 ${bold(t(lang, "card.where"))}: ${plain(facts.where.text)}`,
      `🌐 ${t(lang, "card.onlineLabel")}: ${t(lang, `card.online.${p.online}`)}`,
    ];
    const cut = (["time", "fee", "where"] as const).filter((f) => facts[f].cut);
    last = { text: withNote(lines.join("\n"), p, lang, t), cut };
    if (shownLength(last.text) <= CARD_BUDGET) break;
  }
  return last;
}

/** The first answer about a procedure (see cardLayout); papers, steps and legal basis are a button away. */
export function procedureCard(p: ProcedureInfo, lang: Lang, t: Translate, _view: ContentView): string {
  return cardLayout(p, lang, t).text;
}

/** Buttons under a procedure card. */
export function procedureButtons(p: ProcedureInfo, lang: Lang, t: Translate, view: ContentView): Button[][] {
  const rows: Button[][] = [
    [
      { kind: "action", label: t(lang, "card.buttons.documents"), payload: `pf:${p.code}:documents` },
      { kind: "action", label: t(lang, "card.buttons.steps"), payload: `ps:${p.code}` },
    ],
    [{ kind: "action", label: t(lang, "card.buttons.legal"), payload: `pf:${p.code}:legal_basis` }],
  ];
  // A time, fee or place cut short on the card is one tap away in full.
  const cut: Button[] = cardLayout(p, lang, t).cut.map((f) => ({
    kind: "action",
    label: t(lang, `card.buttons.${f}`),
    payload: `pf:${p.code}:${f}`,
  }));
  if (cut.length) rows.splice(1, 0, cut);
  if (p.online !== "none")
    rows[1]!.push({ kind: "url", label: t(lang, "card.buttons.portal"), url: portalLink(view, p) });
  if (p.related.length)
    rows.push([{ kind: "action", label: t(lang, "card.buttons.related"), payload: `pr:${p.code}` }]);
  rows.push([
    { kind: "action", label: t(lang, "menu.hotlines"), payload: "m:hot" },
    { kind: "action", label: t(lang, "menu.back"), payload: "menu" },
  ]);
  return rows;
}

/**
 * A guide's title and body; Markdown headings are flattened, bold is kept. Given `t`, a guide that
 * awaits verification ends with the ⚠️ line.
 */
export function guideText(g: GuideInfo, lang: Lang, t?: Translate): string {
  const title = lang === "en" && g.title_en ? g.title_en : g.title;
  const body = g.body
    .replace(/^#+\s*/gm, "")
    // A line break inside a paragraph or list item is a space (Markdown), not a break on the phone.
    .replace(/(?<!\n)\n(?!\n|\s*(?:[-*•]|\d+\.)\s)\s*/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  const note = g.verified === false && t ? `\n\n${t(lang, "card.unverifiedItem")}` : "";
  return `${bold(title)}\n\n${body}${note}`;
}

/** A question and its answer, with the ⚠️ line when the answer awaits verification. */
export function faqText(f: FaqInfo, lang: Lang, t?: Translate): string {
  const q = lang === "en" && f.question_en ? f.question_en : f.question;
  const a = lang === "en" && f.answer_en ? f.answer_en : f.answer;
  const note = f.verified === false && t ? `\n\n${t(lang, "card.unverifiedItem")}` : "";
  return `${bold(q)}\n\n${plain(a)}${note}`;
}

/** A hotline line: label, number (marked when it is a placeholder), hours and note. */
export function hotlineLine(h: HotlineInfo, lang: Lang, t: Translate): string {
  const label = lang === "en" && h.label_en ? h.label_en : h.label;
  const sample = h.sample ? ` ${t(lang, "hotlines.sample")}` : "";
  const hours = h.hours ? ` (${plain(h.hours)})` : "";
  const note = h.note ? `\n   ${plain(h.note)}` : "";
  return `☎️ ${plain(label)}: ${bold(h.phone)}${sample}${hours}${note}`;
}

/**
 * The five-level satisfaction scale as buttons, best first, each answering `rs:<kind>:<id>:<score>`
 * (kind: a procedure, "t" a ticket, "h" a handoff…), e.g. `ratingButtons("vi", t, "t", "PA-2026-000123")`.
 */
export function ratingButtons(lang: Lang, t: Translate, kind: string, id: string): Button[][] {
  return [5, 4, 3, 2, 1].map((n) => [
    { kind: "action", label: t(lang, `rating.scale.${n}`), payload: `rs:${kind}:${id}:${n}` },
  ]);
}
