import { Hono, type Context } from "hono";
import { z } from "zod";
import { verifyFigures as defaultVerifyFigures, type FigureSource, type VerificationResult } from "../../answer/verify.js";
import { createError } from "../../errors.js";
import { dayRange, isCalendarDate, localDay, BUREAU_UTC_OFFSET_MINUTES } from "../../store/date-range.js";
import { isBusyError } from "../../store/sql.js";
import type { AssistantStore, CuratedContent, CuratedVersion, CuratedWrite } from "../../store/types.js";
import { foldForMatching } from "../../text/fold.js";
import { problemFromError } from "../problem.js";
import { firstIssue } from "../schemas.js";
import { staffAuth, type StaffEnv } from "./staff-auth.js";

/** A passage as a curated answer cites it: its text and where it sits, for the figure check. */
export interface CitablePassage {
  text: string;
  folded: string;
  headingPath: string[];
  /** Year of its document, when known. */
  year?: number;
}

export interface CuratedRoutesDeps {
  store: AssistantStore;
  /** The passage with this id in the loaded index, or undefined. */
  passageById(id: string): CitablePassage | undefined | Promise<CitablePassage | undefined>;
  /** The figure check every composed answer goes through (src/core/answer/verify.ts). */
  verifyFigures?: (answer: string, sources: FigureSource[]) => VerificationResult;
  now?: () => Date;
  /** Offset of the bureau's local time, for reviewBy and the audit log's date filter (default UTC+8). */
  utcOffsetMinutes?: number;
}

export const CURATED_ANSWER_MAX = 2000;
export const CURATED_QUESTION_MAX = 200;
export const CURATED_QUESTIONS_MAX = 20;
export const CURATED_CITATIONS_MAX = 10;
const BODY_LIMIT = 32 * 1024;

// C0/C1 control characters except tab and newline are stripped; markup is kept as the text it is
// (it is stored verbatim and every client renders answers as text).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const clean = (s: string) => s.replace(CONTROL, "").trim();

const questionsSchema = z
  .array(
    z
      .string({ error: "questions 的每一项必须是字符串" })
      .transform(clean)
      .pipe(z.string().min(1, "问题不能为空").max(CURATED_QUESTION_MAX, `每个问题请控制在 ${CURATED_QUESTION_MAX} 字以内`)),
    { error: "questions 必须是字符串数组" },
  )
  .min(1, "至少需要一个问题")
  .max(CURATED_QUESTIONS_MAX, `问题最多 ${CURATED_QUESTIONS_MAX} 个`)
  .transform((qs) => [...new Set(qs)]);
const answerSchema = z
  .string({ error: "answer 必须是字符串" })
  .transform(clean)
  .pipe(z.string().min(1, "答案不能为空").max(CURATED_ANSWER_MAX, `答案过长，请控制在 ${CURATED_ANSWER_MAX} 字以内`));
const citationsSchema = z
  .array(z.string({ error: "citations 的每一项必须是段落编号" }).min(1, "段落编号不能为空").max(200, "段落编号过长"), { error: "citations 必须是段落编号数组" })
  .min(1, "至少需要引用一个段落")
  .max(CURATED_CITATIONS_MAX, `引用最多 ${CURATED_CITATIONS_MAX} 个段落`)
  .transform((ids) => [...new Set(ids)]);
const reviewBySchema = z.string({ error: "reviewBy 必须是日期字符串" }).refine(isCalendarDate, "reviewBy 日期格式不正确，应为 YYYY-MM-DD");
const versionSchema = z.number({ error: "version 必须是整数" }).int("version 必须是整数").min(1, "version 至少为 1").max(1_000_000, "version 超出范围");

