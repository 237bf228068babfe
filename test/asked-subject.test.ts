/**
 * What a figure is asked of: the words of the clause that asks it, a period aside (一年, 一个月), or when
 * that clause names nothing (…医保在哪交 一年交多少钱) the head of what the question names before it. When
 * the documents state no such amount and never use that word, the reply says so and offers nothing
 * unrelated. Pay (工资) asks an amount, as a charge does. Real text: the seed corpus.
 */
import { describe, expect, it } from "vitest";
import { redactsAsked } from "../src/core/answer/extractive-composer.js";
import { chineseAttribute } from "../src/core/question/attribute.js";
import { useSeedCorpus } from "./external-corpus.js";

describe("what an amount is asked of", () => {
  const seed = useSeedCorpus();

  it("takes the head of what the question names when the asking clause names only a period (医保 of 少儿医保 … 一年交多少钱)", async () => {
    const question = "孩子的少儿医保在哪交 一年交多少钱";
    expect(seed().opened.retriever.analyze(question).askedSubject).toBe("医保");
    const { answer, trace } = await seed().answerer.answer(question, []);
    expect(trace.refusal).toBe("not-stated");
    expect(answer.answer).toContain("医保");
    expect(answer.citations).toEqual([]);
  });

  it("reads pay then how much (工资一个月多少, 平均工资是多少) as an amount in 元, which no sentence of the documents states", async () => {
    // The day pay comes is a time asked, not an amount.
    expect(chineseAttribute("教师工资每月几号发放？").attribute).toBe("when");
    for (const q of ["青岛中小学老师平均工资一个月多少", "新招的小学老师一个月工资大概多少", "2024年全市中小学老师平均工资是多少"]) {
      expect(chineseAttribute(q)).toMatchObject({ attribute: "money", units: ["元", "万元", "亿元"] });
      const { trace } = await seed().answerer.answer(q, []);
      expect(trace.refusal, q).toBe("not-stated");
    }
  });

  it("an anonymised figure answers only when it is of the asked unit: 建设幼儿园xx所 is no amount of money", () => {
    expect(redactsAsked("建设中小学、幼儿园xx所,在主城区核心区域新建幼儿园xx所", ["元", "万元", "亿元"])).toBe(false);
    expect(redactsAsked("经费补助标准由每生每年xxx元提高至xxx元", ["元", "万元", "亿元"])).toBe(true);
    expect(redactsAsked("为中小学配备校医xxx名", ["人", "名"])).toBe(true);
    expect(redactsAsked("将下午服务时间延长至xx:xx", [])).toBe(true);
    // A unit of several characters is read whole.
    expect(redactsAsked("保证学生每天校园阳光体育运动时间不少于x小时", ["小时", "分钟"])).toBe(true);
  });

  it("still answers an amount the speech anonymises, with the note that it is not published", async () => {
    const { answer, trace } = await seed().answerer.answer("课后服务经费补助现在每个学生每年补多少钱", []);
    expect(trace.refusal).toBeUndefined();
    expect(answer.answer).toContain("经费补助标准由每生每年");
    expect(answer.answer).toContain("原文对相关数字作了匿名处理");
  });
});
