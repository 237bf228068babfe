import { beforeAll, describe, expect, it } from "vitest";
import { buildHomophoneTable, homophoneCorrections, type HomophoneTable } from "../../src/core/knowledge/homophones.js";
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

  it("a word of the general vocabulary, a different sound, or a span across tokens is taken as written", () => {
    expect(homophoneCorrections(["同一"], table, targets, (w) => w === "同一")).toEqual([]);
    expect(homophoneCorrections(["家访"], table, targets)).toEqual([]);
    expect(homophoneCorrections(["家长"], table, targets)).toEqual([]);
    expect(homophoneCorrections(["家", "仿"], table, targets)).toEqual([]);
  });
});
