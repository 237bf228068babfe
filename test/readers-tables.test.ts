/**
 * The readers on real documents other bureaus published (../shared/eval/external/, read in place,
 * never copied: see its PROVENANCE.md) and on small synthetic table fixtures (test/fixtures/readers/,
 * made by make-table-fixtures.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

import { isAppError } from "../src/core/errors.js";
import { formatOf, readDocument } from "../src/node/readers/read-document.js";
import { blankFileRanges, CELL_BREAK, docTextToLines, markTableParagraphs, ROW_END, type TextPiece } from "../src/node/readers/read-doc.js";
import { parseCsv } from "../src/node/readers/read-spreadsheet.js";
import { pipeTableLines } from "../src/node/readers/table-lines.js";

const here = dirname(fileURLToPath(import.meta.url));
const EXTERNAL = resolve(here, "..", "..", "shared", "eval", "external");
const hasExternal = existsSync(EXTERNAL);
const external = (name: string) => new Uint8Array(readFileSync(join(EXTERNAL, name)));
const fixture = (name: string) => new Uint8Array(readFileSync(join(here, "fixtures", "readers", name)));

async function read(name: string, bytes: Uint8Array) {
  return readDocument(name, bytes);
}

/** The pipe table whose header row is `header`, as rows of cells. */
function tableWithHeader(text: string, header: string): string[][] {
  const lines = text.split("\n");
  const start = lines.indexOf(header);
  expect(start, `table ${header}`).toBeGreaterThanOrEqual(0);
  if (start > 0) expect(lines[start - 1]).toBe("");
  expect(lines[start + 1]).toMatch(/^\| --- (\| --- )*\|$/);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.slice(2, -2).split(" | "));
  }
  return rows;
}

const PAGE_NUMBER_LINE = /^[-—–]\s*\d+\s*[-—–]$|^\d{1,3}$|^第\d+页/;
/** A paragraph that is not a table row, a heading or a signature must end a sentence. */
function midSentenceBreaks(text: string): string[] {
  return text.split("\n").filter((line) => line.length >= 40 && !line.startsWith("|") && !/[。！？；：”）)]$/.test(line));
}

/**
 * Text-layer spaces between digits and Han characters (`长教〔2019〕15 号`, `6 月 27 日`) are removed by the
 * PDF reader itself, so the indexed passage, and every quote taken from it, has `15号`. Table rows are
 * left out: a space there joins a cell's wrapped list items.
 */
function spacedDigits(text: string): string[] {
  return text.split("\n").filter((line) => !line.startsWith("|") && /\d[ \u00a0]+\p{Script=Han}|\p{Script=Han}[ \u00a0]+\d/u.test(line));
}

