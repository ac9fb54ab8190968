/** Wires motcua together from a config: store, HTTP app and services. Never listens. */
import type { Express } from "express";
import type { Config } from "./config.js";
import { createHttpApp } from "./http/server.js";
import { createMetrics, type Metrics } from "./http/metrics.js";
import { createLogger, type Logger } from "./logger.js";
import { connectStore, type Store } from "./store/connect.js";
import { createContentService, type ContentService } from "./content/service.js";

/** A wired application: the pieces main starts and tests drive. */
export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly http: Express;
  readonly content: ContentService;
  /** Loads content (sample content into an empty store) and starts background work. */
  start(): Promise<void>;
  /** Stops background work and closes the store. */
  close(): Promise<void>;
}

/** Optional overrides for tests: a logger writing elsewhere, a faster TTL sweep. */
export interface AppOverrides {
  logger?: Logger;
  ttlIntervalMs?: number;
}

/** Builds the app, e.g. `const app = await createApp(loadConfig())`; call `app.close()` when done. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const store = await connectStore(config, logger, { ttlIntervalMs: overrides.ttlIntervalMs });
  const metrics = createMetrics();
  const content = createContentService({
    connection: store.connection,
    logger,
    contentDir: config.contentDir,
  });
  const http = createHttpApp({
    logger,
    metrics,
    bodyLimit: config.requestBodyLimit,
    ready: () => store.ping(),
  });
  return {
    config,
    logger,
    store,
    metrics,
    http,
    content,
    async start() {
      await content.start();
    },
    async close() {
      await store.close();
    },
  };
}
