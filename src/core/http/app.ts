import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { Answerer } from "../answer/answerer.js";
import type { HybridRetriever } from "../search/retriever.js";
import { sectionOf, type SearchIndex } from "../search/search-index.js";
import { toSearchResult } from "../search/search-result.js";
import { problem, problemFromError } from "./problem.js";
import { chatRequestSchema, firstIssue, searchQuerySchema } from "./schemas.js";

/** What the app serves from; swapped as a whole when a new index is loaded. */
export interface ServingState {
  index: SearchIndex;
  retriever: HybridRetriever;
  answerer: Answerer;
}

export interface AppDeps {
  /** Returns the current state (re-read per request, so an index swap needs no restart). */
  state: () => ServingState | undefined;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

const BODY_LIMIT = 32 * 1024;

/** Builds the HTTP API from its parts. Runtime-neutral: Node and Workers adapters call app.fetch. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use("*", secureHeaders());

  const ready = () => {
    const s = deps.state();
    if (!s) throw Object.assign(new Error("not ready"), { notReady: true });
    return s;
  };

  app.onError((error, c) => {
    if ((error as { notReady?: boolean }).notReady) return problem(c, 503, "NOT_READY", "服务正在加载索引，请稍后再试");
    deps.log?.("error", { path: c.req.path, message: error instanceof Error ? error.message : String(error) });
    return problemFromError(c, error);
  });
  app.notFound((c) => problem(c, 404, "NOT_FOUND", `未找到：${c.req.path}`));

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", (c) => {
    const s = deps.state();
    if (!s) return problem(c, 503, "NOT_READY", "索引尚未加载");
    return c.json({ status: "ready", build: s.index.manifest.buildId, passages: s.index.passages.length });
  });

  app.post(
    "/api/chat",
    bodyLimit({ maxSize: BODY_LIMIT, onError: (c) => problem(c, 413, "PAYLOAD_TOO_LARGE", "请求内容过大（上限 32 KB）") }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      if (!/^application\/json\b/i.test(type)) return problem(c, 415, "UNSUPPORTED_MEDIA_TYPE", "请求须为 JSON（Content-Type: application/json）");
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return problem(c, 400, "MALFORMED_JSON", "请求体不是合法的 JSON");
      }
      const parsed = chatRequestSchema.safeParse(body);
      if (!parsed.success) return problem(c, 400, "BAD_REQUEST", firstIssue(parsed.error));
      const { answer } = await ready().answerer.answer(parsed.data.question, parsed.data.history ?? [], { signal: c.req.raw.signal });
      return c.json(answer);
    },
  );

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
    const passage = index.passages.find((p) => p.id === id);
    if (!passage) return problem(c, 404, "NOT_FOUND", `未找到段落：${id}`);
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
    return view ? c.json(view) : problem(c, 404, "NOT_FOUND", `未找到文件：${c.req.param("id")}`);
  });

  return app;
}
