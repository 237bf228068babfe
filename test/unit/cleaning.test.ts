import { describe, expect, it } from "vitest";
import { cleanDocument } from "../../src/core/text/clean/clean-document.js";
import { removeDocxResidue } from "../../src/core/text/clean/docx-residue.js";
import { extractFrontMatter } from "../../src/core/text/clean/front-matter.js";
import { removeMarkupResidue } from "../../src/core/text/clean/markup-residue.js";
import { extractIssuerLine, extractMetadataHeader } from "../../src/core/text/clean/metadata-header.js";
import { findMojibakeRuns, removeMojibake } from "../../src/core/text/clean/mojibake.js";
import { isPageChromeLine, removePageChrome } from "../../src/core/text/clean/page-chrome.js";
import { removePinyinGlosses } from "../../src/core/text/clean/pinyin-gloss.js";
import { findRedactions, hasRedaction } from "../../src/core/text/clean/redaction.js";
import { createMojibakeModel } from "../../src/node/jieba-segmenter.js";
import { corpusText, FILES } from "../helpers.js";

const model = createMojibakeModel();

describe("removePinyinGlosses", () => {
  it("removes all 283 glosses from the 2021 summary and leaves no pinyin behind", () => {
    const { text, removed } = removePinyinGlosses(corpusText(FILES.summary2021));
    expect(removed).toBe(283);
    expect(text).toContain("深耕細作、攻堅克難、擴優提質");
    expect(text).not.toMatch(/[\u3400-\u9fff]\([a-zü\u00e0-\u01dc]+\)/);
  });

  it("keeps parenthesised Chinese and upper-case abbreviations", () => {
    const line = "3個集團入選全國示范性職業教育集團(聯盟)，全國首個RCEP(RCEP)產教協同聯盟";
    expect(removePinyinGlosses(line).text).toBe(line);
  });

  it("handles a gloss on every character of a word", () => {
    expect(removePinyinGlosses("學(xué)校(xiào)").text).toBe("學校");
  });
});

describe("removeDocxResidue", () => {
  it("removes _GoBack and _Hlk bookmarks from the 2024 summary", () => {
    const { text, removed } = removeDocxResidue(corpusText(FILES.summary2024));
    expect(removed).toBe(2);
    expect(text).not.toContain("[bookmark:");
    expect(text).toContain("2.全力攻坚区域教育均衡发展。");
    expect(text).toContain("2.打造高水平课堂教学新样态");
  });
});

describe("page chrome", () => {
  it("drops the captcha line from the 2021 summary in Traditional script", () => {
    const lines = removePinyinGlosses(corpusText(FILES.summary2021)).text.split("\n");
    const { lines: kept, removed } = removePageChrome(lines);
    expect(removed).toEqual(["請輸入驗證碼"]);
    expect(kept.join("\n")).not.toContain("驗證碼");
  });

  it("never treats a content line as chrome", () => {
    expect(isPageChromeLine("开通青岛教育频道，编写《教育关切·有问必答》，为市民提供教育政策解读。")).toBe(false);
    expect(isPageChromeLine("请输入验证码")).toBe(true);
    expect(isPageChromeLine("【字体：大 中 小】")).toBe(true);
  });
});

describe("metadata header", () => {
  it("turns the 2020 priorities' header block into metadata and removes it from the body", () => {
    const lines = corpusText(FILES.priorities2020).split("\n");
    const { meta, lines: body, infoLines } = extractMetadataHeader(lines);
    expect(meta.docNumber).toBe("青教工委[2020]2號");
    expect(meta.publishedAt).toBe("2020-02-27");
    expect(meta.postedAt).toBe("2020-03-04");
    expect(meta.issuer).toBe("青島市教育局");
    expect(meta.sourceUrl).toBe("http://edu.qingdao.gov.cn/n32561912/n32561915/200302161048778071.html");
    expect(meta.stages).toContain("特殊教育");
    expect(body.join("\n")).not.toMatch(/發文編號|政策發布日期|王菲|來源:/);
    expect(body[0]).toBe("關于印發《2020年全市教育工作要點》的通知");
    expect(body[1]).toBe("2020年全市教育工作要點");
    expect(infoLines).toContain("發文編號：青教工委[2020]2號");
  });

  it("leaves a document without a header block untouched", () => {
    const lines = corpusText(FILES.summary2024).split("\n");
    expect(extractMetadataHeader(lines).lines).toEqual(lines);
  });

  it("reads a lone issuer line at the top of the 2024 summary", () => {
    const lines = corpusText(FILES.summary2024).split("\n");
    const { issuer, lines: rest } = extractIssuerLine(lines);
    expect(issuer).toBe("市教育局");
    expect(rest.length).toBe(lines.length - 1);
  });
});

