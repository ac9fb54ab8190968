/**
 * The in-memory search index over procedures, guides and FAQs: BM25F over folded syllables and
 * bigrams, dictionary expansion, typo tolerance, a diacritics bonus and a calibrated confidence.
 */
import type { ContentBundle } from "../schemas.js";
import type { Dictionary } from "../schemas.js";
import { analyzeQuery, createLexicon, indexTerms, type Lexicon, type QueryTerm } from "./analyzer.js";
import { FuzzyVocabulary } from "./fuzzy.js";
import { accentKey, findCodes, fold, syllables } from "./normalize.js";

/** What kind of item a result is; its id says which (`1.001193`, `guide:vneid-muc-2`, `faq:…`). */
export type SearchKind = "procedure" | "guide" | "faq";

/** One ranked result. */
export interface SearchHit {
  id: string;
  kind: SearchKind;
  title: string;
  score: number;
}

/** How sure the search is: a card, a short list to choose from, or nothing credible. */
export type Confidence = "confident" | "unsure" | "none";

/** The answer to a query. */
export interface SearchResponse {
  query: string;
  hits: SearchHit[];
  /** Calibrated in [0, 1]. */
  confidence: number;
  level: Confidence;
  /** The question holds one of the top item's names (title, alias, keyword of two or more syllables) whole. */
  named?: boolean;
}

/** Thresholds on the calibrated confidence (tuned with `npm run eval:search`). */
export const THRESHOLDS = { confident: 0.55, unsure: 0.3 } as const;

interface FieldSpec {
  weight: number;
  b: number;
}

const FIELDS = {
  title: { weight: 3, b: 0.6 },
  aliases: { weight: 2.5, b: 0.2 },
  keywords: { weight: 2, b: 0.2 },
  summary: { weight: 0.8, b: 0.75 },
  body: { weight: 0.25, b: 0.75 },
} satisfies Record<string, FieldSpec>;
type FieldName = keyof typeof FIELDS;

/** A document to index: its id, title and the texts of each field. */
export interface IndexDoc {
  id: string;
  kind: SearchKind;
  title: string;
  fields: Partial<Record<FieldName, string[]>>;
}

const K1 = 1.2;
const sat = (x: number) => (x * (K1 + 1)) / (x + K1);

/** Turns the content bundle into index documents. */
export function documentsFromContent(bundle: ContentBundle): IndexDoc[] {
  const fieldName = new Map(bundle.fields.map((f) => [f.id, f.name]));
  const docs: IndexDoc[] = [];
  for (const p of bundle.procedures) {
    docs.push({
      id: p.code,
      kind: "procedure",
      title: p.name,
      fields: {
        title: [p.name],
        // English names are searched too (English mode, or an English question in Vietnamese mode).
        aliases: [...p.aliases, ...(p.en?.name ? [p.en.name] : []), ...(p.en?.aliases ?? [])],
        keywords: [...p.keywords, fieldName.get(p.field) ?? ""],
        summary: [p.summary],
        body: [p.who ?? "", p.where, ...p.documents, ...p.steps],
      },
    });
  }
  for (const g of bundle.guides) {
    docs.push({
      id: `guide:${g.slug}`,
      kind: "guide",
      title: g.title,
      fields: {
        title: [g.title],
        aliases: [...g.aliases, ...(g.title_en ? [g.title_en] : []), ...g.aliases_en],
        keywords: g.keywords,
        summary: [g.summary],
        body: [g.body],
      },
    });
  }
  for (const f of bundle.faqs) {
    docs.push({
      id: `faq:${f.slug}`,
      kind: "faq",
      title: f.question,
      fields: {
        title: [f.question],
        aliases: [...f.aliases, ...(f.question_en ? [f.question_en] : []), ...f.aliases_en],
        body: [f.answer],
      },
    });
  }
  return docs;
}

interface Posting {
  doc: number;
  /** BM25F pseudo term frequency: field-weighted, length-normalised. */
  tf: number;
}

