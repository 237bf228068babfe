import { describe, expect, it } from "vitest";
import { chunkBlocks } from "../../src/core/ingest/chunk.js";
import { pipeTableAt, splitPipeRow } from "../../src/core/ingest/pipe-table.js";
import { structureDocument } from "../../src/core/ingest/structure.js";

// A catchment table as a reader hands it over: the merged 街道 cell already filled on every row it spans.
const catchment = [
  "三、招生地段",
  "",
  "2019年示例区公办幼儿园招生地段表",
  "",
  "| 街道 | 学校 | 招生范围 |",
  "| --- | :---: | --- |",
  "| 华阳路街道 | 示例实验幼儿园 | 华阳路街道：安化路、长宁路（单号） |",
  "| 华阳路街道 | 示例二幼 | 定西路 1277 号\\|1279 号 |",
  "| 江苏路街道 | 示例三幼 | 江苏路（双）114-320 弄 |",
  "",
  "其他地段另行公布。",
];

// 金山's catchment annex (../shared/eval/external/12.金山政策.doc, as its .docx reads): laid out across —
// the first column names the rows, each other column is a kindergarten, and each block starts again
// with a row of kindergartens under 幼儿园. The 招生区域 cell is merged down over the plan row.
const across = [
  "附件3 2019年石化城区幼儿园招生地段划分表",
  "",
  "| 幼儿园 | 实验分部（金海岸部) | 实验总部（金天地部） | 艺术分部（海棠部） |",
  "| --- | --- | --- | --- |",
  "| 招生区域 | 1.金海岸花园 | 1.金天地 2.金瀚园 3.三岛龙洲 | 1.海棠新村 2.海浒新村 |",
  "| 招生区域 | 3个小班（75人） | 4个小班（100人） | 2个小班（50人） |",
  "| 幼儿园 | 金悦幼儿园 (总部） | 金悦幼儿园（世外部） | 豪庭幼儿园 |",
  "| 招生区域 | 1.水韵紫城 2.水韵悦城 | 1.香颂湾 | 1.金山豪庭 2.宝华海湾城 |",
  "|  | 5个小班（125人） | 5个小班（125人） | 2个小班（50人） |",
  "",
];

describe("a table laid out across, in blocks", () => {
  it("makes one passage per record, its name with the values below it", () => {
    const rows = structureDocument(across, "通知").blocks.filter((b) => b.kind === "table-row");
    expect(rows.map((r) => r.text)).toEqual([
      "幼儿园：实验分部（金海岸部)｜招生区域：1.金海岸花园；3个小班（75人）",
      "幼儿园：实验总部（金天地部）｜招生区域：1.金天地 2.金瀚园 3.三岛龙洲；4个小班（100人）",
      "幼儿园：艺术分部（海棠部）｜招生区域：1.海棠新村 2.海浒新村；2个小班（50人）",
      "幼儿园：金悦幼儿园 (总部）｜招生区域：1.水韵紫城 2.水韵悦城；5个小班（125人）",
      "幼儿园：金悦幼儿园（世外部）｜招生区域：1.香颂湾；5个小班（125人）",
      "幼儿园：豪庭幼儿园｜招生区域：1.金山豪庭 2.宝华海湾城；2个小班（50人）",
    ]);
    expect(rows[5]!.fields).toEqual({ 幼儿园: "豪庭幼儿园", 招生区域: "1.金山豪庭 2.宝华海湾城；2个小班（50人）" });
  });

  it("leaves a table read down as it is: no block starts again, or its first column names no row twice", () => {
    const down = structureDocument(catchment, "通知").blocks.filter((b) => b.kind === "table-row");
    expect(down[0]!.text.startsWith("街道：华阳路街道｜学校：")).toBe(true);
    const once = ["| 项目 | 甲校 | 乙校 |", "| --- | --- | --- |", "| 项目 | 一 | 二 |", "| 招生人数 | 40 | 50 |", "| 招生范围 | 东区 | 西区 |", ""];
    expect(structureDocument(once, "通知").blocks.filter((b) => b.kind === "table-row")[0]!.text).toBe("项目：项目｜甲校：一｜乙校：二");
  });
});

