/**
 * A whether question's answer opens with yes or no only when its lead sentence says so in its own
 * words: 不得劝退或者开除 answers 能不能劝退 with 不能, 无需带幼儿 answers 要不要带 with 不需要, and a
 * sentence that does not speak to the asked predicate gets no verdict at all (the quote answers alone).
 * Real text: 上海's compulsory-education regulation and 长宁's Q&A sheet (../shared/eval/external/,
 * copied at run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { yesOrNo } from "../src/core/answer/answerer.js";
import { chineseAttribute } from "../src/core/question/attribute.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const LAW = "上海市实施《义务教育法》办法(2024-09-27).md";
const QA = "2019年长宁区学前教育招生问答口径.doc";

describe("the yes word a whether question asks by", () => {
  it("is its A-not-A form where it has one, else the verb nearest its end", () => {
    expect(chineseAttribute("娃是2016年10月生的 今年能报长宁的幼儿园小班吗").yesWord).toBe("能");
    expect(chineseAttribute("有没有能问技术问题的QQ号？").yesWord).toBe("有");
    expect(chineseAttribute("青岛是不是出过全国第一份中小学人工智能课程的指导纲要？").yesWord).toBe("是");
  });
});

describe("the verdict a lead sentence licenses", () => {
  it("says yes with the sentence's own word, no where it forbids or waives, nothing where it negates otherwise", () => {
    // 长宁's Q&A sheet and 青岛's 2021 summary, as the composer quotes them.
    expect(yesOrNo("到区指定报名验证点无需带幼儿。", "要")).toBe("不需要");
    expect(yesOrNo("大力推动数据赋能招生考试流程再造,幼升小、小升初招生报名可以网上办理。", "可以")).toBe("可以");
    expect(yesOrNo("完成信息登记不代表一定能入园。", "可以")).toBeUndefined();
    expect(yesOrNo("全面停止中小学生学科类、学龄前儿童等校外培训机构审批。", "能")).toBeUndefined();
    // Both a yes and a no in one sentence: no verdict.
    expect(yesOrNo("学校可以批评教育，但不得劝退或者开除。", "能")).toBeUndefined();
    expect(yesOrNo("出台校医配备与管理意见,为中小学配备校医。", "有")).toBe("有");
    expect(yesOrNo("今年区指定报名验证点安排在新渔东路242号。", "是")).toBeUndefined();
  });
});

describe.runIf(hasExternal(LAW) && hasExternal(QA))("yes, no, or the quote alone", () => {
  const external = useExternalCorpus([LAW, QA]);

  it.each([
    ["孩子在学校老违反纪律，学校能把他开除吗？", "不能。", "不得劝退或者开除"],
    ["上海的初中可以分重点班和普通班吗？", "不可以。", "不得设置或者变相设置重点班"],
  ])("%s → %s", async (question, verdict, quote) => {
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.answer.startsWith(verdict)).toBe(true);
    expect(answer.answer.split("\n")[0]).toContain(quote);
  });

  it("gives no verdict to 是不是…肯定能上 from a sentence that does not say it", async () => {
    const { answer } = await external().answerer.answer("网上入园信息登记完了，是不是孩子就肯定有幼儿园上了？", []);
    expect(answer.answer).not.toMatch(/^(?:是|能|可以|有)。/);
  });
});
