/** Typo tolerance: vocabulary look-up within one edit (insert, delete, substitute, transpose). */

function deletes(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** A symmetric-delete index (as in SymSpell) over the folded vocabulary. */
export class FuzzyVocabulary {
  private readonly words: Set<string>;
  private readonly byDelete = new Map<string, Set<string>>();

  constructor(words: Iterable<string>) {
    this.words = new Set(words);
    for (const w of this.words) {
      if (w.length < 3) continue;
      for (const d of deletes(w)) {
        const set = this.byDelete.get(d);
        if (set) set.add(w);
        else this.byDelete.set(d, new Set([w]));
      }
    }
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  /** Vocabulary words one edit away from `word` (never `word` itself); words under 3 letters get none. */
  near(word: string): string[] {
    if (word.length < 3) return [];
    const found = new Set<string>();
    for (const w of this.byDelete.get(word) ?? []) found.add(w); // a letter missing from the typed word
    for (const d of deletes(word)) {
      if (this.words.has(d) && d.length >= 2) found.add(d); // an extra letter typed
      for (const w of this.byDelete.get(d) ?? []) if (w.length === word.length) found.add(w); // substitution or swap
    }
    found.delete(word);
    return [...found];
  }

  /**
   * Splits a run-together word into two vocabulary syllables ("khaisinh" → ["khai", "sinh"]),
   * preferring a split whose pair is itself known (`isPair`), as "ket hon" over "ke thon".
   */
  split(word: string, isPair: (a: string, b: string) => boolean = () => false): [string, string] | undefined {
    let fallback: [string, string] | undefined;
    for (let i = 1; i <= word.length - 1; i++) {
      const a = word.slice(0, i);
      const b = word.slice(i);
      if (!this.words.has(a) || !this.words.has(b)) continue;
      if (isPair(a, b)) return [a, b];
      fallback ??= [a, b];
    }
    return fallback;
  }
}
