/**
 * Private by default (issue 19): the embedded store listens only on a Unix socket inside a 0700 data
 * directory, the socket and every file are 0600 whatever the umask, and another local user can neither
 * connect nor read the data.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import mongoose from "mongoose";
import { afterEach, describe, expect, it } from "vitest";
import { runningEmbeddedUri, startEmbeddedServer } from "../../../src/store/embedded/server.js";
import { tempDir } from "../../helpers/store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A data directory under a world-traversable parent, so only the store's own modes protect it. */
function openParentDataDir(): string {
  const parent = tempDir();
  dirs.push(parent);
  fs.chmodSync(parent, 0o755);
  return path.join(parent, "data");
}

const mode = (p: string): number => fs.statSync(p).mode & 0o777;
const NOBODY = 65534;

/** Runs a small script as the unprivileged user `nobody`; returns what it printed. */
function asNobody(script: string): string {
  const out = spawnSync(process.execPath, ["-e", script], { uid: NOBODY, gid: NOBODY, encoding: "utf8" });
  return `${out.stdout}${out.stderr}`.trim();
}

describe("embedded store privacy", () => {
  it("should create the directory 0700 and the socket, log, lock and compacted log 0600 under umask 000", async () => {
    const dataDir = openParentDataDir();
    const old = process.umask(0);
    try {
      const server = await startEmbeddedServer({ dataDir });
      try {
        expect(server.uri).toBe(
          `mongodb://${encodeURIComponent(path.join(dataDir, "mongod.sock"))}/?directConnection=true`,
        );
        const conn = await mongoose.createConnection(server.uri, { dbName: "priv" }).asPromise();
        await conn.collection("staff").insertOne({ name: "Trần Thị B", hash: "scrypt$…" });
        // 10,001 updates in one command force a compaction (temporary file, then rename).
        const updates = Array.from({ length: 10_001 }, (_, i) => ({ q: {}, u: { $set: { n: i } } }));
        expect(server.engine.run("priv", { update: "staff", updates })).toMatchObject({ ok: 1 });
        await conn.close();
        expect(fs.statSync(path.join(dataDir, "priv.wal")).size).toBeLessThan(2_000);
        expect(mode(dataDir)).toBe(0o700);
        expect(fs.statSync(server.socketPath).isSocket()).toBe(true);
        for (const f of fs.readdirSync(dataDir)) expect([f, mode(path.join(dataDir, f))]).toEqual([f, 0o600]);
        expect(fs.readdirSync(dataDir).sort()).toEqual(["LOCK", "SOCKET", "mongod.sock", "priv.wal"]);
      } finally {
        await server.close();
      }
    } finally {
      process.umask(old);
    }
  });

  it("should tighten a data directory and log files that an older version left world-readable", async () => {
    const dataDir = openParentDataDir();
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.writeFileSync(path.join(dataDir, "old.wal"), "");
    fs.chmodSync(path.join(dataDir, "old.wal"), 0o644);
    fs.chmodSync(dataDir, 0o755);
    const server = await startEmbeddedServer({ dataDir });
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(path.join(dataDir, "old.wal"))).toBe(0o600);
    } finally {
      await server.close();
    }
  });

  it("should listen on no TCP port and let the project's CLIs attach through the socket", async () => {
    const dataDir = openParentDataDir();
    const server = await startEmbeddedServer({ dataDir });
    try {
      expect(server.uri).not.toMatch(/127\.0\.0\.1|localhost|:\d+\//);
      // runningEmbeddedUri ignores the calling process's own store; the SOCKET file names the socket.
      expect(fs.readFileSync(path.join(dataDir, "SOCKET"), "utf8")).toBe(server.socketPath);
      expect(runningEmbeddedUri(dataDir)).toBeUndefined();
      await new Promise<void>((resolve, reject) => {
        const s = net.connect(server.socketPath, () => {
          s.destroy();
          resolve();
        });
        s.on("error", reject);
      });
    } finally {
      await server.close();
    }
    expect(fs.existsSync(path.join(dataDir, "SOCKET"))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, "mongod.sock"))).toBe(false);
  });

  it("should use a private temporary socket directory when the data path is too long for a socket", async () => {
    const dataDir = path.join(openParentDataDir(), "d".repeat(60), "e".repeat(40));
    const server = await startEmbeddedServer({ dataDir });
    const socketDir = path.dirname(server.socketPath);
    try {
      expect(server.socketPath.startsWith(dataDir)).toBe(false);
      expect(mode(path.dirname(server.socketPath))).toBe(0o700);
      expect(mode(server.socketPath)).toBe(0o600);
      const conn = await mongoose.createConnection(server.uri, { dbName: "long" }).asPromise();
      expect(await conn.db!.admin().ping()).toMatchObject({ ok: 1 });
      await conn.close();
    } finally {
      await server.close();
    }
    expect(fs.existsSync(socketDir)).toBe(false);
  });

  it("should let staff:create attach to a store another process runs, through the socket", async () => {
    const dataDir = openParentDataDir();
    const tsx = path.resolve("node_modules/.bin/tsx");
    const env = { ...process.env, DATA_DIR: dataDir, MONGODB_URI: "" };
    const child = spawn(tsx, ["scripts/bench/store-server.ts"], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const uri = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.includes("\n")) resolve(out.trim());
        });
        child.on("exit", (code) => reject(new Error(`store exited with ${code}`)));
      });
      expect(runningEmbeddedUri(dataDir)).toBe(uri);
      const cli = spawnSync(
        tsx,
        ["scripts/staff-create.ts", "--username", "canbo1", "--role", "viewer", "--name", "Cán bộ Một"],
        { env, encoding: "utf8" },
      );
      expect(cli.stderr).toBe("");
      expect(cli.stdout).toContain("canbo1");
      const conn = await mongoose.createConnection(uri, { dbName: "motcua" }).asPromise();
      try {
        const names = (await conn.db!.listCollections().toArray()).map((c) => c.name);
        const staffColl = names.find((n) => n.startsWith("staff"))!;
        expect(await conn.collection(staffColl).findOne({ username: "canbo1" })).toMatchObject({
          role: "viewer",
        });
      } finally {
        await conn.close();
      }
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  }, 60_000);

  it.runIf(process.getuid?.() === 0)(
    "should refuse another local user: no connection to the socket, no reading of the files",
    async () => {
      const dataDir = openParentDataDir();
      const server = await startEmbeddedServer({ dataDir });
      try {
        const wal = path.join(dataDir, "x.wal");
        const conn = await mongoose.createConnection(server.uri, { dbName: "x" }).asPromise();
        await conn.collection("staff").insertOne({ phone: "0912345678" });
        await conn.close();
        const tryConnect = `require("net").connect(${JSON.stringify(server.socketPath)}).on("connect",()=>{console.log("CONNECTED");process.exit(0)}).on("error",e=>console.log(e.code))`;
        const tryRead = `try{require("fs").readFileSync(${JSON.stringify(wal)});console.log("READ")}catch(e){console.log(e.code)}`;
        expect(asNobody(tryConnect)).toBe("EACCES");
        expect(asNobody(tryRead)).toBe("EACCES");
        // Even with the directory opened up, the socket and the log themselves stay closed to others.
        fs.chmodSync(dataDir, 0o711);
        expect(asNobody(tryConnect)).toBe("EACCES");
        expect(asNobody(tryRead)).toBe("EACCES");
      } finally {
        await server.close();
      }
    },
  );
});
