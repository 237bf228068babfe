import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { parseEvalSet } from "../../src/core/eval/eval-set.js";
import { HashingEmbeddings } from "../../src/core/search/hashing-embeddings.js";
import { denseQuery, isSparseVector, SparseVectorIndex, sparseVector, type SparseVector } from "../../src/core/search/sparse-vector-index.js";
import { createTokenizer } from "../../src/core/search/tokenizer.js";
import type { VectorSearchHit } from "../../src/core/types.js";
import { HnswVectorIndex } from "../../src/node/hnsw-vector-index.js";
import { createJiebaSegmenter, loadJiebaIdf } from "../../src/node/jieba-segmenter.js";
import { corpusLine, corpusText, FILES, sparseCosine } from "../helpers.js";

// The embedder of the default (hashing) index, built as in hashing-embeddings.test.ts.
const tokenize = createTokenizer({ segmenter: createJiebaSegmenter() });
const idfTable = loadJiebaIdf();
const embeddings = new HashingEmbeddings({ tokenize, idf: (word) => idfTable.get(word) });

/** Every non-empty line of the five corpus documents, in a fixed order: label = position. */
const LINES = Object.values(FILES).flatMap((file) =>
  corpusText(file)
    .split(/\r?\n/)
    .filter((line) => line.trim()),
);
const VECTORS = LINES.map((line) => embeddings.sparse(line));
const INDEX = SparseVectorIndex.build(VECTORS);

/** The dev set's questions (real citizens' questions, Simplified and Traditional). */
const QUESTIONS = parseEvalSet(readFileSync(join(import.meta.dirname, "..", "eval", "dev.jsonl"), "utf8")).map((item) => item.question);


const plain = (v: SparseVector) => ({ ids: Array.from(v.ids), weights: Array.from(v.weights) });
const sameVector = (a: SparseVector, b: SparseVector) => JSON.stringify(plain(a)) === JSON.stringify(plain(b));

/** Exact cosine in float64, independent of the index. */
const cosine = sparseCosine;

/** Brute force over every row: rows with a positive cosine, best first, ties to the lower label. */
function bruteForce(query: SparseVector, filter: (label: number) => boolean = () => true): VectorSearchHit[] {
  return VECTORS.map((v, label) => ({ label, similarity: cosine(query, v) }))
    .filter((h) => h.similarity > 0 && filter(h.label))
    .sort((a, b) => b.similarity - a.similarity || a.label - b.label);
}

/**
 * The index accumulates in float32: similarities agree to 5e-6 (a line of 500 features scored
 * against itself is off by 2e-6), and the order is the brute-force order except between rows whose
 * exact cosines are closer than that (no dev-set question has such a near-tie in its top 10: the
 * closest gap there is 1.8e-5; exact ties are checked separately with repeated lines).
 */
const NEAR = 5e-6;
function expectSameRanking(got: VectorSearchHit[], all: VectorSearchHit[], k: number): void {
  const expected = all.slice(0, k);
  expect(got).toHaveLength(expected.length);
  expect(new Set(got.map((h) => h.label)).size).toBe(got.length);
  got.forEach((hit, i) => {
    expect(Math.abs(hit.similarity - expected[i]!.similarity)).toBeLessThan(NEAR);
    const tied = all.filter((h) => Math.abs(h.similarity - expected[i]!.similarity) < NEAR).map((h) => h.label);
    if (tied.length > 1) expect(tied).toContain(hit.label);
    else expect(hit.label).toBe(expected[i]!.label);
  });
}

/** For each line, the labels with an identical vector (itself, and any repetition of the line). */
const SAME = VECTORS.map((v) => VECTORS.flatMap((w, other) => (sameVector(v, w) ? [other] : [])));
/** For each line, the lowest label whose vector is identical (itself unless it repeats an earlier line's). */
const FIRST_SAME = SAME.map((labels) => labels[0]!);

