/**
 * A year of birth in a question (我是1979年3月出生的, 孩子16年10月出生的) is the asker's date, not a year
 * the question asks about: it searches as the date the rules state (…1979年1月1日…后出生,
 * 2016年9月1日…出生), written in full, and asks no year the documents would have to be of. A Q&A
 * sheet's answer (幼儿是托班年龄) is read with its question, which says what the answer is about.
 * Real text: 广州's points-based household registration Q&A, 长宁's Q&A sheet and notice, 金山's notice
 * (../shared/eval/external/, copied at run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { yearsIn } from "../src/core/question/analyze.js";
import { scoringTerms } from "../src/core/question/scoring.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const HUKOU = "36_积分制入户2025年度热点13问.html";
const QA = "2019年长宁区学前教育招生问答口径.doc";
const CHANGNING = "05.长宁政策.pdf";
const JINSHAN = "12.金山政策.doc";

describe("a year of birth", () => {
  it("is no year the question asks about; a year of a statistic of births still is", () => {
    const today = new Date("2026-12-04T00:00:00Z");
    expect(yearsIn("我是1979年3月出生的，今年还能申请吗", today)).toEqual([2026]);
    expect(yearsIn("娃是16年10月生的，能报小班不", today)).toEqual([]);
    expect(yearsIn("宝宝2017年春天出生，还不够上小班", today)).toEqual([]);
    expect(yearsIn("二〇一六年十月出生的孩子", today)).toEqual([]);
    expect(yearsIn("我出生于1979年3月，还能申请吗", today)).toEqual([]);
    expect(yearsIn("孩子2016年10月底出生的", today)).toEqual([]);
    expect(yearsIn("2016年9月1日至2017年8月31日出生的孩子", today)).toEqual([]);
    expect(yearsIn("2016年9月1日以后出生的能报吗", today)).toEqual([]);
    expect(yearsIn("2019年出生人口有多少", today)).toEqual([2019]);
    expect(yearsIn("2024年出生人数是多少", today)).toEqual([2024]);
    expect(yearsIn("2025年出生证明怎么办理", today)).toEqual([2025]);
    expect(yearsIn("2016年入学的孩子", today)).toEqual([2016]);
  });
});

describe.runIf(hasExternal(HUKOU, QA, CHANGNING, JINSHAN))("a question that gives a date of birth", () => {
  const external = useExternalCorpus([HUKOU, QA, CHANGNING, JINSHAN, "02_积分入学指引_2026.html", "05_幼儿园招生方案_2026.html"]);

  it("counts the year of birth as a word of the text; a year asked about is matched through the document's year", () => {
    const { retriever } = external().opened;
    const counted = (question: string) => scoringTerms(retriever.analyze(question), retriever.statistics).filter((t) => t.counts).map((t) => t.term);
    expect(counted("我是1979年3月出生的，还能不能申请积分入户？")).toContain("1979");
    expect(counted("2019年长宁区幼儿园什么时候报名？")).not.toContain("2019");
    // Said with two digits, it searches as the documents write it.
    expect([...retriever.analyze("娃是16年10月生的，能报小班不").weighted.keys()]).toContain("2016");
    expect([...retriever.analyze("我是79年2月出生的，还能申请吗").weighted.keys()]).toContain("1979");
    expect([...retriever.analyze("19年长宁幼儿园报名").weighted.keys()]).not.toContain("2019");
  });

  it("finds the rule that states the cut-off date, answered without a year caveat", async () => {
    const question = "我是1979年3月出生的，还能不能申请积分入户？";
    const hits = await external().opened.retriever.search(question, { k: 3 });
    expect(hits[0]!.passage.text).toContain("1979年1月1日");
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.partial ?? false).toBe(false);
    expect(answer.answer).toContain("1979年1月1日");
  });

  it("finds the Q&A sheet's answer to a child born after the cut-off, with the birth year written in full", async () => {
    const hits = await external().opened.retriever.search("孩子16年10月出生的今年能上幼儿园吗", { k: 3 });
    expect(hits.some((h) => h.passage.text.includes("幼儿是托班年龄"))).toBe(true);
  });
});
