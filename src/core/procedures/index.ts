/**
 * Procedures, guides and FAQs: cards, browsing by field, and typed questions answered from the
 * catalogue, with follow-ups about the item in discussion (see follow-ups.ts). Owns payloads `p`, `ps`,
 * `pr`, `g`, `q`, `f`, `m:proc`, `m:guide`, the command /thutuc and the session's topic.
 */
import { faqText, facetText, guideText, procedureButtons, procedureCard } from "../cards.js";
import { action, type Feature, type Kit, type Turn } from "../feature.js";
import type { Facet } from "../intents.js";
import type { SearchAnswer } from "../ports.js";
import type { Button, Reply } from "../types.js";
import { answerQuestion } from "./follow-ups.js";

/** Facets a button may ask for (`pf:<code>:<facet>`). */
const FACETS: readonly string[] = [
  "fee",
  "time",
  "online",
  "documents",
  "where",
  "steps",
  "legal_basis",
  "who",
];

/** Procedures listed per page when browsing a field. */
export const PAGE_SIZE = 6;

type Hit = SearchAnswer["hits"][number];

/** What the procedures feature offers other features (the follow-up logic, not-found). */
export interface Catalogue {
  showProcedure(turn: Turn, code: string): Reply[];
  showFacet(turn: Turn, code: string, facet: Facet): Reply[];
  showHit(turn: Turn, hit: Hit): Reply[];
  hitPayload(hit: Hit): string;
  notFound(turn: Turn): Reply[];
}

