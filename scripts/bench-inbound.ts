/**
 * `npm run -s bench:inbound [-- --updates N --concurrency C]`: drives the real webhook
 * (`/webhooks/telegram` with its secret) of a running motcua from a second process on loopback, with
 * /start, menu taps and typed questions (with and without diacritics); replies go to a local Bot API
 * emulator. Then the same load against a minimal telegraf echo bot. Last line:
 * `updates_per_s=… p99_ms=… baseline_updates_per_s=… ratio=… rss_mb=…`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultWebhookSecret } from "../src/channels/telegram/index.js";
import { startLimitedTelegram } from "../test/emulators/telegram-limits.js";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg("updates", 5_000);
const C = arg("concurrency", 16);
const TOKEN = "123456:bench-inbound-token-abcdefghijklmnop";
const api = await startLimitedTelegram({ ratePerSec: 1_000_000 });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-bench-inbound-"));

function start(
  cmd: string[],
  env: Record<string, string>,
  pattern: RegExp,
  flags: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...flags, "--import", "tsx", ...cmd], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

function rssMb(pid: number | undefined, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

async function load(url: string, secret: string, first: number) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.resolve("scripts/bench/inbound-load.ts"),
      url,
      secret,
      String(N),
      String(C),
      String(first),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  await new Promise((r) => child.on("exit", r));
  return JSON.parse(out.trim()) as { updatesPerSec: number; p50: number; p99: number; errors: number };
}

// With --separate-store the store runs in its own process (as MongoDB does in production).
const separate = process.argv.includes("--separate-store");
const storeProc = separate
  ? await start(
      [path.resolve("scripts/bench/store-server.ts")],
      { DATA_DIR: path.join(dataDir, "store") },
      /(mongodb:\/\/\S+)/,
    )
  : undefined;
const motcua = await start(
  [path.resolve("src/main.ts")],
  {
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    PUBLIC_URL: "https://bench.invalid",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.url,
    // Measure our processing, not Telegram's 30 msg/s (the emulator answers at any rate).
    TELEGRAM_RATE_PER_SEC: "1000",
    FLOOD_BURST: "1000",
    ...(storeProc ? { MONGODB_URI: storeProc.url.replace("/?", "/motcua?") } : {}),
  },
  /motcua: (http:\/\/\S+)/,
  // BENCH_PROFILE_DIR=… writes a CPU profile of the motcua process there.
  process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [],
);
await new Promise((r) => setTimeout(r, 500));
const idle = rssMb(motcua.child.pid, "VmRSS");
const secret = defaultWebhookSecret(TOKEN);
await load(`${motcua.url}/webhooks/telegram`, secret, 1); // warm-up (JIT, sessions)
const ours = await load(`${motcua.url}/webhooks/telegram`, secret, 1_000_000);
const peak = rssMb(motcua.child.pid, "VmHWM");
motcua.child.kill("SIGTERM");
await new Promise((r) => motcua.child.once("exit", r));

const echo = await start(
  [path.resolve("scripts/bench/echo-bot.ts")],
  { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.url, SECRET: secret },
  /echo: (http:\/\/\S+)/,
);
await load(`${echo.url}/webhooks/telegram`, secret, 1);
const base = await load(`${echo.url}/webhooks/telegram`, secret, 2_000_000);
echo.child.kill("SIGTERM");
storeProc?.child.kill("SIGTERM");
await api.close();
fs.rmSync(dataDir, { recursive: true, force: true });

console.log(`store: ${separate ? "separate process" : "embedded in the motcua process"}; concurrency ${C}`);
console.log(
  `motcua: ${ours.updatesPerSec.toFixed(0)} updates/s, p50 ${ours.p50.toFixed(1)} ms, p99 ${ours.p99.toFixed(1)} ms, errors ${ours.errors}; RSS idle ${idle} MB, peak ${peak} MB`,
);
console.log(
  `echo baseline: ${base.updatesPerSec.toFixed(0)} updates/s, p50 ${base.p50.toFixed(1)} ms, p99 ${base.p99.toFixed(1)} ms, errors ${base.errors}`,
);
console.log(
  `updates_per_s=${ours.updatesPerSec.toFixed(0)} p99_ms=${ours.p99.toFixed(1)} baseline_updates_per_s=${base.updatesPerSec.toFixed(0)} ratio=${(ours.updatesPerSec / base.updatesPerSec).toFixed(2)} rss_mb=${idle}`,
);
process.exit(0);
