/**
 * Bm25KeywordIndex holds its postings compactly (documents as 16-bit offsets in blocks of 65,536,
 * frequencies as bytes with the rare large one aside) but serializes them as plain numbers: an
 * index of more than 65,536 passages, and a passage with a word 300 times, score exactly as a
 * plain BM25+ scorer over the serialized postings, and reload to the same text.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Bm25KeywordIndex, KEYWORD_FIELD_BOOSTS, type KeywordDocument } from "../../src/core/search/keyword-index.js";
import { analyzeQuery } from "../../src/core/search/query.js";
import { createTokenizer, foldedTokenizer } from "../../src/core/search/tokenizer.js";
import type { KeywordSearchHit } from "../../src/core/types.js";
import { createJiebaSegmenter } from "../../src/node/jieba-segmenter.js";
import { CORPUS_LINES, EVAL_QUESTIONS } from "./equivalence-corpus.js";

const tokenize = createTokenizer({ segmenter: createJiebaSegmenter() });
const tokenizeFolded = foldedTokenizer(tokenize);

interface PlainField {
  offsets: Uint32Array;
  docs: Uint32Array;
  freqs: Uint16Array;
  lengths: Uint16Array;
}

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));

/** The serialized index (bm25-postings-v1) read back into plain arrays. */
function plainPostings(json: string): { terms: string[]; ids: Uint32Array; fields: PlainField[] } {
  const data = JSON.parse(json) as { terms: string[]; ids: string; fields: Array<Record<"offsets" | "docs" | "freqs" | "lengths", string>> };
  const u32 = (b64: string) => new Uint32Array(fromBase64(b64).buffer);
  const u16 = (b64: string) => new Uint16Array(fromBase64(b64).buffer);
  return { terms: data.terms, ids: u32(data.ids), fields: data.fields.map((f) => ({ offsets: u32(f.offsets), docs: u32(f.docs), freqs: u16(f.freqs), lengths: u16(f.lengths) })) };
}

/**
 * BM25+ as the index documents it (k 1.2, b 0.7, d 0.5; per field × boost × term weight, summed,
 * times the number of query terms matched), by brute force over plain postings; ties keep document order.
 */
function referenceSearch(json: string, terms: Map<string, number>, k: number, filter: (label: number) => boolean = () => true): Array<{ label: number; score: number }> {
  const { terms: vocabulary, ids, fields } = (plain ??= plainPostings(json));
  const n = ids.length;
  const boosts = [KEYWORD_FIELD_BOOSTS.title, KEYWORD_FIELD_BOOSTS.section, KEYWORD_FIELD_BOOSTS.text];
  const scores = new Float64Array(n);
  const matched = new Uint8Array(n);
  const order: number[] = [];
  const position = new Int32Array(n);
  [...terms].forEach(([term, weight]) => {
    const t = vocabulary.indexOf(term);
    if (t < 0) return;
    const seen = new Set<number>();
    fields.forEach((field, f) => {
      const average = field.lengths.reduce((a, b) => a + b, 0) / n || 1;
      const df = field.offsets[t + 1]! - field.offsets[t]!;
      const scale = weight * boosts[f]! * Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let i = field.offsets[t]!; i < field.offsets[t + 1]!; i++) {
        const d = field.docs[i]!;
        const tf = field.freqs[i]!;
        const norm = Math.fround(1.2 * (1 - 0.7 + (0.7 * field.lengths[d]!) / average));
        if (!seen.has(d)) {
          seen.add(d);
          if (!matched[d]) position[d] = order.push(d);
          matched[d]!++;
        }
        scores[d]! += scale * 0.5 + (scale * 2.2 * tf) / (tf + norm);
      }
    });
  });
  return order
    .map((d) => ({ d, score: scores[d]! * matched[d]! }))
    .filter(({ d }) => filter(ids[d]!))
    .sort((a, b) => b.score - a.score || position[a.d]! - position[b.d]!)
    .slice(0, k)
    .map(({ d, score }) => ({ label: ids[d]!, score }));
}

let plain: ReturnType<typeof plainPostings> | undefined;

const SIZE = 70_000;
let big: Bm25KeywordIndex;
let json: string;
let queries: Array<Map<string, number>>;

beforeAll(() => {
  // The corpus lines over and over, each copy with its own title; one passage holds 采暖 300 times.
  const lines = CORPUS_LINES.map((line) => tokenizeFolded(line));
  const documents: KeywordDocument[] = Array.from({ length: SIZE }, (_, i) => ({
    id: i,
    title: [`第${Math.floor(i / 500)}号文件`],
    section: i % 7 === 0 ? ["招生", "入学"] : [],
    text: i === 66_000 ? [...lines[0]!, ...Array.from({ length: 300 }, () => "采暖")] : lines[i % lines.length]!,
  }));
  big = Bm25KeywordIndex.build(documents);
  json = big.serialize();
  queries = EVAL_QUESTIONS.slice(0, 8).map((question) => analyzeQuery(question, tokenize).weighted);
  queries.push(new Map([["采暖", 1], ["招生", 0.5]]));
});

const plainHits = (hits: KeywordSearchHit[]) => hits.map(({ label, score }) => ({ label, score }));

describe("Bm25KeywordIndex over more than 65,536 passages", () => {
  it("scores exactly as a plain BM25+ over its serialized postings, unfiltered and with a filter beyond 65,535", () => {
    expect(big.size).toBe(SIZE);
    const beyond = (label: number) => label >= 65_536;
    for (const terms of queries) {
      expect(plainHits(big.searchWeighted(terms, 10))).toEqual(referenceSearch(json, terms, 10));
      const scoped = big.searchWeighted(terms, 10, beyond);
      expect(scoped.every((h) => h.label >= 65_536)).toBe(true);
      expect(plainHits(scoped)).toEqual(referenceSearch(json, terms, 10, beyond));
    }
  });

  it("keeps a frequency of 300: serialized as 300, and the passage holding it ranks first for that word", () => {
    const { terms, fields } = plainPostings(json);
    const t = terms.indexOf("采暖");
    const text = fields[2]!;
    const at = Array.from(text.docs.subarray(text.offsets[t]!, text.offsets[t + 1]!)).indexOf(66_000);
    expect(text.freqs[text.offsets[t]! + at]).toBe(300);
    expect(big.searchWeighted(new Map([["采暖", 1]]), 1)[0]!.label).toBe(66_000);
  });

  it("knows which query terms a hit beyond 65,535 contains, and reloads to the same text and hits", () => {
    const hit = big.searchWeighted(new Map([["采暖", 1], ["第132号文件", 1], ["没有这个词", 1]]), 1)[0]!;
    expect(hit.label).toBe(66_000);
    expect(hit.terms).toEqual(["采暖", "第132号文件"]);
    const text = plainPostings(json).fields[2]!;
    const t = plainPostings(json).terms.indexOf("采暖");
    expect(big.documentFrequency("采暖")).toBe(text.offsets[t + 1]! - text.offsets[t]!);
    const reloaded = Bm25KeywordIndex.load(json);
    expect(reloaded.serialize()).toBe(json);
    for (const terms of queries) expect(plainHits(reloaded.searchWeighted(terms, 10, (l) => l % 3 === 0))).toEqual(plainHits(big.searchWeighted(terms, 10, (l) => l % 3 === 0)));
  });
});
