/**
 * The corpus folder as start-up sees it: which files are documents, their sidecar metadata, and
 * whether the current index was built from exactly these files with this recipe. Light on purpose:
 * `npm start` with an up-to-date index loads none of the readers or cleaners of ingest.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createError } from "../../core/errors.js";
import type { SidecarEntry } from "../../core/ingest/process-document.js";
import { recipeMismatches, type IndexManifest } from "../../core/search/search-index.js";
import { currentBuildDir, readManifest } from "../index-store.js";
import type { NodeRuntime } from "../runtime.js";

export const SIDECAR_FILE = "documents.json";
/** The bureau profile at the top of the corpus folder: data, not a document. */
export const PROFILE_FILE = "profile.json";
const IGNORED = /^(\.|README|readme)|\.(tmp|swp|bak)$|~$/;

/** All document files under the corpus folder (recursively), sidecar and hidden files excluded. */
export function listCorpusFiles(corpusDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (IGNORED.test(name) || name === SIDECAR_FILE || (dir === corpusDir && name === PROFILE_FILE)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(corpusDir, path));
    }
  };
  walk(corpusDir);
  return files;
}

export function readSidecar(corpusDir: string): Record<string, SidecarEntry> {
  const path = join(corpusDir, SIDECAR_FILE);
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { documents?: Record<string, SidecarEntry> };
    return parsed.documents ?? {};
  } catch (cause) {
    throw createError("BROKEN_DOCUMENT", `${SIDECAR_FILE}（JSON 格式错误）`, { cause });
  }
}

/** True when the index is missing, built with another recipe, or older than the corpus. */
export function indexIsStale(corpusDir: string, indexDir: string, runtime: NodeRuntime): { stale: boolean; reason: string } {
  const build = currentBuildDir(indexDir);
  if (!build) return { stale: true, reason: "索引不存在" };
  let manifest: IndexManifest | null;
  try {
    manifest = readManifest(indexDir);
  } catch {
    return { stale: true, reason: "索引清单损坏" };
  }
  if (!manifest) return { stale: true, reason: "索引不存在" };
  const diffs = recipeMismatches(manifest, runtime.recipe);
  if (diffs.length) return { stale: true, reason: `索引构建方式已变化（${diffs[0]}）` };
  const sidecar = readSidecar(corpusDir);
  const files = listCorpusFiles(corpusDir);
  const known = new Map([...manifest.documents, ...(manifest.skipped ?? [])].map((d) => [d.file, d.contentHash]));
  if (manifest.documents.some((d) => !files.includes(d.file))) return { stale: true, reason: "语料中有文件被删除" };
  for (const file of files) {
    const bytes = readFileSync(join(corpusDir, file));
    const hash = createHash("sha256").update(bytes).update(JSON.stringify(sidecar[file] ?? null)).digest("hex");
    if (known.get(file) !== hash) return { stale: true, reason: `语料有变化：${file}` };
  }
  return { stale: false, reason: "" };
}
