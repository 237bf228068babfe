import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { loadConfig } from "../src/core/config.js";
import { isAppError, type AppError } from "../src/core/errors.js";
import { HashingEmbeddings } from "../src/core/search/hashing-embeddings.js";
import { OpenAICompatibleEmbeddings } from "../src/core/search/openai-embeddings.js";
import { HybridRetriever } from "../src/core/search/retriever.js";
import { embeddingText } from "../src/core/search/search-index.js";
import { SparseVectorIndex } from "../src/core/search/sparse-vector-index.js";
import { HnswVectorIndex } from "../src/node/hnsw-vector-index.js";
import { currentBuildDir, dataFiles, loadIndex, readManifest } from "../src/node/index-store.js";
import { ingestCorpus } from "../src/node/ingest/build-index.js";
import { createNodeRuntime } from "../src/node/runtime.js";
import { CORPUS_DIR, corpusText, FILES } from "./helpers.js";

// ------------------------------------------------------------------------------------------------
// A local OpenAI-compatible /v1/embeddings stub
// ------------------------------------------------------------------------------------------------

const STUB_DIMS = 48;
/** Input that makes the stub answer 500. */
const FAIL_MARKER = "【触发服务端错误】";

/** Deterministic, deliberately unnormalised vector of a text: a weighted histogram of its code points. */
function stubVector(text: string): number[] {
  const v = new Array<number>(STUB_DIMS).fill(0);
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    v[cp % STUB_DIMS]! += 1 + (cp % 5);
  }
  v[0]! += 1; // never the zero vector
  return v;
}

const l2 = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const normalised = (v: number[]) => v.map((x) => x / l2(v));

interface StubRequest {
  url: string;
  headers: IncomingHttpHeaders;
  body: { model?: string; input?: string | string[]; dimensions?: number; encoding_format?: string };
  inputs: string[];
}

