/**
 * A name the segmenter's dictionary lacks (a 信息苑 of a table: 门店：新泾苑) is cut by its neighbours:
 * one word in the table, but 那新 | 泾苑 in 那新泾苑在哪. The question path finds the corpus's own names in
 * the question's text and searches them whole; and a row that carries what a clause asks (电话多少)
 * under its column names answers it, so the asked row leads. Real text: 长宁区's 2019 kindergarten
 * notice (../shared/eval/external/, copied at run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const CHANGNING = "05.长宁政策.pdf";
const EARLIER = [{ role: "user" as const, content: "长宁区家里没有电脑怎么给孩子做入园信息登记？" }];

describe.runIf(hasExternal(CHANGNING))("长宁: a corpus name the segmenter cuts apart in a question", () => {
  const external = useExternalCorpus([CHANGNING]);

  it("searches the name whole, and drops the mis-cut fragment with what it would have been corrected to", () => {
    const analysis = external().opened.retriever.analyze("那新泾苑的地址在哪，电话是多少");
    expect(analysis.tokens).toContain("新泾苑");
    expect(analysis.tokens).not.toContain("那新");
    // 那新 read as a typo of the corpus word 南新 would search another place.
    expect(analysis.expansions.map((e) => e.from)).not.toContain("那新");
  });

  it("adds nothing when the segmenter cut the name whole", () => {
    const analysis = external().opened.retriever.analyze("新泾苑门店的电话多少");
    expect(analysis.tokens.filter((t) => t === "新泾苑")).toHaveLength(1);
    expect(analysis.tokens.filter((t) => t.includes("泾"))).toEqual(external().opened.retriever.analyze("新泾苑").tokens.filter((t) => t.includes("泾")));
  });

  it.each([
    ["那新泾苑的地址在哪，电话是多少", "门店：新泾苑｜", "62396174"],
    ["那程家桥苑在哪里 电话多少", "门店：程家桥苑｜", "62683974"],
  ])("%s → the row %s leads with its phone %s", async (question, row, phone) => {
    const { answer } = await external().answerer.answer(question, EARLIER);
    const first = answer.answer.split("[1]")[0]!;
    expect(first).toContain(row);
    expect(first).toContain(phone);
    // Not the bureau's own hotline row, which also holds 电话 and 地址.
    expect(first).not.toContain("22050761");
  });

  it("a time asked of a named place leads with its row, though a sentence about going there holds more of the question's words", async () => {
    const { answer } = await external().answerer.answer("家附近的天山苑信息苑晚上几点关门啊 想去那上网登记", []);
    const first = answer.answer.split("[1]")[0]!;
    expect(first).toContain("门店：天山苑｜");
    expect(first).toContain("20:00");
    expect(answer.answer).not.toContain("没有写明");
  });
});
