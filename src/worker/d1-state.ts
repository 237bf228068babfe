import { createAnswerer } from "../core/answer/create-answerer.js";
import type { Config } from "../core/config.js";
import { createError } from "../core/errors.js";
import type { ServingState } from "../core/http/app.js";
import { HashingEmbeddings } from "../core/search/hashing-embeddings.js";
import { JiebaLexicon } from "../core/search/jieba-lexicon.js";
import { createJsSegmenter } from "../core/search/js-segmenter.js";
import { Bm25KeywordIndex } from "../core/search/keyword-index.js";
import { HybridRetriever } from "../core/search/retriever.js";
import { indexRecipe, recipeMismatches, type SearchIndex } from "../core/search/search-index.js";
import { createTokenizer } from "../core/search/tokenizer.js";
import { VectorizeVectorIndex, type VectorizeBinding } from "../core/search/vectorize-vector-index.js";
import { WorkersAiEmbeddings, type AiBinding } from "../core/search/workers-ai-embeddings.js";
import type { Passage } from "../core/types.js";
import { DEPLOY_INDEX, openD1Index, servingBuild, type D1Index } from "./d1-search-index.js";
import type { D1Binding } from "./d1-store.js";
import type { D1VectorSource, DenseVectorsRecord } from "./d1-vectors.js";

export interface D1StateOptions {
  db: D1Binding;
  config: Config;
  log?: (event: string, fields: Record<string, unknown>) => void;
  /** `D1_VECTORS`: the hashing features' postings in D1 (default) or the build's dense vectors in Vectorize. */
  vectors?: D1VectorSource;
  /** Workers AI and Vectorize bindings (vectors = "vectorize"). */
  ai?: AiBinding;
  vectorize?: VectorizeBinding;
}

/** The serving state of the `d1` back end, with the D1 handles the Worker's own routes use. */
export interface D1ServingState extends ServingState {
  d1: D1Index;
}

/**
 * The `d1` back end: the isolate holds the segmenter's lexicon (read from the D1 build, the one it
 * was tokenized with), the knowledge and a facet table of runs per document; passages, documents,
 * BM25 postings and the hashing model's feature postings stay in D1 and are queried per search
 * (keyword postings with the terms' document frequencies and feature postings in one batch, then
 * the candidates' passages: two round trips). No static asset is read to start. Refuses a build of
 * another recipe. With `vectors: "vectorize"` the vector side is the build's dense vectors in
 * Vectorize instead (the question embedded by Workers AI while D1 fetches the terms' postings).
 */
export async function loadD1WorkerState(options: D1StateOptions): Promise<D1ServingState> {
  // One batch of reads: the build's manifest, knowledge, facets and the lexicon it was tokenized with.
  const { lexicon: lexiconBlob, ...d1 } = await openD1Index(options.db);
  // The compact blob was unpacked for this isolate alone: its columns are rebuilt and it is not kept.
  const lexicon = JiebaLexicon.decodeCompact(lexiconBlob!);
  const segmenter = createJsSegmenter({ lexicon });
  const tokenize = createTokenizer({ segmenter });
  const idf = (word: string) => lexicon.idf(word);
  const embeddings = new HashingEmbeddings({ tokenize, idf });
  const diffs = recipeMismatches(d1.manifest, indexRecipe(segmenter.id, embeddings, VectorizeVectorIndex.ID, d1.manifest.knowledge));
  if (diffs.length) throw createError("INDEX_VERSION_MISMATCH", `${diffs.join("；")}；请重建索引并运行 ${DEPLOY_INDEX}`);
  const dense = options.vectors === "vectorize" ? await denseVectors(d1.build, d1.meta.passages, d1.meta.vectors, options) : undefined;

  // Nothing per passage is held: the lists stay empty, the retriever reads through D1.
  const index: SearchIndex = {
    manifest: d1.manifest,
    documents: [],
    passages: [] as Passage[],
    docById: new Map(),
    keyword: Bm25KeywordIndex.build([]),
    knowledge: d1.knowledge,
    vectors: dense?.vectors ?? d1.vectors,
  };
  const retriever = new HybridRetriever({ index, tokenize, embeddings: dense?.embeddings ?? embeddings, idf, keyword: d1.keyword, passages: d1.passages });
  const answerer = createAnswerer({ retriever, tokenize, idf, config: options.config, ...(options.log ? { log: options.log } : {}) });
  return { index, retriever, answerer, d1 };
}

/**
 * The build's dense vectors in Vectorize, as its meta row records them: the questions are embedded
 * with the model the passages were, and the index must have that model's width. Refused with the
 * command that uploads them when the build has none.
 */
async function denseVectors(build: string, passages: number, record: DenseVectorsRecord | undefined, options: D1StateOptions): Promise<{ vectors: VectorizeVectorIndex; embeddings: WorkersAiEmbeddings }> {
  if (!options.ai || !options.vectorize) throw createError("CONFIG_INVALID", "D1_VECTORS=vectorize 需要 wrangler.toml 中的 AI 与 VECTORIZE 绑定");
  if (!record) throw createError("INDEX_VERSION_MISMATCH", `D1 构建 ${build} 没有上传 Vectorize 向量；请运行 ${DEPLOY_INDEX} -- --vectors vectorize`);
  if (record.store !== "vectorize") throw createError("INDEX_VERSION_MISMATCH", `D1 构建 ${build} 的向量只写入了离线替身（deploy:index --local）；请对线上 D1 运行 ${DEPLOY_INDEX} -- --vectors vectorize`);
  if (record.vectors !== passages) throw createError("INDEX_CORRUPT", `D1 构建 ${build} 有 ${passages} 个段落，Vectorize 记录 ${record.vectors} 个向量；请运行 ${DEPLOY_INDEX} -- --vectors vectorize`);
  const described = await options.vectorize.describe();
  if (described.dimensions !== record.dimensions) {
    throw createError("INDEX_VERSION_MISMATCH", `Vectorize 索引为 ${described.dimensions} 维，构建 ${build} 的向量（${record.model}）为 ${record.dimensions} 维：请按 README 重新创建索引`);
  }
  return {
    embeddings: new WorkersAiEmbeddings({ ai: options.ai, model: record.model, dimensions: record.dimensions }),
    vectors: new VectorizeVectorIndex({
      binding: options.vectorize,
      dimensions: record.dimensions,
      namespace: record.namespace,
      idPrefix: record.idPrefix,
      size: record.vectors,
      reupload: `${DEPLOY_INDEX} -- --vectors vectorize`,
      yearFilter: record.yearFilter,
    }),
  };
}

/** How often an isolate asks D1 whether another build went live (one tiny query). */
export const POINTER_CHECK_MS = 30_000;

/** True when D1's pointer names another build than the one this state serves. */
export async function pointerMoved(db: D1Binding, state: D1ServingState): Promise<boolean> {
  const build = await servingBuild(db);
  return build !== undefined && build !== state.d1.build;
}
