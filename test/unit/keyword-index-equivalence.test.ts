/**
 * Bm25KeywordIndex built from token strings and from vocabulary ids, against each other and
 * against test/golden/keyword-index.json, written by scripts/generate-golden.ts (`npm run golden`)
 * when ingest moved to vocabulary ids: the SHA-256 of what the string build serialized, and every
 * eval question's hits (labels, scores, matched terms) — top 10, in-2021, an arbitrary label
 * filter, and the two lists of one pass.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Bm25KeywordIndex, type EncodedKeywordDocument, type KeywordDocument } from "../../src/core/search/keyword-index.js";
import { analyzeQuery } from "../../src/core/search/query.js";
import { embeddingHeading, sectionOf } from "../../src/core/search/search-index.js";
import { createTokenizer, foldedTokenizer } from "../../src/core/search/tokenizer.js";
import { Vocabulary } from "../../src/core/search/vocabulary.js";
import type { DocumentMeta, KeywordSearchHit, Passage } from "../../src/core/types.js";
import { createJiebaSegmenter } from "../../src/node/jieba-segmenter.js";
import { CORPUS_LINES, EVAL_QUESTIONS, corpusPassages } from "./equivalence-corpus.js";

const tokenize = createTokenizer({ segmenter: createJiebaSegmenter() });
const tokenizeFolded = foldedTokenizer(tokenize);

interface KeywordGolden {
  serializedSha256: string;
  hits: Array<{
    question: string;
    top10: KeywordSearchHit[];
    year2021: KeywordSearchHit[];
    everyThird: KeywordSearchHit[];
    lists2024: KeywordSearchHit[][];
  }>;
}
const golden = JSON.parse(readFileSync(join(import.meta.dirname, "..", "golden", "keyword-index.json"), "utf8")) as KeywordGolden;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Terms that only the encoded index's vocabulary knows: no passage holds them. */
const VOCABULARY_ONLY = ["词表里才有的词", "只在词表中", "没有倒排的词"];

let passages: Array<{ passage: Passage; doc: DocumentMeta }> = [];
/** Built as before the vocabulary: space-joined token strings per field. */
let fromStrings: Bm25KeywordIndex;
/** Every token ingest gives the passages' fields. */
let passageTokens: string[] = [];
/** Built as ingest now builds it: token ids of one vocabulary shared with the headings. */
let fromIds: Bm25KeywordIndex;
let vocabulary: Vocabulary;
let queries: Array<{ question: string; weighted: Map<string, number> }> = [];

beforeAll(async () => {
  passages = await corpusPassages();
  const documents: KeywordDocument[] = passages.map(({ passage, doc }, i) => ({
    id: i,
    title: tokenize(doc.title).join(" "),
    section: tokenize(sectionOf(passage)).join(" "),
    text: tokenizeFolded(passage.folded).join(" "),
  }));
  fromStrings = Bm25KeywordIndex.build(documents);
  passageTokens = documents.flatMap((d) => [d.title, d.section, d.text].flatMap((f) => (f as string).split(" ")));

  // As src/node/ingest/build-index.ts: passage tokens first, then title and section ids (cached per
  // heading), and the embedding heading encoded too; plus terms no passage holds, at the start, in
  // the middle and at the end of the vocabulary.
  vocabulary = new Vocabulary();
  vocabulary.id(VOCABULARY_ONLY[0]!);
  const headingIds = new Map<string, Uint32Array>();
  const idsOf = (text: string) => {
    let ids = headingIds.get(text);
    if (!ids) headingIds.set(text, (ids = vocabulary.encode(tokenize(text))));
    return ids;
  };
  const encoded: EncodedKeywordDocument[] = passages.map(({ passage, doc }, i) => {
    if (i === Math.floor(passages.length / 2)) vocabulary.id(VOCABULARY_ONLY[1]!);
    const ids = vocabulary.encode(tokenizeFolded(passage.folded));
    const fields: EncodedKeywordDocument["fields"] = [idsOf(doc.title), idsOf(sectionOf(passage)), ids];
    idsOf(embeddingHeading(passage));
    return { id: i, fields };
  });
  vocabulary.id(VOCABULARY_ONLY[2]!);
  fromIds = Bm25KeywordIndex.buildEncoded(vocabulary.terms, encoded);

  queries = EVAL_QUESTIONS.map((question) => ({ question, weighted: analyzeQuery(question, tokenize).weighted }));
});

type Search = (index: Bm25KeywordIndex, weighted: Map<string, number>) => KeywordSearchHit[];

