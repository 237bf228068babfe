/**
 * Metadata an official document carries in its own text, for files dropped into the corpus without a
 * documents.json entry: the 发文字号 line under the 红头 (`长教〔2019〕15号`), the issuing body (红头
 * `XX教育局文件`, or the 落款 line before the signing date), the signing date (`2019年4月15日`,
 * `二〇一九年四月一日`), a regulation's adoption/amendment notes (`1993年2月6日…会议通过`) and the
 * effective period (`自…起施行`, `有效期…`). Recognised header and 落款 lines leave the body and are kept
 * for the document-info passage: the 红头 as written, the others as `key：value` info lines.
 */

import { HAN_DIGIT_VALUES, hanNumber } from "../text/numerals.js";

export interface TextMetadata {
  docNumber?: string;
  issuer?: string;
  /** ISO date (YYYY-MM-DD), or YYYY-MM when the text names only the month. */
  issuedAt?: string;
  year?: number;
  effective?: string;
  /** The 版记's 印发日期 (`2019年4月15日`), which may differ from the 落款's 成文日期. */
  printed?: string;
  /** A regulation's adoption and amendment notes, oldest first. */
  history: string[];
}

export interface TextMetadataResult {
  meta: TextMetadata;
  /** Body lines without the recognised header, 落款 and 印发 lines. */
  lines: string[];
  /** `key：value` lines for the document-info passage. */
  infoLines: string[];
  /** The 红头 line as written (`上海市长宁区教育局文件`): out of the body, it heads the document-info passage. */
  mastheadLines: string[];
  /** Names of the fields found (docNumber, issuer, issuedAt, year, effective, printed, history). */
  found: string[];
}

const HAN = "\\u3400-\\u9fff";
/** Removes the spaces PDF exports put between characters (`长 宁 区 教 育 局`, `2019 年 4 月`). */
export const compact = (line: string) => line.replace(/[\s\u3000]+/g, "");

