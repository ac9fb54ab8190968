/**
 * `npm run announce -- --file announcement.yaml`: validates and schedules an announcement; the running
 * service sends it (it attaches to the running embedded store, or uses MONGODB_URI).
 * Also: `--status ID`, `--pause ID`, `--resume ID`, `--cancel ID`, `--list`.
 */
import fs from "node:fs";
import YAML from "yaml";
import { createBroadcastService } from "../src/broadcast/service.js";
import { loadConfig } from "../src/config.js";
import { createTranslator } from "../src/i18n.js";
import { createLogger } from "../src/logger.js";
import { connectStore } from "../src/store/connect.js";
import { announcementModel } from "../src/store/models/announcement.js";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? "") : undefined;
};
const usage =
  "usage: npm run announce -- --file FILE.yaml | --status ID | --pause ID | --resume ID | --cancel ID | --list";
if (!args.length) {
  console.error(usage);
  process.exit(2);
}
const config = loadConfig();
const logger = createLogger({ level: "warn" });
const store = await connectStore(config, logger, { attachToRunning: true });
const svc = createBroadcastService({
  connection: store.connection,
  senders: {},
  t: createTranslator(config.localesDir),
  logger,
});
let code = 0;
try {
  const file = flag("file");
  if (file !== undefined) {
    let input: unknown;
    try {
      input = YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
    }
    const { announcementInputSchema } = await import("../src/broadcast/service.js");
    const parsed = announcementInputSchema.safeParse(input);
    if (!parsed.success) {
      console.error(`${file} is invalid:`);
      for (const i of parsed.error.issues) console.error(`  ${i.path.join(".") || "(file)"}: ${i.message}`);
      code = 1;
    } else {
      const a = await svc.create(parsed.data, "cli");
      const reach = await svc.estimate(a.audience, a.urgent);
      console.log(
        `Announcement ${String(a._id)} ${a.status}; next run ${a.nextRunAt?.toISOString() ?? "-"}; audience now: ${reach} subscribers.`,
      );
    }
  } else if (args.includes("--list")) {
    for (const a of await announcementModel(store.connection)
      .find({})
      .sort({ createdAt: -1 })
      .limit(20)
      .lean()) {
      console.log(
        `${String(a._id)}  ${a.status.padEnd(9)}  ${a.nextRunAt?.toISOString() ?? "-"}  ${a.title}`,
      );
    }
  } else {
    const [action, id] =
      (["status", "pause", "resume", "cancel"] as const)
        .map((n) => [n, flag(n)] as const)
        .find(([, v]) => v !== undefined) ?? [];
    if (!action || !id) {
      console.error(usage);
      code = 2;
    } else if (action === "status") {
      const r = await svc.report(id);
      if (!r) {
        console.error(`no announcement ${id}`);
        code = 1;
      } else console.log(JSON.stringify(r, null, 2));
    } else {
      const ok = await svc[action](id);
      console.log(ok ? `${action}: done` : `${action}: not possible (unknown id or wrong status)`);
      code = ok ? 0 : 1;
    }
  }
} catch (err) {
  console.error((err as Error).message);
  code = 1;
} finally {
  await store.close();
}
process.exit(code);
