/**
 * The Vietnamese analysis shared by indexing and querying: syllables folded without diacritics, plus
 * adjacent-syllable bigrams; queries are also expanded with the staff-editable dictionary.
 */
import type { Dictionary } from "../schemas.js";
import { ENGLISH_STOPWORDS, looksEnglish } from "./english.js";
import { accentKey, fold, hasDiacritics, syllables } from "./normalize.js";

/** A query term with its weight and the concept (original word) it stands for. */
export interface QueryTerm {
  term: string;
  weight: number;
  /** Index of the original token (or phrase) this term stands for; coverage counts concepts. */
  concept: number;
  /** Coverage group: a concept (`c:3`) or an original bigram (`b:khai sinh`). */
  group: string;
  /** Whether the term is what the user typed (accents matter) rather than an expansion. */
  typed: boolean;
  /** Whether the user typed this word with diacritics. */
  hasAccents?: boolean;
}

/** A prepared dictionary: folded abbreviations, synonym phrases and stopwords. */
export interface Lexicon {
  abbreviations: Map<string, string[]>;
  synonyms: Array<{ variant: string[]; canonical: string[] }>;
  /** Single-word stopwords by accent key ("từ" and "tử" differ). */
  stopwords: Set<string>;
  /** Single-word stopwords folded, for words typed without diacritics. */
  foldedStopwords: Set<string>;
  /** Multi-word stop phrases ("mất bao lâu"), folded, longest first. */
  stopPhrases: string[][];
  /**
   * Folded forms that are also meaningful content words ("tu" is "từ" but also "tử"): typed without
   * diacritics they are kept. Filled by the index from its vocabulary.
   */
  protectedFolds: Set<string>;
  /** Folded bigrams of the content's keywords (short noun phrases): a stopword inside one is kept ("bản sao"). */
  contentBigrams: Set<string>;
}

/** Folds the dictionary once so matching ignores case and diacritics. */
export function createLexicon(
  dict: Dictionary,
  contentPhrases: string[] = [],
  keywords: string[] = [],
): Lexicon {
  const contentSyllables = contentPhrases.flatMap(syllables);
  const contentBigrams = new Set<string>();
  for (const phrase of keywords) {
    const f = syllables(phrase).map(fold);
    for (let i = 0; i + 1 < f.length; i++) contentBigrams.add(`${f[i]} ${f[i + 1]}`);
  }
  const abbreviations = new Map<string, string[]>();
  // Keys as the question's words come (an English key such as "online" is stemmed like them).
  for (const [k, v] of Object.entries(dict.abbreviations))
    abbreviations.set(syllables(k).map(fold).join(" "), syllables(v));
  const synonyms = dict.synonyms
    .flatMap((s) =>
      s.variants.map((v) => ({ variant: syllables(v).map(fold), canonical: syllables(s.canonical) })),
    )
    .sort((a, b) => b.variant.length - a.variant.length);
  const single = dict.stopwords
    .map(syllables)
    .filter((w) => w.length === 1)
    .map((w) => w[0]!);
  const stopPhrases = dict.stopwords
    .map((w) => syllables(w).map(fold))
    .filter((w) => w.length > 1)
    .sort((a, b) => b.length - a.length);
  const stopKeys = new Set(single.map(accentKey));
  const foldedStopwords = new Set(single.map(fold));
  const protectedFolds = new Set<string>();
  for (const syl of contentSyllables) {
    const f = fold(syl);
    if (foldedStopwords.has(f) && !stopKeys.has(accentKey(syl))) protectedFolds.add(f);
  }
  return {
    abbreviations,
    synonyms,
    stopwords: stopKeys,
    foldedStopwords,
    stopPhrases,
    protectedFolds,
    contentBigrams,
  };
}

function isStopword(token: string, lex: Lexicon): boolean {
  if (hasDiacritics(token)) return lex.stopwords.has(accentKey(token));
  return lex.foldedStopwords.has(fold(token));
}

/** Unigrams and bigrams of folded syllables, for indexing a field. */
export function indexTerms(text: string): string[] {
  const folded = syllables(text).map(fold);
  const out = [...folded];
  for (let i = 0; i + 1 < folded.length; i++) out.push(`${folded[i]} ${folded[i + 1]}`);
  return out;
}

/** Accented syllables of a text, for the bonus when the user's diacritics agree. */
export function accentedSyllables(text: string): string[] {
  return syllables(text).filter(hasDiacritics);
}

/** A query after analysis. */
export interface AnalyzedQuery {
  /** Syllables as typed (after abbreviation expansion), lower case, accents kept. */
  tokens: string[];
  /** For each folded unigram term typed with diacritics: the accent keys the user typed. */
  typedAccents: Map<string, string>;
  terms: QueryTerm[];
  /** How many concepts (meaningful words) the query has. */
  concepts: number;
  accented: string[];
}

const EXPANSION_WEIGHT = 0.8;