/** Questions whose hits differ between the two builds (labels, scores and matched terms, in order). */
function differing(search: Search, a: Bm25KeywordIndex, b: Bm25KeywordIndex) {
  return queries.flatMap(({ question, weighted }) => {
    const left = search(a, weighted);
    const right = search(b, weighted);
    return JSON.stringify(left) === JSON.stringify(right) ? [] : [{ question, left, right }];
  });
}

const yearOf = (label: number) => passages[label]!.doc.year;

describe("Bm25KeywordIndex: build (token strings) and buildEncoded (vocabulary ids) give the same index", () => {
  it("build (space-joined strings) writes exactly what it wrote before the vocabulary", () => {
    expect(sha256(fromStrings.serialize())).toBe(golden.serializedSha256);
    // The old path joined tokens with spaces and split them again; ingest now encodes the token
    // lists as they are. The two agree because no passage token holds a space.
    const whole = passages.flatMap(({ passage, doc }) => [...tokenize(doc.title), ...tokenize(sectionOf(passage)), ...tokenizeFolded(passage.folded)]);
    expect(whole.filter((t) => /\s/.test(t))).toEqual([]);
    expect(whole).toEqual(passageTokens.filter(Boolean));
  });

  it("indexes the same passages", () => {
    expect(passages.length).toBeGreaterThan(50);
    expect(fromIds.size).toBe(fromStrings.size);
    expect(fromIds.size).toBe(passages.length);
    // The encoded build numbers its terms in another order than the string build.
    const stringTerms = (JSON.parse(fromStrings.serialize()) as { terms: string[] }).terms;
    expect(new Set(vocabulary.terms.filter((t) => !VOCABULARY_ONLY.includes(t)))).toEqual(new Set(stringTerms));
    expect(stringTerms.filter((t) => vocabulary.id(t) !== stringTerms.indexOf(t)).length).toBeGreaterThan(1000);
  });

  it("searchWeighted: same labels, scores and matched terms for every eval question (top 10 and every hit)", () => {
    const top10: Search = (index, weighted) => index.searchWeighted(weighted, 10);
    const all: Search = (index, weighted) => index.searchWeighted(weighted, passages.length);
    expect(differing(top10, fromStrings, fromIds)).toEqual([]);
    expect(differing(all, fromStrings, fromIds)).toEqual([]);
    expect(queries.map(({ question, weighted }) => ({ question, top10: fromIds.searchWeighted(weighted, 10) }))).toEqual(golden.hits.map(({ question, top10 }) => ({ question, top10 })));
    const hits = queries.map(({ weighted }) => fromIds.searchWeighted(weighted, passages.length));
    expect(hits.filter((h) => h.length > 0).length).toBeGreaterThan(queries.length - 5);
    // Full rankings with distinct scores: an order or score difference would show.
    expect(hits.reduce((n, h) => n + h.length, 0)).toBeGreaterThan(queries.length * 20);
  });

  it("with filters: a year scope, an arbitrary label filter, and both lists from one pass", () => {
    const scoped: Search = (index, weighted) => index.searchWeighted(weighted, 8, (label) => yearOf(label) === 2021);
    const odd: Search = (index, weighted) => index.searchWeighted(weighted, 8, (label) => label % 3 === 1);
    const lists: Search = (index, weighted) => index.searchWeightedLists(weighted, 8, [undefined, (label) => yearOf(label) === 2024]).flat();
    for (const search of [scoped, odd, lists]) expect(differing(search, fromStrings, fromIds)).toEqual([]);
    expect(
      queries.map(({ question, weighted }) => ({
        question,
        year2021: scoped(fromIds, weighted),
        everyThird: odd(fromIds, weighted),
        lists2024: fromIds.searchWeightedLists(weighted, 8, [undefined, (label) => yearOf(label) === 2024]),
      })),
    ).toEqual(golden.hits.map(({ question, year2021, everyThird, lists2024 }) => ({ question, year2021, everyThird, lists2024 })));
    const scopedHits = queries.flatMap(({ weighted }) => fromIds.searchWeighted(weighted, 8, (label) => yearOf(label) === 2021));
    expect(scopedHits.length).toBeGreaterThan(queries.length * 4);
    expect(scopedHits.every((h) => yearOf(h.label) === 2021)).toBe(true);
  });

  it("search (unweighted tokens) agrees too", () => {
    const plain: Search = (index, weighted) => index.search([...weighted.keys()], 10);
    expect(differing(plain, fromStrings, fromIds)).toEqual([]);
  });

  it("serialize → load keeps every result, for both builds", () => {
    const reloaded = Bm25KeywordIndex.load(fromIds.serialize());
    const reloadedStrings = Bm25KeywordIndex.load(fromStrings.serialize());
    const top: Search = (index, weighted) => index.searchWeighted(weighted, 20);
    const scoped: Search = (index, weighted) => index.searchWeighted(weighted, 20, (label) => yearOf(label) === 2021);
    for (const search of [top, scoped]) {
      expect(differing(search, fromIds, reloaded)).toEqual([]);
      expect(differing(search, fromStrings, reloadedStrings)).toEqual([]);
      expect(differing(search, reloadedStrings, reloaded)).toEqual([]);
    }
    expect(reloaded.size).toBe(fromIds.size);
  });

  it("hasTerm: terms known only to the vocabulary have no postings and answer false; all others agree", () => {
    for (const term of VOCABULARY_ONLY) {
      expect(vocabulary.terms).toContain(term);
      expect(fromIds.hasTerm(term)).toBe(false);
      expect(Bm25KeywordIndex.load(fromIds.serialize()).hasTerm(term)).toBe(false);
    }
    expect(vocabulary.terms[0]).toBe(VOCABULARY_ONLY[0]);
    expect(vocabulary.terms[vocabulary.terms.length - 1]).toBe(VOCABULARY_ONLY[2]);
    const questionTerms = queries.flatMap(({ weighted }) => [...weighted.keys()]);
    const candidates = [...new Set([...vocabulary.terms, ...questionTerms, "并不存在的词"])];
    const disagree = candidates.filter((t) => fromIds.hasTerm(t) !== fromStrings.hasTerm(t));
    expect(disagree).toEqual([]);
    expect(candidates.filter((t) => fromIds.hasTerm(t)).length).toBeGreaterThan(1000);
    expect(questionTerms.some((t) => !fromIds.hasTerm(t))).toBe(true);
  });

  it("a query naming vocabulary-only terms scores as one without them", () => {
    for (const { weighted } of queries) {
      const withExtra = new Map([...VOCABULARY_ONLY.map((t) => [t, 1] as const), ...weighted]);
      expect(fromIds.searchWeighted(withExtra, 10)).toEqual(fromIds.searchWeighted(weighted, 10));
      expect(fromIds.searchWeighted(withExtra, 10)).toEqual(fromStrings.searchWeighted(weighted, 10));
    }
  });
});

