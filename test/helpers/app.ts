/** Builds a full app on a temporary embedded store, with a listening HTTP server on a free port. */
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createApp, type App, type AppOverrides } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { tempDir } from "./store.js";

/** A running test app and its base URL. */
export interface TestApp {
  app: App;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts an app with `env` overrides layered over test defaults. Quiet hours are off by default so a
 * test's announcements go out whatever the time of day it runs at (quiet hours have their own tests).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  overrides: AppOverrides = {},
): Promise<TestApp> {
  const dataDir = tempDir("motcua-app-");
  const config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    QUIET_HOURS: "off",
    ...env,
  });
  const app = await createApp(config, {
    logger: createLogger({ level: env.LOG_LEVEL ?? "silent" }),
    ...overrides,
  });
  await app.start();
  const server: Server = await new Promise((resolve) => {
    const s = app.http.listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app,
    url,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
