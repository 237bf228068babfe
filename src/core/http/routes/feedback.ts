import { createError } from "../../errors.js";
import { maskPersonalNumbers } from "../../text/mask-pii.js";
import { problem } from "../problem.js";
import { feedbackRequestSchema, firstIssue } from "../schemas.js";
import type { RouteContext } from "./route-context.js";

/** POST /api/feedback: stored (with the rated question and answer when this process gave it) before the 201. */
export function feedbackRoutes({ app, deps, service, metrics }: RouteContext): void {
  app.post("/api/feedback", async (c) => {
    const limited = service.limit(c, "feedback");
    if (limited) return limited;
    const parsed = feedbackRequestSchema.safeParse(await service.readJson(c));
    if (!parsed.success) return problem(c, 400, "BAD_REQUEST", firstIssue(parsed.error));
    const { answerId, rating, comment } = parsed.data;
    const context = service.answered(answerId);
    const record = {
      time: new Date().toISOString(),
      answerId,
      rating,
      ...(comment ? { comment: maskPersonalNumbers(comment) } : {}),
      ...(context ? { question: maskPersonalNumbers(context.question), answer: context.answer, buildId: context.buildId } : {}),
    };
    if (!deps.feedback) throw createError("NOT_READY", "反馈存储未配置");
    await deps.feedback.append(record);
    metrics.feedback.inc({ rating });
    c.get("log").info({ answerId, rating, known: Boolean(context) }, "feedback");
    return c.json({ ok: true }, 201);
  });
}
