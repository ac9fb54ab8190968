/**
 * `npm run -s bench:broadcast [-- --subscribers N --limit R]`: a broadcast to N subscribers (default
 * 100,000) through a local Telegram-emulating server that enforces R msg/s (default 30) with real 429s.
 * The sender process is SIGKILLed part-way and restarted. Last line:
 * `subscribers=… sent=… duplicates=… lost=… unknown=… rate_ratio=… rss_mb=…`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startLimitedTelegram } from "../test/emulators/telegram-limits.js";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg("subscribers", 100_000);
const R = arg("limit", 30);
const killAt = arg("kill-at", 0.4);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-bench-broadcast-"));
const api = await startLimitedTelegram({ ratePerSec: R });
const worker = path.resolve("scripts/bench/broadcast-worker.ts");

// The store runs as its own process, as MongoDB does beside a production service, so the sender's
// memory is measured alone; the store's is reported too.
const storeProc = spawn(
  process.execPath,
  ["--import", "tsx", path.resolve("scripts/bench/store-server.ts")],
  {
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const storeUri = await new Promise<string>((resolve, reject) => {
  let out = "";
  storeProc.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    const line = out.split("\n").find((l) => l.startsWith("mongodb://"));
    if (line) resolve(line.replace("/?", "/motcua?"));
  });
  storeProc.on("exit", (code) => reject(new Error(`store exited with ${code}`)));
});

function run(mode: string, extra: string[] = []) {
  const child = spawn(process.execPath, ["--import", "tsx", worker, mode, ...extra], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      MONGODB_URI: storeUri,
      TELEGRAM_API_ROOT: api.url,
      RATE: String(R),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; out: string }>((r) =>
    child.on("exit", (code) => r({ code, out })),
  );
  return { child, done };
}

function peakRssMb(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

console.log(`setting up ${N} subscribers…`);
const setup = await run("setup", [String(N)]).done;
if (setup.code !== 0) throw new Error(`setup failed: ${setup.out}`);

console.log(`sending at ${R} msg/s; SIGKILL after ${Math.round(killAt * 100)}%…`);
const first = run("send");
let peak = 0;
const killTarget = Math.floor(N * killAt);
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    peak = Math.max(peak, peakRssMb(first.child.pid));
    if (api.received.length >= killTarget) {
      clearInterval(timer);
      first.child.kill("SIGKILL");
      resolve();
    }
  }, 50);
  void first.done.then(() => {
    clearInterval(timer);
    resolve();
  });
});
await first.done;
const killedAt = Date.now();
console.log(`killed at ${api.received.length} messages; restarting…`);
const second = run("send");
const sampler = setInterval(() => (peak = Math.max(peak, peakRssMb(second.child.pid))), 200);
const end = await second.done;
clearInterval(sampler);
const reported = JSON.parse(end.out.trim().split("\n").pop() ?? "{}") as { maxRssMb?: number };
peak = Math.max(peak, reported.maxRssMb ?? 0);
const verify = JSON.parse((await run("verify").done).out.trim()) as {
  counts: Record<string, number>;
  unknownChats: string[];
};

const perChat = new Map<string, number>();
for (const r of api.received) perChat.set(r.chatId, (perChat.get(r.chatId) ?? 0) + 1);
const sent = perChat.size;
const duplicates = api.received.length - sent;
const unknown = verify.counts.unknown ?? 0;
const accounted = new Set([...perChat.keys(), ...verify.unknownChats]);
const lost = N - accounted.size;
// Achieved rate over the sending time, leaving out the restart gap.
const times = api.received.map((r) => r.at).sort((a, b) => a - b);
let gap = 0;
const afterKill = times.find((x) => x >= killedAt);
const beforeKill = [...times].reverse().find((x) => x < killedAt);
if (afterKill !== undefined && beforeKill !== undefined) gap = afterKill - beforeKill;
const span = (times[times.length - 1]! - times[0]! - gap) / 1000;
const rate = span > 0 ? (api.received.length - 1) / span : 0;
const storeRss = peakRssMb(storeProc.pid);
storeProc.removeAllListeners("exit");
storeProc.kill("SIGTERM");
await new Promise((r) => storeProc.once("exit", r));
await api.close();
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(
  `ledger: ${JSON.stringify(verify.counts)}; 429 answers: ${api.tooMany}; sending time ${span.toFixed(1)} s; store process peak RSS ${Math.round(storeRss)} MB`,
);
console.log(
  `subscribers=${N} sent=${sent} duplicates=${duplicates} lost=${lost} unknown=${unknown} rate_ratio=${(rate / R).toFixed(3)} rss_mb=${Math.round(peak)}`,
);
