import { describe, expect, it } from "vitest";
import { askedDocumentFields } from "../../src/core/knowledge/document-fields.js";
import { TIME_EXPRESSION } from "../../src/core/question/scoring.js";
import { foldForMatching } from "../../src/core/text/fold.js";

const fields = (q: string) => askedDocumentFields(foldForMatching(q)).map((f) => f.field);

describe("document fields a question asks for (GB/T 9704)", () => {
  it("the date and the issuer, in the listed phrases and in the grammar of a question word before the verb", () => {
    expect(fields("2020年全市教育工作要點是哪一天發布的？")).toEqual(["date"]);
    expect(fields("这个文件的印发日期是多少")).toEqual(["date"]);
    expect(fields("长宁区的入园通知是什么时候下发的")).toEqual(["date"]);
    expect(fields("2021年度业务目标是哪个部门制定的？")).toEqual(["issuer"]);
    expect(fields("这份通知的文号是多少")).toEqual(["docNumber"]);
  });

  it("a question about what a document says asks for no field", () => {
    expect(fields("2021年发布了哪些课后服务政策？")).toEqual([]);
    expect(fields("课后服务什么时候开始")).toEqual([]);
    // The words of publishing are those of any event unless the question names a document.
    expect(fields("高考成绩什么时候公布？")).toEqual([]);
    expect(fields("录取结果哪天发布")).toEqual([]);
  });

  it("实行 and 执行 ask a named document's 施行 date, not when anything else starts", () => {
    expect(fields("上海实施义务教育法那个办法 从哪天开始执行的")).toEqual(["effective"]);
    expect(fields("上海这个义务教育办法是哪天开始实行的")).toEqual(["effective"]);
    expect(fields("這個辦法幾時開始實行")).toEqual(["effective"]);
    expect(fields("课后服务什么时候开始实行")).toEqual([]);
    expect(fields("延时服务哪天起执行")).toEqual([]);
    // Of a rule that states its 施行 date (办法, 条例, 细则, a title in 《》), not of any 规定, 政策 or 通知.
    expect(fields("学校规定的新作息时间从哪天开始执行")).toEqual([]);
    expect(fields("双减政策什么时候开始执行的")).toEqual([]);
    expect(askedDocumentFields(foldForMatching("课后服务什么时候开始执行"), foldForMatching("看了通知，课后服务什么时候开始执行")).map((f) => f.field)).toEqual([]);
  });

  it("a clause leaning on a document named in another clause asks a field only if it asks nothing else", () => {
    const inQuestion = (clause: string, question: string) => askedDocumentFields(foldForMatching(clause), foldForMatching(question)).map((f) => f.field);
    const notice = "长宁区2019年那个幼儿入园通知，文号是多少？是哪天印发的？";
    expect(inQuestion("是哪天印发的", notice)).toEqual(["date"]);
    const plan = "天河幼儿园招生方案是哪个部门发的？派位结果什么时候公布？";
    expect(inQuestion("派位结果什么时候公布", plan)).toEqual([]);
    expect(inQuestion("天河幼儿园招生方案是哪个部门发的", plan)).toEqual(["issuer"]);
  });

  it("an ISO date is a time an answer can lead with", () => {
    expect(TIME_EXPRESSION.test("政策发布日期：2020-02-27")).toBe(true);
  });
});
