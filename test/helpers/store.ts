/** Test stores: the embedded server in a temp dir, or a real MongoDB when MONGODB_URI_TEST is set. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mongoose, { type Connection } from "mongoose";
import { startEmbeddedServer, type EmbeddedServer } from "../../src/store/embedded/server.js";

/** A store for one test file. */
export interface TestStore {
  connection: Connection;
  /** The embedded server, absent when running against a real MongoDB. */
  embedded: EmbeddedServer | undefined;
  dataDir: string;
  close(): Promise<void>;
}

/** Which backend the contract suite runs on. */
export const realMongoUri = process.env.MONGODB_URI_TEST || undefined;

/** A fresh temporary directory, removed by the caller. */
export function tempDir(prefix = "motcua-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Opens a store with its own database; `ttlIntervalMs` speeds up TTL sweeps of the embedded server. */
export async function openTestStore(
  opts: { ttlIntervalMs?: number; dataDir?: string; sanitizeFilter?: boolean } = {},
): Promise<TestStore> {
  const dataDir = opts.dataDir ?? tempDir();
  let embedded: EmbeddedServer | undefined;
  let uri = realMongoUri;
  if (!uri) {
    embedded = await startEmbeddedServer({ dataDir, ttlIntervalMs: opts.ttlIntervalMs ?? 100 });
    uri = embedded.uri;
  }
  const dbName = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const connection = await mongoose
    .createConnection(uri, {
      dbName,
      serverSelectionTimeoutMS: 5_000,
      sanitizeFilter: opts.sanitizeFilter ?? true,
    })
    .asPromise();
  return {
    connection,
    embedded,
    dataDir,
    async close() {
      if (realMongoUri) await connection.dropDatabase();
      await connection.close();
      await embedded?.close();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
