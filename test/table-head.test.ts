/**
 * A question that names no row of a long table (松江区幼儿园招生咨询电话？) matches every row alike —
 * each holds 松江区…幼儿园 and the column 招生咨询电话 in few words — while the sentence that states it
 * for the district sits far below them. It must still be found and lead the answer, and a question
 * that names a row must still get that row. Clauses joined by commas, and keywords typed apart, each
 * ask their own thing. Real text: 松江区's 2019 kindergarten notice (../shared/eval/external/, copied at
 * run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
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
