import type { FeedbackRecord, FeedbackStore } from "../core/http/feedback.js";
import type { Logger } from "../core/http/logger.js";
import type { KvBinding } from "./env.js";

/** Feedback kept a year in KV, one key per rating (`feedback/<time>/<answerId>`): list and export with wrangler kv. */
export class KvFeedbackStore implements FeedbackStore {
  constructor(private readonly kv: KvBinding) {}

  async append(record: FeedbackRecord): Promise<void> {
    await this.kv.put(`feedback/${record.time}/${record.answerId}`, JSON.stringify(record), { expirationTtl: 365 * 24 * 3600 });
  }
}

/** Without a KV binding: each rating is one structured log line (Workers Logs keeps it). */
export class LogFeedbackStore implements FeedbackStore {
  constructor(private readonly logger: Logger) {}

  async append(record: FeedbackRecord): Promise<void> {
    this.logger.info({ feedback: record }, "feedback");
  }
}
