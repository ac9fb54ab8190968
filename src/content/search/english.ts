/**
 * English in the search (issue 17, point 6): residents in English mode and foreigners living in a ward
 * ask in English, and are answered from the items' English names and aliases. English words are
 * reduced to a stem on both sides ("copies" and "copy", "married" and "marry", "closing" and "close"
 * meet), and the function words of an English question ("what", "do", "can", "the") carry no meaning,
 * even those that fold like a Vietnamese syllable ("the" is also "thẻ", "can" is "cần").
 */

/**
 * A Vietnamese syllable without its diacritics: an initial, one to three vowels, a final. English
 * words of that shape ("can", "the", "do") are left as they are; Vietnamese is never stemmed.
 */
const VIETNAMESE_SHAPE =
  /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$/;

/** Whether a folded word could be a Vietnamese syllable typed without diacritics. */
export function vietnameseShaped(word: string): boolean {
  return VIETNAMESE_SHAPE.test(word);
}

const VOWEL = /[aeiouy]/;

/**
 * The stem of an English word, after the first step of Porter's algorithm and a final "e" dropped:
 * "copies" → "copi", "certified" → "certifi", "closing" → "clos", "documents" → "document". Words of a
 * Vietnamese syllable's shape, short words, abbreviations without vowels ("dkks") and anything with
 * digits or diacritics come back unchanged.
 */
export function englishStem(word: string): string {
  if (word.length < 4 || !/^[a-z]+$/.test(word) || !VOWEL.test(word) || vietnameseShaped(word)) return word;
  let w = word;
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies")) w = w.slice(0, -2);
  else if (!/(ss|us|is)$/.test(w) && w.endsWith("s")) w = w.slice(0, -1);
  if (w.endsWith("eed")) w = w.slice(0, -1);
  else {
    const m = /^(.+?)(ed|ing)$/.exec(w);
    if (m && VOWEL.test(m[1]!) && m[1]!.length >= 2) {
      w = m[1]!;
      if (/(at|bl|iz)$/.test(w)) w += "e";
      else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
      else if (/^[^aeiouy]*[aeiouy][^aeiouywx]$/.test(w)) w += "e";
    }
  }
  if (w.length > 2 && w.endsWith("y") && VOWEL.test(w.slice(0, -1))) w = `${w.slice(0, -1)}i`;
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

/**
 * Function words of English questions, and the story words around them ("yesterday", "at home"), which
 * name no item. Content words ("register", "copy", "free", "open") are not here.
 */
const STOPWORDS = `a about above after again ago all also am an and any anyone anything are as ask asking at
  away be because been before being both but by can could d dear did do does doing done don each else even
  every excuse for from get getting go going good got had has have having he hello help her here hey hi him
  his home how i if im in into is it its just know last let like ll m madam make may maybe me might mine
  more morning most much must my myself need needed needs next night no not now of off ok okay on one only
  or other our out over please pls re really s sir so some someone something still such t tell than thank
  thanks that the their them then there these they thing things this those to today tomorrow too try u
  up us ve very want wanted wants was way we week well were what whats when where which while who why
  will with would yes yesterday yet you your register registering registered registration apply
  applying month months year years day days week weeks soon later vietnamese morning afternoon evening
  husband wife son daughter girl boy man woman brother sister uncle aunt cousin nephew niece grandmother
  grandfather grandma grandpa granny friend paperwork needed required she old aged`.split(/\s+/);

/** The stems of English function words, as the index's syllables give them. */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(STOPWORDS.map(englishStem));

/**
 * Whether a question is in English: no Vietnamese diacritics, a word no Vietnamese syllable has the
 * shape of (other than a known abbreviation such as "cccd"), and most words English.
 * `isAbbreviation` tells the dictionary's abbreviations.
 */
export function looksEnglish(text: string, isAbbreviation: (word: string) => boolean = () => false): boolean {
  const words = text
    .normalize("NFC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (!words.length || words.some((w) => !/^[a-z0-9]+$/.test(w))) return false;
  const foreign = (w: string) => /^[a-z]+$/.test(w) && !vietnameseShaped(w) && !isAbbreviation(w);
  if (!words.some(foreign)) return false;
  const english = words.filter((w) => foreign(w) || ENGLISH_STOPWORDS.has(englishStem(w))).length;
  return english / words.length >= 0.6;
}
