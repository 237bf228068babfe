/**
 * "Who said it" (是哪位官员讲的, 讲话的官员是谁) is answered by the sentence that reports the saying —
 * a reporting verb (重申, 表示, 指出 …) with its speaker — not by a quote that merely holds 谁 or 说.
 * A question for whom to turn to (找谁问) is answered by a sentence that gives a contact. Real text: a
 * Traditional Chinese news article on homework rules and 天河区's points admission guide (../shared/eval/external/, copied at
 * run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { chineseAttribute } from "../src/core/question/attribute.js";
import { answersAttribute, SPEAKER_QUESTION, testableWho } from "../src/core/question/scoring.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const ARTICLE = "article_38466.md";

describe("a question for who said something", () => {
  it("is a who question, 哪位 as well as 谁, and asks for the one who reports", () => {
    expect(chineseAttribute("是哪位官员在记者会上讲的？").attribute).toBe("who");
    // 哪个…讲的 asks which one said it: who (边个讲嘅 in written Cantonese); 哪个学校 alone does not.
    expect(chineseAttribute("是哪个官员讲的？").attribute).toBe("who");
    expect(SPEAKER_QUESTION.test("是哪个官员讲的?")).toBe(true);
    expect(chineseAttribute("哪个学校招生？").attribute).not.toBe("who");
    expect(SPEAKER_QUESTION.test("那个讲话的教育部官员是谁?")).toBe(true);
    expect(SPEAKER_QUESTION.test("谁可以申请积分入学?")).toBe(false);
    for (const q of ["谁说了算", "对结果有异议,谁可以提出复核?", "哪位老师讲课", "谁负责说明情况"]) expect(SPEAKER_QUESTION.test(q)).toBe(false);
    // An official named by a title of office, followed by what was said, without 的.
    expect(SPEAKER_QUESTION.test("哪位领导说要取消期中考试")).toBe(true);
    expect(SPEAKER_QUESTION.test("上次是哪个官员讲不许布置书面作业")).toBe(true);
    for (const q of ["哪位主任讲座最受欢迎", "哪个部门说了算", "哪个文件讲了课后服务", "哪位领导说了算", "哪个负责人说明一下报名流程", "哪位主任讲一下入园流程"]) expect(SPEAKER_QUESTION.test(q), q).toBe(false);
    // The official of a saying asked after it: …那个官员是哪个, …那个是教育部哪个官员 (written Cantonese 系 kept).
    for (const q of ["讲不准家长改功课那个官员是哪个 什么职位", "讲不准家长批改作业那个系教育部哪个官员", "说要取消期中考试的领导是谁"]) expect(SPEAKER_QUESTION.test(q), q).toBe(true);
    for (const q of ["讲座安排在哪个校区", "说一下哪个学校招生", "讲座的主讲老师在哪个学校", "这次家长讲座的负责人是谁", "报名说明会的负责人是谁", "说一下招生办主任是谁", "讲座在哪 负责人是谁"]) expect(SPEAKER_QUESTION.test(q), q).toBe(false);
    const asked = { attribute: "who" as const, units: [], folded: "那个讲话的教育部官员是谁?" };
    expect(answersAttribute("教育部基础教育司司长吕玉刚在周二的记者会上,重申不能够要求家长批改功课", asked)).toBe(true);
    expect(answersAttribute("说实在的,教我教、改我改,是谁辛苦呀", asked)).toBe(false);
  });
});

describe.runIf(hasExternal(ARTICLE))("the homework article: who said it", () => {
  const external = useExternalCorpus([ARTICLE]);

  it.each(["那個講話的教育部官員是誰？", "講這番話的教育部官員是誰？甚麼職位？", "教育部話唔准老師叫家長改作業，邊個官員講㗎？", "是哪位官員強調學校不得要求家長批改作業？", "講唔准家長改功課嗰個官員係邊個 咩職位", "講唔准家長批改作業嗰個係教育部邊個官員"])("%s → the director who reiterated it", async (question) => {
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.answer.split("。")[0]).toContain("司長呂玉剛");
  });
});

describe("a question for whom to turn to", () => {
  it("is answered by a sentence that gives a contact, not by any sentence", () => {
    for (const q of ["系统出技术问题了找谁问?", "不懂的话联系哪个部门?", "有疑问问谁"]) expect(testableWho(q), q).toBe("contact");
    for (const q of ["谁可以申请积分入学?", "谁说了算"]) expect(testableWho(q), q).toBeUndefined();
    const asked = { attribute: "who" as const, units: [], folded: "填志愿时系统出问题找谁问?" };
    expect(answersAttribute("填报中如遇到技术问题,可加qq号码(3821143037)进行咨询。", asked)).toBe(true);
    expect(answersAttribute("7月1日15:00,积分入学系统将自动关闭,并封存志愿。", asked)).toBe(false);
  });
});

describe.runIf(hasExternal("02_积分入学指引_2026.html"))("天河's points admission guide: whom to ask", () => {
  const external = useExternalCorpus(["02_积分入学指引_2026.html"]);

  it("leads with the QQ number for technical problems, not with the filing dates", async () => {
    const { answer } = await external().answerer.answer("天河积分入学网上填报志愿的时候系统有问题，找谁问？", []);
    expect(answer.answer.split("[1]")[0]).toContain("3821143037");
    // The words the question shares with the document's title (天河, 积分入学) are every sentence's
    // context, so the dates' sentence, which repeats them, no longer outweighs the QQ sentence.
    const qq = await external().answerer.answer("天河积分入学填志愿时系统出问题，可以加哪个QQ咨询？", []);
    expect(qq.answer.answer.split("[1]")[0]).toContain("3821143037");
  });
});

describe.runIf(hasExternal("02_积分入学指引_2026.html"))("天河's points admission guide: two counts asked", () => {
  const external = useExternalCorpus(["02_积分入学指引_2026.html"]);

  it("answers the first clause's count (19 choices) beside the second's (14 public, 5 private)", async () => {
    // The second clause's words (公办, 民办) choose 14个/5个 first; a chosen sentence that counts
    // nothing (the dates of filing) is no bar the first clause's answer must clear.
    const { answer } = await external().answerer.answer("天河积分入学最多能填几个志原 公办民办各几个", []);
    const body = answer.answer.split("\n")[0]!;
    expect(body).toMatch(/第19个志愿|最多填报19个志愿/);
    expect(body).toContain("公办学校志愿最多14个、民办学校志愿最多5个");
  });
});

describe.runIf(hasExternal("02_积分入学指引_2026.html"))("天河's points admission guide: the document it rests on", () => {
  const external = useExternalCorpus(["02_积分入学指引_2026.html"]);

  it("a page with no header number answers 文号 with the sentence citing one", async () => {
    const { answer } = await external().answerer.answer("天河积分入学是按哪个文件办的？文号是多少？", []);
    expect(answer.answer.split("\n")[0]).toContain("穗天教规字〔2024〕1号");
  });
});

describe.runIf(hasExternal("05_幼儿园招生方案_2026.html"))("天河's kindergarten plan: a field beside another question", () => {
  const external = useExternalCorpus(["02_积分入学指引_2026.html", "05_幼儿园招生方案_2026.html"], 120_000, true);

  it("a field asked beside another question: the issuer's line and the other clause's answer", async () => {
    const { answer } = await external().answerer.answer("天河幼儿园招生方案是哪个部门发的？派位结果什么时候公布？", []);
    expect(answer.answer).toContain("落款：广州市天河区教育局");
    expect(answer.answer).toContain("5月22日");
  });
});