const DOC_NUMBER = new RegExp(`^(?:(?:发文字号|发文编号|文号)[:：])?([${HAN}]{1,12}[〔\\[［(（【]\\s*(?:19|20)\\d{2}\\s*[〕\\]］)）】]\\s*第?\\s*\\d{1,4}\\s*号)$`);
const ORG_SUFFIX = "(?:教育局|教育委员会|教委|人民政府|政府|委员会|办公室|办公厅|局|厅|委|中心|学校|幼儿园|学院|大学|处|部)";
const ORG = new RegExp(`^[${HAN}（）()]{2,30}?${ORG_SUFFIX}$`);
/** 红头: `上海市长宁区教育局文件`, `上海市松江区教育局（意见）`. */
const RED_HEADER = new RegExp(`^([${HAN}]{2,30}?${ORG_SUFFIX})(?:文件|[（(](?:意见|通知|函|公告|通告)[)）])$`);
const ARABIC_DATE = /^((?:19|20)\d{2})年(\d{1,2})月(?:(\d{1,2})日)?$/;
const HAN_DATE = /^([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?$/;
const PRINTED = /^(.*?)((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)印发$/;
const HISTORY = /^[（(]?((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日.{4,}?(?:通过|修正|修订|公布|批准|施行)(?:[)）]|[^。]{0,40}[)）]?)?$/;
// `有效期内的《居住证》` is about a permit, not the document: a period needs 为/至/：or a length.
const EFFECTIVE = /自[^。；;，,]{2,40}?起(?:施行|执行|实施|生效)|有效期(?:为|至|是|[:：])[^。；;]{2,40}|有效期[\d一二三四五六七八九十两]+年/;

const pad = (n: number | string) => String(n).padStart(2, "0");

/** `2019年4月15日` / `二〇一九年四月一日` (spaces allowed) → ISO date; month-only dates → YYYY-MM. */
export function parseChineseDate(line: string): string | undefined {
  const text = compact(line);
  const arabic = ARABIC_DATE.exec(text);
  if (arabic) return arabic[3] ? `${arabic[1]}-${pad(arabic[2]!)}-${pad(arabic[3])}` : `${arabic[1]}-${pad(arabic[2]!)}`;
  const han = HAN_DATE.exec(text);
  if (han) {
    const year = [...han[1]!].map((c) => HAN_DIGIT_VALUES[c] ?? 0).join("");
    const month = hanNumber(han[2]!);
    return han[3] ? `${year}-${pad(month)}-${pad(hanNumber(han[3]))}` : `${year}-${pad(month)}`;
  }
  return undefined;
}

const HEADER_ZONE = 12;

/** Reads the metadata lines of an official document and takes them out of its body. */
export function extractTextMetadata(lines: string[]): TextMetadataResult {
  const meta: TextMetadata = { history: [] };
  const infoLines: string[] = [];
  const drop = new Set<number>();
  let redHeaderIssuer: string | undefined;
  const mastheadLines: string[] = [];

  // The header zone: 红头, 发文字号 and a regulation's adoption/amendment notes.
  let seen = 0;
  for (let i = 0; i < lines.length && seen < HEADER_ZONE; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    seen++;
    const text = compact(line);
    const red = RED_HEADER.exec(text);
    const number = DOC_NUMBER.exec(text);
    if (red && !redHeaderIssuer) {
      redHeaderIssuer = red[1]!;
      mastheadLines.push(line);
      drop.add(i);
    } else if (number && !meta.docNumber) {
      meta.docNumber = number[1]!;
      infoLines.push(`发文字号：${meta.docNumber}`);
      drop.add(i);
    } else if (HISTORY.test(text) && text.length <= 160 && !text.includes("。")) {
      meta.history.push(line);
      infoLines.push(line.replace(/^[（(]|[)）]$/g, ""));
      drop.add(i);
    }
  }

  // The 落款: an organisation line followed by a date line; the first pair in the document (annexes
  // come after it). A date alone as the document's last line is a 落款 without a name.
  const nonEmpty = lines.map((l, i) => (l.trim() ? i : -1)).filter((i) => i >= 0);
  for (let k = 1; k < nonEmpty.length; k++) {
    const i = nonEmpty[k]!;
    // Table cells (tab-prefixed or piped) are never a 落款.
    if (/^\t|\|/.test(lines[i]!) || /^\t|\|/.test(lines[nonEmpty[k - 1]!]!)) continue;
    const date = parseChineseDate(lines[i]!);
    if (!date) continue;
    const previous = nonEmpty[k - 1]!;
    const org = compact(lines[previous]!);
    if (ORG.test(org) && !drop.has(previous)) {
      meta.issuer = org;
      meta.issuedAt = date;
      infoLines.push(`落款：${org} ${lines[i]!.trim()}`);
      drop.add(previous).add(i);
      break;
    }
    if (k === nonEmpty.length - 1) {
      meta.issuedAt = date;
      infoLines.push(`成文日期：${lines[i]!.trim()}`);
      drop.add(i);
    }
  }

  // The 版记 line at the very end (`长宁区教育局办公室 2019年4月15日印发`): the 印发机关 and 印发日期
  // (GB/T 9704—2012 7.4.2). Out of the body; its date, which may differ from the 落款's 成文日期, is
  // kept as an info line (the 印发机关 is the issuer's office, print furniture).
  for (const i of nonEmpty.slice(-3)) {
    const printed = PRINTED.exec(compact(lines[i]!));
    if (!printed || meta.printed !== undefined) continue;
    const date = parseChineseDate(printed[2]!);
    // Said once when it is the 落款's date too (长宁: both 4月15日); kept when it differs (松江: 4月11日 / 4月15日).
    if (meta.issuedAt === undefined || date !== meta.issuedAt) infoLines.push(`印发日期：${printed[2]!}`);
    meta.issuedAt ??= date;
    meta.printed = printed[2]!;
    drop.add(i);
  }

  if (!meta.issuer && redHeaderIssuer) meta.issuer = redHeaderIssuer;
  if (!meta.issuedAt && meta.history.length) {
    // A regulation in force is dated by its latest amendment.
    const last = HISTORY.exec(compact(meta.history[meta.history.length - 1]!))!;
    meta.issuedAt = `${last[1]}-${pad(last[2]!)}-${pad(last[3]!)}`;
  }
  if (meta.issuedAt) meta.year = Number(meta.issuedAt.slice(0, 4));

  const body = lines.filter((_, i) => !drop.has(i));
  for (const line of body) {
    const effective = EFFECTIVE.exec(line);
    if (effective) {
      meta.effective = effective[0];
      infoLines.push(`施行：${meta.effective}`);
      break;
    }
  }

  const found = (["docNumber", "issuer", "issuedAt", "year", "effective", "printed", "history"] as const).filter((key) =>
    key === "history" ? meta.history.length > 0 : meta[key] !== undefined,
  );
  return { meta, lines: body, infoLines, mastheadLines, found };
}