describe.runIf(hasExternal)("PDF on real bureau documents", () => {
  it("05.长宁政策.pdf: paragraphs, no page numbers, title joined, catchment and office tables", async () => {
    const result = await read("05.长宁政策.pdf", external("05.长宁政策.pdf"));
    const text = result.text;
    expect(result.pages).toBe(19);
    expect(result.dropped?.["页码"]).toBeGreaterThanOrEqual(18);
    expect(text.split("\n").filter((l) => PAGE_NUMBER_LINE.test(l))).toEqual([]);
    // The letter-spaced masthead and the two-line title come out joined.
    expect(text.startsWith("上海市长宁区教育局文件\n长教〔2019〕15号\n长宁区教育局关于做好2019年学前教育阶段适龄幼儿入园工作的通知\n")).toBe(true);
    // A paragraph wrapped over three visual lines is one line, across a page break too.
    expect(text).toContain("\n为贯彻落实《上海市教育委员会关于做好2019年本市学前教育阶段适龄幼儿入园工作的通知》（沪教委托幼〔2019〕6号）的精神，结合我区学前教育发展现状，现就做好本区2019年学前教育阶段适龄幼儿入园工作通知如下：\n");
    expect(text).toContain("港澳居民来往内地通行证或港澳居民居住证；台湾居民来往大陆通行证或台湾居民居住证。");
    expect(midSentenceBreaks(text)).toEqual([]);
    expect(spacedDigits(text)).toEqual([]);
    // Headings start their own lines.
    expect(text).toContain("\n一、工作原则\n1.统一部署。");
    // Annexes start their own lines.
    expect(text).toContain("\n附件：1.长宁区东方社区信息苑一览表\n2. 2019年长宁区公办幼儿园招生地段表\n");
    expect(text).toMatch(/\n附件1\n长宁区东方社区信息苑一览表\n/);
    // The schedule table.
    // The schedule table starts at the foot of page 7 and goes on under a repeated header on page 8: one table.
    const schedule = tableWithHeader(text, "| 日期 | 内容 |");
    expect(schedule.map((r) => r[0])).toEqual(["4月15日", "4月15日~30日", "5月11日~12日", "6月上旬起", "7月15日前"]);
    expect(schedule[0]![1]).toBe("1.发布本区学前教育招生政策； 2.“上海市适龄幼儿入园信息登记系统”开通（网址：https://shrydj.edu.sh.cn） 3.户籍变动和居住地变动统计截止日");
    expect(schedule).toContainEqual(["5月11日~12日", "适龄幼儿报名验证"]);
    // The annex 1 table, including the row whose address wraps over two lines.
    const offices = tableWithHeader(text, "| 门店 | 地址 | 电话 | 营业时间 | 午休时间 |");
    expect(offices).toHaveLength(9);
    expect(offices).toContainEqual(["新华苑", "新华路359号新华社区文化活动中心3楼", "62944370", "9:00~17:30", "11:45~12:30"]);
    // The catchment table: one row per kindergarten, its two-column list in one cell, over four pages.
    const catchment = tableWithHeader(text, "| 序号 | 园名 | 招生地段 |");
    expect(catchment.map((r) => r[0])).toEqual(Array.from({ length: 32 }, (_, i) => String(i + 1)));
    const yuyi = catchment.find((r) => r[1] === "愚一")!;
    // The cell's two text columns are read left column first; wrapped list items stay whole.
    expect(yuyi[2]).toMatch(/^1\.汇川路:10弄、88弄 2\.长宁路:833弄、877弄、969号、1027弄、1033弄、1277弄 3\.安西路/);
    expect(yuyi[2]).toContain("7.安化路:394号、396号、400号、470号");
    expect(catchment.find((r) => r[1] === "实验")![2]).toBe("电脑派位");
    // Annex 3: the kindergartens with their addresses.
    const institutions = tableWithHeader(text, "| 序号 | 单位 | 类别 | 地址 | 邮编 | 电话 |");
    expect(institutions).toContainEqual(["13", "天山幼儿园", "公办幼儿园", "紫云路321号", "200051", "62598789"]);
    // A kindergarten with a second address on its own sub-row: the merged 序号/单位/类别 cells are repeated.
    expect(institutions).toContainEqual(["3", "愚一幼儿园", "公办幼儿园", "安化路522号", "", "52730377"]);
    // Its centred 单位 column (`建青实验学校` over `幼儿部`) is one column; the contact list before the
    // annexes, whose long labels run across where the values start on other lines, stays a table.
    expect(institutions).toContainEqual(["8", "建青实验学校幼儿部", "公办幼儿园", "玛瑙路51号", "201103", "62084606"]);
    expect(institutions.every((r) => r.length === 6)).toBe(true);
    expect(tableWithHeader(text, "| 上海市适龄幼儿入园信息登记系统 | 网址：https://shrydj.edu.sh.cn |")).toContainEqual(["长宁幼教总支", "咨询电话：62521150"]);
    // A catchment cell's second text column is read after the first, in item order.
    expect(catchment.find((r) => r[1] === "古一")![2]).toContain("9.天山路:651-681号、760弄、766弄、820弄、840弄、938弄 10.玉屏南路(单):505-731弄 玉屏南路(双):496-560弄");
  });

  it("13.松江政策.pdf: schedule tables with their column names, spaced cell text joined", async () => {
    const result = await read("13.松江政策.pdf", external("13.松江政策.pdf"));
    const text = result.text;
    expect(result.pages).toBe(22);
    expect(text.split("\n").filter((l) => PAGE_NUMBER_LINE.test(l))).toEqual([]);
    expect(text.startsWith("上海市松江区教育局（意见）\n沪松教〔2019〕50号\n2019年松江区学前教育阶段招生工作实施意见\n")).toBe(true);
    expect(spacedDigits(text)).toEqual([]);
    expect(text).toContain("\n2019年松江区公办园招生工作日程安排表\n\n| 时间 | 主要内容 | 相关说明 |\n");
    const schedule = tableWithHeader(text, "| 时间 | 主要内容 | 相关说明 |");
    expect(schedule[0]!.slice(0, 2)).toEqual(["4月15日-- 4月30日", "市级平台登记信息"]);
    const rongle = schedule.find((r) => r[1] === "荣乐幼儿园现场信息验证")!;
    expect(rongle[2]).toBe("具体信息请于4月15日起登录荣乐幼儿园网站(www.rolyey.sjedu.cn)查阅《2019年松江区荣乐幼儿园招生简章》。");
    expect(schedule.map((r) => r[0])).toContain("6月23日");
    // A row cut by the page break is finished by the lines at the top of the next page.
    const privateSchedule = text.split("\n").filter((l) => l.startsWith("| 8月15日前 | 录取通知 |"));
    expect(privateSchedule).toHaveLength(1);
    expect(privateSchedule[0]).toMatch(/额满为止。 2\. 8月15日前，各民办幼儿园根据报名情况完成幼儿录取工作，发放入园通知书。 \|$/);
    expect(text).toContain("\n附件：1．2019年松江区公办园新生入园信息分类及安置说明");
    // Annex 1: one row per 代码, the merged 代码 5 repeated on its second row.
    const categories = tableWithHeader(text, "| 代码 | 类别 | 分类说明 | 安置说明 | 相关审核材料 |");
    expect(categories.slice(0, 9).map((r) => r[0])).toEqual(["1", "2", "3", "4", "5", "5", "6", "7", "8"]);
    expect(categories[5]![1]).toBe("外国籍且城区五所街道有房产");
    // Annex 3: a header set over three lines, kindergartens with two sites on two rows.
    const kindergartens = tableWithHeader(text, "| 序 | 园名 | 地址 | 招生咨询电话 | 招生区域范围 | 备注 |");
    expect(kindergartens[0]!.slice(0, 5)).toEqual(["1", "松江区 荣乐幼儿园", "荣乐部：荣乐四村49号", "57730677", "岳阳街道"]);
    expect(kindergartens[1]!.slice(0, 3)).toEqual(["1", "松江区 荣乐幼儿园", "人乐部：人乐一村14幢45号"]);
    // The annex list: an item's last word set under its text (a hanging indent) stays in the item.
    expect(text).toContain("\n附件：1．2019年松江区公办园新生入园信息分类及安置说明表\n2．2019年松江区公办园小班新生信息验证点一览表\n");
    // Annex 2: its name column is centred (short names and the `（中心部）` lines under them start
    // further right): one column, never split off as a column of its own. The rows of page 11 follow
    // those of page 10 in one table (nothing of page 11 is lost), the notes and the second part after it.
    const points = tableWithHeader(text, "|  | 信息验证点 | 范围 |");
    expect(points.map((r) => r[0])).toEqual(Array.from({ length: 29 }, (_, i) => String(i + 1)));
    expect(points.every((r) => r.length === 3)).toBe(true);
    expect(points[4]).toEqual(["5", "松江区方塔幼儿园(方东部)", "方东居委会、方西居委会、南门居委会、平桥居委会(除乐莫苑小区)"]);
    expect(points[20]).toEqual(["21", "上海市松江区龙马幼儿园", "蔷薇九里居委会、保利西子湾居委会"]);
    expect(points[28]).toEqual(["29", "上海市松江区云峰幼儿园", "文翔名苑居委会、丁香花园居委会、上林居委会、久阳文华居委会"]);
    expect(text).toContain("\n2．因地理位置特殊，车墩镇东门村原则上纳入五所街道“信息验证点6”的范围。\n二、乡镇、九亭地区（九里亭街道、九亭镇）区域\n");
    // Its second part: the 序号 of a group of kindergartens stands on two lines of the page only and is
    // still a column; names are never glued to a number; names above a row at a page top start that row.
    const towns = text.split("\n").filter((l) => /^\| \d+ \| .*(九亭|新桥|泗泾|佘山)/.test(l) && l.split(" | ").length === 3);
    expect(towns.length).toBeGreaterThanOrEqual(14);
    const annex2 = text.slice(text.indexOf("\n附件2\n"), text.indexOf("\n附件3\n"));
    expect(annex2).not.toMatch(/幼儿园\d|\| \d+上海市|\n\d+上海市/);
    expect(text).toContain("| 2 | 上海市松江区九亭第四幼儿园(涞寅部) | 五洲云景居委会、亭汇居委会、贝尚湾居委会、九城湖滨居委会 |");
    expect(text).toMatch(/\| 3 \| 松江区新桥镇中心幼儿园上海市松江区白马幼儿园\(中大班部\) .*\| 新桥镇 \|/);
    expect(text).toContain("| 16 | 上海市松江区石湖荡镇中心幼儿园(李塔汇部) | 石湖荡镇 |");
    // Annex 3: the centred 地址 column is one column (`奥园部：涞坊路116号`, not `奥园部：涞坊路 | 116号`).
    expect(text).toMatch(/\| 6 \| 上海市松江区 ?九亭第六幼儿园 \| 家园部：涞泾路200号 \| 67860617-806 \|/);
    expect(text).toContain("| 22 | 松江区 佘山镇中心幼儿园 | 天马部：天马山云峰路191号 |  |");
    // A name longer than the others overhangs the column's usual start: still the name, not the 序号's.
    expect(text).toContain("| 12 | 上海市松江区百鸟幼儿园 | 王家厍路751号 | 57674527 |");
    expect(text).toContain("| 1 | 松江区 九亭镇中心幼儿园 | 象屿都城部：虬泾路900弄1号 |  |  |");
    // Its second part goes on at the top of page 15 after a row's last address line left at the foot
    // of page 14 (西郊部, joined to its cell): one table of rows 1–29 under the 乡镇 header, the
    // 招生区域范围 its own column although the page's first row leaves it empty.
    const towns2 = tableWithHeader(text, "| 序 | 园名 | 地址 | 招生咨询电话 | 招生区域范围 |");
    expect([...new Set(towns2.map((r) => r[0]).filter(Boolean))]).toEqual(Array.from({ length: 29 }, (_, i) => String(i + 1)));
    expect(towns2.find((r) => r[0] === "2")![2]).toContain("西郊部：九杜路909弄3号");
    // The continuation's first kindergarten has a second site on the next row: its 序/园名 carried down.
    expect(towns2).toContainEqual(["3", "上海市松江区 九亭第三幼儿园", "知雅汇部：涞坊路333弄11号", "", ""]);
    expect(towns2.find((r) => r[0] === "24")).toEqual(["24", "松江区 小昆山镇中心幼儿园", "小昆山部：平原街389号", "57761733", "小昆山镇 具体见《小昆山镇2019年学前教育阶段招生工作实施方案》"]);
    expect(text).not.toContain("\n西郊部：九杜路909弄3号\n");
    // Annex 4 goes on over two page breaks under no repeated header: one table of 74 rows. Its 备注
    // column is empty on the first rows of the later pages (no column start there, and a first row
    // that would join it to 单位电话): those rows are cut in the columns of the table they continue,
    // so a lease date is a 备注 of its own, never glued to the telephone number.
    const privates = tableWithHeader(text, "| 序 | 园名 | 地址 | 招收年龄 | 单位电话 | 备注 （房屋租赁合同到期不满三年） |");
    expect(privates.map((r) => r[0])).toEqual(Array.from({ length: 74 }, (_, i) => String(i + 1)));
    expect(privates.every((r) => r.length === 6)).toBe(true);
    expect(privates[25]).toEqual(["26", "上海松江区 昕然幼儿园", "新桥镇陈春公路151号", "2-6岁", "57727599", ""]);
    expect(privates[32]).toEqual(["33", "上海松江区 新文华幼儿园", "新浜镇叶新公路5326弄5号", "3-6岁", "57890108", "2011年5月21日-2021年5月20日"]);
    expect(privates[55]).toEqual(["56", "上海松江区 月亮船双语幼儿园", "九里亭街道涞寅路25号", "2-6岁", "67868496", "2010年9月1日-2020年8月31日"]);
    // Annex 3 the same way: its 招生区域范围 column (empty in the page's first row) is its own.
    expect(kindergartens.find((r) => r[0] === "19")!.slice(0, 5)).toEqual(["19", "松江区 中山幼儿园", "光星路1845号", "67881691", "中山街道"]);
    expect(kindergartens.every((r) => r.length === 6)).toBe(true);
  });
});

