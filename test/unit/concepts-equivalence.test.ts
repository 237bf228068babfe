import { beforeAll, describe, expect, it } from "vitest";
import { conceptsIn, SYNONYM_GROUPS } from "../../src/core/search/synonyms.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import { CORPUS_LINES, EVAL_QUESTIONS, corpusPassages, readCorpusDocuments } from "./equivalence-corpus.js";

// The previous conceptsIn (`git show HEAD~2:src/core/search/synonyms.ts`): one `includes` per term,
// over the term table in its order (first group wins for a term listed twice).
const byTerm = new Map<string, number>();
SYNONYM_GROUPS.forEach((group, index) => {
  for (const term of group) if (!byTerm.has(term)) byTerm.set(term, index);
});
function previousConceptsIn(folded: string): string[] {
  const found = new Set<string>();
  for (const [term, index] of byTerm) if (folded.includes(term)) found.add(SYNONYM_GROUPS[index]![0]!);
  return [...found];
}

function mismatches(texts: string[]): Array<{ text: string; actual: string[]; expected: string[] }> {
  return texts.flatMap((text) => {
    const actual = conceptsIn(text);
    const expected = previousConceptsIn(text);
    return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [{ text, actual, expected }];
  });
}

/** Position of a concept's first mention in a text (any of its terms). */
function firstMention(folded: string, concept: string): number {
  const group = SYNONYM_GROUPS.find((g) => g[0] === concept)!;
  return Math.min(...group.map((t) => folded.indexOf(t)).filter((i) => i >= 0));
}

describe("conceptsIn scans by first character, with the per-term loop's output and order", () => {
  let documents: string[] = [];
  let passages: string[] = [];
  beforeAll(async () => {
    documents = (await readCorpusDocuments()).map((d) => foldForMatching(d.text));
    passages = (await corpusPassages()).map((p) => p.passage.folded);
  });

  it("every corpus line and eval question, folded", () => {
    const texts = [...CORPUS_LINES, ...EVAL_QUESTIONS].map(foldForMatching);
    expect(mismatches(texts)).toEqual([]);
    // Discriminating inputs: many with several concepts, some naming them out of table order.
    const multi = texts.filter((t) => previousConceptsIn(t).length >= 3);
    expect(multi.length).toBeGreaterThan(30);
    const outOfOrder = multi.filter((t) => {
      const positions = previousConceptsIn(t).map((c) => firstMention(t, c));
      return positions.some((p, i) => i > 0 && p < positions[i - 1]!);
    });
    expect(outOfOrder.length).toBeGreaterThan(10);
  });

  it("every passage and whole document, folded", () => {
    expect(passages.length).toBeGreaterThan(50);
    expect(mismatches([...passages, ...documents])).toEqual([]);
    expect(Math.max(...documents.map((d) => previousConceptsIn(d).length))).toBeGreaterThan(15);
  });

  it("every term alone, framed, overlapping and in reverse table order", () => {
    const terms = [...byTerm.keys()];
    const reversed = [...terms].reverse().join("，");
    const texts = [
      ...terms,
      ...terms.map((t) => `关于${t}的问题`),
      reversed,
      terms.join(""),
      "",
      "课后延时服务",
      "放学早没人接",
      "aiai",
      "training 与 ai 课程",
      "学生学生学校",
    ];
    expect(mismatches(texts)).toEqual([]);
    // Table order, not text order: the reversed list yields the groups first to last.
    expect(conceptsIn(reversed)).toEqual(SYNONYM_GROUPS.map((g) => g[0]));
    expect(conceptsIn("孩子放学太早没人接，学校能多管一会儿吗？")).toEqual(previousConceptsIn("孩子放学太早没人接，学校能多管一会儿吗？"));
    expect(conceptsIn("")).toEqual([]);
  });
});
