import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { createAnswerer } from "../core/answer/create-answerer.js";
import type { Config } from "../core/config.js";
import { createError } from "../core/errors.js";
import type { ServingState } from "../core/http/app.js";
import { checkRecipe, loadIndexFiles } from "../core/index/index-files.js";
import { REBUILD_WORKER_INDEX, workerRecipe, type VectorBackend, type WorkerIndexFile } from "../core/index/worker-index-layout.js";
import { HashingEmbeddings } from "../core/search/hashing-embeddings.js";
import { JiebaLexicon } from "../core/search/jieba-lexicon.js";
import { createJsSegmenter } from "../core/search/js-segmenter.js";
import { HybridRetriever } from "../core/search/retriever.js";
import { SparseVectorIndex } from "../core/search/sparse-vector-index.js";
import { createTokenizer } from "../core/search/tokenizer.js";
import { labelledIdPrefix, VectorizeVectorIndex, type VectorizeBinding } from "../core/search/vectorize-vector-index.js";
import { BGE_M3, WorkersAiEmbeddings, type AiBinding } from "../core/search/workers-ai-embeddings.js";
import type { VectorIndex } from "../core/types.js";
import { openWorkerIndex, type FetchAsset } from "./worker-index.js";

export type { VectorBackend };
export { workerRecipe };

export interface WorkerStateOptions {
  fetchAsset: FetchAsset;
  config: Config;
  backend: VectorBackend;
  ai?: AiBinding;
  vectorize?: VectorizeBinding;
  log?: (event: string, fields: Record<string, unknown>) => void;
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
  await files.fetch(["lexicon.bin"]);
  const lexicon = JiebaLexicon.decode(files.read("lexicon.bin"));
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
  checkRecipe(manifest, workerRecipe(segmenter.id, embeddings, manifest.knowledge), `；Worker 索引请用 ${REBUILD_WORKER_INDEX}${backend === "vectorize" ? " -- --backend vectorize" : ""} 重建`);

  const data: WorkerIndexFile[] = ["documents.json", "passages.json", "keyword.json", "knowledge.json", ...(backend === "bundled" ? (["vectors.sparse"] as const) : [])];
  await files.fetch(data);
  let openVectors: (passages: { id: string }[]) => VectorIndex;
  if (backend === "vectorize") {
    const described = await options.vectorize!.describe();
    if (described.dimensions !== embeddings.dimensions) {
      throw createError("INDEX_VERSION_MISMATCH", `Vectorize 索引为 ${described.dimensions} 维，${BGE_M3.model} 为 ${embeddings.dimensions} 维：请按 README 重新创建索引`);
    }
    // Years are not sent as a metadata filter here: `upload:vectorize` does not check that the index
    // has the year metadata index (the d1 upload does, and records it).
    openVectors = (passages) =>
      new VectorizeVectorIndex({
        binding: options.vectorize!,
        dimensions: embeddings.dimensions,
        idPrefix: labelledIdPrefix(manifest.buildId),
        size: passages.length,
        namespace: manifest.buildId,
        legacyPassageIds: passages.map((p) => p.id),
      });
  } else {
    openVectors = () => {
      try {
        return SparseVectorIndex.deserialize(files.read("vectors.sparse"));
      } catch (error) {
        if (error instanceof Error && error.name === "AppError") throw error;
        throw createError("INDEX_CORRUPT", `vectors.sparse 无法读取${files.fix}`, { cause: error });
      }
    };
  }
  const index = loadIndexFiles(files, openVectors);
  const retriever = new HybridRetriever({ index, tokenize, embeddings, idf });
  const answerer = createAnswerer({ retriever, tokenize, idf, config, ...(options.log ? { log: options.log } : {}) });
  return { index, retriever, answerer };
}
