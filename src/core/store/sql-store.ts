import type { FeedbackRecord } from "../http/feedback.js";
import { maskPersonalData } from "../text/mask-pii.js";
import { createError } from "../errors.js";
import { applyMigrations } from "./migrations.js";
import { sql, type SqlDatabase, type SqlStatement, type SqlValue } from "./sql.js";
import type {
  AssistantStore,
  AuditEntry,
  CuratedContent,
  CuratedRef,
  CuratedStatus,
  CuratedVersion,
  CuratedWrite,
  LiveCurated,
  LoggedQuestion,
  PurgeResult,
  QuestionChannel,
  QuestionLogEntry,
  QuestionQuery,
  StaffMember,
  StaffRole,
} from "./types.js";

interface StaffRow {
  name: string;
  role: StaffRole;
  created: string;
  revoked: string | null;
}

interface VersionRow {
  id: string;
  version: number;
  questions: string;
  answer: string;
  citations: string;
  review_by: string | null;
  status: CuratedStatus;
  author: string;
  time: string;
}

interface QuestionRow {
  seq: number;
  time: string;
  channel: QuestionChannel;
  question: string;
  mode: string;
  grounded: number;
  refusal: string | null;
  confidence: number | null;
  top_passages: string;
  answer_id: string | null;
  up: number;
  down: number;
}

interface FeedbackRow {
  time: string;
  answer_id: string;
  rating: "up" | "down";
  comment: string | null;
  question: string | null;
  answer: string | null;
  build_id: string | null;
}

