/** Runs the embedded store on its own, as MongoDB runs beside a production service (bench use). */
import { startEmbeddedServer } from "../../src/store/embedded/server.js";

const server = await startEmbeddedServer({ dataDir: process.env.DATA_DIR! });
process.stdout.write(`${server.uri}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
