import type { Embeddings } from "@langchain/core/embeddings";
import type { Config } from "../core/config.js";
import { HashingEmbeddings } from "../core/search/hashing-embeddings.js";
import { indexRecipe, type IndexRecipe } from "../core/search/search-index.js";
import { createTokenizer, type Tokenize } from "../core/search/tokenizer.js";
import type { BureauProfile } from "../core/knowledge/profile.js";
import { knowledgeRecipeId, loadProfile, profilePath } from "./knowledge.js";
import { HnswVectorIndex } from "./hnsw-vector-index.js";
import { createJiebaSegmenter, createQuerySegmenter, loadJiebaIdf, queryIdf } from "./jieba-segmenter.js";

/** The Node pieces every command shares: segmenter, tokenizer, embeddings and the index recipe. */
export interface NodeRuntime {
  tokenize: Tokenize;
  idf: (word: string) => number | undefined;
  embeddings: Embeddings & { id: string; dimensions: number };
  recipe: IndexRecipe;
  /** The bureau profile the index is built with (its id is part of the recipe). */
  profile: BureauProfile;
}

export interface RuntimeOptions {
  /**
   * `ingest` (default): nodejieba, the segmenter the project names for building indexes.
   * `query`: the pure-JS port over the same dictionary — identical tokens and the same recipe id,
   * without nodejieba's ≈ 240 MB of native dictionaries (the server, search and ask).
   */
  purpose?: "ingest" | "query";
}

export async function createNodeRuntime(config: Config, options: RuntimeOptions = {}): Promise<NodeRuntime> {
  const segmenter = options.purpose === "query" ? createQuerySegmenter() : createJiebaSegmenter();
  const tokenize = createTokenizer({ segmenter });
  let idf: (word: string) => number | undefined;
  if (options.purpose === "query") idf = queryIdf();
  else {
    const idfTable = loadJiebaIdf();
    idf = (word: string) => idfTable.get(word);
  }
  let embeddings: NodeRuntime["embeddings"];
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
  const profile = loadProfile(profilePath(config.CORPUS_DIR, config.PROFILE_FILE));
  return { tokenize, idf, embeddings, profile, recipe: nodeIndexRecipe(segmenter.id, embeddings, knowledgeRecipeId(profile)) };
}

/** The recipe of an index built on Node with this segmenter and embedder (sparse postings or hnswlib). */
export function nodeIndexRecipe(segmenterId: string, embeddings: { id: string; dimensions: number }, knowledgeId: string): IndexRecipe {
  return indexRecipe(segmenterId, embeddings, HnswVectorIndex.ID, knowledgeId);
}
