/** Connects mongoose to MongoDB (`MONGODB_URI`) or to the embedded store started on demand. */
import mongoose, { type Connection } from "mongoose";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { runningEmbeddedUri, startEmbeddedServer, type EmbeddedServer } from "./embedded/server.js";

/** A live store: the mongoose connection and, when embedded, the server behind it. */
export interface Store {
  readonly connection: Connection;
  readonly embedded: EmbeddedServer | undefined;
  /** True when the database answers a ping within a second. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Database name used in the embedded store and when `MONGODB_URI` names none. */
export const DEFAULT_DB_NAME = "motcua";

/**
 * Opens the store: `MONGODB_URI` when set, else an embedded server under `DATA_DIR`,
 * e.g. `const store = await connectStore(config, logger)`.
 */
export async function connectStore(
  config: Pick<Config, "mongodbUri" | "dataDir" | "dataFsync">,
  logger: Logger,
  opts: { ttlIntervalMs?: number; attachToRunning?: boolean } = {},
): Promise<Store> {
  let embedded: EmbeddedServer | undefined;
  let uri = config.mongodbUri;
  const attached = !uri && opts.attachToRunning ? runningEmbeddedUri(config.dataDir) : undefined;
  if (attached) {
    uri = attached;
    logger.info({ dataDir: config.dataDir }, "attached to the running embedded store");
  } else if (!uri) {
    embedded = await startEmbeddedServer({
      dataDir: config.dataDir,
      fsync: config.dataFsync,
      ttlIntervalMs: opts.ttlIntervalMs,
      onWarning: (msg, ctx) => logger.warn(ctx, msg),
    });
    uri = embedded.uri;
    logger.info({ socket: embedded.socketPath, dataDir: config.dataDir }, "embedded store started");
  }
  const connection = mongoose.createConnection(uri, {
    dbName: embedded || attached ? DEFAULT_DB_NAME : undefined,
    sanitizeFilter: true,
    serverSelectionTimeoutMS: 5_000,
    autoIndex: true,
  });
  connection.set("strictQuery", true);
  try {
    await connection.asPromise();
  } catch (err) {
    await embedded?.close();
    throw err;
  }
  return {
    connection,
    embedded,
    async ping() {
      try {
        const db = connection.db;
        if (!db || connection.readyState !== mongoose.ConnectionStates.connected) return false;
        await Promise.race([
          db.admin().ping(),
          new Promise((_, reject) => setTimeout(() => reject(new Error("ping timeout")), 1_000).unref()),
        ]);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await connection.close();
      await embedded?.close();
    },
  };
}