describe("sparseVector", () => {
  const afterSchool = embeddings.sparse(corpusLine(FILES.speech, "启动中小学课后延时服务"));
  const schoolBus = embeddings.sparse(corpusLine(FILES.speech, "校车管理运行模式"));

  it("hashing features of corpus text are well formed: ascending unique 32-bit ids, positive weights, unit length", () => {
    for (const v of [afterSchool, schoolBus, ...VECTORS]) {
      expect(v.ids).toBeInstanceOf(Uint32Array);
      expect(v.weights).toBeInstanceOf(Float32Array);
      expect(v.ids.length).toBe(v.weights.length);
      expect(v.ids.length).toBeGreaterThan(0);
      for (let i = 1; i < v.ids.length; i++) expect(v.ids[i]!).toBeGreaterThan(v.ids[i - 1]!);
      expect(Math.min(...v.weights)).toBeGreaterThan(0);
      expect(Math.hypot(...v.weights)).toBeCloseTo(1, 6);
    }
    // Ids use all 32 bits (sorted as unsigned numbers, not as signed ones).
    expect(Array.from(afterSchool.ids).some((id) => id >= 2 ** 31)).toBe(true);
    expect(Array.from(afterSchool.ids).some((id) => id < 2 ** 31)).toBe(true);
  });

  it("sorts ids, sums duplicate ids, drops zero weights and L2-normalises", () => {
    const [x, y, z] = afterSchool.ids;
    const v = sparseVector([y!, x!, y!, z!], [1, 2, 3, 0]);
    expect(Array.from(v.ids)).toEqual([x, y]);
    expect(v.weights[0]).toBeCloseTo(2 / Math.sqrt(20), 7);
    expect(v.weights[1]).toBeCloseTo(4 / Math.sqrt(20), 7);
    // Exact lengths: no spare capacity behind the arrays.
    expect(v.ids.buffer.byteLength).toBe(2 * 4);
    expect(v.weights.buffer.byteLength).toBe(2 * 4);
  });

  it("is idempotent on a normalised vector and independent of the input order", () => {
    for (const v of [afterSchool, schoolBus, VECTORS[0]!, VECTORS.at(-1)!]) {
      expect(plain(sparseVector(v.ids, v.weights))).toEqual(plain(v));
      const reversed = sparseVector(Array.from(v.ids).reverse(), Array.from(v.weights).reverse());
      expect(reversed.ids).toEqual(v.ids);
      Array.from(reversed.weights).forEach((w, i) => expect(w).toBeCloseTo(v.weights[i]!, 7));
    }
  });

  it("adds two passages' features: shared ids are summed, the result is their normalised sum", () => {
    const shared = Array.from(afterSchool.ids).filter((id) => schoolBus.ids.includes(id));
    expect(shared.length).toBeGreaterThan(0);
    const ids = [...afterSchool.ids, ...schoolBus.ids];
    const weights = [...afterSchool.weights, ...schoolBus.weights];
    const inputIds = ids.slice();
    const sum = sparseVector(ids, weights);
    expect(ids).toEqual(inputIds); // the input is left alone

    const expected = new Map<number, number>();
    ids.forEach((id, i) => expected.set(id, (expected.get(id) ?? 0) + weights[i]!));
    const norm = Math.hypot(...expected.values());
    const expectedIds = [...expected.keys()].sort((a, b) => a - b);
    expect(Array.from(sum.ids)).toEqual(expectedIds);
    expect(sum.ids.length).toBe(afterSchool.ids.length + schoolBus.ids.length - shared.length);
    expectedIds.forEach((id, i) => expect(sum.weights[i]).toBeCloseTo(expected.get(id)! / norm, 6));
    expect(Math.hypot(...sum.weights)).toBeCloseTo(1, 6);
  });

  it("drops features that cancel out or weigh zero; nothing left is the empty vector", () => {
    // after-school + bus − after-school: the bus passage's features only.
    const minus = sparseVector([...afterSchool.ids, ...schoolBus.ids, ...afterSchool.ids], [...afterSchool.weights, ...schoolBus.weights, ...afterSchool.weights.map((w) => -w)]);
    expect(minus.ids).toEqual(schoolBus.ids);
    Array.from(minus.weights).forEach((w, i) => expect(w).toBeCloseTo(schoolBus.weights[i]!, 6));

    const halved = sparseVector(
      afterSchool.ids,
      afterSchool.weights.map((w, i) => (i % 2 ? 0 : w)),
    );
    expect(Array.from(halved.ids)).toEqual(Array.from(afterSchool.ids).filter((_, i) => i % 2 === 0));
    expect(Math.hypot(...halved.weights)).toBeCloseTo(1, 6);

    const nothing = sparseVector(afterSchool.ids, new Float32Array(afterSchool.ids.length));
    expect(nothing.ids).toHaveLength(0);
    expect(nothing.weights).toHaveLength(0);
    expect(plain(sparseVector([], []))).toEqual({ ids: [], weights: [] });
  });

  it("refuses a vector of 2^21 features or more", () => {
    const n = 2 ** 21;
    const ids = Array.from({ length: n }, (_, i) => afterSchool.ids[i % afterSchool.ids.length]!);
    expect(() => sparseVector(ids, new Float32Array(n).fill(1))).toThrow(/too large/);
  });
});

