/**
 * An amount per period or head asked in English, read as Chinese asks it (annual tuition, a monthly fee,
 * per student: 每年/每月/每生), and what is paid asked as an amount. Real text: the seed corpus.
 */
import { describe, expect, it } from "vitest";
import { englishAskingClauses, englishAttribute, EN_CHARGE_RATE_QUESTION, EN_RATE_QUESTION } from "../src/core/question/attribute.js";
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
    // Only a clause that asks what it is: who sets the fees, or when tuition is due, asks that.
    expect(englishAttribute("who sets the kindergarten fees?").attribute).toBe("who");
    expect(englishAttribute("when is tuition due?").attribute).toBe("when");
    expect(englishAttribute("what are the kindergarten fees? are there any discounts?").attribute).toBe("money");
  });

  it("does not answer a yearly tuition with a total that waived tuition (免除学费985万元): the documents state no such rate", async () => {
    const { answer, trace } = await seed().answerer.answer("What is the annual tuition for international students at Ocean University of China?", []);
    expect(trace.refusal).toBe("not-stated");
    expect(answer.answer).toMatch(/^The documents do not state/);
  });
});
