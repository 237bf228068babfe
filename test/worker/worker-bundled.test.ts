import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { HashingEmbeddings } from "../../src/core/search/hashing-embeddings.js";
import { JiebaLexicon } from "../../src/core/search/jieba-lexicon.js";
import { createJsSegmenter } from "../../src/core/search/js-segmenter.js";
import { embeddingText, type IndexManifest } from "../../src/core/search/search-index.js";
import { SparseVectorIndex, type SparseVector } from "../../src/core/search/sparse-vector-index.js";
import { createTokenizer } from "../../src/core/search/tokenizer.js";
import { BGE_M3 } from "../../src/core/search/workers-ai-embeddings.js";
import type { Passage } from "../../src/core/types.js";
import { buildWorkerAssets, type WorkerAssetsResult } from "../../src/node/worker-assets.js";
import type { WorkerEnv } from "../../src/worker/env.js";
import { VectorizeStandIn } from "../../src/worker/testing/vectorize-stand-in.js";
import { WorkersAiStandIn } from "../../src/worker/testing/workers-ai-stand-in.js";
import { workerRecipe } from "../../src/worker/worker-state.js";
import { runDevSet } from "../contract/dev-set.js";
import type { ContractTarget } from "../contract/http-contract.js";
import { CORPUS_DIR } from "../helpers.js";
import { assetsFromDir } from "./asset-fetcher.js";

// The Worker entry in-process with the default (bundled) back end: the hashing model's sparse
// postings shipped as a static asset (vectors.sparse) and searched in the isolate.
const tmp = mkdtempSync(join(tmpdir(), "edu-worker-bundled-"));
const assetsDir = join(tmp, "assets");
const workDir = join(tmp, "work");
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
let built: WorkerAssetsResult;

/** A fresh copy of the entry module: one "isolate" per env. */
async function workerFor(env: WorkerEnv): Promise<ContractTarget> {
  vi.resetModules();
  const worker = (await import("../../src/worker/index.js")).default;
  return { baseUrl: "https://worker.test", fetch: (input, init) => worker.fetch(new Request(input, init), env, ctx) };
}

const indexFile = (dir: string, name: string) => join(dir, "index", name);
const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
const plain = (v: SparseVector) => ({ ids: Array.from(v.ids), weights: Array.from(v.weights) });

