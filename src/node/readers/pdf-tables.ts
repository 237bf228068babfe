/**
 * Borderless tables of a PDF rebuilt from item positions: runs of lines with ≥ 2 cells at column
 * x-positions that recur over ≥ 3 lines. Word and WPS write a table cell by cell, so the
 * content-stream order gives the rows even when a cell wraps over several lines or is vertically
 * centred: a row ends when the stream goes back to an earlier column below everything the row holds
 * in that column and the ones before it. A table started at the foot of a page and a row cut by a
 * page break are joined to their continuation on the next page.
 */
import { fillLeadingCellsFromAbove, joinCellLines, type TableGrid } from "./table-lines.js";
import { buildLine, linesOf, medianPitch, SAME_LINE, SEGMENT_GAP, type Glyph, type Line } from "./pdf-lines.js";

/** A page as text lines and rebuilt tables, top to bottom. */
/** A table block keeps the lines it was built from, so a continuation can be rebuilt in its table's columns. */
export type Block = { kind: "line"; line: Line } | { kind: "table"; grid: TableGrid; page: number; columns: number[]; lines: Line[] };

/** Segment starts within this many em are one column. */
const COLUMN_TOLERANCE = 1.2;

/** A run of a line's items without a cell gap between them (what starts at each of `segmentStarts`). */
interface Segment {
  x: number;
  right: number;
  size: number;
}

function segmentsOf(line: Line): Segment[] {
  const segments: Segment[] = [];
  line.glyphs.forEach((glyph, i) => {
    const previous = line.glyphs[i - 1];
    const last = segments[segments.length - 1];
    if (last && previous && glyph.x - previous.right < SEGMENT_GAP * Math.min(previous.size, glyph.size)) {
      last.right = Math.max(last.right, glyph.right);
    } else segments.push({ x: glyph.x, right: glyph.right, size: glyph.size });
  });
  return segments;
}

/**
 * Column start positions: segment starts that recur on ≥ 3 lines, clustered within COLUMN_TOLERANCE,
 * read against the gaps between the cells. A column whose cells are centred starts its short cells
 * further right (`（中心部）` under `松江区九亭镇中心幼儿园`): a cluster that the longer cells of the
 * column to its left run across is no column of its own. A leading column with fewer entries (a 序号
 * merged over several rows, on two lines of the page) is one when nothing runs across it.
 */
function columnStarts(lines: Line[]): number[] {
  const segments = lines.flatMap((line) => segmentsOf(line).map((s) => ({ ...s, line })));
  segments.sort((a, b) => a.x - b.x);
  const clusters: { min: number; max: number; lines: Set<Line>; members: Segment[] }[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const s of segments) {
    const cluster = clusters[clusters.length - 1];
    if (cluster && s.x - last <= COLUMN_TOLERANCE * s.size) {
      cluster.lines.add(s.line);
      cluster.members.push(s);
      cluster.max = s.x;
    } else clusters.push({ min: s.x, max: s.x, lines: new Set([s.line]), members: [s] });
    last = s.x;
  }
  // Segments that begin left of x and end right of it, by a margin of half an em.
  const across = (x: number) => segments.filter((s) => s.x < x - 0.5 * s.size && s.right > x + 0.5 * s.size);
  const kept = clusters.filter((c) => c.lines.size >= 3);
  const columns = kept.filter((c, i) => {
    if (i === 0) return true;
    const crossing = across(c.min);
    if (crossing.length < 2 || crossing.length < c.lines.size / 5) return true;
    // Centred short cells lie inside the span of the long ones; a column of its own reaches beyond
    // them (a label column whose long labels stand on lines of their own, above their values).
    const reach = Math.max(...crossing.map((s) => s.right));
    return c.members.filter((s) => s.right <= reach + s.size).length < 0.8 * c.members.length;
  });
  const lead = clusters[0];
  const first = columns[0];
  if (lead && first && lead !== first && lead.lines.size >= 2 && across(lead.min).length === 0) {
    const clear = lead.members.every((s) => s.right < first.min - 0.5 * s.size);
    const alone = clusters.indexOf(first) === 1;
    if (clear && alone) columns.unshift(lead);
  }
  return columns.map((c) => c.min);
}

