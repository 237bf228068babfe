/**
 * The heading grammar of Chinese official documents and Markdown. Each numbering style has a rank in
 * the conventional hierarchy — 第N编 > 第N章 > 第N节 > 第N条 > 一、 > （一）/㈠ > 1./1、 > （1）/⑴ > 1） > ① —
 * and Markdown `#`…`######` sit above all of them. A heading pops every open heading of the same
 * style or of an equal or lower rank, so a document that skips levels still nests sensibly.
 */

export type HeadingStyle =
  | "markdown"
  | "annex"
  /** The enclosed document's own title inside a 关于印发《X》的通知. */
  | "document"
  | "part"
  | "chapter"
  | "section"
  | "article"
  | "cn"
  | "dash"
  | "cn-paren"
  | "num"
  | "num-paren"
  | "num-half"
  | "circled";

export interface HeadingMatch {
  style: HeadingStyle;
  /** Smaller is higher in the hierarchy; Markdown levels are negative. */
  rank: number;
  /** The numbering as written (`一、`, `（2）`, `第三条`, `##`). */
  marker: string;
  /** The text after the marker, trimmed. */
  rest: string;
}

const CN_DIGITS = "一二三四五六七八九十百零〇两";
const NUM = `[${CN_DIGITS}\\d]+`;

interface Rule {
  style: HeadingStyle;
  rank: number;
  pattern: RegExp;
}

// Order matters where patterns overlap (第N条 before 第N章 is irrelevant; `1）` after `（1）`).
const RULES: Rule[] = [
  { style: "part", rank: 0, pattern: new RegExp(`^第${NUM}编`) },
  { style: "chapter", rank: 1, pattern: new RegExp(`^第${NUM}(?:章|部分)`) },
  { style: "section", rank: 2, pattern: new RegExp(`^第${NUM}节`) },
  { style: "article", rank: 3, pattern: new RegExp(`^第${NUM}条`) },
  { style: "cn", rank: 4, pattern: /^[一二三四五六七八九十百]+[、.．](?![\d一二三四五六七八九十])/ },
  { style: "dash", rank: 4, pattern: /^——/ },
  { style: "cn-paren", rank: 5, pattern: /^(?:[（(][一二三四五六七八九十百]+[)）]|[㈠-㈩])/ },
  // `1.` but not a decimal (`2.5万`) or a date (`4.15`), except a year (`1.2025年度…`).
  { style: "num", rank: 6, pattern: /^\d{1,2}(?:[.．](?!\d)|[.．](?=(?:19|20)\d{2}年)|、)/ },
  { style: "num-paren", rank: 7, pattern: /^(?:[（(]\d{1,2}[)）]|[⑴-⒇])/ },
  { style: "num-half", rank: 8, pattern: /^\d{1,2}[)）](?!\d)/ },
  { style: "circled", rank: 9, pattern: /^[①-⑳]/ },
];

const MARKDOWN = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
/** `附件1`, `附件 2：…`, `附件一`, `附件：` (PDF exports space the number). */
const ANNEX = /^附\s*件\s*([\d一二三四五六七八九十]*)\s*[:：.．、]?\s*(.*)$/;
const FILE_NAME = /\.(?:docx?|xlsx?|csv|pdf|wps|et|zip|rar)\s*$|^(?:docx?|xlsx?|pdf)$/i;
const DATE_LINE = /^\s*[\d一二三四五六七八九十〇零]{2,4}\s*[年.\-/]\s*[\d一二三四五六七八九十]{1,2}\s*[月.\-/]\s*(?:[\d一二三四五六七八九十]{1,3}\s*日?)?\s*$/;

/** Markdown headings rank above every numbering style: `#` is -9, `######` is -4. */
const markdownRank = (level: number) => -10 + level;
export const ANNEX_RANK = -0.5;

/** The heading style a line starts with, or null. Says nothing yet about whether it is a heading. */
export function matchHeading(line: string): HeadingMatch | null {
  const md = MARKDOWN.exec(line);
  if (md) return { style: "markdown", rank: markdownRank(md[1]!.length), marker: md[1]!, rest: md[2]!.trim() };
  const annex = ANNEX.exec(line);
  if (annex && (annex[1] || /^附\s*件\s*[:：]?\s*$/.test(line))) {
    return { style: "annex", rank: ANNEX_RANK, marker: `附件${annex[1]}`, rest: annex[2]!.trim() };
  }
  for (const rule of RULES) {
    const m = rule.pattern.exec(line);
    if (m) return { style: rule.style, rank: rule.rank, marker: m[0], rest: line.slice(m[0].length).trim() };
  }
  return null;
}

/** True for a line that is only a date (`2019年4月15日`, `二〇一九年四月`, `2019.4.15`). */
export function isDateLine(line: string): boolean {
  return DATE_LINE.test(line);
}

/** True for an annex line that only names a file (`附件1.docx`): a list item, not a section. */
export function isAnnexFileLine(line: string): boolean {
  return FILE_NAME.test(line.trim());
}
