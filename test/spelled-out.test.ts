/**
 * Shortened names the documents write out (src/core/question/spelled-out.ts): a question word the
 * corpus's vocabulary lacks is looked for as the documents write it, on the seed corpus's own text
 * (2021年度业务目标: 办好第56届中国高等教育博览会; 2021年工作总结: 推出市级“優課”近4000節).
 */
import { describe, expect, it } from "vitest";
import { analyzeQuestion } from "../src/core/question/analyze.js";
import { shortensTo, spelledOutPattern, spellOut, type SpelledOut, type SpelledOutAsk } from "../src/core/question/spelled-out.js";
import { hasExternal, useExternalCorpus, useSeedCorpus } from "./external-corpus.js";

describe("a shortened name and the phrase it shortens", () => {
  it("each word of the phrase gives the span its first character, then any more in order", () => {
    expect(shortensTo(["高等教育", "博览会"], "高博会")).toBe(true);
    expect(shortensTo(["高等教育", "博览会"], "高博")).toBe(true);
    // A span character inside a word that gives none first (思政课 for 好课) is another phrase.
    expect(shortensTo(["好", "思政课"], "好课")).toBe(false);
    // Every character of the span is used, and every word of the phrase gives one.
    expect(shortensTo(["高等教育", "博览会"], "高博会展")).toBe(false);
    expect(shortensTo(["中国", "高等教育", "博览会"], "高博会")).toBe(false);
  });

  it("the pattern keeps the span's characters in order within one run of Han characters", () => {
    const pattern = spelledOutPattern("高博会");
    expect("办好第56届中国高等教育博览会。".match(pattern)?.[0]).toBe("高等教育博览会");
    expect("高等教育，博览会".match(pattern)).toBeNull();
  });

  it("reads the phrase among the words around it: a span cut across two words is no phrase there", () => {
    // 全国中小学 segments 全国/中小学: 国中 starts inside 全国.
    const tokenize = (text: string) => ["全国", "中小学", "办好", "中国", "高等教育", "博览会", "第", "届"].filter((w) => text.includes(w));
    const input = { tokenize, passages: 10, defaultIdf: 12 };
    expect(spellOut([{ word: "国中", spans: ["国中"] }], { ...input, texts: ["推动全国中小学"] })).toEqual([undefined]);
    const [spelled, ...rest] = spellOut([{ word: "博会", spans: ["高博会", "博会"] }, { word: "国中", spans: ["国中"] }], { ...input, texts: ["办好第56届中国高等教育博览会", "全国中小学"] });
    expect(rest).toEqual([undefined]);
    expect(spelled).toMatchObject({ span: "高博会", phrase: "高等教育博览会", words: ["高等教育", "博览会"], passages: 1 });
    expect(spelled!.salience).toBeCloseTo(Math.log(1 / 10) + 12);
  });
});

describe("questions with a shortened name, on the seed corpus", () => {
  const seed = useSeedCorpus();
  /** The analysis context over the seed index, with a stand-in for the look-up in the passages. */
  const contextWith = (spelledOut: (asks: readonly SpelledOutAsk[]) => Array<SpelledOut | undefined>) => {
    const { opened } = seed();
    return {
      tokenize: opened.runtime.tokenize,
      knowledge: opened.index.knowledge,
      isWord: (w: string) => opened.runtime.idf(w) !== undefined,
      inVocabulary: (w: string) => opened.index.keyword.documentFrequency(w) > 0,
      spelledOut,
    };
  };

  it("高博会 is the documents' 高等教育博览会: answered with its figure, not refused as outside their domain", async () => {
    const analysis = seed().opened.retriever.analyze("高博会办到第几届了");
    expect(analysis.scope.decision).toBe("in-domain");
    expect(analysis.expansions.filter((e) => e.source === "spelled-out").map((e) => e.term)).toEqual(["高等教育", "博览会"]);
    const { answer, trace } = await seed().answerer.answer("高博会办到第几届了", []);
    expect(trace.refusal).toBeUndefined();
    expect(answer.answer.split("\n")[0]).toContain("第56届中国高等教育博览会");
  });

  it("a word the segmenter cut otherwise in the documents (优课) links the question to them", async () => {
    const { answer, trace } = await seed().answerer.answer("老师们的优课一共评出多少节", []);
    expect(trace.refusal).toBeUndefined();
    expect(answer.answer).toContain("4000");
  });

  it("looks a word up with the characters beside it, but not a numeral or a particle beside it", () => {
    const asked: string[][] = [];
    const ctx = contextWith((asks) => {
      for (const a of asks) asked.push([...a.spans]);
      return asks.map(() => undefined);
    });
    analyzeQuestion("高博会办到第几届了", [], ctx);
    expect(asked.flat()).toContain("高博会");
    asked.length = 0;
    // 一 of 一平米 is the count, not a character of a name: no span 一平米 (平米 itself is a dictionary word).
    analyzeQuestion("二手房多少钱一平米", [], ctx);
    expect(asked.flat().filter((s) => s.startsWith("一"))).toEqual([]);
  });

  it("a shortening is evidence by its words seen in two passages or more, not by the phrase general Chinese never writes", () => {
    const found = (phrase: string, words: string[]) => ({ span: "雅博会", phrase, words, passages: 1, salience: 9 });
    const ctx = (spelled: SpelledOut) => contextWith((asks) => asks.map((a) => (a.spans.includes("雅博会") ? spelled : undefined)));
    // 高等教育 is in seven passages of the seed corpus; 雅致 and 展销会 in none.
    expect(analyzeQuestion("雅博会是第几届", [], ctx(found("雅致高等教育博览会", ["雅致", "高等教育", "博览会"]))).scope.decision).toBe("in-domain");
    expect(analyzeQuestion("雅博会是第几届", [], ctx(found("雅致博物展销会", ["雅致", "博物", "展销会"]))).scope.decision).toBe("off-domain");
  });

  it("a dictionary word is no shortening, and questions outside the domain stay refused", async () => {
    // 平米 is a word of its own (the lexicon bridges it to 平方米); the documents do not speak of house prices.
    for (const question of ["青岛二手房现在多少钱一平米", "明天青岛会下雨吗"]) {
      const { trace } = await seed().answerer.answer(question, []);
      expect(trace.refusal, question).toBe("off-domain");
    }
  });
});

