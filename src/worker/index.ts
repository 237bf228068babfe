import type { Hono } from "hono";
import { loadConfig, type Config } from "../core/config.js";
import { isAppError } from "../core/errors.js";
import { createApp, type ServingState } from "../core/http/app.js";
import type { Logger } from "../core/http/logger.js";
import { assetsFromBinding } from "./asset-source.js";
import { createConsoleLogger } from "./console-logger.js";
import { stringVariables, type WorkerEnv } from "./env.js";
import { KvFeedbackStore, LogFeedbackStore } from "./feedback.js";
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
}

let isolate: Isolate | undefined;

function backendOf(env: WorkerEnv): VectorBackend {
  const value = (env.VECTOR_BACKEND ?? "bundled").trim();
  if (value !== "bundled" && value !== "vectorize") throw new Error(`VECTOR_BACKEND 须为 bundled 或 vectorize，收到 ${value}`);
  return value;
}

function createIsolate(env: WorkerEnv): Isolate {
  const config = loadConfig(stringVariables(env));
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
      self.state = await loadWorkerState({
        fetchAsset: (path) => env.ASSETS.fetch(new Request(`https://assets.local/${path}`)),
        config: self.config,
        backend: backendOf(env),
        ...(env.AI ? { ai: env.AI } : {}),
        ...(env.VECTORIZE ? { vectorize: env.VECTORIZE } : {}),
        log: (event, fields) => self.logger.info(fields, event),
      });
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
    }
    return self.app.fetch(request, env, ctx as never);
  },
};

