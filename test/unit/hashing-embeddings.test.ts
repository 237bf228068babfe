import { describe, expect, it } from "vitest";

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { parseEvalSet } from "../../src/core/eval/eval-set.js";
import { HASHING_EMBEDDINGS_VERSION, HashingEmbeddings, SPARSE_FEATURES_VERSION } from "../../src/core/search/hashing-embeddings.js";
import type { SparseVector } from "../../src/core/search/sparse-vector-index.js";
import { createTokenizer } from "../../src/core/search/tokenizer.js";
import { convertToTraditional, foldForMatching, foldToSimplified } from "../../src/core/text/fold.js";
import { createJiebaSegmenter, loadJiebaIdf } from "../../src/node/jieba-segmenter.js";
import { corpusLine, corpusText, FILES, sparseCosine } from "../helpers.js";

const tokenize = createTokenizer({ segmenter: createJiebaSegmenter() });
const idfTable = loadJiebaIdf();
const idf = (word: string) => idfTable.get(word);
const embeddings = new HashingEmbeddings({ tokenize, idf });


const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const norm = (a: ArrayLike<number>) => Math.sqrt(dot(a, a));
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => dot(a, b) / (norm(a) * norm(b));

const QUESTION = "孩子放学太早没人接，学校能多管一会儿吗？";
/** The speech's passage on after-school care (课后延时服务). */
const AFTER_SCHOOL = corpusLine(FILES.speech, "启动中小学课后延时服务");
/** The speech's passage on school buses (校车): unrelated to the question. */
const SCHOOL_BUS = corpusLine(FILES.speech, "校车管理运行模式");
/** A passage of the 2024 summary on 公办园 places: unrelated too. */
const KINDERGARTEN = corpusLine(FILES.summary2024, "全市新增公办园22所");

describe("HashingEmbeddings", () => {
  it("has the configured dimensions and an id naming version and dimensions", async () => {
    expect(embeddings.dimensions).toBe(512);
    expect(embeddings.id).toBe(`${HASHING_EMBEDDINGS_VERSION}-d512`);
    expect(embeddings.embed(AFTER_SCHOOL)).toHaveLength(512);
    expect(await embeddings.embedQuery(QUESTION)).toHaveLength(512);

    const small = new HashingEmbeddings({ tokenize, idf, dimensions: 128 });
    expect(small.id).toBe(`${HASHING_EMBEDDINGS_VERSION}-d128`);
    expect(small.embed(AFTER_SCHOOL)).toHaveLength(128);
    const docs = await small.embedDocuments([AFTER_SCHOOL, SCHOOL_BUS, QUESTION]);
    expect(docs.map((d) => d.length)).toEqual([128, 128, 128]);
  });

  it("is deterministic: same text → same vector, across calls and instances", async () => {
    const other = new HashingEmbeddings({ tokenize: createTokenizer({ segmenter: createJiebaSegmenter() }), idf });
    const a = embeddings.embed(AFTER_SCHOOL);
    expect(Array.from(embeddings.embed(AFTER_SCHOOL))).toEqual(Array.from(a));
    expect(Array.from(other.embed(AFTER_SCHOOL))).toEqual(Array.from(a));
    expect(await embeddings.embedQuery(AFTER_SCHOOL)).toEqual(Array.from(a));
    const [d1, d2] = await embeddings.embedDocuments([AFTER_SCHOOL, SCHOOL_BUS]);
    expect(d1).toEqual(Array.from(a));
    expect(d2).toEqual(Array.from(embeddings.embed(SCHOOL_BUS)));
    // …and different texts give different vectors.
    expect(d2).not.toEqual(d1);
  });

  it("returns unit-norm vectors", async () => {
    for (const text of [QUESTION, AFTER_SCHOOL, SCHOOL_BUS, KINDERGARTEN, "校车", "72.9%"]) {
      expect(norm(embeddings.embed(text))).toBeCloseTo(1, 5);
    }
    for (const v of await embeddings.embedDocuments([AFTER_SCHOOL, SCHOOL_BUS])) expect(norm(v)).toBeCloseTo(1, 5);
  });

  it("puts a colloquial question, with the analysis's expansion to 课后服务, closer to the 课后延时服务 passage than to unrelated ones", () => {
    expect(AFTER_SCHOOL).toContain("课后延时服务");
    expect(SCHOOL_BUS).toContain("校车");
    const q = embeddings.embedTokens([...tokenize(QUESTION), "课后服务"], foldToSimplified(QUESTION));
    const afterSchool = cosine(q, embeddings.embed(AFTER_SCHOOL));
    const bus = cosine(q, embeddings.embed(SCHOOL_BUS));
    const kindergarten = cosine(q, embeddings.embed(KINDERGARTEN));
    expect(afterSchool).toBeGreaterThan(bus);
    expect(afterSchool).toBeGreaterThan(kindergarten);
    // A clear margin, not a tie broken by hashing noise.
    expect(afterSchool - Math.max(bus, kindergarten)).toBeGreaterThan(0.05);
  });

  it("gives a Traditional sentence and its Simplified form cosine > 0.99", () => {
    const traditional = corpusLine(FILES.priorities2020, "修訂校車安全管理辦法");
    const simplified = foldToSimplified(traditional);
    expect(simplified).not.toBe(traditional);
    expect(cosine(embeddings.embed(traditional), embeddings.embed(simplified))).toBeGreaterThan(0.99);

    // The other direction: a Simplified corpus sentence and its Traditional form.
    const traditionalBus = convertToTraditional(SCHOOL_BUS);
    expect(traditionalBus).not.toBe(SCHOOL_BUS);
    expect(traditionalBus).toContain("校車");
    expect(cosine(embeddings.embed(SCHOOL_BUS), embeddings.embed(traditionalBus))).toBeGreaterThan(0.99);
  });

  it("tells unrelated passages apart (cosine well below the script-variant level)", () => {
    expect(cosine(embeddings.embed(SCHOOL_BUS), embeddings.embed(KINDERGARTEN))).toBeLessThan(0.5);
  });
});