beforeAll(async () => {
  built = await buildWorkerAssets({ corpusDir: CORPUS_DIR, outDir: assetsDir, workDir, backend: "bundled" });
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("bundled Worker assets", () => {
  it("ship the hashing model's sparse postings (vectors.sparse), no raw dense vectors, under the sparse recipe", () => {
    expect(built.rebuilt).toBe(true);
    expect(readdirSync(join(assetsDir, "index")).sort()).toEqual(["documents.json", "keyword.json", "knowledge.json", "lexicon.bin", "manifest.json", "passages.json", "vectors.sparse"]);
    expect(Object.keys(built.files)).toContain("index/vectors.sparse");
    expect(Object.keys(built.files)).not.toContain("index/vectors.f32");

    const manifest = JSON.parse(readFileSync(indexFile(assetsDir, "manifest.json"), "utf8")) as IndexManifest;
    expect(manifest.embedder).toEqual({ id: "hash-tfidf-sparse-v2", dimensions: 0 });
    expect(manifest.vectorIndex).toEqual({ id: SparseVectorIndex.ID, metric: "cosine" });
    const lexicon = JiebaLexicon.decode(readFileSync(indexFile(assetsDir, "lexicon.bin")));
    const segmenter = createJsSegmenter({ lexicon });
    const recipe = workerRecipe(segmenter.id, new HashingEmbeddings({ tokenize: createTokenizer({ segmenter }), idf: (w) => lexicon.idf(w) }), manifest.knowledge);
    expect({ embedder: manifest.embedder, vectorIndex: manifest.vectorIndex, segmenter: manifest.segmenter }).toEqual({
      embedder: recipe.embedder,
      vectorIndex: recipe.vectorIndex,
      segmenter: recipe.segmenter,
    });
    expect(Object.keys(manifest.files).sort()).toEqual(["documents.json", "keyword.json", "knowledge.json", "lexicon.bin", "passages.json", "vectors.sparse"]);
    expect(manifest.files["vectors.sparse"]).toBe(sha256(readFileSync(indexFile(assetsDir, "vectors.sparse"))));
  });

  it("hold each passage's features as the Worker computes them (pure-JS segmenter), and find each passage by its own vector", () => {
    const lexicon = JiebaLexicon.decode(readFileSync(indexFile(assetsDir, "lexicon.bin")));
    const embedder = new HashingEmbeddings({ tokenize: createTokenizer({ segmenter: createJsSegmenter({ lexicon }) }), idf: (w) => lexicon.idf(w) });
    const passages = JSON.parse(readFileSync(indexFile(assetsDir, "passages.json"), "utf8")) as Passage[];
    const index = SparseVectorIndex.deserialize(readFileSync(indexFile(assetsDir, "vectors.sparse")));
    expect(index.size).toBe(passages.length);
    expect(passages.length).toBeGreaterThan(50);
    const rows = index.rowVectors();
    passages.forEach((passage, label) => {
      const expected = embedder.sparse(embeddingText(passage));
      expect(Array.from(rows[label]!.ids), passage.id).toEqual(Array.from(expected.ids));
      Array.from(rows[label]!.weights).forEach((w, i) => expect(w).toBeCloseTo(expected.weights[i]!, 6));
    });
    const keys = rows.map((row) => JSON.stringify(plain(row)));
    keys.forEach((key, label) => {
      const [hit] = index.search(rows[label]!, 1);
      expect(hit?.label).toBe(keys.indexOf(key));
      expect(hit?.similarity).toBeCloseTo(1, 5);
    });
  });

  it("are not rebuilt when nothing changed; switching to Vectorize drops vectors.sparse", async () => {
    const again = await buildWorkerAssets({ corpusDir: CORPUS_DIR, outDir: assetsDir, workDir, backend: "bundled" });
    expect(again.rebuilt).toBe(false);
    expect(again.manifest.buildId).toBe(built.manifest.buildId);

    const vectorizeDir = join(tmp, "assets-vectorize");
    const switched = await buildWorkerAssets({ corpusDir: CORPUS_DIR, outDir: vectorizeDir, workDir, backend: "vectorize" });
    expect(switched.rebuilt).toBe(true);
    expect(switched.manifest.embedder).toEqual({ id: `workers-ai:${BGE_M3.model}`, dimensions: BGE_M3.dimensions });
    expect(switched.manifest.vectorIndex.id).not.toBe(SparseVectorIndex.ID);
    expect(Object.keys(switched.manifest.files)).not.toContain("vectors.sparse");
    expect(existsSync(indexFile(vectorizeDir, "vectors.sparse"))).toBe(false);
  });
});

describe("Worker with the bundled back end (in-process)", () => {
  it("answers the dev set from the bundled postings, every figure verified", async () => {
    const target = await workerFor({ ASSETS: assetsFromDir(assetsDir), VECTOR_BACKEND: "bundled", RATE_LIMIT_PER_MIN: "0", LOG_LEVEL: "silent" });
    expect((await target.fetch(`${target.baseUrl}/readyz`)).status).toBe(200);
    const run = await runDevSet(target);
    console.log(`dev set through the bundled Worker: Recall@5 ${(run.retrieval.recallAt5 * 100).toFixed(1)}% MRR ${run.retrieval.mrr.toFixed(3)}`);
    expect(run.unverified).toEqual([]);
    expect(run.grounded).toBeGreaterThan(0);
    expect(run.retrieval.recallAt5).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  /** A copy of the assets with vectors.sparse replaced; `resum` also updates its checksum in the manifest. */
  function damagedAssets(name: string, bytes: Uint8Array, resum: boolean): string {
    const dir = join(tmp, name);
    cpSync(assetsDir, dir, { recursive: true });
    writeFileSync(indexFile(dir, "vectors.sparse"), bytes);
    if (resum) {
      const manifest = JSON.parse(readFileSync(indexFile(dir, "manifest.json"), "utf8")) as IndexManifest;
      manifest.files["vectors.sparse"] = sha256(bytes);
      writeFileSync(indexFile(dir, "manifest.json"), JSON.stringify(manifest));
    }
    return dir;
  }

  async function readyProblem(dir: string, env: Partial<WorkerEnv> = {}): Promise<{ status: number; title: string; detail: string }> {
    const target = await workerFor({ ASSETS: assetsFromDir(dir), VECTOR_BACKEND: "bundled", LOG_LEVEL: "silent", ...env });
    const response = await target.fetch(`${target.baseUrl}/readyz`);
    const body = (await response.json()) as { title: string; detail: string };
    return { status: response.status, ...body };
  }

  it("refuses damaged postings with INDEX_CORRUPT naming vectors.sparse and the rebuild command", async () => {
    const original = readFileSync(indexFile(assetsDir, "vectors.sparse"));
    const cases = [
      // Checksum mismatch.
      { dir: damagedAssets("truncated", original.subarray(0, original.length / 2), false), detail: "vectors.sparse" },
      // Checksum right, content unreadable (cut short, or not postings at all).
      { dir: damagedAssets("truncated-resummed", original.subarray(0, original.length - 4), true), detail: "vectors.sparse" },
      { dir: damagedAssets("garbled-resummed", new TextEncoder().encode(readFileSync(indexFile(assetsDir, "documents.json"), "utf8").slice(0, 400)), true), detail: "vectors.sparse" },
      // Well-formed postings for one passage fewer.
      {
        dir: damagedAssets("short-resummed", SparseVectorIndex.build(SparseVectorIndex.deserialize(original).rowVectors().slice(1)).serialize(), true),
        detail: "段落数与向量数不一致",
      },
    ];
    for (const { dir, detail } of cases) {
      const problem = await readyProblem(dir);
      expect(problem.status, dir).toBe(503);
      expect(problem.title, dir).toBe("INDEX_CORRUPT");
      expect(problem.detail, dir).toContain(detail);
      expect(problem.detail, dir).toContain("build:worker-index");
    }
  });

  it("with VECTOR_BACKEND=vectorize refuses the bundled index, naming the Vectorize rebuild", async () => {
    const problem = await readyProblem(assetsDir, {
      VECTOR_BACKEND: "vectorize",
      AI: new WorkersAiStandIn(() => new Float32Array(BGE_M3.dimensions)),
      VECTORIZE: new VectorizeStandIn(BGE_M3.dimensions),
    });
    expect(problem.status).toBe(503);
    expect(problem.title).toBe("INDEX_VERSION_MISMATCH");
    expect(problem.detail).toContain("hash-tfidf-sparse-v2");
    expect(problem.detail).toContain("--backend vectorize");
  });
});
