/**
 * The embedded MongoDB-compatible server: a TCP listener on 127.0.0.1 speaking the wire protocol over
 * an {@link Engine}. Used when `MONGODB_URI` is unset so motcua runs with no database installed.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { Engine, MAX_MESSAGE_SIZE } from "./engine.js";
import { CommandError, ErrorCodes } from "./errors.js";
import { encodeReply, OP_MSG, parseMessage, WireError } from "./wire.js";

/** Options of {@link startEmbeddedServer}. */
export interface EmbeddedServerOptions {
  dataDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  fsync?: boolean;
  /** How often TTL indexes are swept; mongod uses 60 s. */
  ttlIntervalMs?: number;
  /** Receives server-side problems (malformed messages); never document contents. */
  onWarning?: (message: string, context: Record<string, unknown>) => void;
}

/** A running embedded server. */
export interface EmbeddedServer {
  readonly uri: string;
  readonly port: number;
  readonly engine: Engine;
  close(): Promise<void>;
}

/**
 * Takes an exclusive lock on the data directory so two processes never write the same files; a lock
 * left by a dead process (kill -9) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "LOCK");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      // The lock exists: refuse if its owner lives, else take it over (left by a kill -9).
      const pid = Number(fs.readFileSync(file, "utf8"));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(`data directory ${dataDir} is in use by process ${pid}`, { cause: err });
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock data directory ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The URI of an embedded store already running on `dataDir` in another process (its LOCK is held by a
 * live process and it wrote its PORT), or undefined.
 */
export function runningEmbeddedUri(dataDir: string): string | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "LOCK"), "utf8"));
    const port = Number(fs.readFileSync(path.join(dataDir, "PORT"), "utf8"));
    if (
      !Number.isInteger(pid) ||
      pid === process.pid ||
      !isAlive(pid) ||
      !Number.isInteger(port) ||
      port <= 0
    )
      return undefined;
    return `mongodb://127.0.0.1:${port}/?directConnection=true`;
  } catch {
    return undefined;
  }
}

/** Starts the embedded server on 127.0.0.1, e.g. `await startEmbeddedServer({ dataDir: "./data" })`. */
export async function startEmbeddedServer(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const unlock = lockDataDir(opts.dataDir);
  let engine: Engine;
  try {
    engine = new Engine({ dataDir: opts.dataDir, fsync: opts.fsync ?? false });
  } catch (err) {
    unlock();
    throw err;
  }
  const warn = opts.onWarning ?? (() => undefined);
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    engine.connectionOpened();
    socket.setNoDelay(true);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    socket.on("data", (chunk: Buffer) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes >= 4) {
        const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
        pending = [buf];
        const len = buf.readInt32LE(0);
        if (len < 21 || len > MAX_MESSAGE_SIZE) {
          const requestId = buf.length >= 8 ? buf.readInt32LE(4) : 0;
          warn("embedded store: invalid message length, closing connection", { len });
          const reply = new CommandError(
            ErrorCodes.InvalidOptions,
            `invalid message length ${len}`,
          ).toReply();
          socket.end(encodeReply(requestId, OP_MSG, reply));
          pending = [];
          pendingBytes = 0;
          return;
        }
        if (buf.length < len) return;
        const msg = buf.subarray(0, len);
        const rest = buf.subarray(len);
        pending = rest.length ? [rest] : [];
        pendingBytes = rest.length;
        handle(socket, msg);
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  });

  function handle(socket: net.Socket, msg: Buffer): void {
    const requestId = msg.readInt32LE(4);
    const opCode = msg.readInt32LE(12);
    let reply: Record<string, unknown>;
    try {
      const req = parseMessage(msg);
      reply = engine.run(req.db, req.command, req.sequences);
      if (req.moreToCome) return;
    } catch (err) {
      const message = err instanceof WireError ? err.message : "internal error";
      warn("embedded store: malformed message", { error: message });
      reply = new CommandError(ErrorCodes.FailedToParse, message).toReply();
    }
    if (!socket.destroyed) socket.write(encodeReply(requestId, opCode, reply));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  // Lets tools on the same machine (npm run announce, content:load) reach a running store.
  const portFile = path.join(opts.dataDir, "PORT");
  fs.writeFileSync(portFile, String(port));
  const ttlTimer = setInterval(() => {
    try {
      engine.sweepTtl();
      engine.reapCursors();
    } catch (err) {
      warn("embedded store: TTL sweep failed", { error: (err as Error).message });
    }
  }, opts.ttlIntervalMs ?? 60_000);
  ttlTimer.unref();

  let closed: Promise<void> | undefined;
  return {
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    port,
    engine,
    close() {
      closed ??= new Promise<void>((resolve) => {
        clearInterval(ttlTimer);
        server.close(() => {
          engine.close();
          fs.rmSync(portFile, { force: true });
          unlock();
          resolve();
        });
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
