import type { Context } from "hono";
import type { AnswerResult } from "../answer/answerer.js";
import type { ChatTurn } from "../answer/types.js";
import { createError } from "../errors.js";
import { maskPersonalNumbers } from "../text/mask-pii.js";
import { AnswerCache } from "./answer-cache.js";
import { ConcurrencyGate } from "./concurrency.js";
import type { AppDeps, HttpEnv, ServingState } from "./deps.js";
import type { Logger } from "./logger.js";
import type { ServiceMetrics } from "./metrics.js";
import { problemFromError } from "./problem.js";
import { RateLimiter } from "./rate-limit.js";
import type { ApiAnswer } from "./stream.js";

/** Everything the answer endpoints share: limits, cache, metrics, logging. */
export interface AnswerService {
  /** Answers one question for a client; throws AppErrors (RATE_LIMITED, BUSY, TIMEOUT, NOT_READY). */
  answer(c: Context, question: string, history: ChatTurn[], signal: AbortSignal): Promise<ApiAnswer>;
  /** Rate-limits the client; returns a 429 response when over the limit. */
  limit(c: Context, scope: string): Response | undefined;
  readJson(c: Context): Promise<unknown>;
  /** The serving state; throws NOT_READY / SHUTTING_DOWN unless an index is being served. */
  ready(): ServingState;
  /** The question and answer a response id was given for (feedback stores them with the rating). */
  answered(answerId: string): { question: string; answer: string; buildId: string } | undefined;
  /** Answers computing and waiting, and cached answers (for /metrics). */
  stats(): { active: number; waiting: number; cached: number };
}

/** The answer service of one app: a rate limiter, a concurrency gate, an answer cache and recent answers. */
export function createAnswerService(deps: AppDeps, metrics: ServiceMetrics, rootLog: Logger): AnswerService {
  const { config } = deps;
  const limiter = new RateLimiter(config.RATE_LIMIT_PER_MIN);
  const gate = new ConcurrencyGate(config.MAX_CONCURRENT_ANSWERS);
  // The answer with its trace: a repeated question is logged with the first one's refusal reason and confidence.
  const cache = new AnswerCache<{ answer: AnswerResult["answer"]; trace?: AnswerResult["trace"] }>(config.ANSWER_CACHE_SIZE);
  /** Recent answers by id, so feedback can be stored with the question it rates. */
  const recent = new AnswerCache<{ question: string; answer: string; buildId: string }>(5000);

  const ready = (): ServingState => {
    if (deps.shuttingDown?.()) throw createError("SHUTTING_DOWN");
    const s = deps.state();
    if (!s) throw createError("NOT_READY");
    return s;
  };

  const clientIpOf = (c: Context): string => {
    if (config.TRUST_PROXY) {
      // The trusted proxy appends the address it saw: the last entry is the one it vouches for.
      const forwarded = c.req.header(config.TRUST_PROXY)?.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
      if (forwarded) return forwarded.slice(0, 64);
    }
    return deps.clientIp?.(c) ?? "unknown";
  };

  return {
    ready,
    answered: (answerId) => recent.get(answerId),
    stats: () => ({ ...gate.stats, cached: cache.size }),

    async readJson(c) {
      const type = c.req.header("content-type") ?? "";
      if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) throw createError("UNSUPPORTED_MEDIA_TYPE", type.slice(0, 80));
      // Invalid UTF-8 becomes U+FFFD (then usually a validation error), never an exception.
      const text = new TextDecoder().decode(((c as Context<HttpEnv>).get("body") as Uint8Array | undefined) ?? new Uint8Array(0));
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw createError("MALFORMED_JSON");
      }
    },

    limit(c, scope) {
      const decision = limiter.take(`${scope}:${clientIpOf(c)}`);
      if (decision.allowed) return undefined;
      metrics.rateLimited.inc({ scope });
      c.header("Retry-After", String(decision.retryAfterSeconds));
      return problemFromError(c, createError("RATE_LIMITED", String(decision.retryAfterSeconds)));
    },

    async answer(c, question, history, clientSignal) {
      const state = ready();
      const log = ((c as Context<HttpEnv>).get("log") as Logger | undefined) ?? rootLog;
      const buildId = state.index.manifest.buildId;
      // Curated answers change without a re-ingest: their generation is part of the key.
      const key = JSON.stringify([buildId, deps.cacheGeneration?.() ?? "", question, history]);
      const started = performance.now();
      const cached = cache.get(key);
      metrics.cache.inc({ result: cached ? "hit" : "miss" });
      let result: Pick<AnswerResult, "answer"> & { trace?: AnswerResult["trace"] };
      if (cached) result = cached;
      else {
        // One controller per answer, aborted by the deadline or by the client, and released as soon as
        // the answer is done (AbortSignal.timeout would keep every signal alive for the whole deadline).
        const controller = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          controller.abort(new Error("deadline"));
        }, config.REQUEST_TIMEOUT_MS);
        const onClientAbort = () => controller.abort(clientSignal.reason);
        if (clientSignal.aborted) onClientAbort();
        else clientSignal.addEventListener("abort", onClientAbort, { once: true });
        const signal = controller.signal;
        // The answerer is asked to stop on abort, but work that ignores its signal (a hung model or
        // embeddings call) must not hold the request past the timeout: race the signal too.
        const aborted = new Promise<never>((_resolve, reject) => {
          if (signal.aborted) reject(signal.reason as Error);
          signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
        });
        aborted.catch(() => {});
        try {
          result = await Promise.race([gate.run(() => state.answerer.answer(question, history, { signal }), signal), aborted]);
        } catch (error) {
          if (timedOut && !clientSignal.aborted) throw createError("TIMEOUT", String(Math.round(config.REQUEST_TIMEOUT_MS / 1000)));
          throw error;
        } finally {
          clearTimeout(timer);
          clientSignal.removeEventListener("abort", onClientAbort);
        }
      }
      const answerId = crypto.randomUUID().replace(/-/g, "");
      // An answer that replaced a failed model call is not cached: the model may be back next time.
      if (!cached && result.trace?.fallbackKind !== "llm-error") cache.set(key, result.trace ? { answer: result.answer, trace: result.trace } : { answer: result.answer });
      // Every response gets its own id (feedback rates one response), cached or not.
      const answer: ApiAnswer = { ...result.answer, answerId };
      recent.set(answerId, { question, answer: answer.answer, buildId });
      const trace = result.trace;
      metrics.answers.inc({ mode: answer.mode, grounded: String(answer.grounded) });
      // A question left unanswered with a partial reply that quotes related passages (not-stated, year-not-covered)
      // is counted apart from a bare refusal.
      if (trace?.refusal) metrics.refusals.inc({ reason: trace.refusal, ...(answer.grounded ? { reply: "partial" } : {}) });
      if (trace?.fallbackKind) metrics.fallbacks.inc({ reason: trace.fallbackKind });
      log.info(
        {
          answerId,
          question: maskPersonalNumbers(question).slice(0, 500),
          turns: history.length,
          mode: answer.mode,
          grounded: answer.grounded,
          citations: answer.citations.map((x) => x.passageId),
          cached: Boolean(cached),
          ...(trace ? { refusal: trace.refusal, confidence: Math.round(trace.confidence * 100) / 100, fallback: trace.fallback, rewritten: trace.rewrittenQuestion !== question ? maskPersonalNumbers(trace.rewrittenQuestion) : undefined } : {}),
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        "answer",
      );
      deps.onAnswered?.({ c, question, answer, ...(trace ? { trace } : {}), cached: Boolean(cached) });
      return answer;
    },
  };
}
