import { mkdirSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import type { FeedbackRecord, FeedbackStore } from "../core/http/feedback.js";

/**
 * Feedback as JSON Lines in DATA_DIR/feedback.jsonl. Each record is one write to a file opened for
 * appending, followed by fdatasync before the request is acknowledged: a crash loses nothing that was
 * confirmed, and lines never interleave. Appends are serialised within the process.
 */
export class FileFeedbackStore implements FeedbackStore {
  readonly file: string;
  private tail: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, "feedback.jsonl");
  }

  append(record: FeedbackRecord): Promise<void> {
    const line = JSON.stringify(record) + "\n";
    const write = this.tail.then(async () => {
      const handle = await open(this.file, "a", 0o600);
      try {
        await handle.write(line);
        await handle.datasync();
      } finally {
        await handle.close();
      }
    });
    this.tail = write.catch(() => {});
    return write;
  }
}
