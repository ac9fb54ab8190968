/**
 * `npm run content:check-links`: checks every link the content shows residents now (as the daily job
 * does), records each link's status for the console's verification page, and prints the failing ones.
 * Set LINK_CHECK_ORIGIN to send every request to a local stand-in instead of the real sites.
 */
import { loadConfig } from "../src/config.js";
import { createLinkChecker } from "../src/content/links.js";
import { readContentFromStore } from "../src/content/store.js";
import { createLogger } from "../src/logger.js";
import { connectStore } from "../src/store/connect.js";
import { contentModels } from "../src/store/models/content.js";
import { formatProblems, readContentDir } from "../src/content/loader.js";

const config = loadConfig();
const logger = createLogger({ level: "warn" });
const store = await connectStore(config, logger, { attachToRunning: true });
try {
  // What residents see is the stored content (console edits included); the files when the store is empty.
  let bundle = (await readContentFromStore(contentModels(store.connection))).bundle;
  if (!bundle) {
    const read = readContentDir(config.contentDir);
    if (!read.ok) {
      console.error(formatProblems(read.problems));
      process.exitCode = 1;
    } else bundle = read.bundle;
  }
  if (bundle) {
    const checker = createLinkChecker({
      connection: store.connection,
      logger,
      concurrency: config.linkCheck.concurrency,
      timeoutMs: config.linkCheck.timeoutMs,
      origin: config.linkCheck.origin,
    });
    const results = await checker.run(bundle);
    const failing = results.filter((r) => !r.ok);
    console.log(`${results.length} links checked, ${failing.length} failing.`);
    for (const f of failing) console.log(`  ✗ ${f.url} → ${f.status || f.error} (${f.refs.join(", ")})`);
  }
} finally {
  await store.close();
}
