import type { AnswerBody, PassageBody } from "../../core/http/schemas.js";
import type { ChatTurn } from "../../core/answer/types.js";
import { SseParser } from "./sse.js";

// Type-only imports from the core (erased by esbuild): the widget reads exactly what the API sends.
export type { Citation, ChatTurn } from "../../core/answer/types.js";
/** The SSE `meta` event: the answer object without its text. */
export type ChatMeta = Omit<AnswerBody, "answer">;
export type Passage = PassageBody;

export type ChatFailure = "network" | "rate-limited" | "too-long" | "bad-request" | "server" | "interrupted" | "timeout";

/** A failed request, classified for the user; `detail` is the server's Chinese message when it sent one. */
export class ChatError extends Error {
  constructor(
    readonly kind: ChatFailure,
    readonly detail?: string,
    readonly retryAfter?: number,
  ) {
    super(kind);
  }
}

export interface StreamHandlers {
  onMeta(meta: ChatMeta): void;
  onDelta(text: string): void;
}

const REQUEST_TIMEOUT_MS = 90_000;

/** Turns a non-2xx response (an application/problem+json body, usually) into a ChatError. */
async function failure(response: Response): Promise<ChatError> {
  let detail: string | undefined;
  let title: string | undefined;
  try {
    const body = (await response.json()) as { detail?: unknown; title?: unknown };
    if (typeof body.detail === "string") detail = body.detail;
    if (typeof body.title === "string") title = body.title;
  } catch {
    // Not JSON (a proxy's error page): the status alone decides.
  }
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after"));
    return new ChatError("rate-limited", detail, Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined);
  }
  if (response.status === 413 || title === "QUESTION_TOO_LONG" || title === "PAYLOAD_TOO_LARGE") return new ChatError("too-long", detail);
  if (response.status >= 400 && response.status < 500) return new ChatError("bad-request", detail);
  return new ChatError("server", detail);
}

/** fetch with a deadline, mapping transport failures to ChatError. */
async function request(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new ChatError("timeout")), REQUEST_TIMEOUT_MS);
  const forward = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", forward, { once: true });
  try {
    const response = await fetch(url, { ...init, signal: controller.signal, credentials: "omit" });
    if (!response.ok) throw await failure(response);
    return response;
  } catch (error) {
    throw toChatError(error, controller.signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", forward);
  }
}

function toChatError(error: unknown, signal?: AbortSignal): unknown {
  if (error instanceof ChatError) return error;
  if (signal?.reason instanceof ChatError) return signal.reason;
  if (error instanceof DOMException && error.name === "AbortError") return error;
  return new ChatError("network");
}

/**
 * Asks a question with a streamed answer (SSE over a POST). Resolves when `done` arrives; rejects
 * with a ChatError on any failure, including a stream that ends without `done`.
 */
export async function askStreaming(api: string, question: string, history: ChatTurn[], handlers: StreamHandlers, signal?: AbortSignal): Promise<void> {
  const response = await request(
    `${api}/api/chat`,
    {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ question, history, stream: true, channel: "widget" }),
    },
    signal,
  );
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("text/event-stream")) {
    // A server that answers in one piece is still understood.
    const body = (await response.json()) as ChatMeta & { answer: string };
    handlers.onMeta(body);
    handlers.onDelta(body.answer);
    return;
  }
  if (!response.body) throw new ChatError("interrupted");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const event of parser.push(value)) {
        const data = JSON.parse(event.data) as Record<string, unknown>;
        if (event.event === "meta") handlers.onMeta(data as unknown as ChatMeta);
        else if (event.event === "delta") handlers.onDelta(String(data.text ?? ""));
        else if (event.event === "done") return;
        else if (event.event === "error") {
          const status = Number(data.status);
          throw new ChatError(status === 429 ? "rate-limited" : "interrupted", typeof data.detail === "string" ? data.detail : undefined);
        }
      }
    }
  } catch (error) {
    // Once the stream has begun, any failure (a dropped connection, a garbled event) is an interruption.
    if (error instanceof ChatError || signal?.aborted) throw error;
    throw new ChatError("interrupted");
  } finally {
    reader.cancel().catch(() => undefined);
  }
  throw new ChatError("interrupted");
}

/** The full text of a cited passage. */
export async function fetchPassage(api: string, passageId: string, signal?: AbortSignal): Promise<Passage> {
  const response = await request(`${api}/api/passages/${encodeURIComponent(passageId)}`, { headers: { accept: "application/json" } }, signal);
  return (await response.json()) as Passage;
}

/** Posts 👍/👎 (and an optional comment) for an answer. */
export async function sendFeedback(api: string, answerId: string, rating: "up" | "down", comment?: string): Promise<void> {
  await request(`${api}/api/feedback`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ answerId, rating, ...(comment ? { comment } : {}) }),
  });
}
