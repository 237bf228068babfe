import { z } from "zod";
import { createError } from "./errors.js";

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.url().optional())
  .optional();
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** Every setting, validated once at the boundary (process.env on Node, bindings on Workers). */
export const configSchema = z.object({
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  CORPUS_DIR: z.string().trim().min(1).default("corpus"),
  INDEX_DIR: z.string().trim().min(1).default("index"),
  DATA_DIR: z.string().trim().min(1).default("data"),
  /** The bureau profile (city, districts, hotline, local terms); default: profile.json in CORPUS_DIR. */
  PROFILE_FILE: optionalText,
  EMBEDDINGS_BASE_URL: optionalUrl,
  EMBEDDINGS_MODEL: optionalText,
  EMBEDDINGS_API_KEY: optionalText,
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().positive().max(8192).optional(),
  LLM_BASE_URL: optionalUrl,
  LLM_MODEL: optionalText,
  LLM_API_KEY: optionalText,
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(15000),
  /** Answers per client IP per minute on the answer endpoints; 0 turns the limit off (benchmarks). */
  RATE_LIMIT_PER_MIN: z.coerce.number().int().min(0).max(100000).default(30),
  /** The header a trusted reverse proxy sets with the client address (e.g. x-forwarded-for); unset = socket address. */
  TRUST_PROXY: z
    .string()
    .trim()
    .toLowerCase()
    .transform((v) => (v === "" || v === "false" ? undefined : v))
    .pipe(z.string().regex(/^[a-z0-9-]+$/, "须为一个请求头名称，例如 x-forwarded-for").optional())
    .optional(),
  /** Origins (scheme://host[:port]) whose pages may call the API from a browser; empty = only this server's own pages. */
  ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((o) => o.trim().replace(/\/$/, "")).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: "须为以逗号分隔的来源，例如 https://edu.example.gov.cn" }))),
  /** Bearer token for POST /admin/reload; unset disables the endpoint. */
  ADMIN_TOKEN: optionalText.pipe(z.string().min(16, "至少 16 个字符").optional()),
  /** Upper bound on one answer's work, in milliseconds. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().max(600000).default(20000),
  /** Answers computed at the same time; more wait in a short queue, beyond that 503. */
  MAX_CONCURRENT_ANSWERS: z.coerce.number().int().positive().max(1000).default(8),
  /**
   * Threads answering uncached questions on Node (retrieval and composition, one index copy each).
   * `npm start` defaults it to the available cores; unset elsewhere means answers on the main thread.
   */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /** Days the question log and feedback are kept (masked); older entries are purged at start and daily. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /**
   * Whether asked questions are logged (masked) for the bureau's report of unanswered questions.
   * On by default; off for a deployment that must keep no record of questions.
   */
  QUESTION_LOG: z
    .enum(["on", "off", "true", "false", "1", "0"])
    .default("on")
    .transform((v) => v === "on" || v === "true" || v === "1"),
  /** Recent answers kept (per index build) for repeated questions; 0 disables the cache. */
  ANSWER_CACHE_SIZE: z.coerce.number().int().min(0).max(1000000).default(1000),
  /** Re-load the index when index/current.json changes (a re-ingest); SIGHUP and /admin/reload work regardless. */
  WATCH_INDEX: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Config = z.infer<typeof configSchema>;

/** Validates settings; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: Record<string, string | undefined>, overrides: Partial<Config> = {}): Config {
  const known = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, env[k]]).filter(([, v]) => v !== undefined));
  const parsed = configSchema.safeParse({ ...known, ...overrides });
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".")}：${i.message}`).join("；");
    throw createError("CONFIG_INVALID", detail);
  }
  if (parsed.data.EMBEDDINGS_BASE_URL && !parsed.data.EMBEDDINGS_MODEL) {
    throw createError("CONFIG_INVALID", "设置了 EMBEDDINGS_BASE_URL 但缺少 EMBEDDINGS_MODEL");
  }
  if (parsed.data.LLM_BASE_URL && !parsed.data.LLM_MODEL) {
    throw createError("CONFIG_INVALID", "设置了 LLM_BASE_URL 但缺少 LLM_MODEL");
  }
  return parsed.data;
}
