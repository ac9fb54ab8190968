/** Durability of the embedded store: restart, kill -9 mid-write, torn log tails, the data-dir lock. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import mongoose from "mongoose";
import { afterEach, describe, expect, it } from "vitest";
import { startEmbeddedServer } from "../../../src/store/embedded/server.js";
import { tempDir } from "../../helpers/store.js";

const dirs: string[] = [];
function freshDir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function withStore<T>(dataDir: string, fn: (db: mongoose.Connection) => Promise<T>): Promise<T> {
  const server = await startEmbeddedServer({ dataDir });
  const conn = await mongoose.createConnection(server.uri, { dbName: "dur" }).asPromise();
  try {
    return await fn(conn);
  } finally {
    await conn.close();
    await server.close();
  }
}

describe("embedded store durability", () => {
  it("should read back documents, updates, deletes and indexes after a restart", async () => {
    const dir = freshDir();
    await withStore(dir, async (db) => {
      const c = db.collection("things");
      await c.createIndex({ k: 1 }, { unique: true });
      await c.insertMany([
        { k: 1, v: "a" },
        { k: 2, v: "b" },
        { k: 3, v: "c" },
      ]);
      await c.updateOne({ k: 2 }, { $set: { v: "B" } });
      await c.deleteOne({ k: 3 });
    });
    await withStore(dir, async (db) => {
      const c = db.collection("things");
      expect(
        await c
          .find({}, { projection: { _id: 0 } })
          .sort({ k: 1 })
          .toArray(),
      ).toEqual([
        { k: 1, v: "a" },
        { k: 2, v: "B" },
      ]);
      await expect(c.insertOne({ k: 1 })).rejects.toMatchObject({ code: 11000 });
    });
  });

  it("should keep every acknowledged write when the process is killed with SIGKILL", async () => {
    const dir = freshDir();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(import.meta.dirname, "../../fixtures/store-writer.ts"), dir],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let acked = -1;
    let buffered = "";
    await new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code) => reject(new Error(`writer exited early with ${code}`)));
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) if (/^\d+$/.test(line)) acked = Number(line);
        if (acked >= 300) {
          child.removeAllListeners("exit");
          resolve();
        }
      });
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    // The lock left by the dead writer must not stop the restart.
    const server = await startEmbeddedServer({ dataDir: dir });
    const conn = await mongoose.createConnection(server.uri, { dbName: "crash" }).asPromise();
    try {
      const docs = await conn
        .collection("acks")
        .find({}, { projection: { n: 1, touched: 1 } })
        .toArray();
      const ns = new Set(docs.map((d) => d.n as number));
      for (let n = 0; n <= acked; n++) expect(ns.has(n), `acknowledged write ${n} lost`).toBe(true);
      expect(
        docs.filter((d) => d.n <= acked && (d.n as number) % 7 === 0).every((d) => d.touched === true),
      ).toBe(true);
      expect(ns.size).toBe(docs.length);
    } finally {
      await conn.close();
      await server.close();
    }
  }, 60_000);

  it("should cut off a torn record at the end of the log and keep the rest", async () => {
    const dir = freshDir();
    await withStore(dir, async (db) => {
      await db.collection("t").insertMany([{ i: 1 }, { i: 2 }]);
    });
    const wal = path.join(dir, "dur.wal");
    const intact = fs.statSync(wal).size;
    fs.appendFileSync(wal, Buffer.from([0x40, 0, 0, 0, 1, 2, 3, 4, 5, 6]));
    await withStore(dir, async (db) => {
      expect(await db.collection("t").countDocuments()).toBe(2);
      await db.collection("t").insertOne({ i: 3 });
    });
    expect(fs.statSync(wal).size).toBeGreaterThan(intact);
    await withStore(dir, async (db) => {
      expect(await db.collection("t").countDocuments()).toBe(3);
    });
  });

  it("should refuse a second process on the same data directory", async () => {
    const dir = freshDir();
    const first = await startEmbeddedServer({ dataDir: dir });
    try {
      fs.writeFileSync(path.join(dir, "LOCK"), String(process.ppid));
      await expect(startEmbeddedServer({ dataDir: dir })).rejects.toThrow(/in use by process/);
    } finally {
      await first.close();
    }
  });

  it("should compact a long log into the live state", async () => {
    const dir = freshDir();
    await withStore(dir, async (db) => {
      const c = db.collection("hot");
      await c.insertOne({ _id: "counter" as never, n: 0 });
      for (let i = 0; i < 12_000; i += 500) {
        await c.bulkWrite(
          Array.from({ length: 500 }, () => ({
            updateOne: { filter: { _id: "counter" as never }, update: { $inc: { n: 1 } } },
          })),
        );
      }
    });
    // 12,001 logged records take ~700 kB; compaction at 10,000 leaves only those written since.
    const size = fs.statSync(path.join(dir, "dur.wal")).size;
    expect(size).toBeLessThan(300_000);
    await withStore(dir, async (db) => {
      expect((await db.collection("hot").findOne({ _id: "counter" as never }))?.n).toBe(12_000);
    });
  });
});
