import { beforeAll, describe, expect, it } from "vitest";
import { HashingEmbeddings } from "../../src/core/search/hashing-embeddings.js";
import { embeddingHeading } from "../../src/core/search/search-index.js";
import type { SparseVector } from "../../src/core/search/sparse-vector-index.js";
import { createTokenizer, foldedTokenizer } from "../../src/core/search/tokenizer.js";
import { Vocabulary } from "../../src/core/search/vocabulary.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import type { Passage } from "../../src/core/types.js";
import { createJiebaSegmenter, loadJiebaIdf } from "../../src/node/jieba-segmenter.js";
import { CORPUS_LINES, EVAL_QUESTIONS, corpusPassages } from "./equivalence-corpus.js";

const tokenize = createTokenizer({ segmenter: createJiebaSegmenter() });
const idfTable = loadJiebaIdf();
const idf = (word: string) => idfTable.get(word);

/** A text as ingest hands it to the embedder: its tokens and its folded form. */
interface Sample {
  text: string;
  tokens: string[];
  folded: string;
}
const sampleOf = (text: string): Sample => ({ text, tokens: tokenize(text), folded: foldForMatching(text) });

const TEXTS = [...CORPUS_LINES.filter((l) => l.trim()), ...EVAL_QUESTIONS];
const SAMPLES = TEXTS.map(sampleOf);

/** Ways a pair of sparse vectors differs: ids exactly, weights within 1e-6. */
function difference(actual: SparseVector, expected: SparseVector): string | undefined {
  if (actual.ids.length !== expected.ids.length) return `${actual.ids.length} features, expected ${expected.ids.length}`;
  for (let i = 0; i < actual.ids.length; i++) {
    if (actual.ids[i] !== expected.ids[i]) return `feature ${i}: id ${actual.ids[i]}, expected ${expected.ids[i]}`;
    if (!(Math.abs(actual.weights[i]! - expected.weights[i]!) <= 1e-6)) return `feature ${i}: weight ${actual.weights[i]}, expected ${expected.weights[i]}`;
  }
  return undefined;
}

