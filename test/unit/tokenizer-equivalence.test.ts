import { beforeAll, describe, expect, it } from "vitest";
import { JiebaLexicon } from "../../src/core/search/jieba-lexicon.js";
import { createJsSegmenter } from "../../src/core/search/js-segmenter.js";
import { embeddingHeading, sectionOf } from "../../src/core/search/search-index.js";
import { PUNCTUATION, STOP_WORDS } from "../../src/core/search/stopwords.js";
import { createTokenizer } from "../../src/core/search/tokenizer.js";
import { findRedactions } from "../../src/core/text/clean/redaction.js";
import { extractFigures } from "../../src/core/text/figures.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import type { Segmenter } from "../../src/core/types.js";
import { packCppjiebaLexicon } from "../../src/node/jieba-lexicon.js";
import { createJiebaSegmenter } from "../../src/node/jieba-segmenter.js";
import { CORPUS_LINES, EVAL_QUESTIONS, corpusPassages, readCorpusDocuments } from "./equivalence-corpus.js";

/**
 * The folded-text tokenizer as it was before one segmenter call per passage
 * (`git show HEAD~2:src/core/search/tokenizer.ts`): each span between figures segmented on its own.
 */
function previousTokenizeFolded(segmenter: Segmenter, stopWords: ReadonlySet<string> = STOP_WORDS): (input: string) => string[] {
  return (input: string) => {
    let folded = input;
    for (const r of findRedactions(folded)) folded = folded.slice(0, r.start) + " ".repeat(r.end - r.start) + folded.slice(r.end);
    const tokens: string[] = [];
    let cursor = 0;
    const segment = (span: string) => {
      if (!span.trim()) return;
      for (const word of segmenter.cutForSearch(span)) {
        const token = word.trim();
        if (!token || PUNCTUATION.test(token) || stopWords.has(token)) continue;
        tokens.push(token);
      }
    };
    for (const figure of extractFigures(folded)) {
      segment(folded.slice(cursor, figure.start));
      tokens.push(figure.text);
      if (figure.core !== figure.text) tokens.push(figure.core);
      const year = /(?:19|20)\d{2}/.exec(figure.text);
      if (year && figure.kind !== "count" && figure.kind !== "amount" && figure.kind !== "percent" && year[0] !== figure.text && year[0] !== figure.core) {
        tokens.push(year[0]);
      }
      cursor = figure.end;
    }
    segment(folded.slice(cursor));
    return tokens;
  };
}

const SEGMENTERS: Array<[string, () => Segmenter]> = [
  ["nodejieba", () => createJiebaSegmenter()],
  ["pure-JS jieba", () => createJsSegmenter({ lexicon: JiebaLexicon.decode(packCppjiebaLexicon()) })],
];

/** Folded edge inputs: figures only, figures at the ends, blank text, redactions, figures with a space. */
const FOLDED_EDGES = [
  "50所",
  "3.86万个",
  "50所3.86万个",
  "50所 3.86万个",
  "72.9%",
  "",
  " ",
  "   ",
  "50所新建学校",
  "新建学校50所",
  "50所新建学校3.86万个",
  " 50所 ",
  "xx所",
  "xxxx所",
  "新建xx所学校,提供学位xx.x万个",
  "xx.xx万人参与,72.9%",
  "2020-03-04 09:38:00",
  "2020-03-04 09:38:00发布",
  "青教发[2020] 2号文件",
  "青教发[2020]2号",
  "第十一批三大革命",
  "2021年全市新建、改扩建了多少所中小学和幼儿园?",
];

/** Raw edge inputs for the folding tokenizer: tabs, full-width blanks and digits, Traditional script. */
const RAW_EDGES = [
  "学校\t管理",
  "\t",
  "\t\t50所\t",
  "新建\t50所\t学校",
  "50所\t3.86万个",
  "xx所\t学校",
  "青教发[2020]\t2号",
  "2021-05-06\t10:30开会",
  "　",
  " \t　\n",
  "新建、改擴建中小學幼兒園５０所，建成後可提供學位３.８６萬個",
  "\n50所\n",
];

/** Folded text that holds a tab (`.folded` is documented for folded text, which has none). */
const FOLDED_WITH_TABS = ["学校\t管理", "\t", "\t\t50所\t", "新建\t50所\t学校", "50所\t3.86万个", "xx所\t学校", "\t72.9%", "3.86万个\t"];

