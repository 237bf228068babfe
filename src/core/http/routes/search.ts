import { toSearchResult } from "../../search/search-result.js";
import { problem } from "../problem.js";
import { firstIssue, searchQuerySchema } from "../schemas.js";
import type { RouteContext } from "./route-context.js";

/** GET /api/search?q=&k=&year=&kind=: the top passages with their scores. */
export function searchRoutes({ app, service }: RouteContext): void {
  app.get("/api/search", async (c) => {
    const parsed = searchQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return problem(c, 400, "BAD_REQUEST", firstIssue(parsed.error));
    const { q, k, year, kind } = parsed.data;
    const hits = await service.ready().retriever.search(q, { k, ...(year !== undefined ? { year } : {}), ...(kind ? { kind } : {}) });
    return c.json({ results: hits.map(toSearchResult) });
  });
}