describe("PDF page furniture", () => {
  it("drops a header repeated on every page and the page numbers; a paragraph continues across the page break", async () => {
    const result = await read("running-header.pdf", fixture("running-header.pdf"));
    expect(result.dropped).toEqual({ 页眉页脚: 3, 页码: 3 });
    expect(result.text.split("\n")).toEqual([
      "1. Registration. Parents of children born between 1 September 2015 and 31 August 2016 register online between 15 April and 30 April, and print the registration form with its number, which they bring to the kindergarten on the verification days in May together with the household register and the birth certificate of the child.",
      "2. Verification. The verification days are 11 and 12 May; parents who missed registration may register on those days at the kindergarten of their catchment area.",
      "3. Admission. Kindergartens send admission letters before 15 July.",
    ]);
  });
});

describe("PDF without text", () => {
  it("NO_TEXT_LAYER for a page with drawings and no text", async () => {
    const error = await read("scan.pdf", fixture("no-text.pdf")).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("NO_TEXT_LAYER");
    expect(isAppError(error) && error.detail).toBe("无文字层，需要OCR：scan.pdf");
  });
});

describe.runIf(hasExternal)("text export with only page markers", () => {
  it("01_招生细则_原文.txt is NO_TEXT_LAYER, never an empty document", async () => {
    const error = await read("01_招生细则_原文.txt", external("01_招生细则_原文.txt")).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("NO_TEXT_LAYER");
    expect(isAppError(error) && error.detail).toBe("无文字内容（只有分页标记），需要重新导出或OCR：01_招生细则_原文.txt");
  });
});

