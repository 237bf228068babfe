import type { AiBinding } from "../core/search/workers-ai-embeddings.js";
import type { VectorizeBinding } from "../core/search/vectorize-vector-index.js";

/** The static-assets binding (wrangler.toml `[assets] binding = "ASSETS"`). */
export interface AssetsBinding {
  fetch(input: Request | string): Promise<Response>;
}

/** The subset of a KV namespace binding that feedback storage uses. */
export interface KvBinding {
  put(key: string, value: string, options?: { expirationTtl?: number; metadata?: unknown }): Promise<void>;
}

/**
 * What wrangler.toml binds: static assets (the index and the pages), optionally Workers AI and
 * Vectorize (VECTOR_BACKEND = "vectorize") and a KV namespace for feedback, plus string variables
 * and secrets read by loadConfig (LLM_BASE_URL, LLM_API_KEY, RATE_LIMIT_PER_MIN …).
 */
export interface WorkerEnv {
  ASSETS: AssetsBinding;
  AI?: AiBinding;
  VECTORIZE?: VectorizeBinding;
  FEEDBACK?: KvBinding;
  /** "bundled" (default): vectors from the static assets, searched in the isolate. "vectorize": Vectorize + bge-m3. */
  VECTOR_BACKEND?: string;
  [name: string]: unknown;
}

/** String variables of the environment (bindings are objects and are left out). */
export function stringVariables(env: WorkerEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}
