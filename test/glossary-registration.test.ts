/**
 * The profile's glossary entry 非本市户籍 ← 外地户口: admission notices give households registered in
 * another city their own day and place (非本市户籍幼儿监护人，请于5月12日…), and citizens say 外地户口.
 * Real text: 金山区's 2019 kindergarten notice, from ../shared/eval/external/ (copied at run time into a
 * temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const FILE = "12.金山政策.doc";

describe.runIf(hasExternal(FILE))("外地户口 reaches the documents' 非本市户籍", () => {
  const external = useExternalCorpus([FILE]);

  it("the everyday word expands to the policy term, from the profile", () => {
    const analysis = external().opened.retriever.analyze("金山外地户口小孩报名验证是哪天");
    expect(analysis.expansions).toContainEqual(expect.objectContaining({ term: "非本市户籍", source: "profile", from: "外地户口" }));
  });

  it("the answer quotes what the notice says of non-local households, not only the general days", async () => {
    const { answer } = await external().answerer.answer("金山 外地户口的 幼儿园报名验证是哪天去", []);
    expect(answer.answer).toContain("非本市户籍幼儿");
  });
});
