import type { Hono } from "hono";
import { loadConfig, type Config } from "../core/config.js";
import { createError, isAppError } from "../core/errors.js";
import { createApp, type ServingState } from "../core/http/app.js";
import type { Logger } from "../core/http/logger.js";
import { assetsFromBinding } from "./asset-source.js";
import { createConsoleLogger } from "./console-logger.js";
import { stringVariables, type WorkerEnv } from "./env.js";
import { d1Route } from "./d1-routes.js";
import { loadD1WorkerState, pointerMoved, POINTER_CHECK_MS, type D1ServingState, type D1StateOptions } from "./d1-state.js";
import { d1VectorSource } from "./d1-vectors.js";
import { KvFeedbackStore, LogFeedbackStore } from "./feedback.js";
import { limitByBinding } from "./rate-limit-binding.js";
import { loadWorkerState, type VectorBackend } from "./worker-state.js";

/**
 * The Cloudflare Workers entry (wrangler.toml `main`): the same Hono app as the Node server, built
 * from the same core with the Worker's pieces: static assets for the index and pages, the pure-JS
 * segmenter, sparse vector postings in memory or Vectorize + Workers AI, KV (or the log) for feedback.
 * Everything is built once per isolate, on the first request; the index loads before it is answered.
 */
interface Isolate {
  app: Hono;
  config: Config;
  logger: Logger;
  state?: ServingState;
  loading?: Promise<void>;
  /** d1: when the pointer row was last compared with the served build. */
  pointerCheckedAt?: number;
}

let isolate: Isolate | undefined;

function backendOf(env: WorkerEnv): VectorBackend | "d1" {
  const value = (env.VECTOR_BACKEND ?? "bundled").trim();
  if (value !== "bundled" && value !== "vectorize" && value !== "d1") throw new Error(`VECTOR_BACKEND 须为 bundled、vectorize 或 d1，收到 ${value}`);
  return value;
}

/** What the `d1` back end is opened with: D1, and with `D1_VECTORS = "vectorize"` Workers AI and Vectorize. */
function d1Options(env: WorkerEnv, config: Config, log?: (event: string, fields: Record<string, unknown>) => void): D1StateOptions {
  return {
    db: env.INDEX_DB!,
    config,
    vectors: d1VectorSource(typeof env.D1_VECTORS === "string" ? env.D1_VECTORS : undefined),
    ...(env.AI ? { ai: env.AI } : {}),
    ...(env.VECTORIZE ? { vectorize: env.VECTORIZE } : {}),
    ...(log ? { log } : {}),
  };
}

/** Window of the Rate Limiting binding (wrangler.toml `simple.period`), for Retry-After. */
const RATE_LIMIT_PERIOD_SECONDS = 60;

function createIsolate(env: WorkerEnv): Isolate {
  // With the Rate Limiting binding the limit holds across isolates; the in-app bucket is then off.
  const config = loadConfig({ ...stringVariables(env), ...(env.RATE_LIMITER ? { RATE_LIMIT_PER_MIN: "0" } : {}) });
  const logger = createConsoleLogger(config.LOG_LEVEL === "fatal" || config.LOG_LEVEL === "trace" ? "info" : config.LOG_LEVEL);
  const self: Isolate = { config, logger } as Isolate;
  self.app = createApp({
    state: () => self.state,
    config,
    logger,
    feedback: env.FEEDBACK ? new KvFeedbackStore(env.FEEDBACK) : new LogFeedbackStore(logger),
    assets: assetsFromBinding(env.ASSETS),
    clientIp: (c) => c.req.header("cf-connecting-ip") ?? undefined,
  }) as unknown as Hono;
  return self;
}

