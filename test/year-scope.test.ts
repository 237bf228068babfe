/**
 * A year the question names counts among the documents of the place it names: a parent of 长宁区
 * asking about "2026年" (or 今年, read as this calendar year) means 长宁's notice, which is of 2019;
 * another district's notice of 2026 must not win on its year. Real text: 长宁区's 2019 notice and
 * 天河区's 2026 kindergarten plan (../shared/eval/external/, copied at run time into a temporary
 * corpus, never into the repository).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { placesCompatible } from "../src/core/knowledge/places.js";
import type { OpenedIndex } from "../src/node/open-index.js";
import { hasExternal, openExternalCorpus, type ExternalCorpus } from "./external-corpus.js";

const FILES = ["05.长宁政策.pdf", "05_幼儿园招生方案_2026.html", "13.松江政策.pdf", "上海市实施《义务教育法》办法(2024-09-27).md"];

describe("places a document of one scope can answer", () => {
  it("the same place, a place either lies in, and the bureau's own level; not a sibling", () => {
    expect(placesCompatible("310105", "310105")).toBe(true); // 长宁区
    expect(placesCompatible("310105", "310000")).toBe(true); // 上海市's regulation for a 长宁 question
    expect(placesCompatible("310000", "310105")).toBe(true); // a 长宁 notice for a 上海 question
    expect(placesCompatible("310105", "310117")).toBe(false); // 松江区's notice for a 长宁 question
    expect(placesCompatible("310105", "440106")).toBe(false); // 天河区
    expect(placesCompatible("370211", "370200")).toBe(true); // 黄岛区 in 青岛市
    expect(placesCompatible("310105", "")).toBe(true); // the bureau's own documents
  });
});

describe.runIf(hasExternal(...FILES))("a named year and place among the named place's documents", () => {
  let external: ExternalCorpus;
  let opened: OpenedIndex;
  beforeAll(async () => {
    external = await openExternalCorpus(FILES);
    opened = external.opened;
  }, 120_000);
  afterAll(() => external?.dispose());

  it("a year the place's documents lack does not send the question to another place's document of that year", async () => {
    const hits = await opened.retriever.search("我们住长宁程桥二村，孩子2026年上公办幼儿园小班，对口哪个幼儿园？", { k: 2 });
    expect(hits[0]?.doc.year).toBe(2019);
    expect(hits[0]?.doc.title).toContain("长宁区");
    expect(hits.filter((h) => h.doc.title.includes("天河区"))).toHaveLength(0);
  });

  it("a question about one district is not answered from another district's notice", async () => {
    // 松江's notice names its special-needs school; 长宁's own notice is the one that applies.
    const hits = await opened.retriever.search("孩子智力发育有障碍，长宁哪里可以登记入园？", { k: 5 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.filter((h) => h.doc.title.includes("松江") || h.doc.title.includes("天河"))).toEqual([]);
    // The city's regulation still answers a district's question, and a question naming no place any document.
    const age = await opened.retriever.search("长宁的孩子满几岁必须上学？", { k: 5 });
    expect(age.some((h) => h.doc.title.includes("义务教育法"))).toBe(true);
    const any = await opened.retriever.search("智力障碍的孩子去哪里登记入园？", { k: 10 });
    expect(any.some((h) => h.doc.title.includes("松江"))).toBe(true);
  });

  it("a count asked of a named kindergarten whose row states none: 'not stated', not another sentence's 1所", async () => {
    // The plan names 民秀幼儿园特教班 as a place to apply, with no count; 选择1所…幼儿园进行报名 is about something else.
    const { answer } = await external.answerer.answer("天河区民秀幼儿园特教班今年招多少个孩子", []);
    expect(answer.partial).toBe(true);
    expect(answer.answer).toMatch(/^文件中没有写明您所问的具体数字；与此相关的规定是：/);
  });

  it("a year written out that the place's documents are not of: the answer says so before the related provisions", async () => {
    const { answer, trace } = await external.answerer.answer("长宁区2024年幼儿园报名验证是哪两天？", []);
    expect(trace.refusal).toBe("year-not-covered");
    expect(answer.partial).toBe(true);
    expect(answer.answer).toMatch(/^文件中没有写明您所问年份的情况；与此相关的规定是：/);
    expect(answer.answer).toContain("长宁区");
    // Of the documents' own year, the same question is answered as it stands.
    const own = await external.answerer.answer("长宁区2019年幼儿园报名验证是哪两天？", []);
    expect(own.answer.partial).toBeUndefined();
  });

  it("a year of that place's documents still counts", async () => {
    const hits = await opened.retriever.search("2026年天河区幼儿园什么时候报名？", { k: 3 });
    expect(hits[0]?.doc.year).toBe(2026);
  });
});
