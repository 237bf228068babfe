/**
 * Reads a PDF's text layer with unpdf (a serverless build of pdf.js that runs offline in Node) and
 * rebuilds the document from the positions of its text items:
 *
 * - items → visual lines (same baseline) → paragraphs: a line ends its paragraph when it ends with
 *   sentence punctuation, stops well short of the right margin, is followed by an indented line, a
 *   heading marker (一、 （一） ⑴ 1. 第X条 附件 …), a clearly larger vertical gap or another font size;
 *   paragraphs continue across page breaks;
 * - page numbers (`— 3 —`, `第3页`, `3/19`, a lone number) at the top/bottom of a page and running
 *   headers/footers (the same line modulo digits on ≥ half of the pages) are dropped and counted;
 * - spaced-out characters (`招 生 简 章`) are joined: Chinese never needs a space next to a CJK character;
 * - tables are rebuilt from positions: runs of lines with ≥ 2 cells at column x-positions that recur
 *   over ≥ 3 lines. Word and WPS write a table cell by cell, so the content-stream order gives the
 *   rows even when a cell wraps over several lines or is vertically centred: a new row starts when
 *   the stream goes back to an earlier column below everything of the current row. Tables are
 *   emitted as Markdown pipe tables (see table-lines.ts); a table continued on the next page with
 *   its header repeated is emitted once.
 * A PDF without any text item is a scan: NO_TEXT_LAYER (OCR is out of scope).
 */
import { getDocumentProxy } from "unpdf";

import { createError } from "../../core/errors.js";
import { fillLeadingCellsFromAbove, joinCellLines, pipeTableLines, type TableGrid } from "./table-lines.js";

export interface PdfReadResult {
  text: string;
  pages: number;
  dropped: Record<string, number>;
  tables: number;
}

/** One text item of pdf.js with its position (PDF user space: y grows upwards). */
interface Glyph {
  text: string;
  x: number;
  y: number;
  right: number;
  size: number;
  /** Position in the content stream of its page. */
  order: number;
}

interface Line {
  page: number;
  y: number;
  size: number;
  x: number;
  right: number;
  glyphs: Glyph[];
  /** x where each cell-like segment starts (segments are separated by a gap ≥ SEGMENT_GAP em). */
  segmentStarts: number[];
  text: string;
}

type Block = { kind: "line"; line: Line } | { kind: "table"; grid: TableGrid; page: number; columns: number[] };

/** A gap between two items of a line, in em, from which they are separate cells (justified body text stays under 0.5). */
const SEGMENT_GAP = 0.6;
/** Segment starts within this many em are one column. */
const COLUMN_TOLERANCE = 1.2;
/** Items whose baselines differ by less than this share of the font size are on one line. */
const SAME_LINE = 0.4;

const CJK = "\\u2e80-\\u2fff\\u3000-\\u303f\\u3040-\\u30ff\\u3100-\\u312f\\u3200-\\u33ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uffef\\u2018-\\u201f\\u2026\\u2014";
const SPACE_NEXT_TO_CJK = new RegExp(`(?<=[${CJK}])[ \\t\\u00a0]+|[ \\t\\u00a0]+(?=[${CJK}])`, "g");
const IS_CJK_CHAR = new RegExp(`[${CJK}]`);

/** Removes spaces next to CJK characters: `招 生 简 章` → `招生简章`, `2019 年` → `2019年`. */
export function joinSpacedCjk(text: string): string {
  return text.replace(SPACE_NEXT_TO_CJK, "").replace(/[ \t\u00a0]{2,}/g, " ").trim();
}

const PAGE_NUMBER = /^(?:[-—–－~～_]*\s*\d{1,4}\s*[-—–－~～_]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*[/／]\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$/;

/** Heading markers that start a paragraph of their own. */
const HEADING_START = /^(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百]+[）)]|[㈠-㈩⑴-⒇①-⑳]|\d{1,2}\s*[.．、](?!\d)|[（(]\d{1,2}[）)]|\d{1,2}[）)]|第[一二三四五六七八九十百零\d]+[章节条款]|附件|附表|抄送|联系人|联系电话)/;
const SENTENCE_END = /(?:[。！？；：!?;:]|(?<=[A-Za-z)\]])\.)[”’」』）)"']*$/;

