import { z } from "zod";

// C0/C1 control characters except tab and newline are stripped from user text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const clean = (s: string) => s.replace(CONTROL, "").trim();

export const QUESTION_MAX = 500;
export const HISTORY_TURNS_MAX = 10;
export const HISTORY_TURN_CHARS_MAX = 2000;

export const chatRequestSchema = z.object({
  question: z
    .string({ error: "question 必须是字符串" })
    .transform(clean)
    .pipe(z.string().min(1, "问题不能为空").max(QUESTION_MAX, `问题过长，请控制在 ${QUESTION_MAX} 字以内`)),
  history: z
    .array(
      z.object({
        role: z.enum(["user", "assistant"], { error: "role 只能是 user 或 assistant" }),
        content: z.string().transform(clean).pipe(z.string().max(HISTORY_TURN_CHARS_MAX, `每轮对话不能超过 ${HISTORY_TURN_CHARS_MAX} 字`)),
      }),
      { error: "history 必须是数组" },
    )
    .max(HISTORY_TURNS_MAX, `对话历史最多 ${HISTORY_TURNS_MAX} 轮`)
    .optional(),
  stream: z.boolean().optional(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const searchQuerySchema = z.object({
  q: z.string().transform(clean).pipe(z.string().min(1, "请输入检索词").max(QUESTION_MAX, `检索词过长，请控制在 ${QUESTION_MAX} 字以内`)),
  k: z.coerce.number().int("k 必须是整数").min(1, "k 至少为 1").max(50, "k 最多为 50").default(5),
  year: z.coerce.number().int("year 必须是年份").min(1900).max(2100).optional(),
  kind: z.string().trim().min(1).max(20).optional(),
});

/** The first validation message, for the problem `detail`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "请求格式不正确";
  const path = issue.path.join(".");
  return path && !/[\u3400-\u9fff]/.test(issue.message) ? `${path}：${issue.message}` : issue.message;
}
