import { describe, expect, it } from "vitest";

import { analyzeQuery } from "../../src/core/search/query.js";
import { createTokenizer } from "../../src/core/search/tokenizer.js";
import { removePinyinGlosses } from "../../src/core/text/clean/pinyin-gloss.js";
import { foldForMatching, foldToSimplified } from "../../src/core/text/fold.js";
import { createJiebaSegmenter } from "../../src/node/jieba-segmenter.js";
import { corpusText, FILES } from "../helpers.js";

const tokenize = createTokenizer({ segmenter: createJiebaSegmenter() });

/** The corpus line containing `needle` (the test fails loudly if the corpus changed). */
function corpusLine(file: string, needle: string): string {
  // The 2021 summary carries pinyin glosses (細(xì)作) that ingest strips; strip them here too.
  const text = file === FILES.summary2021 ? removePinyinGlosses(corpusText(file)).text : corpusText(file);
  const line = text.split(/\r?\n/).find((l) => l.includes(needle));
  if (line === undefined) throw new Error(`${file}: no line contains ${needle}`);
  return line;
}

/** The sentence (up to 。；; or a line end) of the corpus containing `needle`. */
function corpusSentence(file: string, needle: string): string {
  const sentence = corpusLine(file, needle)
    .split(/[。；;]/)
    .find((s) => s.includes(needle));
  if (sentence === undefined) throw new Error(`${file}: no sentence contains ${needle}`);
  return sentence;
}

/** Tokens carrying a digit or a placeholder x, other than years (2021 / 2021年) the sentence names. */
const numericTokens = (tokens: string[]) => tokens.filter((t) => /\d|x/i.test(t) && !/^(?:19|20)\d{2}(?:年度?)?$/.test(t));

