import type { Context } from "hono";
import { streamSSE, type SSEMessage } from "hono/streaming";
import type { ChatTurn } from "../answer/types.js";
import type { AnswerService } from "./answer-service.js";
import { problemFromError } from "./problem.js";
import { answerDeltas, type ApiAnswer } from "./stream.js";

/** How one streaming API spells an answer as server-sent events (/api/chat's own, OpenAI's chunks). */
export interface AnswerEventFormat {
  /** Events before the text: the answer's metadata (citations, mode…). */
  start(answer: ApiAnswer): SSEMessage[];
  /** One piece of the answer's text. */
  delta(text: string, answer: ApiAnswer): SSEMessage;
  /** Events after the last piece. */
  end(answer: ApiAnswer): SSEMessage[];
  /** A failure after the stream began: the problem object (JSON text) as the format carries it. */
  error(problemJson: string): SSEMessage[];
}

/**
 * Answers a question as a server-sent event stream, for every streaming endpoint: readiness is
 * checked before the stream starts (a 503 keeps its status code), a client that disconnects aborts
 * the work (the signal reaches the answerer and an LLM call), the text goes out in clause-sized
 * deltas, and an error after the first byte becomes the format's error event.
 */
export function streamAnswer(c: Context, service: AnswerService, question: string, history: ChatTurn[], format: AnswerEventFormat): Response {
  service.ready();
  return streamSSE(c, async (sse) => {
    const abort = new AbortController();
    sse.onAbort(() => abort.abort(new Error("client disconnected")));
    try {
      const answer = await service.answer(c, question, history, AbortSignal.any([abort.signal, c.req.raw.signal]));
      for (const message of format.start(answer)) await sse.writeSSE(message);
      for (const piece of answerDeltas(answer.answer)) {
        if (sse.aborted) return;
        await sse.writeSSE(format.delta(piece, answer));
      }
      for (const message of format.end(answer)) await sse.writeSSE(message);
    } catch (error) {
      if (abort.signal.aborted || sse.aborted) return;
      for (const message of format.error(await problemFromError(c, error).text())) await sse.writeSSE(message);
    }
  });
}