/** The search index; rebuild it (cheap) whenever content changes. */
export class SearchIndex {
  private readonly docs: IndexDoc[];
  private readonly lex: Lexicon;
  private readonly postings = new Map<string, Posting[]>();
  private readonly idf = new Map<string, number>();
  private readonly maxIdf: number;
  /** Per document: folded syllable → the accent keys it appears with. */
  private readonly docAccents: Array<Map<string, Set<string>>>;
  /** Per document: its title and aliases as sets of folded words, for the phrase bonus. */
  /** Each item's title and aliases as words with their idf, and the idf total (for the phrase bonus). */
  private readonly phrases: Array<Array<{ words: string[]; idfs: number[]; all: number }>>;
  /** Each item's title core, folded, without stopwords (see the constructor). */
  private readonly titleWords: string[][];
  /** Each item's names (title, aliases, keywords) of two or more syllables, folded. */
  private readonly nameWords: string[][][];
  private readonly vocab: FuzzyVocabulary;
  private readonly codes: Map<string, number>;
  private readonly uncovered: string[];
  /** Matters of other agencies (the referral table): a look-alike item is at most offered as a choice. */
  private readonly referred: Array<{ topics: string[]; except: string[] }>;
  /** Per document: its title, aliases and keywords folded, to tell whether it names an uncovered topic. */
  private readonly names: string[];

