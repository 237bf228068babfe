import { describe, expect, it } from "vitest";
import { clusterQuestions, DEFAULT_CLUSTER_THRESHOLD } from "../../src/core/store/question-clusters.js";
import type { LoggedQuestion } from "../../src/core/store/types.js";
import { tokenizerQuestionTerms } from "./fixtures.js";

const terms = tokenizerQuestionTerms();
let seq = 0;
const logged = (question: string, minute = seq): LoggedQuestion => ({
  seq: ++seq,
  time: new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString(),
  channel: "widget",
  question,
  mode: "refused",
  grounded: false,
  topPassages: [],
  ratings: { up: 0, down: 0 },
});
const together = (a: string, b: string) => clusterQuestions([logged(a), logged(b)], terms).length === 1;

// The calibration of DEFAULT_CLUSTER_THRESHOLD: pairs a hotline hears, with their cosine under
// IDF-weighted tokenizer terms noted.
describe("clusterQuestions at the default threshold", () => {
  it.each([
    ["幼升小怎么报名？", "幼升小报名流程是什么"], // 0.88
    ["孩子上小学怎么报名", "小学入学报名需要什么材料"], // 0.60
    ["课后服务几点结束？", "课后延时服务到几点"], // 0.54
    ["外地户口在青岛上学需要什么材料？", "外地孩子在青岛读书需要什么证明"], // 0.50
    ["课后服务收费吗", "课后服务怎么收费"], // 1.00
  ])("groups %s with %s", (a, b) => {
    expect(together(a, b)).toBe(true);
  });

  it.each([
    ["幼升小怎么报名？", "孩子上小学怎么报名"], // 0.36: a different school stage's procedure wording
    ["小学入学报名需要什么材料", "随迁子女入学要准备哪些材料"], // 0.32
    ["2024年新增了多少公办学位？", "校园欺凌怎么处理"], // 0
    ["孩子在学校被欺负怎么办", "课后服务收费吗"], // 0
  ])("keeps %s apart from %s", (a, b) => {
    expect(together(a, b)).toBe(false);
  });

  it("is lexical without the analysis's expansions: 放学后托管 and 课后延时服务 (synonyms) stay apart, and one topic asked two ways (time, fee) shares a cluster", () => {
    expect(together("放学后托管到几点", "课后延时服务到几点")).toBe(false);
    expect(together("课后服务几点结束？", "课后服务收费吗")).toBe(true);
    expect(DEFAULT_CLUSTER_THRESHOLD).toBe(0.45);
  });

  it("puts identical questions together even when they have no terms, and orders clusters by size then recency", () => {
    const clusters = clusterQuestions([logged("？？", 1), logged("课后服务收费吗", 2), logged("？？", 3), logged("课后服务怎么收费", 4), logged("课后服务收费吗", 5), logged("校园欺凌怎么处理", 6)], terms);
    expect(clusters.map((c) => [c.representative, c.count])).toEqual([
      ["课后服务收费吗", 3],
      ["？？", 2],
      ["校园欺凌怎么处理", 1],
    ]);
    expect(clusters[0]!.examples).toEqual(["课后服务收费吗", "课后服务怎么收费"]);
  });
});
