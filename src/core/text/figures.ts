/**
 * Numeric expressions in Chinese policy text: dates, document numbers, percentages, amounts with
 * 万/亿, counts with measure words, and Chinese-numeral quantities. One extractor serves the
 * tokenizer (figures are kept whole as single tokens) and the answer verifier (every figure in an
 * answer must appear in a cited passage). Input should be folded (half-width, Simplified).
 */

export type FigureKind = "date" | "doc-number" | "percent" | "amount" | "count" | "year" | "chinese";

export interface Figure {
  /** The expression as written, e.g. `3.86万个`. */
  text: string;
  start: number;
  end: number;
  kind: FigureKind;
  /**
   * The part that must match a source: number with its magnitude and percent sign but without the
   * measure word (`3.86万个` → `3.86万`, `72.9%` → `72.9%`, `50所` → `50`). Dates and document
   * numbers are their own core.
   */
  core: string;
}

// Measure words and units that follow counts in the corpus. Longer alternatives first.
const UNITS = [
  "个百分点", "个月", "平方米", "万平方米", "周岁", "人次", "万元", "亿元", "元/生", "学时", "课时", "小时", "公里",
  "所", "个", "人", "名", "元", "家", "场", "期", "项", "次", "节", "册", "对", "批", "届", "倍",
  "米", "分", "岁", "天", "间", "张", "台", "套", "本", "篇", "门", "类", "条", "件", "位", "支",
  "座", "栋", "辆", "户", "组", "班", "亩", "吨", "周", "层", "余", "多", "年", "月", "日", "号",
].sort((a, b) => b.length - a.length);

const UNIT = `(?:${UNITS.map((u) => u.replace(/[/]/g, "\\/")).join("|")})`;
// Thousands separators only in their own shape (1,234,567): a list of phone numbers written with
// commas (57932039，57930105) is two numbers, not 57932039,579 and 30105.
const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?`;
/**
 * A space a PDF's or Word file's text puts between a number and its unit (小班 6 个150 人, 中山二路 590 号,
 * 2019 年 4 月 15 日): the unit is still the number's.
 */
const SP = "[ \u00a0]?";
/** A unit after one space, that no Han character follows (6 个150 人; not 号 of 12345 号码, 人 of 57932039 人事科). */
const SPACED_UNIT = `[ \u00a0]${UNIT}(?![\u4e00-\u9fff])`;

/** Spaces beside a Han character (the unit's or a date's: 590 号, 2019 年 4 月 15 日): a figure's text is compared without them. */
const SPACE_BY_HAN = /[ \u00a0]+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[ \u00a0]+/g;
export const withoutHanSpaces = (text: string): string => text.replace(SPACE_BY_HAN, "");
const CN_DIGITS = "零〇一二两三四五六七八九十百千";
const CN_UNITS = "个所名项大批届次场类条年种级期家位支轮倍岁";

const PATTERNS: Array<{ kind: FigureKind; re: string }> = [
  { kind: "date", re: String.raw`\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?` },
  { kind: "date", re: String.raw`\d{4}${SP}年${SP}\d{1,2}${SP}月(?:${SP}\d{1,2}${SP}日)?` },
  { kind: "date", re: String.raw`\d{1,2}${SP}月${SP}\d{1,2}${SP}日` },
  { kind: "doc-number", re: String.raw`[\[〔【(]\d{4}[\]〕】)]\s?\d+${SP}号` },
  { kind: "percent", re: String.raw`${NUM}%` },
  // 710余万人次, 1.2万多名: 余/多 on either side of the magnitude.
  { kind: "amount", re: String.raw`${NUM}(?:余|多)?(?:万亿|万|亿|千)(?:余|多)?(?:${UNIT}|${SPACED_UNIT})?` },
  { kind: "year", re: String.raw`(?:19|20)\d{2}${SP}年(?:度)?` },
  // A number of six digits or fewer with its unit after a space (a phone number's space is before a word: 57821271 周一至周五).
  { kind: "count", re: String.raw`\d{1,6}(?:\.\d+)?(?:余|多)?${SPACED_UNIT}` },
  { kind: "count", re: String.raw`${NUM}(?:余|多)?${UNIT}?` },
  // 第十一批, 三大革命, 十个一: a Chinese numeral run followed by a measure word.
  { kind: "chinese", re: `第?[${CN_DIGITS}]+(?:周岁|[${CN_UNITS}])` },
];

const COMBINED = new RegExp(PATTERNS.map((p) => `(${p.re})`).join("|"), "g");

function coreOf(text: string, kind: FigureKind): string {
  if (kind === "date" || kind === "doc-number" || kind === "chinese") return text;
  if (kind === "year") return text.slice(0, 4);
  const match = /^(\d+(?:,\d{3})*(?:\.\d+)?)(?:余|多)?(%|万亿|万|亿|千)?/.exec(text);
  if (!match) return text;
  return (match[1] ?? "").replace(/,/g, "") + (match[2] ?? "");
}

/** All numeric expressions in folded text, left to right, never overlapping. */
export function extractFigures(folded: string): Figure[] {
  const figures: Figure[] = [];
  for (const match of folded.matchAll(COMBINED)) {
    const start = match.index ?? 0;
    const text = match[0];
    // A digit run glued to Latin letters (e.g. a URL path or `n32561912`) is not a figure.
    const before = folded[start - 1] ?? "";
    if (/[A-Za-z_/]/.test(before)) continue;
    const groupIndex = match.slice(1).findIndex((g) => g !== undefined);
    const kind = PATTERNS[groupIndex]?.kind ?? "count";
    // Chinese numerals: keep only real quantities (not 一 in 一体化, 统一, 之一 …).
    if (kind === "chinese" && !isChineseQuantity(text, folded, start)) continue;
    figures.push({ text, start, end: start + text.length, kind, core: coreOf(text, kind) });
  }
  return figures;
}

function isChineseQuantity(text: string, folded: string, start: number): boolean {
  const digits = text.replace(/^第/, "").slice(0, -1);
  if (!digits) return false;
  if (text.startsWith("第")) return true;
  // 一个/一所 are articles more often than counts; a lone 一 counts only with 第.
  if (digits === "一") return false;
  // Inside a longer word (统一, 之一, 唯一) the numeral is not a count.
  const before = folded[start - 1] ?? "";
  return !/[统之唯万专同初高]/.test(before);
}

/** The cores of all figures in a text, for set comparisons. */
export function figureCores(folded: string): string[] {
  return extractFigures(folded).map((f) => f.core);
}
