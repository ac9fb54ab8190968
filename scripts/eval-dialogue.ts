/**
 * `npm run -s eval:dialogue -- FILE.jsonl [--verbose]`: runs every dialogue through the engine and
 * checks each turn (format in ../shared/dialogue-eval.md). Prints each failed turn, then
 * `turns=N pass=N rate=… dialogues=N dialogues_all_pass=…` as the last line.
 */
import { evaluateFile, summarise } from "./dialogue/run.js";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
const verbose = args.includes("--verbose");
const contentDir = args.find((a) => a.startsWith("--content="))?.slice(10) ?? "content";
if (!file) {
  console.error("usage: npm run -s eval:dialogue -- FILE.jsonl [--verbose] [--content=DIR]");
  process.exit(2);
}
const results = await evaluateFile(file, { contentDir });
for (const r of results) {
  if (!r.pass || verbose)
    console.log(
      `${r.pass ? "ok  " : "FAIL"} ${r.dialogue} #${r.n} ${JSON.stringify(r.sent)} expected ${r.expected} -> ${r.got}`,
    );
}
console.log(summarise(results).line);
process.exit(0);