for (const [name, make] of SEGMENTERS) {
  describe(`createTokenizer with ${name}: one segmenter call per text gives the per-span tokens`, () => {
    const segmenter = make();
    const tokenize = createTokenizer({ segmenter });
    const previous = previousTokenizeFolded(segmenter);
    const mismatches = (inputs: string[], actual: (s: string) => string[], expected: (s: string) => string[]) =>
      inputs.flatMap((s) => {
        const a = actual(s);
        const e = expected(s);
        return JSON.stringify(a) === JSON.stringify(e) ? [] : [{ input: s, actual: a, expected: e }];
      });

    it("every line of every corpus file, folded", () => {
      const folded = CORPUS_LINES.map(foldForMatching);
      expect(mismatches(folded, tokenize.folded, previous)).toEqual([]);
      expect(mismatches(CORPUS_LINES, tokenize, (s) => previous(foldForMatching(s)))).toEqual([]);
      // The lines exercise the joined call: many carry several figures and text between them.
      expect(folded.filter((l) => l.trim()).length).toBeGreaterThan(100);
      expect(folded.reduce((n, l) => n + extractFigures(l).length, 0)).toBeGreaterThan(200);
      expect(folded.filter((l) => extractFigures(l).length >= 3).length).toBeGreaterThan(20);
      expect(folded.filter((l) => extractFigures(l)[0]?.start === 0).length).toBeGreaterThan(10);
      expect(folded.filter((l) => findRedactions(l).length > 0).length).toBeGreaterThan(10);
    });

    it("every eval question", () => {
      expect(EVAL_QUESTIONS.length).toBeGreaterThan(40);
      expect(mismatches(EVAL_QUESTIONS, tokenize, (s) => previous(foldForMatching(s)))).toEqual([]);
    });

    describe("ingest's inputs", () => {
      let passages: Awaited<ReturnType<typeof corpusPassages>> = [];
      beforeAll(async () => {
        passages = await corpusPassages();
      });

      it("every passage's folded text, title, section and embedding heading", () => {
        expect(passages.length).toBeGreaterThan(50);
        expect(mismatches(passages.map((p) => p.passage.folded), tokenize.folded, previous)).toEqual([]);
        const headings = [...new Set(passages.flatMap(({ passage, doc }) => [doc.title, sectionOf(passage), embeddingHeading(passage)]))];
        expect(mismatches(headings, tokenize, (s) => previous(foldForMatching(s)))).toEqual([]);
      });
    });

    it("multi-line text: whole documents, runs of consecutive lines, heading and passage joined by a newline", async () => {
      const documents = (await readCorpusDocuments()).map((d) => foldForMatching(d.text));
      const runs = CORPUS_LINES.map((_, i) => foldForMatching(CORPUS_LINES.slice(i, i + 3).join("\n")));
      expect(mismatches([...documents, ...runs, "新建学校\n50所", "50所\n", "\n50所\n3.86万个\n"], tokenize.folded, previous)).toEqual([]);
      expect(documents.every((d) => d.includes("\n"))).toBe(true);
    });

    it("edge inputs: figures only, figures at the ends, blank text, redacted xx所, figures with a space", () => {
      expect(mismatches(FOLDED_EDGES, tokenize.folded, previous)).toEqual([]);
      // The reference is the spec for these; a few pinned values keep the comparison honest.
      expect(tokenize.folded("50所")).toEqual(["50所", "50"]);
      expect(tokenize.folded("3.86万个")).toEqual(["3.86万个", "3.86万"]);
      expect(tokenize.folded("50所3.86万个")).toEqual(["50所", "50", "3.86万个", "3.86万"]);
      expect(tokenize.folded("")).toEqual([]);
      expect(tokenize.folded("   ")).toEqual([]);
      expect(tokenize.folded("xx所")).toEqual([]);
      expect(tokenize.folded("新建学校50所")).toEqual([...previous("新建学校"), "50所", "50"]);
    });

    it("raw text with tabs, full-width blanks and Traditional script (folded first)", () => {
      expect(mismatches(RAW_EDGES, tokenize, (s) => previous(foldForMatching(s)))).toEqual([]);
      expect(tokenize("新建\t50所\t学校")).toEqual([...previous("新建"), "50所", "50", ...previous("学校")]);
    });

    it("folded text holding tabs, where no figure spans a tab", () => {
      expect(mismatches(FOLDED_WITH_TABS, tokenize.folded, previous)).toEqual([]);
      expect(tokenize.folded("\t\t50所\t")).toEqual(["50所", "50"]);
    });
  });
}
