import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BureauProfile } from "../core/knowledge/profile.js";
import { knowledgeRecipeId, loadProfile, profilePath } from "./knowledge.js";
import { HashingEmbeddings } from "../core/search/hashing-embeddings.js";
import { JiebaLexicon } from "../core/search/jieba-lexicon.js";
import { createJsSegmenter } from "../core/search/js-segmenter.js";
import type { IndexManifest } from "../core/search/search-index.js";
import { createTokenizer } from "../core/search/tokenizer.js";
import { BGE_M3 } from "../core/search/workers-ai-embeddings.js";
import { WORKER_INDEX_PREFIX, workerRecipe, type VectorBackend, type WorkerIndexFile } from "../core/index/worker-index-layout.js";
import { indexIsStale, ingestCorpus } from "./ingest/build-index.js";
import { packCppjiebaLexicon } from "./jieba-lexicon.js";
import { nodeIndexRecipe, type NodeRuntime } from "./runtime.js";
import { decodeJsonText } from "./index-store.js";

export interface WorkerAssetsOptions {
  corpusDir: string;
  /** The static-assets folder wrangler uploads (wrangler.toml `[assets] directory`). */
  outDir?: string;
  /** Intermediate Node index (reused by incremental builds). */
  workDir?: string;
  backend?: VectorBackend;
  /** Folder of the built pages and widget to serve from the Worker (copied to web/ when present). */
  webDir?: string;
  force?: boolean;
  log?: (message: string) => void;
}

export interface WorkerAssetsResult {
  outDir: string;
  manifest: IndexManifest;
  /** Asset path → bytes. */
  files: Record<string, number>;
  rebuilt: boolean;
}

export const DEFAULT_WORKER_ASSETS = "dist/worker-assets";
const DEFAULT_WORK_DIR = "dist/worker-build/index";

/**
 * The Node runtime that builds a Worker index: the pure-JS jieba port (the one the Worker
 * tokenizes queries with) instead of nodejieba, and IDF from the same packed lexicon.
 */
export function createWorkerBuildRuntime(profile: BureauProfile, lexiconBlob: Uint8Array = packCppjiebaLexicon()): NodeRuntime & { lexiconBlob: Uint8Array; segmenterId: string } {
  const lexicon = JiebaLexicon.decode(lexiconBlob);
  const segmenter = createJsSegmenter({ lexicon });
  const tokenize = createTokenizer({ segmenter });
  const idf = (word: string) => lexicon.idf(word);
  const embeddings = new HashingEmbeddings({ tokenize, idf });
  return {
    tokenize,
    idf,
    embeddings,
    lexiconBlob,
    segmenterId: segmenter.id,
    profile,
    recipe: nodeIndexRecipe(segmenter.id, embeddings, knowledgeRecipeId(profile)),
  };
}

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");

/**
 * corpus/ → the Worker's static assets: ingests with the pure-JS segmenter (same reading, cleaning
 * and chunking as `npm run ingest`), then writes index/{manifest.json, documents.json,
 * passages.json, keyword.json, lexicon.bin[, vectors.sparse]} and the web pages into a temporary
 * folder renamed into place. Skips the work when the corpus, recipe and back end are unchanged.
 */
export async function buildWorkerAssets(options: WorkerAssetsOptions): Promise<WorkerAssetsResult> {
  const outDir = resolve(options.outDir ?? DEFAULT_WORKER_ASSETS);
  const workDir = resolve(options.workDir ?? DEFAULT_WORK_DIR);
  const backend = options.backend ?? "bundled";
  const log = options.log ?? (() => {});
  const runtime = createWorkerBuildRuntime(loadProfile(profilePath(options.corpusDir)));
  const { vectorIndex, embedder } = workerRecipe(
    runtime.segmenterId,
    backend === "bundled" ? runtime.embeddings : { id: `workers-ai:${BGE_M3.model}`, dimensions: BGE_M3.dimensions },
    runtime.recipe.knowledge,
  );

  const manifestPath = join(outDir, WORKER_INDEX_PREFIX, "manifest.json");
  const stale = indexIsStale(options.corpusDir, workDir, runtime);
  if (!options.force && !stale.stale && existsSync(manifestPath)) {
    const current = JSON.parse(readFileSync(manifestPath, "utf8")) as IndexManifest;
    const lexiconOk = current.files["lexicon.bin"] === sha256(runtime.lexiconBlob);
    if (lexiconOk && current.segmenter === runtime.segmenterId && JSON.stringify(current.vectorIndex) === JSON.stringify(vectorIndex) && JSON.stringify(current.embedder) === JSON.stringify(embedder)) {
      log(`Worker 索引已是最新（${current.buildId}），跳过构建`);
      return { outDir, manifest: current, files: sizesOf(outDir, current), rebuilt: false };
    }
  }

  if (stale.stale) log(`${stale.reason}，正在用纯 JS 分词构建 Worker 索引……`);
  const ingest = stale.stale ? await ingestCorpus({ corpusDir: options.corpusDir, indexDir: workDir, runtime }) : undefined;
  const buildDir = ingest?.buildDir ?? join(workDir, "builds", (JSON.parse(readFileSync(join(workDir, "current.json"), "utf8")) as { build: string }).build);
  const built = JSON.parse(readFileSync(join(buildDir, "manifest.json"), "utf8")) as IndexManifest;

  const payload: Partial<Record<WorkerIndexFile, Uint8Array>> = {
    "documents.json": readFileSync(join(buildDir, "documents.json")),
    // The Node store keeps passages as UTF-16LE; the Worker reads UTF-8 JSON.
    "passages.json": new TextEncoder().encode(decodeJsonText(readFileSync(join(buildDir, "passages.json")))),
    "keyword.json": readFileSync(join(buildDir, "keyword.json")),
    "knowledge.json": readFileSync(join(buildDir, "knowledge.json")),
    "lexicon.bin": runtime.lexiconBlob,
  };
  // The bundled back end ships the hashing model's postings; with Vectorize the upload command embeds with bge-m3.
  if (backend === "bundled") payload["vectors.sparse"] = readFileSync(join(buildDir, "vectors.sparse"));

  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, WORKER_INDEX_PREFIX), { recursive: true });
  const files: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(payload)) {
    writeFileSync(join(staging, WORKER_INDEX_PREFIX, name), bytes);
    files[name] = sha256(bytes);
  }
  const { files: _nodeFiles, ...rest } = built;
  const manifest: IndexManifest = { ...rest, embedder, vectorIndex, files };
  writeFileSync(join(staging, WORKER_INDEX_PREFIX, "manifest.json"), JSON.stringify(manifest, null, 2));
  if (options.webDir && existsSync(options.webDir)) cpSync(options.webDir, join(staging, "web"), { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  log(`Worker 索引已写入 ${outDir}：${manifest.counts.documents} 个文件，${manifest.counts.passages} 个段落（${backend}）`);
  return { outDir, manifest, files: sizesOf(outDir, manifest), rebuilt: true };
}

function sizesOf(outDir: string, manifest: IndexManifest): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const name of ["manifest.json", ...Object.keys(manifest.files)]) {
    const path = join(outDir, WORKER_INDEX_PREFIX, name);
    if (existsSync(path)) sizes[`${WORKER_INDEX_PREFIX}${name}`] = statSync(path).size;
  }
  return sizes;
}
