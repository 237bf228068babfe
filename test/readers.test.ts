import { readFileSync } from "node:fs";
import { join } from "node:path";

import iconv from "iconv-lite";
import { afterEach, describe, expect, it, vi } from "vitest";

import { isAppError, type ErrorCode } from "../src/core/errors.js";
import { readDocument, type ReadResult } from "../src/node/readers/read-document.js";

// ------------------------------------------------------------------------------------------------
// Corpus helpers: every assertion compares with real corpus text.
// ------------------------------------------------------------------------------------------------

const ROOT = join(import.meta.dirname, "..");
const FIXTURES = join(ROOT, "test", "fixtures", "readers");

const SUMMARY_2024 = "2024-work-summary.txt";
const SUMMARY_2021 = "2021-work-summary.txt";
const TARGETS_2021 = "2021-business-targets.txt";
const PRIORITIES_2020 = "2020-work-priorities.txt"; // Traditional Chinese

function corpus(name: string): string {
  return readFileSync(join(ROOT, "corpus", name), "utf8");
}

function corpusLines(name: string): string[] {
  return corpus(name).replace(/\r\n/g, "\n").split("\n");
}

/** The corpus line that starts with `prefix` (the test fails loudly if the corpus changed). */
function lineStarting(name: string, prefix: string): string {
  const line = corpusLines(name).find((l) => l.startsWith(prefix));
  if (line === undefined) throw new Error(`${name}: no line starts with ${prefix}`);
  return line;
}

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Asserts that `promise` rejects with an AppError of `code` whose message carries `value`. */
async function expectAppError(promise: Promise<ReadResult>, code: ErrorCode, value: string): Promise<void> {
  const error: unknown = await promise.then(
    () => new Error("expected the read to fail"),
    (e: unknown) => e,
  );
  expect(isAppError(error), String(error)).toBe(true);
  if (!isAppError(error)) return;
  expect(error.code).toBe(code);
  expect(error.detail).toContain(value);
}

/** Asserts that each needle is a whole line of `text`, in this order. */
function expectLinesInOrder(text: string, needles: string[]): void {
  const lines = text.split("\n");
  let previous = -1;
  for (const needle of needles) {
    const index = lines.indexOf(needle);
    expect(index, `missing line: ${needle.slice(0, 30)}…`).toBeGreaterThan(previous);
    previous = index;
  }
}

const KINDERGARTENS = "全市新增公办园22所，提供公办学位5800个";

// ------------------------------------------------------------------------------------------------
// .txt / .md
// ------------------------------------------------------------------------------------------------

