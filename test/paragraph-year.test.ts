/**
 * A paragraph that opens with a year (2021年,全市新投入使用学校…) reports on that year in its later
 * sentences too: the 2022 speech's 全市招聘中小学教师xxxx名 is of 2021, as retrieval reads the passage,
 * not of the speech's own year. Asked of 2021, it answers (masked, said so) instead of "no sentence of
 * 2021". Real text: the seed corpus.
 */
import { describe, expect, it } from "vitest";
import { hasExternal, useExternalCorpus, useSeedCorpus } from "./external-corpus.js";

describe("a paragraph's opening year", () => {
  const corpus = useSeedCorpus();

  it("holds for its later sentences: the speech's teacher recruitment is of 2021", async () => {
    for (const question of ["2021年全市招聘咗幾多個中小學老師？", "2021年全市招聘了多少个中小学老师"]) {
      const { answer, trace } = await corpus().answerer.answer(question);
      expect(trace.refusal, question).not.toBe("year-not-covered");
      expect(answer.answer.split(/[。]/)[0], question).toMatch(/招聘中小[学學]教[师師]/);
      // The figure is masked in the source: the reply says so rather than quoting another figure.
      expect(answer.answer, question).toMatch(/匿名|未公开|未公開/);
    }
  });
});

const QA = "2019年长宁区学前教育招生问答口径.doc";
const CHANGNING = "05.长宁政策.pdf";

describe.runIf(hasExternal(QA, CHANGNING))("a year that opens a date or a target", () => {
  const external = useExternalCorpus([QA, CHANGNING]);

  it("is no year for the sentences after it: after a birth-date range (2015年9月1日-…出生) a sentence is of the notice's year", async () => {
    for (const question of ["2019年长宁区托班要不要做入园信息登记", "2019年长宁国际幼儿园要参加信息登记吗"]) {
      const { answer } = await external().answerer.answer(question);
      expect(answer.answer, question).toMatch(/不在此次信息登记范围|不作为此次统一信息登记的对象/);
    }
  });
});