describe("SparseVectorIndex on the corpus lines", () => {
  it("holds every line: size, postings, id, dimensions", () => {
    expect(LINES.length).toBeGreaterThan(100);
    expect(INDEX.size).toBe(LINES.length);
    expect(INDEX.postings).toBe(VECTORS.reduce((n, v) => n + v.ids.length, 0));
    expect(INDEX.id).toBe("sparse-postings-v1");
    expect(SparseVectorIndex.ID).toBe("sparse-postings-v1");
    expect(INDEX.dimensions).toBe(0);
  });

  it("ranks exactly as a brute-force cosine over every line (top 10, labels and similarities), for every dev-set question", () => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(20);
    let full = 0;
    for (const question of QUESTIONS) {
      const query = embeddings.sparse(question);
      const all = bruteForce(query);
      if (all.length >= 10) full++;
      expectSameRanking(INDEX.search(query, 10), all, 10);
    }
    // Most questions share features with more than ten lines: the top 10 is a real cut.
    expect(full).toBeGreaterThan(QUESTIONS.length / 2);
  });

  it("k larger than the index: every line with a positive cosine, in brute-force order; k = 0: nothing", () => {
    for (const question of QUESTIONS.slice(0, 8)) {
      const query = embeddings.sparse(question);
      const all = bruteForce(query);
      const hits = INDEX.search(query, INDEX.size + 50);
      expect(hits.length).toBeLessThanOrEqual(INDEX.size);
      expectSameRanking(hits, all, all.length);
      expectSameRanking(INDEX.search(query, INDEX.size), all, all.length);
      expect(INDEX.search(query, 0)).toEqual([]);
    }
    // A line searched with k = size finds every line it shares a feature with.
    const line = VECTORS[LINES.findIndex((l) => l.includes("全市新增公办园22所"))]!;
    expectSameRanking(INDEX.search(line, INDEX.size), bruteForce(line), INDEX.size);
  });

  it("finds each line by its own vector first, similarity ≈ 1; a repeated line goes to its first occurrence", () => {
    for (let label = 0; label < VECTORS.length; label++) {
      const same = SAME[label]!;
      const hits = INDEX.search(VECTORS[label]!, same.length + 1);
      expect(hits[0]!.label).toBe(FIRST_SAME[label]);
      expect(hits[0]!.similarity).toBeCloseTo(1, 5);
      // Identical vectors tie exactly and come in label order; whatever follows scores lower.
      expect(hits.slice(0, same.length)).toEqual(same.map((l) => ({ label: l, similarity: hits[0]!.similarity })));
      if (hits.length > same.length) expect(hits[same.length]!.similarity).toBeLessThan(hits[0]!.similarity);
    }
  });

  it("breaks exact ties by the lower label (repeated list items of the corpus)", () => {
    const repeats = FIRST_SAME.map((first, label) => [first, label] as const).filter(([first, label]) => first !== label);
    // The corpus repeats a few short list items (a bare "1", "2"): identical vectors under two labels.
    expect(repeats.length).toBeGreaterThan(0);
    for (const [first, label] of repeats) {
      expect(LINES[label]!.trim()).toBe(LINES[first]!.trim());
      const hits = INDEX.search(VECTORS[label]!, 10);
      const tiedLabels = hits.filter((h) => h.similarity === hits[0]!.similarity).map((h) => h.label);
      expect(tiedLabels).toEqual([...tiedLabels].sort((a, b) => a - b));
      expect(tiedLabels).toEqual(expect.arrayContaining([first, label]));
      // With the first occurrence filtered out, the line itself comes first.
      expect(INDEX.search(VECTORS[label]!, 1, (l) => l !== first)[0]!.label).toBe(label);
    }
  });

  it("breaks a tie at the cut-off by the lower label even when the higher label is scored first", () => {
    // Two of a passage's own features, one per row: row 1 holds the lower feature id, so it is
    // reached first; the query weighs both equally, so the two rows tie.
    const v = embeddings.sparse(corpusLine(FILES.speech, "校车管理运行模式"));
    const [low, high] = [v.ids[0]!, v.ids[1]!];
    const index = SparseVectorIndex.build([sparseVector([high], [1]), sparseVector([low], [1]), sparseVector([low, high], [1, 3])]);
    const query = sparseVector([low, high], [1, 1]);
    const [first, second] = index.search(query, 3);
    expect(first!.label).toBe(2);
    expect(second!.similarity).toBe(index.search(query, 3)[2]!.similarity);
    expect(index.search(query, 3).slice(1).map((h) => h.label)).toEqual([0, 1]);
    expect(index.search(query, 2, (label) => label !== 2)).toEqual([
      { label: 0, similarity: second!.similarity },
      { label: 1, similarity: second!.similarity },
    ]);
    expect(index.search(query, 1, (label) => label !== 2)).toEqual([{ label: 0, similarity: second!.similarity }]);
  });

  it("respects a filter: the brute-force ranking over the accepted lines only", () => {
    // Lines of the 2021 summary only, and every other line.
    const start = LINES.indexOf(corpusText(FILES.summary2021).split(/\r?\n/).find((l) => l.trim())!);
    const count = corpusText(FILES.summary2021)
      .split(/\r?\n/)
      .filter((l) => l.trim()).length;
    const filters = [(label: number) => label >= start && label < start + count, (label: number) => label % 2 === 1];
    let excludedSomething = 0;
    for (const filter of filters) {
      for (const question of QUESTIONS) {
        const query = embeddings.sparse(question);
        const hits = INDEX.search(query, 10, filter);
        expect(hits.every((h) => filter(h.label))).toBe(true);
        expectSameRanking(hits, bruteForce(query, filter), 10);
        if (INDEX.search(query, 10).some((h) => !filter(h.label))) excludedSomething++;
      }
    }
    // The filters did remove lines the unfiltered search ranks in its top 10.
    expect(excludedSomething).toBeGreaterThan(QUESTIONS.length);
    // A filter that rejects everything: no hits.
    expect(INDEX.search(embeddings.sparse(QUESTIONS[0]!), 10, () => false)).toEqual([]);
  });

  it("scores nothing for a question that shares no feature with the corpus, and each search starts afresh", () => {
    const question = QUESTIONS[0]!;
    const before = INDEX.search(embeddings.sparse(question), 10);
    expect(INDEX.search(sparseVector([], []), 10)).toEqual([]);
    // Repeated and interleaved searches give the same answers (no score left over from a previous search).
    for (const other of QUESTIONS.slice(1, 6)) INDEX.search(embeddings.sparse(other), 5, (label) => label % 3 === 0);
    expect(INDEX.search(embeddings.sparse(question), 10)).toEqual(before);
  });

  it("rowVectors gives back the vectors it was built from", () => {
    const rows = INDEX.rowVectors();
    expect(rows).toHaveLength(VECTORS.length);
    rows.forEach((row, label) => {
      expect(row.ids).toBeInstanceOf(Uint32Array);
      expect(row.weights).toBeInstanceOf(Float32Array);
      expect(plain(row)).toEqual(plain(VECTORS[label]!));
    });
    // Rebuilding from them gives the same index, byte for byte.
    expect(Buffer.from(SparseVectorIndex.build(rows).serialize()).equals(Buffer.from(INDEX.serialize()))).toBe(true);
  });

  it("keeps labels in place around a row without features, and an empty index searches to nothing", () => {
    const [a, b] = [VECTORS[0]!, VECTORS[1]!];
    const withEmpty = SparseVectorIndex.build([a, sparseVector([], []), b]);
    expect(withEmpty.size).toBe(3);
    expect(withEmpty.rowVectors().map(plain)).toEqual([plain(a), { ids: [], weights: [] }, plain(b)]);
    expect(withEmpty.search(b, 3)[0]).toEqual({ label: 2, similarity: expect.closeTo(1, 5) as number });
    expect(withEmpty.search(b, 3).map((h) => h.label)).not.toContain(1);

    const empty = SparseVectorIndex.build([]);
    expect(empty.size).toBe(0);
    expect(empty.postings).toBe(0);
    expect(empty.search(a, 10)).toEqual([]);
    const reloaded = SparseVectorIndex.deserialize(empty.serialize());
    expect(reloaded.size).toBe(0);
    expect(reloaded.search(a, 10)).toEqual([]);
    expect(reloaded.rowVectors()).toEqual([]);
  });
});