interface AuditRow {
  seq: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

const VERSION_COLUMNS = "v.id, v.version, v.questions, v.answer, v.citations, v.review_by, v.status, v.author, v.time";
const DEFAULT_LIMIT = 10_000;

function toStaff(row: StaffRow): StaffMember {
  return { name: row.name, role: row.role, created: row.created, ...(row.revoked ? { revoked: row.revoked } : {}) };
}

function toVersion(row: VersionRow): CuratedVersion {
  return {
    id: row.id,
    version: row.version,
    questions: JSON.parse(row.questions) as string[],
    answer: row.answer,
    citations: JSON.parse(row.citations) as string[],
    ...(row.review_by ? { reviewBy: row.review_by } : {}),
    status: row.status,
    author: row.author,
    time: row.time,
  };
}

function toQuestion(row: QuestionRow): LoggedQuestion {
  return {
    seq: row.seq,
    time: row.time,
    channel: row.channel,
    question: row.question,
    mode: row.mode,
    grounded: row.grounded === 1,
    ...(row.refusal ? { refusal: row.refusal } : {}),
    ...(row.confidence !== null ? { confidence: row.confidence } : {}),
    topPassages: JSON.parse(row.top_passages) as string[],
    ...(row.answer_id ? { answerId: row.answer_id } : {}),
    ratings: { up: row.up, down: row.down },
  };
}

function toFeedback(row: FeedbackRow): FeedbackRecord {
  return {
    time: row.time,
    answerId: row.answer_id,
    rating: row.rating,
    ...(row.comment !== null ? { comment: row.comment } : {}),
    ...(row.question !== null ? { question: row.question } : {}),
    ...(row.answer !== null ? { answer: row.answer } : {}),
    ...(row.build_id !== null ? { buildId: row.build_id } : {}),
  };
}

/** Time-range filter shared by the log queries: `[from, to)` on the `time` column. */
function range(query: QuestionQuery | undefined, column = "time"): { where: string; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  if (query?.from) {
    clauses.push(`${column} >= ?`);
    params.push(query.from);
  }
  if (query?.to) {
    clauses.push(`${column} < ?`);
    params.push(query.to);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

const ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

/** A short random id for a curated answer (`ca-` + 12 characters, 60 bits). */
export function newCuratedId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return "ca-" + Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("");
}

function auditInsert(time: string, actor: string, action: string, target: string, detail: Record<string, unknown>, condition = "", conditionParams: SqlValue[] = []): SqlStatement {
  return sql(
    `INSERT INTO audit_log (time, actor, action, target, detail) SELECT ?, ?, ?, ?, ? ${condition ? `WHERE ${condition}` : ""}`,
    time,
    actor,
    action,
    target,
    JSON.stringify(detail),
    ...conditionParams,
  );
}

/** The store over any SQLite-dialect database, after applying its pending schema migrations. */
export async function createSqlStore(db: SqlDatabase): Promise<AssistantStore> {
  await applyMigrations(db);

  const getCuratedVersion = async (id: string, version: number) => {
    const row = await db.first<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM curated_versions v WHERE v.id = ? AND v.version = ?`, [id, version]);
    return row ? toVersion(row) : undefined;
  };

  const getCurated = async (id: string) => {
    const row = await db.first<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM curated c JOIN curated_versions v ON v.id = c.id AND v.version = c.latest WHERE c.id = ?`, [id]);
    return row ? toVersion(row) : undefined;
  };

  /**
   * Compare-and-set: the audit row, the new version and the bump of `latest` are one batch, each
   * conditioned on `latest = expected` as it was before the batch (the bump comes last, so the
   * earlier statements still see the old value). Two writers holding the same `expected` cannot
   * both succeed: the transactions are serialised and the second one's conditions are false.
   */
  const writeVersion = async (id: string, expected: number, content: CuratedContent, status: CuratedStatus, action: string, author: string, time: string, detail: Record<string, unknown>): Promise<CuratedWrite> => {
    const condition = "EXISTS (SELECT 1 FROM curated WHERE id = ? AND latest = ?)";
    const changes = await db.batch([
      auditInsert(time, author, action, id, { version: expected + 1, ...detail }, condition, [id, expected]),
      sql(
        `INSERT INTO curated_versions (id, version, questions, answer, citations, review_by, status, author, time)
         SELECT id, latest + 1, ?, ?, ?, ?, ?, ?, ? FROM curated WHERE id = ? AND latest = ?`,
        JSON.stringify(content.questions),
        content.answer,
        JSON.stringify(content.citations),
        content.reviewBy ?? null,
        status,
        author,
        time,
        id,
        expected,
      ),
      sql("UPDATE curated SET latest = latest + 1 WHERE id = ? AND latest = ?", id, expected),
    ]);
    if (changes[2] === 1) return { ok: true, ref: { id, version: expected + 1 } };
    const current = await db.first<{ latest: number }>("SELECT latest FROM curated WHERE id = ?", [id]);
    return current ? { ok: false, reason: "conflict", latest: current.latest } : { ok: false, reason: "not-found" };
  };

  const contentOf = (v: CuratedVersion): CuratedContent => ({ questions: v.questions, answer: v.answer, citations: v.citations, ...(v.reviewBy ? { reviewBy: v.reviewBy } : {}) });

  const maskFeedback = (record: FeedbackRecord): FeedbackRecord => ({
    ...record,
    ...(record.comment !== undefined ? { comment: maskPersonalData(record.comment) } : {}),
    ...(record.question !== undefined ? { question: maskPersonalData(record.question) } : {}),
  });

  const feedbackInsert = (r: FeedbackRecord) =>
    sql(
      "INSERT INTO feedback (time, answer_id, rating, comment, question, answer, build_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
      r.time,
      r.answerId,
      r.rating,
      r.comment ?? null,
      r.question ?? null,
      r.answer ?? null,
      r.buildId ?? null,
    );

  const questionInsert = (entry: QuestionLogEntry) =>
    sql(
      "INSERT INTO question_log (time, channel, question, mode, grounded, refusal, confidence, top_passages, answer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      entry.time,
      entry.channel,
      maskPersonalData(entry.question),
      entry.mode,
      entry.grounded ? 1 : 0,
      entry.refusal ?? null,
      entry.confidence ?? null,
      JSON.stringify(entry.topPassages),
      entry.answerId ?? null,
    );
  // Group commit: questions logged in the same turn of the event loop share one transaction, written
  // relaxed (no fsync: nobody was promised a log entry, and a crash of the process still keeps it),
  // so logging every chat question costs little under load. Each call resolves once committed.
  let pendingQuestions: QuestionLogEntry[] = [];
  let pendingFlush: Promise<void> | undefined;

  return {
    async addStaff({ name, role, tokenHash, time }) {
      // Re-adding a revoked name issues a new token; an active name is refused.
      const changes = await db.batch([
        auditInsert(time, "cli", "staff.add", name, { role }, "NOT EXISTS (SELECT 1 FROM staff WHERE name = ? AND revoked IS NULL)", [name]),
        sql(
          `INSERT INTO staff (name, role, token_hash, created, revoked) VALUES (?, ?, ?, ?, NULL)
           ON CONFLICT (name) DO UPDATE SET role = excluded.role, token_hash = excluded.token_hash, created = excluded.created, revoked = NULL
           WHERE staff.revoked IS NOT NULL`,
          name,
          role,
          tokenHash,
          time,
        ),
      ]);
      if (changes[1] !== 1) throw createError("STAFF_EXISTS", name);
    },

    async listStaff() {
      return (await db.all<StaffRow>("SELECT name, role, created, revoked FROM staff ORDER BY name")).map(toStaff);
    },

    async revokeStaff(name, time) {
      const changes = await db.batch([
        auditInsert(time, "cli", "staff.revoke", name, {}, "EXISTS (SELECT 1 FROM staff WHERE name = ? AND revoked IS NULL)", [name]),
        sql("UPDATE staff SET revoked = ? WHERE name = ? AND revoked IS NULL", time, name),
      ]);
      return changes[1] === 1;
    },

    async staffByTokenHash(tokenHash) {
      const row = await db.first<StaffRow>("SELECT name, role, created, revoked FROM staff WHERE token_hash = ? AND revoked IS NULL", [tokenHash]);
      return row ? toStaff(row) : undefined;
    },

    async createCurated(content, author, time): Promise<CuratedRef> {
      const id = newCuratedId();
      await db.batch([
        auditInsert(time, author, "curated.create", id, { version: 1, questions: content.questions, citations: content.citations }),
        sql("INSERT INTO curated (id, latest, created) VALUES (?, 1, ?)", id, time),
        sql(
          "INSERT INTO curated_versions (id, version, questions, answer, citations, review_by, status, author, time) VALUES (?, 1, ?, ?, ?, ?, 'live', ?, ?)",
          id,
          JSON.stringify(content.questions),
          content.answer,
          JSON.stringify(content.citations),
          content.reviewBy ?? null,
          author,
          time,
        ),
      ]);
      return { id, version: 1 };
    },

    updateCurated(id, expected, content, author, time) {
      return writeVersion(id, expected, content, "live", "curated.update", author, time, {});
    },

    async revertCurated(id, version, expected, author, time) {
      const target = await getCuratedVersion(id, version);
      if (!target) return { ok: false, reason: "not-found" };
      return writeVersion(id, expected, contentOf(target), "live", "curated.revert", author, time, { revertedTo: version });
    },

    async retireCurated(id, expected, author, time) {
      const current = await getCurated(id);
      if (!current) return { ok: false, reason: "not-found" };
      return writeVersion(id, expected, contentOf(current), "retired", "curated.retire", author, time, {});
    },

    getCurated,
    getCuratedVersion,

    async listCurated() {
      const rows = await db.all<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM curated c JOIN curated_versions v ON v.id = c.id AND v.version = c.latest ORDER BY v.time DESC, v.id`);
      return rows.map(toVersion);
    },

    async curatedHistory(id) {
      return (await db.all<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM curated_versions v WHERE v.id = ? ORDER BY v.version`, [id])).map(toVersion);
    },