const createSchema = z.strictObject({ questions: questionsSchema, answer: answerSchema, citations: citationsSchema, reviewBy: reviewBySchema.optional() }, { error: "请求体必须是对象" });
const updateSchema = z.strictObject(
  { version: versionSchema, questions: questionsSchema.optional(), answer: answerSchema.optional(), citations: citationsSchema.optional(), reviewBy: reviewBySchema.nullable().optional() },
  { error: "请求体必须是对象" },
);
const checkSchema = z.strictObject({ answer: answerSchema, citations: citationsSchema }, { error: "请求体必须是对象" });
const revertSchema = z.strictObject({ version: versionSchema }, { error: "请求体必须是对象" });
const dayQuerySchema = z.object({
  from: z.string().refine(isCalendarDate, "from 日期格式不正确，应为 YYYY-MM-DD").optional(),
  to: z.string().refine(isCalendarDate, "to 日期格式不正确，应为 YYYY-MM-DD").optional(),
  limit: z.coerce.number().int("limit 必须是整数").min(1, "limit 至少为 1").max(10_000, "limit 最多为 10000").optional(),
});
const ID = /^ca-[a-z0-9]{12}$/;

/** Parses a zod schema or throws BAD_REQUEST with the first issue in Chinese. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw createError("BAD_REQUEST", firstIssue(parsed.error));
  return parsed.data;
}

/**
 * The JSON body, within 32 KB. Under the main app a POST body has already been read (and limited)
 * into `c.var.body`; PUT bodies, and every body when the sub-app runs alone, are read here.
 */
async function readJson(c: Context<StaffEnv>): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) throw createError("UNSUPPORTED_MEDIA_TYPE", type.slice(0, 80));
  let bytes = c.get("body");
  if (!bytes) {
    const declared = Number(c.req.header("content-length") ?? 0);
    if (declared > BODY_LIMIT) throw createError("PAYLOAD_TOO_LARGE", "32 KB");
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = c.req.raw.body?.getReader();
    for (;;) {
      const part = reader ? await reader.read().catch(() => ({ done: true as const, value: undefined })) : { done: true as const, value: undefined };
      if (part.done) break;
      size += part.value.byteLength;
      if (size > BODY_LIMIT) {
        void reader?.cancel().catch(() => {});
        throw createError("PAYLOAD_TOO_LARGE", "32 KB");
      }
      chunks.push(part.value);
    }
    bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw createError("MALFORMED_JSON");
  }
}

/** Maps thrown errors of a staff sub-app to problem responses; a locked database is a 503, not a 500. */
export function staffErrorHandler(error: Error, c: Context): Response {
  return problemFromError(c, isBusyError(error) ? createError("STORE_BUSY", "", { cause: error }) : error);
}

/** The figure-check view of a passage: its text with its headings and year, as the answerer checks. */
function figureSource(p: CitablePassage): FigureSource {
  return { folded: `${p.folded} ${foldForMatching(p.headingPath.join(" "))} ${p.year ?? ""}年` };
}

interface FigureCheck {
  missingCitations: string[];
  unsupported: string[];
  checked: number;
}

/**
 * Curated answers for hotline staff, mounted under the main app (`app.route("/", curatedRoutes(deps))`):
 * editors write and read answers; admins also read the audit log. Every write is checked first —
 * each citation must be a passage of the loaded index and each figure in the answer must be in a
 * cited passage — so a rejected request writes nothing, and every accepted one is one atomic batch.
 */