describe.runIf(hasExternal)(".doc (Word 97–2003)", () => {
  it("reads the 长宁 Q&A: numbered questions on their own lines, each followed by its answer", async () => {
    expect(formatOf("问答.DOC")).toBe("doc");
    const result = await read("2019年长宁区学前教育招生问答口径.doc", external("2019年长宁区学前教育招生问答口径.doc"));
    const lines = result.text.split("\n");
    expect(lines[0]).toBe("2019年长宁区学前教育招生问答口径");
    expect(lines[1]).toBe("一、今年适龄幼儿入园与往年有何不同？");
    const questions = lines.filter((l) => /^[一二三四五六七八九十]+、.*？$/.test(l));
    expect(questions).toHaveLength(10);
    const seven = lines.indexOf("七、区指定报名验证点在哪里？哪些人可以去指定报名验证点进行报名验证？是否需要带幼儿？");
    expect(lines[seven + 1]).toBe("今年区指定报名验证点安排在新渔东路242号。");
    // Quotes kept as written, not turned into ASCII.
    expect(result.text).toContain("“上海市适龄幼儿入园信息登记系统”");
  });

  it("reads all of 12.金山政策.doc (word-extractor's false deletion marks ignored) and its tables", async () => {
    const result = await read("12.金山政策.doc", external("12.金山政策.doc"));
    const text = result.text;
    // The body word-extractor alone hides (it reads sprms 0x4A60/0x8840 as deleted revisions).
    expect(text.startsWith("上海市金山区教育局\n金教基〔2019〕6号\n2019年金山区幼儿园招生入园工作实施意见\n各幼儿园：\n")).toBe(true);
    expect(text).toContain("\n一、指导思想\n");
    expect(text).toContain("\n2019年5月11日、12日8：30—16：00办理报名验证手续。\n");
    // Sentences catdoc and the LibreOffice conversion (derived/12.金山政策.docx) read and word-extractor alone loses.
    expect(text).toContain("\n2019年金山区幼儿园招生入园工作实施意见\n");
    expect(text).toContain("户口、房产认定截止时间为2019年2月28日。");
    expect(text).toContain("（4）本市户籍特殊幼儿凭儿童医学机构出具的医学鉴定证明，确能独立参加集体活动，可安排至普通幼儿园随班就读；");
    // A cell whose first paragraph is empty does not end its row; the 备注 cell merged down over
    // fourteen rows (TC80 fVertMerge) is repeated in each of them.
    const places = tableWithHeader(text, "| 幼儿园 | 报名登记地址 | 备注 |");
    expect(places[0]).toEqual(["实验幼儿园（金天地部）", "卫清西路38弄8号", "招生地段见“2019年石化城区幼儿园招生地段划分表”"]);
    expect(places[1]).toEqual(["艺术幼儿园（海棠部）", "海棠街39号", "招生地段见“2019年石化城区幼儿园招生地段划分表”"]);
    expect(places.find((r) => r[0] === "临潮幼儿园")).toEqual(["临潮幼儿园", "临潮街285号", "招生地段见“2019年石化城区幼儿园招生地段划分表”"]);
    // Annex 1: the merged 地区 cell repeated on every row it spans; a cell written over two lines joined.
    const plan = tableWithHeader(text, "| 地区 | 幼儿园地址（分等定级） | 招生计划（规定学额） | 招生区域（详见各街镇、幼儿园招生简章） |");
    expect(plan).toContainEqual(["朱泾镇", "东风幼儿园临仓部市一级幼儿园区示范园（朱泾临仓街636号）", "小班3 个75人", "朱泾镇社区具体见《朱泾2019年各幼儿园新生招生简章》"]);
    expect(plan).toContainEqual(["金山工业区", "朱行幼儿园 市一级幼儿园区示范园（恒康路168号）", "小班6 个150 人", "朱行社区"]);
    expect(plan.filter((r) => r[0] === "朱泾镇")).toHaveLength(7);
    // The catchment annex laid out across: kindergartens in one row, their estates in the next, each
    // cell a list of paragraphs. Rows end where the paragraph properties say (sprmPFTtp), so no cell
    // is shifted into the next row even where a cell's first paragraph is empty.
    const across = text.split("\n").filter((l) => l.startsWith("| 幼儿园 | 金悦幼儿园 (总部） |") || l.startsWith("| 招生区域 | 1.水韵紫城"));
    expect(across).toHaveLength(2);
    const [names, areas] = across.map((l) => l.split(" | "));
    expect(names![4]).toBe("临潮幼儿园");
    expect(areas![4]).toMatch(/^1\.临潮一村—三村 2\.石化一村 —十五村/);
    expect(names![3]).toBe("豪庭幼儿园");
    expect(areas![3]).toBe("1.金山豪庭 2.宝华海湾城");
    // The same table as the LibreOffice conversion reads it (derived/12.金山政策.docx).
    const docx = (await read("12.金山政策.docx", external("derived/12.金山政策.docx"))).text;
    for (const line of across) expect(docx.split("\n")).toContain(line);
  });
});

