import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { createSqlStore } from "../../core/store/sql-store.js";
import type { AssistantStore } from "../../core/store/types.js";
import { importFeedbackFile, type FeedbackImport } from "./import-feedback-file.js";
import { openSqliteDatabase, type SqliteOptions } from "./sqlite-database.js";

export const STORE_FILE = "assistant.sqlite";

export interface OpenedSqliteStore {
  store: AssistantStore;
  file: string;
  /** What the one-time feedback.jsonl import moved in at this start. */
  feedbackImport: FeedbackImport;
}

/**
 * Opens (creating if needed) DATA_DIR/assistant.sqlite, applies pending schema migrations and
 * imports DATA_DIR/feedback.jsonl records not yet imported.
 */
export async function openSqliteStore(dataDir: string, options: SqliteOptions & { file?: string } = {}): Promise<OpenedSqliteStore> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, options.file ?? STORE_FILE);
  // Token hashes and citizens' questions: readable by the service's user only (SQLite gives the
  // -wal and -shm files the database file's permissions).
  if (!existsSync(file)) closeSync(openSync(file, "a", 0o600));
  const store = await createSqlStore(openSqliteDatabase(file, options));
  const feedbackImport = await importFeedbackFile(store, dataDir);
  return { store, file, feedbackImport };
}
