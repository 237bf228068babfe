import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BGE_M3 } from "../../src/core/search/workers-ai-embeddings.js";
import { JiebaLexicon } from "../../src/core/search/jieba-lexicon.js";
import type { DocumentMeta, Passage } from "../../src/core/types.js";
import { buildWorkerAssets } from "../../src/node/worker-assets.js";
import type { WorkerEnv } from "../../src/worker/env.js";
import { VectorizeStandIn } from "../../src/worker/testing/vectorize-stand-in.js";
import { localBgeM3StandIn, type WorkersAiStandIn } from "../../src/worker/testing/workers-ai-stand-in.js";
import { uploadToVectorize } from "../../src/worker/vectorize-upload.js";
import { WorkersAiEmbeddings } from "../../src/core/search/workers-ai-embeddings.js";
import { runDevSet } from "../contract/dev-set.js";
import { describeHttpContract, type ContractTarget } from "../contract/http-contract.js";
import { CORPUS_DIR } from "../helpers.js";
import { assetsFromDir } from "./asset-fetcher.js";

// The Worker entry in-process with the Vectorize back end: static assets from a built folder, and
// the AI and VECTORIZE bindings replaced by stand-ins that enforce the documented shapes and limits.
const tmp = mkdtempSync(join(tmpdir(), "edu-worker-vz-"));
const assetsDir = join(tmp, "assets");
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
let vectorize: VectorizeStandIn;
let ai: WorkersAiStandIn;
let target: ContractTarget;

/** A fresh copy of the entry module: one "isolate" per env. */
async function workerFor(env: WorkerEnv): Promise<ContractTarget> {
  vi.resetModules();
  const worker = (await import("../../src/worker/index.js")).default;
  return { baseUrl: "https://worker.test", fetch: (input, init) => worker.fetch(new Request(input, init), env, ctx) };
}

beforeAll(async () => {
  await buildWorkerAssets({ corpusDir: CORPUS_DIR, outDir: assetsDir, workDir: join(tmp, "work"), backend: "vectorize" });
  const lexicon = JiebaLexicon.decode(readFileSync(join(assetsDir, "index", "lexicon.bin")));
  // bge-m3 itself needs the network: the stand-in answers with a local 1024-d embedder instead.
  ai = localBgeM3StandIn(lexicon);
  vectorize = new VectorizeStandIn(BGE_M3.dimensions);
  const read = <T>(name: string) => JSON.parse(readFileSync(join(assetsDir, "index", name), "utf8")) as T;
  const manifest = read<{ buildId: string }>("manifest.json");
  await uploadToVectorize({
    passages: read<Passage[]>("passages.json"),
    documents: read<DocumentMeta[]>("documents.json"),
    namespace: manifest.buildId,
    embeddings: new WorkersAiEmbeddings({ ai }),
    vectorize,
    batchSize: 40,
  });
  target = await workerFor({ ASSETS: assetsFromDir(assetsDir), AI: ai, VECTORIZE: vectorize, VECTOR_BACKEND: "vectorize", RATE_LIMIT_PER_MIN: "0", LOG_LEVEL: "silent" });
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("upload to Vectorize", () => {
  it("pushed every passage in batches within the limits, under the build's namespace", async () => {
    const upserts = vectorize.calls.filter((c) => c.method === "upsert");
    expect(upserts.length).toBeGreaterThan(1);
    expect(upserts.every((c) => c.size! <= 40)).toBe(true);
    expect((await vectorize.describe()).vectorCount).toBeGreaterThan(50);
    expect(ai.calls.every((c) => c.texts <= 100)).toBe(true);
  });
});

describeHttpContract("Worker entry in-process (Vectorize + Workers AI stand-ins)", () => target);

describe("Worker with Vectorize", () => {
  it("answers the dev set with every figure verified", async () => {
    const run = await runDevSet(target);
    console.log(`dev set through the Vectorize/bge-m3 stand-ins: Recall@5 ${(run.retrieval.recallAt5 * 100).toFixed(1)}% MRR ${run.retrieval.mrr.toFixed(3)}`);
    expect(run.unverified).toEqual([]);
    expect(run.retrieval.recallAt5).toBeGreaterThanOrEqual(0.8);
    // Queries went to Vectorize with the build's namespace and a topK within the limit.
    const queries = vectorize.calls.filter((c) => c.method === "query");
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.every((q) => q.topK! <= 100 && q.namespace)).toBe(true);
  });

  it("refuses to serve when the vectors of this build were never uploaded", async () => {
    const empty = await workerFor({ ASSETS: assetsFromDir(assetsDir), AI: ai, VECTORIZE: new VectorizeStandIn(BGE_M3.dimensions), VECTOR_BACKEND: "vectorize", LOG_LEVEL: "silent" });
    const response = await empty.fetch(`${empty.baseUrl}/api/search?q=${encodeURIComponent("助学金")}`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { title: string; detail: string }).detail).toContain("upload:vectorize");
  });

  it("refuses an index built for another back end, naming the command that rebuilds it", async () => {
    const wrong = await workerFor({ ASSETS: assetsFromDir(assetsDir), VECTOR_BACKEND: "bundled", LOG_LEVEL: "silent" });
    const response = await wrong.fetch(`${wrong.baseUrl}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { title: string; detail: string };
    expect(body.title).toBe("INDEX_VERSION_MISMATCH");
    expect(body.detail).toContain("build:worker-index");
  });
});