describe(".doc table paragraphs", () => {
  it("marks row ends and in-cell paragraph breaks by file offset, pieces out of file order", () => {
    // Text order: piece A (UTF-16 at 4096) "甲\r\x07乙\x07", then piece B (compressed, at 9000) "\x07x".
    const pieces: TextPiece[] = [
      { text: "甲\r\x07乙\x07", startFilePos: 4096, bpc: 2, startCp: 0 },
      { text: "\x07x", startFilePos: 9000, bpc: 1, startCp: 5 },
    ];
    const merges = markTableParagraphs(pieces, [
      { mark: 4098, kind: "cell" }, // 甲's paragraph inside the first cell
      { mark: 4100, kind: "cell" }, // the first cell's mark: stays
      { mark: 9000, kind: "row", merged: [undefined, "up"] },
    ]);
    expect(pieces.map((p) => p.text)).toEqual([`甲${CELL_BREAK}\x07乙\x07`, `${ROW_END}x`]);
    expect(merges).toEqual([[undefined, "up"]]);
  });

  it("rebuilds rows from the marks: an empty first paragraph of a cell, a merged cell, text after the table", () => {
    const body = [
      `区\t园名\t招生地段\t${ROW_END}`,
      `长宁区\t愚一\t${CELL_BREAK}1.汇川路${CELL_BREAK}2.长宁路\t${ROW_END}`,
      `\t愚五\t愚园路\t${ROW_END}长宁区教育局`,
    ].join("");
    const { lines, tables } = docTextToLines(body, [[], [], ["up"]]);
    expect(tables).toBe(1);
    expect(lines.filter(Boolean)).toEqual([
      "| 区 | 园名 | 招生地段 |",
      "| --- | --- | --- |",
      "| 长宁区 | 愚一 | 1.汇川路 2.长宁路 |",
      "| 长宁区 | 愚五 | 愚园路 |",
      "长宁区教育局",
    ]);
  });
});

