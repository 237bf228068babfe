import { createSqlStore } from "../core/store/sql-store.js";
import type { SqlDatabase, SqlValue } from "../core/store/sql.js";
import type { AssistantStore } from "../core/store/types.js";

/** The subset of a D1 database binding the store uses (wrangler.toml `[[d1_databases]] binding = "DB"`). */
export interface D1Binding {
  prepare(query: string): D1PreparedStatementLike;
  batch(statements: D1PreparedStatementLike[]): Promise<{ meta: { changes?: number } }[]>;
}

export interface D1PreparedStatementLike {
  bind(...values: unknown[]): D1PreparedStatementLike;
  first<T>(): Promise<T | null>;
  all<T>(): Promise<{ results: T[] }>;
}

/**
 * The store's SQL adapter over D1. D1 has no interactive transactions; `batch` runs its statements
 * in one implicit transaction, which is exactly the unit the core store writes in, and resolves once
 * the batch is committed. `relaxed` has no meaning here and is ignored.
 */
export function d1Database(binding: D1Binding): SqlDatabase {
  const bound = (text: string, params: SqlValue[]) => (params.length ? binding.prepare(text).bind(...params) : binding.prepare(text));
  return {
    kind: "d1",
    all: async <T>(text: string, params: SqlValue[] = []) => (await bound(text, params).all<T>()).results,
    first: async <T>(text: string, params: SqlValue[] = []) => (await bound(text, params).first<T>()) ?? undefined,
    batch: async (statements) => (await binding.batch(statements.map((s) => bound(s.sql, s.params)))).map((r) => r.meta.changes ?? 0),
    close: async () => {},
  };
}

/** The store on a D1 binding; pending schema migrations are applied on first use. */
export function openD1Store(binding: D1Binding): Promise<AssistantStore> {
  return createSqlStore(d1Database(binding));
}
