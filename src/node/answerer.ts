import type { Config } from "../core/config.js";
import { Answerer } from "../core/answer/answerer.js";
import { createOpenAICompatibleComposer } from "../core/answer/llm-composer.js";
import type { OpenedIndex } from "./open-index.js";

/** The answerer for a loaded index: extractive by default, LLM-composed when LLM_BASE_URL is set. */
export function createAnswerer(opened: OpenedIndex, config: Config, log?: (event: string, fields: Record<string, unknown>) => void): Answerer {
  const llm = config.LLM_BASE_URL
    ? createOpenAICompatibleComposer({
        baseURL: config.LLM_BASE_URL,
        model: config.LLM_MODEL!,
        ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
        timeoutMs: config.LLM_TIMEOUT_MS,
      })
    : undefined;
  return new Answerer({
    retriever: opened.retriever,
    tokenize: opened.runtime.tokenize,
    idf: opened.runtime.idf,
    ...(llm ? { llm } : {}),
    ...(log ? { log } : {}),
  });
}
