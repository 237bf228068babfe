import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/core/config.js";
import { JiebaLexicon } from "../../src/core/search/jieba-lexicon.js";
import { labelledIdPrefix, labelledVectorId, VECTORIZE_YEAR_PROPERTY, VectorizeVectorIndex } from "../../src/core/search/vectorize-vector-index.js";
import { BGE_M3, WorkersAiEmbeddings } from "../../src/core/search/workers-ai-embeddings.js";
import { buildWorkerAssets } from "../../src/node/worker-assets.js";
import { loadD1WorkerState, type D1ServingState } from "../../src/worker/d1-state.js";
import type { D1Binding } from "../../src/worker/d1-store.js";
import { uploadBuildToD1, type D1BuildContent } from "../../src/worker/d1-upload.js";
import { deleteBuildVectors, uploadBuildVectors } from "../../src/worker/d1-vectors.js";
import type { WorkerEnv } from "../../src/worker/env.js";
import { VectorizeStandIn } from "../../src/worker/testing/vectorize-stand-in.js";
import { localBgeM3StandIn, type WorkersAiStandIn } from "../../src/worker/testing/workers-ai-stand-in.js";
import { readBuild } from "../../scripts/deploy-index.js";
import { DEV_SET, runDevSet } from "../contract/dev-set.js";
import type { ContractTarget } from "../contract/http-contract.js";
import { CORPUS_DIR } from "../helpers.js";
import { assetsFromDir } from "./asset-fetcher.js";
import { localD1 } from "../local-d1.js";

// The `d1` back end with its vector side in Vectorize (D1_VECTORS=vectorize): the keyword index and
// passages in Miniflare's local D1, the dense vectors in the Vectorize stand-in, the questions
// embedded by the Workers AI stand-in (a local 1024-d embedder: bge-m3 needs the network, so these
// tests check the plumbing, the ids, the year filter and the upload's switch, not bge-m3's quality).
const tmp = mkdtempSync(join(tmpdir(), "edu-worker-d1v-"));
const assetsDir = join(tmp, "assets");
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
const config = loadConfig({ RATE_LIMIT_PER_MIN: "0", LOG_LEVEL: "silent" });
let disposeD1: (() => Promise<void>) | undefined;
let db: D1Binding;
let content: D1BuildContent;
let ai: WorkersAiStandIn;
let vectorize: VectorizeStandIn;
let dense: D1ServingState;
let features: D1ServingState;

const vectorsFor = (target: VectorizeStandIn) => (build: string, of: D1BuildContent) =>
  uploadBuildVectors({ build, passages: of.passages, documents: of.documents, embeddings: new WorkersAiEmbeddings({ ai }), model: BGE_M3.model, dimensions: BGE_M3.dimensions, vectorize: target, batchSize: 40 });

beforeAll(async () => {
  await buildWorkerAssets({ corpusDir: CORPUS_DIR, outDir: assetsDir, workDir: join(tmp, "work"), backend: "bundled" });
  ({ db, dispose: disposeD1 } = await localD1<D1Binding>(join(tmp, "d1"), "index"));
  content = readBuild(join(assetsDir, "index"));
  const lexicon = JiebaLexicon.decode(content.lexicon);
  ai = localBgeM3StandIn(lexicon);
  vectorize = new VectorizeStandIn(BGE_M3.dimensions);
  vectorize.createMetadataIndex(VECTORIZE_YEAR_PROPERTY, "number");
  await uploadBuildToD1(db, content, { vectors: vectorsFor(vectorize) });
  dense = await loadD1WorkerState({ db, config, vectors: "vectorize", ai, vectorize });
  features = await loadD1WorkerState({ db, config });
}, 180_000);
afterAll(async () => {
  await disposeD1?.();
  rmSync(tmp, { recursive: true, force: true });
});

vi.setConfig({ testTimeout: 180_000 });

