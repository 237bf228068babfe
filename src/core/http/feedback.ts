/** One rating of one answer, as stored. Personal numbers in free text are masked before storing. */
export interface FeedbackRecord {
  time: string;
  answerId: string;
  rating: "up" | "down";
  comment?: string;
  /** The rated question and answer, when the answer was given by this process (recent answers). */
  question?: string;
  answer?: string;
  buildId?: string;
}

/** Durable feedback storage: an append-only file on Node, a KV namespace or the log on Workers. */
export interface FeedbackStore {
  /** Resolves only once the record is durable (fsync'd on Node). */
  append(record: FeedbackRecord): Promise<void>;
}