// ------------------------------------------------------------------------------------------------
// Items → lines
// ------------------------------------------------------------------------------------------------

interface RawItem {
  str?: string;
  transform?: number[];
  width?: number;
  height?: number;
}

function glyphsOf(items: RawItem[]): Glyph[] {
  const glyphs: Glyph[] = [];
  items.forEach((item, order) => {
    if (typeof item.str !== "string" || !item.transform || !item.str.trim()) return;
    const [a = 0, b = 0, , d = 0, x = 0, y = 0] = item.transform;
    const size = Math.max(Math.hypot(a, b), Math.abs(d), item.height ?? 0, 1);
    glyphs.push({ text: item.str, x, y, right: x + (item.width ?? 0), size, order });
  });
  return glyphs;
}

function joinGlyphText(left: Glyph, right: Glyph): string {
  const gap = right.x - left.right;
  const a = left.text.trimEnd().slice(-1);
  const b = right.text.trimStart().charAt(0);
  if (IS_CJK_CHAR.test(a) || IS_CJK_CHAR.test(b)) return "";
  return gap > 0.15 * Math.min(left.size, right.size) ? " " : "";
}

const SINGLE_CJK = new RegExp(`^[${CJK}]$`);

/**
 * Letter-spaced headings and header cells (`招  生  地  段`) come as one item per character: a run of
 * ≥ 3 single CJK characters at a regular pitch (gaps under 3 em) is one item.
 */
function mergeSpacedGlyphs(glyphs: Glyph[]): Glyph[] {
  const out: Glyph[] = [];
  let i = 0;
  while (i < glyphs.length) {
    let j = i + 1;
    if (SINGLE_CJK.test(glyphs[i]!.text.trim())) {
      const gaps: number[] = [];
      while (j < glyphs.length && SINGLE_CJK.test(glyphs[j]!.text.trim())) {
        const gap = glyphs[j]!.x - glyphs[j - 1]!.right;
        if (gap > 3 * glyphs[j]!.size || (gaps.length && Math.abs(gap - gaps[0]!) > 0.5 * glyphs[j]!.size)) break;
        gaps.push(gap);
        j++;
      }
    }
    if (j - i >= 3) {
      const run = glyphs.slice(i, j);
      out.push({ ...run[0]!, text: run.map((g) => g.text.trim()).join(""), right: run[run.length - 1]!.right });
    } else {
      j = i + 1;
      out.push(glyphs[i]!);
    }
    i = j;
  }
  return out;
}

function buildLine(page: number, unsorted: Glyph[]): Line {
  const glyphs = mergeSpacedGlyphs([...unsorted].sort((p, q) => p.x - q.x));
  const size = Math.max(...glyphs.map((g) => g.size));
  const segmentStarts = [glyphs[0]!.x];
  let text = glyphs[0]!.text;
  for (let i = 1; i < glyphs.length; i++) {
    const previous = glyphs[i - 1]!;
    const glyph = glyphs[i]!;
    const em = Math.min(previous.size, glyph.size);
    if (glyph.x - previous.right >= SEGMENT_GAP * em) {
      segmentStarts.push(glyph.x);
      text += " ";
    } else {
      text += joinGlyphText(previous, glyph);
    }
    text += glyph.text;
  }
  return {
    page,
    y: glyphs.reduce((sum, g) => sum + g.y, 0) / glyphs.length,
    size,
    x: glyphs[0]!.x,
    right: Math.max(...glyphs.map((g) => g.right)),
    glyphs,
    segmentStarts,
    text: joinSpacedCjk(text),
  };
}

