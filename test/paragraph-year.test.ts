/**
 * A paragraph that opens with a year (2021年,全市新投入使用学校…) reports on that year in its later
 * sentences too: the 2022 speech's 全市招聘中小学教师xxxx名 is of 2021, as retrieval reads the passage,
 * not of the speech's own year. Asked of 2021, it answers (masked, said so) instead of "no sentence of
 * 2021". Real text: the seed corpus.
 */
import { describe, expect, it } from "vitest";
import { useSeedCorpus } from "./external-corpus.js";

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
