import type { VectorizeBinding, VectorizeQueryOptions, VectorizeVectorRecord } from "../src/core/search/vectorize-vector-index.js";
import type { AiBinding } from "../src/core/search/workers-ai-embeddings.js";

/**
 * Workers AI and Vectorize over Cloudflare's REST API, for the upload commands that run on Node
 * (`npm run upload:vectorize`, `npm run deploy:index -- --vectors vectorize`). The Worker itself
 * uses its bindings. Needs CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (Workers AI + Vectorize edit).
 */
const API = "https://api.cloudflare.com/client/v4";

/** A request again after 1, 2, 4 … s while the service answers 429 or 5xx (at most `attempts` tries). */
async function withRetry(send: () => Promise<Response>, attempts = 5): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const response = await send();
    if ((response.status !== 429 && response.status < 500) || attempt >= attempts) return response;
    await new Promise((r) => setTimeout(r, 1000 * 2 ** (attempt - 1)));
  }
}

/** The account and token from the environment, or a Chinese error naming them. */
export function cloudflareCredentials(): { account: string; token: string } {
  const account = process.env.CLOUDFLARE_ACCOUNT_ID;
  const token = process.env.CLOUDFLARE_API_TOKEN;
  if (!account || !token) throw new Error("需要环境变量 CLOUDFLARE_ACCOUNT_ID 与 CLOUDFLARE_API_TOKEN（或使用 --dry-run / --local）");
  return { account, token };
}

/** Workers AI over the REST API (`POST /accounts/:id/ai/run/:model` → `{ result: { shape, data } }`). */
export function aiOverHttp(account: string, token: string): AiBinding {
  return {
    async run(model, inputs) {
      const response = await withRetry(() =>
        fetch(`${API}/accounts/${account}/ai/run/${model}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(inputs),
        }),
      );
      const body = (await response.json()) as { success?: boolean; result?: unknown; errors?: unknown };
      if (!response.ok || !body.success) throw new Error(`Workers AI 调用失败（HTTP ${response.status}）：${JSON.stringify(body.errors ?? body)}`);
      return body.result;
    },
  };
}

/** Vectorize V2 over the REST API: upsert as NDJSON, query, describe via /info. */
export function vectorizeOverHttp(account: string, token: string, index: string): VectorizeBinding {
  const base = `${API}/accounts/${account}/vectorize/v2/indexes/${encodeURIComponent(index)}`;
  const call = async <T>(path: string, init: RequestInit): Promise<T> => {
    const response = await withRetry(() => fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } }));
    const body = (await response.json()) as { success?: boolean; result?: T; errors?: unknown };
    if (!response.ok || !body.success) throw new Error(`Vectorize ${path} 调用失败（HTTP ${response.status}）：${JSON.stringify(body.errors ?? body)}`);
    return body.result as T;
  };
  return {
    upsert: async (vectors: VectorizeVectorRecord[]) => {
      const ndjson = vectors.map((v) => JSON.stringify({ ...v, values: Array.from(v.values) })).join("\n");
      const result = await call<{ mutationId: string }>("/upsert", { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: ndjson });
      return { mutationId: result.mutationId };
    },
    query: (vector, options: VectorizeQueryOptions = {}) =>
      call("/query", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ vector: Array.from(vector), ...options }) }),
    describe: () => call<{ dimensions: number; vectorCount: number }>("/info", { method: "GET" }),
    getByIds: (ids) => call("/get_by_ids", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids }) }),
    deleteByIds: (ids) => call("/delete_by_ids", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids }) }),
  };
}
