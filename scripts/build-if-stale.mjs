// Compiles src/ to dist/ (tsconfig.build.json, incremental) when a source file is newer than the
// last build, so `npm install && npm start` works on a fresh clone and an unchanged tree runs without
// tsc (a stat of each source file, ≈ 10 ms). Used by scripts/run-compiled.mjs (npm start, search,
// ask) and runnable on its own. Plain JavaScript: it runs before anything is compiled. Concurrent
// callers (a test suite running several CLIs) share one build through a lock folder.
/* global process, setTimeout */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = join(ROOT, "dist", ".build-stamp");
const LOCK = join(ROOT, "dist", ".build-lock");
/** What the build reads: the compiled folders and the compiler settings. */
const INPUTS = ["src/core", "src/node", "src/worker", "tsconfig.json", "tsconfig.build.json", "package.json"];

function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted or renamed file changes its folder's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const isStale = () => {
  const built = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return INPUTS.some((input) => newestMtime(join(ROOT, input)) > built);
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds dist/ if any input is newer than the last build; waits for a build another process runs. */
export async function buildIfStale() {
  if (!isStale()) return;
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another process is building; a lock older than two minutes is a killed build's.
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(LOCK, { recursive: true, force: true });
      await sleep(200);
      if (!isStale()) return;
    }
  }
  try {
    if (!isStale()) return;
    const started = Date.now();
    // The stamp takes the time the build started: a source saved during the build stays newer.
    const stampTime = new Date();
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
    if (result.status !== 0 && !statSync(join(ROOT, "dist", "node", "cli", "start.js"), { throwIfNoEntry: false })) {
      process.stderr.write(result.stdout);
      throw new Error("tsc could not compile src/ to dist/");
    }
    if (result.status !== 0) {
      // tsc emits despite type errors; they are reported here and by npm test, and the run goes on.
      process.stderr.write(`${result.stdout}\n编译有类型错误（见上），仍使用已生成的 dist/ 运行；npm test 会报告同样的错误。\n`);
    }
    writeFileSync(STAMP, "");
    utimesSync(STAMP, stampTime, stampTime);
    process.stderr.write(`已编译 src/ → dist/（${((Date.now() - started) / 1000).toFixed(1)} 秒）\n`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildIfStale();