/** Groups a page's items into visual lines, top to bottom. */
function linesOf(page: number, glyphs: Glyph[]): Line[] {
  const sorted = [...glyphs].sort((p, q) => q.y - p.y || p.x - q.x);
  const groups: Glyph[][] = [];
  let current: Glyph[] = [];
  let y = Number.NaN;
  for (const glyph of sorted) {
    if (current.length && Math.abs(glyph.y - y) <= SAME_LINE * Math.min(glyph.size, current[0]!.size)) {
      current.push(glyph);
    } else {
      if (current.length) groups.push(current);
      current = [glyph];
      y = glyph.y;
    }
  }
  if (current.length) groups.push(current);
  return groups.map((group) => buildLine(page, group)).filter((line) => line.text !== "");
}

// ------------------------------------------------------------------------------------------------
// Page furniture
// ------------------------------------------------------------------------------------------------

/** Removes page numbers and running headers/footers from every page; returns what was dropped. */
function dropPageFurniture(pages: Line[][], heights: number[]): Record<string, number> {
  const dropped: Record<string, number> = {};
  const count = (kind: string) => (dropped[kind] = (dropped[kind] ?? 0) + 1);
  const inBand = (line: Line, page: number) => {
    const h = heights[page] ?? 842;
    return line.y > h * 0.9 || line.y < h * 0.1;
  };
  // Running headers/footers: a line near the top or bottom, the same modulo digits on ≥ half the pages.
  const key = (line: Line) => line.text.replace(/\d+/g, "#").replace(/\s+/g, "");
  const seen = new Map<string, number>();
  pages.forEach((lines, p) => {
    const keys = new Set(lines.filter((l) => inBand(l, p)).map(key));
    for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
  });
  const threshold = Math.max(2, Math.ceil(pages.length / 2));
  pages.forEach((lines, p) => {
    const kept: Line[] = [];
    lines.forEach((line, i) => {
      const edge = i <= 1 || i >= lines.length - 2;
      if (edge && inBand(line, p) && PAGE_NUMBER.test(line.text.replace(/\s+/g, ""))) return void count("页码");
      if (edge && PAGE_NUMBER.test(line.text.replace(/\s+/g, "")) && (i === 0 || i === lines.length - 1)) return void count("页码");
      if (inBand(line, p) && pages.length >= 3 && (seen.get(key(line)) ?? 0) >= threshold) return void count("页眉页脚");
      kept.push(line);
    });
    pages[p] = kept;
  });
  return dropped;
}

// ------------------------------------------------------------------------------------------------
// Tables
// ------------------------------------------------------------------------------------------------

interface Margins {
  left: number;
  right: number;
  bodySize: number;
}

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(Math.round(v), (counts.get(Math.round(v)) ?? 0) + 1);
  let best = values[0] ?? 0;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c];
  return best;
}

function marginsOf(lines: Line[], pageWidth: number): Margins {
  // The body font is the one most text is set in (annex tables may have more, shorter lines).
  const chars = new Map<number, number>();
  for (const l of lines) chars.set(Math.round(l.size), (chars.get(Math.round(l.size)) ?? 0) + l.text.length);
  const bodySize = [...chars].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 12;
  const body = lines.filter((l) => Math.abs(Math.round(l.size) - bodySize) < 0.5 && l.segmentStarts.length === 1);
  const left = mode(body.map((l) => l.x));
  const rights = body.map((l) => l.right).sort((a, b) => a - b);
  const measured = rights[Math.floor(rights.length * 0.9)] ?? Math.max(...lines.map((l) => l.right));
  // Few body lines (a short document) cannot show the right margin: pages are set symmetric.
  const right = Math.max(measured, pageWidth - left - 2 * bodySize);
  return { left, right, bodySize };
}

/** Column start positions: segment starts that recur on ≥ 3 lines, clustered within COLUMN_TOLERANCE. */
function columnStarts(lines: Line[]): number[] {
  const starts = lines.flatMap((line) => line.segmentStarts.map((x) => ({ x, size: line.size, line })));
  starts.sort((a, b) => a.x - b.x);
  const clusters: { min: number; lines: Set<Line> }[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const s of starts) {
    const cluster = clusters[clusters.length - 1];
    if (cluster && s.x - last <= COLUMN_TOLERANCE * s.size) cluster.lines.add(s.line);
    else clusters.push({ min: s.x, lines: new Set([s.line]) });
    last = s.x;
  }
  return clusters.filter((c) => c.lines.size >= 3).map((c) => c.min);
}

