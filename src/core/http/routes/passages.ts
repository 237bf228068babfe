import { sectionOf, type SearchIndex } from "../../search/search-index.js";
import type { Passage } from "../../types.js";
import { problem } from "../problem.js";
import type { RouteContext } from "./route-context.js";

const passageMaps = new WeakMap<SearchIndex, Map<string, Passage>>();
/** Passage by id, built once per loaded index. */
function passageLookup(index: SearchIndex): Map<string, Passage> {
  let map = passageMaps.get(index);
  if (!map) passageMaps.set(index, (map = new Map(index.passages.map((p) => [p.id, p]))));
  return map;
}

/** GET /api/passages/:id: a full cleaned passage (404 if unknown). */
export function passageRoutes({ app, service }: RouteContext): void {
  app.get("/api/passages/:id", (c) => {
    const { index } = service.ready();
    const id = c.req.param("id");
    const passage = passageLookup(index).get(id);
    if (!passage) return problem(c, 404, "NOT_FOUND", `未找到段落：${id.slice(0, 100)}`);
    const doc = index.docById.get(passage.docId)!;
    return c.json({ passageId: passage.id, docId: doc.id, title: doc.title, year: doc.year ?? null, section: sectionOf(passage), text: passage.text });
  });
}
