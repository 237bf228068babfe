import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/core/config.js";
import type { ServingState } from "../../src/core/http/app.js";
import { buildWorkerAssets } from "../../src/node/worker-assets.js";
import { LEXICON_BLOB } from "../../src/worker/d1-index-schema.js";
import { D1PassageSource } from "../../src/worker/d1-search-index.js";
import { loadD1WorkerState, POINTER_CHECK_MS, type D1ServingState } from "../../src/worker/d1-state.js";
import type { D1Binding } from "../../src/worker/d1-store.js";
import { uploadBuildToD1, type UploadReport } from "../../src/worker/d1-upload.js";
import type { WorkerEnv } from "../../src/worker/env.js";
import { loadWorkerState } from "../../src/worker/worker-state.js";
import { readBuild } from "../../scripts/deploy-index.js";
import { DEV_SET, runDevSet } from "../contract/dev-set.js";
import type { ContractTarget } from "../contract/http-contract.js";
import { CORPUS_DIR } from "../helpers.js";
import { assetsFromDir } from "./asset-fetcher.js";
import { localD1 } from "../local-d1.js";

// One contract over both Worker back ends, on Node: the same index built once (pure-JS segmenter),
// served from memory (bundled: static assets) and from D1 (Miniflare's local D1, the same SQLite
// engine as `wrangler dev`), must give the same top 5 — passages and scores — for every dev question.
const tmp = mkdtempSync(join(tmpdir(), "edu-worker-d1-"));
const assetsDir = join(tmp, "assets");
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
const config = loadConfig({ RATE_LIMIT_PER_MIN: "0", LOG_LEVEL: "silent" });
let disposeD1: (() => Promise<void>) | undefined;
let db: D1Binding;
let bundled: ServingState;
let d1: D1ServingState;
let upload: UploadReport;

beforeAll(async () => {
  await buildWorkerAssets({ corpusDir: CORPUS_DIR, outDir: assetsDir, workDir: join(tmp, "work"), backend: "bundled" });
  ({ db, dispose: disposeD1 } = await localD1<D1Binding>(join(tmp, "d1"), "index"));
  upload = await uploadBuildToD1(db, readBuild(join(assetsDir, "index")));
  const fetchAsset = (path: string) => assetsFromDir(assetsDir).fetch(new Request(`https://assets.local/${path}`));
  bundled = await loadWorkerState({ fetchAsset, config, backend: "bundled" });
  d1 = await loadD1WorkerState({ db, config });
}, 180_000);
afterAll(async () => {
  await disposeD1?.();
  rmSync(tmp, { recursive: true, force: true });
});

// Under a loaded machine the dev-set passes take tens of seconds.
vi.setConfig({ testTimeout: 180_000 });

