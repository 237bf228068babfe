/**
 * The table interchange of every reader (PDF, .doc, .docx, HTML, spreadsheets): a table is written as a
 * Markdown pipe table, first row = column names, with a blank line before and after. The structure
 * stage turns each row into a passage "列名：值｜列名：值".
 *
 * Readers resolve merged cells before calling: a spanned value is repeated in every row and column it
 * covers. Here: empty rows and columns are dropped; a first row holding one value only (a title row
 * spanning all columns) becomes a text line above the table; a table left with one row or one column
 * is written as plain lines; line breaks inside a cell are joined (nothing between CJK characters, one
 * space between Latin words and before a numbered list item); a cell of letter-spaced single characters
 * (`项 目`) is closed up; a literal "|" is escaped as "\|".
 */

export interface TableGrid {
  /** Rows of cell texts, merged cells already repeated; rows may have different lengths. */
  rows: string[][];
}

const CJK_EDGE = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018-\u201f\u2026\u2014]/;

/** A line that starts a numbered item of a list inside a cell: `2.长宁路…`, `（2）`, `②`. */
const LIST_ITEM = /^(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)]|[①-⑳⑴-⒇])/;

/**
 * Joins the lines of one cell: nothing between CJK characters, one space otherwise — and one space
 * before a numbered list item, so `…88弄` and `2.长宁路…` do not run together into `88弄2.`.
 */
export function joinCellLines(lines: string[]): string {
  let text = "";
  for (const raw of lines) {
    const line = raw.replace(/\s+/g, " ").trim();
    if (!line) continue;
    if (!text) text = line;
    else if (LIST_ITEM.test(line)) text += ` ${line}`;
    else text += CJK_EDGE.test(text.slice(-1)) || CJK_EDGE.test(line.charAt(0)) ? line : ` ${line}`;
  }
  return text;
}

/** A cell of single Han characters spread with spaces (`项 目`, `等  级`): a letter-spaced header. */
const SPACED_HAN = /^(?:\p{Script=Han}[ \u3000]+)+\p{Script=Han}$/u;

function cleanCell(value: string): string {
  const text = joinCellLines(value.split(/\r\n|\r|\n|\v/));
  return (SPACED_HAN.test(text) ? text.replace(/[ \u3000]+/g, "") : text).replace(/\|/g, "\\|");
}

/** The lines of a table: `[title line,] "| a | b |", "| --- | --- |", …`, or plain lines for a degenerate table. */
export function pipeTableLines(grid: TableGrid): string[] {
  const width = Math.max(0, ...grid.rows.map((r) => r.length));
  let rows = grid.rows
    .map((r) => Array.from({ length: width }, (_, i) => cleanCell(r[i] ?? "")))
    .filter((r) => r.some((c) => c !== ""));
  const keep = Array.from({ length: width }, (_, i) => rows.some((r) => r[i] !== ""));
  rows = rows.map((r) => r.filter((_, i) => keep[i]));
  const columns = keep.filter(Boolean).length;
  const out: string[] = [];
  // A title row spanning all columns: one distinct value in the first row.
  while (rows.length > 1 && columns > 1 && new Set(rows[0]!.filter((c) => c !== "")).size === 1) {
    out.push(rows[0]!.find((c) => c !== "")!.replace(/\\\|/g, "|"));
    rows = rows.slice(1);
  }
  if (rows.length <= 1 || columns <= 1) {
    for (const row of rows) for (const cell of dedupeAdjacent(row)) if (cell) out.push(cell.replace(/\\\|/g, "|"));
    return out;
  }
  if (out.length) out.push("");
  out.push(`| ${rows[0]!.join(" | ")} |`, `| ${rows[0]!.map(() => "---").join(" | ")} |`);
  for (const row of rows.slice(1)) out.push(`| ${row.join(" | ")} |`);
  return out;
}

/** A merged cell repeated across columns is one value when written as plain lines. */
function dedupeAdjacent(cells: string[]): string[] {
  return cells.filter((c, i) => c !== cells[i - 1]);
}

/**
 * For readers that cannot see cell spans (PDF positions, .doc text): a body row whose leading cells
 * are empty sits under cells merged over several rows (地区, 序号 of an entry with two addresses), so
 * the values of the row above are repeated there. Row 0 (the header) and row 1 are left as they are.
 */
export function fillLeadingCellsFromAbove(rows: string[][]): void {
  for (let r = 2; r < rows.length; r++) {
    const row = rows[r]!;
    const first = row.findIndex((c) => c.trim() !== "");
    if (first <= 0) continue;
    for (let c = 0; c < first; c++) row[c] = rows[r - 1]![c] ?? "";
  }
}

/** A table as text: a blank line, its lines, a blank line. */
export function pipeTableBlock(grid: TableGrid): string[] {
  const lines = pipeTableLines(grid);
  return lines.length ? ["", ...lines, ""] : [];
}
