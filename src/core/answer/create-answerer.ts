import type { Config } from "../config.js";
import type { HybridRetriever } from "../search/retriever.js";
import type { Tokenize } from "../search/tokenizer.js";
import { Answerer, type CuratedSource } from "./answerer.js";
import { createOpenAICompatibleComposer } from "./llm-composer.js";

export interface AnswererParts {
  retriever: HybridRetriever;
  tokenize: Tokenize;
  idf: (word: string) => number | undefined;
  config: Pick<Config, "LLM_BASE_URL" | "LLM_MODEL" | "LLM_API_KEY" | "LLM_TIMEOUT_MS">;
  log?: (event: string, fields: Record<string, unknown>) => void;
  /** Live staff-curated answers (served before official and composed ones). */
  curated?: CuratedSource;
}

/** The answerer for a loaded index: extractive by default, LLM-composed when LLM_BASE_URL is set (Node and Workers alike). */
export function createAnswerer(parts: AnswererParts): Answerer {
  const { config } = parts;
  const llm = config.LLM_BASE_URL
    ? createOpenAICompatibleComposer({
        baseURL: config.LLM_BASE_URL,
        model: config.LLM_MODEL!,
        ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
        timeoutMs: config.LLM_TIMEOUT_MS,
      })
    : undefined;
  return new Answerer({
    retriever: parts.retriever,
    tokenize: parts.tokenize,
    idf: parts.idf,
    ...(llm ? { llm } : {}),
    ...(parts.log ? { log: parts.log } : {}),
    ...(parts.curated ? { curated: parts.curated } : {}),
  });
}
