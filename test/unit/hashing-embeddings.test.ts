import { describe, expect, it } from "vitest";

import { HASHING_EMBEDDINGS_VERSION, HashingEmbeddings } from "../../src/core/search/hashing-embeddings.js";
import { createTokenizer } from "../../src/core/search/tokenizer.js";
import { convertToTraditional, foldToSimplified } from "../../src/core/text/fold.js";
import { createJiebaSegmenter, loadJiebaIdf } from "../../src/node/jieba-segmenter.js";
import { corpusText, FILES } from "../helpers.js";

const tokenize = createTokenizer({ segmenter: createJiebaSegmenter() });
const idfTable = loadJiebaIdf();
const idf = (word: string) => idfTable.get(word);
const embeddings = new HashingEmbeddings({ tokenize, idf });

function corpusLine(file: string, needle: string): string {
  const line = corpusText(file)
    .split(/\r?\n/)
    .find((l) => l.includes(needle));
  if (line === undefined) throw new Error(`${file}: no line contains ${needle}`);
  return line;
}

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

  it("puts a colloquial question about after-school care closer to the 课后延时服务 passage than to unrelated ones", () => {
    expect(AFTER_SCHOOL).toContain("课后延时服务");
    expect(SCHOOL_BUS).toContain("校车");
    const q = embeddings.embed(QUESTION);
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
