import type { Answerer } from "../core/answer/answerer.js";
import { prepareSimplifiedPreCheck } from "../core/text/fold.js";

/**
 * Questions a server answers once before it counts as ready: the first answer of a process pays for
 * lazy set-up (the Simplified pre-check's trigger table, the tw → cn converter, JIT), which would
 * otherwise hold up the first citizens' requests and every request queued behind them. No
 * Traditional question: the cn → tw converter it would build costs ≈ 0.15 s and ≈ 10 MB per thread
 * since compact-converter.ts (≈ 0.5 s and 60 MB before), so it is built by the first Traditional
 * question a thread gets, and a thread that never gets one never holds it.
 */
export const WARM_UP_QUESTIONS = ["2024年新增了多少公办学位？"];

/**
 * Whether to warm up: not when a chat model is configured — an answer would call it (and its latency
 * outweighs the set-up anyway).
 */
export const shouldWarmUp = (config: { LLM_BASE_URL?: string | undefined }): boolean => !config.LLM_BASE_URL;

/**
 * The warm-up itself: the Simplified pre-check's table (built here rather than on some request once
 * enough texts were folded, src/core/text/fold.ts), then the warm-up questions.
 */
export async function warmUp(answerer: Pick<Answerer, "answer">): Promise<void> {
  prepareSimplifiedPreCheck();
  for (const question of WARM_UP_QUESTIONS) await answerer.answer(question);
}