describe(".doc deleted revisions", () => {
  it("blanks exactly the covered characters of each piece, pieces out of file order (a fast-saved file)", () => {
    // Text order: piece A (UTF-16 at 2048), then piece B appended by a fast save (compressed, at 9000),
    // then piece C (UTF-16 at 2060, right after A in the file).
    const pieces: TextPiece[] = [
      { text: "入园登记", startFilePos: 2048, bpc: 2 },
      { text: "abcdef", startFilePos: 9000, bpc: 1 },
      { text: "报名验证", startFilePos: 2056, bpc: 2 },
    ];
    blankFileRanges(pieces, [
      { start: 2052, end: 2060 }, // 登记 (the end of A) and 报 (the start of C)
      { start: 9002, end: 9004 }, // cd
    ]);
    expect(pieces.map((p) => p.text)).toEqual(["入园\0\0", "ab\0\0ef", "\0\0验证"]);
  });
});

describe.runIf(hasExternal)(".docx tables", () => {
  it("12.金山政策.docx: tables as pipe tables, merged 地区 cells repeated in every row", async () => {
    const result = await read("12.金山政策.docx", external("derived/12.金山政策.docx"));
    expect(result.text).not.toMatch(/^\t/m);
    const registration = tableWithHeader(result.text, "| 幼儿园 | 报名登记地址 | 备注 |");
    expect(registration[0]).toEqual(["实验幼儿园（金天地部）", "卫清西路38弄8号", "招生地段见“2019年石化城区幼儿园招生地段划分表”"]);
    const places = result.text.split("\n").filter((l) => l.startsWith("| 朱泾镇 |"));
    expect(places.length).toBeGreaterThan(3);
  });

  it("a synthetic table: title row above the table, vMerge and gridSpan values repeated, '|' escaped", async () => {
    const result = await read("merged.docx", fixture("merged.docx"));
    expect(result.text).toBe(
      [
        "附件2",
        "",
        "2019年长宁区公办幼儿园招生地段表",
        "",
        "| 区 | 园名 | 招生地段 |",
        "| --- | --- | --- |",
        "| 长宁区 | 愚一 | 1.汇川路:10弄、88弄 2.长宁路:833弄、877弄 |",
        "| 长宁区 | 愚五 | 愚园路(单)\\|愚园路(双) |",
        "",
        "长宁区教育局",
      ].join("\n"),
    );
  });
});

