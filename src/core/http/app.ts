import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { streamSSE } from "hono/streaming";
import type { Answerer, AnswerResult } from "../answer/answerer.js";
import type { Answer, ChatTurn } from "../answer/types.js";
import type { Config } from "../config.js";
import { createError, isAppError } from "../errors.js";
import type { HybridRetriever } from "../search/retriever.js";
import { sectionOf, type SearchIndex } from "../search/search-index.js";
import { toSearchResult } from "../search/search-result.js";
import { maskPersonalNumbers } from "../text/mask-pii.js";
import type { Passage } from "../types.js";
import { AnswerCache } from "./answer-cache.js";
import { ConcurrencyGate } from "./concurrency.js";
import type { FeedbackStore } from "./feedback.js";
import { silentLogger, type Logger } from "./logger.js";
import { ServiceMetrics } from "./metrics.js";
import { openAIRoutes } from "./openai-compat.js";
import { buildOpenApiDocument } from "./openapi.js";
import { problem, problemFromError } from "./problem.js";
import { RateLimiter } from "./rate-limit.js";
import { chatRequestSchema, feedbackRequestSchema, firstIssue, searchQuerySchema } from "./schemas.js";
import { answerDeltas, type ApiAnswer } from "./stream.js";

/** What the app serves from; swapped as a whole when a new index is loaded. */
export interface ServingState {
  index: SearchIndex;
  retriever: HybridRetriever;
  answerer: Answerer;
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
  /** Extra gauges for /metrics (e.g. process memory on Node). */
  gauges?: () => Record<string, { help: string; value: number }>;
}

/** Everything the answer endpoints share: limits, cache, metrics, logging. */
export interface AnswerService {
  /** Answers one question for a client; throws AppErrors (RATE_LIMITED, BUSY, TIMEOUT, NOT_READY). */
  answer(c: Context, question: string, history: ChatTurn[], signal: AbortSignal): Promise<ApiAnswer>;
  /** Rate-limits the client; returns a 429 response when over the limit. */
  limit(c: Context, scope: string): Response | undefined;
  readJson(c: Context): Promise<unknown>;
  /** Throws NOT_READY / SHUTTING_DOWN unless an index is being served. */
  ensureReady(): void;
}

const BODY_LIMIT = 32 * 1024;
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

type Env = { Variables: { requestId: string; log: Logger; body: Uint8Array } };