function columnOf(x: number, columns: number[], em: number): number {
  let index = 0;
  columns.forEach((start, i) => {
    if (start <= x + 0.5 * em) index = i;
  });
  return index;
}

/**
 * Each glyph's column: by its left edge, except that a glyph starting in the gap after its edge
 * column's usual text (past the median right edge of that column's glyphs), at most 2 em before the
 * next column, with its middle inside that column is the next column's — a centred cell longer than the others overhangs its
 * column's usual start (`上海市松江区百鸟幼儿园` starts under the 序 column's gap).
 */
function glyphColumns(glyphs: Glyph[], columns: number[]): Map<Glyph, number> {
  const byEdge = new Map(glyphs.map((g) => [g, columnOf(g.x, columns, g.size)]));
  const medianRight = columns.map((_, c) => {
    const rights = glyphs.filter((g) => byEdge.get(g) === c).map((g) => g.right).sort((a, b) => a - b);
    return rights[Math.floor(rights.length / 2)] ?? Number.POSITIVE_INFINITY;
  });
  for (const g of glyphs) {
    const c = byEdge.get(g)!;
    const next = columns[c + 1];
    const overhang = next !== undefined ? next - g.x : Number.POSITIVE_INFINITY;
    if (overhang <= 2 * g.size && g.x > medianRight[c]! + 0.5 * g.size && (g.x + g.right) / 2 > next!) byEdge.set(g, c + 1);
  }
  return byEdge;
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
function tableGrid(region: Line[], page: number, columns = columnStarts(region), header?: string[]): TableGrid | null {
  if (columns.length < 2) return null;
  const glyphs = region.flatMap((l) => l.glyphs).sort((p, q) => p.order - q.order);
  const columnIndex = glyphColumns(glyphs, columns);
  const columnRight = columns.map((_, c) => Math.max(...glyphs.filter((g) => columnIndex.get(g) === c).map((g) => g.right)));
  const texts = (rows: Glyph[][][]) => rows.map((r) => columns.map((_, c) => (r[c]?.length ? cellText(r[c]!, page, columnRight[c]!) : "")));
  // A first pass finds the header; columns it leaves unnamed are a second text column of the cell to
  // their left (a catchment list set in two columns inside one cell) and join it before the rows are cut.
  const target = ownerColumns(header ?? texts(splitRows(glyphs, (g) => columnIndex.get(g)!))[0] ?? []);
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

/**
 * A table continued on the next page where a column has no text (an empty 备注 column): its own
 * column starts lack that column, so its rows are cut again in the columns of the table it
 * continues, whose header names every column.
 */
export function regridContinuation(table: Block & { kind: "table" }, columns: number[], header: string[]): TableGrid | null {
  return tableGrid(table.lines, table.page, columns, header);
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
export function pageBlocks(lines: Line[], page: number): Block[] {
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
      // At most 8 cell-like lines at a body line's distance; lines interleaved with their neighbours
      // (a cell's wrapped lines set between the lines of the cell beside it) do not count.
      let loose = 0;
      while (j < lines.length && loose < 8 && !multi[j] && (mayBeCell(lines[j]!, shape) || interleaved(j)) && near(lines[j - 1]!, lines[j]!)) {
        if (!interleaved(j)) loose++;
        j++;
      }
      // A header may be set a little larger or bolder than the body rows.
      if (j < lines.length && multi[j] && near(lines[j - 1]!, lines[j]!) && Math.abs(lines[j]!.size - shape.size) <= Math.max(0.5, 0.2 * shape.size)) {
        shape.left = Math.min(shape.left, lines[j]!.x);
        end = j + 1;
        multiCount++;
      } else break;
    }
    let start = i;
    const pitch = medianPitch(lines.slice(i, end));
    // Leading and trailing lines of wrapped cells (a header cell `序/号`, the last row's tail). Only
    // lines still emitted as text lines are taken back: a line inside the table before is that table's.
    const previousLine = (k: number) => {
      const last = blocks[blocks.length - 1];
      return last?.kind === "line" && last.line === lines[k];
    };
    while (start > 0 && previousLine(start - 1) && !multi[start - 1] && mayBeCell(lines[start - 1]!, shape) && lines[start - 1]!.y - lines[start]!.y <= 1.3 * pitch) {
      start--;
      blocks.pop();
    }
    while (end < lines.length && !multi[end] && mayBeCell(lines[end]!, shape) && lines[end - 1]!.y - lines[end]!.y <= 1.3 * pitch) end++;
    const region = lines.slice(start, end);
    const columns = columnStarts(region);
    const grid = multiCount >= 3 ? tableGrid(region, page, columns) : null;
    if (grid && grid.rows.length >= 2) blocks.push({ kind: "table", grid, page, columns, lines: region });
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
export function rowContinuedAfterBreak(blocks: Block[], next: Block[]): void {
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
  // Cell lines directly above a table of the same columns on the next page are the top of its first
  // row (names set above their vertically centred row), not the end of this table's last row.
  const following = next[count];
  if (following?.kind === "table" && following.columns.length === table.columns.length && !sameCells(following.grid.rows[0], table.grid.rows[0])) {
    const first = following.grid.rows[0];
    if (first && first.length === lastRow.length) {
      const top = cellLines(next.splice(0, count), following.columns, first.length);
      top.forEach((lines, c) => {
        if (lines.length) first[c] = joinCellLines([...lines, first[c]!]);
      });
      return;
    }
  }
  const parts = cellLines(next.splice(0, count), table.columns, lastRow.length);
  parts.forEach((lines, c) => {
    if (lines.length) lastRow[c] = joinCellLines([lastRow[c]!, ...lines]);
  });
}

/**
 * The last lines of a table's last row left below it at the foot of a page (a third sub-address
 * `西郊部：…` under `绿庭部：…` and `朗庭部：…`, further down than the row's other lines), set inside
 * a column other than the first, when the table goes on at the top of the next page: they finish
 * that row's cells, so nothing stands between the table and its continuation.
 */
export function rowTailBeforeBreak(blocks: Block[], next: Block[]): void {
  if (next[0]?.kind !== "table") return;
  let start = blocks.length;
  while (start > 0 && blocks.length - start < 3 && blocks[start - 1]!.kind === "line") start--;
  const table = blocks[start - 1];
  if (start === blocks.length || table?.kind !== "table" || table.columns.length < 2) return;
  const tail = blocks.slice(start) as Array<Block & { kind: "line" }>;
  if (tail.some(({ line }) => line.x < table.columns[1]! - 0.5 * line.size || SECTION_HEADING.test(line.text))) return;
  const lastRow = table.grid.rows[table.grid.rows.length - 1];
  if (!lastRow || lastRow.length !== table.columns.length) return;
  const parts = cellLines(blocks.splice(start), table.columns, lastRow.length);
  parts.forEach((lines, c) => {
    if (lines.length) lastRow[c] = joinCellLines([lastRow[c]!, ...lines]);
  });
}

function sameCells(a: string[] | undefined, b: string[] | undefined): boolean {
  return !!a && !!b && a.join("|") === b.join("|");
}

/** The text of line blocks split by column, per column top to bottom. */
function cellLines(blocks: Block[], columns: number[], width: number): string[][] {
  const parts: string[][] = Array.from({ length: width }, () => []);
  for (const block of blocks) {
    const line = (block as { line: Line }).line;
    const byColumn = new Map<number, Glyph[]>();
    for (const glyph of line.glyphs) {
      const c = Math.min(columnOf(glyph.x, columns, glyph.size), width - 1);
      byColumn.set(c, [...(byColumn.get(c) ?? []), glyph]);
    }
    for (const [c, glyphs] of byColumn) parts[c]!.push(buildLine(line.page, glyphs).text);
  }
  return parts;
}

export function tableStartBeforeBreak(blocks: Block[], next: Block[], page: number): void {
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
    if (grid && grid.rows.length >= 2) blocks.splice(k, blocks.length - k, { kind: "table", grid, page, columns: following.columns, lines: region });
    return;
  }
}
