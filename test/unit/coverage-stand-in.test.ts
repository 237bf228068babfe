/**
 * An expansion stands in for the question's word it came from: a sentence holding both counts the
 * word once, and one holding only the expansion counts it up to the word's weight. The written-out
 * words of a shortened name stand in together. Sentences of the seed corpus (corpus/).
 */
import { describe, expect, it } from "vitest";
import { coverage, scoringTerms, type ScoringTerm } from "../../src/core/question/scoring.js";
import { pairSimilarity } from "../../src/core/question/similarity.js";
import type { AnalyzedQuestion } from "../../src/core/question/types.js";

const BOTH = "成功举办第二届青岛高校大学生艺术节";
const WORD_ONLY = "推进在青高校重点学科建设";
const EXPANSION_ONLY = "深化与北京大学等高水平大学的合作";

describe("an expansion stands in for its word", () => {
  const terms: ScoringTerm[] = [
    { term: "高校", weight: 2, counts: true },
    { term: "大学", weight: 1.5, counts: false, from: "高校" },
    { term: "学科", weight: 2, counts: true },
  ];

  it("a sentence holding the word and its expansion covers the word once", () => {
    expect(coverage(BOTH, terms)).toBeCloseTo(0.5);
    expect(coverage(WORD_ONLY, terms)).toBeCloseTo(1);
  });

  it("a sentence holding only the expansion covers the word at the expansion's weight, never beyond the word's", () => {
    expect(coverage(EXPANSION_ONLY, terms)).toBeCloseTo(1.5 / 4);
    const heavier = terms.map((t) => (t.term === "大学" ? { ...t, weight: 5 } : t));
    expect(coverage(EXPANSION_ONLY, heavier)).toBeCloseTo(2 / 4);
  });

  it("an expansion of no counted word adds as before", () => {
    const loose: ScoringTerm[] = [
      { term: "高校", weight: 2, counts: true },
      { term: "大学", weight: 1.5, counts: false },
    ];
    expect(coverage(BOTH, loose)).toBe(1);
    expect(coverage(EXPANSION_ONLY, loose)).toBeCloseTo(0.75);
  });

  it("the written-out words of a shortened name count together", () => {
    const shortened: ScoringTerm[] = [
      { term: "保教费", weight: 3, counts: true },
      { term: "保育", weight: 1, counts: false, from: "保教费", part: true },
      { term: "教育费", weight: 1.5, counts: false, from: "保教费", part: true },
    ];
    expect(coverage("保育教育费收费标准", shortened)).toBeCloseTo(2.5 / 3);
    expect(coverage("保育工作", shortened)).toBeCloseTo(1 / 3);
  });

  it("scoringTerms marks an expansion with the question's word it came from", () => {
    const stats = { passages: 100, documentFrequency: (t: string) => (t === "高校" || t === "大学" ? 10 : 0) };
    const out = scoringTerms(
      {
        terms: [{ term: "高校", weight: 1, source: "question" }],
        weighted: new Map([
          ["高校", 1],
          ["大学", 0.5],
        ]),
        years: [],
        expansions: [{ term: "大学", weight: 0.5, source: "lexicon", from: "高校" }],
      },
      stats,
    );
    expect(out.find((t) => t.term === "大学")).toMatchObject({ from: "高校", counts: false });
    expect(out.find((t) => t.term === "高校")?.from).toBeUndefined();
  });
});

describe("two questions compared", () => {
  it("a synonym beside the word adds to the evidence that they ask the same (pairSimilarity keeps expansions additive)", () => {
    const stats = { passages: 100, documentFrequency: (t: string) => ({ 高校: 10, 大学: 10, 学科: 10, 建设: 10, 经费: 10 })[t] ?? 0 };
    const question = (folded: string, terms: string[], expansions: Array<[string, string]> = []) =>
      ({
        folded,
        terms: terms.map((term) => ({ term, weight: 1, source: "question" })),
        weighted: new Map<string, number>([...terms.map((t) => [t, 1] as [string, number]), ...expansions.map(([t]) => [t, 0.5] as [string, number])]),
        years: [],
        expansions: expansions.map(([term, from]) => ({ term, weight: 0.5, source: "lexicon", from })),
      }) as unknown as AnalyzedQuestion;
    // 经费, which neither stored question holds, keeps the asked side's share below 1.
    const asked = question("高校重点学科经费", ["高校", "学科", "经费"], [["大学", "高校"]]);
    // The same terms on the stored side (the share of them the asked question holds is equal): only the text differs.
    const both = question("高校和大学的学科建设", ["高校", "学科", "建设"]);
    const wordOnly = question("高校的学科建设", ["高校", "学科", "建设"]);
    expect(pairSimilarity(asked, both, "", stats)).toBeGreaterThan(pairSimilarity(asked, wordOnly, "", stats));
  });
});
