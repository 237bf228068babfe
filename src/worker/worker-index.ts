import { createError } from "../core/errors.js";
import type { IndexManifest } from "../core/search/search-index.js";

/**
 * The index a Worker serves, as static assets under /index/ (built on Node by
 * `npm run build:worker-index`): the same documents, passages and BM25 index as a Node build, made
 * with the pure-JS segmenter, plus the packed jieba lexicon the Worker tokenizes queries with, and —
 * for the bundled back end — the sparse vector postings of the hashing model.
 */
export const WORKER_INDEX_PREFIX = "index/";
export const WORKER_INDEX_FILES = ["documents.json", "passages.json", "keyword.json", "knowledge.json", "lexicon.bin", "vectors.sparse"] as const;
export type WorkerIndexFile = (typeof WORKER_INDEX_FILES)[number];

/** The command that rebuilds the Worker's index: named in every load error. */
export const REBUILD_WORKER_INDEX = "npm run build:worker-index";

export interface WorkerIndexFiles {
  manifest: IndexManifest;
  read(name: WorkerIndexFile): Promise<Uint8Array>;
}

/** Reads one asset through a fetch-like function (env.ASSETS.fetch in a Worker). */
export type FetchAsset = (path: string) => Promise<Response>;

/** Opens the index assets: the manifest first, then each file on demand, checked against its sha256. */
export async function openWorkerIndex(fetchAsset: FetchAsset): Promise<WorkerIndexFiles> {
  const get = async (name: string): Promise<Uint8Array> => {
    const response = await fetchAsset(`${WORKER_INDEX_PREFIX}${name}`);
    if (!response.ok) {
      if (name === "manifest.json") throw createError("INDEX_MISSING", `静态资源 /${WORKER_INDEX_PREFIX}${name}；Worker 的索引由 ${REBUILD_WORKER_INDEX} 构建`);
      throw createError("INDEX_CORRUPT", `${name} 缺失（HTTP ${response.status}），请运行 ${REBUILD_WORKER_INDEX}`);
    }
    return new Uint8Array(await response.arrayBuffer());
  };
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(await get("manifest.json"))) as IndexManifest;
  } catch (error) {
    if (error instanceof Error && error.name === "AppError") throw error;
    throw createError("INDEX_CORRUPT", `manifest.json 无法解析，请运行 ${REBUILD_WORKER_INDEX}`, { cause: error });
  }
  return {
    manifest,
    read: async (name) => {
      const expected = manifest.files[name];
      if (!expected) throw createError("INDEX_CORRUPT", `清单中没有 ${name}，请运行 ${REBUILD_WORKER_INDEX}`);
      const bytes = await get(name);
      if ((await sha256Hex(bytes)) !== expected) throw createError("INDEX_CORRUPT", `${name} 校验失败，请运行 ${REBUILD_WORKER_INDEX}`);
      return bytes;
    },
  };
}

/** sha256 with Web Crypto (available in Workers and Node alike). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