/** Creates the procedures feature; `question` answers typed text from the catalogue. */
export function createProceduresFeature(kit: Kit): Feature & { catalogue: Catalogue } {
  const { t, ports } = kit;

  function showProcedure(turn: Turn, code: string): Reply[] {
    const view = ports.content.view();
    const p = view.procedures.find((x) => x.code === code);
    if (!p) return kit.stale(turn);
    turn.session.lastProcedure = p.code;
    delete turn.session.lastGuide;
    ports.views?.viewed({
      kind: "procedure",
      id: p.code,
      channel: turn.msg.channel,
      unit: turn.session.unit,
    });
    const buttons = procedureButtons(p, turn.lang, t, view);
    if (ports.feedback)
      buttons.splice(buttons.length - 1, 0, [action(t(turn.lang, "rating.rateAnswer"), `rt:p:${p.code}`)]);
    return [{ text: procedureCard(p, turn.lang, t, view), buttons, meta: { kind: "card", item: p.code } }];
  }

  function showFacet(turn: Turn, code: string, facet: Facet): Reply[] {
    const view = ports.content.view();
    const p = view.procedures.find((x) => x.code === code);
    if (!p) return kit.stale(turn);
    turn.session.lastProcedure = p.code;
    delete turn.session.lastGuide;
    const buttons: Button[][] = [
      [action(t(turn.lang, "card.buttons.full"), `p:${p.code}`), action(t(turn.lang, "menu.back"), "menu")],
    ];
    // A short answer can be rated like the card (it is often the only answer a citizen reads).
    if (ports.feedback) buttons.unshift([action(t(turn.lang, "rating.rateAnswer"), `rt:p:${p.code}`)]);
    return [
      {
        text: facetText(p, facet, turn.lang, t, view),
        buttons,
        meta: { kind: "facet", item: p.code, facet },
      },
    ];
  }

  function showGuide(turn: Turn, slug: string): Reply[] {
    const g = ports.content.view().guides.find((x) => x.slug === slug);
    if (!g) return kit.stale(turn);
    // The guide is now what a follow-up ("nộp ở đâu?") is about, not a procedure shown before it.
    turn.session.lastGuide = g.slug;
    delete turn.session.lastProcedure;
    ports.views?.viewed({ kind: "guide", id: g.slug, channel: turn.msg.channel, unit: turn.session.unit });
    const buttons: Button[][] = g.links.map((l) => [{ kind: "url", label: l.label, url: l.url }]);
    buttons.push([action(t(turn.lang, "menu.guides"), "m:guide"), action(t(turn.lang, "menu.back"), "menu")]);
    return [{ text: guideText(g, turn.lang, t), buttons, meta: { kind: "card", item: `guide:${g.slug}` } }];
  }

  function showFaq(turn: Turn, slug: string): Reply[] {
    const view = ports.content.view();
    const f = view.faqs.find((x) => x.slug === slug);
    if (!f) return kit.stale(turn);
    ports.views?.viewed({ kind: "faq", id: f.slug, channel: turn.msg.channel, unit: turn.session.unit });
    const related = f.related.flatMap((r) => {
      if (r.startsWith("guide:")) {
        const g = view.guides.find((x) => x.slug === r.slice(6));
        return g ? [action(turn.lang === "en" && g.title_en ? g.title_en : g.title, `g:${g.slug}`)] : [];
      }
      const p = view.procedures.find((x) => x.code === r);
      return p ? [action(p.name, `p:${p.code}`)] : [];
    });
    return [
      {
        text: faqText(f, turn.lang, t),
        buttons: [...related.map((b) => [b]), [action(t(turn.lang, "menu.back"), "menu")]],
        meta: { kind: "card", item: `faq:${f.slug}` },
      },
    ];
  }

  function showHit(turn: Turn, hit: Hit): Reply[] {
    if (hit.kind === "guide") return showGuide(turn, hit.id.slice("guide:".length));
    if (hit.kind === "faq") return showFaq(turn, hit.id.slice("faq:".length));
    return showProcedure(turn, hit.id);
  }

  function hitPayload(hit: Hit): string {
    if (hit.kind === "guide") return `g:${hit.id.slice(6)}`;
    if (hit.kind === "faq") return `q:${hit.id.slice(4)}`;
    return `p:${hit.id}`;
  }

  function notFound(turn: Turn): Reply[] {
    const L = turn.lang;
    return [
      {
        text: t(L, "search.none"),
        buttons: [
          ...kit.personRow(turn),
          [action(t(L, "menu.hotlines"), "m:hot"), action(t(L, "menu.procedures"), "m:proc")],
          [action(t(L, "menu.back"), "menu")],
        ],
        meta: { kind: "not_found" },
      },
    ];
  }

  const catalogue: Catalogue = { showProcedure, showFacet, showHit, hitPayload, notFound };

  function browseFields(turn: Turn): Reply[] {
    const L = turn.lang;
    const fields = ports.content.view().fields;
    const rows: Button[][] = [];
    for (let i = 0; i < fields.length; i += 2) {
      rows.push(fields.slice(i, i + 2).map((f) => action(L === "en" ? f.name_en : f.name, `f:${f.id}:0`)));
    }
    rows.push([action(t(L, "menu.back"), "menu")]);
    return [{ text: t(L, "browse.fields"), buttons: rows, meta: { kind: "browse" } }];
  }

  function browseField(turn: Turn, fieldId: string, page: number): Reply[] {
    const L = turn.lang;
    const view = ports.content.view();
    const field = view.fields.find((f) => f.id === fieldId);
    if (!field) return kit.stale(turn);
    const all = view.procedures.filter((p) => p.field === fieldId);
    const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
    const current = Math.min(Math.max(0, page), pages - 1);
    const items = all.slice(current * PAGE_SIZE, current * PAGE_SIZE + PAGE_SIZE);
    const nav: Button[] = [];
    if (current > 0) nav.push(action(t(L, "browse.prev"), `f:${fieldId}:${current - 1}`));
    if (current < pages - 1) nav.push(action(t(L, "browse.next"), `f:${fieldId}:${current + 1}`));
    return [
      {
        text: t(L, "browse.field", {
          field: L === "en" ? field.name_en : field.name,
          page: current + 1,
          pages,
        }),
        buttons: [
          ...items.map((p) => [action(L === "en" && p.en?.name ? p.en.name : p.name, `p:${p.code}`)]),
          ...(nav.length ? [nav] : []),
          [action(t(L, "browse.allFields"), "m:proc"), action(t(L, "menu.back"), "menu")],
        ],
        meta: { kind: "browse" },
      },
    ];
  }

  function related(turn: Turn, code: string): Reply[] {
    const view = ports.content.view();
    const p = view.procedures.find((x) => x.code === code);
    if (!p) return kit.stale(turn);
    const items = p.related.flatMap((c) => view.procedures.filter((x) => x.code === c));
    return [
      {
        text: t(turn.lang, "card.relatedTitle", { name: p.name }),
        buttons: [
          ...items.map((x) => [action(x.name, `p:${x.code}`)]),
          [action(t(turn.lang, "menu.back"), "menu")],
        ],
        meta: { kind: "choices", items: items.map((x) => x.code) },
      },
    ];
  }

  function guides(turn: Turn): Reply[] {
    const L = turn.lang;
    const list = ports.content.view().guides;
    return [
      {
        text: t(L, "guides.title"),
        buttons: [
          ...list.map((g) => [action(L === "en" && g.title_en ? g.title_en : g.title, `g:${g.slug}`)]),
          [action(t(L, "menu.back"), "menu")],
        ],
        meta: { kind: "browse" },
      },
    ];
  }

  const question = (turn: Turn, text: string) => answerQuestion(kit, catalogue, turn, text);

  return {
    name: "procedures",
    catalogue,
    payloads: {
      p: (turn, [code = ""]) => showProcedure(turn, code),
      ps: (turn, [code = ""]) => showFacet(turn, code, "steps"),
      pf: (turn, [code = "", facet = ""]) =>
        FACETS.includes(facet) ? showFacet(turn, code, facet as Facet) : kit.stale(turn),
      pr: (turn, [code = ""]) => related(turn, code),
      g: (turn, [slug = ""]) => showGuide(turn, slug),
      q: (turn, [slug = ""]) => showFaq(turn, slug),
      f: (turn, [id = "", page = ""]) => browseField(turn, id, Number.parseInt(page, 10) || 0),
      "m:proc": browseFields,
      "m:guide": guides,
    },
    commands: {
      thutuc: (turn, arg) => (arg ? question(turn, arg) : browseFields(turn)),
    },
    text: (turn, text) => question(turn, text),
  };
}
