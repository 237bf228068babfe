import { describe, expect, it } from "vitest";
import { labelledIdPrefix, labelledVectorId, vectorIdFor, VectorizeVectorIndex, VECTORIZE_LIMITS } from "../../src/core/search/vectorize-vector-index.js";
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

describe("Vectorize stand-in metadata filters", () => {
  it("filters on properties that had a metadata index when the vector was written, as the service does", async () => {
    const v = new VectorizeStandIn(DIMS);
    await v.upsert([{ id: "early", values: unit(0), metadata: { year: 2021 } }]);
    v.createMetadataIndex("year", "number");
    await v.upsert([
      { id: "a", values: unit(0), metadata: { year: 2021, kind: "总结" } },
      { id: "b", values: unit(0), metadata: { year: 2024 } },
      { id: "c", values: unit(0) },
    ]);
    const ids = async (filter: Record<string, unknown>) => (await v.query(unit(0), { topK: 10, filter })).matches.map((m) => m.id).sort();
    // "early" was written before the index existed: no filter on year finds it.
    expect(await ids({ year: 2021 })).toEqual(["a"]);
    expect(await ids({ year: { $eq: 2021 } })).toEqual(["a"]);
    expect(await ids({ year: { $in: [2021, 2024] } })).toEqual(["a", "b"]);
    expect(await ids({ year: { $gte: 2022 } })).toEqual(["b"]);
    expect(await ids({ year: { $ne: 2021 } })).toEqual(["b", "c", "early"]);
    // kind has no metadata index: nothing matches it.
    expect(await ids({ kind: "总结" })).toEqual([]);
    await expect(v.query(unit(0), { filter: { year: { $regex: "20" } } })).rejects.toThrow(/operator/);
    await expect(v.query(unit(0), { filter: { year: { $in: 2021 } } })).rejects.toThrow(/array/);
  });
});

describe("VectorizeVectorIndex", () => {
  const ids = (build: string) => [0, 1, 2].map((label) => labelledVectorId(labelledIdPrefix(build), label));

  it("maps matches of its build's namespace back to passage labels", async () => {
    const v = new VectorizeStandIn(DIMS);
    await v.upsert(ids("build-2").map((id, i) => ({ id, values: unit(i), namespace: "build-2" })));
    const index = new VectorizeVectorIndex({ binding: v, dimensions: DIMS, idPrefix: labelledIdPrefix("build-2"), size: 3, namespace: "build-2" });
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
    await v.upsert(ids("old-build").map((id, i) => ({ id, values: unit(i), namespace: "old-build" })));
    const index = new VectorizeVectorIndex({ binding: v, dimensions: DIMS, idPrefix: labelledIdPrefix("new-build"), size: 3, namespace: "new-build" });
    await expect(index.search(unit(0), 5)).rejects.toMatchObject({ code: "INDEX_VERSION_MISMATCH" });
  });

  it("keeps vector ids within 64 bytes for long build ids, and apart for two builds", () => {
    const long = `${"二〇二四年教育工作总结".repeat(3)}`;
    expect(new TextEncoder().encode(labelledVectorId(labelledIdPrefix(long), 99_999_999)).length).toBeLessThanOrEqual(64);
    expect(labelledVectorId(labelledIdPrefix("20261207151236630-11704"), 3)).toBe("20261207151236630-11704:3");
    expect(labelledIdPrefix(`${long}1`)).not.toBe(labelledIdPrefix(`${long}2`));
  });
  it("reads labels from a build's own ids, and interleaves the named years' nearest passages with the unfiltered ones", async () => {
    const v = new VectorizeStandIn(DIMS);
    v.createMetadataIndex("year", "number");
    const prefix = labelledIdPrefix("20261207-1");
    // Labels 0–5 of 2021 point the query's way; label 6 (2024) points elsewhere.
    const records = Array.from({ length: 7 }, (_, label) => ({ id: labelledVectorId(prefix, label), values: label < 6 ? unit(0).map((x, j) => x + 0.01 * label * j) : unit(3), namespace: "20261207-1", metadata: { year: label < 6 ? 2021 : 2024 } }));
    await v.upsert(records);
    // An id of another scheme in the namespace (far from the queries below) is not a label of this build.
    await v.upsert([{ id: "other:3", values: unit(5), namespace: "20261207-1" }]);
    const index = new VectorizeVectorIndex({ binding: v, dimensions: DIMS, namespace: "20261207-1", idPrefix: prefix, size: 7, yearFilter: true });
    const plain = await index.search(unit(0), 3);
    expect(plain.map((h) => h.label)).toEqual([0, 1, 2]);
    const withYear = await index.search(unit(0), 3, undefined, undefined, { years: [2024] });
    // 2024's only passage comes second, after the nearest of all, though six passages are nearer.
    expect(withYear.map((h) => h.label)).toEqual([0, 6, 1]);
    expect(v.calls.filter((c) => c.method === "query").at(-1)).toMatchObject({ filter: { year: { $eq: 2024 } } });
    // The year's candidates pass the year-scoped list's filter too (its place scope): 6 is another place's.
    const otherPlace = await index.search(unit(0), 3, undefined, undefined, { years: [2024], scoped: (label) => label !== 6 });
    expect(otherPlace.map((h) => h.label)).toEqual([0, 1, 2]);
    const strict = await index.search(unit(0), 3, (label) => label === 6, undefined, { years: [2024], strict: true });
    expect(strict.map((h) => h.label)).toEqual([6]);
    expect(index.sent).toEqual({ queries: 6, filtered: 3 });
    // Only the foreign id near the query: no label of this build, the upload is called incomplete.
    await expect(index.search(unit(5), 1)).rejects.toMatchObject({ code: "INDEX_VERSION_MISMATCH" });
    // A year no passage has, kept alone: the unfiltered list is asked after the empty filtered one.
    const sent = { ...index.sent };
    expect(await index.search(unit(0), 3, (label) => label === 6, undefined, { years: [2019], strict: true })).toEqual([expect.objectContaining({ label: 6 })]);
    expect(index.sent.queries - sent.queries).toBe(2);
    // Without the year metadata index found at upload, no filter is sent at all.
    const unfiltered = new VectorizeVectorIndex({ binding: v, dimensions: DIMS, namespace: "20261207-1", idPrefix: prefix, size: 7 });
    await unfiltered.search(unit(0), 3, undefined, undefined, { years: [2024] });
    expect(unfiltered.sent).toEqual({ queries: 1, filtered: 0 });
  });

  it("calls a build's upload missing when a year kept alone finds nothing, and still reads vectors uploaded under passage ids", async () => {
    const v = new VectorizeStandIn(DIMS);
    v.createMetadataIndex("year", "number");
    const empty = new VectorizeVectorIndex({ binding: v, dimensions: DIMS, namespace: "b-9", idPrefix: labelledIdPrefix("b-9"), size: 3, yearFilter: true });
    await expect(empty.search(unit(0), 3, undefined, undefined, { years: [2024], strict: true })).rejects.toMatchObject({ code: "INDEX_VERSION_MISMATCH" });
    const passages = ["2021-work-summary#p003", "2024-work-summary#p010", `${"二〇二四年教育工作总结".repeat(3)}#p001`];
    await v.upsert(passages.map((id, i) => ({ id: vectorIdFor(id), values: unit(i), namespace: "b-8" })));
    const legacy = new VectorizeVectorIndex({ binding: v, dimensions: DIMS, namespace: "b-8", idPrefix: labelledIdPrefix("b-8"), size: 3, legacyPassageIds: passages });
    expect((await legacy.search(unit(2), 1)).map((h) => h.label)).toEqual([2]);
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