export function curatedRoutes(deps: CuratedRoutesDeps): Hono<StaffEnv> {
  const { store } = deps;
  const verify = deps.verifyFigures ?? defaultVerifyFigures;
  const now = deps.now ?? (() => new Date());
  const offset = deps.utcOffsetMinutes ?? BUREAU_UTC_OFFSET_MINUTES;
  const app = new Hono<StaffEnv>();
  app.onError(staffErrorHandler);

  const check = async (content: Pick<CuratedContent, "answer" | "citations">): Promise<FigureCheck> => {
    const found = await Promise.all(content.citations.map(async (id) => [id, await deps.passageById(id)] as const));
    const missingCitations = found.filter(([, p]) => !p).map(([id]) => id);
    const sources = found.flatMap(([, p]) => (p ? [figureSource(p)] : []));
    const result = verify(content.answer, sources);
    return { missingCitations, unsupported: [...new Set(result.unsupported.map((f) => f.text))], checked: result.checked };
  };
  const assertChecked = async (content: CuratedContent) => {
    const result = await check(content);
    if (result.missingCitations.length) throw createError("CITATION_UNKNOWN", result.missingCitations.join("、").slice(0, 300));
    if (result.unsupported.length) throw createError("FIGURE_UNSUPPORTED", result.unsupported.join("、").slice(0, 200));
  };
  const answered = (c: Context<StaffEnv>, write: CuratedWrite, id: string) => {
    if (write.ok) return c.json(write.ref, 200);
    if (write.reason === "not-found") throw createError("NOT_FOUND", `答案 ${id}`);
    throw createError("VERSION_CONFLICT", `答案已被他人修改，最新版本为 ${write.latest}，请刷新后再编辑`);
  };
  const existing = async (id: string): Promise<CuratedVersion> => {
    const current = ID.test(id) ? await store.getCurated(id) : undefined;
    if (!current) throw createError("NOT_FOUND", `答案 ${id.slice(0, 40)}`);
    return current;
  };
  const view = (v: CuratedVersion, today: string) => ({ ...v, needsReview: v.status === "live" && v.reviewBy !== undefined && v.reviewBy < today });

  const editor = staffAuth(store, "editor");
  const admin = staffAuth(store, "admin");

  app.post("/api/curated/check", editor, async (c) => c.json(await check(parseOrThrow(checkSchema, await readJson(c)))));

  app.post("/api/curated", editor, async (c) => {
    const body = parseOrThrow(createSchema, await readJson(c));
    const content: CuratedContent = { questions: body.questions, answer: body.answer, citations: body.citations, ...(body.reviewBy ? { reviewBy: body.reviewBy } : {}) };
    await assertChecked(content);
    return c.json(await store.createCurated(content, c.var.staff.name, now().toISOString()), 201);
  });

  app.get("/api/curated", editor, async (c) => {
    const today = localDay(now(), offset);
    return c.json({ today, answers: (await store.listCurated()).map((v) => view(v, today)) });
  });

  app.get("/api/curated/:id", editor, async (c) => c.json(view(await existing(c.req.param("id")), localDay(now(), offset))));

  app.put("/api/curated/:id", editor, async (c) => {
    const id = c.req.param("id");
    const body = parseOrThrow(updateSchema, await readJson(c));
    const current = await existing(id);
    // Checked against the version the editor holds before merging: a stale edit is a conflict
    // whatever it changes. The write itself is a compare-and-set, so a race after this is one too.
    if (body.version !== current.version) throw createError("VERSION_CONFLICT", `答案已被他人修改，最新版本为 ${current.version}，请刷新后再编辑`);
    const reviewBy = body.reviewBy === undefined ? current.reviewBy : (body.reviewBy ?? undefined);
    const content: CuratedContent = {
      questions: body.questions ?? current.questions,
      answer: body.answer ?? current.answer,
      citations: body.citations ?? current.citations,
      ...(reviewBy ? { reviewBy } : {}),
    };
    await assertChecked(content);
    return answered(c, await store.updateCurated(id, body.version, content, c.var.staff.name, now().toISOString()), id);
  });

  app.get("/api/curated/:id/history", editor, async (c) => {
    const id = c.req.param("id");
    const versions = ID.test(id) ? await store.curatedHistory(id) : [];
    if (!versions.length) throw createError("NOT_FOUND", `答案 ${id.slice(0, 40)}`);
    return c.json({ id, versions });
  });

  app.post("/api/curated/:id/revert", editor, async (c) => {
    const id = c.req.param("id");
    const { version } = parseOrThrow(revertSchema, await readJson(c));
    const current = await existing(id);
    const target = await store.getCuratedVersion(id, version);
    if (!target) throw createError("NOT_FOUND", `答案 ${id} 的第 ${version} 版`);
    // The index may have changed since that version was written: it must still check out.
    await assertChecked(target);
    return answered(c, await store.revertCurated(id, version, current.version, c.var.staff.name, now().toISOString()), id);
  });

  app.delete("/api/curated/:id", editor, async (c) => {
    const id = c.req.param("id");
    const current = await existing(id);
    if (current.status === "retired") return c.json({ id, version: current.version });
    return answered(c, await store.retireCurated(id, current.version, c.var.staff.name, now().toISOString()), id);
  });

  app.get("/api/audit", admin, async (c) => {
    const query = parseOrThrow(dayQuerySchema, c.req.query());
    const entries = await store.listAudit({ ...dayRange(query.from, query.to, offset), ...(query.limit ? { limit: query.limit } : {}) });
    return c.json({ entries });
  });

  return app;
}
