/**
 * Profile glossary entries whose policy terms are in other bureaus' documents:
 * - 非本市户籍 ← 外地户口: admission notices give households registered in another city their own day
 *   and place (非本市户籍幼儿监护人，请于5月12日…), and citizens say 外地户口;
 * - 劝退 ← 退学: the regulation says a school may not make a pupil leave (不得劝退或者开除), and citizens
 *   ask whether a school may make a child 退学;
 * - 障碍 ← 脑子发育, 发育迟缓: notices send a child with an intellectual disability (智力有障碍) to a
 *   kindergarten's 特教班, and grandparents say the child's 脑子发育 is slow.
 * Real text: 金山区's and 长宁区's 2019 kindergarten notices and 上海's regulation, from ../shared/eval/external/
 * (copied at run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const FILE = "12.金山政策.doc";
const CHANGNING = "05.长宁政策.pdf";
const REGULATION = "上海市实施《义务教育法》办法(2024-09-27).md";

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

describe.runIf(hasExternal(REGULATION))("退学 reaches the regulation's 劝退", () => {
  const external = useExternalCorpus([REGULATION], 120_000, true);

  it("a parent asking whether the school may make a child leave is answered with the article that forbids it", async () => {
    const { answer } = await external().answerer.answer("上海 孩子在学校老犯错 学校能不能让他退学", []);
    expect(answer.answer.split("。")[0]).toContain("不得劝退或者开除");
  });
});

describe.runIf(hasExternal(CHANGNING))("脑子发育 reaches the notice's 智力有障碍", () => {
  const external = useExternalCorpus([CHANGNING], 120_000, true);

  it("a grandparent describing a slow child is told where such a child registers", async () => {
    const { answer } = await external().answerer.answer("我孙子在长宁 脑子发育比别的孩子慢一点 上幼儿园要去哪里登记啊", []);
    expect(answer.answer.split("。")[0]).toContain("智力有障碍的幼儿可到虹古路第三幼儿园特教班登记");
  });
});