// ------------------------------------------------------------------------------------------------
// The sparse form: the same weighted features under exact 32-bit ids (the default vector index)
// ------------------------------------------------------------------------------------------------


const plain = (v: SparseVector) => ({ ids: Array.from(v.ids), weights: Array.from(v.weights) });
const nonEmptyLines = (file: string) =>
  corpusText(file)
    .split(/\r?\n/)
    .filter((l) => l.trim());

describe("HashingEmbeddings.sparse", () => {
  it("names its features' version and gives well-formed unit vectors", () => {
    expect(SPARSE_FEATURES_VERSION).toBe("hash-tfidf-sparse-v2");
    expect(embeddings.sparseId).toBe(SPARSE_FEATURES_VERSION);
    for (const text of [QUESTION, AFTER_SCHOOL, SCHOOL_BUS, KINDERGARTEN]) {
      const v = embeddings.sparse(text);
      expect(v.ids.length).toBeGreaterThan(5);
      expect(v.weights).toHaveLength(v.ids.length);
      for (let i = 1; i < v.ids.length; i++) expect(v.ids[i]!).toBeGreaterThan(v.ids[i - 1]!);
      expect(Math.min(...v.weights)).toBeGreaterThan(0);
      expect(Math.hypot(...v.weights)).toBeCloseTo(1, 6);
    }
  });

  it("is deterministic across calls and instances, and sparseTokens of the text's tokens and fold is the same vector", () => {
    const other = new HashingEmbeddings({ tokenize: createTokenizer({ segmenter: createJiebaSegmenter() }), idf });
    for (const text of [QUESTION, AFTER_SCHOOL, SCHOOL_BUS]) {
      const v = plain(embeddings.sparse(text));
      expect(plain(embeddings.sparse(text))).toEqual(v);
      expect(plain(other.sparse(text))).toEqual(v);
      expect(plain(embeddings.sparseTokens(tokenize(text), foldForMatching(text)))).toEqual(v);
    }
    expect(plain(embeddings.sparse(SCHOOL_BUS))).not.toEqual(plain(embeddings.sparse(AFTER_SCHOOL)));
    // The dimensions of the dense form play no part in the sparse one.
    const small = new HashingEmbeddings({ tokenize, idf, dimensions: 128 });
    expect(plain(small.sparse(AFTER_SCHOOL))).toEqual(plain(embeddings.sparse(AFTER_SCHOOL)));
  });

  it("puts the colloquial after-school question (its analysed terms, 课后服务 as a weighted expansion) closer to the 课后延时服务 passage than to the school-bus or 公办园 ones", () => {
    const weighted = new Map<string, number>(tokenize(QUESTION).map((t) => [t, 1]));
    weighted.set("课后服务", 0.5);
    const q = embeddings.sparseWeighted(weighted, foldToSimplified(QUESTION));
    // Without the expansion the question shares no word with the passage that answers it.
    const bare = embeddings.sparseWeighted(new Map(tokenize(QUESTION).map((t) => [t, 1])), foldToSimplified(QUESTION));
    expect(sparseCosine(q, embeddings.sparse(AFTER_SCHOOL))).toBeGreaterThan(sparseCosine(bare, embeddings.sparse(AFTER_SCHOOL)));
    const afterSchool = sparseCosine(q, embeddings.sparse(AFTER_SCHOOL));
    const bus = sparseCosine(q, embeddings.sparse(SCHOOL_BUS));
    const kindergarten = sparseCosine(q, embeddings.sparse(KINDERGARTEN));
    expect(afterSchool).toBeGreaterThan(bus);
    expect(afterSchool).toBeGreaterThan(kindergarten);
    // Without hashing noise the cosines are small, but the margin is a clear one (observed: ×1.39).
    expect(afterSchool).toBeGreaterThan(1.25 * Math.max(bus, kindergarten));
    // Unrelated passages stay apart.
    expect(sparseCosine(embeddings.sparse(SCHOOL_BUS), embeddings.sparse(KINDERGARTEN))).toBeLessThan(0.2);
  });

  it("gives a Traditional sentence and its Simplified form the same sparse vector", () => {
    const traditional = corpusLine(FILES.priorities2020, "修訂校車安全管理辦法");
    const simplified = foldToSimplified(traditional);
    expect(simplified).not.toBe(traditional);
    expect(plain(embeddings.sparse(simplified))).toEqual(plain(embeddings.sparse(traditional)));

    const traditionalBus = convertToTraditional(SCHOOL_BUS);
    expect(traditionalBus).toContain("校車");
    expect(plain(embeddings.sparse(traditionalBus))).toEqual(plain(embeddings.sparse(SCHOOL_BUS)));

    // Every line of the two Traditional documents, against its Simplified fold.
    const lines = [...nonEmptyLines(FILES.priorities2020), ...nonEmptyLines(FILES.summary2021)];
    expect(lines.filter((l) => foldToSimplified(l) !== l).length).toBeGreaterThan(20);
    for (const line of lines) expect(plain(embeddings.sparse(foldToSimplified(line)))).toEqual(plain(embeddings.sparse(line)));
  });

  it("holds exactly the dense form's features: a dense vector too wide to collide has the same weights", () => {
    // 1,000,003 buckets: none of these texts has two features in one bucket, so the dense vector is
    // the sparse one with each feature moved to a bucket and given a sign.
    const wide = new HashingEmbeddings({ tokenize, idf, dimensions: 1_000_003 });
    const texts = [QUESTION, AFTER_SCHOOL, SCHOOL_BUS, KINDERGARTEN, corpusLine(FILES.priorities2020, "修訂校車安全管理辦法")];
    const denseOf = texts.map((t) => wide.embed(t));
    texts.forEach((text, i) => {
      const sparse = embeddings.sparse(text);
      const magnitudes = Array.from(denseOf[i]!)
        .filter((x) => x !== 0)
        .map(Math.abs)
        .sort((a, b) => a - b);
      expect(magnitudes).toHaveLength(sparse.ids.length);
      const weights = Array.from(sparse.weights).sort((a, b) => a - b);
      magnitudes.forEach((m, j) => expect(m).toBeCloseTo(weights[j]!, 6));
    });
    // …hence the same cosines.
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        expect(cosine(denseOf[i]!, denseOf[j]!)).toBeCloseTo(sparseCosine(embeddings.sparse(texts[i]!), embeddings.sparse(texts[j]!)), 5);
      }
    }
  });

  it("tracks the 512-d dense cosine roughly over the dev-set questions × corpus lines (the dense one adds collision noise)", () => {
    const questions = parseEvalSet(readFileSync(join(import.meta.dirname, "..", "eval", "dev.jsonl"), "utf8")).map((item) => item.question);
    const lines = Object.values(FILES).flatMap(nonEmptyLines);
    const sparseLines = lines.map((l) => embeddings.sparse(l));
    const denseLines = lines.map((l) => embeddings.embed(l));
    const pairs: Array<[number, number]> = [];
    for (const question of questions) {
      const s = embeddings.sparse(question);
      const d = embeddings.embed(question);
      lines.forEach((_, i) => pairs.push([sparseCosine(s, sparseLines[i]!), dot(d, denseLines[i]!)]));
    }
    expect(pairs.length).toBeGreaterThan(3000);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [ms, md] = [mean(pairs.map((p) => p[0])), mean(pairs.map((p) => p[1]))];
    const cov = mean(pairs.map(([s, d]) => (s - ms) * (d - md)));
    const sd = (m: number, k: 0 | 1) => Math.sqrt(mean(pairs.map((p) => (p[k] - m) ** 2)));
    // Observed: correlation 0.84, mean absolute difference 0.042.
    expect(cov / (sd(ms, 0) * sd(md, 1))).toBeGreaterThan(0.75);
    expect(mean(pairs.map(([s, d]) => Math.abs(s - d)))).toBeLessThan(0.06);
  });
});