describe("readDocument: plain text encodings", () => {
  it("reads UTF-8 exactly, keeping tab-prefixed table lines and blank lines", async () => {
    const source = corpus(TARGETS_2021);
    const result = await readDocument("2021-business-targets.txt", utf8(source));
    expect(result.format).toBe("txt");
    expect(result.encoding).toBe("utf-8");
    expect(result.text).toBe(source);
    // The flattened table survives: header cells are tab-prefixed lines, rows end with a blank line.
    expect(result.text).toContain("\n\t类别\n\t序号\n\t目标名称\n\t目标内容\n\n\t重点目标\n\t1\n");
  });

  it("strips a UTF-8 BOM and turns CRLF into LF", async () => {
    const source = corpus(SUMMARY_2024);
    const bytes = concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(source.replace(/\n/g, "\r\n")));
    const result = await readDocument("2024-work-summary.txt", bytes);
    expect(result.encoding).toBe("utf-8");
    expect(result.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(result.text).not.toContain("\r");
    expect(result.text).toBe(source);
    expect(result.text).toContain(KINDERGARTENS);
  });

  it("detects GB18030 bytes of a Simplified excerpt (with a tab table) and decodes them exactly", async () => {
    const lines = corpusLines(SUMMARY_2024);
    const excerpt = [...lines.slice(2, 6), ...corpusLines(TARGETS_2021).slice(0, 12)].join("\r\n");
    expect(excerpt).toContain(KINDERGARTENS);
    const bytes = iconv.encode(excerpt, "gb18030");
    expect(isValidUtf8(bytes)).toBe(false); // the detection path is what is tested
    const result = await readDocument("excerpt-gbk.txt", bytes);
    expect(result.encoding).toBe("gb18030");
    expect(result.text).toBe(excerpt.replace(/\r\n/g, "\n"));
    expect(result.text).toContain("\n\t类别\n\t序号\n");
  });

  it("detects GB18030 bytes of the whole Traditional-Chinese 2020 priorities as a .md file", async () => {
    const source = corpus(PRIORITIES_2020);
    const result = await readDocument("2020-work-priorities.md", iconv.encode(source, "gb18030"));
    expect(result.format).toBe("md");
    expect(result.encoding).toBe("gb18030");
    expect(result.text).toBe(source);
    expect(result.text).toContain("一、加強黨的領導,提升教育治理水平");
  });

  it("decodes a short GBK title as gb18030, not as the Shift_JIS/Latin guess chardet makes for it", async () => {
    const title = lineStarting(TARGETS_2021, "2021年度市直单位业务目标");
    const result = await readDocument("title.txt", iconv.encode(title, "gbk"));
    expect(result.encoding).toBe("gb18030");
    expect(result.text).toBe(title);
  });

  it("detects Big5 bytes of Traditional text", async () => {
    const excerpt = corpusLines(PRIORITIES_2020).slice(9, 13).join("\n");
    const bytes = iconv.encode(excerpt, "big5");
    expect(iconv.decode(bytes, "big5")).toBe(excerpt); // the excerpt is representable in Big5
    const result = await readDocument("priorities-big5.txt", bytes);
    expect(result.encoding).toBe("big5");
    expect(result.text).toBe(excerpt);
  });

  it("reads UTF-16 LE with BOM (as Windows Notepad writes it)", async () => {
    const source = corpus(SUMMARY_2021);
    const bytes = concat(new Uint8Array([0xff, 0xfe]), iconv.encode(source.replace(/\n/g, "\r\n"), "utf-16le"));
    const result = await readDocument("2021-work-summary.txt", bytes);
    expect(result.encoding).toBe("utf-16le");
    expect(result.text).toBe(source);
  });

  it("reads UTF-16 BE with BOM", async () => {
    const source = corpus(TARGETS_2021);
    const bytes = concat(new Uint8Array([0xfe, 0xff]), iconv.encode(source, "utf-16be"));
    const result = await readDocument("targets.txt", bytes);
    expect(result.encoding).toBe("utf-16be");
    expect(result.text).toBe(source);
  });

  it("normalises lone CR line ends too", async () => {
    const lines = corpusLines(SUMMARY_2024).slice(2, 5);
    const result = await readDocument("mac.txt", utf8(lines.join("\r")));
    expect(result.text.split("\n")).toEqual(lines);
  });
});

// ------------------------------------------------------------------------------------------------
// .html
// ------------------------------------------------------------------------------------------------

const INTRO = lineStarting(SUMMARY_2024, "2024年以来，全市教育工作以");
const HEADING_1 = lineStarting(SUMMARY_2024, "一、突出扩优提质");
const ITEM_1 = lineStarting(SUMMARY_2024, "1.加快推进新优质学校建设");
const ITEM_3 = lineStarting(SUMMARY_2024, "3.持续办好一批教育惠民实事");
const HEADING_2 = lineStarting(SUMMARY_2024, "二、突出立德树人");
const ITEM_2_1 = lineStarting(SUMMARY_2024, "1.构建全环境立德树人新格局");
const PAGE_TITLE = "2024年全市教育工作总结";