describe("spreadsheets", () => {
  it("xlsx: one table per sheet named by 工作表, merged cell repeated, empty row dropped, dates and percentages as displayed", async () => {
    const result = await read("招生计划.xlsx", fixture("merged.xlsx"));
    expect(result.format).toBe("xlsx");
    expect(result.text).toBe(
      [
        "工作表：招生计划",
        "",
        "| 街镇 | 幼儿园 | 招生计划 | 报名日期 | 达标率 |",
        "| --- | --- | --- | --- | --- |",
        "| 朱泾镇 | 东风幼儿园 | 75 | 2019-05-11 | 95.0% |",
        "| 朱泾镇 | 健康幼儿园 | 50 | 2019-05-12 | 87.5% |",
        "| 枫泾镇 | 枫泾幼儿园 | 100 | 2019-05-11 | 100.0% |",
        "",
        "工作表：咨询电话",
        "",
        "| 单位 | 电话 |",
        "| --- | --- |",
        "| 长宁区教育局 | 22050761 |",
        "| 长宁幼教总支 | 62521150 |",
      ].join("\n"),
    );
  });

  it("csv: a GBK Q&A sheet and its UTF-8-with-BOM twin read the same, quoted fields kept whole", async () => {
    const gbk = await read("问答.csv", fixture("qa-gbk.csv"));
    const bom = await read("问答.csv", fixture("qa-utf8-bom.csv"));
    expect(gbk.encoding).toBe("gb18030");
    expect(bom.encoding).toBe("utf-8");
    expect(gbk.text).toBe(bom.text);
    const rows = tableWithHeader(gbk.text, "| 问题 | 答案 | 来源 | 日期 |");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual([
      "区指定报名验证点在哪里？",
      "今年区指定报名验证点安排在新渔东路242号。\"到区指定报名验证点\"无需带幼儿。",
      "2019年长宁区学前教育招生问答口径",
      "2019-04-15",
    ]);
  });

  it("parseCsv follows RFC 4180: commas, doubled quotes and line breaks inside quotes", () => {
    expect(parseCsv('问题,答案\r\n"几点,开始？","上午""8:30""\n开始"\r\n')).toEqual([
      ["问题", "答案"],
      ["几点,开始？", '上午"8:30"\n开始'],
    ]);
  });
});

