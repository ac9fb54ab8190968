/**
 * `npm run content:export -- <dir>`: writes the content in the store (with the console's edits) as
 * files in the layout of `content/`, to review with `git diff` and commit. Refuses a non-empty
 * directory other than CONTENT_DIR itself unless `--force` is given.
 */
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../src/config.js";
import { writeContentDir } from "../src/content/export.js";
import { readContentFromStore } from "../src/content/store.js";
import { createLogger } from "../src/logger.js";
import { connectStore } from "../src/store/connect.js";
import { contentModels } from "../src/store/models/content.js";

const args = process.argv.slice(2);
const config = loadConfig();
const dir = path.resolve(args.find((a) => !a.startsWith("--")) ?? config.contentDir);
if (
  dir !== path.resolve(config.contentDir) &&
  fs.existsSync(dir) &&
  fs.readdirSync(dir).length > 0 &&
  !args.includes("--force")
) {
  console.error(`${dir} is not empty; pass --force to write into it.`);
  process.exit(1);
}
const store = await connectStore(config, createLogger({ level: "warn" }), { attachToRunning: true });
try {
  const { bundle, problems } = await readContentFromStore(contentModels(store.connection));
  for (const p of problems) console.error(`skipped (invalid in the store): ${p}`);
  if (!bundle) {
    console.error("The store holds no complete content.");
    process.exitCode = 1;
  } else {
    const files = writeContentDir(bundle, dir);
    console.log(`${files.length} files written to ${dir}.`);
  }
} finally {
  await store.close();
}
