import { copyFile, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SOURCE_DIR = join(ROOT, "src", "web");

/** Script bundles: browser entry (TypeScript) → file name in the output folder. */
const BUNDLES: Record<string, string> = {
  "widget.js": join(SOURCE_DIR, "widget", "index.ts"),
  "console.js": join(SOURCE_DIR, "console", "index.ts"),
};

/** Copied as-is: pages at the top level, style sheets under static/ (served as /static/<name>). */
const COPIES: Record<string, string> = {
  "index.html": join(SOURCE_DIR, "pages", "index.html"),
  "console.html": join(SOURCE_DIR, "pages", "console.html"),
  "static/console.css": join(SOURCE_DIR, "console", "console.css"),
  "static/demo.css": join(SOURCE_DIR, "pages", "demo.css"),
};

export interface WebAssetsBuild {
  outDir: string;
  /** Output file (relative to outDir) → size in bytes. */
  files: Record<string, number>;
}

/**
 * Bundles the widget and the console for browsers (IIFE, ES2020, no globals) and copies the pages.
 * Writes into a temporary sibling folder first, then renames it into place, so a server reading
 * dist/web never sees a half-written build.
 */
export async function buildWebAssets(options: { outDir?: string; minify?: boolean } = {}): Promise<WebAssetsBuild> {
  const outDir = resolve(options.outDir ?? join(ROOT, "dist", "web"));
  const staging = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(join(staging, "static"), { recursive: true });
  try {
    // Loaded only to build (≈ 0.1 s to import): a server whose pages are current never needs it.
    const { build } = await import("esbuild");
    await build({
      entryPoints: Object.entries(BUNDLES).map(([out, entry]) => ({ in: entry, out: out.replace(/\.js$/, "") })),
      outdir: staging,
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "es2020",
      minify: options.minify ?? true,
      legalComments: "none",
      charset: "utf8",
      logLevel: "silent",
    });
    for (const [out, source] of Object.entries(COPIES)) await copyFile(source, join(staging, out));
    const files: Record<string, number> = {};
    for (const out of [...Object.keys(BUNDLES), ...Object.keys(COPIES)]) files[out] = (await stat(join(staging, out))).size;
    await replaceFolder(staging, outDir);
    return { outDir, files };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Moves a finished build into place. Parallel test workers may build at the same moment: whoever
 * renames last wins, and a loser whose rename is refused keeps the other's (identical) build.
 */
async function replaceFolder(staging: string, outDir: string): Promise<void> {
  await mkdir(dirname(outDir), { recursive: true });
  const retired = `${staging}.old`;
  await rename(outDir, retired).catch(() => undefined);
  try {
    await rename(staging, outDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
  }
  await rm(retired, { recursive: true, force: true });
}

/** Newest modification time of any file under a folder (0 when the folder is missing). */
async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/** Builds the web assets only when the output is missing or older than any file under src/web. */
export async function ensureWebAssets(outDir = "dist/web"): Promise<string> {
  const target = resolve(outDir);
  const built = await oldestOutput(target);
  if (built === 0 || built < (await newestMtime(SOURCE_DIR))) await buildWebAssets({ outDir: target });
  return target;
}

/** Oldest modification time among the expected outputs (0 when one is missing). */
async function oldestOutput(outDir: string): Promise<number> {
  let oldest = Infinity;
  for (const out of [...Object.keys(BUNDLES), ...Object.keys(COPIES)]) {
    const s = await stat(join(outDir, out)).catch(() => undefined);
    if (!s) return 0;
    oldest = Math.min(oldest, s.mtimeMs);
  }
  return oldest;
}
