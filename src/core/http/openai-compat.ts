import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { ChatTurn } from "../answer/types.js";
import { HISTORY_TURN_CHARS_MAX, HISTORY_TURNS_MAX, chatRequestSchema, firstIssue, openAIChatRequestSchema } from "./schemas.js";
import type { AnswerService } from "./app.js";
import { problem, problemFromError } from "./problem.js";
import { answerDeltas } from "./stream.js";

export const OPENAI_MODEL_ID = "edu-policy-assistant";

/**
 * POST /v1/chat/completions, so OpenAI SDKs and chat front ends can use the assistant. The last user
 * message is the question and earlier user/assistant turns are the history (the latest 10, each cut
 * to 2,000 characters: SDK clients resend whole conversations, so trimming beats rejecting). System
 * and developer messages are ignored: they must not change how answers are grounded. The sources are
 * in the content's 来源 footer and, as an extension, in a top-level `citations` array.
 */
export function openAIRoutes(service: AnswerService): Hono {
  const routes = new Hono();

  routes.get("/models", (c) =>
    c.json({ object: "list", data: [{ id: OPENAI_MODEL_ID, object: "model", created: 0, owned_by: "education-bureau" }] }),
  );

  routes.post("/chat/completions", async (c) => {
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
    const model = OPENAI_MODEL_ID;

    if (!parsed.data.stream) {
      const answer = await service.answer(c, question, checked.data.history ?? [], c.req.raw.signal);
      return c.json({
        id: `chatcmpl-${answer.answerId}`,
        object: "chat.completion",
        created,
        model,
        choices: [{ index: 0, message: { role: "assistant", content: answer.answer }, finish_reason: "stop", logprobs: null }],
        usage: { prompt_tokens: question.length, completion_tokens: answer.answer.length, total_tokens: question.length + answer.answer.length },
        citations: answer.citations,
        grounded: answer.grounded,
      });
    }

    service.ensureReady(); // fail with a status code before the stream starts when nothing is loaded
    return streamSSE(c, async (sse) => {
      const abort = new AbortController();
      sse.onAbort(() => abort.abort(new Error("client disconnected")));
      try {
        const answer = await service.answer(c, question, checked.data.history ?? [], AbortSignal.any([abort.signal, c.req.raw.signal]));
        const id = `chatcmpl-${answer.answerId}`;
        const chunk = (delta: object, finish: string | null, extra: object = {}) =>
          sse.writeSSE({ data: JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra }) });
        await chunk({ role: "assistant", content: "" }, null, { citations: answer.citations, grounded: answer.grounded });
        for (const piece of answerDeltas(answer.answer)) {
          if (sse.aborted) return;
          await chunk({ content: piece }, null);
        }
        await chunk({}, "stop");
        await sse.writeSSE({ data: "[DONE]" });
      } catch (error) {
        if (abort.signal.aborted || sse.aborted) return;
        const body = (await problemFromError(c, error).json()) as { title: string; detail: string; status: number };
        await sse.writeSSE({ data: JSON.stringify({ error: { message: body.detail, type: body.title, code: body.status } }) });
        await sse.writeSSE({ data: "[DONE]" });
      }
    });
  });

  return routes;
}
