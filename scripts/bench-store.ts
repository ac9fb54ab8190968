/**
 * `npm run -s bench:store`: figures for the embedded store through mongoose.
 * Prints insertMany throughput, indexed findOne latency and a unique-violation check on a large
 * collection; the last line is machine-readable.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import mongoose from "mongoose";
import { startEmbeddedServer } from "../src/store/embedded/server.js";

const N = Number(process.argv.find((a) => a.startsWith("--docs="))?.slice(7) ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-bench-store-"));
const server = await startEmbeddedServer({ dataDir: dir });
const conn = await mongoose.createConnection(server.uri, { dbName: "bench" }).asPromise();
const coll = conn.collection("subs");
await coll.createIndex({ chatId: 1 }, { unique: true });
await coll.createIndex({ unit: 1, topics: 1 });

const docs = Array.from({ length: N }, (_, i) => ({
  chatId: `tg:${1_000_000 + i}`,
  unit: `u${i % 3}`,
  topics: ["tthc", i % 2 ? "dvc" : "khac"],
  lang: i % 10 ? "vi" : "en",
  at: new Date(),
}));
let t = performance.now();
for (let i = 0; i < N; i += 10_000) await coll.insertMany(docs.slice(i, i + 10_000), { ordered: false });
const insertMs = performance.now() - t;

const lat: number[] = [];
for (let i = 0; i < 2_000; i++) {
  const id = `tg:${1_000_000 + Math.floor(Math.random() * N)}`;
  t = performance.now();
  await coll.findOne({ chatId: id });
  lat.push(performance.now() - t);
}
lat.sort((a, b) => a - b);
const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]!.toFixed(3);

t = performance.now();
const dupErr = await coll.insertOne({ chatId: "tg:1000000" }).catch((e: { code?: number }) => e);
const dupMs = performance.now() - t;

t = performance.now();
const unitCount = await coll.countDocuments({ unit: "u1" });
const countMs = performance.now() - t;

const walMb = fs.statSync(path.join(dir, "bench.wal")).size / 1024 / 1024;
const rssMb = process.memoryUsage().rss / 1024 / 1024;
await conn.close();
t = performance.now();
await server.close();
const reopen = await startEmbeddedServer({ dataDir: dir });
const reopenMs = performance.now() - t;
await reopen.close();
fs.rmSync(dir, { recursive: true, force: true });

console.log(`insertMany ${N} docs (batches of 10,000, 2 indexes): ${(insertMs / 1000).toFixed(2)} s`);
console.log(
  `indexed findOne over RTT, 2,000 lookups: p50=${p(0.5)} ms p99=${p(0.99)} ms (client round trip included)`,
);
console.log(
  `duplicate insert rejected: code=${(dupErr as { code?: number }).code} in ${dupMs.toFixed(2)} ms`,
);
console.log(
  `countDocuments({unit}) = ${unitCount} in ${countMs.toFixed(1)} ms; WAL ${walMb.toFixed(1)} MB; restart (replay) ${reopenMs.toFixed(0)} ms`,
);
console.log(
  `docs=${N} insert_s=${(insertMs / 1000).toFixed(2)} findone_p50_ms=${p(0.5)} findone_p99_ms=${p(0.99)} replay_ms=${reopenMs.toFixed(0)} rss_mb=${rssMb.toFixed(0)}`,
);
