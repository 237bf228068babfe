/**
 * Questions a server answers once before it counts as ready, one Simplified and one Traditional:
 * the first answers of a process pay for lazy set-up (OpenCC's two converters, the script
 * pre-check, JIT) — ≈ 0.8 s on a 2-core machine, which would otherwise hold up the first citizens'
 * requests and every request queued behind them.
 */
export const WARM_UP_QUESTIONS = ["2024年新增了多少公办学位？", "課後服務參與率是多少？"];

/**
 * Whether to warm up: not when a chat model is configured — an answer would call it (and its latency
 * outweighs the set-up anyway).
 */
export const shouldWarmUp = (config: { LLM_BASE_URL?: string | undefined }): boolean => !config.LLM_BASE_URL;
