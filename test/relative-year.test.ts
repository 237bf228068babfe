/**
 * A follow-up that says its year relative to the earlier turn's (And the year after? 第二年呢？ the year
 * before) asks about that year, not the earlier one; the year before keeps the earlier year beside it,
 * whose report states the year before's figure as its starting point (从去年的39%提升至60%). Real text:
 * the seed corpus.
 */
import { describe, expect, it } from "vitest";
import { shiftedYears } from "../src/core/question/analyze.js";
import { exchange as turn } from "./helpers.js";
import { useSeedCorpus } from "./external-corpus.js";

describe("a year said relative to the earlier turn's", () => {
  const seed = useSeedCorpus();

  it("moves the inherited year by the languages' words for the next and the previous year, and only those", () => {
    expect(shiftedYears("and the year after?", [2020])).toEqual([2021]);
    expect(shiftedYears("那第二年呢", [2020])).toEqual([2021]);
    expect(shiftedYears("and what was planned the year before?", [2021])).toEqual([2020, 2021]);
    expect(shiftedYears("那前一年是多少", [2021])).toEqual([2020, 2021]);
    expect(shiftedYears("那实际做到多少", [2021])).toEqual([2021]);
    // Inside another phrase the words are no year said relative to the earlier turn's.
    expect(shiftedYears("那能提前一年上学吗", [2021])).toEqual([2021]);
    expect(shiftedYears("入学第二年可以转学吗", [2021])).toEqual([2021]);
    expect(shiftedYears("那最后一年呢", [2021])).toEqual([2021]);
    expect(shiftedYears("次年8月31日前出生的能报吗", [2021])).toEqual([2021]);
    // Two years inherited: which one the words move is not said.
    expect(shiftedYears("and the year after?", [2020, 2021])).toEqual([2020, 2021]);
  });

  it("And the year after? (2020's plan asked before) is answered from 2021, not with 2020's 80 schools again", async () => {
    const history = turn("How many schools and kindergartens did Qingdao plan to start building or expanding in 2020?", "The 2020 work plan called for starting construction or expansion of 80 primary/secondary schools and kindergartens.");
    expect(seed().opened.retriever.analyze("And the year after?", history).years).toEqual([2021]);
    const { answer } = await seed().answerer.answer("And the year after?", history);
    expect(answer.answer).toContain("50所");
    expect(answer.answer).not.toContain("80所");
  });

  it("And what was planned the year before? (2021's building asked before) is answered with 2020's plan of 80", async () => {
    const history = turn("How many schools and kindergartens did Qingdao newly build or expand in 2021?", "In 2021 Qingdao newly built or expanded 50 primary/secondary schools and kindergartens, which will provide 38,600 school places once completed.");
    const { answer } = await seed().answerer.answer("And what was planned the year before?", history);
    expect(answer.answer).toMatch(/啟動80所|启动80所/);
  });

  it("那前一年是多少？ after 2021's share of good kindergartens still finds the 2021 report's 从去年的39%", async () => {
    const history = turn("2021年优质幼儿园占比提高到多少了？", "根据2021年教育工作总结，全市优质园占比提升至60%。");
    const { answer } = await seed().answerer.answer("那前一年是多少？", history);
    expect(answer.answer).toContain("39%");
  });
});
