import { describe, expect, it } from "vitest";
import { removePinyinGlosses } from "../../src/core/text/clean/pinyin-gloss.js";
import { extractFigures, figureCores, type Figure, type FigureKind } from "../../src/core/text/figures.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import { corpusText, FILES } from "../helpers.js";

/** A corpus file as the pipeline sees it before chunking (the 2021 summary carries pinyin glosses). */
function cleanText(file: string): string {
  const raw = corpusText(file);
  return file === FILES.summary2021 ? removePinyinGlosses(raw).text : raw;
}

/** The sentence (or clause, or line) of a real corpus file that contains `needle`. */
function sentenceWith(file: string, needle: string): string {
  const found = cleanText(file)
    .split(/(?<=[。；;\n])/)
    .find((s) => s.includes(needle));
  if (!found) throw new Error(`「${needle}」不在 ${file} 中`);
  return found.trim();
}

const figuresOf = (text: string): Figure[] => extractFigures(foldForMatching(text));
const summary = (figures: Figure[]) => figures.map((f) => ({ text: f.text, kind: f.kind, core: f.core }));

describe("extractFigures on real corpus sentences", () => {
  it("reads a count with its measure word and a decimal 万 amount (2021 summary, Traditional)", () => {
    const sentence = sentenceWith(FILES.summary2021, "3.86萬個");
    expect(sentence).toContain("幼兒園50所");
    expect(summary(figuresOf(sentence))).toEqual([
      { text: "50所", kind: "count", core: "50" },
      { text: "3.86万个", kind: "amount", core: "3.86万" },
    ]);
  });

  it("reads 余 before the magnitude as part of the amount (710余万人次), not as the end of a count (2021 summary)", () => {
    const sentence = sentenceWith(FILES.summary2021, "710余萬人次");
    expect(summary(figuresOf(sentence)).slice(-2)).toEqual([
      { text: "700余次", kind: "count", core: "700" },
      { text: "710余万人次", kind: "amount", core: "710万" },
    ]);
    // 2024 summary: …科技成果1万余项 (余 after the magnitude, as before).
    expect(summary(figuresOf(sentenceWith(FILES.summary2024, "1万余项"))).map((f) => f.text)).toContain("1万余项");
  });

  it("keeps the figure's text and offsets consistent with the folded input", () => {
    const folded = foldForMatching(sentenceWith(FILES.summary2021, "3.86萬個"));
    for (const f of extractFigures(folded)) expect(folded.slice(f.start, f.end)).toBe(f.text);
  });

  it("reads percentages with one and two decimals", () => {
    const participation = figuresOf(sentenceWith(FILES.summary2021, "參與率72.9%"));
    expect(participation.find((f) => f.kind === "percent")).toMatchObject({ text: "72.9%", core: "72.9%" });
    expect(participation.find((f) => f.kind === "amount")).toMatchObject({ text: "62.7万人", core: "62.7万" });

    const teachers = figuresOf(sentenceWith(FILES.summary2024, "13.75%"));
    expect(summary(teachers)).toEqual([
      { text: "55名", kind: "count", core: "55" },
      { text: "第十一批", kind: "chinese", core: "第十一批" },
      { text: "12人", kind: "count", core: "12" },
      { text: "13.75%", kind: "percent", core: "13.75%" },
    ]);
  });

  it("reads 亿元 and 万元 amounts with the magnitude in the core", () => {
    const aid = figuresOf(sentenceWith(FILES.summary2021, "1.26億元"));
    expect(summary(aid)).toEqual([
      { text: "6.3万名", kind: "amount", core: "6.3万" },
      { text: "1.26亿元", kind: "amount", core: "1.26亿" },
      { text: "985万元", kind: "amount", core: "985万" },
    ]);
    expect(figuresOf(sentenceWith(FILES.summary2024, "1.45亿元"))[0]).toMatchObject({ kind: "amount", core: "1.45亿" });
  });

  it("reads ISO dates and the document number from the 2020 priorities' header (Traditional)", () => {
    const published = figuresOf(sentenceWith(FILES.priorities2020, "政策發布日期"));
    expect(summary(published)).toEqual([{ text: "2020-02-27", kind: "date", core: "2020-02-27" }]);

    const docNumber = figuresOf(sentenceWith(FILES.priorities2020, "發文編號"));
    expect(summary(docNumber)).toEqual([{ text: "[2020]2号", kind: "doc-number", core: "[2020]2号" }]);
  });

  it("reads a year (2021年) with the bare number as its core", () => {
    const opening = figuresOf(sentenceWith(FILES.summary2021, "以辦好人民滿意的教育為宗旨"))[0]!;
    expect(opening).toMatchObject({ kind: "year", core: "2021" });
    expect(opening.text).toMatch(/^2021年?$/);
    // 2021年度 (first line of the business targets) is a year too, not a count of 年.
    const targets = figuresOf(sentenceWith(FILES.targets2021, "市直单位业务目标"))[0]!;
    expect(targets).toMatchObject({ kind: "year", core: "2021" });
  });

  it("reads Chinese-numeral quantities: 第十一批, 三大", () => {
    const revolutions = figuresOf(sentenceWith(FILES.summary2021, "三大革命"));
    expect(revolutions.filter((f) => f.kind === "chinese").map((f) => f.text)).toContain("三大");
    const special = figuresOf(sentenceWith(FILES.summary2024, "第十一批"));
    expect(special.some((f) => f.kind === "chinese" && f.core === "第十一批")).toBe(true);
  });

  it("finds every kind in the corpus (the extractor is not silently narrower than documented)", () => {
    const kinds = new Set<FigureKind>();
    for (const file of Object.values(FILES)) for (const f of figuresOf(cleanText(file))) kinds.add(f.kind);
    expect([...kinds].sort()).toEqual(["amount", "chinese", "count", "date", "doc-number", "percent", "year"]);
  });
});