describe("mojibake", () => {
  it("finds the one garbled run in the 2021 summary and nothing else in the corpus", () => {
    const line = "10所學校被命名為全省中小學?!耙恍R黄贰秉h建品牌示范校,20所學校被確定為全市高水平海洋教育特色校。";
    const runs = findMojibakeRuns(line, model);
    expect(runs.map((r) => r.text)).toEqual(["?!耙恍R黄贰秉h"]);
    expect(removeMojibake(line, runs)).toBe("10所學校被命名為全省中小學…建品牌示范校,20所學校被確定為全市高水平海洋教育特色校。");
  });

  it("does not flag rare but real words (place names in Traditional script)", () => {
    for (const file of [FILES.priorities2020, FILES.summary2024, FILES.targets2021, FILES.speech]) {
      const flagged = corpusText(file)
        .split("\n")
        .flatMap((line) => findMojibakeRuns(line, model));
      expect(flagged, file).toEqual([]);
    }
  });

  it("detects UTF-8 read as Latin-1 and replacement characters", () => {
    expect(findMojibakeRuns("发布时间 æ•™è‚²å±€ 通知", model)).toHaveLength(1);
    expect(findMojibakeRuns("全市新增公办园\uFFFD\uFFFD所", model)).toHaveLength(1);
  });
});

describe("redactions", () => {
  it("marks every anonymised placeholder in the speech and none in real figures", () => {
    const line = "xx市现有各级各类学校、幼儿园xxxx所,在校生xx.xx万人,教职工x.xx万人。";
    expect(findRedactions(line).map((r) => r.text)).toEqual(["xx", "xxxx", "xx.xx", "x.xx"]);
    expect(hasRedaction("全市新增公办园22所，提供公办学位5800个")).toBe(false);
    expect(findRedactions("box xlsx 文件")).toEqual([]);
  });
});

describe("cleanDocument", () => {
  it("reports what it removed from the 2021 summary", () => {
    const cleaned = cleanDocument(corpusText(FILES.summary2021), { mojibake: model });
    expect(cleaned.report.pinyinGlosses).toBe(283);
    expect(cleaned.report.pageChrome).toEqual(["請輸入驗證碼"]);
    expect(cleaned.report.mojibake).toHaveLength(1);
    const body = cleaned.lines.join("\n");
    expect(body).toContain("新建、改擴建中小學幼兒園50所,建成后可提供學位3.86萬個");
    expect(body).not.toMatch(/\(xì\)|驗證碼|耙恍/);
  });
});

describe("front matter", () => {
  it("reads a YAML block's scalars and removes it, list items and all", () => {
    const lines = ["---", 'title: "教育部：不得要求家長檢查、批改作業"', 'date: "2021-02-23"', "tags:", '  - "中國教育部"', "---", "", "# 標題", "正文。"];
    const { frontMatter, lines: body, removed } = extractFrontMatter(lines);
    expect(frontMatter).toEqual({ title: "教育部：不得要求家長檢查、批改作業", date: "2021-02-23" });
    expect(removed).toBe(6);
    expect(body).toEqual(["", "# 標題", "正文。"]);
  });

  it("reads a TOML block", () => {
    const { frontMatter, lines } = extractFrontMatter(["+++", 'title = "课后服务问答"', "date = 2024-03-01", "+++", "正文。"]);
    expect(frontMatter).toEqual({ title: "课后服务问答", date: "2024-03-01" });
    expect(lines).toEqual(["正文。"]);
  });

  it("leaves a document that merely starts with a horizontal rule alone", () => {
    const lines = ["---", "这是正文，不是元数据。", "---"];
    expect(extractFrontMatter(lines)).toEqual({ lines, removed: 0 });
  });
});

describe("markup residue", () => {
  it("removes shortcodes, HTML tags and comments, keeps figure captions and link text", () => {
    const { lines, counts } = removeMarkupResidue([
      '{{< video src="https://example.org/v" >}}',
      "<figure>",
      '<img src="a.jpg" alt="">',
      "<figcaption>校长在开学典礼上讲话。资料图片</figcaption>",
      "</figure>",
      "<!-- INFO END -->",
      "详见[招生简章](https://example.org/a)。<br>电话：12345678",
      "{{% note %}}报名截止后不再受理。{{% /note %}}",
      "年龄<3岁的幼儿不在此列。",
    ]);
    expect(lines).toEqual(["校长在开学典礼上讲话。资料图片", "", "详见招生简章。 电话：12345678", "报名截止后不再受理。", "年龄<3岁的幼儿不在此列。"]);
    expect(counts).toMatchObject({ shortcodes: 3, htmlTags: 6, htmlComments: 1 });
  });

  it("drops a short subscription footer after the last rule and lines that are only links", () => {
    const { lines, counts } = removeMarkupResidue(["正文第一段。", "[首页](/) | [联系我们](/contact)", "正文第二段。", "---", "请订阅我们的月费计划，支持我们的工作。", "[订阅](https://example.org/subscribe)"]);
    expect(lines).toEqual(["正文第一段。", "正文第二段。"]);
    expect(counts).toMatchObject({ footerLines: 2, linkLines: 1, rules: 1 });
  });

  it("keeps a rule followed by real content", () => {
    const body = ["第一部分。", "---", "第二部分很长，包含政策内容。", "第二部分第二段。", "第二部分第三段。", "第二部分第四段。", "第二部分第五段。"];
    expect(removeMarkupResidue(body).lines).toEqual(body.filter((l) => l !== "---"));
  });
});
