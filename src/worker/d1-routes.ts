import { sectionOf } from "../core/search/search-index.js";
import type { D1ServingState } from "./d1-state.js";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
const notFound = (detail: string) =>
  new Response(JSON.stringify({ type: "about:blank#NOT_FOUND", title: "NOT_FOUND", status: 404, detail }), { status: 404, headers: { "content-type": "application/problem+json; charset=utf-8" } });

/**
 * The routes that read one passage or document by id, answered from D1 with the same bodies as the
 * core routes give from memory (the `d1` state holds no passage list). Undefined: not one of them.
 */
export async function d1Route(request: Request, state: D1ServingState): Promise<Response | undefined> {
  if (request.method !== "GET") return undefined;
  const path = new URL(request.url).pathname;
  const passage = /^\/api\/passages\/([^/]+)$/.exec(path);
  if (passage) {
    const id = decodeURIComponent(passage[1]!);
    const found = await state.d1.passages.byId(id);
    if (!found) return notFound(`未找到段落：${id.slice(0, 100)}`);
    const { passage: p, doc } = found;
    return json({ passageId: p.id, docId: doc.id, title: doc.title, year: doc.year ?? null, section: sectionOf(p), text: p.text });
  }
  const document = /^\/api\/documents(?:\/([^/]+))?$/.exec(path);
  if (document) {
    const counts = new Map(state.d1.manifest.documents.map((d) => [d.id, d.passages]));
    const view = (data: string) => {
      const { contentHash: _hash, file: _file, ...meta } = JSON.parse(data) as { id: string; contentHash?: string; file?: string };
      return { ...meta, passages: counts.get(meta.id) ?? 0 };
    };
    const id = document[1] === undefined ? undefined : decodeURIComponent(document[1]);
    const { results } = await state.d1.passages.documents(id);
    if (id === undefined) return json({ documents: results.map(view) });
    return results[0] ? json(view(results[0])) : notFound(`未找到文件：${id.slice(0, 100)}`);
  }
  return undefined;
}
