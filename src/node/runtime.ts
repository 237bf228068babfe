import type { Embeddings } from "@langchain/core/embeddings";
import type { Config } from "../core/config.js";
import { HashingEmbeddings } from "../core/search/hashing-embeddings.js";
import { indexRecipe, type IndexRecipe } from "../core/search/search-index.js";
import { createTokenizer, type Tokenize } from "../core/search/tokenizer.js";
import { OpenAICompatibleEmbeddings } from "../core/search/openai-embeddings.js";
import { HnswVectorIndex } from "./hnsw-vector-index.js";
import { createJiebaSegmenter, loadJiebaIdf } from "./jieba-segmenter.js";

/** The Node pieces every command shares: segmenter, tokenizer, embeddings and the index recipe. */
export interface NodeRuntime {
  tokenize: Tokenize;
  idf: (word: string) => number | undefined;
  embeddings: Embeddings & { id: string; dimensions: number };
  recipe: IndexRecipe;
}

export async function createNodeRuntime(config: Config): Promise<NodeRuntime> {
  const segmenter = createJiebaSegmenter();
  const tokenize = createTokenizer({ segmenter });
  const idfTable = loadJiebaIdf();
  const idf = (word: string) => idfTable.get(word);
  let embeddings: NodeRuntime["embeddings"];
  if (config.EMBEDDINGS_BASE_URL) {
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
  return { tokenize, idf, embeddings, recipe: nodeIndexRecipe(segmenter.id, embeddings) };
}

/** The recipe of an index built on Node with this segmenter and embedder (sparse postings or hnswlib). */
export function nodeIndexRecipe(segmenterId: string, embeddings: { id: string; dimensions: number }): IndexRecipe {
  return indexRecipe(segmenterId, embeddings, HnswVectorIndex.ID);
}
