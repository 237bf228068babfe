/**
 * A whether question's answer opens with a no only when its lead sentence forbids or waives plainly:
 * 不得劝退或者开除 answers 能不能劝退 with 不能, 无需带幼儿 answers 要不要带 with 不需要. A yes is never
 * said (characters do not tell whether a sentence says it), nor a no under an exception (未经…核准):
 * the quote answers alone.
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
  it("says no where the sentence forbids or waives plainly; never yes; nothing under an exception or beside a yes", () => {
    // 长宁's Q&A sheet, 上海's regulation and 青岛's 2021 summary, as the composer quotes them.
    expect(yesOrNo("到区指定报名验证点无需带幼儿。", "要")).toBe("不需要");
    expect(yesOrNo("第十八条 对违反学校管理制度的学生，学校应当予以批评教育，帮助学生改正错误，但不得劝退或者开除。", "能")).toBe("不能");
    // A yes is not read from characters: 赋能 holds 能 and says nothing of 可以.
    expect(yesOrNo("大力推动数据赋能招生考试流程再造,幼升小、小升初招生报名实现“一网通办”。", "可以")).toBeUndefined();
    // A prohibition that lifts under a condition, or limited to a manner, is no plain no.
    expect(yesOrNo("未经区教育行政主管部门核准，幼儿园不得跨学区招生。", "能")).toBeUndefined();
    expect(yesOrNo("除要求幼儿进行体格检查并取得合格外，不得对幼儿进行任何形式的考试。", "能")).toBeUndefined();
    expect(yesOrNo("不得强制学生参加有偿补课。", "可以")).toBeUndefined();
    // A prohibition of something other than what is asked, or of an illegal act only, is no verdict.
    expect(yesOrNo("任何组织和个人不得侵占、挪用义务教育经费，不得向学校非法收取或者摊派费用。", "能", ["收取", "校服费"])).toBeUndefined();
    expect(yesOrNo("学校不得设置或者变相设置重点班和非重点班。", "可以", ["招生", "报名"])).toBeUndefined();
    expect(yesOrNo("学校不得设置或者变相设置重点班和非重点班。", "可以", ["重点班"])).toBe("不可以");
    // Both a yes and a no in one sentence: no verdict.
    expect(yesOrNo("学校可以批评教育，但不得劝退或者开除。", "能")).toBeUndefined();
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

  it("第几条 asks an article's number: the article that says it answers, not 'the figure is not stated'", async () => {
    const { answer } = await external().answerer.answer("学校要不要成立家长委员会？办法第几条说的？", []);
    expect(answer.partial, answer.answer).toBeUndefined();
    expect(answer.answer.split("\n")[0]).toContain("第十七条 学校应当建立健全与家长的联系制度，建立家长委员会");
  });


});
