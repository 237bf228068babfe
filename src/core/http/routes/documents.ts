import type { SearchIndex } from "../../search/search-index.js";
import { problem } from "../problem.js";
import type { RouteContext } from "./route-context.js";

/** A document's metadata as the API shows it: no file name or content hash, with its passage count. */
function documentView(index: SearchIndex, id: string) {
  const doc = index.docById.get(id);
  if (!doc) return undefined;
  const entry = index.manifest.documents.find((d) => d.id === id);
  const { contentHash: _hash, file: _file, ...meta } = doc;
  return { ...meta, passages: entry?.passages ?? 0 };
}

/** GET /api/documents and /api/documents/:id. */
export function documentRoutes({ app, service }: RouteContext): void {
  app.get("/api/documents", (c) => {
    const { index } = service.ready();
    return c.json({ documents: index.documents.map((d) => documentView(index, d.id)) });
  });
  app.get("/api/documents/:id", (c) => {
    const { index } = service.ready();
    const view = documentView(index, c.req.param("id"));
    return view ? c.json(view) : problem(c, 404, "NOT_FOUND", `未找到文件：${c.req.param("id").slice(0, 100)}`);
  });
}
