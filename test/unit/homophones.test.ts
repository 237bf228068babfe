import { beforeAll, describe, expect, it } from "vitest";
import { buildHomophoneTable, fuzzyKeys, homophoneCorrections, type HomophoneTable } from "../../src/core/knowledge/homophones.js";
import { loadCedict } from "../../src/node/knowledge.js";

let table: HomophoneTable;

beforeAll(async () => {
  table = buildHomophoneTable(await loadCedict());
}, 60_000);

describe("homophone typos (CC-CEDICT readings)", () => {
  it("groups characters by toneless reading", () => {
    expect(table.fang).toContain("访");
    expect(table.fang).toContain("仿");
    expect(table.jin).toContain("近");
    expect(table.jin).toContain("进");
    expect(table.lv).toContain("绿");
  });

  const targets = { 家访: [6, 3], 近视: [5, 2], 幼儿园: [4, 40], 统一: [3, 9] };

  it("an unknown word one same-sounding character away from a corpus term is that term", () => {
    expect(homophoneCorrections(["老师", "现在", "还", "上门", "家仿", "吗"], table, targets)).toEqual([{ from: "家仿", term: "家访" }]);
    expect(homophoneCorrections(["孩子", "眼睛", "进视", "越来越", "重"], table, targets)).toEqual([{ from: "进视", term: "近视" }]);
    expect(homophoneCorrections(["老大", "在", "上", "幼儿圆"], table, targets)).toEqual([{ from: "幼儿圆", term: "幼儿园" }]);
  });

  it("hears syllables as pinyin input methods' fuzzy-pinyin options do, one blur at a time: 报民 is 报名, 长林 is not 长宁", () => {
    const alike = (a: string, b: string) => fuzzyKeys(a).some((k) => fuzzyKeys(b).includes(k));
    expect(alike("ming", "min")).toBe(true);
    expect(alike("zhi", "zi")).toBe(true);
    expect(alike("nan", "lan")).toBe(true);
    expect(alike("hu", "fu")).toBe(true);
    // Initial and final both blurred is another syllable (林 lin, 宁 ning; 岑 cen, 程 cheng).
    expect(alike("lin", "ning")).toBe(false);
    expect(alike("cen", "cheng")).toBe(false);
    // r is heard as itself (r/l would make n and r one sound through l).
    expect(alike("ren", "len")).toBe(false);
    expect(alike("ren", "nen")).toBe(false);
    expect(alike("ming", "meng")).toBe(false);
    const enrol = { 报名: [5, 30], 资格: [3, 4], 长宁: [4, 20] };
    expect(homophoneCorrections(["幼儿园", "网上", "报民"], table, enrol)).toEqual([{ from: "报民", term: "报名" }]);
    // 知 (zhi) for 资 (zi) is one fuzzy sound; 告 (gao) for 名 (ming) is not, however it is heard.
    expect(homophoneCorrections(["知格"], table, enrol)).toEqual([{ from: "知格", term: "资格" }]);
    expect(homophoneCorrections(["报告"], table, enrol)).toEqual([]);
    expect(homophoneCorrections(["长林", "幼儿园"], table, enrol)).toEqual([]);
  });

  it("a word of the general vocabulary, a different sound, or a span across tokens is taken as written", () => {
    expect(homophoneCorrections(["同一"], table, targets, (w) => w === "同一")).toEqual([]);
    expect(homophoneCorrections(["家访"], table, targets)).toEqual([]);
    expect(homophoneCorrections(["家长"], table, targets)).toEqual([]);
    expect(homophoneCorrections(["家", "仿"], table, targets)).toEqual([]);
  });
});
