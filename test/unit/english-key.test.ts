import { describe, expect, it } from "vitest";
import { englishKey, englishWords } from "../../src/core/knowledge/lexicon.js";

describe("English gloss keys", () => {
  it("a question's word and a dictionary gloss meet through their Porter stem", () => {
    expect(englishKey("vocational")).toBe(englishKey("vocation"));
    expect(englishKey("construction")).toBe(englishKey("construct"));
    expect(englishKey("enrolment")).toBe(englishKey("enroll"));
    expect(englishKey("subsidies")).toBe(englishKey("subsidy"));
    expect(englishKey("kindergartens")).toBe("kindergarten");
    // A final s that is no plural keeps the word apart.
    expect(englishKey("news")).not.toBe(englishKey("new"));
  });

  it("function words stay out of a question's words", () => {
    expect(englishWords("When will construction of phase 2 of the vocational centre start?")).toEqual(["construct", "phase", "vocat", "centr", "start"]);
  });
});
