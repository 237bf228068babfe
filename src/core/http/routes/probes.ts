import { createError } from "../../errors.js";
import { buildOpenApiDocument } from "../openapi.js";
import { problemFromError } from "../problem.js";
import type { RouteContext } from "./route-context.js";

/** GET /healthz, /readyz, /metrics and /openapi.json: what load balancers, Prometheus and clients read. */
export function probeRoutes({ app, deps, service, metrics }: RouteContext): void {
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", (c) => {
    if (deps.shuttingDown?.()) return problemFromError(c, createError("SHUTTING_DOWN"));
    const s = deps.state();
    if (!s) return problemFromError(c, createError("NOT_READY"));
    return c.json({ status: "ready", build: s.index.manifest.buildId, passages: s.index.passages.length });
  });

  app.get("/metrics", (c) => {
    const s = deps.state();
    const stats = service.stats();
    const body = metrics.render({
      edu_index_passages: { help: "Passages in the serving index", value: s?.index.passages.length ?? 0 },
      edu_answers_in_progress: { help: "Answers being computed", value: stats.active },
      edu_answers_waiting: { help: "Answers waiting for a slot", value: stats.waiting },
      edu_answer_cache_entries: { help: "Answers held in the cache", value: stats.cached },
      ...deps.gauges?.(),
    });
    return c.body(body, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" });
  });

  app.get("/openapi.json", (c) => c.json(buildOpenApiDocument(new URL(c.req.url).origin)));
}
