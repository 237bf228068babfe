import { describe, expect, it } from "vitest";
import { curatedReviewLine, findCuratedAnswer } from "../../src/core/store/curated-match.js";
import type { CuratedVersion } from "../../src/core/store/types.js";
import { tokenizerQuestionTerms } from "./fixtures.js";

const terms = tokenizerQuestionTerms();
const version = (id: string, questions: string[], time = "2026-12-03T17:30:00.000Z"): CuratedVersion => ({
  id,
  version: 1,
  questions,
  answer: "（答案正文）",
  citations: ["2024-work-summary#p005"],
  status: "live",
  author: "王老师",
  time,
});
const live = [version("ca-seats000000a", ["2024年新增了多少公办学位？", "去年公办学位增加了多少"]), version("ca-after000000b", ["课后服务收费吗"])];

describe("findCuratedAnswer", () => {
  it("matches a variant exactly across script, width and punctuation", () => {
    expect(findCuratedAnswer("2024年新增了多少公辦學位", live, terms, 0.9)).toMatchObject({ similarity: 1, variant: "2024年新增了多少公办学位？", answer: { id: "ca-seats000000a" } });
    expect(findCuratedAnswer("课后服务 收费吗?", live, terms, 0.9)?.answer.id).toBe("ca-after000000b");
  });

  it("matches a paraphrase above the threshold and nothing below it", () => {
    const paraphrase = findCuratedAnswer("课后服务怎么收费", live, terms, 0.8);
    expect(paraphrase?.answer.id).toBe("ca-after000000b");
    expect(paraphrase!.similarity).toBeGreaterThan(0.8);
    expect(findCuratedAnswer("校园欺凌怎么处理", live, terms, 0.5)).toBeUndefined();
    expect(findCuratedAnswer("课后服务几点结束", live, terms, 0.9)).toBeUndefined();
  });
});

describe("curatedReviewLine", () => {
  it("dates the approval in the bureau's local day", () => {
    // 17:30 UTC on Dec 3 is 01:30 on Dec 4 in UTC+8.
    expect(curatedReviewLine(live[0]!)).toBe("本答案经人工审核（2026-12-04）");
  });
});
