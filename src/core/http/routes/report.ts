import { Hono } from "hono";
import { z } from "zod";
import { createError } from "../../errors.js";
import { BUREAU_UTC_OFFSET_MINUTES, dayRange, isCalendarDate } from "../../store/date-range.js";
import { clusterQuestions, clustersToCsv, selectQuestions, type QuestionTerms } from "../../store/question-clusters.js";
import type { AssistantStore } from "../../store/types.js";
import { parseOrThrow, staffErrorHandler } from "./curated.js";
import { staffAuth, type StaffEnv } from "./staff-auth.js";

export interface ReportRoutesDeps {
  store: AssistantStore;
  /** Weighted terms of a question: the question analysis the answer path uses, so clusters follow meaning, not spelling. */
  questionTerms: QuestionTerms;
  /** Cosine threshold for joining a cluster (default DEFAULT_CLUSTER_THRESHOLD). */
  clusterThreshold?: number;
  utcOffsetMinutes?: number;
}

/** Most questions one report clusters (the newest are kept). */
export const REPORT_QUESTIONS_MAX = 20_000;

const reportQuerySchema = z.object({
  kind: z.enum(["unanswered", "disliked", "all"], { error: "kind 只能是 unanswered、disliked 或 all" }).default("unanswered"),
  from: z.string().refine(isCalendarDate, "from 日期格式不正确，应为 YYYY-MM-DD").optional(),
  to: z.string().refine(isCalendarDate, "to 日期格式不正确，应为 YYYY-MM-DD").optional(),
  format: z.enum(["json", "csv"], { error: "format 只能是 json 或 csv" }).default("json"),
});

/**
 * What people asked, for staff (`app.route("/", reportRoutes(deps))`): GET /api/report/questions
 * clusters the logged questions of a period — unanswered, rated 👎, or all — largest cluster first,
 * as JSON or as a CSV that Excel opens; GET /api/report/log lists the logged questions themselves.
 * Both need an editor's token.
 */
export function reportRoutes(deps: ReportRoutesDeps): Hono<StaffEnv> {
  const offset = deps.utcOffsetMinutes ?? BUREAU_UTC_OFFSET_MINUTES;
  const app = new Hono<StaffEnv>();
  app.onError(staffErrorHandler);

  // Local time without seconds, as staff read it in a spreadsheet: 2026-12-04 09:30.
  const localTime = (iso: string) => new Date(Date.parse(iso) + offset * 60_000).toISOString().slice(0, 16).replace("T", " ");

  app.get("/api/report/questions", staffAuth(deps.store, "editor"), async (c) => {
    const query = parseOrThrow(reportQuerySchema, c.req.query());
    if (query.from && query.to && query.from > query.to) throw createError("BAD_REQUEST", "from 不能晚于 to");
    const logged = await deps.store.listQuestions({ ...dayRange(query.from, query.to, offset), limit: REPORT_QUESTIONS_MAX });
    const clusters = clusterQuestions(selectQuestions(logged, query.kind), deps.questionTerms, deps.clusterThreshold !== undefined ? { threshold: deps.clusterThreshold } : {});
    if (query.format === "csv") {
      const name = `questions-${query.kind}${query.from ? `-${query.from}` : ""}${query.to ? `-${query.to}` : ""}.csv`;
      return c.body(clustersToCsv(clusters, localTime), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` });
    }
    return c.json({ kind: query.kind, from: query.from ?? null, to: query.to ?? null, questions: selectQuestions(logged, query.kind).length, clusters });
  });

  const logQuerySchema = z.object({
    from: z.string().refine(isCalendarDate, "from 日期格式不正确，应为 YYYY-MM-DD").optional(),
    to: z.string().refine(isCalendarDate, "to 日期格式不正确，应为 YYYY-MM-DD").optional(),
    limit: z.coerce.number().int("limit 必须是整数").min(1, "limit 至少为 1").max(REPORT_QUESTIONS_MAX, `limit 最多为 ${REPORT_QUESTIONS_MAX}`).default(500),
  });

  // The log itself (masked as stored), newest `limit` of the period, oldest first.
  app.get("/api/report/log", staffAuth(deps.store, "editor"), async (c) => {
    const query = parseOrThrow(logQuerySchema, c.req.query());
    return c.json({ questions: await deps.store.listQuestions({ ...dayRange(query.from, query.to, offset), limit: query.limit }) });
  });

  return app;
}
