import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { isAppError } from "../errors.js";
import { createAnswerService } from "./answer-service.js";
import { limitBody } from "./body-limit.js";
import type { AppDeps, HttpEnv } from "./deps.js";
import { silentLogger } from "./logger.js";
import { ServiceMetrics } from "./metrics.js";
import { problem, problemFromError } from "./problem.js";
import { adminRoutes } from "./routes/admin.js";
import { chatRoutes } from "./routes/chat.js";
import { documentRoutes } from "./routes/documents.js";
import { feedbackRoutes } from "./routes/feedback.js";
import { openAIRoutes } from "./routes/openai.js";
import { pageRoutes } from "./routes/pages.js";
import { passageRoutes } from "./routes/passages.js";
import { probeRoutes } from "./routes/probes.js";
import type { RouteContext } from "./routes/route-context.js";
import { searchRoutes } from "./routes/search.js";

export type { AppDeps, AssetSource, HttpEnv, ServingState } from "./deps.js";
export type { AnswerService } from "./answer-service.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
/** Response headers a cross-origin page may read. */
const CORS_EXPOSED_HEADERS = ["Retry-After", "X-Request-Id"];

/**
 * Builds the HTTP API from its parts. Runtime-neutral: the Node and Worker adapters call app.fetch.
 * The cross-cutting layers live here (request id and access log, metrics, secure headers, CORS, the
 * body limit, one error handler); the routes live in routes/, one module per resource.
 */
export function createApp(deps: AppDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const { config } = deps;
  const rootLog = deps.logger ?? silentLogger;
  const metrics = deps.metrics ?? new ServiceMetrics();

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
    // On the response's own headers, as secureHeaders sets its own: c.header() after the handler
    // would re-create the Response around a stream of its body (see corsAfter below).
    c.res.headers.set("X-Request-Id", requestId);
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
    exposeHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
  // hono's cors sets a simple request's headers on the context before the handler and appends
  // Vary through c.header() after it: both make Hono re-create the handler's Response around a web
  // stream of its body (twice), which Node's adapter then writes from the stream instead of as one
  // string (undici and web streams: 14 % of the main thread's busy time under /api/chat load; 8 %
  // after, the request's abort signal and body). So it answers preflights only; a request's CORS
  // headers (the same values) go on the finished response's own headers.
  const corsAfter: MiddlewareHandler<HttpEnv> = async (c, next) => {
    if (c.req.method === "OPTIONS") return corsMiddleware(c, next);
    await next();
    const origin = c.req.header("origin");
    const headers = c.res.headers;
    if (origin && allowed.has(origin)) headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS.join(","));
    headers.append("Vary", "Origin");
  };
  app.use("/api/*", corsAfter);
  app.use("/v1/*", corsAfter);

  app.onError((error, c) => {
    if (!isAppError(error)) (c.get("log") ?? rootLog).error({ path: c.req.path, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "unhandled error");
    return problemFromError(c, error);
  });
  app.notFound((c) => problem(c, 404, "NOT_FOUND", `未找到：${c.req.path.slice(0, 200)}`));

  app.use("/api/*", limitBody);
  app.use("/v1/*", limitBody);
  app.use("/admin/*", limitBody);

  const context: RouteContext = { app, deps, service: createAnswerService(deps, metrics, rootLog), metrics };
  for (const routes of [probeRoutes, chatRoutes, searchRoutes, passageRoutes, documentRoutes, feedbackRoutes, openAIRoutes, adminRoutes, pageRoutes]) routes(context);
  return app;
}
