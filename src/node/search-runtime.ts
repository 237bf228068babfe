import type { Embeddings } from "@langchain/core/embeddings";
import type { Config } from "../core/config.js";
import { HashingEmbeddings } from "../core/search/hashing-embeddings.js";
import { HybridRetriever } from "../core/search/retriever.js";
import type { SearchIndex } from "../core/search/search-index.js";
import { createTokenizer, type Tokenize } from "../core/search/tokenizer.js";
import { createJiebaSegmenter, createQuerySegmenter, loadJiebaIdf, queryIdf } from "./jieba-segmenter.js";

/**
 * What searching and answering an index need on Node: the segmenter's tokenizer, IDF and the
 * embedder. Apart from the bureau profile and the index recipe (src/node/runtime.ts), so that an
 * answer thread, which opens an index the main thread has already checked, loads neither the
 * profile's schema (zod, ≈ 95 modules) nor the knowledge build's modules.
 */
export interface SearchRuntime {
  tokenize: Tokenize;
  idf: (word: string) => number | undefined;
  embeddings: Embeddings & { id: string; dimensions: number };
  /** The segmenter's id, part of the index recipe. */
  segmenterId: string;
}

export interface RuntimeOptions {
  /**
   * `ingest` (default): nodejieba, the segmenter the project names for building indexes.
   * `query`: the pure-JS port over the same dictionary — identical tokens and the same recipe id,
   * without nodejieba's ≈ 240 MB of native dictionaries (the server, search and ask).
   */
  purpose?: "ingest" | "query";
}

export async function createSearchRuntime(config: Config, options: RuntimeOptions = {}): Promise<SearchRuntime> {
  const segmenter = options.purpose === "query" ? createQuerySegmenter() : createJiebaSegmenter();
  const tokenize = createTokenizer({ segmenter });
  let idf: (word: string) => number | undefined;
  if (options.purpose === "query") idf = queryIdf();
  else {
    const idfTable = loadJiebaIdf();
    idf = (word: string) => idfTable.get(word);
  }
  let embeddings: SearchRuntime["embeddings"];
  if (config.EMBEDDINGS_BASE_URL) {
    // Loaded only when configured: the OpenAI client is a large module tree.
    const { OpenAICompatibleEmbeddings } = await import("../core/search/openai-embeddings.js");
    const remote = new OpenAICompatibleEmbeddings({
      baseURL: config.EMBEDDINGS_BASE_URL,
      model: config.EMBEDDINGS_MODEL!,
      ...(config.EMBEDDINGS_API_KEY ? { apiKey: config.EMBEDDINGS_API_KEY } : {}),
      ...(config.EMBEDDINGS_DIMENSIONS ? { dimensions: config.EMBEDDINGS_DIMENSIONS } : {}),
    });
    await remote.probe();
    embeddings = remote;
  } else {
    embeddings = new HashingEmbeddings({ tokenize, idf });
  }
  return { tokenize, idf, embeddings, segmenterId: segmenter.id };
}

export interface OpenedIndex {
  runtime: SearchRuntime;
  index: SearchIndex;
  retriever: HybridRetriever;
}

/** A loaded index with the retriever that searches it through `runtime`. */
export function searchWith(index: SearchIndex, runtime: SearchRuntime): OpenedIndex {
  const retriever = new HybridRetriever({ index, tokenize: runtime.tokenize, embeddings: runtime.embeddings, idf: runtime.idf });
  return { runtime, index, retriever };
}
