/**
 * A target asked for what comes later (那往后的目标呢, 下一步要提到多少, next goals) is the plan in force:
 * the newest documents' — a report's closing 下一步 — not the target of the earlier turn's year again.
 * Real text: the seed corpus (2021 targets: 优质园比例达到50%以上; the 2024 report's 下一步: 优质园占比提升至85%以上).
 */
import { describe, expect, it } from "vitest";
import { asksFuture } from "../src/core/question/attribute.js";
import { exchange as turn } from "./helpers.js";
import { useSeedCorpus } from "./external-corpus.js";

describe("a target asked for what comes later", () => {
  const seed = useSeedCorpus();

  it("is read from the language's words for later, and only those", () => {
    for (const q of ["那往后的目标呢", "下一步要提到多少", "接下来打算怎么做", "今后的目标是多少", "what are the next goals", "going forward, what share"]) expect(asksFuture(q), q).toBe(true);
    for (const q of ["2021年的目标是多少", "孩子以后上学怎么报名", "下学期几号开学", "what was the target in 2021", "那报名以后多久出结果", "录取以后怎么办", "未来学校在哪里", "what is the next step after submitting the form"]) expect(asksFuture(q), q).toBe(false);
  });

  it.each(["那往后定的目标是多少", "那再往后的目标定到多少？", "那往后优质园比例要达到多少"])("%s after 2021's share of good kindergartens → the 2024 report's 85%以上, not 2021's 50%", async (question) => {
    const history = turn("2021年优质幼儿园占比提高到多少了？", "2021年优质园占比从上一年的39%提升至60%。");
    const analysis = seed().opened.retriever.analyze(question, history);
    expect(analysis.years).toEqual([2024]);
    const { answer } = await seed().answerer.answer(question, history);
    expect(answer.answer.split("。")[0]).toContain("85%以上");
  });

  it("keeps the earlier turn's year for a follow-up that does not ask for a later target (那实际做到多少了, 接下来要准备什么材料)", () => {
    const history = turn("2021年优质幼儿园占比的目标是多少？", "2021年度业务目标提出，全市优质园比例达到50%以上。");
    expect(seed().opened.retriever.analyze("那实际做到多少了", history).years).toEqual([2021]);
    expect(seed().opened.retriever.analyze("接下来要准备什么材料", history).years).toEqual([2021]);
  });
});
