import { describe, expect, it } from "vitest";
import {
  answerStateLabel,
  csvFileName,
  describeFigureCheck,
  draftProblem,
  formatLocalTime,
  modeLabel,
  parseQuestionLines,
  questionsFromCluster,
  reportQuery,
  type CuratedDraft,
} from "../../src/web/console/curated-format.js";
import { parseRoute } from "../../src/web/console/staff.js";

const draft = (over: Partial<CuratedDraft> = {}): CuratedDraft => ({
  questions: ["2024年新增了多少公办学位？"],
  answer: "全市新增公办园22所，提供公办学位5800个。[1]",
  citations: ["2024-work-summary#p005"],
  reviewBy: "",
  ...over,
});

describe("console staff helpers", () => {
  it("formats times in the bureau's clock (UTC+8)", () => {
    expect(formatLocalTime("2026-12-03T17:30:00.000Z")).toBe("2026-12-04 01:30");
    expect(formatLocalTime("不是时间")).toBe("不是时间");
  });

  it("reads question variants one per line, trimmed and distinct", () => {
    expect(parseQuestionLines(" 幼升小怎么报名？\n\n小学报名流程\r\n幼升小怎么报名？ \n")).toEqual(["幼升小怎么报名？", "小学报名流程"]);
  });

  it("turns a report cluster into question variants within the server's limits", () => {
    const long = "请问".repeat(101);
    const cluster = { representative: "幼儿园每个月学费多少钱", examples: ["幼儿园每个月学费多少钱", "幼儿园一个月收费多少", long, ...Array.from({ length: 30 }, (_, i) => `幼儿园学费问题${i}`)] };
    const questions = questionsFromCluster(cluster);
    expect(questions[0]).toBe("幼儿园每个月学费多少钱");
    expect(questions[1]).toBe("幼儿园一个月收费多少");
    expect(questions).not.toContain(long);
    expect(questions).toHaveLength(20);
  });

  it("names the first problem of a draft in Chinese", () => {
    expect(draftProblem(draft())).toBeUndefined();
    expect(draftProblem(draft({ questions: [] }))).toBe("请至少填写一个问题问法");
    expect(draftProblem(draft({ answer: "  " }))).toBe("请填写答案");
    expect(draftProblem(draft({ answer: "字".repeat(2001) }))).toContain("2000");
    expect(draftProblem(draft({ citations: [] }))).toBe("请至少勾选一个引用段落");
    expect(draftProblem(draft({ reviewBy: "2026-12-01" }), "2026-12-04")).toContain("已过");
    expect(draftProblem(draft({ reviewBy: "2027-06-30" }), "2026-12-04")).toBeUndefined();
  });

  it("describes the figure check, naming the figures that no cited passage holds", () => {
    expect(describeFigureCheck({ missingCitations: [], unsupported: [], checked: 2 })).toEqual({ ok: true, text: "数字核对通过：答案中的 2 个数字都能在引用段落中找到。" });
    expect(describeFigureCheck({ missingCitations: [], unsupported: [], checked: 0 }).ok).toBe(true);
    const failed = describeFigureCheck({ missingCitations: [], unsupported: ["6000个"], checked: 2 });
    expect(failed.ok).toBe(false);
    expect(failed.text).toContain("“6000个”");
    expect(describeFigureCheck({ missingCitations: ["x#p1"], unsupported: [], checked: 0 }).text).toContain("x#p1");
  });

  it("labels answer states, modes, report queries and CSV names", () => {
    expect(answerStateLabel({ status: "live", needsReview: true }).label).toBe("待复核");
    expect(answerStateLabel({ status: "live", needsReview: false }).label).toBe("生效中");
    expect(answerStateLabel({ status: "retired", needsReview: false }).label).toBe("已停用");
    expect(modeLabel("refused")).toBe("拒答");
    expect(modeLabel("partial")).toBe("部分答出");
    expect(modeLabel("something-new")).toBe("something-new");
    expect(reportQuery("disliked", "2026-11-01", "", "csv")).toBe("kind=disliked&from=2026-11-01&format=csv");
    expect(csvFileName('attachment; filename="questions-all-2026-11-01.csv"', "all")).toBe("questions-all-2026-11-01.csv");
    expect(csvFileName(null, "unanswered")).toBe("questions-unanswered.csv");
  });

  it("maps location hashes to views", () => {
    expect(parseRoute("")).toEqual({ view: "search" });
    expect(parseRoute("#/report")).toEqual({ view: "report" });
    expect(parseRoute("#/answers/new")).toEqual({ view: "editor" });
    expect(parseRoute("#/answers/ca-abc123def456")).toEqual({ view: "editor", id: "ca-abc123def456" });
    expect(parseRoute("#/answers/<script>")).toEqual({ view: "search" });
  });
});
