/**
 * `npm run content:load [-- --dry-run]`: validates every file in CONTENT_DIR (reporting all problems
 * at once), then upserts the content into the store by key. Loading twice changes nothing; items no
 * longer in the files are reported, not deleted.
 */
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { formatProblems, readContentDir } from "../src/content/loader.js";
import { syncContent } from "../src/content/store.js";
import { unverifiedByUnit, verificationCounts } from "../src/content/verification.js";
import { connectStore } from "../src/store/connect.js";
import { contentModels } from "../src/store/models/content.js";

const dryRun = process.argv.includes("--dry-run");
const config = loadConfig();
const read = readContentDir(config.contentDir);
if (!read.ok) {
  console.error(`Content in ${config.contentDir} is invalid (${read.problems.length} problems):`);
  console.error(formatProblems(read.problems));
  process.exit(1);
}
const counts = verificationCounts(read.bundle);
console.log(
  `Awaiting verification: ${counts.unverifiedFacts} facts in ${counts.unverifiedProcedures} of ${counts.procedures} procedures, ` +
    `${counts.unverifiedGuides} guides, ${counts.unverifiedFaqs} FAQs; ${counts.sampleHotlines} sample hotlines.`,
);
for (const u of unverifiedByUnit(read.bundle)) console.log(`  ${u.name}: ${u.n} facts to verify or replace`);
const logger = createLogger({ level: "warn" });
const store = await connectStore(config, logger, { attachToRunning: true });
try {
  const report = await syncContent(read.bundle, contentModels(store.connection), { dryRun });
  const verb = dryRun ? "would be" : "were";
  console.log(
    `${report.created.length} items ${verb} created, ${report.updated.length} updated, ${report.unchanged} unchanged.`,
  );
  for (const c of report.created) console.log(`  + ${c}`);
  for (const u of report.updated) console.log(`  ~ ${u}`);
  if (report.removed.length) {
    console.log(
      `${report.removed.length} items are in the store but not in the files (kept; delete them in the console):`,
    );
    for (const r of report.removed) console.log(`  ? ${r}`);
  }
} finally {
  await store.close();
}
