import { createError } from "../core/errors.js";
import { parseManifest, type IndexFiles } from "../core/index/index-files.js";
import { REBUILD_WORKER_INDEX, WORKER_INDEX_PREFIX, type WorkerIndexFile } from "../core/index/worker-index-layout.js";

/** Reads one asset through a fetch-like function (env.ASSETS.fetch in a Worker). */
export type FetchAsset = (path: string) => Promise<Response>;

/** The Worker's index files: `fetch` brings files in (checked), then the core loader `read`s them. */
export interface WorkerIndexFiles extends IndexFiles {
  fetch(names: readonly WorkerIndexFile[]): Promise<void>;
}

/**
 * Opens the Worker's index assets (layout: src/core/index/worker-index-layout.ts) for the core
 * loader: the manifest now, the data files when fetched (together, each checked against its
 * sha256) — the Worker has no synchronous file reads, so what the loader reads is fetched first.
 */
export async function openWorkerIndex(fetchAsset: FetchAsset): Promise<WorkerIndexFiles> {
  const fix = `，请运行 ${REBUILD_WORKER_INDEX}`;
  const get = async (name: string): Promise<Uint8Array> => {
    const response = await fetchAsset(`${WORKER_INDEX_PREFIX}${name}`);
    if (!response.ok) {
      if (name === "manifest.json") throw createError("INDEX_MISSING", `静态资源 /${WORKER_INDEX_PREFIX}${name}；Worker 的索引由 ${REBUILD_WORKER_INDEX} 构建`);
      throw createError("INDEX_CORRUPT", `${name} 缺失（HTTP ${response.status}）${fix}`);
    }
    return new Uint8Array(await response.arrayBuffer());
  };
  const manifest = parseManifest(new TextDecoder().decode(await get("manifest.json")), fix);
  const fetched = new Map<string, Uint8Array>();
  return {
    manifest,
    fix,
    async fetch(names) {
      const files = await Promise.all(
        names.map(async (name): Promise<[string, Uint8Array]> => {
          const expected = manifest.files[name];
          if (!expected) throw createError("INDEX_CORRUPT", `清单中没有 ${name}${fix}`);
          const bytes = await get(name);
          if ((await sha256Hex(bytes)) !== expected) throw createError("INDEX_CORRUPT", `${name} 校验失败${fix}`);
          return [name, bytes];
        }),
      );
      for (const [name, bytes] of files) fetched.set(name, bytes);
    },
    read: (name) => {
      const bytes = fetched.get(name);
      if (!bytes) throw createError("INDEX_CORRUPT", `${name} 缺失${fix}`);
      return bytes;
    },
  };
}

/** sha256 with Web Crypto (available in Workers and Node alike). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
