import { summarizeAnalysis } from "../../question/explain.js";
import { toSearchResult } from "../../search/search-result.js";
import { problem } from "../problem.js";
import { firstIssue, searchQuerySchema } from "../schemas.js";
import type { RouteContext } from "./route-context.js";

/** GET /api/search?q=&k=&year=&kind=: the top passages with their scores. */
export function searchRoutes({ app, service }: RouteContext): void {
  app.get("/api/search", async (c) => {
    const parsed = searchQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return problem(c, 400, "BAD_REQUEST", firstIssue(parsed.error));
    const { q, k, year, kind, debug } = parsed.data;
    const { retriever } = service.ready();
    // The question is analysed once; with debug=1 the analysis is returned too (why these passages),
    // as retrieval read it (with the written-out words of a shortened name its candidates hold).
    const { hits, query } = await retriever.retrieve(retriever.analyze(q), { k, ...(year !== undefined ? { year } : {}), ...(kind ? { kind } : {}) });
    const results = hits.map(toSearchResult);
    return c.json(debug === "1" || debug === "true" ? { results, analysis: summarizeAnalysis(query) } : { results });
  });
}
