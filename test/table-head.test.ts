/**
 * A question that names no row of a long table (松江区幼儿园招生咨询电话？) matches every row alike —
 * each holds 松江区…幼儿园 and the column 招生咨询电话 in few words — while the sentence that states it
 * for the district sits far below them. It must still be found and lead the answer, and a question
 * that names a row must still get that row. Clauses joined by commas, and keywords typed apart, each
 * ask their own thing. Real text: 松江区's 2019 kindergarten notice (../shared/eval/external/, copied at
 * run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { withOtherThanOneTable, type RetrievedPassage } from "../src/core/search/retriever.js";
import type { DocumentMeta, Passage } from "../src/core/types.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const SONGJIANG = "13.松江政策.pdf";

describe.runIf(hasExternal(SONGJIANG))("松江: the district's enquiry line beside a table of every kindergarten's line", () => {
  const external = useExternalCorpus([SONGJIANG]);

  it("reads a clause after a comma, and keywords typed apart, as further questions", () => {
    const { retriever } = external().opened;
    const comma = retriever.analyze("松江区幼儿园招生咨询电话多少，上午几点开始接听？");
    expect(comma.askedClause).toBe("松江区幼儿园招生咨询电话多少");
    expect(comma.alsoAsked).toEqual([expect.objectContaining({ attribute: "when", clause: "上午几点开始接听" })]);
    // A comma part that asks nothing stays with the clause after it; 几十 is a number, not a question.
    const context = retriever.analyze("学校小，就几十个孩子，中午吃饭一直是个事，市里给食堂补助了多少钱？");
    expect(context.alsoAsked).toBeUndefined();
    const keywords = retriever.analyze("松江 学前招生 咨询电话 咨询地址");
    expect(keywords.alsoAsked).toEqual([expect.objectContaining({ attribute: "where", clause: "咨询地址" })]);
  });

  it("finds the district's sentence among the rows and leads with it, with the address a further clause asks", async () => {
    const question = "松江区幼儿园招生有没有咨询电话？想当面去问的话地址在哪";
    const hits = await external().opened.retriever.search(external().opened.retriever.analyze(question), { k: 5 });
    expect(hits.some((h) => h.passage.text.includes("本区学前教育阶段招生咨询电话：57821271"))).toBe(true);
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.answer.split("。")[0]).toContain("本区学前教育阶段招生咨询电话：57821271");
    expect(answer.answer).toContain("咨询地址：中山二路590号");
  });

  it("answers a further clause from a passage of the notice that the whole question does not rank high (the documents' deadline)", async () => {
    // The points rows fill the first places; the sentence on the deadline for certificates sits in the notes.
    const question = "外地户口在松江上幼儿园 积分要够多少分 证件截止到哪天";
    const hits = await external().opened.retriever.search(external().opened.retriever.analyze(question), { k: 6 });
    expect(hits.some((h) => h.passage.text.includes("截止日期为2019年4月30日"))).toBe(false);
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.answer).toContain("居住证积分达120分");
    expect(answer.answer).toContain("截止日期为2019年4月30日");
  });

  it("answers the time a comma clause asks from the same notice, and says nothing is missing", async () => {
    const { answer } = await external().answerer.answer("松江区幼儿园招生咨询电话多少，上午几点开始接听？", []);
    expect(answer.answer.split("。")[0]).toContain("57821271");
    expect(answer.answer).toContain("上午9:00——11:30");
    expect(answer.answer).not.toContain("没有写明");
  });

  it("a further clause that names its field (现场咨询地址) gets the sentence labelled with most of that name (咨询地址：…), not rows labelled 地址 or holding 现场", async () => {
    const { answer } = await external().answerer.answer("松江幼儿园招生 咨询电话 现场咨询地址", []);
    expect(answer.answer.split("。")[0]).toContain("57821271");
    expect(answer.answer).toContain("咨询地址：中山二路590号");
  });

  it("answers a hotline operator's keywords with the number and the address", async () => {
    const { answer } = await external().answerer.answer("松江 学前招生 咨询电话 咨询地址", []);
    expect(answer.answer.split("。")[0]).toContain("57821271");
    expect(answer.answer).toContain("中山二路590号");
  });

  it("still answers a question that names a kindergarten with its row", async () => {
    const { answer } = await external().answerer.answer("松江区白云幼儿园的招生咨询电话是多少？", []);
    expect(answer.answer.split("。")[0]).toContain("白云幼儿园｜地址：白云部：白云小区4号｜招生咨询电话：57839010");
  });
});

describe("a head of one table's rows leaves its further places to passages of other kinds", () => {
  const doc = { id: "songjiang", title: "2019年松江区学前教育阶段招生工作实施意见" } as DocumentMeta;
  const passage = (ordinal: number, text: string, fields?: Record<string, string>, heading = "附件3 松江区公办幼儿园招生信息一览表"): Passage => ({
    id: `songjiang#p${ordinal}`,
    docId: doc.id,
    ordinal,
    kind: fields ? "table-row" : "paragraph",
    headingPath: [doc.title, heading],
    text,
    folded: text,
    redactions: [],
    ...(fields ? { fields } : {}),
  });
  const row = (ordinal: number, name: string, phone: string) => passage(ordinal, `园名：${name}｜招生咨询电话：${phone}`, { 园名: name, 招生咨询电话: phone });
  const hit = (p: Passage, score: number): RetrievedPassage => ({ passage: p, doc, score, signals: {} });

  it("every passage of another kind within reach of the first takes a place after the rows, best first", () => {
    const ranked = [
      hit(row(152, "上海市松江区华亭第三幼儿园", "57890730"), 3.02),
      hit(row(169, "上海市松江区新闵幼儿园", "67740685"), 3.0),
      hit(row(171, "上海市松江区百鸟幼儿园", "57674527"), 2.87),
      hit(row(141, "松江区蓝天幼儿园", "67742962"), 2.84),
      // A row of the notice's schedule, another table.
      hit(passage(21, "时间：5月8日起｜主要内容：现场报名验证", { 时间: "5月8日起", 主要内容: "现场报名验证" }, "四、招生工作日程安排"), 2.43),
      hit(row(181, "上海市松江区泗泾第七幼儿园", "33552530"), 2.42),
      hit(passage(30, "4．本区学前教育阶段招生咨询电话：57821271；咨询地址：中山二路590号。", undefined, "五、其他公告"), 2.39),
    ];
    const top = withOtherThanOneTable(ranked, 5).map((h) => h.passage.ordinal);
    expect(top).toEqual([152, 169, 171, 21, 30]);
    // Below OTHER_KIND_CLOSE of the first, the rows keep their places.
    const far = ranked.map((h) => (h.passage.ordinal === 30 ? { ...h, score: 1.5 } : h));
    expect(withOtherThanOneTable(far, 5).map((h) => h.passage.ordinal)).toEqual([152, 169, 171, 21, 141]);
  });
});
