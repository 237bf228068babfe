import type { AiBinding } from "../core/search/workers-ai-embeddings.js";
import type { VectorizeBinding } from "../core/search/vectorize-vector-index.js";
import type { D1Binding } from "./d1-store.js";
import type { RateLimitBinding } from "./rate-limit-binding.js";

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
  /** The search index in D1 (VECTOR_BACKEND = "d1"; filled by `npm run deploy:index`). */
  INDEX_DB?: D1Binding;
  /** Workers Rate Limiting binding: limits shared across isolates (else the per-isolate limiter). */
  RATE_LIMITER?: RateLimitBinding;
  /**
   * "bundled" (default): vectors from the static assets, searched in the isolate. "vectorize":
   * Vectorize + bge-m3. "d1": passages, keyword and feature postings in D1, queried per request.
   */
  VECTOR_BACKEND?: string;
  /** With "d1": "features" (default, the hashing features' postings in D1) or "vectorize" (dense vectors, AI + VECTORIZE). */
  D1_VECTORS?: string;
  [name: string]: unknown;
}

/** String variables of the environment (bindings are objects and are left out). */
export function stringVariables(env: WorkerEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}