async function ensureState(self: Isolate, env: WorkerEnv): Promise<void> {
  if (self.state) return;
  self.loading ??= (async () => {
    const started = Date.now();
    try {
      const backend = backendOf(env);
      const fetchAsset = (path: string) => env.ASSETS.fetch(new Request(`https://assets.local/${path}`));
      const log = (event: string, fields: Record<string, unknown>) => self.logger.info(fields, event);
      if (backend === "d1") {
        if (!env.INDEX_DB) throw createError("CONFIG_INVALID", "VECTOR_BACKEND=d1 需要 wrangler.toml 中的 INDEX_DB（D1）绑定");
        self.state = await loadD1WorkerState(d1Options(env, self.config, log));
        self.pointerCheckedAt = Date.now();
      } else {
        self.state = await loadWorkerState({
          fetchAsset,
          config: self.config,
          backend,
          ...(env.AI ? { ai: env.AI } : {}),
          ...(env.VECTORIZE ? { vectorize: env.VECTORIZE } : {}),
          log,
        });
      }
      const { manifest, passages } = self.state.index;
      self.logger.info({ build: manifest.buildId, passages: passages.length, vectorIndex: manifest.vectorIndex.id, ms: Date.now() - started }, "index loaded");
    } catch (error) {
      // Logged with its code; the request gets the catalog's Chinese detail, the next one retries.
      self.logger.error({ code: isAppError(error) ? error.code : "INTERNAL", err: error instanceof Error ? error.message : String(error) }, "index load failed");
      throw error;
    } finally {
      self.loading = undefined;
    }
  })();
  await self.loading;
}

/**
 * d1: at most every POINTER_CHECK_MS, asks D1 which build serves; when `npm run deploy:index`
 * switched the pointer, the new build is opened and swapped in (requests in flight keep the old one,
 * whose rows stay in D1 until the next upload).
 */
async function followPointer(self: Isolate, env: WorkerEnv): Promise<void> {
  const state = self.state;
  if (!state || !("d1" in state) || !env.INDEX_DB || Date.now() - (self.pointerCheckedAt ?? 0) < POINTER_CHECK_MS) return;
  self.pointerCheckedAt = Date.now();
  if (!(await pointerMoved(env.INDEX_DB, state as D1ServingState))) return;
  self.state = await loadD1WorkerState(d1Options(env, self.config));
  self.logger.info({ build: self.state.index.manifest.buildId }, "index switched");
}

function loadFailure(error: unknown): Response {
  const status = isAppError(error) ? error.status : 503;
  const code = isAppError(error) ? error.code : "NOT_READY";
  const detail = isAppError(error) ? error.detail : "服务正在加载索引，请稍后再试";
  return new Response(JSON.stringify({ type: `about:blank#${code}`, title: code, status, detail }), {
    status,
    headers: { "content-type": "application/problem+json; charset=utf-8" },
  });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: unknown): Promise<Response> {
    isolate ??= createIsolate(env);
    const self = isolate;
    // Liveness answers at once; everything else waits for the index (loaded once per isolate).
    if (new URL(request.url).pathname !== "/healthz") {
      try {
        await ensureState(self, env);
      } catch (error) {
        return loadFailure(error);
      }
      // The pointer is compared after the request is answered, not before it (one D1 round trip
      // every POINTER_CHECK_MS that a question no longer waits for): this request and those that
      // come before the new build is opened are answered from the build the isolate holds.
      const following = followPointer(self, env).catch((error: unknown) =>
        self.logger.warn({ code: isAppError(error) ? error.code : "INTERNAL", err: error instanceof Error ? error.message : String(error) }, "index switch failed"),
      );
      const waitUntil = (ctx as { waitUntil?: (promise: Promise<unknown>) => void } | undefined)?.waitUntil;
      if (waitUntil) waitUntil.call(ctx, following);
      else await following;
      if (env.RATE_LIMITER) {
        const limited = await limitByBinding(env.RATE_LIMITER, request, RATE_LIMIT_PERIOD_SECONDS);
        if (limited) return limited;
      }
      if (self.state && "d1" in self.state) {
        const answered = await d1Route(request, self.state as D1ServingState);
        if (answered) return answered;
      }
    }
    return self.app.fetch(request, env, ctx as never);
  },
};

