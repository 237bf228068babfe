/**
 * Reads spreadsheets as tables: .xlsx with exceljs (MIT, maintained; not the unmaintained registry
 * `xlsx`), .csv decoded with the same encoding detection as .txt (Excel writes GBK CSVs) and parsed
 * here (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks).
 *
 * Each sheet becomes a pipe table (table-lines.ts), preceded by `工作表：<name>` when the workbook
 * has more than one non-empty sheet. Merged cells carry their value to every cell they cover; empty
 * rows and columns are dropped; dates are written YYYY-MM-DD, percentages and fixed decimals as
 * their number format displays them.
 */
import ExcelJS from "exceljs";

import { createError } from "../../core/errors.js";
import { decodeText } from "./decode-text.js";
import { pipeTableBlock, type TableGrid } from "./table-lines.js";

export interface SpreadsheetReadResult {
  text: string;
  encoding?: string;
  tables: number;
}

// ------------------------------------------------------------------------------------------------
// CSV
// ------------------------------------------------------------------------------------------------

/** The delimiter of a CSV: comma, unless tabs or semicolons are more frequent on the first line. */
function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.indexOf("\n") >= 0 ? text.indexOf("\n") : text.length).replace(/"[^"]*"/g, "");
  const count = (d: string) => firstLine.split(d).length - 1;
  return [",", "\t", ";"].reduce((best, d) => (count(d) > count(best) ? d : best), ",");
}

/** Parses CSV text (RFC 4180) into rows of fields. */
export function parseCsv(text: string, delimiter = detectDelimiter(text)): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.map((r) => r.map((c) => c.trim()));
}

export function readCsv(bytes: Uint8Array, fileName: string): SpreadsheetReadResult {
  const { text, encoding } = decodeText(bytes, fileName);
  const lines = pipeTableBlock({ rows: parseCsv(text.replace(/^\uFEFF/, "")) });
  return { text: lines.join("\n").trim(), encoding, tables: lines.some((l) => l.startsWith("|")) ? 1 : 0 };
}

// ------------------------------------------------------------------------------------------------
// XLSX
// ------------------------------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, "0");

function formatDate(date: Date): string {
  // exceljs reads spreadsheet dates as UTC instants of the written wall-clock time.
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = date.getUTCHours() || date.getUTCMinutes() ? ` ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}` : "";
  return day + time;
}

function formatNumber(value: number, numFmt: string | undefined): string {
  const format = numFmt ?? "";
  const decimals = /0\.(0+)/.exec(format)?.[1]?.length;
  if (format.includes("%")) return `${(value * 100).toFixed(decimals ?? 0)}%`;
  if (decimals !== undefined) return value.toFixed(decimals);
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e10) / 1e10);
}

/** The text a cell displays. */
export function displayedValue(value: ExcelJS.CellValue, numFmt?: string): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return formatDate(value);
  if (typeof value === "number") return formatNumber(value, numFmt);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "是" : "否";
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("formula" in value || "sharedFormula" in value) return displayedValue((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, numFmt);
    if ("hyperlink" in value) return String((value as ExcelJS.CellHyperlinkValue).text ?? "");
    if ("error" in value) return "";
  }
  return String(value);
}

function sheetGrid(sheet: ExcelJS.Worksheet): TableGrid {
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, r) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      // A merged cell reads its master's value, so the value covers every cell of the range.
      const source = cell.isMerged ? cell.master : cell;
      cells[c - 1] = displayedValue(source.value, source.numFmt).replace(/\s*\n\s*/g, "\n");
    });
    rows[r - 1] = Array.from(cells, (c) => c ?? "");
  });
  return { rows: Array.from(rows, (r) => r ?? []) };
}

export async function readXlsx(bytes: Uint8Array, fileName: string): Promise<SpreadsheetReadResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (error) {
    throw createError("BROKEN_DOCUMENT", fileName, { cause: error });
  }
  const sheets = workbook.worksheets
    .map((sheet) => ({ name: sheet.name, lines: pipeTableBlock(sheetGrid(sheet)) }))
    .filter((s) => s.lines.length);
  const out: string[] = [];
  for (const sheet of sheets) {
    if (sheets.length > 1) out.push(`工作表：${sheet.name}`);
    out.push(...sheet.lines);
  }
  const tables = sheets.filter((s) => s.lines.some((l) => l.startsWith("|"))).length;
  return { text: out.join("\n").replace(/\n{3,}/g, "\n\n").trim(), tables };
}
