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
  EMBEDDINGS_BASE_URL: optionalUrl,
  EMBEDDINGS_MODEL: optionalText,
  EMBEDDINGS_API_KEY: optionalText,
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().positive().max(8192).optional(),
  LLM_BASE_URL: optionalUrl,
  LLM_MODEL: optionalText,
  LLM_API_KEY: optionalText,
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(15000),
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
