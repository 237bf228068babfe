/**
 * Two readings of a question and its sources that words alone miss: a question that negates a
 * condition (积分没达标) is answered by the sentence on its side of the negation (积分未达到标准分值), not
 * by the one stating the other case; and a sentence that says where to go only through a numbered
 * item of a table (纳入“信息验证点6”的范围) is followed by that row; a threshold the question falls short of
 * (积分不到120分) is answered from the row below it (未达120分), with all the conditions ①②③ that row lists. Real text: 长宁区's and 松江区's 2019
 * kindergarten notices and 长宁's Q&A sheet (../shared/eval/external/, copied at run time into a
 * temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { polarity } from "../src/core/question/scoring.js";
import { chineseAttribute } from "../src/core/question/attribute.js";
import { explainLines, summarizeAnalysis } from "../src/core/question/explain.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const CHANGNING = ["05.长宁政策.pdf", "2019年长宁区学前教育招生问答口径.doc"];
const SONGJIANG = "13.松江政策.pdf";

describe("polarity of a sentence against the question's negations", () => {
  it("agrees when the sentence negates the word's verb, disagrees when it states the word plainly", () => {
    expect(polarity("⑷父母一方持上海市居住证但积分未达到标准分值", ["达标"])).toBe(1);
    expect(polarity("父母一方持《上海市居住证》且积分达标准分值、港澳台外籍适龄幼儿的家长可到上述地点进行报名验证。", ["达标"])).toBe(-1);
  });

  it("reads a negation with a verb of reaching between (未达到, 不满) as the word's negation", () => {
    expect(polarity("⑷父母一方持上海市居住证但积分未达到标准分值", ["标准分"])).toBe(1);
    expect(polarity("⑵父母一方持上海市居住证且积分达标准分值的适龄幼儿家长须携带登记表至新渔东路242号报名验证。", ["标准分"])).toBe(-1);
    expect(polarity("未满六周岁的适龄儿童", ["六周岁"])).toBe(1);
    expect(polarity("居住证积分没有达到标准分值的", ["标准分"])).toBe(1);
    expect(polarity("居住证积分未能达到标准分值的", ["标准分"])).toBe(1);
    // After a verb, 不到 is "cannot": no negation of the word after it.
    expect(polarity("家长找不到学校的报名点", ["学校"])).toBe(-1);
  });

  it("reads 非本市/非本区 before a word as its negation", () => {
    expect(polarity("⑵非本市户籍适龄幼儿家长须携带登记表", ["户籍"])).toBe(1);
  });

  it("is silent when the sentence holds neither, or only another word with the same first character", () => {
    expect(polarity("序号：2｜单位：兆丰幼儿园｜电话：62521540", ["电脑"])).toBe(0);
    expect(polarity("适龄幼儿监护人自行通过电脑端登录登记系统进行信息登记", ["电脑"])).toBe(-1);
    expect(polarity("若家中无上网条件可前往家附近的东方社区信息苑", [])).toBe(0);
  });
});

describe("a figure the question falls short of", () => {
  it("agrees with a sentence that falls short of the same figure, disagrees with one that reaches it", () => {
    expect(polarity("类别：户籍外省市（居住证积分未达120分）且本镇（地区）有房产", ["120"])).toBe(1);
    expect(polarity("类别：户籍外省市（居住证积分达120分）且本镇（地区）有房产", ["120"])).toBe(-1);
    expect(polarity("参加本市职工社会保险不满6个月的", ["6"])).toBe(1);
    // Another figure that holds the digits (1200, 61), or a date (9月6日), says nothing.
    expect(polarity("新增学位1200个，其中61所学校", ["120", "6"])).toBe(0);
    expect(polarity("请于9月6日前报名", ["6个月"])).toBe(0);
    // 没有达到 and 以下 fall short; 不少于 and 不低于 say "at least".
    expect(polarity("居住证积分没有达到120分的", ["120分"])).toBe(1);
    expect(polarity("居住证积分120分以下的", ["120分"])).toBe(1);
    expect(polarity("居住证积分不少于120分", ["120分"])).toBe(-1);
    expect(polarity("居住证积分不低于120分", ["120分"])).toBe(-1);
  });
});

describe("the asking verb of a yes/no question", () => {
  it("comes from the clause that asks, not from a negated condition before it", () => {
    expect(chineseAttribute("父母没有居住证，孩子能在长宁报名验证吗？").yesWord).toBe("能");
    expect(chineseAttribute("孩子没有户口能报名吗？").yesWord).toBe("能");
    expect(chineseAttribute("有没有名额？").yesWord).toBe("有");
  });
});

describe.runIf(hasExternal(...CHANGNING))("长宁: where a parent whose points fall short goes", () => {
  const external = useExternalCorpus(CHANGNING);

  it("reads which words the question negates, and not an A-not-A question's negation", () => {
    const { retriever } = external().opened;
    expect(retriever.analyze("外地户口，居住证积分还没达标，在长宁要去哪里报名验证？").negated).toEqual(["达标"]);
    expect(retriever.analyze("家里没电脑，想去东方社区信息苑登记").negated).toEqual(["电脑"]);
    // A negation with a verb of reaching (没到, 没有达到) negates the word after it.
    expect(retriever.analyze("居住证积分没到标准分，在长宁去哪报名验证").negated).toContain("标准分");
    expect(retriever.analyze("居住证积分没有达到标准分怎么办").negated).toContain("标准分");
    expect(retriever.analyze("网上找不到学校的报名入口怎么办").negated ?? []).not.toContain("学校");
    expect(retriever.analyze("长宁的公办幼儿园还有没有名额？").negated).toBeUndefined();
    // Asking with 有无, or hedging (不好意思, 不知道), negates no condition of the case.
    expect(retriever.analyze("随迁子女入学有无户籍要求？").negated).toBeUndefined();
    expect(retriever.analyze("不好意思，请问孩子能上公办幼儿园吗？").negated).toBeUndefined();
    expect(retriever.analyze("我不知道孩子能不能在长宁报名？").negated).toBeUndefined();
    // The trace says so, for the operator reading why a sentence led.
    expect(explainLines(summarizeAnalysis(retriever.analyze("积分没达标去哪验证？")))).toContainEqual(expect.stringContaining("否定：问题否定了“达标”"));
  });

  it("leads with the nurseries for points below the standard, not the bureau's point for points above it", async () => {
    const { answer } = await external().answerer.answer("外地户口，居住证积分还没达标，在长宁要去哪里报名验证？", []);
    const lead = answer.answer.split("。")[0]!;
    expect(lead).toContain("积分未达到标准分值");
    expect(lead).toContain("江一托儿所（愚园路1000号）");
  });

  it("answers a further clause's place (去哪里报名验证) on the question's side of its negation, beside the length asked (社保要交满多久)", async () => {
    const { answer } = await external().answerer.answer("居住证积分没达到标准分的，在长宁去哪里报名验证？社保要交满多久？", []);
    const body = answer.answer.split("\n")[0]!;
    expect(body).toContain("参加本市职工社会保险满6个月");
    expect(body).toContain("江一托儿所（愚园路1000号）");
    expect(body).not.toContain("新渔东路242号");
    // 标准分 is the condition, not a rate asked: the length is stated, so nothing is said to be missing.
    expect(body).not.toContain("没有写明");
  });

  it("still sends a parent whose points reach the standard to 新渔东路242号", async () => {
    const { answer } = await external().answerer.answer("居住证积分达标的外地户口，在长宁去哪里报名验证？", []);
    expect(answer.answer.split("。")[0]).toContain("新渔东路242号");
  });

  it("does not answer a bare yes to a negated condition from a sentence about the other case", async () => {
    const { answer } = await external().answerer.answer("父母没有居住证，孩子能在长宁报名验证吗？", []);
    expect(answer.answer.startsWith("能。")).toBe(false);
    expect(answer.answer.startsWith("有。")).toBe(false);
  });
});

describe.runIf(hasExternal(SONGJIANG))("松江: a village placed under a numbered verification point", () => {
  const external = useExternalCorpus([SONGJIANG]);

  it("reads a threshold the question falls short of as negated", () => {
    const { retriever } = external().opened;
    expect(retriever.analyze("居住证积分不到120分能上公办园吗").negated).toEqual(["120分"]);
    expect(retriever.analyze("社保没满6个月怎么办").negated).toEqual(["6个月"]);
    expect(retriever.analyze("积分120分以下能上公办园吗").negated).toEqual(["120分"]);
    expect(retriever.analyze("积分达到120分能上公办园吗").negated).toBeUndefined();
    expect(retriever.analyze("积分不少于120分能上公办园吗").negated).toBeUndefined();
  });

  it("answers below the threshold from the row below it, with every condition of its enumeration", async () => {
    const { answer } = await external().answerer.answer("松江九亭镇有房子，外省市户口，居住证积分不到120分，孩子读公办幼儿园要满足什么条件", []);
    const lead = answer.answer.split("[1]")[0]!;
    expect(lead).toContain("居住证积分未达120分");
    // The row's conditions ①②③ all follow, not ① alone.
    expect(answer.answer).toContain("①幼儿持《上海市居住证》");
    expect(answer.answer).toContain("②父母一方持《上海市居住证》");
    expect(answer.answer).toContain("社会保险满6个月");
    expect(answer.answer).toContain("③持有本镇（地区）居住类房产证件");
  });

  it("quotes the row the sentence points at, right after it", async () => {
    const { answer } = await external().answerer.answer("住在车墩镇东门村，松江公办幼儿园小班信息验证去哪个点？", []);
    const sentences = answer.answer.split("。");
    expect(sentences[0]).toContain("车墩镇东门村原则上纳入五所街道“信息验证点6”的范围");
    expect(sentences[1]).toContain("序号：6｜信息验证点：松江区白云幼儿园(白云部)");
    // The row of the same number in the other section's table (泗泾第二幼儿园) is not the one meant.
    expect(answer.answer).not.toContain("泗泾第二幼儿园");
  });
});
