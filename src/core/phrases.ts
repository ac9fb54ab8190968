/** Matching phrases from content against what a citizen typed, without diacritics. */
import { foldText } from "./intents.js";

/**
 * Whether `folded` (see foldText) contains the phrase: its words in a row, or for "A ... B" the words of
 * A and later those of B. E.g. `hasPhrase("bang dai hoc cua toi bi mat", "bằng đại học ... mất")`.
 */
export function hasPhrase(folded: string, phrase: string): boolean {
  const hay = ` ${folded} `;
  let from = 0;
  for (const part of phrase.split("...")) {
    const needle = foldText(part);
    if (!needle) continue;
    const at = hay.indexOf(` ${needle} `, from);
    if (at < 0) return false;
    from = at + needle.length + 1;
  }
  return true;
}
