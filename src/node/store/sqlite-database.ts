import Database from "better-sqlite3";
import type { SqlDatabase, SqlStatement, SqlValue } from "../../core/store/sql.js";

export interface SqliteOptions {
  /** How long a writer waits for another process's write lock before SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
}

/**
 * The store's SQL adapter over better-sqlite3. WAL lets readers run beside the one writer (other
 * processes included). synchronous=FULL makes every commit fsync the WAL before it returns, so a
 * write the server acknowledged survives not only SIGKILL (NORMAL would already: the WAL frames are
 * in the page cache) but also a power cut; such writes are few (staff edits, feedback). The question
 * log, written for every chat question, commits `relaxed` (NORMAL): no fsync on the event loop, still
 * safe from SIGKILL. Batches run as BEGIN IMMEDIATE transactions: the write lock
 * is taken up front, so two processes queue on busy_timeout instead of failing on a lock upgrade.
 */
export function openSqliteDatabase(file: string, options: SqliteOptions = {}): SqlDatabase & { readonly raw: Database.Database } {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const db = new Database(file, { timeout: busyTimeoutMs });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma("foreign_keys = ON");

  const statements = new Map<string, Database.Statement>();
  const prepare = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const runAll = db.transaction((batch: SqlStatement[]) => batch.map((s) => prepare(s.sql).run(...s.params).changes));

  return {
    kind: "sqlite",
    raw: db,
    all: <T>(text: string, params: SqlValue[] = []) => new Promise<T[]>((resolve) => resolve(prepare(text).all(...params) as T[])),
    first: <T>(text: string, params: SqlValue[] = []) => new Promise<T | undefined>((resolve) => resolve(prepare(text).get(...params) as T | undefined)),
    batch: (batch, batchOptions) =>
      new Promise<number[]>((resolve) => {
        if (!batchOptions?.relaxed) return resolve(runAll.immediate(batch));
        // WAL + NORMAL: the commit is appended to the WAL without an fsync (the next FULL commit or
        // checkpoint flushes it). better-sqlite3 is synchronous, so no other batch runs in between.
        db.pragma("synchronous = NORMAL");
        try {
          resolve(runAll.immediate(batch));
        } finally {
          db.pragma("synchronous = FULL");
        }
      }),
    close: async () => {
      statements.clear();
      db.close();
    },
  };
}
