import type { Config } from "../core/config.js";
import { loadIndex } from "./index-store.js";
import { createNodeRuntime, type NodeRuntime } from "./runtime.js";
import { searchWith, type OpenedIndex } from "./search-runtime.js";
import { shareIndex, type SharedIndexParts } from "./shared-index.js";

export type { OpenedIndex } from "./search-runtime.js";

/**
 * Loads the current index for a command, with the query runtime (the pure-JS segmenter: same tokens
 * as ingest's nodejieba, a fraction of its memory). With `buildIfNeeded`, a missing or stale index
 * is built first (npm start on a fresh clone) by ingest's runtime, loaded only then, as is the whole
 * ingest module tree (readers, cleaners); otherwise a missing index is an error naming npm run ingest.
 */
export async function openIndex(
  config: Config,
  options: { buildIfNeeded?: boolean; log?: (message: string) => void } = {},
): Promise<OpenedIndex> {
  return loadWithRuntime(config, await prepareIndex(config, options));
}

/**
 * The query runtime, with the index built first when `buildIfNeeded` and it is missing or stale:
 * the first half of openIndex, for a server that then loads the index itself (`loadWithRuntime`,
 * or `loadShared` when answer threads search it too).
 */
export async function prepareIndex(config: Config, options: { buildIfNeeded?: boolean; log?: (message: string) => void } = {}): Promise<NodeRuntime> {
  const runtime = await createNodeRuntime(config, { purpose: "query" });
  if (options.buildIfNeeded) {
    const { indexIsStale } = await import("./ingest/corpus-files.js");
    const { stale, reason } = indexIsStale(config.CORPUS_DIR, config.INDEX_DIR, runtime);
    if (stale) {
      const { ingestCorpus } = await import("./ingest/build-index.js");
      options.log?.(`${reason}，正在构建索引……`);
      const ingestRuntime = await createNodeRuntime(config);
      const result = await ingestCorpus({ corpusDir: config.CORPUS_DIR, indexDir: config.INDEX_DIR, runtime: ingestRuntime });
      options.log?.(`索引已构建：${result.manifest.counts.documents} 个文件，${result.manifest.counts.passages} 个段落，用时 ${result.seconds.toFixed(1)} 秒`);
    }
  }
  return runtime;
}

/** Loads the current index with an existing runtime (a running server re-loading after a re-ingest). */
export function loadWithRuntime(config: Config, runtime: NodeRuntime): OpenedIndex {
  return searchWith(loadIndex(config.INDEX_DIR, runtime.recipe), runtime);
}

/**
 * Loads the current index into shared memory for a server with answer threads: the index the main
 * thread searches, and the parts the threads open it from (src/node/shared-index.ts).
 */
export function loadShared(config: Config, runtime: NodeRuntime): { opened: OpenedIndex; parts: SharedIndexParts } {
  const { index, parts } = shareIndex(loadIndex(config.INDEX_DIR, runtime.recipe, { shared: true }));
  return { opened: searchWith(index, runtime), parts };
}
