import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { createAnswerer } from "../core/answer/create-answerer.js";
import type { Config } from "../core/config.js";
import { createError } from "../core/errors.js";
import type { ServingState } from "../core/http/app.js";
import { parseKnowledge } from "../core/knowledge/knowledge.js";
import { HashingEmbeddings } from "../core/search/hashing-embeddings.js";
import { JiebaLexicon } from "../core/search/jieba-lexicon.js";
import { createJsSegmenter } from "../core/search/js-segmenter.js";
import { Bm25KeywordIndex } from "../core/search/keyword-index.js";
import { HybridRetriever } from "../core/search/retriever.js";
import { indexRecipe, recipeMismatches, type IndexRecipe, type SearchIndex } from "../core/search/search-index.js";
import { SparseVectorIndex } from "../core/search/sparse-vector-index.js";
import { createTokenizer } from "../core/search/tokenizer.js";
import { VectorizeVectorIndex, type VectorizeBinding } from "../core/search/vectorize-vector-index.js";
import { BGE_M3, WorkersAiEmbeddings, type AiBinding } from "../core/search/workers-ai-embeddings.js";
import type { DocumentMeta, Passage, VectorIndex } from "../core/types.js";
import { openWorkerIndex, REBUILD_WORKER_INDEX, type FetchAsset } from "./worker-index.js";

export type VectorBackend = "bundled" | "vectorize";

export interface WorkerStateOptions {
  fetchAsset: FetchAsset;
  config: Config;
  backend: VectorBackend;
  ai?: AiBinding;
  vectorize?: VectorizeBinding;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

/**
 * The recipe a Worker expects: the hashing model's sparse postings (bundled) or a dense model in
 * Vectorize; `segmenter` comes from the shipped lexicon.
 */
export function workerRecipe(segmenterId: string, embeddings: { id: string; dimensions: number }, knowledgeId: string): IndexRecipe {
  return indexRecipe(segmenterId, embeddings, VectorizeVectorIndex.ID, knowledgeId);
}

/**
 * Loads the index from the static assets and wires the Worker's pure-JS pieces: the jieba port
 * for tokenizing (the build used the same one, so queries and index agree), the hashing
 * embeddings over sparse postings in memory (bundled) or bge-m3 over Vectorize, the same retriever
 * and answerer as on Node. Refuses an index built with another recipe.
 */
export async function loadWorkerState(options: WorkerStateOptions): Promise<ServingState> {
  const { backend, config } = options;
  const files = await openWorkerIndex(options.fetchAsset);
  const { manifest } = files;
  const lexicon = JiebaLexicon.decode(await files.read("lexicon.bin"));
  const segmenter = createJsSegmenter({ lexicon });
  const tokenize = createTokenizer({ segmenter });
  const idf = (word: string) => lexicon.idf(word);

  let embeddings: EmbeddingsInterface & { id: string; dimensions: number };
  if (backend === "vectorize") {
    if (!options.ai || !options.vectorize) throw createError("CONFIG_INVALID", "VECTOR_BACKEND=vectorize 需要 wrangler.toml 中的 AI 与 VECTORIZE 绑定");
    embeddings = new WorkersAiEmbeddings({ ai: options.ai, model: BGE_M3.model, dimensions: BGE_M3.dimensions });
  } else {
    embeddings = new HashingEmbeddings({ tokenize, idf });
  }
  // The knowledge file ships inside the index (built on Node from the dictionary, division data and
  // profile): the Worker takes its id from the manifest rather than holding those resources.
  const recipe = workerRecipe(segmenter.id, embeddings, manifest.knowledge);
  const diffs = recipeMismatches(manifest, recipe);
  if (diffs.length) throw createError("INDEX_VERSION_MISMATCH", `${diffs.join("；")}；Worker 索引请用 ${REBUILD_WORKER_INDEX}${backend === "vectorize" ? " -- --backend vectorize" : ""} 重建`);

  const json = async <T>(name: "documents.json" | "passages.json") => JSON.parse(new TextDecoder().decode(await files.read(name))) as T;
  const [documents, passages, keywordBytes, knowledgeBytes] = await Promise.all([
    json<DocumentMeta[]>("documents.json"),
    json<Passage[]>("passages.json"),
    files.read("keyword.json"),
    files.read("knowledge.json"),
  ]);
  const knowledge = parseKnowledge(new TextDecoder().decode(knowledgeBytes));
  if (passages.length !== manifest.counts.passages) throw createError("INDEX_CORRUPT", `段落数与清单不一致，请运行 ${REBUILD_WORKER_INDEX}`);
  const keyword = Bm25KeywordIndex.load(new TextDecoder().decode(keywordBytes));

  let vectors: VectorIndex;
  if (backend === "vectorize") {
    const described = await options.vectorize!.describe();
    if (described.dimensions !== embeddings.dimensions) {
      throw createError("INDEX_VERSION_MISMATCH", `Vectorize 索引为 ${described.dimensions} 维，${BGE_M3.model} 为 ${embeddings.dimensions} 维：请按 README 重新创建索引`);
    }
    vectors = new VectorizeVectorIndex({ binding: options.vectorize!, dimensions: embeddings.dimensions, passageIds: passages.map((p) => p.id), namespace: manifest.buildId });
  } else {
    try {
      vectors = SparseVectorIndex.deserialize(await files.read("vectors.sparse"));
    } catch (error) {
      if (error instanceof Error && error.name === "AppError") throw error;
      throw createError("INDEX_CORRUPT", `vectors.sparse 无法读取，请运行 ${REBUILD_WORKER_INDEX}`, { cause: error });
    }
    if (vectors.size !== passages.length) throw createError("INDEX_CORRUPT", `段落数与向量数不一致，请运行 ${REBUILD_WORKER_INDEX}`);
  }

  const index: SearchIndex = { manifest, documents, passages, docById: new Map(documents.map((d) => [d.id, d])), keyword, knowledge, vectors };
  const retriever = new HybridRetriever({ index, tokenize, embeddings, idf });
  const answerer = createAnswerer({ retriever, tokenize, idf, config, ...(options.log ? { log: options.log } : {}) });
  return { index, retriever, answerer };
}
