/**
 * Structure, titles and metadata on real documents other bureaus published (../shared/eval/external,
 * see its PROVENANCE.md; read in place, never copied into the project), through today's readers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { processDocument, type ProcessedDocument } from "../../src/core/ingest/process-document.js";
import { createMojibakeModel } from "../../src/node/jieba-segmenter.js";
import { readDocument } from "../../src/node/readers/read-document.js";

const EXTERNAL = join(import.meta.dirname, "..", "..", "..", "shared", "eval", "external");
const mojibake = createMojibakeModel();

async function ingest(relative: string): Promise<ProcessedDocument> {
  const file = relative.split("/").pop()!;
  const read = await readDocument(file, new Uint8Array(readFileSync(join(EXTERNAL, relative))));
  return processDocument({ file, text: read.text, contentHash: "test", mojibake, ...(read.title ? { readerTitle: read.title } : {}) });
}

const articles = (doc: ProcessedDocument) => doc.passages.filter((p) => /^第[一二三四五六七八九十百]+条/.test(p.text));

describe("上海市实施《义务教育法》办法 (Markdown regulation)", () => {
  let doc: ProcessedDocument;
  beforeAll(async () => {
    doc = await ingest("上海市实施《义务教育法》办法(2024-09-27).md");
  });

  it("is titled by its # heading, not by its first amendment note", () => {
    expect(doc.meta.title).toBe("上海市实施《中华人民共和国义务教育法》办法");
    expect(doc.meta.kind).toBe("法规");
  });

  it("is chunked one passage per 条, 52 in all, each under its 章 with 第N条 at the start", () => {
    expect(articles(doc)).toHaveLength(52);
    expect(doc.report.found?.articles).toBe(52);
    const first = doc.passages[0]!;
    expect(first.headingPath).toEqual(["上海市实施《中华人民共和国义务教育法》办法", "第一章 总 则"]);
    expect(first.text).toMatch(/^第一条 为了保障适龄儿童、少年享有平等接受义务教育的权利/);
    const fourteenth = doc.passages.find((p) => p.text.startsWith("第十四条"))!;
    expect(fourteenth.headingPath[1]).toBe("第二章 就学管理");
    // The short 第二条 stays its own passage instead of merging into a neighbour.
    expect(doc.passages.find((p) => p.text.startsWith("第二条"))!.text).toBe("第二条 本市行政区域内义务教育的实施及其有关管理活动，适用本办法。");
    // An article's enumerated items stay inside it.
    const fortyNinth = doc.passages.find((p) => p.text.startsWith("第四十九条"))!;
    expect(fortyNinth.text).toContain("\n（五）对违反学校管理制度的学生予以开除或者劝退的。");
    expect(fortyNinth.headingPath[1]).toBe("第六章 法律责任");
  });

  it("reads the amendment history and the effective date as metadata, not as text", () => {
    expect(doc.meta.publishedAt).toBe("2024-09-27");
    expect(doc.meta.year).toBe(2024);
    expect(doc.meta.effective).toBe("自2009年6月1日起施行");
    expect(doc.report.found?.metadata).toEqual(expect.arrayContaining(["title", "publishedAt", "year", "effective", "history"]));
    const body = doc.passages.filter((p) => p.kind !== "document-info");
    expect(body.some((p) => /会议通过|INFO END/.test(p.text))).toBe(false);
    const info = doc.passages.find((p) => p.kind === "document-info")!;
    expect(info.text).toContain("1993年2月6日 上海市第九届人民代表大会常务委员会第四十一次会议通过");
  });

  it("gives the same structure from the GBK text copy", async () => {
    const gbk = await ingest("derived/上海市实施义务教育法办法-gbk.txt");
    expect(gbk.meta.title).toBe(doc.meta.title);
    expect(articles(gbk).map((p) => p.text)).toEqual(articles(doc).map((p) => p.text));
    expect(gbk.passages.find((p) => p.text.startsWith("第五十二条"))!.headingPath[1]).toBe("第七章 附 则");
  });
});

describe("article_38466.md (Traditional news article with front matter)", () => {
  let doc: ProcessedDocument;
  beforeAll(async () => {
    doc = await ingest("article_38466.md");
  });

  it("takes title, date and author from the YAML front matter instead of titling the document ---", () => {
    expect(doc.meta.title).toBe("教育部：不得要求家長檢查、批改作業");
    expect(doc.meta.publishedAt).toBe("2021-02-23");
    expect(doc.meta.year).toBe(2021);
    expect(doc.meta.issuer).toBe("眾新聞中國組");
    expect(doc.meta.script).toBe("Hant");
  });

  it("removes the shortcode, the figure markup and the subscription footer, and says so", () => {
    const text = doc.passages.map((p) => p.text).join("\n");
    expect(text).not.toMatch(/\{\{<|<figure|<img|figcaption|訂戶|hkcnews\.com|^---$|title:/m);
    expect(text).toContain("不得給家長佈置或變相佈置作業，不得要求家長檢查和批改作業。");
    expect(doc.report.dropped).toMatchObject({ frontMatter: 11, shortcodes: 1, footerLines: 2 });
    expect(doc.report.dropped!.htmlTags).toBeGreaterThanOrEqual(8);
  });
});

describe("2019年长宁区学前教育招生问答口径.docx (numbered Q&A)", () => {
  let doc: ProcessedDocument;
  beforeAll(async () => {
    doc = await ingest("derived/2019年长宁区学前教育招生问答口径.docx");
  });

  it("makes ten Q&A passages, one per numbered question", () => {
    const qa = doc.passages.filter((p) => p.kind === "qa");
    expect(qa).toHaveLength(10);
    expect(doc.report.found?.qaPairs).toBe(10);
    const seventh = qa[6]!;
    expect(seventh.question).toBe("区指定报名验证点在哪里？哪些人可以去指定报名验证点进行报名验证？是否需要带幼儿？");
    expect(seventh.headingPath).toEqual(["2019年长宁区学前教育招生问答口径", seventh.question]);
    expect(seventh.text).toBe(
      "今年区指定报名验证点安排在新渔东路242号。\n本市集体户口、父母一方持《上海市居住证》且积分达标准分值、港澳台外籍适龄幼儿的家长可到上述地点进行报名验证。\n到区指定报名验证点无需带幼儿。",
    );
  });

  it("keeps a multi-paragraph answer whole, its 阶段 lines included", () => {
    const second = doc.passages.find((p) => p.question === "适龄幼儿入园工作主要分为几个阶段？")!;
    expect(second.text).toMatch(/^适龄幼儿入园工作主要分为信息登记、报名验证和录取通知三个阶段。/);
    expect(second.text).toContain("阶段三：录取通知（7月15日前）");
  });

  it("takes the year from the closing date line and keeps that line out of the last answer", () => {
    expect(doc.meta.title).toBe("2019年长宁区学前教育招生问答口径");
    expect(doc.meta.year).toBe(2019);
    const last = doc.passages.find((p) => p.question === "中班、大班年龄的幼儿是否可以插班？")!;
    expect(last.text.endsWith("家长可同时咨询民办幼儿园。")).toBe(true);
  });
});

describe("05.长宁政策.pdf (notice with item headings and a 红头)", () => {
  let doc: ProcessedDocument;
  beforeAll(async () => {
    doc = await ingest("05.长宁政策.pdf");
  });

  it("keeps the case an item heading names in the text its answer is quoted from", () => {
    const notReached = doc.passages.find((p) => p.text.includes("江一托儿所（愚园路1000号）"))!;
    expect(notReached.headingPath.slice(1)).toEqual(["二、工作内容", "㈡报名验证", "2.非本市户籍适龄幼儿", "⑷父母一方持上海市居住证但积分未达到标准分值"]);
    expect(notReached.text.startsWith("⑷父母一方持上海市居住证但积分未达到标准分值\n家长须带领适龄幼儿并携带登记表")).toBe(true);
    const collective = doc.passages.filter((p) => p.headingPath[p.headingPath.length - 1] === "⑶上海市集体户籍适龄幼儿");
    expect(collective[0]!.text).toBe(
      "⑶上海市集体户籍适龄幼儿\n家长须携带登记表至新渔东路242号报名验证。\n所需材料(原件及复印件)：适龄幼儿的集体户籍证明、出生证、在长宁区的有效居住证明（上海市房地产登记证明或房屋租赁合同登记备案证明）。",
    );
    // Written once: the next passage of the same item has it in its path only.
    expect(collective[1]!.text.startsWith("区学前教育招生工作小组")).toBe(true);
  });

  it("heads the document-info passage with the 红头", () => {
    const info = doc.passages.find((p) => p.kind === "document-info")!;
    expect(info.text.split("\n")).toEqual([
      "上海市长宁区教育局文件",
      "长宁区教育局关于做好2019年学前教育阶段适龄幼儿入园工作的通知",
      "发文字号：长教〔2019〕15号",
      "落款：长宁区教育局 2019年4月15日",
    ]);
  });
});

describe("12.金山政策.docx (notice with annex tables)", () => {
  let doc: ProcessedDocument;
  beforeAll(async () => {
    doc = await ingest("derived/12.金山政策.docx");
  });

  it("reads number, issuer, date and title from the text", () => {
    expect(doc.meta).toMatchObject({
      title: "2019年金山区幼儿园招生入园工作实施意见",
      docNumber: "金教基〔2019〕6号",
      issuer: "金山区教育局",
      publishedAt: "2019-04-15",
      year: 2019,
    });
    const info = doc.passages.find((p) => p.kind === "document-info")!;
    // The lone issuer line at the top (the 版头) heads the passage, as written.
    expect(info.text.startsWith("上海市金山区教育局\n2019年金山区幼儿园招生入园工作实施意见\n发文字号：金教基〔2019〕6号")).toBe(true);
  });

  it("keeps the label of an item heading with the text under it", () => {
    const other = doc.passages.find((p) => p.headingPath[p.headingPath.length - 1] === "（5）其他情况")!;
    expect(other.text.startsWith("（5）其他情况\n")).toBe(true);
  });

  it("nests （一） ⊂ 二、 and 1. ⊂ （一）, and keeps one-sentence items out of the heading path", () => {
    const p = doc.passages.find((x) => x.text.startsWith("2015年9月1日——2016年8月31日期间出生"))!;
    expect(p.headingPath.slice(1)).toEqual(["二、具体要求", "（一）信息登记", "1.登记对象的年龄范围"]);
    const item = doc.passages.find((x) => x.text.includes("（1）本市户籍幼儿及监护人须持有居民身份证。"))!;
    expect(item.headingPath.slice(1)).toEqual(["二、具体要求", "（一）信息登记", "2.登记对象及监护人条件"]);
  });

  it("opens a section per annex with its title", () => {
    expect(doc.report.found?.annexes).toBe(5);
    const annexes = new Set(doc.passages.map((p) => p.headingPath[1]).filter((h) => h?.startsWith("附件")));
    expect([...annexes]).toEqual(expect.arrayContaining(["附件1 2019年金山区公办幼儿园招生信息表", "附件4 金山区公办幼儿园分等定级保育教育费收费标准"]));
    // The annex list in the body is one paragraph, not five headings.
    expect(doc.passages.some((p) => p.text.startsWith("附件：1.2019年金山区公办幼儿园招生信息表\n2.2019年金山区民办幼儿园招生信息表"))).toBe(true);
  });

  it("turns each table row into a passage that names its columns", () => {
    const row = doc.passages.find((p) => p.kind === "table-row" && p.text.includes("金蔷薇幼儿园") && p.text.includes("龙皓路2036号"))!;
    expect(row.text).toMatch(/幼儿园：金蔷薇幼儿园｜报名登记地址：龙皓路2036号/);
    expect(row.fields).toMatchObject({ 幼儿园: "金蔷薇幼儿园", 报名登记地址: "龙皓路2036号" });
    expect(row.headingPath.slice(1)).toEqual(["二、具体要求", "（四）街镇（工业区）幼儿园招生", "1.石化街道及新城区幼儿园招生", "（1）报名验证地点"]);
    const fee = doc.passages.find((p) => p.kind === "table-row" && p.text.includes("保育教育费收费标准：225元/月"))!;
    expect(fee.headingPath[1]).toBe("附件4 金山区公办幼儿园分等定级保育教育费收费标准");
    expect(fee.text).toContain("一级幼儿园");
  });
});

describe("saved web pages", () => {
  it("36_积分制入户2025年度热点13问.html: 13 pairs from numbered bold questions and 答： answers", async () => {
    const doc = await ingest("36_积分制入户2025年度热点13问.html");
    const qa = doc.passages.filter((p) => p.kind === "qa");
    expect(qa).toHaveLength(13);
    expect(qa[0]!.question).toBe("2025年度积分制入户指标有多少个？");
    expect(qa[0]!.text).toBe("根据年度人口迁入计划，2025年度我市积分制入户类指标为1.6万个，与2024年度持平。");
    expect(qa[4]!.text).toBe("2025年度积分制入户申报时间是：2025年10月10日9时至2025年11月10日17时。");
    // An answer's ① ② steps and its second paragraph stay in the pair.
    const flow = qa.find((p) => p.question === "2025年度积分制入户申请流程是怎样的？")!;
    expect(flow.text).toMatch(/^①获得核定积分。/);
    expect(flow.text).toContain("建议申请人尽早提交积分制入户申请");
    expect(doc.meta.title).toBe("2025年度积分制入户工作热点13问");
    expect(doc.meta.issuer).toBe("广州市人力资源和社会保障局");
    expect(doc.meta.year).toBe(2025);
  });

  it("05_幼儿园招生方案_2026.html: the notice title, its 落款 and the enclosed plan as a section", async () => {
    const doc = await ingest("05_幼儿园招生方案_2026.html");
    expect(doc.meta).toMatchObject({
      title: "广州市天河区教育局关于印发《2026年广州市天河区幼儿园招生工作方案》的通知",
      issuer: "广州市天河区教育局",
      publishedAt: "2026-04-20",
      year: 2026,
    });
    const p = doc.passages.find((x) => x.text.includes("（1）现场导入所有幼儿基本信息"))!;
    expect(p.headingPath.slice(1)).toEqual([
      "2026年广州市天河区幼儿园招生工作方案",
      "四、招生工作安排",
      "（三）电脑派位实施（此点仅与教育部门办幼儿园相关）",
      "2.电脑派位录取过程如下",
    ]);
    // `（五）…。` is an item that ends `（三）…`'s section, not a child of it.
    const fifth = doc.passages.find((x) => x.text.includes("（五）幼儿园要建立信息管理制度"))!;
    expect(fifth.headingPath.slice(1)).toEqual(["2026年广州市天河区幼儿园招生工作方案", "五、招生工作要求"]);
    expect(doc.passages.some((x) => x.kind !== "document-info" && /^2026年 4月 20 日$/m.test(x.text))).toBe(false);
  });

  it("02_积分入学指引_2026.html: headings and a cited document number that is not the page's own", async () => {
    const doc = await ingest("02_积分入学指引_2026.html");
    expect(doc.meta.title).toBe("2026年广州市天河区积分制入学学位申请指引");
    expect(doc.meta.docNumber).toBeUndefined();
    const p = doc.passages.find((x) => x.text.includes("6月27日10：00—7月1日15:00"))!;
    expect(p.headingPath.slice(1)).toEqual(["二、申请方式及流程", "（一）填报志愿"]);
  });
});