describe("pipe tables", () => {
  it("splits cells and keeps an escaped pipe as text", () => {
    expect(splitPipeRow("| a | b\\|c | |")).toEqual(["a", "b|c", ""]);
    const table = pipeTableAt(catchment, 4)!;
    expect(table.columns).toEqual(["街道", "学校", "招生范围"]);
    expect(table.rows).toHaveLength(3);
    expect(table.end).toBe(9);
    // A blank header cell over row numbers is 序号, any other blank one 列N.
    const numbered = pipeTableAt(["|  | 信息验证点 |  |", "| --- | --- | --- |", "| 1 | 松江区茸北中心幼儿园 | 茸梅居委会 |", "| 2 | 上海市松江区蓝天幼儿园 | 北门居委会 |"], 0)!;
    expect(numbered.columns).toEqual(["序号", "信息验证点", "列3"]);
  });

  it("makes one passage per row that repeats the column names, under the table's caption", () => {
    const { blocks, stats } = structureDocument(catchment, "通知");
    const rows = blocks.filter((b) => b.kind === "table-row");
    expect(stats).toMatchObject({ tables: 1, tableRows: 3 });
    expect(rows[0]!.text).toBe("街道：华阳路街道｜学校：示例实验幼儿园｜招生范围：华阳路街道：安化路、长宁路（单号）");
    expect(rows[1]!.fields).toEqual({ 街道: "华阳路街道", 学校: "示例二幼", 招生范围: "定西路 1277 号|1279 号" });
    expect(rows[2]!.headingPath).toEqual(["通知", "三、招生地段", "2019年示例区公办幼儿园招生地段表"]);
    // The caption is not repeated as a paragraph; the line after the table is ordinary text.
    expect(blocks.filter((b) => b.kind === "paragraph").map((b) => b.text)).toEqual(["其他地段另行公布。"]);
  });

  it("keeps every row its own passage after chunking, however short", () => {
    const passages = chunkBlocks("d", structureDocument(catchment, "通知").blocks);
    expect(passages.filter((p) => p.kind === "table-row")).toHaveLength(3);
    expect(passages.find((p) => p.text.startsWith("街道：江苏路街道"))!.fields?.学校).toBe("示例三幼");
  });

  it("keeps a long row whole up to 1,500 characters, and repeats its first cell in every part beyond", () => {
    const streets = Array.from({ length: 40 }, (_, i) => `示例路${i + 1}号至${i + 100}号。`).join("");
    const long = Array.from({ length: 250 }, (_, i) => `长宁路${i + 1}弄。`).join("") + streets;
    const lines = ["| 园名 | 招生地段 |", "| --- | --- |", `| 愚一 | ${streets} |`, `| 愚五 | ${long} |`];
    const passages = chunkBlocks("d", structureDocument(lines, "T").blocks);
    const first = passages.filter((p) => p.fields?.园名 === "愚一");
    expect(first).toHaveLength(1);
    expect(first[0]!.text.length).toBeGreaterThan(320);
    const second = passages.filter((p) => p.fields?.园名 === "愚五");
    expect(second.length).toBeGreaterThan(1);
    for (const part of second) expect(part.text.startsWith("园名：愚五｜"), part.text.slice(0, 20)).toBe(true);
  });

  it("skips a header row repeated on the next page and a row with no cells", () => {
    const lines = ["| 序号 | 园名 |", "| --- | --- |", "| 1 | 愚一 |", "| 序号 | 园名 |", "|  |  |", "| 2 | 愚五 |"];
    const rows = structureDocument(lines, "T").blocks;
    expect(rows.map((b) => b.text)).toEqual(["序号：1｜园名：愚一", "序号：2｜园名：愚五"]);
  });

  it("reads a table under an annex heading with the annex title in the path", () => {
    const lines = ["正文。", "附件2", "2019年托幼机构信息", "| 单位 | 电话 |", "| --- | --- |", "| 兰兰托儿所 | 62599550 |"];
    const row = structureDocument(lines, "T").blocks.find((b) => b.kind === "table-row")!;
    expect(row.headingPath).toEqual(["T", "附件2 2019年托幼机构信息"]);
    expect(row.text).toBe("单位：兰兰托儿所｜电话：62599550");
  });
});
