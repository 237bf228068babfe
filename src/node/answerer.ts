import type { Config } from "../core/config.js";
import type { Answerer, CuratedSource } from "../core/answer/answerer.js";
import { createAnswerer as createCoreAnswerer } from "../core/answer/create-answerer.js";
import type { OpenedIndex } from "./open-index.js";

/** The answerer for an index opened on Node. */
export function createAnswerer(opened: OpenedIndex, config: Config, log?: (event: string, fields: Record<string, unknown>) => void, curated?: CuratedSource): Answerer {
  return createCoreAnswerer({ retriever: opened.retriever, tokenize: opened.runtime.tokenize, idf: opened.runtime.idf, config, ...(log ? { log } : {}), ...(curated ? { curated } : {}) });
}
