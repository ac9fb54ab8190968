/**
 * Citizen questions written while probing the search (with and without diacritics, abbreviations,
 * typos, chatty phrasing, and topics outside the catalogue): each must keep its answer.
 */
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { readContentDir } from "../../../src/content/loader.js";
import { createSearchIndex, type SearchIndex } from "../../../src/content/search/index.js";

const cases = fs
  .readFileSync("test/fixtures/search-regressions.jsonl", "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { q: string; expect: string[] });

let index: SearchIndex;
beforeAll(() => {
  const read = readContentDir("content");
  if (!read.ok) throw new Error("sample content invalid");
  index = createSearchIndex(read.bundle);
});

describe("search regressions", () => {
  it.each(cases.filter((c) => c.expect.length > 0))("should answer %j", (c) => {
    const r = index.search(c.q);
    expect(c.expect, `${c.q} → ${r.hits[0]?.id}`).toContain(r.hits[0]?.id);
    expect(r.level, c.q).not.toBe("none");
  });
  it.each(cases.filter((c) => c.expect.length === 0))("should not answer %j confidently", (c) => {
    expect(index.search(c.q).level).not.toBe("confident");
  });
});