function columnOf(x: number, columns: number[], em: number): number {
  let index = 0;
  columns.forEach((start, i) => {
    if (start <= x + 0.5 * em) index = i;
  });
  return index;
}

/**
 * Text of one cell from its glyphs, visual lines top to bottom. A line that reaches the right edge of
 * its column wrapped: it is joined as table-lines.ts joins cell lines (nothing between CJK characters);
 * a line that stops short ended on purpose (one address of several): a space keeps the entries apart.
 */
function cellText(glyphs: Glyph[], page: number, columnRight: number): string {
  const lines = linesOf(page, glyphs);
  let text = "";
  lines.forEach((line, i) => {
    const previous = lines[i - 1];
    const wrapped = !previous || previous.right >= columnRight - 1.5 * previous.size || /[、，,；;]$/.test(previous.text);
    text = wrapped ? joinCellLines([text, line.text]) : `${text} ${line.text}`;
  });
  return text.trim();
}

/**
 * Splits glyphs (in content-stream order) into rows: a row ends when the stream goes back to an
 * earlier column below everything the current row holds in that column and the columns before it
 * (a cell merged over several rows, such as a vertically centred 序号, does not hold the row open).
 */
function splitRows(glyphs: Glyph[], columnOfGlyph: (g: Glyph) => number): Glyph[][][] {
  const rows: Glyph[][][] = [];
  let row: Glyph[][] = [];
  let lowest: number[] = [];
  let rowBottom = Number.POSITIVE_INFINITY;
  let lastColumn = -1;
  for (const glyph of glyphs) {
    const column = columnOfGlyph(glyph);
    if (row.length && column < lastColumn) {
      const before = lowest.slice(0, column + 1).filter((y) => y !== undefined);
      const floor = before.length ? Math.min(...before) : rowBottom;
      if (glyph.y < floor - SAME_LINE * glyph.size) {
        rows.push(row);
        row = [];
        lowest = [];
        rowBottom = Number.POSITIVE_INFINITY;
      }
    }
    (row[column] ??= []).push(glyph);
    lowest[column] = Math.min(lowest[column] ?? Number.POSITIVE_INFINITY, glyph.y);
    rowBottom = Math.min(rowBottom, glyph.y);
    lastColumn = column;
  }
  if (row.length) rows.push(row);
  return rows;
}

/** Rebuilds the rows of a table region from content-stream order (see the file comment). */
function tableGrid(region: Line[], page: number, columns = columnStarts(region)): TableGrid | null {
  if (columns.length < 2) return null;
  const glyphs = region.flatMap((l) => l.glyphs).sort((p, q) => p.order - q.order);
  const columnIndex = new Map(glyphs.map((g) => [g, columnOf(g.x, columns, g.size)]));
  const columnRight = columns.map((_, c) => Math.max(...glyphs.filter((g) => columnIndex.get(g) === c).map((g) => g.right)));
  const texts = (rows: Glyph[][][]) => rows.map((r) => columns.map((_, c) => (r[c]?.length ? cellText(r[c]!, page, columnRight[c]!) : "")));
  // A first pass finds the header; columns it leaves unnamed are a second text column of the cell to
  // their left (a catchment list set in two columns inside one cell) and join it before the rows are cut.
  const target = ownerColumns(texts(splitRows(glyphs, (g) => columnIndex.get(g)!))[0] ?? []);
  const rows = splitRows(glyphs, (g) => target[columnIndex.get(g)!]!);
  const cells = rows.map((r) => {
    const out: string[] = [];
    columns.forEach((_, c) => {
      const own = r[target[c]!]?.filter((g) => columnIndex.get(g) === c) ?? [];
      const text = own.length ? cellText(own, page, columnRight[c]!) : "";
      const t = target[c]!;
      out[t] = [out[t], text].filter(Boolean).join(" ");
    });
    return Array.from({ length: columns.length }, (_, i) => out[i] ?? "").filter((_, i) => target[i] === i);
  });
  fillLeadingCellsFromAbove(cells);
  return { rows: cells };
}

