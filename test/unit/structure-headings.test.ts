import { describe, expect, it } from "vitest";
import { matchHeading } from "../../src/core/ingest/headings.js";
import { structureDocument } from "../../src/core/ingest/structure.js";

const pathOf = (lines: string[], needle: string) =>
  structureDocument(lines, "T").blocks.find((b) => b.text.includes(needle))!.headingPath.slice(1);

describe("heading grammar", () => {
  it("recognises every numbering style with its rank", () => {
    const styles = ["第一编 总则", "第二章 就学管理", "第三节 经费", "第十四条 父母", "一、招生对象", "（二）报名", "㈢录取工作", "3.登记时间", "4、信息确认", "（1）本区户籍", "⑵非本市户籍", "2）材料", "①获得核定积分", "## 第一章 总 则", "附件1", "附件 2 招生地段表", "附件："].map(
      (line) => {
        const m = matchHeading(line)!;
        return `${m.style}:${m.rank}`;
      },
    );
    expect(styles).toEqual([
      "part:0", "chapter:1", "section:2", "article:3", "cn:4", "cn-paren:5", "cn-paren:5", "num:6", "num:6",
      "num-paren:7", "num-paren:7", "num-half:8", "circled:9", "markdown:-8", "annex:-0.5", "annex:-0.5", "annex:-0.5",
    ]);
  });

  it("does not take decimals, dates or a year after a number for a numbering", () => {
    expect(matchHeading("2.5万个学位已经建成。")).toBeNull();
    expect(matchHeading("4.15开始报名")).toBeNull();
    expect(matchHeading("1.2025年度积分制入户指标有多少个？")?.style).toBe("num");
    expect(matchHeading("附件1.docx")?.style).toBe("annex");
  });
});