/** Half-width ASCII letters and digits → their full-width forms (Ａ, ２ …). */
function toFullWidth(text: string): string {
  return text.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

describe("tokenizer: a figure with a space before its unit", () => {
  it("is the same token as without the space (590 号 as 590号, 2019 年 4 月 15 日 as 2019年4月15日)", () => {
    // 13.松江政策.pdf's enquiry address and 05.长宁政策.pdf's closing date, as the PDF reader gives them.
    expect(tokenize("咨询地址：中山二路 590 号")).toContain("590号");
    expect(tokenize("中山二路590号")).toContain("590号");
    expect(tokenize("长宁区教育局 2019 年 4 月 15 日")).toEqual(expect.arrayContaining(["2019年4月15日", "2019"]));
  });
});

describe("tokenizer: numeric expressions stay whole", () => {
  const line2021 = corpusLine(FILES.summary2021, "建成后可提供學位3.86萬個");
  const sentence2021 = corpusSentence(FILES.summary2021, "建成后可提供學位3.86萬個");

  it("keeps counts with measure words (50所) and amounts with their core (3.86万个 + 3.86万)", () => {
    expect(sentence2021).toBe("新建、改擴建中小學幼兒園50所,建成后可提供學位3.86萬個");
    const tokens = tokenize(sentence2021);
    expect(tokens).toContain("50所");
    expect(tokens).toContain("3.86万个");
    expect(tokens).toContain("3.86万");
    // No fragments of the figures leak out as separate tokens.
    for (const fragment of ["3", "86", "3.86", ".86", "万个", "个", "5", "0", "所"]) expect(tokens).not.toContain(fragment);
    expect(numericTokens(tokens).sort()).toEqual(["3.86万", "3.86万个", "50", "50所"]);
    expect(tokenize(line2021)).toContain("4.8万个");
  });

  it("keeps the figure token adjacent to its core, in text order", () => {
    const tokens = tokenize(line2021);
    const at = tokens.indexOf("3.86万个");
    expect(tokens[at + 1]).toBe("3.86万");
    expect(tokens.indexOf("50所")).toBeLessThan(at);
  });

  it("keeps percentages whole (72.9%)", () => {
    const tokens = tokenize(corpusSentence(FILES.summary2021, "參與率72.9%"));
    expect(tokens).toContain("72.9%");
    expect(tokens).toContain("62.7万人");
    expect(tokens).toContain("62.7万");
    for (const fragment of ["72", "72.9", "9%", "9", "%"]) expect(tokens).not.toContain(fragment);
    expect(numericTokens(tokens).sort()).toEqual(["5", "2", "62.7万", "62.7万人", "72.9%"].sort());
  });

  it("keeps amounts in 亿元 whole (1.26亿元 + 1.26亿)", () => {
    const tokens = tokenize(corpusLine(FILES.summary2021, "獎助學金1.26億元"));
    expect(tokens).toContain("1.26亿元");
    expect(tokens).toContain("1.26亿");
    expect(tokens).toContain("1585万元");
    expect(tokens).not.toContain("1.26");
    expect(tokens).not.toContain("26");
  });

  it("keeps ISO dates whole (2020-02-27) and adds the year", () => {
    const line = corpusLine(FILES.priorities2020, "政策發布日期:");
    expect(line).toContain("2020-02-27");
    const tokens = tokenize(line);
    expect(tokens).toContain("2020-02-27");
    expect(tokens).toContain("2020");
    for (const fragment of ["02", "27", "-02-27", "2020-02"]) expect(tokens).not.toContain(fragment);
  });

  it("keeps the number of 發文編號:青教工委[2020]2號 whole as [2020]2号 and adds the year", () => {
    const line = corpusLine(FILES.priorities2020, "發文編號:");
    expect(line).toContain("青教工委[2020]2號");
    const tokens = tokenize(line);
    expect(tokens).toContain("[2020]2号");
    expect(tokens).toContain("2020");
    expect(tokens).toContain("发文编号");
    for (const fragment of ["2号", "2", "[2020]", "号"]) expect(tokens).not.toContain(fragment);
  });
});

describe("tokenizer: domain words stay whole", () => {
  const cases: Array<[word: string, file: string, needle: string]> = [
    ["幼升小", FILES.summary2021, "幼升小、小升初招生報名"],
    ["小升初", FILES.summary2021, "幼升小、小升初招生報名"],
    ["一网通办", FILES.targets2021, "全市义务教育招生实现“一网通办”"],
    ["双减", FILES.speech, "扎实推进义务教育“双减”行动"],
    ["双减", FILES.summary2021, "切實抓好“雙減”政策落實"],
    ["课后服务", FILES.speech, "提供免费课后服务"],
    ["课后服务", FILES.summary2021, "課后服務質量提升"],
    ["集团化办学", FILES.priorities2020, "印發集團化辦學指導意見"],
    ["强镇筑基", FILES.summary2024, "深化强镇筑基行动"],
  ];
  it.each(cases)("%s in %s", (word, file, needle) => {
    expect(tokenize(corpusLine(file, needle))).toContain(word);
  });

  it("does not cut 幼升小 / 小升初 into single characters", () => {
    const tokens = tokenize("幼升小、小升初的招生报名可以在网上办理吗？");
    expect(tokens).toEqual(expect.arrayContaining(["幼升小", "小升初", "招生报名"]));
    for (const ch of ["幼", "升", "小", "初"]) expect(tokens).not.toContain(ch);
  });
});

describe("tokenizer: stop words", () => {
  it("drops 的, 多少, 吗 and punctuation but keeps the content words", () => {
    const a = tokenize("2021年课后服务参与学生有多少，参与率是多少？");
    const b = tokenize("幼升小、小升初的招生报名可以在网上办理吗？");
    const c = tokenize("學校的校車");
    for (const tokens of [a, b, c]) {
      for (const stop of ["的", "多少", "吗", "是", "有", "？", "，", "、"]) expect(tokens).not.toContain(stop);
    }
    expect(a).toEqual(expect.arrayContaining(["课后服务", "参与率", "学生"]));
    expect(b).toEqual(expect.arrayContaining(["网上", "办理"]));
    expect(c).toEqual(["学校", "校车"]);
  });

  it("keeps the stop words when given an empty stop list (the list is what drops them)", () => {
    const raw = createTokenizer({ segmenter: createJiebaSegmenter(), stopWords: new Set() });
    expect(raw("学校的校车")).toContain("的");
    expect(raw("参与率是多少")).toContain("多少");
  });
});

describe("tokenizer: scripts and widths", () => {
  it("gives Traditional and Simplified identical tokens (學校的校車 vs 学校的校车)", () => {
    expect(tokenize("學校的校車")).toEqual(tokenize("学校的校车"));
    expect(tokenize("學校的校車")).toEqual(["学校", "校车"]);
  });

  it("gives a full Traditional sentence of the 2020 priorities and its OpenCC Simplified form identical tokens", () => {
    const traditional = corpusLine(FILES.priorities2020, "全市教育工作的總體思路是");
    const simplified = foldToSimplified(traditional);
    expect(simplified).not.toBe(traditional);
    expect(simplified).toContain("全市教育工作的总体思路是");
    const tokens = tokenize(traditional);
    expect(tokens.length).toBeGreaterThan(40);
    expect(tokens).toEqual(tokenize(simplified));
    expect(tokens).toEqual(expect.arrayContaining(["2020", "小康社会", "扩优提质", "现代化"]));
  });

  it("folds full-width ＲＣＥＰ and ２ to RCEP and 2 (lower-cased: rcep)", () => {
    const line = corpusLine(FILES.summary2021, "全國首個RCEP產教協同聯盟揭牌");
    const wide = toFullWidth(line);
    expect(wide).toContain("ＲＣＥＰ");
    expect(wide).toContain("２個公司");
    expect(foldForMatching("ＲＣＥＰ/２")).toBe("rcep/2");
    const tokens = tokenize(wide);
    expect(tokens).toEqual(tokenize(line));
    expect(tokens).toEqual(expect.arrayContaining(["rcep", "2个", "2", "3个"]));
    expect(tokens.some((t) => /[Ａ-Ｚａ-ｚ０-９]/.test(t))).toBe(false);
  });
});

describe("tokenizer: redaction placeholders", () => {
  it("produces no numeric token from xx.xx万人 / xxxx所 / x.xx万人", () => {
    const sentence = corpusSentence(FILES.speech, "在校生xx.xx万人");
    expect(sentence).toBe("xx市现有各级各类学校、幼儿园xxxx所,在校生xx.xx万人,教职工x.xx万人");
    const tokens = tokenize(sentence);
    expect(tokens).toEqual(expect.arrayContaining(["在校生", "教职工", "幼儿园"]));
    expect(tokens.filter((t) => /\d|x/i.test(t))).toEqual([]);
    // The same sentence with real numbers does produce figure tokens: the check above can fail.
    const unredacted = tokenize(sentence.replace("xx.xx万人", "12.34万人"));
    expect(unredacted).toEqual(expect.arrayContaining(["12.34万人", "12.34万"]));
  });

  it("produces no numeric token from x.x亿元 / xx.x万平方米, nor from the whole redacted speech line", () => {
    const sentence = corpusSentence(FILES.speech, "全市投资x.x亿元");
    const tokens = tokenize(sentence);
    expect(tokens).toContain("校舍");
    expect(tokens.filter((t) => /\d|x/i.test(t))).toEqual([]);
    // A whole line mixes placeholders with real years (2021年): only the years survive as figures.
    expect(numericTokens(tokenize(corpusLine(FILES.speech, "在校生xx.xx万人")))).toEqual([]);
  });
});

describe("analyzeQuery", () => {
  it("detects the years a question names (2021年, 2024年以后)", () => {
    expect(analyzeQuery("2021年课后服务参与学生有多少，参与率是多少？", tokenize).years).toEqual([2021]);
    expect(analyzeQuery("2024年以后公办园在园幼儿占比要提升到多少？", tokenize).years).toEqual([2024]);
    expect(analyzeQuery("2021年度市直单位业务目标", tokenize).years).toEqual([2021]);
    expect(analyzeQuery("學校的校車是怎麼管理運行的？", tokenize).years).toEqual([]);
  });

  it("uses the folded question: a Traditional question searches like the Simplified one", () => {
    const a = analyzeQuery("孩子放學太早沒人接", tokenize);
    const b = analyzeQuery("孩子放学太早没人接", tokenize);
    expect([...a.weighted.entries()]).toEqual([...b.weighted.entries()]);
    expect(a.folded).toBe(b.folded);
  });
});

describe("names the dictionary does not know", () => {
  // 金山's 2019 admission table (../shared/eval/external/12.金山政策.doc) and a parent's question
  // about that row: the HMM cuts the name differently in each (金龙部市 / 金龙部, 罗星 / 朱泾罗星).
  const row = "罗星幼儿园金龙部市示范幼儿园（朱泾金龙新街1088号）";
  const question = "朱泾罗星幼儿园金龙部今年小班招几个班";

  it("adds the character pairs of a guessed word, so the parts both spellings share match", () => {
    const indexed = new Set(tokenize(row));
    const asked = tokenize(question);
    expect(asked).toEqual(expect.arrayContaining(["朱泾罗星", "金龙部"]));
    expect(indexed.has("金龙部")).toBe(false);
    for (const shared of ["罗星", "金龙", "朱泾"]) expect(indexed.has(shared) && asked.includes(shared)).toBe(true);
  });

  it("leaves dictionary words as the segmenter cuts them", () => {
    // 幼儿园 is in the dictionary: its dictionary sub-word 幼儿, not the pair 儿园.
    expect(tokenize("幼儿园")).toEqual(["幼儿", "幼儿园"]);
    expect(tokenize("义务教育")).not.toContain("务教");
  });
});
