/**
 * A named-column table row (`园名：…｜地址：…｜招生咨询电话：…`) repeats its column names in every
 * row. Those names say what the row is about, like its caption, not what it states: a question on the
 * district's own consultation phone must not be answered by the first of 74 kindergarten rows that
 * each carry a 招生咨询电话 column, while a question naming one kindergarten still finds its row.
 * Real text: 松江区's 2019 admission notice (../shared/eval/external/, copied at run time into a
 * temporary corpus, never into the repository), whose annex 3 is such a table.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answerer } from "../src/core/answer/answerer.js";
import { coverage, HEADING_FACTOR, passageStatement } from "../src/core/question/scoring.js";
import type { Passage } from "../src/core/types.js";
import type { OpenedIndex } from "../src/node/open-index.js";
import { hasExternal, openExternalCorpus, type ExternalCorpus } from "./external-corpus.js";

const FILE = "13.松江政策.pdf";

describe("a table row's column names are context", () => {
  const row: Passage = {
    id: "d#p001",
    docId: "d",
    ordinal: 1,
    kind: "table-row",
    headingPath: ["通知", "附件3 公办幼儿园招生信息一览表"],
    text: "序：7｜园名：新桥镇中心幼儿园｜地址：陈春路1866号｜招生咨询电话：67689951",
    folded: "序:7|园名:新桥镇中心幼儿园|地址:陈春路1866号|招生咨询电话:67689951",
    redactions: [],
    fields: { 序: "7", 园名: "新桥镇中心幼儿园", 地址: "陈春路1866号", 招生咨询电话: "67689951" },
  };

  it("states the cell values and keeps the column names with the caption", () => {
    const statement = passageStatement(row);
    expect(statement.text).toBe("7|新桥镇中心幼儿园|陈春路1866号|67689951");
    expect(statement.context).toBe("附件3 公办幼儿园招生信息一览表 序 园名 地址 招生咨询电话");
    const terms = [
      { term: "新桥镇", weight: 1, counts: true },
      { term: "咨询电话", weight: 1, counts: true },
    ];
    // The school is stated; the phone is only a column name: counted at the heading factor.
    expect(coverage(statement.text, terms, { text: statement.context, factor: HEADING_FACTOR })).toBeCloseTo((1 + HEADING_FACTOR) / 2);
  });

  it("leaves a paragraph, and a row without named cells, as they are", () => {
    const paragraph: Passage = { ...row, id: "d#p002", kind: "paragraph", fields: undefined, text: "咨询电话：57821271。", folded: "咨询电话:57821271。" };
    expect(passageStatement(paragraph)).toEqual({ text: "咨询电话:57821271。", context: "附件3 公办幼儿园招生信息一览表" });
    const cellRow: Passage = { ...row, id: "d#p003", text: "新建幼儿园5所", folded: "新建幼儿园5所", fields: { 类别: "学前", 目标: "新建幼儿园5所" } };
    expect(passageStatement(cellRow).text).toBe("新建幼儿园5所");
  });
});

describe.runIf(hasExternal(FILE))("松江's notice: the district's phone and one kindergarten's phone", () => {
  let external: ExternalCorpus;
  let opened: OpenedIndex;
  let answerer: Answerer;
  beforeAll(async () => {
    // The bureau's profile is the seed corpus's (another city's bureau): the notice is another district's.
    external = await openExternalCorpus([FILE]);
    ({ opened, answerer } = external);
  }, 120_000);
  afterAll(() => external?.dispose());

  it("finds the notice's own consultation phone among 74 rows that each have a phone column", async () => {
    const question = "松江区学前招生的咨询电话是多少？";
    const hits = await opened.retriever.search(question, { k: 5 });
    expect(hits.some((h) => h.passage.kind === "paragraph" && h.passage.text.includes("招生咨询电话：57821271"))).toBe(true);
    const { answer } = await answerer.answer(question, []);
    // The first sentence is what the hotline operator reads aloud: the district's number, numbered clause or not.
    expect(answer.answer.split("。")[0]).toContain("57821271");
  });

  it("answers a second clause too: the phone, then where to ask in person", async () => {
    const { answer } = await answerer.answer("松江区学前招生的咨询电话是多少？在哪里可以当面咨询？", []);
    expect(answer.answer.split("。")[0]).toContain("57821271");
    expect(answer.answer).toContain("咨询地址：中山二路590号");
  });

  it("still answers one kindergarten's phone from its row", async () => {
    const question = "新桥镇中心幼儿园的招生咨询电话是多少？";
    const [first] = await opened.retriever.search(question, { k: 5 });
    expect(first?.passage.kind).toBe("table-row");
    expect(first?.passage.text).toContain("新桥镇中心幼儿园");
    const { answer } = await answerer.answer(question, []);
    expect(answer.answer.split("。")[0]).toContain("67689951");
  });
});
