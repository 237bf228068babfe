/**
 * English questions read CC-CEDICT's glosses backwards: "kindergarten" is the gloss of 幼儿园 and of
 * 幼稚园 ("kindergarten (Tw)"). A region's word is no reading beside the unmarked word the corpus also
 * uses: in 长宁's notice 幼稚园 is only in names (贝尔幼稚园), whose rows it would bring first. And a
 * question is refused for want of its topic only when nothing retrieved holds a word of it, not
 * when the first few hits are document headers that match its year and place alone. Real text: 长宁区's
 * 2019 kindergarten notice and Q&A sheet, from ../shared/eval/external/ (copied at run time into a
 * temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { EXTERNAL_DOCUMENTS, hasExternal, useExternalCorpus } from "./external-corpus.js";

const CHANGNING = ["05.长宁政策.pdf", "2019年长宁区学前教育招生问答口径.doc"];

describe.runIf(hasExternal(...CHANGNING))("English readings and the regional word", () => {
  const external = useExternalCorpus(CHANGNING, 120_000, true);

  it("kindergarten reads 幼儿园, not 幼稚园 beside it", () => {
    const english = external().opened.index.knowledge.english["kindergarten"] ?? [];
    expect(english.map(([term]) => term)).toContain("幼儿园");
    expect(english.map(([term]) => term)).not.toContain("幼稚园");
  });

  it("a foreign family's verification question is answered with the line for 外籍人士子女, not a 幼稚园's row", async () => {
    const { answer } = await external().answerer.answer("We hold foreign passports and live in Changning. Where do we go for the kindergarten registration check, and on which days?", []);
    expect(answer.answer.split("\n")[0]).toContain("外籍人士子女");
    expect(answer.answer.split("\n")[0]).not.toContain("幼稚园");
  });

});

describe.runIf(EXTERNAL_DOCUMENTS.length > 0)("a question's topic among everything retrieved", () => {
  // Every external document beside the seed corpus, as the evaluation's index holds them.
  const external = useExternalCorpus(EXTERNAL_DOCUMENTS, 180_000, true);

  it("is not refused when document headers that match only the year and the place come first", async () => {
    const question = "We're a foreign family living in Changning, Shanghai. For the 2019 kindergarten intake, which days in May is the in-person check, and what address do expat families go to?";
    const { trace } = await external().answerer.answer(question, []);
    expect(trace.refusal).toBeUndefined();
  });
});
