/**
 * conceptsIn (a scan by first character) pinned on real text.
 *
 * test/golden/concepts.json was written by scripts/generate-golden.ts (`npm run golden`) when the
 * scan replaced one `includes` per synonym term over the table: it holds the concepts, in table
 * order, for every folded corpus line, eval question, passage and document, and for every term
 * alone, framed, run together and in reverse table order.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { conceptsIn, SYNONYM_GROUPS } from "../../src/core/search/synonyms.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import { CORPUS_LINES, EVAL_QUESTIONS, corpusPassages, readCorpusDocuments } from "./equivalence-corpus.js";

interface ConceptGolden {
  texts: Array<[string, string[]]>;
  passages: Array<[string, string[]]>;
  documents: string[][];
}
const golden = JSON.parse(readFileSync(join(import.meta.dirname, "..", "golden", "concepts.json"), "utf8")) as ConceptGolden;
const expected = new Map(golden.texts);

function mismatches(texts: string[]): Array<{ text: string; actual: string[]; expected: string[] | undefined }> {
  return texts.flatMap((text) => {
    const actual = conceptsIn(text);
    const e = expected.get(text);
    return e && JSON.stringify(actual) === JSON.stringify(e) ? [] : [{ text, actual, expected: e }];
  });
}

/** Position of a concept's first mention in a text (any of its terms). */
function firstMention(folded: string, concept: string): number {
  const group = SYNONYM_GROUPS.find((g) => g[0] === concept)!;
  return Math.min(...group.map((t) => folded.indexOf(t)).filter((i) => i >= 0));
}

const TERMS = [...new Set(SYNONYM_GROUPS.flat())];

describe("conceptsIn scans by first character, with the per-term loop's output and order", () => {
  it("every corpus line and eval question, folded", () => {
    const texts = [...CORPUS_LINES, ...EVAL_QUESTIONS].map(foldForMatching);
    expect(mismatches(texts)).toEqual([]);
    // Discriminating inputs: many with several concepts, some naming them out of table order.
    const multi = texts.filter((t) => conceptsIn(t).length >= 3);
    expect(multi.length).toBeGreaterThan(30);
    const outOfOrder = multi.filter((t) => {
      const positions = conceptsIn(t).map((c) => firstMention(t, c));
      return positions.some((p, i) => i > 0 && p < positions[i - 1]!);
    });
    expect(outOfOrder.length).toBeGreaterThan(10);
  });

  describe("ingest's text", () => {
    let documents: string[] = [];
    let passages: Awaited<ReturnType<typeof corpusPassages>> = [];
    beforeAll(async () => {
      documents = (await readCorpusDocuments()).map((d) => foldForMatching(d.text));
      passages = await corpusPassages();
    });

    it("every passage and whole document, folded", () => {
      expect(passages.length).toBeGreaterThan(50);
      expect(passages.map(({ passage }) => [passage.id, conceptsIn(passage.folded)])).toEqual(golden.passages);
      expect(documents.map(conceptsIn)).toEqual(golden.documents);
      expect(Math.max(...documents.map((d) => conceptsIn(d).length))).toBeGreaterThan(15);
    });
  });

  it("every term alone, framed, overlapping and in reverse table order", () => {
    const reversed = [...TERMS].reverse().join("，");
    const texts = [
      ...TERMS,
      ...TERMS.map((t) => `关于${t}的问题`),
      reversed,
      TERMS.join(""),
      "",
      "课后延时服务",
      "放学早没人接",
      "aiai",
      "training 与 ai 课程",
      "学生学生学校",
      "孩子放学太早没人接，学校能多管一会儿吗？",
    ];
    expect(mismatches(texts)).toEqual([]);
    // Table order, not text order: the reversed list yields the groups first to last.
    expect(conceptsIn(reversed)).toEqual(SYNONYM_GROUPS.map((g) => g[0]));
    expect(conceptsIn("")).toEqual([]);
  });
});
