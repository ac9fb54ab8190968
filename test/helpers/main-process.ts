/** Runs the real entry point (`src/main.ts`) in a child process, as `npm start` does. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** A started motcua process: its base URL and everything it printed so far. */
export interface MainProcess {
  child: ChildProcess;
  url: string;
  output(): string;
}

/** Starts `src/main.ts` with `env` on top of this process's, resolving once it prints its URL (20 s at most). */
export function spawnMain(env: Record<string, string>): Promise<MainProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("src/main.ts")], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 20 s: ${out}`)), 20_000);
    const check = () => {
      const m = /motcua: (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off("data", check);
      child.off("exit", onExit);
      resolve({ child, url: m[1]!, output: () => out });
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${out}`));
    };
    child.stdout.on("data", check);
    child.once("exit", onExit);
  });
}