interface Stub {
  baseURL: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

async function startStub(): Promise<Stub> {
  const requests: StubRequest[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== "POST" || req.url !== "/v1/embeddings") return send(404, { error: { message: "not found" } });
      const body = JSON.parse(raw) as StubRequest["body"];
      const inputs = typeof body.input === "string" ? [body.input] : (body.input ?? []);
      requests.push({ url: req.url, headers: req.headers, body, inputs });
      if (inputs.some((t) => t.includes(FAIL_MARKER))) return send(500, { error: { message: "stub exploded", type: "server_error" } });
      send(200, {
        object: "list",
        data: inputs.map((text, index) => ({ object: "embedding", index, embedding: stubVector(text) })),
        model: body.model,
        usage: { prompt_tokens: inputs.join("").length, total_tokens: inputs.join("").length },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Short sentences from the corpus (no newlines: the client turns them into spaces). */
const SENTENCES = corpusText(FILES.summary2024)
  .split(/[。；\n]/)
  .map((s) => s.trim())
  .filter((s) => s.length >= 12 && s.length <= 120)
  .slice(0, 10);

let stub: Stub;
let tmp: string;

beforeAll(async () => {
  stub = await startStub();
  tmp = mkdtempSync(join(tmpdir(), "edu-openai-emb-"));
});

afterAll(async () => {
  await stub?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.concurrent("OpenAICompatibleEmbeddings against a local stub", () => {
  it("probe() learns the dimensions from the server", async ({ expect }) => {
    const own = await startStub();
    try {
      const embeddings = new OpenAICompatibleEmbeddings({ baseURL: own.baseURL, model: "stub-bge" });
      expect(embeddings.id).toBe("openai-compatible:stub-bge");
      expect(embeddings.dimensions).toBe(0);
      expect(await embeddings.probe()).toBe(STUB_DIMS);
      expect(embeddings.dimensions).toBe(STUB_DIMS);
      expect(own.requests).toHaveLength(1);
      expect(own.requests[0]!.body.model).toBe("stub-bge");
      expect(own.requests[0]!.inputs).toEqual(["教育"]);
      expect(own.requests[0]!.body.dimensions).toBeUndefined(); // not sent unless configured
      // A second probe does not ask again.
      expect(await embeddings.probe()).toBe(STUB_DIMS);
      expect(own.requests).toHaveLength(1);

      // Configured dimensions: no probe request, and the size is sent with each request.
      const sized = new OpenAICompatibleEmbeddings({ baseURL: own.baseURL, model: "stub-bge", dimensions: STUB_DIMS });
      expect(await sized.probe()).toBe(STUB_DIMS);
      expect(own.requests).toHaveLength(1);
      await sized.embedQuery("学前教育");
      expect(own.requests[1]!.body.dimensions).toBe(STUB_DIMS);
    } finally {
      await own.close();
    }
  });

  it("sends every input across batches and returns the vectors in input order, L2-normalised", async ({ expect }) => {
    const own = await startStub();
    try {
      expect(SENTENCES).toHaveLength(10);
      const embeddings = new OpenAICompatibleEmbeddings({ baseURL: own.baseURL, model: "stub-bge", batchSize: 4 });
      const vectors = await embeddings.embedDocuments(SENTENCES);

      expect(own.requests.map((r) => r.inputs.length).sort()).toEqual([2, 4, 4]);
      expect(own.requests.flatMap((r) => r.inputs).sort()).toEqual([...SENTENCES].sort());
      for (const r of own.requests) {
        expect(r.body.encoding_format).toBe("float");
        expect(r.headers["content-type"]).toMatch(/application\/json/);
      }

      expect(vectors).toHaveLength(SENTENCES.length);
      vectors.forEach((v, i) => {
        expect(v).toHaveLength(STUB_DIMS);
        expect(l2(v)).toBeCloseTo(1, 6);
        const expected = normalised(stubVector(SENTENCES[i]!));
        v.forEach((x, j) => expect(x).toBeCloseTo(expected[j]!, 6));
      });
      // The stub's raw vectors are far from unit length: normalisation is the client's doing.
      expect(l2(stubVector(SENTENCES[0]!))).toBeGreaterThan(5);

      const query = await embeddings.embedQuery(SENTENCES[3]!);
      expect(l2(query)).toBeCloseTo(1, 6);
      expect(query).toEqual(vectors[3]);
    } finally {
      await own.close();
    }
  });

  it("sends the API key as a Bearer token", async ({ expect }) => {
    const own = await startStub();
    try {
      await new OpenAICompatibleEmbeddings({ baseURL: own.baseURL, model: "stub-bge", apiKey: "sk-stub-key-123" }).embedQuery("双减");
      expect(own.requests.at(-1)!.headers.authorization).toBe("Bearer sk-stub-key-123");

      // …and EMBEDDINGS_API_KEY reaches it through the config and the Node runtime.
      await createNodeRuntime(loadConfig({ EMBEDDINGS_BASE_URL: own.baseURL, EMBEDDINGS_MODEL: "stub-bge", EMBEDDINGS_API_KEY: "sk-from-config-456" }));
      expect(own.requests.at(-1)!.headers.authorization).toBe("Bearer sk-from-config-456");
      expect(own.requests.at(-1)!.inputs).toEqual(["教育"]); // the runtime probes the dimensions
    } finally {
      await own.close();
    }
  });

  it("ingest: the manifest names the remote embedder; the hashing runtime refuses to load the index", async ({ expect }) => {
    const corpus = join(tmp, "corpus");
    const indexDir = join(tmp, "index");
    mkdirSync(corpus);
    for (const file of readdirSync(CORPUS_DIR)) copyFileSync(join(CORPUS_DIR, file), join(corpus, file));

    const before = stub.requests.length;
    const runtime = await createNodeRuntime(loadConfig({ EMBEDDINGS_BASE_URL: stub.baseURL, EMBEDDINGS_MODEL: "stub-bge" }));
    expect(runtime.embeddings.id).toBe("openai-compatible:stub-bge");
    expect(runtime.embeddings.dimensions).toBe(STUB_DIMS);
    expect(runtime.recipe.embedder).toEqual({ id: "openai-compatible:stub-bge", dimensions: STUB_DIMS });
    // A dense embedding service keeps the HNSW graph (the sparse postings are the hashing model's).
    expect(runtime.recipe.vectorIndex).toEqual({ id: HnswVectorIndex.ID, metric: "cosine" });

    const result = await ingestCorpus({ corpusDir: corpus, indexDir, runtime });
    expect(result.skipped).toEqual([]);
    expect(result.embedded).toBe(result.manifest.counts.passages);

    const manifest = readManifest(indexDir)!;
    expect(manifest.embedder.id).toBe("openai-compatible:stub-bge");
    expect(manifest.embedder.dimensions).toBe(STUB_DIMS);
    expect(manifest.vectorIndex).toEqual({ id: HnswVectorIndex.ID, metric: "cosine" });
    // Its build holds the HNSW graph and the raw vectors, and no sparse postings.
    const denseFiles = ["documents.json", "passages.json", "keyword.json", "knowledge.json", "vectors.hnsw", "embeddings.f32"];
    expect(dataFiles(manifest.vectorIndex.id)).toEqual(denseFiles);
    expect(Object.keys(manifest.files).sort()).toEqual([...denseFiles].sort());
    const build = currentBuildDir(indexDir)!;
    expect(readdirSync(build).sort()).toEqual(["manifest.json", ...denseFiles].sort());
    expect(existsSync(join(build, "vectors.sparse"))).toBe(false);

    // Every passage went to the server (after the runtime's probe), in batches of at most 64.
    const ingestRequests = stub.requests.slice(before + 1);
    expect(ingestRequests.flatMap((r) => r.inputs)).toHaveLength(result.manifest.counts.passages);
    for (const r of ingestRequests) expect(r.inputs.length).toBeLessThanOrEqual(64);

    // The stored vectors are the server's, normalised.
    const index = loadIndex(indexDir, runtime.recipe);
    expect(index.vectors).toBeInstanceOf(HnswVectorIndex);
    expect(index.vectors).not.toBeInstanceOf(SparseVectorIndex);
    expect(index.vectors.dimensions).toBe(STUB_DIMS);
    expect(index.vectors.size).toBe(index.passages.length);
    const embeddings = index.embeddings!;
    expect(embeddings).toBeInstanceOf(Float32Array);
    expect(embeddings.length).toBe(index.passages.length * STUB_DIMS);
    const storedVector = (label: number) => Array.from(embeddings.slice(label * STUB_DIMS, (label + 1) * STUB_DIMS));
    for (const label of [0, Math.floor(index.passages.length / 2), index.passages.length - 1]) {
      const expected = normalised(stubVector(embeddingText(index.passages[label]!).replace(/\n/g, " ")));
      const stored = storedVector(label);
      stored.forEach((x, j) => expect(x).toBeCloseTo(expected[j]!, 5));
      // The HNSW index finds the passage by its own stored vector.
      const [hit] = await index.vectors.search(stored, 1);
      expect(hit?.label).toBe(label);
      expect(hit?.similarity).toBeCloseTo(1, 4);
    }

    // Search works with the remote embedder on both sides.
    const retriever = new HybridRetriever({ index, tokenize: runtime.tokenize, embeddings: runtime.embeddings, idf: runtime.idf });
    const hits = await retriever.search("2024年新增了多少所公办幼儿园？");
    expect(hits.length).toBeGreaterThan(0);

    // The default (hashing) runtime must not read vectors it did not make.
    const hashing = await createNodeRuntime(loadConfig({}));
    expect(hashing.recipe.embedder.id).not.toBe(manifest.embedder.id);
    // …nor can the hashing model's sparse features query this dense index.
    expect(hashing.embeddings).toBeInstanceOf(HashingEmbeddings);
    const sparseQuery = (hashing.embeddings as HashingEmbeddings).sparse("2024年新增了多少所公办幼儿园？");
    expect(() => index.vectors.search(sparseQuery, 1)).toThrow(/sparse query/);
    let error: unknown;
    try {
      loadIndex(indexDir, hashing.recipe);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe("INDEX_VERSION_MISMATCH");
    expect((error as AppError).detail).toContain("openai-compatible:stub-bge");
    expect((error as AppError).detail).toContain("npm run ingest");

    // An unchanged corpus with the same remote embedder reuses every vector: no request at all.
    const beforeSecond = stub.requests.length;
    const second = await ingestCorpus({ corpusDir: corpus, indexDir, runtime });
    expect(second.embedded).toBe(0);
    expect(stub.requests.length).toBe(beforeSecond);
    const reloaded = loadIndex(indexDir, runtime.recipe);
    expect(reloaded.manifest.buildId).toBe(second.manifest.buildId);
    expect(Buffer.from(reloaded.embeddings!.buffer).equals(Buffer.from(embeddings.buffer))).toBe(true);

    // Changing one document re-embeds only that document's passages; the others' raw vectors are
    // byte-identical to the previous build's.
    const file = join(corpus, FILES.summary2024);
    const original = readFileSync(file, "utf8");
    expect(original).toContain("全市新增公办园22所");
    writeFileSync(file, original.replace("全市新增公办园22所", "全市新增公办园23所"));
    const spy = vi.spyOn(runtime.embeddings, "embedDocuments");
    try {
      const third = await ingestCorpus({ corpusDir: corpus, indexDir, runtime });
      const changed = third.manifest.documents.find((d) => d.file === FILES.summary2024)!;
      expect(third.embedded).toBe(changed.passages);
      const after = loadIndex(indexDir, runtime.recipe);
      const changedTexts = after.passages.filter((p) => p.docId === changed.id).map(embeddingText);
      expect(spy.mock.calls.flatMap(([texts]) => texts).sort()).toEqual(changedTexts.sort());
      const vectorOf = (loaded: typeof index, id: string) => {
        const i = loaded.passages.findIndex((p) => p.id === id);
        return Array.from(loaded.embeddings!.slice(i * STUB_DIMS, (i + 1) * STUB_DIMS));
      };
      const others = after.passages.filter((p) => p.docId !== changed.id);
      expect(others.length).toBeGreaterThan(50);
      for (const p of others) expect(vectorOf(after, p.id)).toEqual(vectorOf(reloaded, p.id));
    } finally {
      spy.mockRestore();
      writeFileSync(file, original);
    }

    // Damage: a truncated vectors.hnsw fails the load; a flipped byte in embeddings.f32 (same length)
    // is caught when the raw vectors are first read (only an incremental build reads them).
    const damaged = (name: string) => {
      const dir = join(tmp, name);
      cpSync(indexDir, dir, { recursive: true });
      return { dir, build: currentBuildDir(dir)! };
    };
    const loadError = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e;
      }
      return null;
    };
    const hnsw = damaged("corrupt-hnsw");
    const graph = join(hnsw.build, "vectors.hnsw");
    truncateSync(graph, Math.floor(readFileSync(graph).length / 3));
    const hnswError = loadError(() => loadIndex(hnsw.dir, runtime.recipe));
    expect(isAppError(hnswError) && hnswError.code).toBe("INDEX_CORRUPT");
    expect((hnswError as AppError).detail).toContain("npm run ingest");

    const f32 = damaged("corrupt-f32");
    const raw = join(f32.build, "embeddings.f32");
    const bytes = readFileSync(raw);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(raw, bytes);
    const loaded = loadIndex(f32.dir, runtime.recipe);
    const f32Error = loadError(() => loaded.embeddings);
    expect(isAppError(f32Error) && f32Error.code).toBe("INDEX_CORRUPT");
    expect((f32Error as AppError).detail).toContain("embeddings.f32");
  });
});

describe("OpenAICompatibleEmbeddings: server errors", () => {
  it("turns a 500 from the server into AppError EMBEDDINGS_FAILED", async () => {
    const own = await startStub();
    // The client retries a 500 twice with exponential back-off (1–2 s, then 2–4 s). Only those waits
    // are shortened (the 30 s request timeout is left alone), so the test does not idle for seconds.
    const realSetTimeout = globalThis.setTimeout;
    const shortened = vi.spyOn(globalThis, "setTimeout").mockImplementation(((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
      realSetTimeout(handler, ms !== undefined && ms >= 900 && ms <= 8000 ? 5 : ms, ...args)) as unknown as typeof setTimeout);
    try {
      const embeddings = new OpenAICompatibleEmbeddings({ baseURL: own.baseURL, model: "stub-bge" });
      const error = await embeddings.embedDocuments([SENTENCES[0]!, `${FAIL_MARKER}${SENTENCES[1]!}`]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isAppError(error)).toBe(true);
      const appError = error as AppError;
      expect(appError.code).toBe("EMBEDDINGS_FAILED");
      expect(appError.status).toBe(502);
      expect(appError.detail).toContain("向量服务调用失败");
      expect(appError.detail.length).toBeLessThan(260);
      expect(own.requests.length).toBeGreaterThanOrEqual(1);
      for (const r of own.requests) expect(r.inputs[1]).toContain(FAIL_MARKER);

      const queryError = await embeddings.embedQuery(`${FAIL_MARKER}幼升小`).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isAppError(queryError) && queryError.code).toBe("EMBEDDINGS_FAILED");
    } finally {
      shortened.mockRestore();
      await own.close();
    }
  });
});
