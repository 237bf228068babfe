import { describe, expect, it } from "vitest";
import { processDocument } from "../../src/core/ingest/process-document.js";
import { extractTextMetadata, parseChineseDate } from "../../src/core/ingest/text-metadata.js";
import { titleFromLines, splitPageTitle } from "../../src/core/ingest/title.js";
import { createMojibakeModel } from "../../src/node/jieba-segmenter.js";

const mojibake = createMojibakeModel();

// The shape of a bureau notice as a PDF export gives it: spaced 红头, 发文字号, a title on two lines,
// the 落款 before the annexes and the 版记 at the very end. Names and numbers are made up.
const notice = [
  "上 海 市 示 例 区 教 育 局 文 件",
  "示教〔2019〕15 号",
  "示例区教育局关于做好 2019 年",
  "学前教育阶段适龄幼儿入园工作的通知",
  "各托幼机构：",
  "为做好本区2019年学前教育阶段适龄幼儿入园工作，现通知如下：",
  "一、工作原则",
  "1. 统一部署。根据全市入园工作要求，统一谋划、统一部署。",
  "二、其他",
  "本通知自2019年5月1日起施行。",
  "示 例 区 教 育 局",
  "2019 年 4 月 15 日",
  "附件 1",
  "示例区信息苑一览表",
  "周桥苑位于长宁路1488弄。",
  "示例区教育局办公室 2019 年 4 月 15 日印发",
].join("\n");

describe("metadata from an official notice's text", () => {
  const { meta, passages, report } = processDocument({ file: "notice.pdf", text: notice, contentHash: "t", mojibake });

  it("joins the two-line title and reads number, issuer, date, year and effective date", () => {
    expect(meta).toMatchObject({
      title: "示例区教育局关于做好2019年学前教育阶段适龄幼儿入园工作的通知",
      docNumber: "示教〔2019〕15号",
      issuer: "示例区教育局",
      publishedAt: "2019-04-15",
      year: 2019,
      effective: "自2019年5月1日起施行",
      kind: "通知",
    });
    expect(report.found?.metadata).toEqual(["title", "docNumber", "issuer", "publishedAt", "year", "effective", "printed"]);
    expect(report.dropped).toBeUndefined();
  });

  it("takes the header and 落款 lines out of the body and keeps them in the document-info passage", () => {
    const body = passages.filter((p) => p.kind !== "document-info").map((p) => p.text).join("\n");
    expect(body).not.toMatch(/文 件|示教〔2019〕|2019 年 4 月 15 日|印发/);
    const info = passages.find((p) => p.kind === "document-info")!;
    // The 红头 heads the passage as written: no line of the source goes unindexed.
    expect(info.text.split("\n").slice(0, 2)).toEqual(["上 海 市 示 例 区 教 育 局 文 件", "示例区教育局关于做好 2019 年"]);
    expect(info.text).toContain("发文字号：示教〔2019〕15号");
    expect(info.text).toContain("落款：示例区教育局 2019 年 4 月 15 日");
    // The 版记's 印发日期 (GB/T 9704—2012 7.4.2) leaves the body; the same date as the 落款's is said once.
    expect(info.text).not.toContain("印发日期");
    const later = processDocument({ file: "notice.pdf", text: notice.replace("示例区教育局办公室 2019 年 4 月 15 日印发", "示例区教育局办公室 2019 年 4 月 18 日印发"), contentHash: "t2", mojibake });
    expect(later.passages.find((p) => p.kind === "document-info")!.text).toContain("印发日期：2019年4月18日");
    expect(later.meta.publishedAt).toBe("2019-04-15");
    expect(passages.find((p) => p.text.startsWith("周桥苑"))!.headingPath).toEqual([meta.title, "附件1 示例区信息苑一览表"]);
  });

  it("lets documents.json override what the text says", () => {
    const withSidecar = processDocument({ file: "notice.pdf", text: notice, contentHash: "t", mojibake, sidecar: { title: "入园通知", year: 2020, issuer: "某局" } });
    expect(withSidecar.meta).toMatchObject({ title: "入园通知", year: 2020, issuer: "某局", docNumber: "示教〔2019〕15号" });
    expect(withSidecar.report.found?.metadata).toEqual(["docNumber", "publishedAt", "effective", "printed"]);
  });
});

