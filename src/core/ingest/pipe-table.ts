/**
 * Markdown pipe tables, the interchange format of the readers for tables from any source (docx, PDF,
 * HTML, spreadsheets) and the form Markdown documents write them in: a header row of column names, a
 * `| --- |` separator, then one line per row. Merged cells arrive already filled by the reader; a
 * literal pipe inside a cell is escaped `\|`.
 */

export interface PipeTable {
  columns: string[];
  rows: string[][];
  /** Index of the first line after the table. */
  end: number;
}

const SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;

export function isPipeSeparator(line: string): boolean {
  return SEPARATOR.test(line) && line.includes("-");
}

const isPipeRow = (line: string) => /^\s*\|/.test(line) || (line.includes("|") && /[^\\]\|/.test(line));

/** The cells of one `| a | b |` line; `\|` is a literal pipe. */
export function splitPipeRow(line: string): string[] {
  let body = line.trim();
  if (body.startsWith("|")) body = body.slice(1);
  if (body.endsWith("|") && !body.endsWith("\\|")) body = body.slice(0, -1);
  const cells: string[] = [];
  let current = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\" && body[i + 1] === "|") {
      current += "|";
      i++;
    } else if (c === "|") {
      cells.push(current.trim());
      current = "";
    } else current += c;
  }
  cells.push(current.trim());
  return cells;
}

/** Unique, non-empty column names: an empty header cell becomes 列N, a repeated one gets a suffix. */
function columnNames(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, i) => {
    const name = cell.replace(/\s+/g, " ").trim() || `列${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}${n}`;
  });
}

/** The pipe table whose header row is `lines[i]`, or null when there is none. */
export function pipeTableAt(lines: string[], i: number): PipeTable | null {
  const header = lines[i];
  const separator = lines[i + 1];
  if (header === undefined || separator === undefined || !isPipeRow(header) || !isPipeSeparator(separator)) return null;
  const columns = columnNames(splitPipeRow(header));
  if (columns.length < 2) return null;
  const rows: string[][] = [];
  let j = i + 2;
  for (; j < lines.length && lines[j]!.trim() && isPipeRow(lines[j]!); j++) {
    if (isPipeSeparator(lines[j]!)) continue;
    const cells = splitPipeRow(lines[j]!);
    // A header repeated on each PDF page is not a row.
    if (cells.every((cell, c) => cell === (columns[c] ?? ""))) continue;
    rows.push(cells);
  }
  nameNumberColumns(columns, rows);
  return { columns, rows, end: j };
}

/**
 * An unnamed column holding only row numbers (a PDF table whose 序号 header cell is blank) is named
 * 序号 rather than 列N, so a row's passage reads "序号：3｜信息验证点：…".
 */
function nameNumberColumns(columns: string[], rows: string[][]): void {
  columns.forEach((name, c) => {
    if (name !== `列${c + 1}` || columns.includes("序号")) return;
    const values = rows.map((r) => r[c] ?? "").filter(Boolean);
    if (values.length && values.every((v) => /^\d{1,3}$/.test(v))) columns[c] = "序号";
  });
}
