import { isConstraintError, sql, type SqlDatabase } from "./sql.js";

/** One schema change. Versions only grow; an applied migration is never edited, a new one is added. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "staff, curated answers, audit, question log, feedback",
    statements: [
      `CREATE TABLE staff (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
        token_hash TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        revoked TEXT
      )`,
      `CREATE TABLE curated (
        id TEXT PRIMARY KEY,
        latest INTEGER NOT NULL,
        created TEXT NOT NULL
      )`,
      `CREATE TABLE curated_versions (
        id TEXT NOT NULL REFERENCES curated (id),
        version INTEGER NOT NULL,
        questions TEXT NOT NULL,
        answer TEXT NOT NULL,
        citations TEXT NOT NULL,
        review_by TEXT,
        status TEXT NOT NULL CHECK (status IN ('live', 'retired')),
        author TEXT NOT NULL,
        time TEXT NOT NULL,
        PRIMARY KEY (id, version)
      )`,
      `CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL
      )`,
      `CREATE INDEX audit_log_time ON audit_log (time)`,
      `CREATE TABLE question_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        channel TEXT NOT NULL,
        question TEXT NOT NULL,
        mode TEXT NOT NULL,
        grounded INTEGER NOT NULL,
        refusal TEXT,
        confidence REAL,
        top_passages TEXT NOT NULL,
        answer_id TEXT
      )`,
      `CREATE INDEX question_log_time ON question_log (time)`,
      `CREATE INDEX question_log_answer ON question_log (answer_id)`,
      `CREATE TABLE feedback (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        answer_id TEXT NOT NULL,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        comment TEXT,
        question TEXT,
        answer TEXT,
        build_id TEXT
      )`,
      `CREATE INDEX feedback_time ON feedback (time)`,
      `CREATE INDEX feedback_answer ON feedback (answer_id)`,
      `CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      )`,
    ],
  },
];

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)`;

/**
 * Applies the migrations not yet recorded, each in one transaction that begins by inserting its own
 * row into schema_migrations: when two processes open the same database at once, the second insert
 * fails on the primary key, its batch rolls back whole, and it simply finds the migration applied.
 * Returns the versions this call applied.
 */
export async function applyMigrations(db: SqlDatabase, migrations: Migration[] = MIGRATIONS, now = () => new Date().toISOString()): Promise<number[]> {
  await db.batch([sql(MIGRATIONS_TABLE)]);
  const appliedNow: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const done = await db.first<{ version: number }>("SELECT version FROM schema_migrations WHERE version = ?", [migration.version]);
    if (done) continue;
    try {
      await db.batch([sql("INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)", migration.version, migration.name, now()), ...migration.statements.map((s) => sql(s))]);
      appliedNow.push(migration.version);
    } catch (error) {
      const raced = await db.first<{ version: number }>("SELECT version FROM schema_migrations WHERE version = ?", [migration.version]);
      if (!raced || !isConstraintError(error)) throw error;
    }
  }
  return appliedNow;
}

/** The highest migration version recorded in the database (0 for a new one). */
export async function schemaVersion(db: SqlDatabase): Promise<number> {
  const row = await db.first<{ version: number | null }>("SELECT MAX(version) AS version FROM schema_migrations");
  return row?.version ?? 0;
}
