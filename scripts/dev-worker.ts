import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * `npm run dev:worker`: the Worker locally in workerd (`wrangler dev`, offline) on
 * 127.0.0.1:$PORT (default 8788). wrangler.toml's custom build makes the index assets first.
 * Extra arguments go to wrangler (e.g. `-- --env vectorize`, which needs a Cloudflare login).
 */
const require = createRequire(import.meta.url);
const wrangler = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
const port = process.env.PORT && /^\d+$/.test(process.env.PORT) ? process.env.PORT : "8788";
const host = process.env.HOST ?? "127.0.0.1";
const extra = process.argv.slice(2);

const child = spawn(
  process.execPath,
  [wrangler, "dev", "--ip", host, "--port", port, "--show-interactive-dev-session=false", ...(extra.some((a) => a.startsWith("--env") || a === "-e") ? [] : ["--env="]), ...extra],
  // No telemetry and no update check: `dev:worker` must work without internet.
  { stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true" } },
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
