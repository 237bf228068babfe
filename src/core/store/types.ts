/**
 * The assistant's own records — staff accounts, curated answers with every version, the audit log,
 * the question log and feedback — behind one runtime-neutral interface. SQLite (better-sqlite3) on
 * Node and D1 on Workers implement it through the same SQL (see sql-store.ts).
 */
import type { FeedbackRecord, FeedbackStore } from "../http/feedback.js";

export type StaffRole = "editor" | "admin";

export interface StaffMember {
  name: string;
  role: StaffRole;
  /** ISO time the account (or its current token) was created. */
  created: string;
  /** ISO time the account was revoked; absent while it is active. */
  revoked?: string;
}

export type CuratedStatus = "live" | "retired";

/** What an editor writes: the question variants, the answer text and the passages it cites. */
export interface CuratedContent {
  questions: string[];
  answer: string;
  /** Passage ids. */
  citations: string[];
  /** YYYY-MM-DD: after this day the answer is no longer served until re-approved. */
  reviewBy?: string;
}

/** One version of a curated answer, as stored (versions are never changed or deleted). */
export interface CuratedVersion extends CuratedContent {
  id: string;
  version: number;
  status: CuratedStatus;
  author: string;
  /** ISO time the version was written. */
  time: string;
}

export interface CuratedRef {
  id: string;
  version: number;
}

/** Result of a conditional write: the new version, or why nothing was written. */
export type CuratedWrite = { ok: true; ref: CuratedRef } | { ok: false; reason: "not-found" } | { ok: false; reason: "conflict"; latest: number };

/** Answers the chat path may serve today, and the ones past their review date. */
export interface LiveCurated {
  live: CuratedVersion[];
  needsReview: CuratedVersion[];
}

export interface AuditEntry {
  seq: number;
  time: string;
  /** Staff name, or "cli" for the staff command. */
  actor: string;
  action: string;
  /** Curated answer id or staff name. */
  target: string;
  detail: Record<string, unknown>;
}

export type QuestionChannel = "widget" | "api" | "console";

/** One chat question as the answer path reports it (masked by the store before it is written). */
export interface QuestionLogEntry {
  time: string;
  channel: QuestionChannel;
  question: string;
  /** Answer mode: extractive, llm, official, curated, refused … */
  mode: string;
  grounded: boolean;
  refusal?: string;
  confidence?: number;
  /** Passage ids of the top results. */
  topPassages: string[];
  answerId?: string;
}

/** A logged question with the ratings its answer received. */
export interface LoggedQuestion extends QuestionLogEntry {
  seq: number;
  ratings: { up: number; down: number };
}

export interface QuestionQuery {
  /** Inclusive ISO lower bound. */
  from?: string;
  /** Exclusive ISO upper bound. */
  to?: string;
  limit?: number;
}

export interface PurgeResult {
  questions: number;
  feedback: number;
}

/** The store. Every write resolves only once it is durable; multi-row writes are atomic. */
export interface AssistantStore extends FeedbackStore {
  // Staff
  addStaff(input: { name: string; role: StaffRole; tokenHash: string; time: string }): Promise<void>;
  listStaff(): Promise<StaffMember[]>;
  /** False when no active member has that name. */
  revokeStaff(name: string, time: string): Promise<boolean>;
  /** The active member holding a token with this hash. */
  staffByTokenHash(tokenHash: string): Promise<StaffMember | undefined>;

  // Curated answers
  createCurated(content: CuratedContent, author: string, time: string): Promise<CuratedRef>;
  /** Writes version `expected + 1` only if `expected` is still the latest (compare-and-set). */
  updateCurated(id: string, expected: number, content: CuratedContent, author: string, time: string): Promise<CuratedWrite>;
  /** A new version equal to `version`, written only if `expected` is still the latest. */
  revertCurated(id: string, version: number, expected: number, author: string, time: string): Promise<CuratedWrite>;
  /** A new, retired version (same content), written only if `expected` is still the latest. */
  retireCurated(id: string, expected: number, author: string, time: string): Promise<CuratedWrite>;
  getCurated(id: string): Promise<CuratedVersion | undefined>;
  getCuratedVersion(id: string, version: number): Promise<CuratedVersion | undefined>;
  /** The latest version of every curated answer, newest first. */
  listCurated(): Promise<CuratedVersion[]>;
  /** Every version of one answer, oldest first (empty when the id is unknown). */
  curatedHistory(id: string): Promise<CuratedVersion[]>;
  /** Live answers whose reviewBy is today or later (or unset); live ones past it need review. */
  liveCurated(today: string): Promise<LiveCurated>;

  // Audit
  listAudit(query?: QuestionQuery): Promise<AuditEntry[]>;

  // Question log and feedback (both masked on the way in)
  logQuestion(entry: QuestionLogEntry): Promise<void>;
  /** Questions in the range, oldest first; with a limit, the newest `limit` of them. */
  listQuestions(query?: QuestionQuery): Promise<LoggedQuestion[]>;
  append(record: FeedbackRecord): Promise<void>;
  listFeedback(query?: QuestionQuery): Promise<FeedbackRecord[]>;
  /** Deletes questions and feedback older than `before` (ISO time). */
  purgeBefore(before: string): Promise<PurgeResult>;

  /** Small key/value notes (how far a one-time import got). */
  getMeta(key: string): Promise<string | undefined>;
  /** Inserts feedback records and sets a meta key in one transaction (imports resume where they stopped). */
  importFeedback(records: FeedbackRecord[], metaKey: string, metaValue: string): Promise<void>;
  close(): Promise<void>;
}

/** Default retention of the question log and feedback. */
export const DEFAULT_RETENTION_DAYS = 180;

/** Deletes what is older than the retention period; run at start and once a day. */
export function purgeExpired(store: AssistantStore, now: Date, retentionDays = DEFAULT_RETENTION_DAYS): Promise<PurgeResult> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  return store.purgeBefore(cutoff);
}
