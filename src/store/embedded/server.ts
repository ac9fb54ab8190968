/**
 * The embedded MongoDB-compatible server: a Unix domain socket inside the data directory speaking the
 * wire protocol over an {@link Engine}. Used when `MONGODB_URI` is unset so motcua runs with no
 * database installed. Private by default (issue 19): the directory is 0700 and the socket and every
 * file 0600, so only the user running motcua (and root) can connect or read the data; there is no TCP
 * listener, so no other local user reaches it and no credentials are needed.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Engine, MAX_MESSAGE_SIZE } from "./engine.js";
import { CommandError, ErrorCodes } from "./errors.js";
import { encodeReplySafely, OP_MSG, parseMessage, WireError } from "./wire.js";

/** Options of {@link startEmbeddedServer}. */
export interface EmbeddedServerOptions {
  dataDir: string;
  fsync?: boolean;
  /** How often TTL indexes are swept; mongod uses 60 s. */
  ttlIntervalMs?: number;
  /** Receives server-side problems (malformed messages); never document contents. */
  onWarning?: (message: string, context: Record<string, unknown>) => void;
}

/** A running embedded server. */
export interface EmbeddedServer {
  /** The driver's connection string: the URL-encoded socket path, e.g. `mongodb://%2Fdata%2Fmongod.sock/…`. */
  readonly uri: string;
  /** Where the server listens (inside the data directory, or a private temporary one when that path is too long). */
  readonly socketPath: string;
  readonly engine: Engine;
  close(): Promise<void>;
}

/**
 * Takes an exclusive lock on the data directory so two processes never write the same files; a lock
 * left by a dead process (kill -9) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  makePrivateDir(dataDir);
  const file = path.join(dataDir, "LOCK");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx", mode: 0o600 });
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
 * Creates `dir` (and missing parents) and makes it 0700 whatever the umask; files inside are made 0600
 * by their writers. An existing directory is tightened too (data written by an older version).
 */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/** The file in the data directory that names the socket, so the project's CLIs can attach. */
const SOCKET_FILE = "SOCKET";
/** sun_path holds 108 bytes on Linux (104 on macOS); longer paths cannot be bound. */
const MAX_SOCKET_PATH = 100;

/** The driver's URI for a socket path (the driver recognises a host ending in `.sock`). */
export function socketUri(socketPath: string): string {
  return `mongodb://${encodeURIComponent(socketPath)}/?directConnection=true`;
}

/**
 * The URI of an embedded store already running on `dataDir` in another process (its LOCK is held by a
 * live process and it wrote its SOCKET), or undefined.
 */
export function runningEmbeddedUri(dataDir: string): string | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "LOCK"), "utf8"));
    const socketPath = fs.readFileSync(path.join(dataDir, SOCKET_FILE), "utf8").trim();
    if (!Number.isInteger(pid) || pid === process.pid || !isAlive(pid) || !socketPath.endsWith(".sock"))
      return undefined;
    return socketUri(socketPath);
  } catch {
    return undefined;
  }
}

/**
 * Where to listen: `DATA_DIR/mongod.sock`, or — when that path is too long for a socket address — a
 * fresh 0700 directory under the system's temporary folder (named in `DATA_DIR/SOCKET` either way).
 */
function chooseSocketPath(dataDir: string): { socketPath: string; cleanup: () => void } {
  const inData = path.resolve(dataDir, "mongod.sock");
  if (Buffer.byteLength(inData) <= MAX_SOCKET_PATH) {
    fs.rmSync(inData, { force: true }); // left by a dead process; we hold the lock
    return { socketPath: inData, cleanup: () => fs.rmSync(inData, { force: true }) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-"));
  fs.chmodSync(dir, 0o700);
  return {
    socketPath: path.join(dir, "mongod.sock"),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Starts the embedded server on a private Unix socket, e.g. `await startEmbeddedServer({ dataDir: "./data" })`. */
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
      try {
        onData(chunk);
      } catch (err) {
        // Framing itself failed (it never should): drop this connection, keep the server.
        warn("embedded store: connection dropped", { error: (err as Error).message });
        socket.destroy();
      }
    });
    const onData = (chunk: Buffer): void => {
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
          socket.end(encodeReplySafely(requestId, OP_MSG, reply).bytes);
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
    };
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  });

  /** Answers one message; every failure (parse, command, encoding) becomes an error reply. */
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
    const { bytes, error } = encodeReplySafely(requestId, opCode, reply);
    if (error) warn("embedded store: reply could not be encoded", { error });
    if (!socket.destroyed) socket.write(bytes);
  }

  const { socketPath, cleanup } = chooseSocketPath(opts.dataDir);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ path: socketPath, readableAll: false, writableAll: false }, () => resolve());
    });
    fs.chmodSync(socketPath, 0o600);
  } catch (err) {
    engine.close();
    cleanup();
    unlock();
    throw err;
  }
  server.on("error", (err) => warn("embedded store: listener error", { error: err.message }));
  // Lets the project's CLIs on the same machine (npm run announce, content:load) reach a running store.
  const socketFile = path.join(opts.dataDir, SOCKET_FILE);
  fs.writeFileSync(socketFile, socketPath, { mode: 0o600 });
  fs.chmodSync(socketFile, 0o600);
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
    uri: socketUri(socketPath),
    socketPath,
    engine,
    close() {
      closed ??= new Promise<void>((resolve) => {
        clearInterval(ttlTimer);
        server.close(() => {
          engine.close();
          fs.rmSync(socketFile, { force: true });
          cleanup();
          unlock();
          resolve();
        });
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
