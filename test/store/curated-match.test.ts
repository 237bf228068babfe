import { describe, expect, it } from "vitest";
import { curatedReviewLine } from "../../src/core/store/curated-match.js";
import type { CuratedVersion } from "../../src/core/store/types.js";

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

describe("curatedReviewLine", () => {
  it("dates the approval in the bureau's local day", () => {
    // 17:30 UTC on Dec 3 is 01:30 on Dec 4 in UTC+8.
    expect(curatedReviewLine(live[0]!)).toBe("本答案经人工审核（2026-12-04）");
  });
});
