/**
 * Two things a question asks besides its topic, read the same in English as in Chinese: an amount per
 * period or head (annual tuition, a monthly fee: 每年/每月), and a name (叫什么, what's it called).
 * Real text: the seed corpus.
 */
import { describe, expect, it } from "vitest";
import { ASKS_NAME, englishAskingClauses, englishAttribute, EN_CHARGE_RATE_QUESTION, EN_RATE_QUESTION } from "../src/core/question/attribute.js";
import { useSeedCorpus } from "./external-corpus.js";

describe("an amount per period or head asked in English", () => {
  const seed = useSeedCorpus();

  it("reads per year, a month, each student and annual or monthly before a charge as a rate, not a duration or a plan's year", () => {
    const rate = (q: string) => EN_RATE_QUESTION.test(englishAskingClauses(q.toLowerCase()));
    expect(rate("What is the annual tuition for international students?")).toBe(true);
    expect(rate("How much is the monthly fee at a public kindergarten?")).toBe(true);
    expect(rate("How much does the city pay per student per year?")).toBe(true);
    expect(rate("What are the annual targets for kindergartens?")).toBe(false);
    // A duration in the story before the question is no period of the amount asked.
    expect(rate("We have lived there over a year. How many points does housing give?")).toBe(false);
    expect(EN_CHARGE_RATE_QUESTION.test("how much are the tuition fees?")).toBe(true);
  });

  it("reads what is paid (tuition, salary) as an amount asked, but not in a yes/no question about a charge", () => {
    expect(englishAttribute("what is the annual tuition for international students at ocean university of china?").attribute).toBe("money");
    expect(englishAttribute("what is the average monthly salary of a public school teacher?").attribute).toBe("money");
    expect(englishAttribute("in shanghai, do public schools charge tuition or textbook fees?").attribute).not.toBe("money");
    expect(englishAttribute("do public schools charge tuition or textbook fees?").attribute).toBe("whether");
  });

  it("does not answer a yearly tuition with a total that waived tuition (免除学费985万元): the documents state no such rate", async () => {
    const { answer, trace } = await seed().answerer.answer("What is the annual tuition for international students at Ocean University of China?", []);
    expect(trace.refusal).toBe("not-stated");
    expect(answer.answer).toMatch(/^The documents do not state/);
  });
});

describe("a name asked", () => {
  const seed = useSeedCorpus();

  it("reads 叫啥名字, 叫咩名, what's it called and the name of as a name asked, not 啥名次 or 名额", () => {
    for (const q of ["全市统一用的那个教育平台叫啥名字", "这个叫啥机制", "叫咩名呀", "what's it called", "what is the name of the platform"]) expect(ASKS_NAME.test(q), q).toBe(true);
    for (const q of ["六十七中篮球队拿了个啥名次", "还有多少名额", "what is the number of schools"]) expect(ASKS_NAME.test(q), q).toBe(false);
    expect(seed().opened.retriever.analyze("全市统一用的那个教育平台叫啥名字").asksName).toBe(true);
  });

  it("leads with the sentence that gives the platform's name (青岛教育e平台), not one that only shares its words (统一…录取操作平台)", async () => {
    const { answer } = await seed().answerer.answer("全市统一用的那个教育平台叫啥名字", []);
    const lead = answer.answer.split("[1]")[0]!;
    expect(lead).toContain("青岛教育e平台");
  });
});