    async liveCurated(today): Promise<LiveCurated> {
      const rows = await db.all<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM curated c JOIN curated_versions v ON v.id = c.id AND v.version = c.latest WHERE v.status = 'live' ORDER BY v.time DESC, v.id`);
      const all = rows.map(toVersion);
      // YYYY-MM-DD strings compare as dates; an answer is still served on its reviewBy day.
      return { live: all.filter((v) => !v.reviewBy || v.reviewBy >= today), needsReview: all.filter((v) => v.reviewBy !== undefined && v.reviewBy < today) };
    },

    async listAudit(query) {
      const { where, params } = range(query);
      const rows = await db.all<AuditRow>(`SELECT seq, time, actor, action, target, detail FROM audit_log ${where} ORDER BY seq DESC LIMIT ?`, [...params, query?.limit ?? DEFAULT_LIMIT]);
      return rows.map((r): AuditEntry => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    },

    logQuestion(entry: QuestionLogEntry) {
      pendingQuestions.push(entry);
      pendingFlush ??= new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          const entries = pendingQuestions;
          pendingQuestions = [];
          pendingFlush = undefined;
          db.batch(entries.map(questionInsert), { relaxed: true }).then(() => resolve(), reject);
        }, 0);
      });
      return pendingFlush;
    },

    async listQuestions(query) {
      const { where, params } = range(query, "q.time");
      const rows = await db.all<QuestionRow>(
        `SELECT * FROM (
           SELECT q.seq, q.time, q.channel, q.question, q.mode, q.grounded, q.refusal, q.confidence, q.top_passages, q.answer_id,
             (SELECT COUNT(*) FROM feedback f WHERE f.answer_id = q.answer_id AND f.rating = 'up') AS up,
             (SELECT COUNT(*) FROM feedback f WHERE f.answer_id = q.answer_id AND f.rating = 'down') AS down
           FROM question_log q ${where} ORDER BY q.time DESC, q.seq DESC LIMIT ?
         ) ORDER BY time, seq`,
        [...params, query?.limit ?? DEFAULT_LIMIT],
      );
      return rows.map(toQuestion);
    },

    async append(record) {
      await db.batch([feedbackInsert(maskFeedback(record))]);
    },

    async listFeedback(query) {
      const { where, params } = range(query);
      const rows = await db.all<FeedbackRow>(`SELECT time, answer_id, rating, comment, question, answer, build_id FROM feedback ${where} ORDER BY time, seq LIMIT ?`, [...params, query?.limit ?? DEFAULT_LIMIT]);
      return rows.map(toFeedback);
    },

    async purgeBefore(before): Promise<PurgeResult> {
      const [questions = 0, feedback = 0] = await db.batch([sql("DELETE FROM question_log WHERE time < ?", before), sql("DELETE FROM feedback WHERE time < ?", before)]);
      return { questions, feedback };
    },

    async getMeta(key) {
      return (await db.first<{ value: string }>("SELECT value FROM meta WHERE key = ?", [key]))?.value;
    },

    async importFeedback(records, metaKey, metaValue) {
      await db.batch([...records.map((r) => feedbackInsert(maskFeedback(r))), sql("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", metaKey, metaValue)]);
    },

    async close() {
      await pendingFlush?.catch(() => {});
      await db.close();
    },
  };
}
