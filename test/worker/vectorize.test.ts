import { describe, expect, it } from "vitest";
import { VectorizeVectorIndex, vectorIdFor, VECTORIZE_LIMITS } from "../../src/core/search/vectorize-vector-index.js";
import { WorkersAiEmbeddings } from "../../src/core/search/workers-ai-embeddings.js";
import { VectorizeStandIn } from "../../src/worker/testing/vectorize-stand-in.js";
import { WorkersAiStandIn } from "../../src/worker/testing/workers-ai-stand-in.js";

const DIMS = 8;
const unit = (i: number) => Array.from({ length: DIMS }, (_, j) => (j === i % DIMS ? 1 : 0.01 * j));

describe("Vectorize stand-in honours the documented limits", () => {
  it("refuses upsert batches over 1000, long ids, wrong dimensions, big or badly keyed metadata", async () => {
    const v = new VectorizeStandIn(DIMS);
    const batch = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `p${i}`, values: unit(i) }));
    await expect(v.upsert(batch(VECTORIZE_LIMITS.maxUpsertBatch + 1))).rejects.toThrow(/exceeds 1000/);
    await expect(v.upsert(batch(VECTORIZE_LIMITS.maxUpsertBatch))).resolves.toHaveProperty("mutationId");
    await expect(v.upsert([{ id: "段".repeat(22), values: unit(0) }])).rejects.toThrow(/64 bytes/);
    await expect(v.upsert([{ id: "x", values: [1, 2] }])).rejects.toThrow(/DIMENSION/);
    await expect(v.upsert([{ id: "x", values: unit(0), metadata: { text: "文".repeat(4000) } }])).rejects.toThrow(/10 KiB/);
    await expect(v.upsert([{ id: "x", values: unit(0), metadata: { "a.b": 1 } }])).rejects.toThrow(/key/);
  });

  it("caps topK at 100, or 20 when values or all metadata are returned", async () => {
    const v = new VectorizeStandIn(DIMS);
    await v.upsert([{ id: "a", values: unit(0) }]);
    await expect(v.query(unit(0), { topK: 101 })).rejects.toThrow(/topK/);
    await expect(v.query(unit(0), { topK: 21, returnMetadata: "all" })).rejects.toThrow(/topK/);
    await expect(v.query(unit(0), { topK: 100 })).resolves.toMatchObject({ matches: [{ id: "a" }], count: 1 });
  });
});

describe("VectorizeVectorIndex", () => {
  const passageIds = ["2021-work-summary#p003", "2024-work-summary#p010", "2021-business-targets#p002"];

  it("maps matches of its build's namespace back to passage labels", async () => {
    const v = new VectorizeStandIn(DIMS);
    await v.upsert(passageIds.map((id, i) => ({ id: vectorIdFor(id), values: unit(i), namespace: "build-2" })));
    const index = new VectorizeVectorIndex({ binding: v, dimensions: DIMS, passageIds, namespace: "build-2" });
    const hits = await index.search(unit(1), 2);
    expect(hits[0]).toMatchObject({ label: 1 });
    expect(v.calls.at(-1)).toMatchObject({ method: "query", topK: 2, namespace: "build-2" });
    // A filter cannot travel to Vectorize: the index asks for the maximum and filters the matches.
    const filtered = await index.search(unit(1), 2, (label) => label !== 1);
    expect(filtered.map((h) => h.label)).not.toContain(1);
    expect(v.calls.at(-1)).toMatchObject({ topK: VECTORIZE_LIMITS.maxTopK });
  });

  it("fails loudly when its build's vectors were never uploaded", async () => {
    const v = new VectorizeStandIn(DIMS);
    await v.upsert(passageIds.map((id, i) => ({ id: vectorIdFor(id), values: unit(i), namespace: "old-build" })));
    const index = new VectorizeVectorIndex({ binding: v, dimensions: DIMS, passageIds, namespace: "new-build" });
    await expect(index.search(unit(0), 5)).rejects.toMatchObject({ code: "INDEX_VERSION_MISMATCH" });
  });

  it("keeps vector ids within 64 bytes for long passage ids", () => {
    const long = `${"二〇二四年教育工作总结".repeat(3)}#p001`;
    expect(new TextEncoder().encode(vectorIdFor(long)).length).toBeLessThanOrEqual(64);
    expect(vectorIdFor("2021-work-summary#p003")).toBe("2021-work-summary#p003");
  });
});

describe("WorkersAiEmbeddings through the bge-m3 stand-in", () => {
  const ai = new WorkersAiStandIn((text) => Array.from({ length: 1024 }, (_, i) => (text.length % 7) + i / 1024));
  const embeddings = new WorkersAiEmbeddings({ ai });

  it("batches at most 100 texts per call and returns 1024-d vectors", async () => {
    const texts = Array.from({ length: 250 }, (_, i) => `第${i}段：课后服务参与学生达到62.7万人`);
    const vectors = await embeddings.embedDocuments(texts);
    expect(vectors).toHaveLength(250);
    expect(vectors[0]).toHaveLength(1024);
    expect(ai.calls.map((c) => c.texts)).toEqual([100, 100, 50]);
  });

  it("refuses a response of the wrong shape", async () => {
    const broken = new WorkersAiEmbeddings({ ai: { run: async () => ({ shape: [1, 768], data: [new Array(768).fill(0)] }) } });
    await expect(broken.embedQuery("幼升小")).rejects.toMatchObject({ code: "EMBEDDINGS_FAILED" });
  });

  it("the stand-in rejects what the model rejects", async () => {
    await expect(ai.run("@cf/baai/bge-m3", { text: [""] })).rejects.toThrow(/fewer than 1/);
    await expect(ai.run("@cf/baai/bge-m3", { text: Array(101).fill("学位") })).rejects.toThrow(/100 items/);
    await expect(ai.run("@cf/baai/bge-base-en-v1.5", { text: ["学位"] })).rejects.toThrow(/No such model/);
  });
});
