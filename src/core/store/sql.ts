/**
 * The few SQL operations the store needs, implemented by a thin adapter per runtime: better-sqlite3
 * on Node, D1 on Workers. Both speak SQLite's dialect, so the statements themselves live in the core.
 * D1 has no interactive transactions — only an atomic batch — so every multi-row write is expressed
 * as one batch of statements whose conditions all read the state from before the batch.
 */
export type SqlValue = string | number | null;

export interface SqlStatement {
  sql: string;
  params: SqlValue[];
}

export interface SqlDatabase {
  /** Identifies the adapter in messages ("sqlite", "d1"). */
  readonly kind: string;
  all<T>(sql: string, params?: SqlValue[]): Promise<T[]>;
  first<T>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  /**
   * Runs the statements in one transaction, all or nothing; resolves with each statement's
   * changed-row count once committed. `relaxed`: the commit may skip the flush to stable storage
   * (it still survives a crash of the process, not necessarily a power cut) — for records nobody
   * was promised, like the question log; adapters without the distinction ignore it.
   */
  batch(statements: SqlStatement[], options?: { relaxed?: boolean }): Promise<number[]>;
  close(): Promise<void>;
}

/** Shorthand for building a batch: `sql("UPDATE t SET a = ? WHERE id = ?", a, id)`. */
export function sql(text: string, ...params: SqlValue[]): SqlStatement {
  return { sql: text, params };
}

/** True when an error from either adapter is a uniqueness / primary-key violation. */
export function isConstraintError(error: unknown): boolean {
  const message = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : String(error);
  return /UNIQUE constraint failed|PRIMARY KEY|SQLITE_CONSTRAINT/i.test(message);
}

/** True when the database stayed locked by another writer beyond the busy timeout. */
export function isBusyError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /SQLITE_BUSY|database is locked/i.test(message);
}