describe("heading paths", () => {
  const notice = [
    "示例区教育局关于做好招生工作的通知",
    "各幼儿园：",
    "现将有关事项通知如下：",
    "一、工作内容",
    "㈠ 信息登记",
    "1. 信息登记对象",
    "2015年9月1日至2016年8月31日出生的适龄幼儿。",
    "⑴ 本市户籍：居民身份证。",
    "⑵ 非本市户籍：居住证",
    "持证人须本人到场。",
    "㈡ 报名验证",
    "报名验证在5月11日进行。",
    "二、工作要求",
    "① 加强组织领导",
    "各园成立领导小组。",
  ];

  it("nests 一、 ⊃ ㈠ ⊃ 1. ⊃ ⑴ and closes a level when a sibling comes", () => {
    expect(pathOf(notice, "2015年9月1日")).toEqual(["一、工作内容", "㈠ 信息登记", "1. 信息登记对象"]);
    expect(pathOf(notice, "持证人须本人到场")).toEqual(["一、工作内容", "㈠ 信息登记", "1. 信息登记对象", "⑵ 非本市户籍：居住证"]);
    expect(pathOf(notice, "报名验证在5月11日")).toEqual(["一、工作内容", "㈡ 报名验证"]);
    expect(pathOf(notice, "各园成立领导小组")).toEqual(["二、工作要求", "① 加强组织领导"]);
  });

  it("takes a whole-sentence item for text, not a heading", () => {
    const { blocks, stats } = structureDocument(notice, "T");
    expect(blocks.find((b) => b.text === "⑴ 本市户籍：居民身份证。")!.headingPath.slice(1)).toEqual(["一、工作内容", "㈠ 信息登记", "1. 信息登记对象"]);
    expect(stats.headings).toBe(7);
  });

  it("keeps an item heading's label (（1） ⑴ 1） ①) in the text of the first paragraph under it, a section title not", () => {
    const { blocks } = structureDocument(notice, "T");
    // ⑵ says whom the line under it is about: it stays in that paragraph's text, and in its path.
    expect(blocks.find((b) => b.text.includes("持证人须本人到场"))!.text).toBe("⑵ 非本市户籍：居住证\n持证人须本人到场。");
    expect(blocks.find((b) => b.text.includes("各园成立领导小组"))!.text).toBe("① 加强组织领导\n各园成立领导小组。");
    // 一、 ㈡ 1. are section titles: the path carries them.
    expect(blocks.find((b) => b.text.includes("报名验证在5月11日"))!.text).toBe("报名验证在5月11日进行。");
    const nested = structureDocument(["一、报名", "⑴本区户籍幼儿", "①人户一致", "到对口幼儿园报名。", "②人户分离", "到居住地幼儿园报名。", "⑵外籍幼儿", "", "| 园名 | 地址 |", "| --- | --- |", "| 虹桥 | 虹桥路1号 |", "", "持护照报名。"], "T").blocks;
    // Labels not yet written go before the first paragraph, outer first, each once.
    expect(nested.map((b) => b.text)).toEqual(["⑴本区户籍幼儿\n①人户一致\n到对口幼儿园报名。", "②人户分离\n到居住地幼儿园报名。", "园名：虹桥｜地址：虹桥路1号", "持护照报名。"]);
    // A table's rows carry the label in their path only.
    expect(nested[2]!.headingPath.slice(1)).toEqual(["一、报名", "⑵外籍幼儿"]);
  });

  it("keeps a date line and an item wrapped onto the next line out of the headings", () => {
    const lines = ["一、日程", "1.2019年4月15日", "2.各园于5月前完成登记，", "并上报教育局。", "3.职业资格指在本市工作期间取得的", "专业技术职务任职资格证书。", "4.报名时间"];
    const { stats, blocks } = structureDocument(lines, "T");
    expect(stats.headings).toBe(2);
    expect(blocks.map((b) => b.text)).toEqual(["1.2019年4月15日", "2.各园于5月前完成登记，并上报教育局。", "3.职业资格指在本市工作期间取得的专业技术职务任职资格证书。"]);
  });

  it("puts Markdown headings above every numbering and reads `# 标题` as the title", () => {
    const lines = ["# 学生手册", "", "## 第一章 入学", "", "一、报名", "", "报名材料见下。", "", "## 第二章 在校", "", "学生应按时到校。"];
    const { titleLines, blocks } = structureDocument(lines, "T");
    expect(titleLines).toEqual(["学生手册"]);
    expect(blocks.find((b) => b.text === "报名材料见下。")!.headingPath).toEqual(["T", "第一章 入学", "一、报名"]);
    expect(blocks.find((b) => b.text === "学生应按时到校。")!.headingPath).toEqual(["T", "第二章 在校"]);
  });

  it("chunks a regulation per 条 with its 章 and 节 in the path", () => {
    const lines = [
      "第一章 总则",
      "第一条 为了规范管理，制定本办法。",
      "第二条 本办法适用于本市。",
      "第二章 学籍",
      "第一节 入学",
      "第三条 学校应当做好下列工作：",
      "（一）核对学籍；",
      "（二）建立档案。",
      "第四条 学生转学的，应当办理手续。",
    ];
    const { blocks, stats } = structureDocument(lines, "某办法");
    expect(stats.articles).toBe(4);
    expect(blocks.map((b) => b.headingPath.slice(1).join(" › "))).toEqual(["第一章 总则", "第一章 总则", "第二章 学籍 › 第一节 入学", "第二章 学籍 › 第一节 入学"]);
    expect(blocks[2]!.text).toBe("第三条 学校应当做好下列工作：\n（一）核对学籍；\n（二）建立档案。");
    expect(blocks.every((b) => b.atomic)).toBe(true);
  });

  it("gives each annex a section titled by the line after 附件N, and keeps the annex list as one paragraph", () => {
    const lines = ["正文第一段。", "附件：1.信息苑一览表", "2. 招生地段表", "示例区教育局", "2019年4月15日", "附件 1", "信息苑一览表", "周桥苑位于长宁路。", "附件2", "招生地段表", "愚一：汇川路。"];
    const { blocks, stats } = structureDocument(lines, "T");
    expect(stats.annexes).toBe(2);
    expect(blocks.find((b) => b.text.startsWith("附件："))!.text).toBe("附件：1.信息苑一览表\n2. 招生地段表");
    expect(blocks.find((b) => b.text.startsWith("周桥苑"))!.headingPath).toEqual(["T", "附件1 信息苑一览表"]);
    expect(blocks.find((b) => b.text.startsWith("愚一"))!.headingPath).toEqual(["T", "附件2 招生地段表"]);
  });
});
