/**
 * A semicolon clause of a table row that opens inside a cell (中级10分、初级得5分｜分值：20 after
 * 二级指标：…得20分；) is quoted with the row's clause that opens the cells before it, so the answer says
 * whom the clause is about (技术职称, 户籍外省市); a full sentence of a cell still stands on its own.
 * Real text: 金山区's 2019 kindergarten notice (annex 5, its points table) and 松江区's 2019 notice
 * (annex 1, its admission categories), from ../shared/eval/external/ (copied at run time into a
 * temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const JINSHAN = "12.金山政策.doc";
const SONGJIANG = "13.松江政策.pdf";

const firstSentence = (answer: string) => answer.split("\n")[0]!.split("。")[0]!;

describe.runIf(hasExternal(JINSHAN) && hasExternal(SONGJIANG))("a clause of a table row quoted with the cells it belongs to", () => {
  const external = useExternalCorpus([JINSHAN, SONGJIANG]);

  it("quotes 中级10分 in one sentence with its row's 一级指标 (技术职称), as the row writes it", async () => {
    const { answer } = await external().answerer.answer("金山外地孩子上公办园 积分表里爸爸是中级职称能加几分", []);
    const lead = firstSentence(answer.answer);
    expect(lead).toContain("一级指标：技术职称");
    expect(lead).toContain("中级10分");
    expect(answer.answer).toContain("得20分；中级10分");
    expect(answer.citations.some((c) => c.quote.includes("技术职称（20分）｜二级指标：父母一方具有高级技术职称或高级岗位资格得20分；中级10分"))).toBe(true);
  });

  it("names the row's 类别 (户籍外省市) before its circled condition ②…积分达120分", async () => {
    const { answer } = await external().answerer.answer("松江外地户口的孩子上公办园 居住证积分要达到多少分", []);
    const text = answer.answer;
    expect(text).toContain("积分达120分");
    expect(text.indexOf("类别：")).toBeGreaterThanOrEqual(0);
    expect(text.indexOf("类别：")).toBeLessThan(text.indexOf("②父母一方持《上海市居住证》"));
    expect(text).toContain("户籍外省市");
  });

  it("continues a joined clause's circled list with its own row's next item (③ of the same row, not another's)", async () => {
    const { answer } = await external().answerer.answer("松江外地户口居住证积分没到120分有房产 父母社保要交多久", []);
    const first = answer.answer.split("\n")[0]!;
    expect(first).toContain("类别：户籍外省市（居住证积分未达120分）且本镇（地区）有房产");
    expect(first).toContain("满6个月");
    // The question names no area: both rows of 代码 5 (城区五所街道, 本镇) answer it, in the table's order, and
    // each row's own ③ follows its ②, cited to the same passage.
    const rows = [...first.matchAll(/类别：户籍外省市（居住证积分未达120分）且(城区五所街道|本镇（地区）)有房产｜分类说明：.*?满6个月\[(\d)\]。③持有(.+?)居住类房产证件/g)];
    expect(rows.map((m) => m[1])).toEqual(["城区五所街道", "本镇（地区）"]);
    for (const [, area, n, own] of rows) {
      expect(own).toBe(area);
      expect(answer.citations.find((c) => c.n === Number(n))!.quote).toContain(`③持有${area}居住类房产证件`);
    }
  });

  it("quotes a later cell cut off where a cell's sentence ends (…三选一。｜二级指标：…) with its row's first cells", async () => {
    const { answer } = await external().answerer.answer("金山外地孩子上公办园积分 对口地段有公租房能算几分", []);
    const lead = firstSentence(answer.answer);
    // The row as it stands, from 项目 to 分值: the 一级指标 says it is one of three, at most 40 points.
    expect(answer.answer).toContain("项目：基础条件100分｜一级指标：父母稳定居住情况（40分）1.2.3三项积分三选一。｜二级指标：2.持有对口招生地段内公租房");
    expect(lead).toContain("父母稳定居住情况");
    expect(answer.answer).toContain("分值：20");
  });

  it("gives no row opening to a clause that ends a sentence of its own after a semicolon", async () => {
    const { answer } = await external().answerer.answer("松江公办幼儿园入园结果以什么为准", []);
    expect(firstSentence(answer.answer)).toContain("入园结果须以“入园通知书”为准");
    expect(firstSentence(answer.answer)).not.toContain("时间：");
  });

  it("leaves a full sentence of a cell on its own: the answer opens on it, not on the row's 时间 cell", async () => {
    const { answer } = await external().answerer.answer("松江公办园没通过荣乐幼儿园现场验证怎么办", []);
    expect(firstSentence(answer.answer)).toMatch(/未通过荣乐幼儿园现场验证的适龄幼儿的家长须在岳阳或实验两所幼儿园中任选一所/);
    expect(firstSentence(answer.answer)).not.toContain("时间：");
  });
});
