/** The process entry point: the only file with side effects (listen, connect, schedule, signals). */
import type { Server } from "node:http";
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const app = await createApp(config);
  const { logger } = app;
  await app.start();
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.http.listen(config.port, config.host, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const base = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`;
  logger.info({ url: base, health: `${base}/healthz`, ready: `${base}/readyz` }, "motcua is listening");
  process.stdout.write(`motcua: ${base}  (health: ${base}/healthz, ready: ${base}/readyz)\n`);
  process.stdout.write(`motcua: staff console ${base}/admin\n`);
  if ((await app.staff.list()).length === 0)
    process.stdout.write(
      'motcua: no staff account yet; create one with: npm run staff:create -- --username quantri --role admin --name "Admin"\n',
    );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close();
    server.closeAllConnections();
    app
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `motcua failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
