import { describe, expect, it } from "vitest";
import { FlatVectorIndex } from "../../src/core/search/flat-vector-index.js";
import { HashingEmbeddings } from "../../src/core/search/hashing-embeddings.js";
import { JiebaLexicon } from "../../src/core/search/jieba-lexicon.js";
import { createJsSegmenter } from "../../src/core/search/js-segmenter.js";
import { createTokenizer } from "../../src/core/search/tokenizer.js";
import { packCppjiebaLexicon } from "../../src/node/jieba-lexicon.js";

const lexicon = JiebaLexicon.decode(packCppjiebaLexicon());
const tokenize = createTokenizer({ segmenter: createJsSegmenter({ lexicon }) });
const embeddings = new HashingEmbeddings({ tokenize, idf: (w) => lexicon.idf(w) });

// Sentences from the corpus (2021 and 2024 work summaries).
const passages = [
  "全面推行义务教育学校课后服务“5+2”模式,参与学生达到62.7万人,参与率72.9%。",
  "新建、改扩建中小学幼儿园50所,新增学位3.86万个。",
  "发放助学金6100万元,惠及家庭经济困难学生5.4万人次。",
  "新增公办园22所,提供公办学位5800个。",
  "3221家培训机构纳入民办教育智能管理服务平台。",
];

describe("FlatVectorIndex", () => {
  const rows = passages.map((p) => embeddings.embed(p));
  const flat = new Float32Array(rows.length * embeddings.dimensions);
  rows.forEach((r, i) => flat.set(r, i * embeddings.dimensions));
  const index = new FlatVectorIndex(flat, embeddings.dimensions);

  it("ranks by exact cosine similarity, best first", () => {
    const hits = index.search(embeddings.embed("课后服务的参与率是多少"), 3);
    expect(hits[0]!.label).toBe(0);
    expect(hits.map((h) => h.similarity)).toEqual([...hits.map((h) => h.similarity)].sort((a, b) => b - a));
    const brute = rows.map((r, label) => ({ label, similarity: r.reduce((s, v, i) => s + v * embeddings.embed("课后服务的参与率是多少")[i]!, 0) }));
    expect(hits[0]!.similarity).toBeCloseTo(Math.max(...brute.map((b) => b.similarity)), 5);
  });

  it("honours the filter and never returns more than it holds", () => {
    expect(index.search(embeddings.embed("助学金"), 10, (label) => label !== 2).map((h) => h.label)).not.toContain(2);
    expect(index.search(embeddings.embed("助学金"), 50)).toHaveLength(passages.length);
  });

  it("refuses a query of the wrong dimension and ragged data", () => {
    expect(() => index.search(new Float32Array(3), 1)).toThrow(/dimensions/);
    expect(() => new FlatVectorIndex(new Float32Array(10), 4)).toThrow(/whole number/);
  });
});