/** A bureau page: header + nav + breadcrumb + sidebar + article + footer + scripts. */
function bureauPage(paragraphs: { intro: string; heading1: string; item1: string; item3: string; heading2: string; item21: string }, head = '<meta charset="utf-8">'): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
${head}
<title>${PAGE_TITLE}</title>
<style>.nav { color: red } body { font-family: SimSun }</style>
<script>var _hmt = _hmt || []; window.trackerName = "统计代码";</script>
</head>
<body>
<header class="site-header">
  <div class="logo">青岛市教育局</div>
  <form class="search"><input name="q" placeholder="请输入关键字"><button>搜索</button></form>
</header>
<nav class="main-nav">
  <ul><li><a href="/">网站首页</a></li><li><a href="/jg">机构设置</a></li><li><a href="/zw">政务公开</a></li><li><a href="/bs">办事服务</a></li></ul>
</nav>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zw">工作总结</a></div>
<div class="container">
  <aside class="sidebar"><h3>相关链接</h3><ul><li><a href="/a">教育部</a></li><li><a href="/b">山东省教育厅</a></li></ul></aside>
  <article class="article">
    <h1>${PAGE_TITLE}</h1>
    <div class="info">发布时间：2025-01-10&nbsp;&nbsp;来源：市教育局</div>
    <div class="content">
      <p>&nbsp;&nbsp;&nbsp;&nbsp;${paragraphs.intro}</p>
      <p><strong>${paragraphs.heading1}</strong></p>
      <p>${paragraphs.item1}</p>
      <p>${paragraphs.item3.slice(0, 30)}<br>${paragraphs.item3.slice(30)}</p>
      <h3>${paragraphs.heading2}</h3>
      <div>${paragraphs.item21}</div>
      <table border="1">
        <tr><th>类别</th><th>序号</th><th>目标名称</th></tr>
        <tr><td>重点目标</td><td>1</td><td>拓宽人才培养路径</td></tr>
      </table>
    </div>
  </article>
</div>
<footer class="site-footer">
  <p>网站地图 | 联系我们 | 网站声明</p>
  <p>版权所有：青岛市教育局\u3000主办单位：青岛市教育局\u3000鲁ICP备05032356号</p>