describe("SparseVectorIndex over more than 65,536 passages (rows held in blocks of 65,536 labels)", () => {
  // 70,000 rows: the corpus lines over and over, so row r holds line r mod n and its cosine to a
  // question is that line's (brute force over the lines gives every row's expected similarity).
  const SIZE = 70_000;
  const BIG_VECTORS = Array.from({ length: SIZE }, (_, r) => VECTORS[r % VECTORS.length]!);
  const BIG = SparseVectorIndex.build(BIG_VECTORS);

  /** Brute force over the big index's rows that `filter` accepts, best first, ties to the lower label. */
  function bigBruteForce(query: SparseVector, filter: (label: number) => boolean): VectorSearchHit[] {
    const byLine = VECTORS.map((v) => cosine(query, v));
    const hits: VectorSearchHit[] = [];
    for (let label = 0; label < SIZE; label++) if (byLine[label % VECTORS.length]! > 0 && filter(label)) hits.push({ label, similarity: byLine[label % VECTORS.length]! });
    return hits.sort((a, b) => b.similarity - a.similarity || a.label - b.label);
  }

  it("holds every row, and ranks the rows beyond 65,535 as brute force does", () => {
    expect(BIG.size).toBe(SIZE);
    expect(BIG.postings).toBe(BIG_VECTORS.reduce((n, v) => n + v.ids.length, 0));
    const beyond = (label: number) => label >= 65_536;
    for (const question of QUESTIONS.slice(0, 6)) {
      const query = embeddings.sparse(question);
      const hits = BIG.search(query, 10, beyond);
      expect(hits.every((h) => h.label >= 65_536)).toBe(true);
      expectSameRanking(hits, bigBruteForce(query, beyond), 10);
      // Unfiltered, a line's first copy (a low label) comes before its copies in the second block.
      expectSameRanking(BIG.search(query, 10), bigBruteForce(query, () => true), 10);
    }
    // A line searched by its own vector finds its copies in both blocks, labels ascending.
    const label = LINES.findIndex((l) => l.includes("全市新增公办园22所"));
    const copies = Array.from({ length: SIZE }, (_, r) => r).filter((r) => SAME[label]!.includes(r % VECTORS.length));
    expect(copies.some((r) => r >= 65_536)).toBe(true);
    expect(BIG.search(VECTORS[label]!, copies.length).map((h) => h.label)).toEqual(copies);
  });

  it("rowVectors and serialisation give back the rows as plain 32-bit labels, and reload to the same index", () => {
    const bytes = BIG.serialize();
    const rowVectors = BIG.rowVectors();
    expect(rowVectors).toHaveLength(SIZE);
    for (const r of [0, 1, 65_535, 65_536, 65_537, SIZE - 1]) expect(plain(rowVectors[r]!)).toEqual(plain(BIG_VECTORS[r]!));
    expect(Buffer.from(SparseVectorIndex.build(rowVectors).serialize()).equals(Buffer.from(bytes))).toBe(true);
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const distinct = words[3]!;
    const rows = words.subarray(5 + distinct + distinct + 1, 5 + distinct + distinct + 1 + BIG.postings);
    expect(rows.reduce((max, r) => Math.max(max, r), 0)).toBe(SIZE - 1);
    // Ascending within each feature, across the block boundary.
    const offsets = words.subarray(5 + distinct, 5 + distinct + distinct + 1);
    let unordered = 0;
    for (let f = 0; f < distinct; f++) for (let i = offsets[f]! + 1; i < offsets[f + 1]!; i++) if (rows[i]! <= rows[i - 1]!) unordered++;
    expect(unordered).toBe(0);
    const reloaded = SparseVectorIndex.deserialize(bytes);
    expect(Buffer.from(reloaded.serialize()).equals(Buffer.from(bytes))).toBe(true);
    for (const question of QUESTIONS.slice(0, 6)) {
      const query = embeddings.sparse(question);
      expect(reloaded.search(query, 10, (l) => l % 3 === 0)).toEqual(BIG.search(query, 10, (l) => l % 3 === 0));
    }
  });
});