describe("d1 back end", () => {
  it("uploaded every table of the build and switched the pointer to it", async () => {
    expect(upload.skipped).toBe(false);
    expect(upload.rows.index_passage_rows).toBe(bundled.index.passages.length);
    expect(upload.rows.index_documents).toBe(bundled.index.documents.length);
    expect(upload.rows.index_term_postings).toBeGreaterThan(1000);
    const pointer = await db.prepare("SELECT build FROM index_serving WHERE id = 1").first<{ build: string }>();
    expect(pointer?.build).toBe(bundled.index.manifest.buildId);
    expect(d1.d1.build).toBe(bundled.index.manifest.buildId);
  });

  it("reads a follow-up about a later target (那往后的目标呢) with the newest documents' year on both back ends: D1 holds no documents in memory, only their years per passage", async () => {
    const history = [
      { role: "user" as const, content: "2021年优质幼儿园占比提高到多少了？" },
      { role: "assistant" as const, content: "2021年优质园占比从上一年的39%提升至60%。" },
    ];
    const a = bundled.retriever.analyze("那往后定的目标是多少", history);
    const b = d1.retriever.analyze("那往后定的目标是多少", history);
    expect(a.years).toEqual([2024]);
    expect(b.years).toEqual(a.years);
    const [memory, database] = await Promise.all([bundled.retriever.search(a, { k: 5 }), d1.retriever.search(b, { k: 5 })]);
    expect(database.map((h) => [h.passage.id, h.score])).toEqual(memory.map((h) => [h.passage.id, h.score]));
  });

  it("gives the bundled back end's top 5 (passages and scores) for every dev question, in two D1 round trips a search, again from the isolate's caches", async () => {
    for (const item of DEV_SET) {
      const history = item.history ?? [];
      const a = bundled.retriever.analyze(item.question, history);
      const b = d1.retriever.analyze(item.question, history);
      expect(b.weighted).toEqual(a.weighted);
      const before = d1.d1.keyword.queries + d1.d1.vectors.queries + d1.d1.passages.queries;
      const [memory, database] = await Promise.all([bundled.retriever.search(a, { k: 5 }), d1.retriever.search(b, { k: 5 })]);
      // Term and feature postings in one batch, then the candidates (the documents were read with the build).
      expect(d1.d1.keyword.queries + d1.d1.vectors.queries + d1.d1.passages.queries - before, item.id).toBeLessThanOrEqual(2);
      const again = d1.d1.keyword.queries + d1.d1.vectors.queries + d1.d1.passages.queries;
      expect((await d1.retriever.search(b, { k: 5 })).map((h) => [h.passage.id, h.score])).toEqual(memory.map((h) => [h.passage.id, h.score]));
      expect(d1.d1.keyword.queries + d1.d1.vectors.queries + d1.d1.passages.queries - again, item.id).toBeLessThanOrEqual(2);
      expect(
        database.map((h) => [h.passage.id, h.score]),
        `${item.id} ${item.question}`,
      ).toEqual(memory.map((h) => [h.passage.id, h.score]));
    }
  });

  it("reads the candidates' rows by rowid, and by their key when the rows are not where the rowids say", async () => {
    const labels = [0, 1, 5, 17, bundled.index.passages.length - 1];
    const firstPassages = new Map(d1.d1.manifest.documents.map((d) => [d.id, d.firstPassage]));
    const view = (rows: Map<number, { passage: { id: string; text: string }; doc: { id: string } }>) => [...rows].map(([label, { passage, doc }]) => [label, passage.id, passage.text, doc.id]).sort();
    const expected = labels.map((label) => [label, bundled.index.passages[label]!.id, bundled.index.passages[label]!.text, bundled.index.passages[label]!.docId]).sort();
    const base = (await db.prepare("SELECT rowid - label AS base FROM index_passage_rows WHERE build = ?1 AND label = 0").bind(d1.d1.build).first<{ base: number }>())!.base;
    // The build was written in label order: the state opened it with that base.
    expect((d1.d1.passages as unknown as { rowidBase?: number }).rowidBase).toBe(base);
    for (const [rowidBase, queries] of [[base, 1], [base + 2, 2], [undefined, 1]] as const) {
      const source = new D1PassageSource(db, d1.d1.build, d1.d1.meta.passages, d1.d1.passages.facets(), firstPassages, [], rowidBase);
      expect(view(await source.resolve(labels)), String(rowidBase)).toEqual(expected);
      expect(source.queries, String(rowidBase)).toBe(queries + 1);
    }
    // The rows packed into one value refused (as D1 refuses a value past 2 MB): read as row objects.
    const refusing: D1Binding = {
      prepare: (sql) => (/json_group_array/.test(sql) ? { bind: () => ({ first: () => Promise.reject(new Error("string or blob too big")) }) } : db.prepare(sql)) as ReturnType<D1Binding["prepare"]>,
      batch: (statements) => db.batch(statements),
    };
    const source = new D1PassageSource(refusing, d1.d1.build, d1.d1.meta.passages, d1.d1.passages.facets(), firstPassages, [], base);
    expect(view(await source.resolve(labels))).toEqual(expected);
    expect(source.queries).toBe(3);
  });

  it("filters by year from the facet table as the memory index does", async () => {
    const question = "课后服务参与学生有多少";
    for (const year of [2020, 2021, 2024]) {
      const memory = await bundled.retriever.search(question, { k: 5, year });
      const database = await d1.retriever.search(question, { k: 5, year });
      expect(database.map((h) => h.passage.id)).toEqual(memory.map((h) => h.passage.id));
      expect(database.every((h) => h.doc.year === year)).toBe(true);
    }
  });

  it("answers the dev set through the Worker entry (VECTOR_BACKEND=d1) with Recall@5 and every figure verified as bundled", async () => {
    const target = async (env: WorkerEnv): Promise<ContractTarget> => {
      vi.resetModules();
      const worker = (await import("../../src/worker/index.js")).default;
      return { baseUrl: "https://worker.test", fetch: (input, init) => worker.fetch(new Request(input, init), env, ctx) };
    };
    const common = { ASSETS: assetsFromDir(assetsDir), RATE_LIMIT_PER_MIN: "0", LOG_LEVEL: "silent" };
    const viaD1 = await runDevSet(await target({ ...common, INDEX_DB: db, VECTOR_BACKEND: "d1" }));
    const viaMemory = await runDevSet(await target({ ...common, VECTOR_BACKEND: "bundled" }));
    console.log(`dev set through the d1 Worker: Recall@5 ${(viaD1.retrieval.recallAt5 * 100).toFixed(1)}% MRR ${viaD1.retrieval.mrr.toFixed(3)} (bundled ${(viaMemory.retrieval.recallAt5 * 100).toFixed(1)}%)`);
    expect(viaD1.unverified).toEqual([]);
    expect(viaD1.ranks).toEqual(viaMemory.ranks);
    expect(viaD1.grounded).toBe(viaMemory.grounded);
  });

  it("limits across isolates through the Rate Limiting binding, with the per-isolate limiter off", async () => {
    // A stand-in with the binding's shape: one counter per key for the whole Worker, every isolate.
    const counters = new Map<string, number>();
    const RATE_LIMITER = {
      limit: async ({ key }: { key: string }) => {
        counters.set(key, (counters.get(key) ?? 0) + 1);
        return { success: counters.get(key)! <= 3 };
      },
    };
    // RATE_LIMIT_PER_MIN=1 would refuse an isolate's second question if the in-app bucket were on.
    const env = { ASSETS: assetsFromDir(assetsDir), INDEX_DB: db, VECTOR_BACKEND: "d1", RATE_LIMIT_PER_MIN: "1", LOG_LEVEL: "silent", RATE_LIMITER };
    const isolate = async () => {
      vi.resetModules();
      const worker = (await import("../../src/worker/index.js")).default;
      return (path: string) => worker.fetch(new Request(`https://worker.test${path}`, { headers: { "cf-connecting-ip": "203.0.113.9" } }), env, ctx);
    };
    const [first, second] = [await isolate(), await isolate()];
    const search = `/api/search?q=${encodeURIComponent("课后服务")}`;
    expect((await first(search)).status).toBe(200);
    expect((await first(search)).status).toBe(200);
    expect((await second(search)).status).toBe(200);
    const refused = await second(search);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/提问太频繁/);
    expect([...counters.keys()]).toEqual(["search:203.0.113.9"]);
    // Pages and probes are not counted.
    expect((await second("/readyz")).status).toBe(200);
  });

  it("refuses a build written in an older D1 layout, naming the command that rewrites it", async () => {
    const build = d1.d1.build;
    const format = (await db.prepare("SELECT format FROM index_builds WHERE build = ?1").bind(build).first<{ format: string }>())!.format;
    await db.prepare("UPDATE index_builds SET format = 'd1-index-4' WHERE build = ?1").bind(build).first();
    try {
      await expect(loadD1WorkerState({ db, config })).rejects.toMatchObject({ code: "INDEX_VERSION_MISMATCH", message: expect.stringMatching(/d1-index-4.*npm run deploy:index/) });
    } finally {
      await db.prepare("UPDATE index_builds SET format = ?2 WHERE build = ?1").bind(build, format).first();
    }
  });

  it("refuses a damaged lexicon blob with INDEX_CORRUPT, naming it and the command that rewrites it", async () => {
    const build = d1.d1.build;
    const part = db.prepare("SELECT data FROM index_blobs WHERE build = ?1 AND name = ?2 AND part = 0").bind(build, LEXICON_BLOB);
    const { data } = (await part.first<{ data: string }>())!;
    // One base64 character changed inside the deflate stream: gzip's CRC-32 (or inflate) fails.
    const at = Math.floor(data.length / 2);
    const damaged = data.slice(0, at) + (data[at] === "A" ? "B" : "A") + data.slice(at + 1);
    const write = (text: string) => db.prepare("UPDATE index_blobs SET data = ?3 WHERE build = ?1 AND name = ?2 AND part = 0").bind(build, LEXICON_BLOB, text).first();
    await write(damaged);
    try {
      await expect(loadD1WorkerState({ db, config })).rejects.toMatchObject({ code: "INDEX_CORRUPT", message: expect.stringMatching(/lexicon\.compact\.gz\.b64.*npm run deploy:index/) });
    } finally {
      await write(data);
    }
    expect((await loadD1WorkerState({ db, config })).d1.build).toBe(build);
  });

  it("compares the pointer after answering: a build that cannot be opened leaves the isolate serving its own", async () => {
    vi.resetModules();
    const worker = (await import("../../src/worker/index.js")).default;
    const pending: Array<Promise<unknown>> = [];
    const waiting = { ...ctx, waitUntil: (promise: Promise<unknown>) => void pending.push(promise) };
    const env = { ASSETS: assetsFromDir(assetsDir), INDEX_DB: db, VECTOR_BACKEND: "d1", RATE_LIMIT_PER_MIN: "0", LOG_LEVEL: "silent" };
    const search = () => worker.fetch(new Request(`https://worker.test/api/search?q=${encodeURIComponent("课后服务")}`), env, waiting);
    expect((await search()).status).toBe(200);
    const build = d1.d1.build;
    await db.prepare("UPDATE index_serving SET build = 'gone' WHERE id = 1").first();
    const clock = vi.spyOn(Date, "now").mockReturnValue(Date.now() + POINTER_CHECK_MS + 1);
    try {
      pending.length = 0;
      expect((await search()).status).toBe(200);
      expect(pending).toHaveLength(1);
      await Promise.all(pending);
      const response = await worker.fetch(new Request("https://worker.test/readyz"), env, waiting);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(build);
    } finally {
      clock.mockRestore();
      await db.prepare("UPDATE index_serving SET build = ?1 WHERE id = 1").bind(build).first();
    }
  });

  it("serves a passage and a document by id from D1", async () => {
    vi.resetModules();
    const worker = (await import("../../src/worker/index.js")).default;
    const env = { ASSETS: assetsFromDir(assetsDir), INDEX_DB: db, VECTOR_BACKEND: "d1", RATE_LIMIT_PER_MIN: "0", LOG_LEVEL: "silent" };
    const passage = bundled.index.passages[3]!;
    const response = await worker.fetch(new Request(`https://worker.test/api/passages/${encodeURIComponent(passage.id)}`), env, ctx);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { text: string }).text).toBe(passage.text);
    const missing = await worker.fetch(new Request("https://worker.test/api/passages/nope"), env, ctx);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { detail: string }).detail).toMatch(/未找到段落/);
    const docs = (await (await worker.fetch(new Request("https://worker.test/api/documents"), env, ctx)).json()) as { documents: Array<{ id: string; passages: number }> };
    expect(docs.documents.map((d) => d.id).sort()).toEqual(bundled.index.documents.map((d) => d.id).sort());
    expect(docs.documents.every((d) => d.passages > 0)).toBe(true);
  });
});