  constructor(
    docs: IndexDoc[],
    dictionary: Dictionary,
    referred: Array<{ topics: string[]; except: string[] }> = [],
  ) {
    this.docs = docs;
    const n = docs.length;
    const perDoc = docs.map((d) => {
      const byField = new Map<FieldName, string[]>();
      for (const [name, texts] of Object.entries(d.fields) as Array<[FieldName, string[]]>) {
        byField.set(name, texts.flatMap(indexTerms));
      }
      return byField;
    });
    const avgLen = new Map<FieldName, number>();
    for (const name of Object.keys(FIELDS) as FieldName[]) {
      const lens = perDoc.map((m) => m.get(name)?.length ?? 0).filter((l) => l > 0);
      avgLen.set(name, lens.length ? lens.reduce((a, b) => a + b, 0) / lens.length : 1);
    }
    perDoc.forEach((byField, docIdx) => {
      const tf = new Map<string, number>();
      for (const [name, terms] of byField) {
        const spec = FIELDS[name];
        const norm = 1 - spec.b + (spec.b * terms.length) / avgLen.get(name)!;
        const counts = new Map<string, number>();
        for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
        // Repetition within a field saturates quickly: a term said five times is not five times as relevant.
        for (const [t, c] of counts) tf.set(t, (tf.get(t) ?? 0) + (spec.weight * Math.min(c, 3)) / norm);
      }
      for (const [t, v] of tf) {
        const list = this.postings.get(t);
        if (list) list.push({ doc: docIdx, tf: v });
        else this.postings.set(t, [{ doc: docIdx, tf: v }]);
      }
    });
    for (const [t, list] of this.postings)
      this.idf.set(t, Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5)));
    this.maxIdf = Math.log(1 + (n + 0.5) / 0.5);
    const allText = (d: IndexDoc) => Object.values(d.fields).flat();
    this.docAccents = docs.map((d) => {
      const m = new Map<string, Set<string>>();
      for (const syl of allText(d).flatMap(syllables)) {
        const f = fold(syl);
        const set = m.get(f) ?? new Set<string>();
        set.add(accentKey(syl));
        m.set(f, set);
      }
      return m;
    });
    const contentPhrases = docs.flatMap((d) => [
      ...(d.fields.title ?? []),
      ...(d.fields.aliases ?? []),
      ...(d.fields.keywords ?? []),
    ]);
    this.lex = createLexicon(
      dictionary,
      contentPhrases,
      docs.flatMap((d) => d.fields.keywords ?? []),
    );
    this.nameWords = docs.map((d) =>
      [...(d.fields.title ?? []), ...(d.fields.aliases ?? []), ...(d.fields.keywords ?? [])]
        .map((text) => syllables(text).map(fold))
        .filter((words) => words.length >= 2),
    );
    // A title's core: without the leading verb every procedure has ("Đăng ký khai tử" → "khai tử").
    this.titleWords = docs.map((d) =>
      syllables(d.title)
        .map(fold)
        .join(" ")
        .replace(/^(dang ky|cap|thu tuc|thuc hien|giai quyet) /, "")
        .split(" ")
        .filter((w) => !this.lex.foldedStopwords.has(w) || this.lex.protectedFolds.has(w)),
    );
    this.phrases = docs.map((d) =>
      [...(d.fields.title ?? []), ...(d.fields.aliases ?? [])].map((text) => {
        const words = [
          ...new Set(
            syllables(text)
              .map(fold)
              .filter((w) => !this.lex.foldedStopwords.has(w) || this.lex.protectedFolds.has(w)),
          ),
        ];
        const idfs = words.map((w) => this.idf.get(w) ?? 0);
        return { words, idfs, all: idfs.reduce((a, b) => a + b, 0) };
      }),
    );
    this.vocab = new FuzzyVocabulary([...this.postings.keys()].filter((t) => !t.includes(" ")));
    this.codes = new Map(docs.map((d, i) => [d.id, i]));
    const folded = (p: string) => ` ${syllables(p).map(fold).join(" ")} `;
    this.uncovered = dictionary.not_covered.map(folded);
    this.referred = referred.map((r) => ({ topics: r.topics.map(folded), except: r.except.map(folded) }));
    this.names = docs.map(
      (d) =>
        ` ${[...(d.fields.title ?? []), ...(d.fields.aliases ?? []), ...(d.fields.keywords ?? [])].map((t) => syllables(t).map(fold).join(" ")).join(" | ")} `,
    );
  }

  /** Whether the question names a topic the catalogue does not cover (and the result does not name it). */
  private namesUncoveredTopic(tokens: string[], doc: number, list = this.uncovered): boolean {
    const q = ` ${tokens.map(fold).join(" ")} `;
    return list.some((p) => q.includes(p) && !this.names[doc]!.includes(p));
  }

  /**
   * Whether the question names another agency's matter, and none of the words that make it the
   * commune's after all ("sao y bằng lái" is a certified copy, not a driving licence).
   */
  private namesReferredMatter(tokens: string[], doc: number): boolean {
    const q = ` ${tokens.map(fold).join(" ")} `;
    return this.referred.some(
      (r) =>
        r.topics.some((p) => !p.includes("...") && q.includes(p) && !this.names[doc]!.includes(p)) &&
        !r.except.some((p) => q.includes(p)),
    );
  }

  /** Number of indexed documents. */
  get size(): number {
    return this.docs.length;
  }

  /**
   * Adds corrections for words the vocabulary lacks: run-together syllables are split ("khaisinh"),
   * and words typed without diacritics get neighbours one edit away. A word typed with diacritics is
   * taken as meant: "vàng" is gold, not a typo of "hàng".
   */
  private correct(terms: QueryTerm[]): QueryTerm[] {
    const out: QueryTerm[] = [];
    for (const qt of terms) {
      out.push(qt);
      if (this.postings.has(qt.term) || qt.term.includes(" ") || !qt.typed) continue;
      const split = this.vocab.split(qt.term, (a, b) => this.postings.has(`${a} ${b}`));
      if (split) {
        const alt = (term: string) => ({ ...qt, term, weight: qt.weight * 0.9, typed: false });
        out.push(alt(split[0]), alt(split[1]), alt(`${split[0]} ${split[1]}`));
        continue;
      }
      if (qt.term.length < 3 || qt.hasAccents) continue;
      const near = this.vocab
        .near(qt.term)
        .sort((a, b) => (this.idf.get(a) ?? 0) - (this.idf.get(b) ?? 0))
        .slice(0, 2);
      for (const w of near) out.push({ ...qt, term: w, weight: qt.weight * 0.7, typed: false });
    }
    return out;
  }

  /** Searches, e.g. `index.search("lam giay khai sinh")` → hits with `1.001193` first, confident. */
  search(query: string, limit = 5): SearchResponse {
    const code = findCodes(query).find((c) => this.codes.has(c));
    if (code !== undefined) {
      const d = this.docs[this.codes.get(code)!]!;
      return {
        query,
        hits: [{ id: d.id, kind: d.kind, title: d.title, score: 1 }],
        confidence: 1,
        level: "confident",
        named: true,
      };
    }
    const analyzed = analyzeQuery(query, this.lex);
    const terms = this.correct(analyzed.terms);
    const scores = new Map<number, number>();
    const groupTotal = new Map<string, number>();
    const groupMatched = new Map<number, Map<string, number>>();
    for (const qt of terms) {
      const idf = this.idf.get(qt.term) ?? this.maxIdf;
      const share = qt.group.startsWith("b:") ? 0.5 : 1;
      const list = this.postings.get(qt.term);
      // A word pair no document has ("ông nội", a typo next to a word) is no evidence either way: its
      // words already count on their own.
      if (!list && share < 1) continue;
      groupTotal.set(qt.group, Math.max(groupTotal.get(qt.group) ?? 0, share * qt.weight * idf));
      if (!list) continue;
      const typedKey = qt.typed && !qt.term.includes(" ") ? analyzed.typedAccents.get(qt.term) : undefined;
      for (const p of list) {
        let factor = 1;
        if (typedKey) {
          const keys = this.docAccents[p.doc]!.get(qt.term);
          if (keys) factor = keys.has(typedKey) ? 1.1 : 0.35;
        }
        scores.set(p.doc, (scores.get(p.doc) ?? 0) + factor * qt.weight * idf * sat(p.tf));
        const gm = groupMatched.get(p.doc) ?? new Map<string, number>();
        gm.set(qt.group, Math.max(gm.get(qt.group) ?? 0, Math.min(1, factor) * share * qt.weight * idf));
        groupMatched.set(p.doc, gm);
      }
    }
    const total = [...groupTotal.values()].reduce((a, b) => a + b, 0);
    if (scores.size === 0 || total === 0) return { query, hits: [], confidence: 0, level: "none" };
    const queryWords = new Set(terms.filter((t) => !t.term.includes(" ")).map((t) => t.term));
    const ranked = [...scores.entries()].map(([doc, s]) => ({
      doc,
      score: s * (1 + 0.6 * this.phraseMatch(doc, queryWords) ** 2),
    }));
    ranked.sort((a, b) => b.score - a.score || this.docs[a.doc]!.id.localeCompare(this.docs[b.doc]!.id));
    const top = ranked[0]!;
    const covered = [...(groupMatched.get(top.doc)?.values() ?? [])].reduce((a, b) => a + b, 0);
    const coverage = covered / total;
    const strength = Math.min(1, top.score / (total * sat(FIELDS.title.weight)));
    const second = ranked[1]?.score ?? 0;
    const margin = top.score > 0 ? (top.score - second) / top.score : 0;
    let confidence = calibrate(coverage, strength, margin, covered);
    // The question holds one of the top item's names whole ("khai tử" in "khai tử cho ông nội"): the
    // other words are the citizen's own story, so offer the closest items rather than nothing.
    if (margin >= 0.1 && this.holdsName(top.doc, queryWords)) confidence = Math.max(confidence, NAMED_FLOOR);
    const named = this.holdsName(top.doc, queryWords, true);
    // The question says the top item's whole title ("đi đăng ký kết hôn", whatever else it tells), and
    // no other close item's longer title: that item is meant.
    if (this.holdsTitle(top.doc, ranked.slice(1, 5), queryWords))
      confidence = Math.max(confidence, TITLE_FLOOR);
    // Two or more items fit almost equally ("đăng ký lại": of a birth, a marriage, a death) and the
    // question names none of them whole: offer them rather than guess.
    if (!named && margin < TIE_MARGIN) confidence = Math.min(confidence, TIE_CAP);
    if (this.namesUncoveredTopic(analyzed.tokens, top.doc)) confidence = Math.min(confidence, UNCOVERED_CAP);
    if (this.namesReferredMatter(analyzed.tokens, top.doc)) confidence = Math.min(confidence, REFERRED_CAP);
    const level: Confidence =
      confidence >= THRESHOLDS.confident ? "confident" : confidence >= THRESHOLDS.unsure ? "unsure" : "none";
    return {
      query,
      hits: ranked.slice(0, limit).map((r) => {
        const d = this.docs[r.doc]!;
        return { id: d.id, kind: d.kind, title: d.title, score: Number(r.score.toFixed(4)) };
      }),
      confidence: Number(confidence.toFixed(3)),
      level,
      named,
    };
  }

  /** Whether the query holds the item's title (two words or more), longer than any close item's it holds. */
  private holdsTitle(doc: number, others: Array<{ doc: number }>, queryWords: Set<string>): boolean {
    const held = (d: number) => {
      const words = this.titleWords[d]!;
      return words.length >= 2 && words.every((w) => queryWords.has(w)) ? words.length : 0;
    };
    const mine = held(doc);
    return mine > 0 && others.every((o) => held(o.doc) < mine);
  }

  /** How completely the query says one of the document's names or aliases (idf-weighted share). */
  /** Whether the query has every word of one of the item's names of two or more syllables. */
  private holdsName(doc: number, queryWords: Set<string>, clearly = false): boolean {
    return this.nameWords[doc]!.some(
      (name) =>
        name.every((w) => queryWords.has(w)) &&
        // Clearly: two words besides numbers ("tách hộ" names an item; "80 tuổi" is the citizen's story).
        (!clearly || name.filter((w) => !/^\d+$/.test(w)).length >= 2),
    );
  }

  private phraseMatch(doc: number, queryWords: Set<string>): number {
    let best = 0;
    for (const phrase of this.phrases[doc]!) {
      if (phrase.all <= 0) continue;
      let have = 0;
      for (let i = 0; i < phrase.words.length; i++)
        if (queryWords.has(phrase.words[i]!)) have += phrase.idfs[i]!;
      best = Math.max(best, have / phrase.all);
    }
    return best;
  }
}