describe("d1 back end with dense vectors in Vectorize", () => {
  it("uploaded every passage's vector under the build's namespace, with ids that carry the build, and recorded them in the build's meta row", async () => {
    const build = content.manifest.buildId;
    const record = dense.d1.meta.vectors!;
    expect(record).toMatchObject({ store: "vectorize", model: BGE_M3.model, dimensions: 1024, namespace: build, vectors: content.passages.length, yearFilter: true });
    expect(record.idPrefix.startsWith(build)).toBe(true);
    const upserts = vectorize.calls.filter((c) => c.method === "upsert");
    expect(upserts.reduce((n, c) => n + c.size!, 0)).toBe(content.passages.length);
    expect(upserts.every((c) => c.size! <= 40)).toBe(true);
    expect((await vectorize.describe()).vectorCount).toBe(content.passages.length);
    expect(dense.index.vectors).toBeInstanceOf(VectorizeVectorIndex);
    expect(features.index.vectors).not.toBeInstanceOf(VectorizeVectorIndex);
  });

  it("embeds the question while D1 fetches the terms' postings, not after", async () => {
    // Workers AI answers only once the D1 batch has been sent (or after 3 s: then it was not).
    let batchSent: () => void = () => {};
    const sent = new Promise<void>((resolve) => (batchSent = resolve));
    const events: string[] = [];
    const watched: D1Binding = {
      prepare: (sql) => db.prepare(sql),
      batch: (statements) => {
        events.push("d1 batch");
        batchSent();
        return db.batch(statements);
      },
    };
    const slowAi = {
      run: async (model: string, inputs: Record<string, unknown>) => {
        events.push("ai asked");
        const waited = await Promise.race([sent.then(() => "d1 batch first"), new Promise<string>((r) => setTimeout(() => r("timed out"), 3000))]);
        events.push(waited);
        return ai.run(model, inputs);
      },
    };
    const state = await loadD1WorkerState({ db: watched, config, vectors: "vectorize", ai: slowAi, vectorize });
    events.length = 0;
    const hits = await state.retriever.search("初中学位新增了多少个", { k: 5 });
    expect(hits.length).toBeGreaterThan(0);
    expect(events.slice(0, 3)).toEqual(["ai asked", "d1 batch", "d1 batch first"]);
  });

  it("finds every dev question's evidence in the top 5 as the features do", async () => {
    let missed = 0;
    for (const item of DEV_SET.filter((i) => i.evidence.length)) {
      const analysis = dense.retriever.analyze(item.question, item.history ?? []);
      const before = ai.calls.length;
      const keywordBefore = dense.d1.keyword.queries;
      const hits = await dense.retriever.search(analysis, { k: 5 });
      // One embedding call and at most one D1 batch for the terms per search.
      expect(ai.calls.length - before, item.id).toBe(1);
      expect(dense.d1.keyword.queries - keywordBefore).toBeLessThanOrEqual(1);
      const found = hits.some((h) => item.evidence.some((e) => h.passage.text.includes(e)));
      const viaFeatures = (await features.retriever.search(features.retriever.analyze(item.question, item.history ?? []), { k: 5 })).some((h) => item.evidence.some((e) => h.passage.text.includes(e)));
      if (viaFeatures && !found) missed++;
    }
    expect(missed).toBe(0);
  });

  it("asks Vectorize for the named year's nearest passages as well (year metadata filter), and for that year alone when the search keeps it alone", async () => {
    const vectors = dense.index.vectors as VectorizeVectorIndex;
    const before = { ...vectors.sent };
    const calls = vectorize.calls.length;
    const hits = await dense.retriever.search("2024年课后服务参与学生有多少", { k: 5 });
    expect(hits.length).toBeGreaterThan(0);
    expect(vectors.sent.queries - before.queries).toBe(2);
    expect(vectors.sent.filtered - before.filtered).toBe(1);
    const filtered = vectorize.calls.slice(calls).filter((c) => c.method === "query" && c.filter);
    expect(filtered.map((c) => c.filter)).toEqual([{ [VECTORIZE_YEAR_PROPERTY]: { $eq: 2024 } }]);

    // A search with a year option keeps that year alone: one filtered query, and only that year's passages.
    const strict = { ...vectors.sent };
    const strictCalls = vectorize.calls.length;
    const only2021 = await dense.retriever.search("课后服务参与学生有多少", { k: 5, year: 2021 });
    expect(vectors.sent.queries - strict.queries).toBe(1);
    expect(vectorize.calls.slice(strictCalls).filter((c) => c.method === "query").map((c) => c.filter)).toEqual([{ [VECTORIZE_YEAR_PROPERTY]: { $eq: 2021 } }]);
    expect(only2021.length).toBeGreaterThan(0);
    expect(only2021.every((h) => h.doc.year === 2021)).toBe(true);
  });

  it("answers the dev set through the Worker entry (VECTOR_BACKEND=d1, D1_VECTORS=vectorize) with every figure verified", async () => {
    vi.resetModules();
    const worker = (await import("../../src/worker/index.js")).default;
    const env: WorkerEnv = { ASSETS: assetsFromDir(assetsDir), INDEX_DB: db, AI: ai, VECTORIZE: vectorize, VECTOR_BACKEND: "d1", D1_VECTORS: "vectorize", RATE_LIMIT_PER_MIN: "0", LOG_LEVEL: "silent" };
    const target: ContractTarget = { baseUrl: "https://worker.test", fetch: (input, init) => worker.fetch(new Request(input, init), env, ctx) };
    const run = await runDevSet(target);
    console.log(`dev set through the d1 Worker with Vectorize vectors (local stand-in embedder): Recall@5 ${(run.retrieval.recallAt5 * 100).toFixed(1)}% MRR ${run.retrieval.mrr.toFixed(3)}`);
    expect(run.unverified).toEqual([]);
    expect(run.retrieval.recallAt5).toBe(1);
  });

  it("refuses, in Chinese and naming the command, a build uploaded without vectors, a missing binding and an unknown D1_VECTORS", async () => {
    const build = dense.d1.build;
    const { meta } = (await db.prepare("SELECT meta FROM index_builds WHERE build = ?1").bind(build).first<{ meta: string }>())!;
    const { vectors: _dropped, ...without } = JSON.parse(meta) as { vectors?: unknown };
    await db.prepare("UPDATE index_builds SET meta = ?2 WHERE build = ?1").bind(build, JSON.stringify(without)).first();
    try {
      await expect(loadD1WorkerState({ db, config, vectors: "vectorize", ai, vectorize })).rejects.toMatchObject({ code: "INDEX_VERSION_MISMATCH", message: expect.stringMatching(/没有上传 Vectorize 向量.*npm run deploy:index -- --vectors vectorize/) });
      // The features back end does not need them.
      expect((await loadD1WorkerState({ db, config })).d1.build).toBe(build);
    } finally {
      await db.prepare("UPDATE index_builds SET meta = ?2 WHERE build = ?1").bind(build, meta).first();
    }
    await expect(loadD1WorkerState({ db, config, vectors: "vectorize", ai })).rejects.toMatchObject({ code: "CONFIG_INVALID", message: expect.stringMatching(/AI 与 VECTORIZE/) });
    vi.resetModules();
    const worker = (await import("../../src/worker/index.js")).default;
    const response = await worker.fetch(new Request("https://worker.test/api/search?q=x"), { ASSETS: assetsFromDir(assetsDir), INDEX_DB: db, VECTOR_BACKEND: "d1", D1_VECTORS: "dense", LOG_LEVEL: "silent" }, ctx);
    expect(response.status).toBeGreaterThanOrEqual(500);
    const body = (await response.json()) as { title: string; detail: string };
    expect(body.title).toBe("CONFIG_INVALID");
    expect(body.detail).toMatch(/D1_VECTORS 须为 features 或 vectorize/);
  });

  it("keeps the previous build serving, with its own vectors, when the next build's vector upload fails, and serves the next once its upload succeeds", async () => {
    const previous = dense.d1.build;
    const next: D1BuildContent = { ...content, manifest: { ...content.manifest, buildId: `${previous}-next` } };
    // A Vectorize that accepts the first batch and then refuses: the upload stops before the switch.
    let accepted = 0;
    const flaky = Object.assign(Object.create(vectorize) as VectorizeStandIn, {
      upsert: async (records: Parameters<VectorizeStandIn["upsert"]>[0]) => {
        if (accepted++ >= 1) throw new Error("VECTOR_UPSERT_ERROR: service unavailable");
        return vectorize.upsert(records);
      },
    });
    await expect(uploadBuildToD1(db, next, { vectors: vectorsFor(flaky) })).rejects.toThrow(/service unavailable/);
    const pointer = await db.prepare("SELECT build FROM index_serving WHERE id = 1").first<{ build: string }>();
    expect(pointer?.build).toBe(previous);
    const reopened = await loadD1WorkerState({ db, config, vectors: "vectorize", ai, vectorize });
    expect(reopened.d1.build).toBe(previous);
    const sample = "2024年新增了多少所公办幼儿园？";
    const before = (await reopened.retriever.search(sample, { k: 5 })).map((h) => h.passage.id);

    // The same labels under the next build's ids: the previous build's vectors are not overwritten.
    const report = await uploadBuildToD1(db, next, { vectors: vectorsFor(vectorize) });
    expect(report.vectors?.namespace).toBe(next.manifest.buildId);
    expect((await vectorize.describe()).vectorCount).toBe(2 * content.passages.length);
    const switched = await loadD1WorkerState({ db, config, vectors: "vectorize", ai, vectorize });
    expect(switched.d1.build).toBe(next.manifest.buildId);
    expect((await switched.retriever.search(sample, { k: 5 })).map((h) => h.passage.id)).toEqual(before);
    // An isolate still on the previous build keeps finding its vectors in its own namespace.
    expect((await reopened.retriever.search(sample, { k: 5 })).map((h) => h.passage.id)).toEqual(before);
  });

  it("refuses to switch a d1-vectorize deployment to a build without vectors unless told to, deletes superseded builds' vectors, and never serves vectors written to the offline stand-ins", async () => {
    const serving = (await db.prepare("SELECT build FROM index_serving WHERE id = 1").first<{ build: string }>())!.build;
    const third: D1BuildContent = { ...content, manifest: { ...content.manifest, buildId: `${content.manifest.buildId}-third` } };
    await expect(uploadBuildToD1(db, third)).rejects.toThrow(/带有 Vectorize 向量.*--vectors vectorize.*--vectors features/);
    expect((await db.prepare("SELECT build FROM index_serving WHERE id = 1").first<{ build: string }>())!.build).toBe(serving);
    expect((await db.prepare("SELECT count(*) AS n FROM index_builds WHERE build = ?1").bind(third.manifest.buildId).first<{ n: number }>())!.n).toBe(0);

    // With vectors: the build before the previous one is deleted, its vectors with it.
    const oldest = (await db.prepare("SELECT build FROM index_builds WHERE build != ?1").bind(serving).first<{ build: string }>())!.build;
    const deleted: string[] = [];
    const before = (await vectorize.describe()).vectorCount;
    const report = await uploadBuildToD1(db, third, {
      vectors: vectorsFor(vectorize),
      deleteVectors: async (record) => {
        deleted.push(record.namespace);
        await deleteBuildVectors(record, vectorize, 50);
      },
    });
    expect(report.deleted).toContain(oldest);
    expect(deleted).toEqual([oldest]);
    expect((await vectorize.describe()).vectorCount).toBe(before);
    expect(await vectorize.getByIds([labelledVectorId(labelledIdPrefix(oldest), 0)])).toEqual([]);

    // Told to: the next build goes live without vectors; a dense Worker then refuses it.
    const fourth: D1BuildContent = { ...content, manifest: { ...content.manifest, buildId: `${content.manifest.buildId}-fourth` } };
    await uploadBuildToD1(db, fourth, { withoutVectors: true });
    await expect(loadD1WorkerState({ db, config, vectors: "vectorize", ai, vectorize })).rejects.toMatchObject({ code: "INDEX_VERSION_MISMATCH" });

    // Vectors written to the stand-ins of `deploy:index --local` are recorded as such and refused.
    const fifth: D1BuildContent = { ...content, manifest: { ...content.manifest, buildId: `${content.manifest.buildId}-fifth` } };
    await uploadBuildToD1(db, fifth, { vectors: (build, of) => uploadBuildVectors({ build, passages: of.passages, documents: of.documents, embeddings: new WorkersAiEmbeddings({ ai }), model: BGE_M3.model, dimensions: BGE_M3.dimensions, vectorize, standIn: true }) });
    await expect(loadD1WorkerState({ db, config, vectors: "vectorize", ai, vectorize })).rejects.toMatchObject({ code: "INDEX_VERSION_MISMATCH", message: expect.stringMatching(/离线替身/) });
  });
});
