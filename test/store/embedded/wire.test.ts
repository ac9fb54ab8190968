/** Malformed and hostile wire messages: the server answers with an error and keeps serving. */
import fs from "node:fs";
import net from "node:net";
import { BSON } from "bson";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedServer, type EmbeddedServer } from "../../../src/store/embedded/server.js";
import { tempDir } from "../../helpers/store.js";

let server: EmbeddedServer;
let dir: string;
beforeAll(async () => {
  dir = tempDir();
  server = await startEmbeddedServer({ dataDir: dir });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function opMsg(body: Buffer, requestId = 7): Buffer {
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(0, 16);
  header.writeUInt8(0, 20);
  return Buffer.concat([header, body]);
}

/** Sends raw bytes and collects whatever comes back until the server answers once or closes. */
function exchange(bytes: Buffer): Promise<{ reply?: Record<string, unknown>; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.socketPath, () => sock.write(bytes));
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ closed: false });
    }, 1_000);
    sock.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
        clearTimeout(timer);
        const reply = BSON.deserialize(buf.subarray(21, buf.readInt32LE(0)));
        sock.destroy();
        resolve({ reply, closed: false });
      }
    });
    sock.on("close", () => {
      clearTimeout(timer);
      resolve({ closed: true });
    });
    sock.on("error", reject);
  });
}

async function stillServes(): Promise<void> {
  const conn = await mongoose.createConnection(server.uri, { dbName: "wire" }).asPromise();
  try {
    await conn.collection("c").insertOne({ ok: true });
    expect(await conn.collection("c").countDocuments()).toBeGreaterThan(0);
  } finally {
    await conn.close();
  }
}

describe("embedded wire protocol", () => {
  it("should answer a garbage BSON body with an error and keep serving", async () => {
    const { reply } = await exchange(
      opMsg(
        Buffer.from([0x10, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]),
      ),
    );
    expect(reply).toMatchObject({ ok: 0, codeName: "FailedToParse" });
    await stillServes();
  });

  it("should answer a body without $db with an error", async () => {
    const { reply } = await exchange(opMsg(Buffer.from(BSON.serialize({ ping: 1 }))));
    expect(reply).toMatchObject({ ok: 0 });
    expect(String(reply?.errmsg)).toContain("$db");
  });

  it("should close a connection announcing an absurd length, and keep serving others", async () => {
    const bad = Buffer.alloc(16);
    bad.writeInt32LE(0x7fffffff, 0);
    const res = await exchange(bad);
    expect(res.reply?.ok === 0 || res.closed).toBe(true);
    await stillServes();
  });

  it("should refuse a database name that could escape the data directory", async () => {
    const { reply } = await exchange(
      opMsg(Buffer.from(BSON.serialize({ insert: "x", documents: [{ a: 1 }], $db: "../../etc" }))),
    );
    expect(reply).toMatchObject({ ok: 0, codeName: "InvalidNamespace" });
    expect(fs.readdirSync(dir).some((f) => f.includes("etc"))).toBe(false);
  });

  it("should answer an unknown opcode with an error", async () => {
    const msg = opMsg(Buffer.from(BSON.serialize({ ping: 1, $db: "admin" })));
    msg.writeInt32LE(2010, 12);
    const { reply } = await exchange(msg);
    expect(reply).toMatchObject({ ok: 0 });
    await stillServes();
  });

  it("should survive a burst of random bytes on many connections", async () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    await Promise.all(
      Array.from({ length: 50 }, () => {
        const body = Buffer.from(
          Array.from({ length: 10 + Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256)),
        );
        return exchange(rnd() < 0.5 ? opMsg(body) : body);
      }),
    );
    await stillServes();
  });
});
