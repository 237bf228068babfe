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
 * - tables are rebuilt from item positions and content-stream order (pdf-tables.ts) and emitted as
 *   Markdown pipe tables (table-lines.ts); a table continued on the next page under its repeated
 *   header is emitted once.
 * Items become visual lines in pdf-lines.ts.
 * A PDF without any text item is a scan: NO_TEXT_LAYER (OCR is out of scope).
 */
import { getDocumentProxy, getResolvedPDFJS } from "unpdf";

import { createError } from "../../core/errors.js";
import { glyphsOf, linesOf, type Line, type RawItem } from "./pdf-lines.js";
import { pageBlocks, regridContinuation, rowContinuedAfterBreak, rowTailBeforeBreak, tableStartBeforeBreak, type Block } from "./pdf-tables.js";
import { fillLeadingCellsFromAbove, pipeTableLines, type TableGrid } from "./table-lines.js";

export interface PdfReadResult {
  text: string;
  pages: number;
  dropped: Record<string, number>;
  tables: number;
}

const PAGE_NUMBER = /^(?:[-—–－~～_]*\s*\d{1,4}\s*[-—–－~～_]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*[/／]\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$/;

const DECORATED_PAGE_NUMBER = /^(?:[-—–－~～_]+\d{1,4}[-—–－~～_]+|第\d{1,4}页(?:[,，/]?共\d{1,4}页)?|\d{1,4}[/／]\d{1,4}|[Pp]age\d{1,4}(?:of\d{1,4})?)$/;

/** Heading markers that start a paragraph of their own. */
const HEADING_START = /^(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百]+[）)]|[㈠-㈩⑴-⒇①-⑳]|\d{1,2}\s*[.．、](?!\d)|[（(]\d{1,2}[）)]|\d{1,2}[）)]|第[一二三四五六七八九十百零\d]+[章节条款]|附件|附表|抄送|联系人|联系电话)/;
const SENTENCE_END = /(?:[。！？；：!?;:]|(?<=[A-Za-z)\]])\.)[”’」』）)"']*$/;

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
      // Outside the margin band only a decorated number (`— 3 —`, `第3页`, `3/19`) on the very first or last
      // line: a lone number there may be the row number of a table running over the page break.
      if ((i === 0 || i === lines.length - 1) && DECORATED_PAGE_NUMBER.test(line.text.replace(/\s+/g, ""))) return void count("页码");
      if (inBand(line, p) && pages.length >= 3 && (seen.get(key(line)) ?? 0) >= threshold) return void count("页眉页脚");
      kept.push(line);
    });
    pages[p] = kept;
  });
  return dropped;
}

// ------------------------------------------------------------------------------------------------
// Margins
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

function bodyPitch(lines: Line[], bodySize: number): number {
  const gaps: number[] = [];
  lines.forEach((l, i) => {
    const previous = lines[i - 1];
    if (previous && previous.page === l.page && Math.round(previous.size) === bodySize && Math.round(l.size) === bodySize) gaps.push(previous.y - l.y);
  });
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? bodySize * 1.5;
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
  // A first-line indent starts a new paragraph; a hanging indent under a numbered item's text
  // (`附件：1．……安置说明` / `表` set under `2019`) continues it.
  if (next.x > margins.left + 1.5 * next.size) return hangingIndent(line, next);
  return true;
}

const NUMBERED_ITEM = /^(?:附件[:：]?)?[\d一二三四五六七八九十]{1,3}\s*[.．、]/;

/** Whether `next` starts where the text of the numbered item `line` starts after its number. */
function hangingIndent(line: Line, next: Line): boolean {
  if (!NUMBERED_ITEM.test(line.text)) return false;
  return line.glyphs.slice(1).some((g) => Math.abs(g.x - next.x) <= 0.5 * next.size);
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
  let previousBlock: Block | null = null;
  for (const block of blocks) {
    if (block.kind === "table") {
      flush();
      let grid = block.grid;
      // A table continued on the next page repeats its header, or goes straight on with its rows in
      // the same columns (or in some of them, when a column of the rest is empty): emit one table.
      const header = previousTable?.rows[0];
      const repeated = sameRow(header, grid.rows[0]);
      const continued = !repeated && header && previousBlock?.kind === "table" && continuedRows(previousBlock, block) ? previousBlock : null;
      // Rows that left a column of the table empty on this page (an empty 备注 column: no column
      // start of its own, or a first row that joined it to its neighbour) are cut again in the
      // columns of the table they continue, whose header names every column.
      if (continued && grid.rows[0]?.length !== header!.length) grid = regridContinuation(block, continued.columns, header!) ?? grid;
      if (previousTable && out[out.length - 1] === "" && (repeated || (continued && grid.rows[0]?.length === header!.length))) {
        const lastTable = tableLinesOf(previousTable);
        out.splice(out.length - lastTable.length - 1);
        previousTable = { rows: [...previousTable.rows, ...grid.rows.slice(repeated ? 1 : 0)] };
        // A merged cell over the page break, or over a continuation's first rows (which had no
        // header row above them to fill from), carries its value down like any other.
        fillLeadingCellsFromAbove(previousTable.rows);
      } else {
        previousTable = grid;
        tables++;
      }
      out.push(...tableLinesOf(previousTable), "");
      previousBlock = block;
      continue;
    }
    previousBlock = block;
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

/**
 * A table at the top of a page right after a table at the foot of the previous one, with its
 * columns (all, or some when a column had no text on this page) at the other's, in order: the rows
 * go on, no header. A column is at another when it starts nearer to it than to its neighbours
 * (within a third of the gap to them: a centred 地址 column starts where its widest cell does, 1–2 em
 * apart between pages), the first columns within 1.5 em.
 */
function continuedRows(previous: Block & { kind: "table" }, table: Block & { kind: "table" }): boolean {
  const cols = previous.columns;
  if (previous.page !== table.page - 1 || table.columns.length < 2 || table.columns.length > cols.length) return false;
  if (Math.abs(cols[0]! - table.columns[0]!) > 15) return false;
  const reach = (k: number) => Math.max(15, Math.min(k > 0 ? cols[k]! - cols[k - 1]! : Infinity, k + 1 < cols.length ? cols[k + 1]! - cols[k]! : Infinity) / 3);
  let k = 0;
  for (const x of table.columns) {
    while (k < cols.length && Math.abs(cols[k]! - x) > reach(k)) k++;
    if (k === cols.length) return false;
    k++;
  }
  return true;
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
/** Loads pdf.js (≈ 0.3 s of module evaluation) before the first PDF comes. */
export async function loadPdfJs(): Promise<void> {
  await getResolvedPDFJS();
}

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
      rowTailBeforeBreak(blocks, next);
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
