/**
 * What must be brought, given or met (要带什么材料, 要符合什么条件) asks for the things required — a list,
 * as 哪些 does — and is answered with the list's items. Real text: 广州's 积分制入户 Q&A page
 * (../shared/eval/external/, copied at run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { chineseAttribute } from "../src/core/question/attribute.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const HUKOU = "36_积分制入户2025年度热点13问.html";

describe("a requirement verb with 什么 or 啥", () => {
  it("asks a list (带什么材料, 符合什么条件, 提供啥证件); 什么 elsewhere does not", () => {
    for (const q of ["报名要带什么材料?", "积分入户要符合什么基本条件?", "需要提供啥证件?", "要满足什么条件才能报?", "要准备些什么?"]) expect(chineseAttribute(q).attribute, q).toBe("list");
    for (const q of ["托班是什么意思?", "什么时候开始报名?", "资格分是什么?"]) expect(chineseAttribute(q).attribute, q).not.toBe("list");
  });
});

describe.runIf(hasExternal(HUKOU))("广州's 积分制入户 conditions", () => {
  const external = useExternalCorpus([HUKOU]);

  it("要符合什么基本条件 beside a figure asked is answered with the conditions listed, the age and the points among them", async () => {
    const { answer } = await external().answerer.answer("积分入户要符合什么基本条件？社保要交几年？", []);
    expect(answer.answer).toContain("缴纳社会保险满4年");
    expect(answer.answer).toContain("需要具备以下基本条件");
    expect(answer.answer).toContain("年龄在45周岁以下");
    expect(answer.answer).toContain("计算总积分满150分");
  });
});
