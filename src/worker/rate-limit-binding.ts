import { createError } from "../core/errors.js";

/** The Workers Rate Limiting binding (wrangler.toml `ratelimits`): counters shared by every isolate. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** Paths that cost an answer or a search: the ones the limiter guards (as the in-app limiter does). */
const LIMITED = /^\/(?:api\/chat|api\/search|v1\/chat\/completions)(?:\/|$)/;

/**
 * Checks a request against the binding before the app sees it: one counter per client address and
 * route family, shared across isolates and locations (the in-app per-isolate token bucket is
 * switched off when the binding is present). Returns the 429 problem response, or undefined.
 * The binding's counters are eventually consistent and per Cloudflare location: a limit, not a quota.
 */
export async function limitByBinding(binding: RateLimitBinding, request: Request, periodSeconds: number): Promise<Response | undefined> {
  const path = new URL(request.url).pathname;
  if (!LIMITED.test(path) || request.method === "OPTIONS") return undefined;
  const client = request.headers.get("cf-connecting-ip") ?? "unknown";
  const scope = path.startsWith("/api/search") ? "search" : "answer";
  const { success } = await binding.limit({ key: `${scope}:${client}` });
  if (success) return undefined;
  const error = createError("RATE_LIMITED", String(periodSeconds));
  return new Response(JSON.stringify({ type: `about:blank#${error.code}`, title: error.code, status: error.status, detail: error.detail }), {
    status: error.status,
    headers: { "content-type": "application/problem+json; charset=utf-8", "retry-after": String(periodSeconds) },
  });
}
