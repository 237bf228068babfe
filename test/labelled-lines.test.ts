/**
 * A label line and the line it labels are read together, by retrieval and by the composer: the
 * stage of a handbook's answer and its hours (长宁's 2019 Q&A sheet, ../shared/eval/external/, copied
 * at run time into a temporary corpus, never into the repository). And 几点 is answered by a time
 * of day, not by the day.
 */
import { describe, expect, it } from "vitest";
import { answersAttribute } from "../src/core/question/scoring.js";
import { labelledLines } from "../src/core/text/sentences.js";
import { EXTERNAL_DOCUMENTS, hasExternal, useExternalCorpus } from "./external-corpus.js";

const QA = "2019年长宁区学前教育招生问答口径.doc";

describe("label lines", () => {
  it("a short unpunctuated line is read with the line it labels, line break kept", () => {
    // As the Q&A sheet's answer is laid out.
    const answer = "适龄幼儿入园工作主要分为信息登记、报名验证和录取通知三个阶段。\n阶段二：报名验证（5月11日-5月12日）\n上午8:30-11:30，下午12:30-15:30。\n阶段三：录取通知（7月15日前）\n各幼儿园将在7月15日前基本完成幼儿录取工作。";
    expect(labelledLines(answer)).toEqual([
      "适龄幼儿入园工作主要分为信息登记、报名验证和录取通知三个阶段。",
      "阶段二：报名验证（5月11日-5月12日）\n上午8:30-11:30，下午12:30-15:30。",
      "阶段三：录取通知（7月15日前）\n各幼儿园将在7月15日前基本完成幼儿录取工作。",
    ]);
    expect(labelledLines(answer).join("\n")).toBe(answer);
  });

  it("lines with labels of their own, and table rows, stay apart", () => {
    // A document's signature lines (金山's 2019 意见) and a schedule table's rows.
    const info = "发文字号：金教基〔2019〕6号\n落款：金山区教育局 2019年4月15日";
    expect(labelledLines(info)).toEqual(info.split("\n"));
    const rows = "时间：4月15日-4月30日｜主要内容：信息登记\n时间：5月11日-5月12日｜主要内容：报名验证";
    expect(labelledLines(rows)).toEqual(rows.split("\n"));
  });
});

describe("几点 asks a time of day", () => {
  it("is answered by 8:30, not by the day alone; 哪天 by the day", () => {
    const hours = { attribute: "when" as const, units: [], folded: "报名验证那两天几点到几点可以去办?" };
    expect(answersAttribute("上午8:30-11:30,下午12:30-15:30。", hours)).toBe(true);
    expect(answersAttribute("2019年5月11日~12日为本区适龄幼儿报名验证日。", hours)).toBe(false);
    const day = { attribute: "when" as const, units: [], folded: "报名验证是哪天?" };
    expect(answersAttribute("2019年5月11日~12日为本区适龄幼儿报名验证日。", day)).toBe(true);
  });
});

describe.runIf(hasExternal(QA))("长宁's Q&A sheet: the hours of the registration days", () => {
  // Every external document, as the evaluation sets see them: which passage ranks where depends on
  // the whole corpus's statistics.
  const external = useExternalCorpus(EXTERNAL_DOCUMENTS, 300_000);

  it("retrieves the stages' answer and quotes the stage with its hours", async () => {
    const question = "长宁报名验证那两天，几点到几点可以去办？";
    const hits = await external().opened.retriever.search(question, { k: 5 });
    expect(hits.some((h) => h.passage.text.includes("上午8:30-11:30"))).toBe(true);
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.answer.split("。")[0]).toContain("阶段二：报名验证（5月11日-5月12日） 上午8:30-11:30，下午12:30-15:30");
    // The quote is the source's, line break and all.
    expect(answer.citations.some((c) => c.quote.includes("阶段二：报名验证（5月11日-5月12日）\n上午8:30-11:30，下午12:30-15:30。"))).toBe(true);
  });
});
