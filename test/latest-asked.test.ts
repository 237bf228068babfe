/**
 * A time asked of the most recent of several (最近一次修改是哪天): a regulation's header lists each
 * amendment on its own dated line, and the clause asks for the last of them — not the first line
 * nearest the answer, nor 第一次修正 because the clause says 一次. Real text: Shanghai's regulation
 * implementing the Compulsory Education Law (../shared/eval/external/, copied at run time into a
 * temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { asksLatest } from "../src/core/question/attribute.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const LAW = "上海市实施《义务教育法》办法(2024-09-27).md";

describe("a clause asking for the most recent", () => {
  it("is read from the language's words for recency, and only those", () => {
    for (const q of ["最近一次改是哪天", "最近的一次修正是什么时候", "最新一批是哪年", "最后一次修订是哪天", "when was it last amended", "the latest revision date"]) expect(asksLatest(q), q).toBeDefined();
    expect(asksLatest("最近一次改是哪天")).toBe("最近一次");
    for (const q of ["第一次修正是哪天", "最近有什么新政策", "从哪天开始施行的", "最后截止时间是几号", "when does it take effect", "上一次是哪天", "what is the latest date to apply", "apply by march at the latest"]) expect(asksLatest(q), q).toBeUndefined();
  });
});

describe.runIf(hasExternal(LAW))("Shanghai's regulation: its latest amendment", () => {
  const external = useExternalCorpus([LAW]);

  it.each(["上海实施义务教育法那个办法 从哪天开始施行的 最近一次改是哪天", "上海实施义务教育法办法 哪天开始施行的 最近一次修改是哪天"])("%s → the second amendment of 2024年9月27日 beside the date it took effect", async (question) => {
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.answer).toContain("2009年6月1日起施行");
    expect(answer.answer).toContain("2024年9月27日");
    expect(answer.answer).toContain("第二次修正");
  });
});
