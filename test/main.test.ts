/** The real entry point: starts with the embedded store, serves health, stops cleanly on SIGTERM. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spawnMain } from "./helpers/main-process.js";
import { tempDir } from "./helpers/store.js";

describe("main", () => {
  it("should start with no MongoDB, serve /healthz and /readyz, and exit 0 on SIGTERM", async () => {
    const dataDir = tempDir("motcua-main-");
    const { child, url: base } = await spawnMain({
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      MONGODB_URI: "",
    });
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const exited = new Promise<number | null>((r) => child.once("exit", r));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(fs.existsSync(path.join(dataDir, "LOCK"))).toBe(false);
    } finally {
      child.kill("SIGKILL");
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 40_000);

  it("should exit 1 and name every bad setting", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("src/main.ts")], {
      env: { ...process.env, PORT: "notaport", LOG_LEVEL: "loud" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.once("exit", r));
    expect(code).toBe(1);
    expect(err).toContain("PORT");
    expect(err).toContain("LOG_LEVEL");
  }, 20_000);
});