</footer>
<script>document.write("访问统计");</script>
</body>
</html>`;
}

const PARAGRAPHS = { intro: INTRO, heading1: HEADING_1, item1: ITEM_1, item3: ITEM_3, heading2: HEADING_2, item21: ITEM_2_1 };
const CHROME = ["网站首页", "机构设置", "办事服务", "版权所有", "ICP备", "网站地图", "相关链接", "山东省教育厅", "统计代码", "访问统计", "font-family", "请输入关键字", "搜索"];

describe("readDocument: html", () => {
  it("keeps the article line by line and drops navigation, footer, sidebar, scripts and styles", async () => {
    const result = await readDocument("summary.html", utf8(bureauPage(PARAGRAPHS)));
    expect(result.format).toBe("html");
    expect(result.encoding).toBe("utf-8");
    expect(result.title).toBe(PAGE_TITLE);
    // One line per block: headings like 一、 and 1. start their own lines; <br> splits a line.
    expectLinesInOrder(result.text, [
      PAGE_TITLE,
      INTRO,
      HEADING_1,
      ITEM_1,
      ITEM_3.slice(0, 30),
      ITEM_3.slice(30),
      HEADING_2,
      ITEM_2_1,
      "| 类别 | 序号 | 目标名称 |",
      "| --- | --- | --- |",
      "| 重点目标 | 1 | 拓宽人才培养路径 |",
    ]);
    expect(result.text).toContain(KINDERGARTENS);
    for (const chrome of CHROME) expect(result.text).not.toContain(chrome);
  });

  it("decodes a GBK page by its <meta http-equiv> charset (Traditional corpus text)", async () => {
    const traditional = {
      intro: lineStarting(PRIORITIES_2020, "2020年是全面建成小康社會"),
      heading1: lineStarting(PRIORITIES_2020, "一、加強黨的領導"),
      item1: lineStarting(PRIORITIES_2020, "1.深入學習貫徹黨的十九屆四中全會精神"),
      item3: lineStarting(PRIORITIES_2020, "3.縱深推進全面從嚴治黨"),
      heading2: lineStarting(PRIORITIES_2020, "二、堅持立德樹人"),
      item21: lineStarting(PRIORITIES_2020, "6.增強思政德育工作"),
    };
    const html = bureauPage(traditional, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">');
    const bytes = iconv.encode(html, "gb18030");
    expect(isValidUtf8(bytes)).toBe(false);
    const result = await readDocument("priorities.htm", bytes);
    expect(result.encoding).toBe("gb18030");
    expectLinesInOrder(result.text, [traditional.intro, traditional.heading1, traditional.item1, traditional.heading2, traditional.item21]);
    for (const chrome of CHROME) expect(result.text).not.toContain(chrome);
  });

  it("detects the encoding of a GBK page without a charset declaration", async () => {
    const bytes = iconv.encode(bureauPage(PARAGRAPHS, ""), "gb18030");
    const result = await readDocument("summary.html", bytes);
    expect(result.encoding).toBe("gb18030");
    expectLinesInOrder(result.text, [INTRO, HEADING_1, ITEM_1]);
  });

  it("reads a page that declares gb2312 but was re-saved as UTF-8", async () => {
    const html = bureauPage(PARAGRAPHS, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">');
    const result = await readDocument("resaved.html", utf8(html));
    expect(result.encoding).toBe("utf-8");
    expectLinesInOrder(result.text, [INTRO, HEADING_1, ITEM_1]);
  });

  it("reads a bare fragment without <html>/<body>", async () => {
    const result = await readDocument("fragment.html", utf8(`<p>${HEADING_1}</p><p>${ITEM_1}</p>`));
    expect(result.text).toBe(`${HEADING_1}\n${ITEM_1}`);
  });

  it("rejects a page with nothing but navigation and footer as empty", async () => {
    const html = `<html><head><title>首页</title></head><body><nav><a href="/">网站首页</a></nav><footer>版权所有：青岛市教育局</footer></body></html>`;
    await expectAppError(readDocument("chrome-only.html", utf8(html)), "EMPTY_DOCUMENT", "chrome-only.html");
  });

  describe("when Readability finds no article", () => {
    afterEach(() => {
      vi.doUnmock("@mozilla/readability");
      vi.resetModules();
    });

    it("falls back to the body text without nav/header/footer/aside/script/style", async () => {
      const calls: string[] = [];
      vi.resetModules();
      vi.doMock("@mozilla/readability", () => ({
        Readability: class {
          parse(): null {
            calls.push("parse");
            return null;
          }
        },
      }));
      const { readDocument: readWithoutArticle } = await import("../src/node/readers/read-document.js");
      const result = await readWithoutArticle("summary.html", utf8(bureauPage(PARAGRAPHS)));
      expect(calls).toEqual(["parse"]); // the stub, not the real Readability, was asked
      expect(result.title).toBe(PAGE_TITLE);
      expectLinesInOrder(result.text, [PAGE_TITLE, INTRO, HEADING_1, ITEM_1, HEADING_2, ITEM_2_1]);
      for (const chrome of CHROME) expect(result.text).not.toContain(chrome);
    });
  });
});

// ------------------------------------------------------------------------------------------------
// .docx
// ------------------------------------------------------------------------------------------------

/** The corpus's flattened table: groups of lines separated by blank lines, from the first tab line. */
function corpusTableRows(name: string): string[][] {
  const lines = corpusLines(name);
  const start = lines.findIndex((l) => l.startsWith("\t"));
  const rows: string[][] = [];
  let current: string[] = [];
  for (const line of lines.slice(start)) {
    if (line.trim() === "" && !line.startsWith("\t")) {
      if (current.length) rows.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length) rows.push(current);
  return rows;
}

describe("readDocument: docx", () => {
  it("reads paragraphs one per line and the table as a pipe table, merged cells repeated", async () => {
    const result = await readDocument("sample.docx", fixture("sample.docx"));
    expect(result.format).toBe("docx");
    const item21 = lineStarting(SUMMARY_2024, "1.构建全环境立德树人新格局");
    const closing = lineStarting(SUMMARY_2024, "2024年以来，全市教育工作取得积极进展");
    const rows = corpusTableRows(TARGETS_2021);
    const withContinuation = rows.find((row) => row.some((l) => l.startsWith("标杆城市：上海市、成都市、杭州市")));
    expect(withContinuation).toBeDefined();
    // The corpus's flattened rows (tab-prefixed cells, continuation lines) as pipe-table rows: the
    // vertically merged 类别 cell repeats the value above it; a cell's two paragraphs are joined.
    const cellsOf = (row: string[]) => {
      const cells: string[] = [];
      for (const line of row) {
        if (line.startsWith("\t")) cells.push(line.slice(1));
        else cells[cells.length - 1] = `${cells[cells.length - 1]}${line}`;
      }
      return cells;
    };
    const header = cellsOf(rows[0]!);
    const first = cellsOf(rows[1]!);
    const second = cellsOf(rows[2]!);
    expect(second[0]).toBe("");
    second[0] = first[0]!;
    const last = cellsOf(withContinuation!);
    // Runs of spaces inside a cell are one space in a pipe table.
    const pipe = (cells: string[]) => `| ${cells.map((c) => c.replace(/\s+/g, " ")).join(" | ")} |`;
    const expected = [
      HEADING_1,
      ITEM_1, // written in three runs: joined back into one line
      HEADING_2, // the empty paragraph before it left no blank line
      item21.slice(0, 20), // a soft line break splits the paragraph
      item21.slice(20),
      lineStarting(TARGETS_2021, "2021年度市直单位业务目标"),
      "",
      pipe(header),
      pipe(header.map(() => "---")),
      pipe(first),
      pipe(second),
      pipe(last),
      "",
      closing,
    ].join("\n");
    expect(result.text).toBe(expected);
    expect(result.text).toContain(KINDERGARTENS);
  });
});

// ------------------------------------------------------------------------------------------------
// .pdf
// ------------------------------------------------------------------------------------------------

describe("readDocument: pdf", () => {
  it("reads the Chinese text layer of each page, pages joined with a newline", async () => {
    const bytes = fixture("sample-zh.pdf");
    const result = await readDocument("sample-zh.pdf", bytes);
    expect(result.format).toBe("pdf");
    expect(bytes.byteLength).toBeGreaterThan(0); // the caller's buffer was not detached by pdf.js
    const lines = result.text.split("\n");
    // Page 1 (Simplified): heading line, then the first two sentences of the paragraph, wrapped.
    expect(lines[0]).toBe(HEADING_1);
    const firstTwo = ITEM_1.slice(0, ITEM_1.indexOf("。", ITEM_1.indexOf("。") + 1) + 1);
    const heading2020 = lineStarting(PRIORITIES_2020, "一、加強黨的領導");
    const page2Index = lines.indexOf(heading2020);
    expect(page2Index).toBeGreaterThan(1);
    expect(lines.slice(1, page2Index).join("")).toBe(firstTwo);
    // Page 2 (Traditional).
    const item2020 = lineStarting(PRIORITIES_2020, "2.提升教育系統黨建質量");
    const firstTwo2020 = item2020.slice(0, item2020.indexOf("。", item2020.indexOf("。") + 1) + 1);
    expect(lines.slice(page2Index + 1).join("")).toBe(firstTwo2020);
  });

  it("reads a Latin PDF", async () => {
    const result = await readDocument("sample-latin.pdf", fixture("sample-latin.pdf"));
    expect(result.text).toBe(
      ["Qingdao Education Bureau", "Annual work summary (2024)", "New public kindergartens: 22", "Page two: cafe, naive, Zurich", "Public places provided: 5800"].join("\n"),
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------------

describe("readDocument: errors", () => {
  it("UNSUPPORTED_FORMAT for an unknown extension, with the extension as value", async () => {
    await expectAppError(readDocument("通知.wps", utf8(INTRO)), "UNSUPPORTED_FORMAT", ".wps");
    await expectAppError(readDocument("scan.JPG", new Uint8Array([0xff, 0xd8, 0xff])), "UNSUPPORTED_FORMAT", ".jpg");
    await expectAppError(readDocument("README", utf8(INTRO)), "UNSUPPORTED_FORMAT", "README");
  });

  it("EMPTY_DOCUMENT for an empty or blank file of every format", async () => {
    await expectAppError(readDocument("empty.txt", new Uint8Array(0)), "EMPTY_DOCUMENT", "empty.txt");
    await expectAppError(readDocument("blank.md", utf8(" \n\t\n\u3000\r\n")), "EMPTY_DOCUMENT", "blank.md");
    await expectAppError(readDocument("bom-only.txt", new Uint8Array([0xef, 0xbb, 0xbf])), "EMPTY_DOCUMENT", "bom-only.txt");
    await expectAppError(readDocument("empty.docx", new Uint8Array(0)), "EMPTY_DOCUMENT", "empty.docx");
    await expectAppError(readDocument("empty.pdf", new Uint8Array(0)), "EMPTY_DOCUMENT", "empty.pdf");
  });

  it("BINARY_DOCUMENT for a .txt that is not text", async () => {
    // A .docx renamed to .txt (zip bytes contain NUL).
    await expectAppError(readDocument("renamed.txt", fixture("sample.docx")), "BINARY_DOCUMENT", "renamed.txt");
    // Text with NUL bytes in it.
    await expectAppError(readDocument("nul.txt", concat(utf8(INTRO), new Uint8Array([0, 0, 0, 0]))), "BINARY_DOCUMENT", "nul.txt");
    // Mostly control characters, no NUL.
    const controls = Uint8Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x41 : 0x01 + (i % 7)));
    await expectAppError(readDocument("controls.md", controls), "BINARY_DOCUMENT", "controls.md");
    // UTF-16 with BOM whose content is binary.
    await expectAppError(readDocument("u16.txt", new Uint8Array([0xff, 0xfe, 0x00, 0x00, 0x01, 0x00])), "BINARY_DOCUMENT", "u16.txt");
  });

  it("UNKNOWN_ENCODING for bytes no supported encoding decodes", async () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => 0x80 + ((i * 37) % 128));
    await expectAppError(readDocument("garbled.txt", bytes), "UNKNOWN_ENCODING", "garbled.txt");
  });

  it("BROKEN_DOCUMENT for a corrupt docx", async () => {
    await expectAppError(readDocument("not-a-zip.docx", utf8(INTRO)), "BROKEN_DOCUMENT", "not-a-zip.docx");
    // A truncated zip.
    await expectAppError(readDocument("truncated.docx", fixture("sample.docx").subarray(0, 1500)), "BROKEN_DOCUMENT", "truncated.docx");
    // A PDF renamed to .docx.
    await expectAppError(readDocument("pdf-named.docx", fixture("sample-latin.pdf")), "BROKEN_DOCUMENT", "pdf-named.docx");
  });

  it("BROKEN_DOCUMENT for a corrupt pdf", async () => {
    await expectAppError(readDocument("not-a-pdf.pdf", utf8(INTRO)), "BROKEN_DOCUMENT", "not-a-pdf.pdf");
    await expectAppError(readDocument("rubbish.pdf", utf8("%PDF-1.7\nrubbish\n%%EOF")), "BROKEN_DOCUMENT", "rubbish.pdf");
    await expectAppError(readDocument("truncated.pdf", fixture("sample-zh.pdf").subarray(0, 1500)), "BROKEN_DOCUMENT", "truncated.pdf");
  });
});
