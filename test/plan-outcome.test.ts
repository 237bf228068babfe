/**
 * A question asks what was planned (目标, 计划, target) or what came of it (实际, 最终, actually): work plans
 * and target lists state the one, work reports the other, with the same figure's name in both (优质园比例
 * 达到50%以上 in the 2021 targets, 优质园占比从去年的39%提升至60% in the 2021 report). Real text: the seed corpus.
 */
import { describe, expect, it } from "vitest";
import { exchange as turn, leadQuote as lead } from "./helpers.js";
import { askedStance, speaksStance } from "../src/core/question/attribute.js";
import { foldForMatching } from "../src/core/text/fold.js";
import { useSeedCorpus } from "./external-corpus.js";

const stance = (q: string) => askedStance(foldForMatching(q));

describe("the stance a question asks", () => {
  it("reads a target from 目标/计划/原定 and target/goal/planned, an outcome from 实际/最终/做到 and actually/achieved", () => {
    expect(stance("那当时定的目标是多少？")).toBe("plan");
    expect(stance("原计划建几所？")).toBe("plan");
    expect(stance("What was the target for 2021?")).toBe("plan");
    expect(stance("那最后实际做到了多少")).toBe("outcome");
    expect(stance("And how many were actually built?")).toBe("outcome");
    expect(stance("What did the city achieve in 2021?")).toBe("outcome");
  });

  it("reads none from a question that names both, neither, a deadline, a quota, a target school or where one really lives", () => {
    expect(stance("目标是多少，实际做到多少？")).toBeUndefined();
    expect(stance("2021年新增了多少所幼儿园？")).toBeUndefined();
    expect(stance("报名最后一天是几号？")).toBeUndefined();
    expect(stance("报名最后截止时间是哪天")).toBeUndefined();
    expect(stance("招生计划多少人")).toBeUndefined();
    expect(stance("目标学校可以填几个")).toBeUndefined();
    expect(stance("户籍与实际居住地不一致怎么入学")).toBeUndefined();
    // Traditional is folded first.
    expect(stance("那實際做到多少了")).toBe("outcome");
  });

  it("a stance word inside a programme's name (强基计划, 三年行动计划) is the name's, not the question's", () => {
    expect(askedStance(foldForMatching("强基计划的报名条件是什么"), ["强基", "计划", "强基计划", "报名", "条件"])).toBeUndefined();
    expect(askedStance(foldForMatching("三年行动计划开展了哪些工作"), ["三年", "行动", "计划", "行动计划", "开展", "工作"])).toBeUndefined();
    expect(askedStance(foldForMatching("强基计划实际录取了多少人"), ["计划", "强基计划", "实际", "录取", "人"])).toBe("outcome");
    // Only the stance word itself is one: an earlier turn's 强基计划 is its topic, carried into the follow-up.
    expect(speaksStance("目标", "plan")).toBe(true);
    expect(speaksStance("目标", "outcome")).toBe(false);
    expect(speaksStance("强基计划", "plan")).toBe(false);
  });
});

describe("plan and outcome asked of the seed corpus", () => {
  const seed = useSeedCorpus();
  const target = turn("2021年全市优质幼儿园的比例，业务目标里定的是多少？", "2021年度市教育局业务目标提出，全市优质园比例达到50%以上。");

  it("a follow-up asking what was actually reached does not search the earlier turn's 目标, and leads with the report's figure", async () => {
    const analysis = seed().opened.retriever.analyze("那实际上最后做到了多少？", target);
    expect(analysis.stance).toBe("outcome");
    expect(analysis.followUp?.inherited).not.toContain("目标");
    const { answer } = await seed().answerer.answer("那实际上最后做到了多少？", target);
    expect(lead(answer.answer)).toContain("60%");
    expect(lead(answer.answer)).not.toContain("50%以上");
  });

  it("the same in English", async () => {
    const history = turn("What share of kindergartens were to be high-quality (优质园) under the 2021 targets?", "The 2021 targets set the share of high-quality kindergartens at 50% or more.");
    const { answer } = await seed().answerer.answer("And what share did the city actually reach?", history);
    expect(lead(answer.answer)).toContain("60%");
  });

  it("a follow-up asking the target after the outcome leads with the target list's figure", async () => {
    const outcome = turn("2021年优质幼儿园占比提升到多少了？", "2021年全市优质园占比从去年的39%提升至60%。");
    const { answer } = await seed().answerer.answer("那年初计划的目标是多少？", outcome);
    expect(lead(answer.answer)).toContain("50%以上");
  });

  it("a question on its own: the planned number of canteens (212所) from the targets, the number reached (215所) from the report", async () => {
    const planned = await seed().answerer.answer("2021年农村小规模学校食堂运行补助，计划补多少所学校？", []);
    expect(lead(planned.answer.answer)).toContain("212所");
    const reached = await seed().answerer.answer("2021年农村小规模学校食堂运行补助，实际补了多少所学校？", []);
    expect(lead(reached.answer.answer)).toContain("215所");
  });
});
