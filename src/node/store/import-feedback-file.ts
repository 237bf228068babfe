import { existsSync, openSync, readSync, closeSync, fstatSync } from "node:fs";
import { join } from "node:path";
import type { FeedbackRecord } from "../../core/http/feedback.js";
import type { AssistantStore } from "../../core/store/types.js";

export const FEEDBACK_IMPORT_KEY = "import:feedback.jsonl";

export interface FeedbackImport {
  imported: number;
  /** Lines that were not a feedback record (kept in the file, reported, never retried). */
  skipped: number;
}

function asFeedback(value: unknown): FeedbackRecord | undefined {
  if (!value || typeof value !== "object") return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.time !== "string" || typeof r.answerId !== "string" || (r.rating !== "up" && r.rating !== "down")) return undefined;
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const record: FeedbackRecord = { time: r.time, answerId: r.answerId, rating: r.rating };
  for (const key of ["comment", "question", "answer", "buildId"] as const) {
    const v = text(r[key]);
    if (v !== undefined) record[key] = v;
  }
  return record;
}

/**
 * Moves the 👍/👎 records of DATA_DIR/feedback.jsonl (the file store of earlier versions) into the
 * store. The records and the byte offset reached are written in one transaction, so a crash mid-way
 * imports nothing twice, and a file that is still being appended to is picked up where it stopped
 * on the next start. The file itself is left in place.
 */
export async function importFeedbackFile(store: AssistantStore, dataDir: string): Promise<FeedbackImport> {
  const file = join(dataDir, "feedback.jsonl");
  if (!existsSync(file)) return { imported: 0, skipped: 0 };
  const from = Number((await store.getMeta(FEEDBACK_IMPORT_KEY)) ?? 0);
  const fd = openSync(file, "r");
  let bytes: Buffer;
  try {
    const size = fstatSync(fd).size;
    if (size <= from) return { imported: 0, skipped: 0 };
    bytes = Buffer.alloc(size - from);
    readSync(fd, bytes, 0, bytes.length, from);
  } finally {
    closeSync(fd);
  }
  // Only complete lines: a line still being written (no newline yet) waits for the next start.
  const end = bytes.lastIndexOf(0x0a) + 1;
  if (end === 0) return { imported: 0, skipped: 0 };
  const records: FeedbackRecord[] = [];
  let skipped = 0;
  for (const line of bytes.subarray(0, end).toString("utf8").split("\n")) {
    if (!line.trim()) continue;
    let record: FeedbackRecord | undefined;
    try {
      record = asFeedback(JSON.parse(line));
    } catch {
      record = undefined;
    }
    if (record) records.push(record);
    else skipped++;
  }
  await store.importFeedback(records, FEEDBACK_IMPORT_KEY, String(from + end));
  return { imported: records.length, skipped };
}
