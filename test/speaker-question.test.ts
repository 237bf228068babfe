/**
 * "Who said it" (是哪位官员讲的, 讲话的官员是谁) is answered by the sentence that reports the saying —
 * a reporting verb (重申, 表示, 指出 …) with its speaker — not by a quote that merely holds 谁 or 说.
 * Real text: a Traditional Chinese news article on homework rules (../shared/eval/external/, copied at
 * run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { chineseAttribute } from "../src/core/question/attribute.js";
import { answersAttribute, SPEAKER_QUESTION } from "../src/core/question/scoring.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const ARTICLE = "article_38466.md";

describe("a question for who said something", () => {
  it("is a who question, 哪位 as well as 谁, and asks for the one who reports", () => {
    expect(chineseAttribute("是哪位官员在记者会上讲的？").attribute).toBe("who");
    expect(SPEAKER_QUESTION.test("那个讲话的教育部官员是谁?")).toBe(true);
    expect(SPEAKER_QUESTION.test("谁可以申请积分入学?")).toBe(false);
    for (const q of ["谁说了算", "对结果有异议,谁可以提出复核?", "哪位老师讲课", "谁负责说明情况"]) expect(SPEAKER_QUESTION.test(q)).toBe(false);
    const asked = { attribute: "who" as const, units: [], folded: "那个讲话的教育部官员是谁?" };
    expect(answersAttribute("教育部基础教育司司长吕玉刚在周二的记者会上,重申不能够要求家长批改功课", asked)).toBe(true);
    expect(answersAttribute("说实在的,教我教、改我改,是谁辛苦呀", asked)).toBe(false);
  });
});

describe.runIf(hasExternal(ARTICLE))("the homework article: who said it", () => {
  const external = useExternalCorpus([ARTICLE]);

  it.each(["那個講話的教育部官員是誰？", "講這番話的教育部官員是誰？甚麼職位？"])("%s → the director who reiterated it", async (question) => {
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.answer.split("。")[0]).toContain("司長呂玉剛");
  });
});
