import type { Context } from "hono";
import type { Answerer } from "../answer/answerer.js";
import type { Config } from "../config.js";
import type { HybridRetriever } from "../search/retriever.js";
import type { SearchIndex } from "../search/search-index.js";
import type { FeedbackStore } from "./feedback.js";
import type { Logger } from "./logger.js";
import type { ServiceMetrics } from "./metrics.js";

/** What the app serves from; swapped as a whole when a new index is loaded. */
export interface ServingState {
  index: SearchIndex;
  retriever: HybridRetriever;
  /** The core answerer, or anything that answers the same way (Node's pool of answer threads). */
  answerer: Pick<Answerer, "answer">;
}

/** Static files the server's pages need (dist/web on Node, static assets on Workers). */
export interface AssetSource {
  get(name: string): Promise<{ body: string | Uint8Array<ArrayBuffer>; type: string } | undefined>;
}

export interface AppDeps {
  /** Returns the current state; read once per request, so an index swap needs no restart. */
  state: () => ServingState | undefined;
  config: Pick<Config, "RATE_LIMIT_PER_MIN" | "TRUST_PROXY" | "ALLOWED_ORIGINS" | "ADMIN_TOKEN" | "REQUEST_TIMEOUT_MS" | "MAX_CONCURRENT_ANSWERS" | "ANSWER_CACHE_SIZE">;
  logger?: Logger;
  feedback?: FeedbackStore;
  assets?: AssetSource;
  /** The socket's peer address (adapter-specific: getConnInfo on Node, CF-Connecting-IP on Workers). */
  clientIp?: (c: Context) => string | undefined;
  /** Loads the newest index and swaps it in (admin endpoint); in-flight requests keep the old one. */
  reload?: () => Promise<{ buildId: string; passages: number }>;
  /** True once shutdown began: readiness fails so a load balancer drains this instance. */
  shuttingDown?: () => boolean;
  metrics?: ServiceMetrics;
  /** Called after every answer (the question log); must not throw or block. */
  onAnswered?: (event: AnsweredEvent) => void;
  /** Changes when answers can change without a new index (a curated answer was written): part of the cache key. */
  cacheGeneration?: () => string;
  /** Extra gauges for /metrics (e.g. process memory on Node). */
  gauges?: () => Record<string, { help: string; value: number }>;
}

/** One answered question, as the question log records it. */
export interface AnsweredEvent {
  c: Context;
  question: string;
  answer: { answerId: string; mode: string; grounded: boolean; partial?: boolean; citations: Array<{ passageId: string }> };
  trace?: { refusal?: string; confidence: number };
  cached: boolean;
}

/** Context variables every route can read: set by createApp's first middleware and the body limit. */
export type HttpEnv = { Variables: { requestId: string; log: Logger; body: Uint8Array; channel?: "widget" | "api" | "console" } };