describe("an in-domain question's shortened name, read in its retrieved candidates (金山区's 2019 kindergarten notice)", () => {
  const JINSHAN = "12.金山政策.doc";
  const external = useExternalCorpus([JINSHAN]);

  it.runIf(hasExternal(JINSHAN))("保教费 is the notice's 保育教育费: its written-out words score the fee table's rows", async () => {
    const { retriever } = external().opened;
    const analysis = retriever.analyze("金山区一级幼儿园每个月的保教费是多少钱？");
    // The look-up is left to retrieval: the question is the documents' already (幼儿园, 金山区).
    expect(analysis.scope.decision).toBe("in-domain");
    expect(analysis.shortened?.map((a) => a.word)).toContain("保教费");
    expect(analysis.expansions.some((e) => e.source === "spelled-out")).toBe(false);
    const { query } = await retriever.retrieve(analysis, { k: 5 });
    const spelled = query.expansions.filter((e) => e.source === "spelled-out");
    expect(spelled.map((e) => e.from)).toEqual(["保教费", "保教费"]);
    expect(spelled.map((e) => e.term).join("")).toBe("保育教育费");
    const { answer } = await external().answerer.answer("金山区一级幼儿园每个月的保教费是多少钱？", []);
    expect(answer.answer.split("\n")[0]).toContain("一级幼儿园｜保育教育费收费标准：225元/月");
    expect(answer.answer).not.toContain("没有写明");
  });

  it.runIf(hasExternal(JINSHAN))("a question whose words the index knows, or whose unknown word no candidate writes out, is read as analysed", async () => {
    const { retriever } = external().opened;
    const analysis = retriever.analyze("金山区一级幼儿园的保育教育费收费标准是多少？");
    expect(analysis.shortened).toBeUndefined();
    expect((await retriever.retrieve(analysis, { k: 5 })).query).toBe(analysis);
    // 每个 is no word of the index; no candidate writes a phrase it shortens.
    const unknown = retriever.analyze("金山区一级幼儿园每个月的保育教育费是多少？");
    expect(unknown.shortened?.map((a) => a.word)).toEqual(["每个"]);
    expect((await retriever.retrieve(unknown, { k: 5 })).query).toBe(unknown);
  });
});

describe("a word one district's notice writes (长宁's 产证), asked of another district that writes it out (金山's 产权证)", () => {
  const JINSHAN = "12.金山政策.doc";
  const CHANGNING = "05.长宁政策.pdf";
  const external = useExternalCorpus([JINSHAN, CHANGNING]);

  it.runIf(hasExternal(JINSHAN, CHANGNING))("is looked for written out in the candidates that lack it: the 产权证 row answers, not the 公租房 row beside it", async () => {
    const { retriever } = external().opened;
    const question = "金山区外省市孩子读公办幼儿园 在对口地段有产证 积分表上能得几分";
    const analysis = retriever.analyze(question);
    // The index knows 产证 (长宁's 长宁产证适龄幼儿); no dictionary does.
    expect(retriever.statistics.documentFrequency("产证")).toBeGreaterThan(0);
    expect(analysis.shortened).toContainEqual(expect.objectContaining({ word: "产证", known: true }));
    const { query } = await retriever.retrieve(analysis, { k: 5 });
    expect(query.expansions).toContainEqual(expect.objectContaining({ term: "产权证", source: "spelled-out", from: "产证" }));
    const { answer } = await external().answerer.answer(question, []);
    // The first quote, up to its citation: the row from its first cell (…三选一。｜二级指标：1.持有…产权证…40分).
    const lead = answer.answer.split("\n")[0]!.split("[1]")[0]!;
    expect(lead).toContain("产权证");
    expect(lead).toContain("40分");
  });

  it.runIf(hasExternal(JINSHAN, CHANGNING))("with a second clause, the 产权证 row still leads: 对口 and its expansion 招生地段 in the 公租房 row count once, not twice", async () => {
    const { answer } = await external().answerer.answer("金山外省市孩子读公办园积分表 有对口地段产证加多少分 租房住满一年加多少分", []);
    const body = answer.answer.split("\n")[0]!;
    expect(body.split("[1]")[0]).toContain("产权证");
    expect(body).toContain("租赁住房");
  });
});
