import { indexRecipe, type IndexRecipe } from "../search/search-index.js";
import { VectorizeVectorIndex } from "../search/vectorize-vector-index.js";

/**
 * The index a Worker serves, as static assets under /index/ — written on Node by
 * `npm run build:worker-index` (src/node/worker-assets.ts), read by the Worker (src/worker): the
 * same documents, passages and BM25 index as a Node build, made with the pure-JS segmenter, plus the
 * packed jieba lexicon the Worker tokenizes queries with, and — for the bundled back end — the
 * sparse vector postings of the hashing model. Both sides import this layout from here.
 */
export const WORKER_INDEX_PREFIX = "index/";
export const WORKER_INDEX_FILES = ["documents.json", "passages.json", "keyword.json", "knowledge.json", "lexicon.bin", "vectors.sparse"] as const;
export type WorkerIndexFile = (typeof WORKER_INDEX_FILES)[number];

/** The command that rebuilds the Worker's index: named in every Worker load error. */
export const REBUILD_WORKER_INDEX = "npm run build:worker-index";

/** Where a Worker's vectors live: sparse postings bundled in the assets, or a dense model in Vectorize. */
export type VectorBackend = "bundled" | "vectorize";

/**
 * The recipe a Worker expects: the hashing model's sparse postings (bundled) or a dense model in
 * Vectorize; `segmenter` comes from the shipped lexicon.
 */
export function workerRecipe(segmenterId: string, embeddings: { id: string; dimensions: number }, knowledgeId: string): IndexRecipe {
  return indexRecipe(segmenterId, embeddings, VectorizeVectorIndex.ID, knowledgeId);
}