describe("metadata patterns", () => {
  it("reads document numbers with 〔〕, [] and （） brackets", () => {
    const cases: Array<[string, string]> = [
      ["沪松教〔2019〕50 号", "沪松教〔2019〕50号"],
      ["青教工委[2020]2号", "青教工委[2020]2号"],
      ["金教基（2019）6号", "金教基（2019）6号"],
      ["文号：穗天教规字〔2024〕1号", "穗天教规字〔2024〕1号"],
    ];
    for (const [line, number] of cases) {
      expect(extractTextMetadata(["标题", line, "正文。"]).meta.docNumber, line).toBe(number);
    }
    // A number cited in a sentence is another document's.
    expect(extractTextMetadata(["根据《办法》（穗天教规字〔2024〕1号）申报积分。"]).meta.docNumber).toBeUndefined();
  });

  it("parses Arabic and Chinese-numeral dates", () => {
    expect(parseChineseDate("二〇一九年四月一日")).toBe("2019-04-01");
    expect(parseChineseDate("二〇二四年十二月二十一日")).toBe("2024-12-21");
    expect(parseChineseDate("2026年 4月 20 日")).toBe("2026-04-20");
    expect(parseChineseDate("2019年4月")).toBe("2019-04");
    expect(parseChineseDate("2019年4月15日，公布招生政策。")).toBeUndefined();
  });

  it("reads a 落款 dated in Chinese numerals and a period of validity", () => {
    const { meta, found } = extractTextMetadata(["各区教育局：", "本方案有效期为2年。", "示例市教育委员会", "二〇一九年四月一日"]);
    expect(meta).toMatchObject({ issuer: "示例市教育委员会", issuedAt: "2019-04-01", year: 2019, effective: "有效期为2年" });
    expect(found).toEqual(["issuer", "issuedAt", "year", "effective"]);
    // `有效期内的《居住证》` is about a permit.
    expect(extractTextMetadata(["持有效期内的《上海市居住证》报名。"]).meta.effective).toBeUndefined();
  });

  it("never takes table cells for a 落款", () => {
    const lines = ["\t单位", "\t日期", "", "\t市教育局", "\t2021年12月", "", "正文。"];
    expect(extractTextMetadata(lines)).toMatchObject({ lines, found: [] });
  });

  it("takes a 红头 issuer when there is no 落款, and a regulation's latest amendment as its date", () => {
    expect(extractTextMetadata(["上海市松江区教育局（意见）", "正文。"]).meta.issuer).toBe("上海市松江区教育局");
    const law = extractTextMetadata([
      "1993年2月6日 某市人民代表大会常务委员会第四十一次会议通过",
      "2024年9月27日 某市人民代表大会常务委员会第十六次会议第二次修正）",
      "第一条 为了保障权利，制定本办法。",
    ]);
    expect(law.meta.history).toHaveLength(2);
    expect(law.meta.issuedAt).toBe("2024-09-27");
    expect(law.lines).toEqual(["第一条 为了保障权利，制定本办法。"]);
  });
});

describe("titles", () => {
  it("prefers the enclosed document of 关于印发《X》的通知 when X follows, else the whole notice title", () => {
    expect(titleFromLines(["关于印发《2020年全市教育工作要点》的通知", "2020年全市教育工作要点"])).toBe("2020年全市教育工作要点");
    expect(titleFromLines(["示例区教育局关于印发《2026年幼儿园招生工作方案》的通知"])).toBe("示例区教育局关于印发《2026年幼儿园招生工作方案》的通知");
    expect(titleFromLines(["2019 年松江区学前教育阶段招生工作实施意见"])).toBe("2019年松江区学前教育阶段招生工作实施意见");
  });

  it("drops a site name from a page title", () => {
    expect(splitPageTitle("2025年度积分制入户工作热点13问-广州市人力资源和社会保障局网站")).toEqual({
      title: "2025年度积分制入户工作热点13问",
      site: "广州市人力资源和社会保障局",
    });
    expect(splitPageTitle("2026年广州市天河区积分制入学学位申请指引").title).toBe("2026年广州市天河区积分制入学学位申请指引");
  });
});
