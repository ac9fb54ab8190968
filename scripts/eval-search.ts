/**
 * `npm run -s eval:search -- FILE.jsonl [--verbose]`: measures search quality. Each line is
 * `{"q": "...", "expect": ["1.001193"]}`; an empty `expect` means out of scope. Prints each miss, then
 * `top1=… top3=… oos=… n=…` as the last line.
 */
import fs from "node:fs";
import { z } from "zod";
import { readContentDir, formatProblems } from "../src/content/loader.js";
import { createSearchIndex } from "../src/content/search/index.js";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
const verbose = args.includes("--verbose");
const contentDir = args.find((a) => a.startsWith("--content="))?.slice(10) ?? "content";
if (!file) {
  console.error("usage: npm run -s eval:search -- FILE.jsonl [--verbose] [--content=DIR]");
  process.exit(2);
}
const lineSchema = z.object({ q: z.string(), expect: z.array(z.string()) });
const cases = fs
  .readFileSync(file, "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l, i) => {
    const r = lineSchema.safeParse(JSON.parse(l));
    if (!r.success) throw new Error(`${file}:${i + 1}: ${r.error.message}`);
    return r.data;
  });
const content = readContentDir(contentDir);
if (!content.ok) {
  console.error(formatProblems(content.problems));
  process.exit(1);
}
const index = createSearchIndex(content.bundle);
let inScope = 0;
let top1 = 0;
let top3 = 0;
let oos = 0;
let oosOk = 0;
/** In-scope questions by the answer the bot gives: a card, a short list to choose from, or "not found". */
const levels = { confident: 0, unsure: 0, none: 0 };
for (const c of cases) {
  const r = index.search(c.q);
  const ids = r.hits.map((h) => h.id);
  const show = `${r.level}(${r.confidence}) ${ids.slice(0, 3).join(", ")}`;
  if (c.expect.length === 0) {
    oos++;
    if (r.level !== "confident") oosOk++;
    else console.log(`MISS oos   ${JSON.stringify(c.q)} -> ${show}`);
    if (verbose && r.level !== "confident") console.log(`ok   oos   ${JSON.stringify(c.q)} -> ${show}`);
    continue;
  }
  inScope++;
  levels[r.level]++;
  const hit1 = ids[0] !== undefined && c.expect.includes(ids[0]);
  const hit3 = ids.slice(0, 3).some((id) => c.expect.includes(id));
  if (hit1) top1++;
  if (hit3) top3++;
  if (!hit1)
    console.log(
      `MISS ${hit3 ? "top3" : "    "} ${JSON.stringify(c.q)} expected ${c.expect.join("|")} -> ${show}`,
    );
  else if (verbose) console.log(`ok         ${JSON.stringify(c.q)} -> ${show}`);
}
const f = (n: number, d: number) => (d ? n / d : 1).toFixed(3);
console.log(
  `in-scope answers: card=${f(levels.confident, inScope)} choices=${f(levels.unsure, inScope)} not_found=${f(levels.none, inScope)}`,
);
console.log(`top1=${f(top1, inScope)} top3=${f(top3, inScope)} oos=${f(oosOk, oos)} n=${cases.length}`);
