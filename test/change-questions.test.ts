/**
 * A question for a change — the value before and after (从多少涨到多少, 之前是多少…提到多少了) — is answered
 * by the sentence that states both (优质园占比从去年的39%提升至60%), not by one that states a level (优质园比例
 * 达到50%以上); a share asked with 比例 is named 占比 or …率 in the documents. And a figure's sentence that
 * holds most of the question answers it without the question's key word. Real text: the seed corpus.
 */
import { describe, expect, it } from "vitest";
import { asksChange, chineseAttribute, STATES_CHANGE } from "../src/core/question/attribute.js";
import { foldForMatching } from "../src/core/text/fold.js";
import { useSeedCorpus } from "./external-corpus.js";

describe("the grammar of a change", () => {
  it("asks a change with 从多少…到多少, or 之前/原来 … beside 涨到/提到 多少; not 从几号 (a date) nor 提到多少 alone", () => {
    expect(asksChange(foldForMatching("2021年普惠园覆盖率从多少升到了多少？"))).toBe(true);
    expect(asksChange(foldForMatching("参与率提到多少了？原来是多少？"))).toBe(true);
    expect(asksChange(foldForMatching("网上报名从几号开始？"))).toBe(false);
    expect(asksChange(foldForMatching("从几岁开始可以入园？"))).toBe(false);
    expect(asksChange(foldForMatching("参与率提到多少了？"))).toBe(false);
  });

  it("states a change with 从 one figure 至 another, not a level", () => {
    expect(STATES_CHANGE.test(foldForMatching("優質園占比從去年的39%提升至60%;"))).toBe(true);
    expect(STATES_CHANGE.test("全市优质园比例达到50%以上。")).toBe(false);
    // A span of dates opened by 从 is no change (no verb of change before 至). The documents hold no such
    // span (the one 从…至 of both corpora is the change above), so the phrase is written for the test.
    expect(STATES_CHANGE.test(foldForMatching("积分入学网上申请时间从5月8日至5月10日"))).toBe(false);
  });

  it("counts in the unit a part before the asking part names (…的比例，去年提到多少了)", () => {
    expect(chineseAttribute("达标学校占的比例，去年提到多少了?").units).toEqual(["%"]);
    expect(chineseAttribute("去年提到多少了?").units).toEqual([]);
    // A told part that names no quantity (收费已经公示了) lends no unit.
    expect(chineseAttribute("收费已经公示了,名额还有多少?").units).toEqual([]);
  });
});

describe("a change or a share asked of the seed corpus", () => {
  const seed = useSeedCorpus();

  it("leads with the sentence that states the share before and after, not the year's target level", async () => {
    const { answer } = await seed().answerer.answer("2021年条件好的幼儿园所占的比例，原来是多少，后来提到了多少？", []);
    const lead = answer.answer.split("\n")[0]!.split("[1]")[0]!;
    expect(lead).toContain("39%");
    expect(lead).toContain("60%");
    expect(lead).not.toContain("50%以上");
  });

  it("a share asked by 比例 without asking a change is held by the sentence that names its percentage 占比 (优质园占比…60%), as by one that says 比例 (优质园比例达到50%以上)", async () => {
    const { answer } = await seed().answerer.answer("全市优质幼儿园所占的比例2021年是多少？前一年呢？", []);
    const lead = answer.answer.split("\n")[0]!.split("[1]")[0]!;
    expect(lead).toContain("优质园占比从去年的39%提升至60%");
  });
});

describe("a figure's sentence that holds most of the question", () => {
  const seed = useSeedCorpus();

  it("answers without the key word (启动80所…新建、改扩建 for 开工), and does not open with 文件中没有写明", async () => {
    const { answer } = await seed().answerer.answer("2020年工作要点里，新建改扩建的中小学幼儿园准备开工几所？", []);
    expect(answer.answer.split("\n")[0]).toContain("80所");
    expect(answer.answer).not.toContain("没有写明");
  });
});
