/**
 * A count asked in a classifier the unit hints do not name (多少对, 几节, 几册) asks a figure in it: the
 * classifiers are CC-CEDICT's, kept where the documents write a figure in them. Real text: the seed
 * corpus (缔结友好（姊妹）学校442对, 4000节).
 */
import { describe, expect, it } from "vitest";
import { buildClassifiers } from "../src/core/knowledge/homophones.js";
import { loadCedict } from "../src/node/knowledge.js";
import { useSeedCorpus } from "./external-corpus.js";

describe("the dictionary's classifiers", () => {
  it("are the characters with a classifier's sense: 对 (classifier: couple; pair), 节, 届, 册, 个; not 学 nor 校", async () => {
    const classifiers = buildClassifiers(await loadCedict());
    for (const c of ["对", "节", "届", "册", "批", "个"]) expect(classifiers, c).toContain(c);
    for (const c of ["学", "校", "比"]) expect(classifiers, c).not.toContain(c);
  }, 60_000);
});

describe("a count asked in a classifier, on the seed corpus", () => {
  const seed = useSeedCorpus();

  it("keeps the classifiers the documents measure in (442对, 4000节), not one they never write after a figure (间)", () => {
    const { classifiers } = seed().opened.index.knowledge;
    expect(classifiers).toContain("对");
    expect(classifiers).toContain("节");
    expect(classifiers).not.toContain("间");
    // Not a figure's date, time or number (5月12日, 〔2020〕2号, 第56届): those number, they do not count.
    for (const c of ["号", "日", "月", "届"]) expect(classifiers, c).not.toContain(c);
  });

  it("多少对 and 几节 ask a figure in 对 and 节; 几册 asks a count, not what", () => {
    const { retriever } = seed().opened;
    expect(retriever.analyze("和国外学校结成友好学校的一共多少对？").units).toEqual(["对"]);
    expect(retriever.analyze("精品课录了多少节？").units).toEqual(["节"]);
    // The segmenter joins a classifier to its noun (节课, 册书); the dictionary has no such word.
    expect(retriever.analyze("一共录了多少节课？").units).toEqual(["节"]);
    expect(retriever.analyze("地方教材出了几册书？").units).toEqual(["册"]);
    const books = retriever.analyze("地方教材出了几册？");
    expect(books.attribute).toBe("how-many");
    expect(books.units).toEqual(["册"]);
    // A further clause asks in its own classifier.
    const two = retriever.analyze("有国际学生资质的中小学有多少所？和国外学校结成友好学校的有多少对？");
    expect(two.units).toEqual(["所", "家"]);
    expect(two.alsoAsked?.[0]?.units).toEqual(["对"]);
  });

  it("a word that opens with a classifier (本市, 期间) is read as the word", () => {
    const { retriever } = seed().opened;
    expect(retriever.analyze("多少本市户籍学生参加了课后服务？").units).not.toContain("本");
    expect(retriever.analyze("假期里学校开放了多少期间？").units).not.toContain("期");
    // 间 (Cantonese 幾多間 for schools) is no measure of the documents: the count is asked as before.
    expect(retriever.analyze("2020年要開工幾多間中小學？").units).not.toEqual(["间"]);
  });

  it("answers 多少对 with the sentence that counts in 对", async () => {
    const { answer } = await seed().answerer.answer("中小学、幼儿园和国外学校结成的友好学校有多少对？", []);
    expect(answer.answer.split("\n")[0]).toContain("442对");
  });
});