describe("extractFigures on text from PDF and Word files, with a space before the unit", () => {
  // Lines as the readers give them: 12.金山政策.doc's 招生信息表 row, 13.松江政策.pdf's enquiry address,
  // 05.长宁政策.pdf's closing date (../shared/eval/external/).
  it("keeps the unit with its number across one space", () => {
    expect(summary(figuresOf("招生计划（规定学额）：小班 6 个150 人"))).toEqual([
      { text: "6 个", kind: "count", core: "6" },
      { text: "150 人", kind: "count", core: "150" },
    ]);
    expect(figuresOf("咨询地址：中山二路 590 号").map((f) => f.text)).toEqual(["590 号"]);
    expect(summary(figuresOf("长宁区教育局 2019 年 4 月 15 日"))).toEqual([{ text: "2019 年 4 月 15 日", kind: "date", core: "2019 年 4 月 15 日" }]);
    expect(figuresOf("长教〔2019〕15 号").map((f) => f.kind)).toEqual(["doc-number"]);
  });

  it("does not take the first character of the word after a phone number for its unit", () => {
    // 13.松江政策.pdf writes its hours after the number: 咨询电话：57821271 周一至周五.
    expect(figuresOf("咨询电话：57821271 周一至周五").map((f) => f.text)).toEqual(["57821271"]);
    expect(figuresOf("热线 12345 号码").map((f) => f.text)).toEqual(["12345"]);
  });

  it("leaves a date with its time as it was", () => {
    expect(figuresOf("2020-03-04 09:38:00").map((f) => f.text)).toEqual(["2020-03-04 09:38:00"]);
  });
});

describe("extractFigures: what is NOT a figure", () => {
  it("ignores the digits of the source URL in the 2020 priorities", () => {
    const line = sentenceWith(FILES.priorities2020, "來源:http");
    expect(line).toMatch(/n32561912\/n32561915\/200302161048778071\.html/);
    expect(figuresOf(line)).toEqual([]);
  });

  it("does not read 一 in 一体化 or 统一 as a quantity", () => {
    const integration = sentenceWith(FILES.priorities2020, "一體化建設");
    const unified = sentenceWith(FILES.priorities2020, "統一全市普通高中");
    for (const s of [integration, unified]) expect(figuresOf(s).filter((f) => f.kind === "chinese")).toEqual([]);
    expect(figuresOf("推进大中小学思政课一体化建设，统一全市普通高中录取操作平台")).toEqual([]);
  });

  it("does not read anonymised placeholders (xx.xx万人, xxxx所) as figures", () => {
    const line = sentenceWith(FILES.speech, "xx.xx万人");
    expect(line).toContain("xxxx所");
    expect(figuresOf(line)).toEqual([]);
    // Nowhere in the speech is part of a placeholder picked up (x.x亿元 must not become .x or 亿元).
    const speech = foldForMatching(corpusText(FILES.speech));
    for (const f of extractFigures(speech)) {
      expect(speech[f.start - 1] ?? "", f.text).not.toMatch(/[xX.]/);
      expect(speech[f.end] ?? "", f.text).not.toMatch(/[xX]/);
    }
  });

  it("does not treat the 2021 summary's Traditional 萬/億 as unknown (folding happens first)", () => {
    // Sanity check that the fixture is Traditional: without folding, 萬 is not a magnitude.
    const sentence = sentenceWith(FILES.summary2021, "3.86萬個");
    expect(extractFigures(sentence).map((f) => f.core)).not.toContain("3.86万");
    expect(figuresOf(sentence).map((f) => f.core)).toContain("3.86万");
  });
});

describe("figureCores", () => {
  it("gives the comparable cores of a real sentence", () => {
    expect(figureCores(foldForMatching(sentenceWith(FILES.summary2021, "3.86萬個")))).toEqual(["50", "3.86万"]);
    expect(figureCores(foldForMatching(sentenceWith(FILES.summary2024, "新增公办园22所")))).toEqual(["22", "5800"]);
  });

  it("gives the same cores for Traditional and Simplified spellings of a sentence", () => {
    const traditional = sentenceWith(FILES.summary2021, "參與率72.9%");
    const simplified = "全面推行义务教育学校课后服务“5+2”模式,参与学生达到62.7万人,参与率72.9%。";
    expect(figureCores(foldForMatching(traditional))).toEqual(figureCores(foldForMatching(simplified)));
  });

  it("returns nothing for text without figures", () => {
    expect(figureCores(foldForMatching(sentenceWith(FILES.speech, "国有公司运营")))).toEqual([]);
  });
});

describe("extractFigures: ages", () => {
  it("an age in Chinese numerals is one figure (年满六周岁, 三岁)", () => {
    expect(extractFigures("凡年满六周岁的儿童").map((f) => [f.text, f.kind])).toEqual([["六周岁", "chinese"]]);
    expect(extractFigures("满三岁的幼儿").map((f) => f.text)).toEqual(["三岁"]);
    expect(extractFigures("年龄45周岁以下").map((f) => f.text)).toEqual(["45周岁"]);
  });
});

describe("extractFigures: thousands separators", () => {
  it("a list of phone numbers written with commas is two numbers (金山's 咨询电话：57932039，57930105)", () => {
    expect(extractFigures(foldForMatching("咨询电话：57932039，57930105")).map((f) => f.core)).toEqual(["57932039", "57930105"]);
  });

  it("a number written with thousands separators is one figure", () => {
    expect(extractFigures("共1,234,567人").map((f) => [f.text, f.core])).toEqual([["1,234,567人", "1234567"]]);
    expect(extractFigures("共1,234，其中").map((f) => f.core)).toEqual(["1234"]);
  });
});
