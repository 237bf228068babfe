import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadConfig } from "../../src/core/config.js";
import { startServer } from "../../src/node/server.js";
import { CORPUS_DIR } from "../helpers.js";
import type { ContractTarget } from "./http-contract.js";

export interface RunningTarget extends ContractTarget {
  /** Milliseconds from start to the first ready response. */
  startupMs: number;
  /** Everything the process printed (wrangler's output), for measurements and failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = join(import.meta.dirname, "..", "..");

/** The Node server (`startServer`) on a free port, with its index in a private temporary folder. */
export async function startNodeTarget(): Promise<RunningTarget> {
  const indexDir = mkdtempSync(join(tmpdir(), "edu-contract-node-"));
  const started = performance.now();
  const server = await startServer({
    config: loadConfig({ WATCH_INDEX: "false" }, { PORT: 0, HOST: "127.0.0.1", INDEX_DIR: indexDir, CORPUS_DIR, RATE_LIMIT_PER_MIN: 0 }),
    logLevel: "silent",
  });
  return {
    baseUrl: server.url.replace(/\/$/, ""),
    fetch: (input, init) => fetch(input, init),
    startupMs: performance.now() - started,
    output: () => "",
    stop: async () => {
      await server.close();
      rmSync(indexDir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `wrangler dev` (workerd, local, offline) on a free port, in its own process group so stopping
 * it also stops workerd and the custom build. Rate limiting is off for the dev-set run.
 */
export async function startWranglerTarget(timeoutMs = 150_000): Promise<RunningTarget> {
  const port = await freePort();
  const require = createRequire(import.meta.url);
  const wrangler = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
  let output = "";
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [wrangler, "dev", "--ip", "127.0.0.1", "--port", String(port), "--env=", "--show-interactive-dev-session=false", "--var", "RATE_LIMIT_PER_MIN:0", "--var", "LOG_LEVEL:warn"],
    { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" } },
  );
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  let exited = false;
  child.on("exit", () => (exited = true));
  const stop = async () => {
    if (exited || child.pid === undefined) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5000);
    await gone;
    clearTimeout(timer);
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`wrangler dev exited early:\n${output.slice(-3000)}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(30_000) });
      if (response.status === 200) {
        return { baseUrl, fetch: (input, init) => fetch(input, init), startupMs: performance.now() - started, output: () => output, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`wrangler dev was not ready within ${timeoutMs} ms:\n${output.slice(-3000)}`);
}