describe("Bm25KeywordIndex over every corpus line as a passage: token lists are indexed as the query tokenizes", () => {
  // Ingest used to give the builder space-joined token strings (split again on spaces); it now
  // passes the token lists as they are. A figure token can hold a space (the date pattern allows a
  // time after whitespace), and one corpus line, "- 2020-03-04 09:38:00" of the 2020 priorities,
  // yields one: ["2020-03-04 09:38:00", "2020"]. The query side tokenizes the same way, so the
  // index must keep it as one term: split in two, the question's own token could never match.
  const lines = CORPUS_LINES.filter((l) => l.trim());
  const tokens = lines.map((l) => tokenize(l));
  const fromLists = () => Bm25KeywordIndex.build(tokens.map((t, i) => ({ id: i, title: [], section: [], text: t })));
  const encoded = () => {
    const vocabulary = new Vocabulary();
    const empty = new Uint32Array(0);
    return Bm25KeywordIndex.buildEncoded(vocabulary.terms, tokens.map((t, i) => ({ id: i, fields: [empty, empty, vocabulary.encode(t)] as [Uint32Array, Uint32Array, Uint32Array] })));
  };
  const dated = lines.findIndex((l) => l.includes("2020-03-04 09:38:00"));

  it("a figure token with a space is one term, found by the same token in a question", () => {
    expect(tokens.flat().filter((t) => /\s/.test(t))).toEqual(["2020-03-04 09:38:00"]);
    for (const index of [fromLists(), encoded()]) {
      expect(index.hasTerm("2020-03-04 09:38:00")).toBe(true);
      expect(index.hasTerm("09:38:00")).toBe(false);
      const [top] = index.searchWeighted(analyzeQuery("2020-03-04 09:38:00", tokenize).weighted, 1);
      expect(top?.label).toBe(dated);
    }
    // Space-joined strings (the older input form) are still split on spaces.
    const joined = Bm25KeywordIndex.build(tokens.map((t, i) => ({ id: i, title: "", section: "", text: t.join(" ") })));
    expect(joined.hasTerm("2020-03-04 09:38:00")).toBe(false);
    expect(joined.hasTerm("09:38:00")).toBe(true);
  });

  it("token lists and token ids give the same hits for every eval question", () => {
    const a = fromLists();
    const b = encoded();
    const questions = [...EVAL_QUESTIONS, "2020-03-04", "2020-03-04 09:38:00"];
    const differ = questions.filter((q) => {
      const weighted = analyzeQuery(q, tokenize).weighted;
      return JSON.stringify(a.searchWeighted(weighted, 10)) !== JSON.stringify(b.searchWeighted(weighted, 10));
    });
    expect(differ).toEqual([]);
  });
});
