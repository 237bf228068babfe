/**
 * An additive 除了 clause (除了X，…亦/也/还Y) takes X as said already and states Y: X is read as the
 * sentence's context, as a heading is, so a question about X is answered by the sentence that states X,
 * not by the one that mentions it in passing. Real text: a Traditional Chinese news article on homework
 * rules (../shared/eval/external/, copied at run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import type { Passage } from "../src/core/types.js";
import { unitStatement } from "../src/core/question/scoring.js";
import { foldForMatching } from "../src/core/text/fold.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const ARTICLE = "article_38466.md";
const paragraph = { kind: "paragraph" } as Passage;

describe("an additive 除了 clause", () => {
  it("is the sentence's context, not what it states", () => {
    const folded = foldForMatching("除了不準叫家長做功課，教育部亦要求學校在時間安排上，要與當地正常下班時間相銜接");
    const statement = unitStatement(folded, paragraph, "教育部");
    expect(statement.text.startsWith("教育部亦要求学校")).toBe(true);
    expect(statement.text).not.toContain("功课");
    expect(statement.context).toContain("不准叫家长做功课");
  });

  it("but an exclusive 除了 (…以外都…) or one without an additive word in the clause after it stays the statement", () => {
    for (const sentence of ["除了周末以外都可以到现场办理", "除了户籍证明，需要提供居住证", "除了本市户籍幼儿，其他幼儿一律不得报名，也不予登记", "除了周末，学校操场还是不对外开放"]) {
      const folded = foldForMatching(sentence);
      expect(unitStatement(folded, paragraph, "").text, sentence).toBe(folded);
    }
  });
});

describe.runIf(hasExternal(ARTICLE))("the homework article: may a school make parents mark homework", () => {
  const external = useExternalCorpus([ARTICLE]);

  it.each(["教育部係咪話學校唔可以叫家長改功課", "教育部嗰個司長點講 學校可唔可以叫家長幫仔女改功課", "教育部是不是講咗學校唔可以叫家長改功課"])("%s → not the sentence that mentions it after 除了", async (question) => {
    const { answer } = await external().answerer.answer(question, []);
    // The first quoted sentence, after a verdict (不可以。) if the answer opens with one.
    const lead = answer.answer.replace(/^[^。，]{1,4}。/, "").split("。")[0]!;
    expect(lead).not.toContain("除了");
    expect(lead).toMatch(/不準要求家長批改功課|不得要求家長檢查和批改作業|重申不能夠要求家長批改功課/);
  });

  it.each(["教育部除了不让家长改作业还有什么要求", "除咗唔准叫家長改功課，教育部仲有咩要求"])("%s → asks what comes besides: the 除了 sentence itself", async (question) => {
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.answer.split("。")[0]).toMatch(/除了不(?:准|準)叫家(?:长|長)做功(?:课|課)/);
  });
});
