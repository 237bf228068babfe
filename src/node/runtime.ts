import type { Config } from "../core/config.js";
import { indexRecipe, type IndexRecipe } from "../core/search/search-index.js";
import type { BureauProfile } from "../core/knowledge/profile.js";
import { knowledgeRecipeId, loadProfile, profilePath } from "./knowledge.js";
import { HnswVectorIndex } from "./hnsw-vector-index.js";
import { createSearchRuntime, type RuntimeOptions, type SearchRuntime } from "./search-runtime.js";

export type { RuntimeOptions } from "./search-runtime.js";

/** The Node pieces every command shares: segmenter, tokenizer, embeddings, the bureau profile and the index recipe. */
export interface NodeRuntime extends SearchRuntime {
  recipe: IndexRecipe;
  /** The bureau profile the index is built with (its id is part of the recipe). */
  profile: BureauProfile;
}

export async function createNodeRuntime(config: Config, options: RuntimeOptions = {}): Promise<NodeRuntime> {
  const search = await createSearchRuntime(config, options);
  const profile = loadProfile(profilePath(config.CORPUS_DIR, config.PROFILE_FILE));
  return { ...search, profile, recipe: nodeIndexRecipe(search.segmenterId, search.embeddings, knowledgeRecipeId(profile)) };
}

/** The recipe of an index built on Node with this segmenter and embedder (sparse postings or hnswlib). */
export function nodeIndexRecipe(segmenterId: string, embeddings: { id: string; dimensions: number }, knowledgeId: string): IndexRecipe {
  return indexRecipe(segmenterId, embeddings, HnswVectorIndex.ID, knowledgeId);
}