describe("HashingEmbeddings.sparseEncoded equals sparseTokens", () => {
  it("every corpus line and eval question, one Vocabulary growing across the calls", () => {
    const reference = new HashingEmbeddings({ tokenize, idf });
    const embedder = new HashingEmbeddings({ tokenize, idf });
    const vocabulary = new Vocabulary();
    const sizes = new Set<number>();
    const bad: Array<{ text: string; why: string }> = [];
    for (const { text, tokens, folded } of SAMPLES) {
      const why = difference(embedder.sparseEncoded(vocabulary.encode(tokens), vocabulary, folded), reference.sparseTokens(tokens, folded));
      if (why) bad.push({ text, why });
      sizes.add(vocabulary.size);
    }
    expect(bad).toEqual([]);
    // The per-vocabulary tables start at 1024 entries and are regrown to twice the vocabulary
    // (copying what they hold) each time it outgrows them: past 1024, then past about 2100.
    expect(vocabulary.size).toBeGreaterThan(2500);
    expect(sizes.size).toBeGreaterThan(100);
  });

  it("a vocabulary that grew elsewhere between calls (terms encoded but never embedded)", () => {
    const reference = new HashingEmbeddings({ tokenize, idf });
    const embedder = new HashingEmbeddings({ tokenize, idf });
    const vocabulary = new Vocabulary();
    const bad: string[] = [];
    SAMPLES.forEach(({ text, tokens, folded }, i) => {
      // Every third text is only encoded: the next call finds the table behind the vocabulary.
      const ids = vocabulary.encode(tokens);
      if (i % 3 === 0) return;
      if (difference(embedder.sparseEncoded(ids, vocabulary, folded), reference.sparseTokens(tokens, folded))) bad.push(text);
    });
    expect(bad).toEqual([]);
    // Then the table is current: texts again, in reverse, all tokens known.
    const size = vocabulary.size;
    for (const { text, tokens, folded } of [...SAMPLES].reverse()) {
      if (difference(embedder.sparseEncoded(vocabulary.encode(tokens), vocabulary, folded), reference.sparseTokens(tokens, folded))) bad.push(text);
    }
    expect(vocabulary.size).toBe(size);
    expect(bad).toEqual([]);
  });

  it("two Vocabulary objects used alternately (different ids for the same words)", () => {
    const reference = new HashingEmbeddings({ tokenize, idf });
    const embedder = new HashingEmbeddings({ tokenize, idf });
    const forward = new Vocabulary();
    const backward = new Vocabulary();
    // Seed the second vocabulary in reverse text order so its ids differ from the first's.
    for (const { tokens } of [...SAMPLES].reverse().slice(0, 40)) backward.encode(tokens);
    const bad: string[] = [];
    SAMPLES.forEach(({ text, tokens, folded }, i) => {
      const expected = reference.sparseTokens(tokens, folded);
      const [first, second] = i % 2 ? [forward, backward] : [backward, forward];
      if (difference(embedder.sparseEncoded(first.encode(tokens), first, folded), expected)) bad.push(`first ${text}`);
      if (difference(embedder.sparseEncoded(second.encode(tokens), second, folded), expected)) bad.push(`second ${text}`);
    });
    expect(bad).toEqual([]);
    const shared = forward.terms.filter((t) => backward.terms.includes(t));
    expect(shared.filter((t) => forward.id(t) !== backward.id(t)).length).toBeGreaterThan(1000);
  });

  describe("ingest's passages", () => {
    let passages: Passage[] = [];
    beforeAll(async () => {
      passages = (await corpusPassages()).map((p) => p.passage);
    });

    it("heading ids followed by passage ids, with the heading's fold, a newline, the passage's fold", () => {
      expect(passages.length).toBeGreaterThan(50);
      const reference = new HashingEmbeddings({ tokenize, idf });
      const embedder = new HashingEmbeddings({ tokenize, idf });
      const tokenizeFolded = foldedTokenizer(tokenize);
      const vocabulary = new Vocabulary();
      const bad: string[] = [];
      for (const p of passages) {
        const heading = embeddingHeading(p);
        const headTokens = tokenize(heading);
        const textTokens = tokenizeFolded(p.folded);
        const head = vocabulary.encode(headTokens);
        const ids = vocabulary.encode(textTokens);
        const all = new Uint32Array(head.length + ids.length);
        all.set(head);
        all.set(ids, head.length);
        const folded = `${foldForMatching(heading)}\n${p.folded}`;
        const why = difference(embedder.sparseEncoded(all, vocabulary, folded), reference.sparseTokens([...headTokens, ...textTokens], folded));
        if (why) bad.push(`${p.id}: ${why}`);
        // And the same features as embedding the whole text from scratch.
        if (difference(reference.sparseTokens([...headTokens, ...textTokens], folded), reference.sparse(`${heading}\n${p.text}`))) bad.push(`${p.id}: sparse()`);
      }
      expect(bad).toEqual([]);
    });
  });

  it("edge inputs: no tokens, no Han text, one repeated word, a long repeated passage", () => {
    const reference = new HashingEmbeddings({ tokenize, idf });
    const embedder = new HashingEmbeddings({ tokenize, idf });
    const vocabulary = new Vocabulary();
    const longest = TEXTS.reduce((a, b) => (b.length > a.length ? b : a));
    for (const text of ["", "   ", "50所", "xx所", "学校学校学校学校", "ai ai ai", `${longest}\n${longest}\n${longest}`, EVAL_QUESTIONS[0]!]) {
      const { tokens, folded } = sampleOf(text);
      const actual = embedder.sparseEncoded(vocabulary.encode(tokens), vocabulary, folded);
      expect(difference(actual, reference.sparseTokens(tokens, folded)), text).toBeUndefined();
    }
    expect(embedder.sparseEncoded(new Uint32Array(0), vocabulary, "").ids).toHaveLength(0);
  });
});