/** Builds the HTTP API from its parts. Runtime-neutral: the Node and Worker adapters call app.fetch. */
export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { config } = deps;
  const rootLog = deps.logger ?? silentLogger;
  const metrics = deps.metrics ?? new ServiceMetrics();
  const limiter = new RateLimiter(config.RATE_LIMIT_PER_MIN);
  const gate = new ConcurrencyGate(config.MAX_CONCURRENT_ANSWERS);
  const cache = new AnswerCache<Answer>(config.ANSWER_CACHE_SIZE);
  /** Recent answers by id, so feedback can be stored with the question it rates. */
  const recent = new AnswerCache<{ question: string; answer: string; buildId: string }>(5000);

  const ready = (): ServingState => {
    if (deps.shuttingDown?.()) throw createError("SHUTTING_DOWN");
    const s = deps.state();
    if (!s) throw createError("NOT_READY");
    return s;
  };

  const clientIpOf = (c: Context): string => {
    if (config.TRUST_PROXY) {
      // The trusted proxy appends the address it saw: the last entry is the one it vouches for.
      const forwarded = c.req.header(config.TRUST_PROXY)?.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
      if (forwarded) return forwarded.slice(0, 64);
    }
    return deps.clientIp?.(c) ?? "unknown";
  };

  // Request id, access log and metrics around everything else.
  app.use("*", async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    const log = rootLog.child({ requestId });
    c.set("requestId", requestId);
    c.set("log", log);
    try {
      await next();
    } catch (thrown) {
      // Hono hands only Error instances to onError; anything else thrown would escape as a bare 500.
      if (thrown instanceof Error) throw thrown;
      c.res = problemFromError(c, new Error(String(thrown)));
    }
    c.header("X-Request-Id", requestId);
    const route = c.req.routePath && c.req.routePath !== "/*" && c.res.status !== 404 ? c.req.routePath : "unmatched";
    const seconds = (performance.now() - started) / 1000;
    metrics.requests.inc({ route, method: c.req.method, status: String(c.res.status) });
    metrics.latency.observe({ route }, seconds);
    const fields = { method: c.req.method, route, path: c.req.path.slice(0, 200), status: c.res.status, ms: Math.round(seconds * 10000) / 10 };
    if (c.res.status >= 500) log.warn(fields, "request");
    else log.debug(fields, "request");
  });

  app.use(
    "*",
    secureHeaders({
      // widget.js is loaded by the bureau's pages on other origins; everything else stays same-site.
      crossOriginResourcePolicy: "same-site",
      crossOriginEmbedderPolicy: false,
      referrerPolicy: "strict-origin-when-cross-origin",
      // Headers a route sets itself win (widget.js and /static/* need Cross-Origin-Resource-Policy: cross-origin).
      overwrite: false,
    }),
  );

  const allowed = new Set(config.ALLOWED_ORIGINS);
  const corsMiddleware = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["Content-Type", "Accept", "Authorization", "X-Request-Id"],
    exposeHeaders: ["Retry-After", "X-Request-Id"],
    maxAge: 600,
  });
  app.use("/api/*", corsMiddleware);
  app.use("/v1/*", corsMiddleware);

  app.onError((error, c) => {
    if (!isAppError(error)) (c.get("log") ?? rootLog).error({ path: c.req.path, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "unhandled error");
    return problemFromError(c, error);
  });
  app.notFound((c) => problem(c, 404, "NOT_FOUND", `未找到：${c.req.path.slice(0, 200)}`));

  // The body is read here, within the limit, and kept on the context. (hono/body-limit re-wraps a
  // body without Content-Length in `new Request(request, …)`, which on Node 20's undici keeps ≈ 2 KB
  // per request alive for good — a leak any chunked client could drive.)
  const limitBody = async (c: Context<Env>, next: () => Promise<void>) => {
    const declared = c.req.header("content-length");
    if (declared !== undefined && !c.req.header("transfer-encoding")) {
      if (Number(declared) > BODY_LIMIT) return problemFromError(c, createError("PAYLOAD_TOO_LARGE", "32 KB"));
    }
    const body = c.req.raw.body;
    if (!body) {
      c.set("body", new Uint8Array(0));
      return next();
    }
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > BODY_LIMIT) {
          void reader.cancel().catch(() => {});
          return problemFromError(c, createError("PAYLOAD_TOO_LARGE", "32 KB"));
        }
        chunks.push(value);
      }
    } catch {
      return problemFromError(c, createError("MALFORMED_JSON"));
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.set("body", bytes);
    return next();
  };
  app.use("/api/*", async (c, next) => (c.req.method === "POST" ? limitBody(c, next) : next()));
  app.use("/v1/*", async (c, next) => (c.req.method === "POST" ? limitBody(c, next) : next()));
  app.use("/admin/*", async (c, next) => (c.req.method === "POST" ? limitBody(c, next) : next()));

  const service: AnswerService = {
    ensureReady: () => void ready(),
    async readJson(c) {
      const type = c.req.header("content-type") ?? "";
      if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) throw createError("UNSUPPORTED_MEDIA_TYPE", type.slice(0, 80));
      // Invalid UTF-8 becomes U+FFFD (then usually a validation error), never an exception.
      const text = new TextDecoder().decode((c.get("body") as Uint8Array | undefined) ?? new Uint8Array(0));
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw createError("MALFORMED_JSON");
      }
    },

    limit(c, scope) {
      const decision = limiter.take(`${scope}:${clientIpOf(c)}`);
      if (decision.allowed) return undefined;
      metrics.rateLimited.inc({ scope });
      c.header("Retry-After", String(decision.retryAfterSeconds));
      return problemFromError(c, createError("RATE_LIMITED", String(decision.retryAfterSeconds)));
    },

    async answer(c, question, history, clientSignal) {
      const state = ready();
      const log = (c.get("log") as Logger | undefined) ?? rootLog;
      const buildId = state.index.manifest.buildId;
      const key = JSON.stringify([buildId, question, history]);
      const started = performance.now();
      const cached = cache.get(key);
      metrics.cache.inc({ result: cached ? "hit" : "miss" });
      let result: Pick<AnswerResult, "answer"> & { trace?: AnswerResult["trace"] };
      if (cached) result = { answer: cached };
      else {
        // One controller per answer, aborted by the deadline or by the client, and released as soon as
        // the answer is done (AbortSignal.timeout would keep every signal alive for the whole deadline).
        const controller = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          controller.abort(new Error("deadline"));
        }, config.REQUEST_TIMEOUT_MS);
        const onClientAbort = () => controller.abort(clientSignal.reason);
        if (clientSignal.aborted) onClientAbort();
        else clientSignal.addEventListener("abort", onClientAbort, { once: true });
        const signal = controller.signal;
        // The answerer is asked to stop on abort, but work that ignores its signal (a hung model or
        // embeddings call) must not hold the request past the timeout: race the signal too.
        const aborted = new Promise<never>((_resolve, reject) => {
          if (signal.aborted) reject(signal.reason as Error);
          signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
        });
        aborted.catch(() => {});
        try {
          result = await Promise.race([gate.run(() => state.answerer.answer(question, history, { signal }), signal), aborted]);
        } catch (error) {
          if (timedOut && !clientSignal.aborted) throw createError("TIMEOUT", String(Math.round(config.REQUEST_TIMEOUT_MS / 1000)));
          throw error;
        } finally {
          clearTimeout(timer);
          clientSignal.removeEventListener("abort", onClientAbort);
        }
      }
      const answerId = crypto.randomUUID().replace(/-/g, "");
      // An answer that replaced a failed model call is not cached: the model may be back next time.
      if (!cached && result.trace?.fallbackKind !== "llm-error") cache.set(key, result.answer);
      // Every response gets its own id (feedback rates one response), cached or not.
      const answer: ApiAnswer = { ...result.answer, answerId };
      recent.set(answerId, { question, answer: answer.answer, buildId });
      const trace = result.trace;
      metrics.answers.inc({ mode: answer.mode, grounded: String(answer.grounded) });
      if (trace?.refusal) metrics.refusals.inc({ reason: trace.refusal });
      if (trace?.fallbackKind) metrics.fallbacks.inc({ reason: trace.fallbackKind });
      log.info(
        {
          answerId,
          question: maskPersonalNumbers(question).slice(0, 500),
          turns: history.length,
          mode: answer.mode,
          grounded: answer.grounded,
          citations: answer.citations.map((x) => x.passageId),
          cached: Boolean(cached),
          ...(trace ? { refusal: trace.refusal, confidence: Math.round(trace.confidence * 100) / 100, fallback: trace.fallback, rewritten: trace.rewrittenQuestion !== question ? maskPersonalNumbers(trace.rewrittenQuestion) : undefined } : {}),
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        "answer",
      );
      return answer;
    },
  };

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", (c) => {
    if (deps.shuttingDown?.()) return problemFromError(c, createError("SHUTTING_DOWN"));
    const s = deps.state();
    if (!s) return problemFromError(c, createError("NOT_READY"));
    return c.json({ status: "ready", build: s.index.manifest.buildId, passages: s.index.passages.length });
  });

  app.get("/metrics", (c) => {
    const s = deps.state();
    const body = metrics.render({
      edu_index_passages: { help: "Passages in the serving index", value: s?.index.passages.length ?? 0 },
      edu_answers_in_progress: { help: "Answers being computed", value: gate.stats.active },
      edu_answers_waiting: { help: "Answers waiting for a slot", value: gate.stats.waiting },
      edu_answer_cache_entries: { help: "Answers held in the cache", value: cache.size },
      ...deps.gauges?.(),
    });
    return c.body(body, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" });
  });

  app.get("/openapi.json", (c) => c.json(buildOpenApiDocument(new URL(c.req.url).origin)));

  app.post("/api/chat", async (c) => {
    const limited = service.limit(c, "answer");
    if (limited) return limited;
    const parsed = chatRequestSchema.safeParse(await service.readJson(c));
    if (!parsed.success) return problem(c, 400, "BAD_REQUEST", firstIssue(parsed.error));
    const { question, history = [], stream } = parsed.data;
    const wantsStream = stream ?? /\btext\/event-stream\b/i.test(c.req.header("accept") ?? "");
    if (!wantsStream) return c.json(await service.answer(c, question, history, c.req.raw.signal));

    service.ensureReady(); // a server that is not ready answers 503 before the stream starts
    return streamSSE(c, async (sse) => {
      const abort = new AbortController();
      sse.onAbort(() => abort.abort(new Error("client disconnected")));
      try {
        const answer = await service.answer(c, question, history, AbortSignal.any([abort.signal, c.req.raw.signal]));
        const { answer: text, answerId, ...meta } = answer;
        await sse.writeSSE({ event: "meta", data: JSON.stringify({ answerId, ...meta }) });
        for (const delta of answerDeltas(text)) {
          if (sse.aborted) return;
          await sse.writeSSE({ event: "delta", data: JSON.stringify({ text: delta }) });
        }
        await sse.writeSSE({ event: "done", data: JSON.stringify({ answerId }) });
      } catch (error) {
        if (abort.signal.aborted || sse.aborted) return;
        const response = problemFromError(c, error);
        await sse.writeSSE({ event: "error", data: await response.text() });
      }
    });
  });

  app.get("/api/search", async (c) => {
    const parsed = searchQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return problem(c, 400, "BAD_REQUEST", firstIssue(parsed.error));
    const { q, k, year, kind } = parsed.data;
    const hits = await ready().retriever.search(q, { k, ...(year !== undefined ? { year } : {}), ...(kind ? { kind } : {}) });
    return c.json({ results: hits.map(toSearchResult) });
  });

  app.get("/api/passages/:id", (c) => {
    const { index } = ready();
    const id = c.req.param("id");
    const passage = passageLookup(index).get(id);
    if (!passage) return problem(c, 404, "NOT_FOUND", `未找到段落：${id.slice(0, 100)}`);
    const doc = index.docById.get(passage.docId)!;
    return c.json({ passageId: passage.id, docId: doc.id, title: doc.title, year: doc.year ?? null, section: sectionOf(passage), text: passage.text });
  });

  const documentView = (index: SearchIndex, id: string) => {
    const doc = index.docById.get(id);
    if (!doc) return undefined;
    const entry = index.manifest.documents.find((d) => d.id === id);
    const { contentHash: _hash, file: _file, ...meta } = doc;
    return { ...meta, passages: entry?.passages ?? 0 };
  };
  app.get("/api/documents", (c) => {
    const { index } = ready();
    return c.json({ documents: index.documents.map((d) => documentView(index, d.id)) });
  });
  app.get("/api/documents/:id", (c) => {
    const { index } = ready();
    const view = documentView(index, c.req.param("id"));
    return view ? c.json(view) : problem(c, 404, "NOT_FOUND", `未找到文件：${c.req.param("id").slice(0, 100)}`);
  });

  app.post("/api/feedback", async (c) => {
    const limited = service.limit(c, "feedback");
    if (limited) return limited;
    const parsed = feedbackRequestSchema.safeParse(await service.readJson(c));
    if (!parsed.success) return problem(c, 400, "BAD_REQUEST", firstIssue(parsed.error));
    const { answerId, rating, comment } = parsed.data;
    const context = recent.get(answerId);
    const record = {
      time: new Date().toISOString(),
      answerId,
      rating,
      ...(comment ? { comment: maskPersonalNumbers(comment) } : {}),
      ...(context ? { question: maskPersonalNumbers(context.question), answer: context.answer, buildId: context.buildId } : {}),
    };
    if (!deps.feedback) throw createError("NOT_READY", "反馈存储未配置");
    await deps.feedback.append(record);
    metrics.feedback.inc({ rating });
    c.get("log").info({ answerId, rating, known: Boolean(context) }, "feedback");
    return c.json({ ok: true }, 201);
  });

  app.route("/v1", openAIRoutes(service));

  app.post("/admin/reload", async (c) => {
    if (!deps.reload || !config.ADMIN_TOKEN) return problem(c, 404, "NOT_FOUND", `未找到：${c.req.path}`);
    const given = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
    if (!(await sameSecret(given, config.ADMIN_TOKEN))) return problemFromError(c, createError("UNAUTHORIZED"));
    try {
      const loaded = await deps.reload();
      metrics.reloads.inc({ result: "ok", trigger: "admin" });
      return c.json({ status: "reloaded", ...loaded });
    } catch (error) {
      metrics.reloads.inc({ result: "failed", trigger: "admin" });
      throw error;
    }
  });

  // Pages and the widget bundle.
  const serveAsset = (name: string, options: { page?: boolean; crossOrigin?: boolean } = {}) => async (c: Context) => {
    const asset = await deps.assets?.get(name);
    if (!asset) return problem(c, 404, "NOT_FOUND", `未找到：${c.req.path.slice(0, 200)}`);
    const headers: Record<string, string> = { "content-type": asset.type, "cache-control": options.page ? "no-cache" : "public, max-age=300" };
    if (options.page) headers["content-security-policy"] = PAGE_CSP;
    if (options.crossOrigin) {
      headers["cross-origin-resource-policy"] = "cross-origin";
      headers["access-control-allow-origin"] = "*";
    }
    return c.body(typeof asset.body === "string" ? asset.body : asset.body, 200, headers);
  };
  app.get("/", serveAsset("index.html", { page: true }));
  app.get("/console", serveAsset("console.html", { page: true }));
  app.get("/widget.js", serveAsset("widget.js", { crossOrigin: true }));
  app.get("/console.js", serveAsset("console.js"));
  app.get("/static/:name{[A-Za-z0-9][A-Za-z0-9._-]{0,80}}", (c) => serveAsset(`static/${c.req.param("name")}`, { crossOrigin: true })(c));

  return app;
}

const passageMaps = new WeakMap<SearchIndex, Map<string, Passage>>();
/** Passage by id, built once per loaded index. */
function passageLookup(index: SearchIndex): Map<string, Passage> {
  let map = passageMaps.get(index);
  if (!map) passageMaps.set(index, (map = new Map(index.passages.map((p) => [p.id, p]))));
  return map;
}

/** Constant-time comparison of two secrets (by their SHA-256, so lengths leak nothing either). */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const digest = async (s: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0 && a.length > 0;
}