/** For each column, the column it belongs to: itself, or the named column to its left when its header is empty. */
function ownerColumns(header: string[]): number[] {
  const named = header.filter((c) => c !== "").length >= 2;
  const owner: number[] = [];
  header.forEach((cell, i) => {
    owner[i] = named && i > 0 && cell === "" ? owner[i - 1]! : i;
  });
  return owner;
}

/** Lines that belong to a table region: within its horizontal extent, not in a larger font. */
interface RegionShape {
  left: number;
  size: number;
}

/** Section headings (一、 （一） 附件) are body text, never the inside of a table. */
const SECTION_HEADING = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|附件)/;

function mayBeCell(line: Line, shape: RegionShape): boolean {
  return line.x >= shape.left - 0.5 * line.size && line.size <= shape.size + 0.5 && !SECTION_HEADING.test(line.text);
}

/** Rows of a borderless table may be far apart (padding): a table continues over gaps up to this many em. */
const TABLE_LINE_GAP = 6;

/** Splits a page's lines into text lines and table regions. */
function pageBlocks(lines: Line[], page: number): Block[] {
  const multi = lines.map((l) => l.segmentStarts.length >= 2);
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!multi[i]) {
      blocks.push({ kind: "line", line: lines[i]! });
      i++;
      continue;
    }
    const shape: RegionShape = { left: lines[i]!.x, size: lines[i]!.size };
    const near = (a: Line, b: Line) => a.y - b.y < TABLE_LINE_GAP * Math.max(a.size, b.size);
    // Extend over multi-cell lines and runs of ≤ 8 cell-like lines followed by a multi-cell line.
    let end = i + 1;
    let multiCount = 1;
    for (;;) {
      let j = end;
      // A line closer to the previous one than a line height sits between the lines of a taller cell.
      const interleaved = (k: number) => lines[k - 1]!.y - lines[k]!.y < 0.9 * lines[k]!.size;
      while (j < lines.length && j - end < 8 && !multi[j] && (mayBeCell(lines[j]!, shape) || interleaved(j)) && near(lines[j - 1]!, lines[j]!)) j++;
      // A header may be set a little larger or bolder than the body rows.
      if (j < lines.length && multi[j] && near(lines[j - 1]!, lines[j]!) && Math.abs(lines[j]!.size - shape.size) <= Math.max(0.5, 0.2 * shape.size)) {
        shape.left = Math.min(shape.left, lines[j]!.x);
        end = j + 1;
        multiCount++;
      } else break;
    }
    let start = i;
    const pitch = medianPitch(lines.slice(i, end));
    // Leading and trailing lines of wrapped cells (a header cell `序/号`, the last row's tail).
    while (start > 0 && blocks.length && !multi[start - 1] && mayBeCell(lines[start - 1]!, shape) && lines[start - 1]!.y - lines[start]!.y <= 1.3 * pitch) {
      start--;
      blocks.pop();
    }
    while (end < lines.length && !multi[end] && mayBeCell(lines[end]!, shape) && lines[end - 1]!.y - lines[end]!.y <= 1.3 * pitch) end++;
    const region = lines.slice(start, end);
    const columns = columnStarts(region);
    const grid = multiCount >= 3 ? tableGrid(region, page, columns) : null;
    if (grid && grid.rows.length >= 2) blocks.push({ kind: "table", grid, page, columns });
    else for (const line of region) blocks.push({ kind: "line", line });
    i = end;
  }
  return blocks;
}

const compact = (text: string) => text.replace(/\s+/g, "");

/**
 * A table that starts at the bottom of a page with too few rows to be recognised (its header and a
 * first row), continued on the next page under a repeated header: the lines from that header to the
 * end of the page are rebuilt with the next page's columns (blocksToLines then joins both parts).
 */
