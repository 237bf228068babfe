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
import { VectorizeVectorIndex } from "../core/search/vectorize-vector-index.js";
import type { Passage } from "../core/types.js";
import { DEPLOY_INDEX, openD1Index, servingBuild, type D1Index } from "./d1-search-index.js";
import type { D1Binding } from "./d1-store.js";

export interface D1StateOptions {
  db: D1Binding;
  config: Config;
  log?: (event: string, fields: Record<string, unknown>) => void;
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
 * another recipe.
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

  // Nothing per passage is held: the lists stay empty, the retriever reads through D1.
  const index: SearchIndex = {
    manifest: d1.manifest,
    documents: [],
    passages: [] as Passage[],
    docById: new Map(),
    keyword: Bm25KeywordIndex.build([]),
    knowledge: d1.knowledge,
    vectors: d1.vectors,
  };
  const retriever = new HybridRetriever({ index, tokenize, embeddings, idf, keyword: d1.keyword, passages: d1.passages });
  const answerer = createAnswerer({ retriever, tokenize, idf, config: options.config, ...(options.log ? { log: options.log } : {}) });
  return { index, retriever, answerer, d1 };
}

/** How often an isolate asks D1 whether another build went live (one tiny query). */
export const POINTER_CHECK_MS = 30_000;

/** True when D1's pointer names another build than the one this state serves. */
export async function pointerMoved(db: D1Binding, state: D1ServingState): Promise<boolean> {
  const build = await servingBuild(db);
  return build !== undefined && build !== state.d1.build;
}