describe("SparseVectorIndex serialisation", () => {
  const bytes = INDEX.serialize();
  const queries = [...QUESTIONS.map((q) => embeddings.sparse(q)), ...VECTORS.filter((_, i) => i % 9 === 0)];

  /** Same size, same postings, same rows and the same hits (exactly) as the original. */
  function expectSameIndex(copy: SparseVectorIndex): void {
    expect(copy.size).toBe(INDEX.size);
    expect(copy.postings).toBe(INDEX.postings);
    expect(copy.id).toBe(INDEX.id);
    for (const query of queries) {
      expect(copy.search(query, 10)).toEqual(INDEX.search(query, 10));
      expect(copy.search(query, 5, (label) => label % 2 === 0)).toEqual(INDEX.search(query, 5, (label) => label % 2 === 0));
    }
    expect(copy.rowVectors().map(plain)).toEqual(VECTORS.map(plain));
    expect(Buffer.from(copy.serialize()).equals(Buffer.from(bytes))).toBe(true);
  }

  it("is deterministic and a whole number of 32-bit words", () => {
    expect(Buffer.from(INDEX.serialize()).equals(Buffer.from(bytes))).toBe(true);
    expect(bytes.byteLength % 4).toBe(0);
    // At least a row id and a weight per posting.
    expect(bytes.byteLength).toBeGreaterThan(8 * INDEX.postings);
  });

  it("round-trips: deserialize(serialize()) searches identically", () => {
    expectSameIndex(SparseVectorIndex.deserialize(bytes));
    // A Node Buffer (as read from disk) works too.
    expectSameIndex(SparseVectorIndex.deserialize(Buffer.from(bytes)));
  });

  it("round-trips from inside a larger buffer, at an unaligned offset and at an aligned one", () => {
    for (const offset of [1, 2, 3, 5, 8]) {
      const larger = new Uint8Array(bytes.byteLength + offset + 11).fill(0xa5);
      larger.set(bytes, offset);
      const view = larger.subarray(offset, offset + bytes.byteLength);
      expect(view.byteOffset).toBe(offset);
      expectSameIndex(SparseVectorIndex.deserialize(view));
    }
  });

  it("throws on truncated data", () => {
    for (const length of [0, 4, 19, 20, bytes.byteLength / 2 - ((bytes.byteLength / 2) % 4), bytes.byteLength - 4, bytes.byteLength - 1]) {
      expect(() => SparseVectorIndex.deserialize(bytes.slice(0, length)), `length ${length}`).toThrow(/sparse vector index/);
    }
    // …and on trailing bytes.
    const longer = new Uint8Array(bytes.byteLength + 4);
    longer.set(bytes);
    expect(() => SparseVectorIndex.deserialize(longer)).toThrow(/sparse vector index/);
  });

  it("throws on a wrong magic number, an unknown version or inconsistent counts", () => {
    const damaged = (edit: (words: DataView) => void) => {
      const copy = bytes.slice();
      edit(new DataView(copy.buffer));
      return copy;
    };
    expect(() => SparseVectorIndex.deserialize(damaged((w) => w.setUint8(0, w.getUint8(0) ^ 0xff)))).toThrow(/unknown format/);
    expect(() => SparseVectorIndex.deserialize(damaged((w) => w.setUint32(0, 0x31565053, true)))).toThrow(/unknown format/);
    expect(() => SparseVectorIndex.deserialize(damaged((w) => w.setUint32(4, 2, true)))).toThrow(/unknown format/);
    // Header words: magic, version, size, distinct features, postings.
    const distinct = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
    expect(distinct).toBeGreaterThan(0);
    expect(() => SparseVectorIndex.deserialize(damaged((w) => w.setUint32(12, distinct + 1, true)))).toThrow(/sparse vector index/);
    expect(() => SparseVectorIndex.deserialize(damaged((w) => w.setUint32(16, INDEX.postings - 1, true)))).toThrow(/sparse vector index/);
    // The last offset must close the postings.
    const lastOffset = (5 + distinct + distinct) * 4;
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(lastOffset, true)).toBe(INDEX.postings);
    expect(() => SparseVectorIndex.deserialize(damaged((w) => w.setUint32(lastOffset, INDEX.postings - 1, true)))).toThrow(/inconsistent offsets/);
    // Text is not an index.
    expect(() => SparseVectorIndex.deserialize(new TextEncoder().encode(LINES[0]!.padEnd(40, "。")))).toThrow(/sparse vector index/);
  });
});

