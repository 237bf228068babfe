import type { ChatTurn } from "../../answer/types.js";
import { problem } from "../problem.js";
import { HISTORY_TURN_CHARS_MAX, HISTORY_TURNS_MAX, chatRequestSchema, firstIssue, openAIChatRequestSchema } from "../schemas.js";
import { streamAnswer, type AnswerEventFormat } from "../sse.js";
import type { ApiAnswer } from "../stream.js";
import type { RouteContext } from "./route-context.js";

export const OPENAI_MODEL_ID = "edu-policy-assistant";

/** OpenAI's chat.completion.chunk events, the citations on the first chunk, `[DONE]` last (after an error too). */
function openAIEvents(created: number): AnswerEventFormat {
  const chunk = (answer: ApiAnswer, delta: object, finish: string | null, extra: object = {}) => ({
    data: JSON.stringify({ id: `chatcmpl-${answer.answerId}`, object: "chat.completion.chunk", created, model: OPENAI_MODEL_ID, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra }),
  });
  return {
    start: (answer) => [chunk(answer, { role: "assistant", content: "" }, null, { citations: answer.citations, grounded: answer.grounded })],
    delta: (text, answer) => chunk(answer, { content: text }, null),
    end: (answer) => [chunk(answer, {}, "stop"), { data: "[DONE]" }],
    error: (problemJson) => {
      const body = JSON.parse(problemJson) as { title: string; detail: string; status: number };
      return [{ data: JSON.stringify({ error: { message: body.detail, type: body.title, code: body.status } }) }, { data: "[DONE]" }];
    },
  };
}

/**
 * POST /v1/chat/completions, so OpenAI SDKs and chat front ends can use the assistant. The last user
 * message is the question and earlier user/assistant turns are the history (the latest 10, each cut
 * to 2,000 characters: SDK clients resend whole conversations, so trimming beats rejecting). System
 * and developer messages are ignored: they must not change how answers are grounded. The sources are
 * in the content's 来源 footer and, as an extension, in a top-level `citations` array.
 */
export function openAIRoutes({ app, service }: RouteContext): void {
  app.get("/v1/models", (c) =>
    c.json({ object: "list", data: [{ id: OPENAI_MODEL_ID, object: "model", created: 0, owned_by: "education-bureau" }] }),
  );

  app.post("/v1/chat/completions", async (c) => {
    const limited = service.limit(c, "answer");
    if (limited) return limited;
    const parsed = openAIChatRequestSchema.safeParse(await service.readJson(c));
    if (!parsed.success) return problem(c, 400, "BAD_REQUEST", firstIssue(parsed.error));
    const turns = parsed.data.messages.filter((m) => m.role === "user" || m.role === "assistant");
    const last = turns.at(-1);
    if (!last || last.role !== "user") return problem(c, 400, "BAD_REQUEST", "最后一条消息必须是 user 提问");
    const history: ChatTurn[] = turns
      .slice(0, -1)
      .slice(-HISTORY_TURNS_MAX)
      .map((m) => ({ role: m.role as ChatTurn["role"], content: (m.content ?? "").slice(0, HISTORY_TURN_CHARS_MAX) }));
    // The same validation as /api/chat (length, control characters).
    const checked = chatRequestSchema.safeParse({ question: last.content ?? "", history });
    if (!checked.success) return problem(c, 400, "BAD_REQUEST", firstIssue(checked.error));
    const { question } = checked.data;
    const created = Math.floor(Date.now() / 1000);

    if (parsed.data.stream) return streamAnswer(c, service, question, checked.data.history ?? [], openAIEvents(created));
    const answer = await service.answer(c, question, checked.data.history ?? [], c.req.raw.signal);
    return c.json({
      id: `chatcmpl-${answer.answerId}`,
      object: "chat.completion",
      created,
      model: OPENAI_MODEL_ID,
      choices: [{ index: 0, message: { role: "assistant", content: answer.answer }, finish_reason: "stop", logprobs: null }],
      usage: { prompt_tokens: question.length, completion_tokens: answer.answer.length, total_tokens: question.length + answer.answer.length },
      citations: answer.citations,
      grounded: answer.grounded,
    });
  });
}