/**
 * Analyses a citizen's question: abbreviations expanded, stopwords dropped, synonyms added as
 * alternatives of the words they replace, bigrams over the remaining words.
 */
export function analyzeQuery(text: string, lex: Lexicon): AnalyzedQuery {
  const raw = syllables(text);
  const tokens: string[] = [];
  for (const t of raw) {
    const exp = lex.abbreviations.get(fold(t));
    if (exp && !(exp.length === 1 && exp[0] === t)) tokens.push(...exp);
    else tokens.push(t);
  }
  // Stop phrases ("mất bao lâu") go first: their words would otherwise be read as content ("mất" = died).
  const foldedAll = tokens.map(fold);
  const drop = new Array<boolean>(tokens.length).fill(false);
  for (const phrase of lex.stopPhrases) {
    for (let i = 0; i + phrase.length <= foldedAll.length; i++) {
      if (phrase.every((w, j) => foldedAll[i + j] === w && !drop[i + j]))
        for (let j = 0; j < phrase.length; j++) drop[i + j] = true;
    }
  }
  const kept0 = tokens.filter((_, i) => !drop[i]);
  tokens.length = 0;
  tokens.push(...kept0);
  const folded = tokens.map(fold);
  const terms: QueryTerm[] = [];
  let concepts = 0;
  const conceptOf: number[] = new Array<number>(folded.length).fill(-1);

  // Synonym phrases first (longest first); their words form one concept.
  const covered = new Array<boolean>(folded.length).fill(false);
  for (const syn of lex.synonyms) {
    const n = syn.variant.length;
    for (let i = 0; i + n <= folded.length; i++) {
      if (covered.slice(i, i + n).some(Boolean)) continue;
      if (syn.variant.every((w, j) => folded[i + j] === w)) {
        const c = concepts++;
        for (let j = i; j < i + n; j++) {
          covered[j] = true;
          conceptOf[j] = c;
        }
        const canon = syn.canonical.map(fold);
        const group = `c:${c}`;
        for (const w of canon)
          if (!lex.foldedStopwords.has(w))
            terms.push({ term: w, weight: EXPANSION_WEIGHT, concept: c, group, typed: false });
        for (let j = 0; j + 1 < canon.length; j++) {
          terms.push({
            term: `${canon[j]} ${canon[j + 1]}`,
            weight: EXPANSION_WEIGHT,
            concept: c,
            group,
            typed: false,
          });
        }
      }
    }
  }
  // Remaining words: each non-stopword is a concept of its own. A stopword that forms a known phrase
  // with a meaningful neighbour stays ("bản sao": "sao" is also "why"). In an English question the
  // English function words go too, even those that fold like a Vietnamese word ("the", "can").
  const english = looksEnglish(text);
  const englishStop = (i: number) => english && ENGLISH_STOPWORDS.has(folded[i]!);
  const stop = tokens.map((t, i) => isStopword(t, lex) || englishStop(i));
  const inPhrase = (i: number) =>
    (i > 0 && !stop[i - 1] && lex.contentBigrams.has(`${folded[i - 1]} ${folded[i]}`)) ||
    (i + 1 < folded.length && !stop[i + 1] && lex.contentBigrams.has(`${folded[i]} ${folded[i + 1]}`));
  // Typed without diacritics, "bao" may be "bảo" (content) or "bao" (stopword): kept, but weakly.
  const protectedWord = (i: number) =>
    !englishStop(i) &&
    !hasDiacritics(tokens[i]!) &&
    lex.foldedStopwords.has(folded[i]!) &&
    lex.protectedFolds.has(folded[i]!);
  const kept: number[] = [];
  for (let i = 0; i < folded.length; i++) {
    const w = folded[i]!;
    if (!covered[i] && stop[i] && !inPhrase(i) && !protectedWord(i)) continue;
    kept.push(i);
    if (covered[i]) {
      terms.push({ term: w, weight: 0.3, concept: conceptOf[i]!, group: `c:${conceptOf[i]}`, typed: true });
      continue;
    }
    const c = concepts++;
    conceptOf[i] = c;
    terms.push({
      term: w,
      weight: 1,
      concept: c,
      group: `c:${c}`,
      typed: true,
      hasAccents: hasDiacritics(tokens[i]!),
    });
  }
  for (let k = 0; k + 1 < kept.length; k++) {
    const a = kept[k]!;
    const b = kept[k + 1]!;
    if (b !== a + 1) continue;
    const term = `${folded[a]} ${folded[b]}`;
    terms.push({ term, weight: 1, concept: conceptOf[a]!, group: `b:${term}`, typed: false });
  }
  const typedAccents = new Map<string, string>();
  for (const t of tokens) if (hasDiacritics(t)) typedAccents.set(fold(t), accentKey(t));
  return { tokens, typedAccents, terms, concepts, accented: tokens.filter(hasDiacritics) };
}