describe("dense and sparse queries do not mix", () => {
  const line = corpusLine(FILES.summary2024, "全市新增公办园22所");

  it("isSparseVector tells the two apart", () => {
    expect(isSparseVector(embeddings.sparse(line))).toBe(true);
    expect(isSparseVector(embeddings.embed(line))).toBe(false);
    expect(isSparseVector(Array.from(embeddings.embed(line)))).toBe(false);
  });

  it("denseQuery passes a dense embedding through and throws on a sparse vector", async () => {
    const dense = embeddings.embed(line);
    expect(denseQuery(dense)).toBe(dense);
    const asArray = await embeddings.embedQuery(line);
    expect(denseQuery(asArray)).toBe(asArray);
    expect(() => denseQuery(embeddings.sparse(line))).toThrow(/sparse query/);
  });

  it("the sparse index refuses a dense query; the HNSW index refuses a sparse one", () => {
    expect(() => INDEX.search(embeddings.embed(line), 5)).toThrow(/sparse vector/);
    const texts = LINES.slice(0, 20);
    const hnsw = HnswVectorIndex.build(
      texts.map((t) => embeddings.embed(t)),
      embeddings.dimensions,
    );
    expect(() => hnsw.search(embeddings.sparse(texts[3]!), 1)).toThrow(/sparse query/);
    expect(hnsw.search(embeddings.embed(texts[3]!), 1)[0]?.label).toBe(texts.indexOf(texts[3]!));
  });
});