/**
 * A table row cut by a page break: lines at the top of the next page set inside a column other than
 * the first (`作，发放入园通知书。` under 相关说明) finish the cells of the table's last row.
 */
function rowContinuedAfterBreak(blocks: Block[], next: Block[]): void {
  const table = blocks[blocks.length - 1];
  if (table?.kind !== "table" || table.columns.length < 2) return;
  const lastRow = table.grid.rows[table.grid.rows.length - 1];
  if (!lastRow || lastRow.length !== table.columns.length || table.grid.rows.length < 2) return;
  let count = 0;
  while (count < next.length && count < 10) {
    const block = next[count]!;
    if (block.kind !== "line") break;
    const line = block.line;
    if (line.x < table.columns[1]! - 0.5 * line.size || SECTION_HEADING.test(line.text)) break;
    count++;
  }
  if (!count) return;
  const parts: string[][] = lastRow.map(() => []);
  for (const block of next.splice(0, count)) {
    const line = (block as { line: Line }).line;
    const byColumn = new Map<number, Glyph[]>();
    for (const glyph of line.glyphs) {
      const c = columnOf(glyph.x, table.columns, glyph.size);
      byColumn.set(c, [...(byColumn.get(c) ?? []), glyph]);
    }
    for (const [c, glyphs] of byColumn) parts[c]!.push(buildLine(line.page, glyphs).text);
  }
  parts.forEach((lines, c) => {
    if (lines.length) lastRow[c] = joinCellLines([lastRow[c]!, ...lines]);
  });
}

function tableStartBeforeBreak(blocks: Block[], next: Block[], page: number): void {
  const following = next[0];
  if (following?.kind !== "table") return;
  const header = compact(following.grid.rows[0]?.join("") ?? "");
  if (!header) return;
  for (let k = blocks.length - 1; k >= Math.max(0, blocks.length - 15); k--) {
    const block = blocks[k]!;
    if (block.kind !== "line") return;
    if (compact(block.line.text) !== header) continue;
    const region = blocks.slice(k).map((b) => (b as { line: Line }).line);
    const grid = tableGrid(region, page, following.columns);
    if (grid && grid.rows.length >= 2) blocks.splice(k, blocks.length - k, { kind: "table", grid, page, columns: following.columns });
    return;
  }
}

function bodyPitch(lines: Line[], bodySize: number): number {
  const gaps: number[] = [];
  lines.forEach((l, i) => {
    const previous = lines[i - 1];
    if (previous && previous.page === l.page && Math.round(previous.size) === bodySize && Math.round(l.size) === bodySize) gaps.push(previous.y - l.y);
  });
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? bodySize * 1.5;
}

function medianPitch(lines: Line[]): number {
  const gaps = lines.slice(1).map((l, i) => lines[i]!.y - l.y).filter((g) => g > 0).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? lines[0]?.size ?? 12;
}

// ------------------------------------------------------------------------------------------------
// Lines → paragraphs
// ------------------------------------------------------------------------------------------------

function joinText(a: string, b: string): string {
  if (/[A-Za-z0-9,]$/.test(a) && /^[A-Za-z0-9]/.test(b) && !/[/:.\-_]$/.test(a)) return `${a} ${b}`;
  return a + b;
}

/** Whether `next` continues the paragraph that `line` belongs to. */
function continues(line: Line, next: Line, margins: Margins, pitch: number): boolean {
  if (Math.abs(line.size - next.size) > 0.5) return false;
  const large = line.size > margins.bodySize * 1.15;
  if (line.page === next.page && line.y - next.y > (large ? 2.2 * line.size : 1.45 * pitch)) return false;
  if (large) return !SENTENCE_END.test(line.text); // a title set over several centred lines
  if (SENTENCE_END.test(line.text)) return false;
  if (HEADING_START.test(next.text)) return false;
  // Chinese is set justified: a line 2 em short ended on purpose. Latin text is often ragged-right.
  const shortBy = /[A-Za-z0-9,]$/.test(line.text) ? 6 : 2;
  if (line.right < margins.right - shortBy * line.size) return false;
  if (next.x > margins.left + 1.5 * next.size) return false; // first-line indent of a new paragraph
  return true;
}

