/**
 * The tokenizer's output pinned on real text, for both segmenters.
 *
 * test/golden/tokens.json was written by scripts/generate-golden.ts (`npm run golden`) when ingest
 * moved to one segmenter call per passage: it holds the tokens the per-span tokenizer gave (each
 * span between figures segmented on its own) for every corpus line, passage, document, eval
 * question and heading, and for the edge inputs of test/golden/inputs.ts. nodejieba (ingest) and
 * the pure-JS port (queries on Node, everything on the Worker) must both reproduce it exactly —
 * which is also how the index recipe's segmenter check stays meaningful with either at query time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { JiebaLexicon } from "../../src/core/search/jieba-lexicon.js";
import { createJsSegmenter } from "../../src/core/search/js-segmenter.js";
import { embeddingHeading, sectionOf } from "../../src/core/search/search-index.js";
import { TOKENIZER_VERSION, createTokenizer } from "../../src/core/search/tokenizer.js";
import { findRedactions } from "../../src/core/text/clean/redaction.js";
import { extractFigures } from "../../src/core/text/figures.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import type { Segmenter } from "../../src/core/types.js";
import { packCppjiebaLexicon } from "../../src/node/jieba-lexicon.js";
import { createJiebaSegmenter } from "../../src/node/jieba-segmenter.js";
import { FOLDED_EDGES, FOLDED_WITH_TABS, RAW_EDGES } from "../golden/inputs.js";
import { CORPUS_LINES, EVAL_QUESTIONS, corpusPassages, readCorpusDocuments } from "./equivalence-corpus.js";

interface TokenGolden {
  tokenizerVersion: string;
  folded: Array<[string, string[]]>;
  passages: Array<[string, string[]]>;
  documents: string[][];
  raw: Array<[string, string[]]>;
}
const golden = JSON.parse(readFileSync(join(import.meta.dirname, "..", "golden", "tokens.json"), "utf8")) as TokenGolden;
const foldedGolden = new Map(golden.folded);
const rawGolden = new Map(golden.raw);

const SEGMENTERS: Array<[string, () => Segmenter]> = [
  ["nodejieba", () => createJiebaSegmenter()],
  ["pure-JS jieba", () => createJsSegmenter({ lexicon: JiebaLexicon.decode(packCppjiebaLexicon()) })],
];

/** Inputs whose tokens differ from the golden ones (all of `inputs` must be in the golden file). */
function mismatches(inputs: string[], tokenize: (s: string) => string[], expected: Map<string, string[]>): Array<{ input: string; actual: string[]; expected: string[] | undefined }> {
  return inputs.flatMap((s): Array<{ input: string; actual: string[]; expected: string[] | undefined }> => {
    const e = expected.get(s);
    const a = tokenize(s);
    if (!e) return [{ input: s, actual: a, expected: undefined }];
    return JSON.stringify(a) === JSON.stringify(e) ? [] : [{ input: s, actual: a, expected: e }];
  });
}

it("the golden tokens are for this tokenizer version (regenerate with npm run golden on purpose)", () => {
  expect(golden.tokenizerVersion).toBe(TOKENIZER_VERSION);
});

for (const [name, make] of SEGMENTERS) {
  describe(`createTokenizer with ${name}: one segmenter call per text gives the per-span tokens`, () => {
    const segmenter = make();
    const tokenize = createTokenizer({ segmenter });

    it("every line of every corpus file, folded and raw", () => {
      const folded = CORPUS_LINES.map(foldForMatching);
      expect(mismatches(folded, tokenize.folded, foldedGolden)).toEqual([]);
      expect(mismatches(CORPUS_LINES, tokenize, rawGolden)).toEqual([]);
      // The lines exercise the joined call: many carry several figures and text between them.
      expect(folded.filter((l) => l.trim()).length).toBeGreaterThan(100);
      expect(folded.reduce((n, l) => n + extractFigures(l).length, 0)).toBeGreaterThan(200);
      expect(folded.filter((l) => extractFigures(l).length >= 3).length).toBeGreaterThan(20);
      expect(folded.filter((l) => extractFigures(l)[0]?.start === 0).length).toBeGreaterThan(10);
      expect(folded.filter((l) => findRedactions(l).length > 0).length).toBeGreaterThan(10);
    });

    it("every eval question", () => {
      expect(EVAL_QUESTIONS.length).toBeGreaterThan(40);
      expect(mismatches(EVAL_QUESTIONS, tokenize, rawGolden)).toEqual([]);
    });

    describe("ingest's inputs", () => {
      let passages: Awaited<ReturnType<typeof corpusPassages>> = [];
      beforeAll(async () => {
        passages = await corpusPassages();
      });

      it("every passage's folded text, title, section and embedding heading", () => {
        expect(passages.length).toBeGreaterThan(50);
        expect(passages.map(({ passage }) => [passage.id, tokenize.folded(passage.folded)])).toEqual(golden.passages);
        const headings = [...new Set(passages.flatMap(({ passage, doc }) => [doc.title, sectionOf(passage), embeddingHeading(passage)]))];
        expect(mismatches(headings, tokenize, rawGolden)).toEqual([]);
      });
    });

    it("multi-line text: whole documents, and a figure at a line's end or start", async () => {
      const documents = (await readCorpusDocuments()).map((d) => foldForMatching(d.text));
      expect(documents.every((d) => d.includes("\n"))).toBe(true);
      expect(documents.map((d) => tokenize.folded(d))).toEqual(golden.documents);
      expect(mismatches(["新建学校\n50所", "50所\n", "\n50所\n3.86万个\n"], tokenize.folded, foldedGolden)).toEqual([]);
    });

    it("edge inputs: figures only, figures at the ends, blank text, redacted xx所, figures with a space", () => {
      expect(mismatches(FOLDED_EDGES, tokenize.folded, foldedGolden)).toEqual([]);
      // A few pinned values a reader can check by eye.
      expect(tokenize.folded("50所")).toEqual(["50所", "50"]);
      expect(tokenize.folded("3.86万个")).toEqual(["3.86万个", "3.86万"]);
      expect(tokenize.folded("50所3.86万个")).toEqual(["50所", "50", "3.86万个", "3.86万"]);
      expect(tokenize.folded("")).toEqual([]);
      expect(tokenize.folded("   ")).toEqual([]);
      expect(tokenize.folded("xx所")).toEqual([]);
      expect(tokenize.folded("新建学校50所")).toEqual([...tokenize.folded("新建学校"), "50所", "50"]);
    });

    it("raw text with tabs, full-width blanks and Traditional script (folded first)", () => {
      expect(mismatches(RAW_EDGES, tokenize, rawGolden)).toEqual([]);
      expect(tokenize("新建\t50所\t学校")).toEqual([...tokenize.folded("新建"), "50所", "50", ...tokenize.folded("学校")]);
    });

    it("folded text holding tabs, where no figure spans a tab", () => {
      expect(mismatches(FOLDED_WITH_TABS, tokenize.folded, foldedGolden)).toEqual([]);
      expect(tokenize.folded("\t\t50所\t")).toEqual(["50所", "50"]);
    });
  });
}
