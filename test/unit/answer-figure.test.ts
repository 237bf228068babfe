import { describe, expect, it } from "vitest";
import { chineseAttribute, hasAskedUnit } from "../../src/core/question/attribute.js";
import { answerFigureStrength } from "../../src/core/question/scoring.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import { corpusLine, FILES } from "../helpers.js";

describe("the general classifier 个 answers a count", () => {
  const asked = chineseAttribute("职业学校跟企业一起带学徒的，现在有多少所学校、多少家企业参加？");
  // The 2024 summary counts schools and companies in 个.
  const line = foldForMatching(corpusLine(FILES.summary2024, "现代学徒制试点"));
  const sentence = line.slice(line.indexOf("参与市级现代学徒制试点"), line.indexOf("全省中职学校校园文化"));

  it("a figure in 个 answers 多少所 / 多少家, at half the strength of the asked unit", () => {
    expect(asked.units).toEqual(["所", "家"]);
    expect(hasAskedUnit("28个", asked.units)).toBe(true);
    expect(answerFigureStrength(sentence, asked.units)).toBe(0.5);
    expect(answerFigureStrength("省高水平中职学校和特色专业分别达到10所、20个。", asked.units)).toBe(1);
  });

  it("but not an amount or a share", () => {
    expect(hasAskedUnit("28个", ["元", "万元", "亿元"])).toBe(false);
    expect(hasAskedUnit("28个", ["%"])).toBe(false);
    expect(answerFigureStrength(sentence, ["%"])).toBe(0);
  });
});
