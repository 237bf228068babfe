import { problem } from "../problem.js";
import { chatRequestSchema, firstIssue } from "../schemas.js";
import { streamAnswer, type AnswerEventFormat } from "../sse.js";
import type { RouteContext } from "./route-context.js";

/** /api/chat's events: `meta` (answerId, citations, mode, script, grounded) → `delta` {text}… → `done`; `error` carries the problem object. */
const CHAT_EVENTS: AnswerEventFormat = {
  start: ({ answer: _text, answerId, ...meta }) => [{ event: "meta", data: JSON.stringify({ answerId, ...meta }) }],
  delta: (text) => ({ event: "delta", data: JSON.stringify({ text }) }),
  end: ({ answerId }) => [{ event: "done", data: JSON.stringify({ answerId }) }],
  error: (problemJson) => [{ event: "error", data: problemJson }],
};

/** POST /api/chat: the answer object, or its SSE stream (`"stream": true` or `Accept: text/event-stream`). */
export function chatRoutes({ app, service }: RouteContext): void {
  app.post("/api/chat", async (c) => {
    const limited = service.limit(c, "answer");
    if (limited) return limited;
    const parsed = chatRequestSchema.safeParse(await service.readJson(c));
    if (!parsed.success) return problem(c, 400, "BAD_REQUEST", firstIssue(parsed.error));
    const { question, history = [], stream, channel = "api" } = parsed.data;
    c.set("channel", channel);
    const wantsStream = stream ?? /\btext\/event-stream\b/i.test(c.req.header("accept") ?? "");
    if (!wantsStream) return c.json(await service.answer(c, question, history, c.req.raw.signal));
    return streamAnswer(c, service, question, history, CHAT_EVENTS);
  });
}
