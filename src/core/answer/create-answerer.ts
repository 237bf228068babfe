import type { Config } from "../config.js";
import type { HybridRetriever } from "../search/retriever.js";
import type { Tokenize } from "../search/tokenizer.js";
import { Answerer, type CuratedSource } from "./answerer.js";
import type { LlmComposer } from "./llm-composer.js";

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
  // The LLM client (LangChain's OpenAI module, ≈ 0.5 s to import) loads on the first composition,
  // and only when a model is configured: the embedded default never pays for it.
  let composer: Promise<LlmComposer> | undefined;
  const llm: LlmComposer | undefined = config.LLM_BASE_URL
    ? {
        compose: async (input) => {
          composer ??= import("./llm-composer.js").then(({ createOpenAICompatibleComposer }) =>
            createOpenAICompatibleComposer({
              baseURL: config.LLM_BASE_URL!,
              model: config.LLM_MODEL!,
              ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
              timeoutMs: config.LLM_TIMEOUT_MS,
            }),
          );
          return (await composer).compose(input);
        },
      }
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
