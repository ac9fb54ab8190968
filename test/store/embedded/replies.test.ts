/**
 * Never crash on a reply (issue 19): large reads come back in batches capped at 16 MiB, and every
 * error path — an unencodable reply, a failing command, malformed bytes — answers an error for that
 * command while the server goes on answering `ping`.
 */
import fs from "node:fs";
import net from "node:net";
import { BSON } from "bson";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedServer, type EmbeddedServer } from "../../../src/store/embedded/server.js";
import { tempDir } from "../../helpers/store.js";

let server: EmbeddedServer;
let dir: string;
let conn: mongoose.Connection;
beforeAll(async () => {
  dir = tempDir();
  server = await startEmbeddedServer({ dataDir: dir });
  conn = await mongoose.createConnection(server.uri, { dbName: "big" }).asPromise();
});
afterAll(async () => {
  await conn.close();
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ping(): Promise<void> {
  expect(await conn.db!.admin().ping()).toMatchObject({ ok: 1 });
}

/** Sends raw bytes on a fresh connection; resolves with the decoded reply, or closed. */
function exchange(bytes: Buffer): Promise<{ reply?: Record<string, unknown>; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.socketPath, () => sock.write(bytes));
    let buf = Buffer.alloc(0);
    sock.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
        const reply = BSON.deserialize(buf.subarray(21, buf.readInt32LE(0)));
        sock.destroy();
        resolve({ reply, closed: false });
      }
    });
    sock.on("close", () => resolve({ closed: true }));
    sock.on("error", reject);
  });
}

function opMsg(body: Record<string, unknown> | Buffer, requestId = 9): Buffer {
  const doc = Buffer.isBuffer(body) ? body : Buffer.from(BSON.serialize(body));
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + doc.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, doc]);
}

describe("embedded store large replies", () => {
  it("should read 300 documents of 100 KB without batchSize, then answer ping", async () => {
    const c = conn.collection("hundredK");
    const payload = "x".repeat(100 * 1024);
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ i, payload })));
    const docs = await c.find({}).toArray();
    expect(docs).toHaveLength(300);
    expect(docs.every((d) => (d.payload as string).length === 100 * 1024)).toBe(true);
    expect(docs.map((d) => d.i as number)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    // The same through aggregation.
    expect(await c.aggregate([{ $match: {} }]).toArray()).toHaveLength(300);
    await ping();
  }, 60_000);

  it("should read 100,000 small documents without batchSize, then answer ping", async () => {
    const c = conn.collection("small");
    const docs = Array.from({ length: 100_000 }, (_, i) => ({
      i,
      name: `Nguyễn Văn ${i}`,
      text: "y".repeat(200),
    }));
    await c.insertMany(docs);
    const read = await c.find({}).toArray();
    expect(read).toHaveLength(100_000);
    expect(read[99_999]?.i).toBe(99_999);
    await ping();
  }, 120_000);

  it("should answer an error, not crash, when a reply cannot fit in 16 MiB, then answer ping", async () => {
    const c = conn.collection("hundredK");
    // One group holding all 300 payloads is a ~30 MB document: no reply can carry it.
    const err = await c
      .aggregate([{ $group: { _id: null, all: { $push: "$payload" } } }])
      .toArray()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 10334, codeName: "BSONObjectTooLarge" });
    expect(String((err as Error).message)).toMatch(/16 MiB/);
    await ping();
  }, 60_000);
});

describe("embedded store error paths", () => {
  it("should answer a failing command (bad operator) with an error, then ping", async () => {
    const err = await conn
      .collection("small")
      .find({ i: { $nosuch: 1 } })
      .toArray()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: number }).code).toBeGreaterThan(0);
    await ping();
  });

  it("should answer an unknown command and an unknown cursor with errors, then ping", async () => {
    await expect(conn.db!.command({ noSuchCommand: 1 })).rejects.toMatchObject({ code: 59 });
    await expect(
      conn.db!.command({ getMore: BSON.Long.fromNumber(424242), collection: "small" }),
    ).rejects.toMatchObject({ code: 43 });
    await ping();
  });

  it("should answer malformed bytes with an error or a closed connection, then ping", async () => {
    const garbage = await exchange(opMsg(Buffer.from([9, 0, 0, 0, 3, 0, 0, 0, 0])));
    expect(garbage.reply).toMatchObject({ ok: 0 });
    const noDb = await exchange(opMsg({ ping: 1 }));
    expect(noDb.reply).toMatchObject({ ok: 0 });
    const badLength = Buffer.alloc(16);
    badLength.writeInt32LE(7, 0);
    expect((await exchange(badLength)).reply).toMatchObject({ ok: 0 });
    await ping();
  });

  it("should answer a direct engine command that throws inside the engine with an error", async () => {
    const reply = server.engine.run("big", {
      aggregate: "small",
      pipeline: [{ $nosuchstage: {} }],
      cursor: {},
    });
    expect(reply.ok).toBe(0);
    expect(server.engine.run("big", { ping: 1 })).toMatchObject({ ok: 1 });
    await ping();
  });
});
