/**
 * `npm run -s bench:search`: search latency over the whole sample catalogue for the dev-set questions
 * (and their diacritic-free forms), repeated; prints p50/p99 and index build time.
 */
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { readContentDir } from "../src/content/loader.js";
import { createSearchIndex } from "../src/content/search/index.js";
import { fold } from "../src/content/search/normalize.js";

const read = readContentDir("content");
if (!read.ok) throw new Error("content invalid");
let t = performance.now();
const index = createSearchIndex(read.bundle);
const buildMs = performance.now() - t;
const file = fs.existsSync("../shared/search-dev-set.jsonl")
  ? "../shared/search-dev-set.jsonl"
  : "test/fixtures/search-holdout.jsonl";
const questions = fs
  .readFileSync(file, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { q: string }).q);
const all = [...questions, ...questions.map(fold)];
for (const q of all) index.search(q); // warm-up
const lat: number[] = [];
for (let round = 0; round < 50; round++) {
  for (const q of all) {
    t = performance.now();
    index.search(q);
    lat.push(performance.now() - t);
  }
}
lat.sort((a, b) => a - b);
const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]!.toFixed(3);
console.log(`index: ${index.size} documents built in ${buildMs.toFixed(1)} ms; ${lat.length} searches`);
console.log(
  `search_p50_ms=${p(0.5)} search_p99_ms=${p(0.99)} max_ms=${lat[lat.length - 1]!.toFixed(3)} n=${lat.length}`,
);