function blocksToLines(blocks: Block[], margins: Margins, pitch: number): { lines: string[]; tables: number } {
  const out: string[] = [];
  let tables = 0;
  let paragraph: Line | null = null;
  let text = "";
  const flush = () => {
    if (paragraph) out.push(text);
    paragraph = null;
  };
  let previousTable: TableGrid | null = null;
  for (const block of blocks) {
    if (block.kind === "table") {
      flush();
      const grid = block.grid;
      // A table continued on the next page repeats its header: emit one table.
      if (previousTable && out[out.length - 1] === "" && sameRow(previousTable.rows[0], grid.rows[0])) {
        const lastTable = tableLinesOf(previousTable);
        out.splice(out.length - lastTable.length - 1);
        previousTable = { rows: [...previousTable.rows, ...grid.rows.slice(1)] };
      } else {
        previousTable = grid;
        tables++;
      }
      out.push(...tableLinesOf(previousTable), "");
      continue;
    }
    const line = block.line;
    if (paragraph && continues(paragraph, line, margins, pitch)) {
      text = joinText(text, line.text);
      paragraph = line;
      continue;
    }
    flush();
    previousTable = null;
    paragraph = line;
    text = line.text;
  }
  flush();
  return { lines: out, tables };
}

function sameRow(a: string[] | undefined, b: string[] | undefined): boolean {
  return !!a && !!b && a.join("|") === b.join("|");
}

/** The pipe-table lines (with a blank line before) of a grid; a one-row/one-column table as plain lines. */
function tableLinesOf(grid: TableGrid): string[] {
  return ["", ...pipeTableLines(grid)];
}

// ------------------------------------------------------------------------------------------------

/** Reads a PDF. Throws BROKEN_DOCUMENT when pdf.js cannot parse it, NO_TEXT_LAYER for a scan. */
export async function readPdf(bytes: Uint8Array, fileName: string): Promise<PdfReadResult> {
  const pages: Line[][] = [];
  const heights: number[] = [];
  let pageWidth = 595;
  let glyphCount = 0;
  try {
    // pdf.js transfers (detaches) the buffer it is given: hand it a copy so the caller's bytes survive.
    const pdf = await getDocumentProxy(bytes.slice(), { verbosity: 0 });
    try {
      for (let p = 1; p <= pdf.numPages; p++) {
        const page = await pdf.getPage(p);
        const viewport = page.getViewport({ scale: 1 });
        heights.push(viewport.height);
        if (p === 1) pageWidth = viewport.width;
        const content = await page.getTextContent();
        const glyphs = glyphsOf(content.items as RawItem[]);
        glyphCount += glyphs.length;
        pages.push(linesOf(p - 1, glyphs));
      }
    } finally {
      await pdf.destroy();
    }
  } catch (error) {
    throw createError("BROKEN_DOCUMENT", fileName, { cause: error });
  }
  if (glyphCount === 0) throw createError("NO_TEXT_LAYER", fileName);
  const dropped = dropPageFurniture(pages, heights);
  const pageBlockLists = pages.map((lines, p) => pageBlocks(lines, p));
  pageBlockLists.forEach((blocks, p) => {
    const next = pageBlockLists[p + 1];
    if (next) {
      tableStartBeforeBreak(blocks, next, p);
      rowContinuedAfterBreak(blocks, next);
    }
  });
  const blocks = pageBlockLists.flat();
  // Margins, body font and line pitch of the running text, tables left out.
  const textLines = blocks.flatMap((b) => (b.kind === "line" ? [b.line] : []));
  const margins = marginsOf(textLines, pageWidth);
  const pitch = bodyPitch(textLines, margins.bodySize);
  const { lines, tables } = blocksToLines(blocks, margins, pitch);
  const text = lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  return { text, pages: pages.length, dropped, tables };
}
