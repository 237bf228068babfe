/**
 * A citation names the passage's section: the passage's own heading (an annex's or a table's title)
 * whole, the headings above it shortened. Real headings: 金山's 2019 kindergarten notice (annex 5)
 * and 青岛's 2021 work summary.
 */
import { describe, expect, it } from "vitest";
import { sourceLabel } from "../../src/core/answer/attribution.js";
import type { DocumentMeta, Passage } from "../../src/core/types.js";

const doc = (title: string, year: number): DocumentMeta => ({ id: "d", file: "d.doc", title, year, script: "Hans", contentHash: "0" }) as DocumentMeta;
const passage = (headingPath: string[], text: string): Passage => ({ id: "d#p001", docId: "d", ordinal: 1, kind: "table-row", headingPath, text, folded: text, redactions: [] });

describe("the source label of a citation", () => {
  it("quotes the passage's own heading whole and shortens the long headings above it", () => {
    const annex = passage(["2019年金山区幼儿园招生入园工作实施意见", "附件5 金山区来沪人员随迁子女申请就读公办幼儿园积分表"], "二级指标：3.招生地段内租赁住房｜分值：10");
    expect(sourceLabel(doc("2019年金山区幼儿园招生入园工作实施意见", 2019), annex)).toBe("《2019年金山区幼儿园招生入园工作实施意见》 附件5 金山区来沪人员随迁子女申请就读公办幼儿园积分表");
    const nested = passage(["2021年青岛市教育工作总结", "五、立足人民至上理念,持续优化为民服务举措,切实增强群众教育获得感", "1.加快推进新优质学校建设"], "…");
    expect(sourceLabel(doc("2021年青岛市教育工作总结", 2021), nested)).toBe("《2021年青岛市教育工作总结》 五、立足人民至上理念,持续优化为民服务举措,切实增强… › 1.加快推进新优质学校建设");
  });
});
