/** English in the search (src/content/search/english.ts): stems, function words, English questions. */
import { describe, expect, it } from "vitest";
import { readContentDir } from "../../../src/content/loader.js";
import { englishStem, looksEnglish } from "../../../src/content/search/english.js";
import { createSearchIndex } from "../../../src/content/search/index.js";

const content = readContentDir("content");
if (!content.ok) throw new Error("sample content does not load");
const index = createSearchIndex(content.bundle);

describe("english stems", () => {
  it("should bring inflected English words to the stem of their base form", () => {
    expect(englishStem("copies")).toBe(englishStem("copy"));
    expect(englishStem("certified")).toBe(englishStem("certify"));
    expect(englishStem("married")).toBe(englishStem("marry"));
    expect(englishStem("closing")).toBe(englishStem("close"));
    expect(englishStem("notarized")).toBe(englishStem("notarize"));
    expect(englishStem("documents")).toBe(englishStem("document"));
  });

  it("should leave Vietnamese syllables and abbreviations alone", () => {
    for (const w of ["nguoi", "khuyen", "truong", "the", "can", "dkks", "cccd", "hs", "gks", "1.001193"])
      expect(englishStem(w)).toBe(w);
  });
});

describe("english questions", () => {
  it("should tell an English question from Vietnamese typed without diacritics", () => {
    expect(looksEnglish("what about certified copies of my passport")).toBe(true);
    expect(looksEnglish("can I do it online")).toBe(true);
    expect(looksEnglish("co the lam online duoc khong")).toBe(false);
    expect(looksEnglish("the cccd bi mat")).toBe(false);
    expect(looksEnglish("Thẻ căn cước bị mất")).toBe(false);
  });

  it("should find the item an English question names, whatever its function words", () => {
    const cases: Array<[string, string]> = [
      ["ok, what about certified copies of my passport and my degree?", "2.000815"],
      ["My father passed away yesterday at home. What do I have to register?", "1.000656"],
      ["we just had a baby, how do we get the birth certificate", "1.001193"],
      ["where can I notarize a copy of my diploma", "2.000815"],
      ["I want to close my shop", "1.001266"],
      ["I rent an apartment here, do I need to register temporary residence", "1.004194"],
      ["we want to get married next month, both Vietnamese", "1.000894"],
    ];
    for (const [q, id] of cases) {
      const r = index.search(q);
      expect({ q, top: r.hits[0]?.id, level: r.level }).toEqual({ q, top: id, level: "confident" });
    }
  });

  it("should not answer a question that names nothing with an item", () => {
    expect(index.search("What do I have to register?").level).toBe("none");
    expect(index.search("what is the weather tomorrow").level).not.toBe("confident");
  });
});
