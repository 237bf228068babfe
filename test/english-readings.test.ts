/**
 * An English word's readings in the dictionary are many (enrol: 注册, 报名, 招生); the corpus says which
 * one it means by using it. Real text: 松江区's 2019 kindergarten notice (../shared/eval/external/,
 * copied at run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { englishKey, englishTokens } from "../src/core/knowledge/lexicon.js";
import { scoringTerms } from "../src/core/question/scoring.js";
import { hasExternal, useExternalCorpus, useSeedCorpus } from "./external-corpus.js";

const SONGJIANG = "13.松江政策.pdf";

describe.runIf(hasExternal(SONGJIANG))("English readings the corpus uses", () => {
  const external = useExternalCorpus([SONGJIANG]);

  it("searches the reading the notice uses most, however weak its gloss, as an alternative", () => {
    const { retriever, index } = external().opened;
    const { english, salience, englishLemmas } = index.knowledge;
    const passages = (term: string) => salience[term]?.[1] ?? 0;
    // Every plain word of the table whose most used reading is below half its first reading's weight.
    const weak = Object.entries(english).filter(([key, readings]) => {
      // A key that is a word as written (not a stem such as committe): the question can say it.
      if (!/^[a-z]{4,}$/.test(key) || englishKey(key, englishLemmas) !== key || readings.length < 2) return false;
      const used = readings.reduce((a, b) => (passages(b[0]) > passages(a[0]) ? b : a));
      return passages(used[0]) >= 2 && used[1] < readings[0]![1] * 0.5;
    });
    expect(weak.length).toBeGreaterThan(0);
    for (const [key, readings] of weak.slice(0, 20)) {
      const used = readings.reduce((a, b) => (passages(b[0]) > passages(a[0]) ? b : a))[0];
      const analysis = retriever.analyze(`What does the notice say about ${key}?`);
      const searched = [...analysis.terms, ...analysis.expansions].filter((t) => t.source === "english");
      expect(searched.map((t) => t.term), key).toContain(used);
      // Searched, but not taken as the word's meaning (the question's term, evidence of its topic).
      expect(analysis.terms.some((t) => t.term === used && t.from === key), key).toBe(false);
    }
  });

  it("reads enrolment as the notice's 招生 among its readings", () => {
    const analysis = external().opened.retriever.analyze("When is the kindergarten enrolment in Songjiang?");
    expect([...analysis.terms, ...analysis.expansions].some((t) => t.term === "招生" && t.from === "enrol")).toBe(true);
  });

  it("reads an English question that carries the bureau's terms in Chinese as English, with those terms as its own words", () => {
    const { retriever } = external().opened;
    const analysis = retriever.analyze("Where do I register for 小班 in Songjiang if our 居住证积分 is below the standard?");
    expect(analysis.language).toBe("en");
    expect(analysis.terms).toContainEqual(expect.objectContaining({ term: "小班", source: "question", weight: 1 }));
    expect(analysis.terms.some((t) => t.term.startsWith("居住证") || t.term === "积分")).toBe(true);
    // Mostly Chinese with an English word or two stays Chinese.
    expect(retriever.analyze("松江 Songjiang 小班报名在哪里验证").language).toBe("zh");
  });
});

describe("a share asked as a quantity", () => {
  const seed = useSeedCorpus();

  it("reads share, percentage, percent and ratio of a quantity as proportion (比例), the verb to share as itself", () => {
    const keys = (q: string) => englishTokens(q).map((t) => t.key);
    expect(keys("What share of kindergartens are high quality?")).toContain(englishKey("proportion"));
    expect(keys("What share of kindergartens are high quality?")).not.toContain("share");
    expect(keys("the percentage of students in the after-school service")).toContain(englishKey("proportion"));
    expect(keys("Do universities share their research results with companies?")).toContain("share");
    const analysis = seed().opened.retriever.analyze("What percentage of kindergartens should be high quality under the 2021 targets?");
    expect(analysis.terms.map((t) => t.term)).toContain("比例");
  });

  it("answers the share from the sentence that states it (优质园比例达到50%以上), not one about sharing", async () => {
    const { answer } = await seed().answerer.answer("What share of kindergartens were to be high quality in 2021?", []);
    expect(answer.answer.split("\n")[0]).toContain("50%以上");
  });
});

describe("an English word's other readings stand in for its main one", () => {
  const seed = useSeedCorpus();

  it("counts a sentence holding any reading of a word as holding the word, up to its main reading’s weight", async () => {
    const { retriever } = seed().opened;
    const analysis = retriever.analyze("How many schools here became national science education experimental schools?");
    const terms = scoringTerms(analysis, retriever.statistics);
    const alternatives = analysis.expansions.filter((e) => e.source === "english" && terms.some((t) => t.term === e.term && t.from !== undefined));
    expect(alternatives.length).toBeGreaterThan(0);
    for (const e of alternatives) {
      const slot = terms.find((t) => t.term === e.term)!;
      // The slot is a main reading of the same English word (or of a phrase holding it).
      const main = analysis.terms.find((t) => t.term === slot.from)!;
      expect(main.source, e.term).toBe("english");
      expect(main.from === e.from || main.from!.split(" ").includes(e.from!), e.term).toBe(true);
    }
    const { answer } = await seed().answerer.answer("How many schools here became national science education experimental schools?", []);
    const lead = answer.answer.split("\n")[0]!.split("” [")[0]!;
    expect(lead).toContain("4所");
    expect(lead).toContain("科学教育实验校");
  });
});

describe("an acronym the dictionary gives in a sense's brackets", () => {
  const seed = useSeedCorpus();

  it("reads AI as 人工智能 (\"artificial intelligence (AI)\"), and no acronym that is an English function word", () => {
    const { english } = seed().opened.index.knowledge;
    expect(english[englishKey("ai")]?.[0]?.[0]).toBe("人工智能");
    const analysis = seed().opened.retriever.analyze("Did Qingdao publish an AI curriculum guideline for schools?");
    expect(analysis.terms.map((t) => t.term)).toContain("人工智能");
  });
});