describe("pipe tables", () => {
  it("one-column and one-row tables are plain lines; cell line breaks joined by script", () => {
    expect(pipeTableLines({ rows: [["联系电话"], ["22050761"]] })).toEqual(["联系电话", "22050761"]);
    expect(pipeTableLines({ rows: [["区教育局", "22050761"]] })).toEqual(["区教育局", "22050761"]);
    // A letter-spaced header cell is closed up; a space between two words of a cell stays.
    expect(pipeTableLines({ rows: [["等  级", "保育教育费"], ["示范性幼儿园", "健康幼儿园 二级幼儿园"]] })).toEqual([
      "| 等级 | 保育教育费 |",
      "| --- | --- |",
      "| 示范性幼儿园 | 健康幼儿园 二级幼儿园 |",
    ]);
    expect(pipeTableLines({ rows: [["学校", "招生范围"], ["长宁实验\n幼儿园", "Huayang\nRoad"]] })).toEqual([
      "| 学校 | 招生范围 |",
      "| --- | --- |",
      "| 长宁实验幼儿园 | Huayang Road |",
    ]);
  });
});

describe.runIf(hasExternal)("HTML pages", () => {
  it("02/05/36: body only, no navigation, counters or share links; Q&A questions on their own lines", async () => {
    for (const name of ["02_积分入学指引_2026.html", "05_幼儿园招生方案_2026.html", "36_积分制入户2025年度热点13问.html"]) {
      const { text } = await read(name, external(name));
      for (const chrome of ["当前位置", "分享到", "浏览次数", "网站地图", "版权所有", "ICP备", "主办单位"]) expect(text, `${name}: ${chrome}`).not.toContain(chrome);
    }
    const qa = (await read("36.html", external("36_积分制入户2025年度热点13问.html"))).text.split("\n");
    expect(qa[0]).toBe("1.2025年度积分制入户指标有多少个？");
    expect(qa[1]).toBe("答：根据年度人口迁入计划，2025年度我市积分制入户类指标为1.6万个，与2024年度持平。");
    expect(qa.filter((l) => /^\d+\..*？$/.test(l))).toHaveLength(13);
  });
});
