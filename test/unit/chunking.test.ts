import { describe, expect, it } from "vitest";
import { processDocument } from "../../src/core/ingest/process-document.js";
import { structureDocument, splitHeadingLine } from "../../src/core/ingest/structure.js";
import { chunkBlocks } from "../../src/core/ingest/chunk.js";
import { splitSentences } from "../../src/core/text/sentences.js";
import { extractFigures } from "../../src/core/text/figures.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import { cleanDocument } from "../../src/core/text/clean/clean-document.js";
import { createMojibakeModel } from "../../src/node/jieba-segmenter.js";
import { corpusText, FILES } from "../helpers.js";

const mojibake = createMojibakeModel();
const process = (file: string, title?: string) =>
  processDocument({ file, text: corpusText(file), contentHash: "test", mojibake, ...(title ? { sidecar: { title } } : {}) });

describe("structure and heading paths", () => {
  it("nests numbered items under their chapter in the 2024 summary", () => {
    const { passages } = process(FILES.summary2024, "2024年以来青岛市教育工作总结");
    const p = passages.find((x) => x.text.includes("全市新增公办园22所"))!;
    expect(p.headingPath).toEqual(["2024年以来青岛市教育工作总结", "一、突出扩优提质，在“上好学”上取得新进展", "1.加快推进新优质学校建设"]);
  });

  it("uses —— headings in the speech", () => {
    const { passages } = process(FILES.speech);
    const p = passages.find((x) => x.text.includes("国有公司运营"))!;
    expect(p.headingPath[1]).toBe("——聚焦家长需求全时段解决家长后顾之忧");
  });

  it("splits a heading line into heading and body", () => {
    expect(splitHeadingLine("1.加快推进新优质学校建设。统筹学龄人口排浪式变化趋势").heading).toBe("1.加快推进新优质学校建设");
    expect(splitHeadingLine("一、立足教育優質均衡,全力推進擴優提質行動")).toEqual({ heading: "一、立足教育優質均衡,全力推進擴優提質行動", body: "" });
  });

  it("finds the 2020 priorities' two title lines and 26 numbered items", () => {
    const { passages, meta } = process(FILES.priorities2020);
    expect(meta.title).toBe("2020年全市教育工作要點");
    const items = new Set(passages.map((p) => p.headingPath[2]).filter(Boolean));
    expect(items.size).toBe(26);
    const info = passages.find((p) => p.kind === "document-info")!;
    expect(info.text).toContain("發文編號：青教工委[2020]2號");
  });
});

describe("the 2021 targets table", () => {
  const { passages } = process(FILES.targets2021);
  const rows = passages.filter((p) => p.kind === "table-row");

  it("turns each row into passages that carry category, number and target name", () => {
    const heart = rows.find((p) => p.text.includes("组织专家讲座300场"))!;
    expect(heart.headingPath.slice(1)).toEqual(["重点目标", "3.完善促进学生德智体美劳全面发展的体制机制"]);
    expect(heart.fields).toMatchObject({ 类别: "重点目标", 序号: "3", 目标名称: "完善促进学生德智体美劳全面发展的体制机制" });
  });

  it("carries a merged category cell down to the rows below it", () => {
    const names = new Set(rows.map((p) => p.headingPath.slice(1).join(" › ")));
    expect([...names].filter((n) => n.startsWith("重点目标"))).toHaveLength(7);
    expect([...names].filter((n) => n.startsWith("创优目标"))).toHaveLength(2);
  });

  it("keeps the 标杆城市 continuation line with its row", () => {
    const row = rows.filter((p) => p.headingPath[2]?.startsWith("2.实施校地融合攻坚"));
    expect(row.map((p) => p.text).join("\n")).toContain("标杆城市：深圳市、上海市");
  });

  it("keeps the header line with the contact phone as a passage", () => {
    expect(passages.some((p) => p.text.includes("联系电话：85912945"))).toBe(true);
  });
});

describe("chunk sizes", () => {
  const all = Object.values(FILES).flatMap((f) => process(f).passages);

  it("never cuts a sentence or a figure in half", () => {
    for (const p of all) {
      if (p.kind === "document-info" || p.kind === "table-row") continue;
      // Every passage ends at a sentence end (or is a whole block).
      expect(p.text.trim(), p.id).toMatch(/[。！？”;；）)…]$|[\u3400-\u9fff\d%]$/);
    }
    // Every figure of the cleaned body is found whole in some passage: no chunk boundary split one.
    for (const file of Object.values(FILES)) {
      const { blocks } = structureDocument(cleanDocument(corpusText(file), { mojibake }).lines, "t");
      const body = foldForMatching(blocks.map((b) => b.text).join("\n"));
      const inPassages = new Set(process(file).passages.flatMap((p) => extractFigures(p.folded).map((f) => f.text)));
      for (const figure of extractFigures(body)) expect(inPassages, `${file}: ${figure.text}`).toContain(figure.text);
    }
  });

  it("bounds passage size and merges tiny fragments", () => {
    for (const p of all) expect(p.text.length, p.id).toBeLessThanOrEqual(620);
    const small = all.filter((p) => p.kind === "paragraph" && p.text.length < 60);
    expect(small.map((p) => p.id)).toEqual([]);
  });

  it("packs sentences up to the limit", () => {
    const long = corpusText(FILES.summary2024).split("\n")[4]!;
    const { blocks } = structureDocument([long], "t");
    const chunks = chunkBlocks("d", blocks, { maxChars: 120, hardMaxChars: 600, minChars: 20 });
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map((c) => c.text).join("")).toBe(splitSentences(long).map((s) => s.trim()).join(""));
  });

  it("keeps a bracketed note after a sentence's end with that sentence, never an enumerator", () => {
    // 松江's notice (附件1, 三、有关说明): the address of the school named is a note after the full stop.
    const line = "2．智力、听力等有障碍且需接受特殊教育的适龄幼儿，可到松江区辅读学校咨询或登记。（地址：松江区小昆山镇大港浦港路108号）";
    expect(splitSentences(line)).toEqual([line]);
    expect(splitSentences("可到辅读学校登记。（地址：大港浦港路108号）\n其他幼儿按规定报名。")).toEqual(["可到辅读学校登记。（地址：大港浦港路108号）", "\n其他幼儿按规定报名。"]);
    // A bracket followed by more text on its line labels that text.
    expect(splitSentences("可以登记。（外省市户籍）幼儿家长须持居住证报名。")).toEqual(["可以登记。", "（外省市户籍）幼儿家长须持居住证报名。"]);
    // A numbered item opens the next sentence; a bracket that opens a clause is not a note.
    expect(splitSentences("完成验证。（二）公布结果。")).toEqual(["完成验证。", "（二）公布结果。"]);
    expect(splitSentences("完成验证。（见附件1），再报名。")).toEqual(["完成验证。", "（见附件1），再报名。"]);
  });
});

describe("index hygiene on the real corpus", () => {
  it("no passage contains a pinyin gloss, bookmark, captcha or mojibake", () => {
    const all = Object.values(FILES).flatMap((f) => process(f).passages);
    for (const p of all) {
      expect(p.text, p.id).not.toMatch(/[\u3400-\u9fff]\([a-zü\u00e0-\u01dc]+\)/);
      expect(p.text, p.id).not.toMatch(/\[bookmark:/);
      expect(p.folded, p.id).not.toMatch(/验证码/);
      expect(p.text, p.id).not.toMatch(/耙恍|\uFFFD/);
    }
  });
});
