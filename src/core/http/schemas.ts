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
  /** Where the question was asked (the question log's channel); anything else is "api". */
  channel: z.enum(["widget", "api", "console"], { error: "channel 只能是 widget、api 或 console" }).optional(),
  stream: z.boolean().optional(),
});

export const searchQuerySchema = z.object({
  q: z.string().transform(clean).pipe(z.string().min(1, "请输入检索词").max(QUESTION_MAX, `检索词过长，请控制在 ${QUESTION_MAX} 字以内`)),
  k: z.coerce.number().int("k 必须是整数").min(1, "k 至少为 1").max(50, "k 最多为 50").default(5),
  year: z.coerce.number().int("year 必须是年份").min(1900).max(2100).optional(),
  kind: z.string().trim().min(1).max(20).optional(),
  /** debug=1: the analysed question (terms, expansions, attribute, places, scope) with the results. */
  debug: z.enum(["0", "1", "true", "false"], { error: "debug 只能是 1 或 0" }).optional(),
});

const TYPE_NAMES: Record<string, string> = { string: "字符串", number: "数字", int: "整数", boolean: "布尔值", object: "对象", array: "数组" };

/** The first validation message, for the problem `detail` (always Chinese: zod's own defaults are English). */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "请求格式不正确";
  if (/[\u3400-\u9fff]/.test(issue.message)) return issue.message;
  const field = issue.path.join(".") || "请求体";
  if (issue.code === "invalid_type") return `${field} 类型不正确，应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  if (issue.code === "too_big") return `${field} 超出允许范围`;
  if (issue.code === "too_small") return `${field} 低于允许范围`;
  return `${field} 格式不正确`;
}

export const COMMENT_MAX = 1000;

export const feedbackRequestSchema = z.object({
  answerId: z.string({ error: "answerId 必须是字符串" }).regex(/^[A-Za-z0-9_-]{8,64}$/, "answerId 格式不正确"),
  rating: z.enum(["up", "down"], { error: "rating 只能是 up 或 down" }),
  comment: z
    .string({ error: "comment 必须是字符串" })
    .transform(clean)
    .pipe(z.string().max(COMMENT_MAX, `意见请控制在 ${COMMENT_MAX} 字以内`))
    .optional(),
});

/** OpenAI chat content: a string or an array of parts, of which only text parts are read. */
const openAIContent = z.union(
  [
    z.string(),
    z
      .array(z.object({ type: z.string(), text: z.string().optional() }).loose())
      .max(50)
      .transform((parts) => parts.filter((p) => p.type === "text").map((p) => p.text ?? "").join("\n")),
    z.null().transform(() => ""),
  ],
  { error: "content 必须是字符串或文本片段数组" },
);

export const openAIChatRequestSchema = z
  .object({
    model: z.string().max(200).optional(),
    messages: z
      .array(
        z
          .object({
            role: z.enum(["system", "developer", "user", "assistant", "tool"], { error: "role 只能是 system、developer、user、assistant 或 tool" }),
            content: openAIContent.optional(),
          })
          .loose(),
        { error: "messages 必须是数组" },
      )
      .min(1, "messages 不能为空")
      .max(100, "messages 最多 100 条"),
    stream: z.boolean().optional(),
  })
  .loose();

// Response shapes: documented in /openapi.json (the handlers build these objects directly).
const citationSchema = z.object({
  n: z.number().int(),
  passageId: z.string(),
  docId: z.string(),
  title: z.string(),
  year: z.number().int().nullable(),
  section: z.string(),
  quote: z.string(),
});

export const answerResponseSchema = z.object({
  answerId: z.string(),
  answer: z.string().describe("问答手册体的回答，含引用标记 [n] 与末尾“来源”行"),
  grounded: z.boolean().describe("false 表示拒答或资料中没有答案"),
  citations: z.array(citationSchema),
  mode: z.enum(["extractive", "llm", "official", "curated"]),
  script: z.enum(["Hans", "Hant"]).describe("回答所用字形：Hans 简体，Hant 繁体（随提问）"),
});

export const passageResponseSchema = z.object({
  passageId: z.string(),
  docId: z.string(),
  title: z.string(),
  year: z.number().int().nullable(),
  section: z.string(),
  text: z.string(),
});

export const searchResponseSchema = z.object({ results: z.array(passageResponseSchema.extend({ score: z.number() })) });

const documentSchema = z
  .object({ id: z.string(), title: z.string(), year: z.number().int().optional(), kind: z.string().optional(), passages: z.number().int() })
  .loose();
export const documentResponseSchema = documentSchema;
export const documentsResponseSchema = z.object({ documents: z.array(documentSchema) });

export const problemSchema = z.object({
  type: z.string(),
  title: z.string().describe("错误代码，如 RATE_LIMITED"),
  status: z.number().int(),
  detail: z.string().describe("可直接展示给用户的中文说明"),
});

/** Response bodies as clients (the widget, the console, the contract tests) see them. */
export type AnswerBody = z.infer<typeof answerResponseSchema>;
export type SearchResultBody = z.infer<typeof searchResponseSchema>["results"][number];
export type PassageBody = z.infer<typeof passageResponseSchema>;
export type DocumentBody = z.infer<typeof documentResponseSchema>;
