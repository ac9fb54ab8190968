/**
 * `npm run staff:create -- --username <name> --role <role> --name "<display name>" [--units a,b]
 * [--password-stdin]`: creates a console account. Without `--password-stdin` a random one-time
 * password is generated and printed once; the console then opens only the password page until its
 * owner chooses their own.
 */
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { createStaffService } from "../src/admin/auth.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { connectStore } from "../src/store/connect.js";
import { STAFF_ROLES } from "../src/store/models/staff.js";

const { values } = parseArgs({
  options: {
    username: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
    units: { type: "string", default: "" },
    "password-stdin": { type: "boolean", default: false },
  },
});
if (!values.username || !values.role || !values.name) {
  console.error(
    `usage: npm run staff:create -- --username <name> --role <${STAFF_ROLES.join("|")}> --name "<display name>" [--units unit-a,unit-b] [--password-stdin]`,
  );
  process.exit(2);
}
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").trim();
}
const generated = !values["password-stdin"];
const password = generated ? crypto.randomBytes(12).toString("base64url") : await readStdin();

const config = loadConfig();
const store = await connectStore(config, createLogger({ level: "warn" }), { attachToRunning: true });
try {
  const staff = createStaffService({ connection: store.connection });
  await staff.create(
    {
      username: values.username,
      displayName: values.name,
      role: values.role as (typeof STAFF_ROLES)[number],
      units: values.units ? values.units.split(",").map((u) => u.trim()) : [],
      password,
    },
    { mustChangePassword: generated },
  );
  console.log(`Account ${values.username.toLowerCase()} (${values.role}) created.`);
  if (generated)
    console.log(
      `One-time password (shown once; the console asks for a new one at first sign-in): ${password}`,
    );
} catch (err) {
  if (err instanceof ZodError) {
    for (const i of err.issues) console.error(`${i.path.join(".")}: ${i.message}`);
  } else if ((err as { code?: number }).code === 11000) {
    console.error(`An account named ${values.username} already exists.`);
  } else throw err;
  process.exitCode = 1;
} finally {
  await store.close();
}