/**
 * Combines into [0, 1]: coverage (share of the question's meaning found in the top result), strength
 * (its score against a perfect title match), margin over the runner-up, and evidence (the absolute
 * weight of what matched: two common words are not enough, whatever their share).
 */
function calibrate(coverage: number, strength: number, margin: number, evidence: number): number {
  const x = 4.5 * coverage + 3 * strength + 1.2 * margin - 4.6 + 5 * (Math.min(1, evidence / 2.5) - 1);
  return 1 / (1 + Math.exp(-x));
}

/** Below this margin over the runner-up, an item not named whole is a tie (see TIE_CAP). */
const TIE_MARGIN = 0.05;

/** A tie between items the question does not name is at most "unsure": the closest items as choices. */
const TIE_CAP = 0.5;

/** Confidence given to a question that holds an item's whole title: a card. */
const TITLE_FLOOR = 0.6;

/** Confidence given to a question that names an item whole (an "unsure" answer: the closest items). */
const NAMED_FLOOR = 0.42;

/**
 * A question naming a topic the catalogue does not cover (the weather, a loan, a joke) finds nothing:
 * an honest "not found" with the hotline, never look-alike choices.
 */
const UNCOVERED_CAP = 0.2;

/** A question naming another agency's matter is at most "unsure" (the referral answers it first). */
const REFERRED_CAP = 0.45;

/** Builds the index from validated content, e.g. `createSearchIndex(bundle).search("dk ket hon")`. */
export function createSearchIndex(bundle: ContentBundle): SearchIndex {
  // Matters of other agencies (the referral table) are never answered confidently by a catalogue item.
  const referred = (bundle.referrals ?? []).map((r) => ({ topics: r.topics, except: r.except }));
  return new SearchIndex(documentsFromContent(bundle), bundle.dictionary, referred);
}
