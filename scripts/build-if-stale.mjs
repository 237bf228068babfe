// Compiles src/ to dist/ (tsconfig.build.json, incremental) when a source file is newer than the
// last build, so `npm install && npm start` works on a fresh clone and an unchanged tree runs without
// tsc (a stat of each source file, ≈ 10 ms), then bundles the commands of scripts/run-compiled.mjs
// and their threads into dist/bundle/ (esbuild). Used by scripts/run-compiled.mjs (npm start, search,
// ask) and runnable on its own. Plain JavaScript: it runs before anything is compiled. Concurrent
// callers (a test suite running several CLIs) share one build through a lock folder.
/* global process, setTimeout */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = join(ROOT, "dist", ".build-stamp");
const LOCK = join(ROOT, "dist", ".build-lock");
/** What the build reads: the compiled folders, the compiler settings and this recipe. */
const INPUTS = ["src/core", "src/node", "src/worker", "tsconfig.json", "tsconfig.build.json", "package.json", "scripts/build-if-stale.mjs"];

/**
 * The bundle: from dist/node, `npm start` loads ≈ 110 compiled modules and the ≈ 135 of zod and hono
 * one file at a time (resolve, read, compile each), and so does each answer thread for its share:
 * ≈ 0.2 s of CPU before /readyz (seed corpus, main thread and two answer threads), ≈ 60 modules from
 * the bundle. dist/bundle/ holds one file per command of run-compiled.mjs and per
 * worker thread (named so: threadEntry finds `answer-thread.js` beside the chunk that starts it) and
 * the chunks they share; a module imported with import() stays in a chunk of its own, loaded as late
 * as before. import.meta.url-relative paths hold: dist/bundle/ is as deep as dist/node/.
 */
const BUNDLE = join(ROOT, "dist", "bundle");
/** The files of the last bundle (JSON list); also what marks a build as done. */
const BUNDLE_OUTPUTS = join(BUNDLE, "outputs.json");
const BUNDLE_ENTRIES = {
  start: "dist/node/cli/start.js",
  search: "dist/node/cli/search.js",
  ask: "dist/node/cli/ask.js",
  ingest: "dist/node/cli/ingest.js",
  "answer-thread": "dist/node/answer-thread.js",
  "reader-thread": "dist/node/readers/reader-thread.js",
  "knowledge-thread": "dist/node/knowledge-thread.js",
};
/**
 * Packages bundled in: pure ES modules of many small files, no paths of their own read at run time.
 * Every other package is loaded from node_modules as before (CommonJS, native code, data files, or
 * only imported on demand: the LLM client, the readers).
 */
const BUNDLED_PACKAGES = new Set(["zod", "hono", "@hono/node-server", "stemmer"]);
const packageOf = (specifier) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");

const readOutputs = () => {
  try {
    return JSON.parse(readFileSync(BUNDLE_OUTPUTS, "utf8"));
  } catch {
    return [];
  }
};

/**
 * Bundles dist/node into dist/bundle. The previous bundle's chunks are kept (a server started from
 * it may still import one on demand), older ones removed. Should esbuild fail, the commands run from
 * dist/node as before (run-compiled.mjs takes dist/bundle/<command>.js only when it exists).
 */
async function bundle() {
  mkdirSync(BUNDLE, { recursive: true });
  const previous = readOutputs();
  let outputs = [];
  try {
    const { build } = await import("esbuild");
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: BUNDLE_ENTRIES,
      outdir: "dist/bundle",
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      metafile: true,
      logLevel: "error",
      plugins: [
        {
          name: "node-modules",
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, ({ path }) => (path.startsWith("node:") || !BUNDLED_PACKAGES.has(packageOf(path)) ? { path, external: true } : undefined));
          },
        },
      ],
    });
    outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  } catch (error) {
    for (const name of Object.keys(BUNDLE_ENTRIES)) rmSync(join(BUNDLE, `${name}.js`), { force: true });
    process.stderr.write(`打包 dist/bundle/ 失败，改为从 dist/node/ 运行：${error instanceof Error ? error.message : String(error)}\n`);
  }
  const keep = new Set([...outputs, ...previous, basename(BUNDLE_OUTPUTS)]);
  for (const file of readdirSync(BUNDLE)) if (!keep.has(file)) rmSync(join(BUNDLE, file), { force: true });
  writeFileSync(BUNDLE_OUTPUTS, JSON.stringify(outputs));
}

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
  return !existsSync(BUNDLE_OUTPUTS) || INPUTS.some((input) => newestMtime(join(ROOT, input)) > built);
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
    await bundle();
    writeFileSync(STAMP, "");
    utimesSync(STAMP, stampTime, stampTime);
    process.stderr.write(`已编译 src/ → dist/（${((Date.now() - started) / 1000).toFixed(1)} 秒）\n`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildIfStale();
