/**
 * A follow-up with no topic word of its own asks on about the earlier turn: what it asks with 多少 and
 * no measure is the quantity the earlier turn asked (a share stays a share), and two such short
 * clauses asked at once (最后实际补了几所 一共花了多少钱呢) are a follow-up as one is. Real text: the seed corpus.
 */
import { describe, expect, it } from "vitest";
import { exchange as turn, leadQuote as lead } from "./helpers.js";
import { useSeedCorpus } from "./external-corpus.js";

describe("a follow-up's quantity and clauses", () => {
  const seed = useSeedCorpus();

  it("多少 with no measure after a share asked (占多大比例) asks a share: the report's 60 %, not a count", async () => {
    const history = turn("2021年青岛定的好幼儿园要占多大比例", "2021年度市教育局业务目标提出，全市优质园比例达到50%以上。");
    const analysis = seed().opened.retriever.analyze("最后做到多少了", history);
    expect(analysis.followUp).toBeDefined();
    expect(analysis.units).toContain("%");
    const { answer } = await seed().answerer.answer("最后做到多少了", history);
    expect(lead(answer.answer)).toContain("60%");
  });

  it("keeps its own measure when it names one (多少所 after a share)", () => {
    const history = turn("2021年青岛定的好幼儿园要占多大比例", "2021年度市教育局业务目标提出，全市优质园比例达到50%以上。");
    const analysis = seed().opened.retriever.analyze("那新建了多少所", history);
    expect(analysis.units).not.toContain("%");
    expect(analysis.units).toContain("所");
  });

  it("two short clauses with no topic word of their own (最后实际补了几所 一共花了多少钱呢) follow the earlier turn and are answered from it", async () => {
    const history = turn("农村小规模学校食堂补助 2021年计划补多少所", "按2021年度业务目标，计划对全市212所农村小规模中小学校食堂实施运行补助。");
    const question = "最后实际补了几所 一共花了多少钱呢";
    const analysis = seed().opened.retriever.analyze(question, history);
    expect(analysis.followUp?.reason).toBe("elliptical");
    expect(analysis.scope.decision).toBe("in-domain");
    const { answer } = await seed().answerer.answer(question, history);
    expect(answer.grounded).toBe(true);
    expect(answer.answer).toContain("1585万元");
    expect(answer.answer).toContain("215所");
  });

  it("a long clause of its own, or short clauses that ask no quantity, are no such follow-up (a new question that happens to follow)", async () => {
    const history = turn("农村小规模学校食堂补助 2021年计划补多少所", "按2021年度业务目标，计划对全市212所农村小规模中小学校食堂实施运行补助。");
    expect(seed().opened.retriever.analyze("明天下午青岛市区会不会下大雨啊 出门要带伞吗", history).followUp).toBeUndefined();
    for (const question of ["今天天气怎么样，要带伞吗，谢谢", "我想问一下，明天会下雨吗，要不要带伞", "附近哪里有超市 几点关门 远不远"]) {
      expect(seed().opened.retriever.analyze(question, history).followUp).toBeUndefined();
      const { answer } = await seed().answerer.answer(question, history);
      expect(answer.grounded).toBe(false);
    }
  });

  it("a follow-up that names a topic of its own counts in its own measure, not the earlier turn's share", () => {
    const history = turn("2021年青岛定的好幼儿园要占多大比例", "2021年度市教育局业务目标提出，全市优质园比例达到50%以上。");
    expect(seed().opened.retriever.analyze("那全市新建了多少幼儿园", history).units).not.toContain("%");
  });

  it("a sentence the reply quoted only in support is still news to a follow-up asking again", async () => {
    // The reply leads with the target (50%以上) and quotes the report's 60% in support.
    const history = turn(
      "2021年业务目标里优质园比例要到多少？",
      "按2021年度业务目标，大力创建优质园，全市优质园比例达到50%以上[1]。据2021年工作总结，优质园和薄弱普惠园联盟办园参与率达到100%,优质园占比从去年的39%提升至60%[2]。",
    );
    const { answer } = await seed().answerer.answer("那最后实际达到了多少？", history);
    expect(lead(answer.answer)).toContain("60%");
  });
});
