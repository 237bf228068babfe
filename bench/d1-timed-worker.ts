// The Worker entry with every INDEX_DB call timed inside the isolate, for `npm run bench:worker --
// --profile-worker SIZE` (scripts/bench-worker.ts): each response carries `x-d1-timings`, the
// request's time in the Worker and, per D1 call, its stage, time, D1's own SQL duration, rows and
// characters received. Requests are answered one at a time by the bench, so one log per isolate is enough.
import worker from "../src/worker/index.js";
import type { D1Binding, D1PreparedStatementLike } from "../src/worker/d1-store.js";
import type { WorkerEnv } from "../src/worker/env.js";

export interface D1CallTiming {
  stage: string;
  ms: number;
  /** D1's `meta.duration` summed over the call's statements (undefined: `first()` reports none). */
  sqlMs?: number;
  rows: number;
  chars: number;
}

/** The stage a statement belongs to, by the table it reads. */
function stageOf(sql: string): string {
  if (/index_term_postings/.test(sql)) return "terms";
  if (/index_feature_postings/.test(sql)) return "features";
  if (/index_passage_rows/.test(sql)) return "passages";
  if (/index_documents/.test(sql)) return "documents";
  if (/index_blobs/.test(sql)) return "open";
  return "other";
}

function charsOf(rows: unknown[]): number {
  let n = 0;
  for (const row of rows) for (const value of Object.values(row as Record<string, unknown>)) n += typeof value === "string" ? value.length : 8;
  return n;
}

type Result = { results?: unknown[]; meta?: { duration?: number } };
type Timed = D1PreparedStatementLike & { raw: D1PreparedStatementLike; sql: string };

let calls: D1CallTiming[] = [];
let timedDb: D1Binding | undefined;

function timed(db: D1Binding): D1Binding {
  const wrap = (statement: D1PreparedStatementLike, sql: string): Timed => ({
    raw: statement,
    sql,
    bind: (...values: unknown[]) => wrap(statement.bind(...values), sql),
    async first<T>() {
      const started = performance.now();
      const row = await statement.first<T>();
      calls.push({ stage: stageOf(sql), ms: performance.now() - started, rows: row ? 1 : 0, chars: row ? charsOf([row]) : 0 });
      return row;
    },
    async all<T>() {
      const started = performance.now();
      const result = await statement.all<T>();
      const { meta } = result as Result;
      calls.push({ stage: stageOf(sql), ms: performance.now() - started, ...(meta?.duration !== undefined ? { sqlMs: meta.duration } : {}), rows: result.results.length, chars: charsOf(result.results) });
      return result;
    },
  });
  return {
    prepare: (sql: string) => wrap(db.prepare(sql), sql),
    // A batch is one round trip: its statements' stages are joined (terms+features).
    async batch(statements: D1PreparedStatementLike[]) {
      const started = performance.now();
      const results = (await db.batch(statements.map((s) => (s as Timed).raw ?? s))) as unknown as Result[];
      const rows = results.flatMap((r) => r.results ?? []);
      calls.push({
        stage: statements.map((s) => stageOf((s as Timed).sql ?? "")).join("+"),
        ms: performance.now() - started,
        sqlMs: results.reduce((sum, r) => sum + (r.meta?.duration ?? 0), 0),
        rows: rows.length,
        chars: charsOf(rows),
      });
      return results as unknown as Awaited<ReturnType<D1Binding["batch"]>>;
    },
  };
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: unknown): Promise<Response> {
    // The isolate's state keeps the binding it was loaded with: wrap it once.
    if (env.INDEX_DB) timedDb ??= timed(env.INDEX_DB);
    calls = [];
    const started = performance.now();
    const response = await worker.fetch(request, { ...env, ...(timedDb ? { INDEX_DB: timedDb } : {}) }, ctx);
    const body = await response.arrayBuffer();
    const headers = new Headers(response.headers);
    headers.set("x-d1-timings", JSON.stringify({ ms: performance.now() - started, calls }));
    return new Response(body, { status: response.status, headers });
  },
};
