/**
 * Reads a Word 97–2003 .doc with word-extractor (pure JavaScript, MIT, reads the OLE compound file
 * and its piece table).
 *
 * Tables are read from the paragraph properties ([MS-DOC] PlcBtePapx/PAPX FKP), not guessed from the
 * text: a paragraph whose properties say "table terminating paragraph" (sprmPFTtp) is a row's end
 * mark, and a paragraph mark inside a table (sprmPFInTable / sprmPItap) that is not a cell mark is a
 * line break inside a cell. Our pass marks both with Unicode noncharacters before word-extractor
 * cleans the text (cell marks become tabs), so a row is exactly the text before its row mark and an
 * empty first paragraph of a cell cannot end a row early. (word-extractor's own pass writes row ends
 * as line breaks found by file position in text order, which a fast-saved file breaks, and leaves
 * in-cell paragraphs indistinguishable from row ends.) A file without those properties (a .docx
 * saved as .doc, or a writer that omits them) is read by the older text heuristic: every cell ends
 * with a tab, a row with a tab and a line break, and a row is complete at its table's width. The
 * library gives no cell spans: a row whose leading cells are empty sits under cells merged down from
 * the row above, whose values are repeated; a cell merged down further right stays empty below its
 * first row (a known limit).
 * Headers and footers are dropped (page furniture); footnotes and endnotes are kept after the body.
 * Curly quotes and dashes are kept as written (filterUnicode: false).
 *
 * Text deleted with revision marks on is dropped by our own pass over the character properties,
 * replacing word-extractor 1.0.4's, which has two bugs that hide real text:
 * - it masks a sprm with 0x1f instead of comparing the whole sprm with sprmCFRMarkDel (0x0800), so
 *   every property whose low five bits are 0 (WPS/Word's 0x4A60, 0x8840 …) reads as "deleted": most
 *   of the body of 12.金山政策.doc (2,931 of ~9,200 characters read);
 * - it finds the pieces a deleted run covers by file position assuming the pieces lie in the file in
 *   text order, which a fast-saved file (appended pieces, as 12.金山政策.doc is) breaks: a run would
 *   blank every piece between the two it found.
 * Here a run is deleted only by sprm 0x0800 with its flag set, and it blanks exactly the part of each
 * piece whose file bytes it covers, whatever the order of the pieces.
 */
import { createRequire } from "node:module";

import WordExtractor from "word-extractor";

import { createError } from "../../core/errors.js";
import { fillLeadingCellsFromAbove, joinCellLines, pipeTableBlock } from "./table-lines.js";

/** A row longer than this many paragraphs is not a row: its paragraphs are text. */
const MAX_ROW_PARAGRAPHS = 40;

/** Our mark for a row's end (a table terminating paragraph): a Unicode noncharacter, never text. */
export const ROW_END = "\ufdd0";
/** Our mark for a paragraph break inside a table cell. */
export const CELL_BREAK = "\ufdd1";

/**
 * Turns word-extractor text into lines with pipe tables. With our paragraph marks (ROW_END,
 * CELL_BREAK) rows are exact; without them the tab heuristic below reads them.
 */
export function docTextToLines(body: string, merges?: MergedCell[][]): { lines: string[]; tables: number } {
  return body.includes(ROW_END) ? markedTextToLines(body, merges) : tabTextToLines(body);
}

/**
 * Rows end at ROW_END, cells at tabs, and a cell's own paragraphs are split by CELL_BREAK. `merges`
 * holds, for the document's rows in text order, which cells continue a merge from the row above or
 * from the left: those take that value. Without it, a row's empty leading cells are taken as merged.
 */
function markedTextToLines(body: string, merges?: MergedCell[][]): { lines: string[]; tables: number } {
  const out: string[] = [];
  let rows: string[][] = [];
  let tables = 0;
  let rowIndex = 0;
  const flushTable = () => {
    if (rows.length) {
      if (!merges) fillLeadingCellsFromAbove(rows);
      const block = pipeTableBlock({ rows });
      if (block.some((l) => l.startsWith("|"))) tables++;
      out.push(...block);
    }
    rows = [];
  };
  for (const paragraph of body.replace(/\r\n?/g, "\n").split("\n")) {
    // A paragraph of the body may follow a table's last row directly: a row mark ends a paragraph.
    const parts = paragraph.split(ROW_END);
    const rest = parts.pop()!;
    for (const row of parts) {
      const cells = row.split("\t");
      if (cells.length > 1) cells.pop(); // after the last cell's mark
      const values = cells.map((cell) => joinCellLines(cell.split(CELL_BREAK)));
      const merged = merges?.[rowIndex++] ?? [];
      const above = rows[rows.length - 1];
      for (let c = 0; c < values.length; c++) {
        if (values[c]) continue;
        if (merged[c] === "up") values[c] = above?.[c] ?? "";
        else if (merged[c] === "left" && c > 0) values[c] = values[c - 1]!;
      }
      rows.push(values);
    }
    if (rest.includes("\t") || rest.includes(CELL_BREAK)) {
      // Cells of a row that never ended (a damaged table): their text, cell by cell.
      flushTable();
      out.push(...rest.split(/[\t\ufdd1]/).map((p) => p.trim()).filter(Boolean));
      continue;
    }
    const line = rest.trim();
    if (!line) continue;
    flushTable();
    out.push(line);
  }
  flushTable();
  return { lines: out, tables };
}

/** The heuristic for text without paragraph marks: tabs for cell marks, a row ends with a tab and a line break. */
function tabTextToLines(body: string): { lines: string[]; tables: number } {
  const paragraphs = body.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let rows: string[][] = [];
  let pending: string[] = [];
  let tables = 0;
  /** Cells per row of the current table (its first row's count). */
  let expected = 0;
  const flushTable = () => {
    if (rows.length) {
      fillLeadingCellsFromAbove(rows);
      const block = pipeTableBlock({ rows });
      if (block.some((l) => l.startsWith("|"))) tables++;
      out.push(...block);
    }
    rows = [];
    expected = 0;
  };
  /** Where `pending` began, and where a short row (fewer cells than the table) could have ended. */
  let pendingStart = 0;
  let shortRowEnd = -1;
  const pushRow = (paragraphsOfRow: string[]) => {
    const cells = paragraphsOfRow.join("\n").split("\t");
    cells.pop(); // the row-end mark (word-extractor writes it as a line break)
    const joined = cells.map((cell) => joinCellLines(cell.split("\n")));
    if (!expected) expected = joined.length;
    rows.push(joined);
  };
  for (let i = 0; i < paragraphs.length; i++) {
    const paragraph = paragraphs[i]!;
    // Inside a table, a few characters without a tab followed by cells are the first line of
    // the next row's first cell (`金山` / `工业区\t…`).
    const rowStart = rows.length > 0 && paragraph.trim().length <= 8 && (paragraphs[i + 1] ?? "").includes("\t");
    if (pending.length || paragraph.includes("\t") || rowStart) {
      if (!pending.length) pendingStart = i;
      pending.push(paragraph);
      // Two paragraphs without a tab after a possible end of a short row (cells merged across columns):
      // that row was complete; what follows is read again from its start.
      if (shortRowEnd > 0 && !paragraph.includes("\t") && !(paragraphs[i - 1] ?? "").includes("\t")) {
        pushRow(pending.slice(0, shortRowEnd));
        i = pendingStart + shortRowEnd - 1;
        pending = [];
        shortRowEnd = -1;
        continue;
      }
      if (paragraph.endsWith("\t")) {
        const cells = pending.join("\n").split("\t").length - 1;
        // A cell whose first paragraph is empty looks like a row end: a row is complete at its table's width.
        if (expected && cells < expected && pending.length <= MAX_ROW_PARAGRAPHS) {
          shortRowEnd = pending.length;
          continue;
        }
        pushRow(pending);
        pending = [];
        shortRowEnd = -1;
      } else if (pending.length > MAX_ROW_PARAGRAPHS) {
        flushTable();
        out.push(...pending.map((p) => p.replace(/\t/g, " ").trim()).filter(Boolean));
        pending = [];
        shortRowEnd = -1;
      }
      continue;
    }
    flushTable();
    const line = paragraph.trim();
    if (line) out.push(line);
  }
  flushTable();
  out.push(...pending.map((p) => p.replace(/\t/g, " ").trim()).filter(Boolean));
  return { lines: out, tables };
}

interface WordDocumentLike {
  getBody(options?: { filterUnicode?: boolean }): string;
  getFootnotes(options?: { filterUnicode?: boolean }): string;
  getEndnotes(options?: { filterUnicode?: boolean }): string;
}
interface OleExtractorClass {
  new (): {
    extract(reader: unknown): Promise<WordDocumentLike>;
    writeCharacterProperties(buffer: Buffer, table: Buffer): void;
    writeParagraphProperties(buffer: Buffer, table: Buffer): void;
  };
}

const require = createRequire(import.meta.url);
const WordOleExtractor = require("word-extractor/lib/word-ole-extractor.js") as OleExtractorClass;
const BufferReader = require("word-extractor/lib/buffer-reader.js") as new (buffer: Buffer) => unknown;

/** sprmCFRMarkDel: the character property of text deleted with revision marks on. */
const SPRM_DELETED = 0x0800;

/** Operand sizes by spra (the top three bits of a sprm); 6 is variable (first byte + 1). */
const OPERAND_SIZE = [1, 1, 2, 4, 2, 2, -1, 3];

/** A range of file offsets [start, end) in the WordDocument stream. */
export interface FileRange {
  start: number;
  end: number;
}

/**
 * The formatting runs of a document's character (CHPX) or paragraph (PAPX) properties: for each run,
 * its file range [start, end) in the WordDocument stream and its grpprl (a PAPX's begins with its
 * 2-byte istd). Read through the bin table at `fibOffset` (PlcBteChpx 0x00fa, PlcBtePapx 0x0102) and
 * its 512-byte FKPs, as in [MS-DOC] 2.9.
 */
function* formattingRuns(wordDocument: Buffer, table: Buffer, kind: "chpx" | "papx"): Generator<{ start: number; end: number; grpprl: Buffer }> {
  const fibOffset = kind === "chpx" ? 0x00fa : 0x0102;
  const fc = wordDocument.readUInt32LE(fibOffset);
  const lcb = wordDocument.readUInt32LE(fibOffset + 4);
  if (lcb < 12 || fc + lcb > table.length) return;
  const count = (lcb - 4) / 8;
  const plc = table.subarray(fc, fc + lcb);
  for (let i = 0; i < count; i++) {
    const block = plc.readUInt32LE((count + 1) * 4 + i * 4);
    const fkp = wordDocument.subarray(block * 512, (block + 1) * 512);
    if (fkp.length < 512) continue;
    const runs = fkp.readUInt8(511);
    for (let j = 0; j < runs; j++) {
      // A CHPX FKP's offsets are one byte each; a PAPX FKP's are the first byte of 13-byte BX entries.
      const at = fkp.readUInt8((runs + 1) * 4 + j * (kind === "chpx" ? 1 : 13)) * 2;
      if (at === 0) continue;
      const cb = fkp.readUInt8(at);
      const grpprl =
        kind === "chpx"
          ? fkp.subarray(at + 1, at + 1 + cb)
          : cb
            ? fkp.subarray(at + 1, at + 2 * cb)
            : fkp.subarray(at + 2, at + 2 + 2 * fkp.readUInt8(at + 1));
      yield { start: fkp.readUInt32LE(j * 4), end: fkp.readUInt32LE((j + 1) * 4), grpprl };
    }
  }
}

/** The file ranges of the runs a document's character properties mark as deleted. */
export function deletedFileRanges(wordDocument: Buffer, table: Buffer): FileRange[] {
  const ranges: FileRange[] = [];
  for (const { start, end, grpprl } of formattingRuns(wordDocument, table, "chpx")) {
    for (const { sprm, at } of sprmsOf(grpprl, 0)) {
      if (sprm === SPRM_DELETED && ((grpprl[at] ?? 0) & 1) === 1) {
        ranges.push({ start, end });
        break;
      }
    }
  }
  return ranges;
}

/** The part of word-extractor's piece record the deletion pass reads and writes. */
export interface TextPiece {
  text: string;
  startFilePos: number;
  /** Bytes per character: 1 (compressed cp1252) or 2 (UTF-16LE). */
  bpc: number;
  /** The character position of the piece's first character in the document's text. */
  startCp?: number;
}

/** Replaces with NUL (word-extractor's clean() removes it) the characters of each piece whose bytes a range covers. */
export function blankFileRanges(pieces: TextPiece[], ranges: FileRange[]): void {
  for (const piece of pieces) {
    const pieceEnd = piece.startFilePos + piece.text.length * piece.bpc;
    for (const range of ranges) {
      const start = Math.max(range.start, piece.startFilePos);
      const end = Math.min(range.end, pieceEnd);
      if (start >= end) continue;
      const from = Math.floor((start - piece.startFilePos) / piece.bpc);
      const to = Math.ceil((end - piece.startFilePos) / piece.bpc);
      piece.text = piece.text.slice(0, from) + "\0".repeat(to - from) + piece.text.slice(to);
    }
  }
}

/** The sprms of a grpprl from `offset`: each with its operand's offset (sizes as in [MS-DOC] 2.6). */
function* sprmsOf(grpprl: Buffer, offset: number): Generator<{ sprm: number; at: number }> {
  while (offset < grpprl.length - 1) {
    const sprm = grpprl.readUInt16LE(offset);
    offset += 2;
    yield { sprm, at: offset };
    let size = OPERAND_SIZE[(sprm >> 13) & 7]!;
    if (sprm === SPRM_TDEF_TABLE) size = offset + 1 < grpprl.length ? grpprl.readUInt16LE(offset) + 1 : grpprl.length;
    else if (size < 0) size = (grpprl[offset] ?? 0) + 1;
    offset += size;
  }
}

/** sprmPFInTable, sprmPFTtp, sprmPItap (table depth), and sprmTDefTable (whose size is a 2-byte count). */
const SPRM_IN_TABLE = 0x2416;
const SPRM_TTP = 0x2417;
const SPRM_ITAP = 0x6649;
const SPRM_TDEF_TABLE = 0xd608;

/** sprmTVertMerge: one cell's vertical merge (operand: size 2, cell index, 1 = continues, 3 = starts). */
const SPRM_TVERT_MERGE = 0xd62b;
/** TC80.tcgrf bits: fFirstMerged, fMerged (a horizontal merge), fVertMerge, fVertRestart. */
const TC_FIRST_MERGED = 0x01;
const TC_MERGED = 0x02;
const TC_VERT_MERGE = 0x20;
const TC_VERT_RESTART = 0x40;

/** A cell that continues a merge: from the row above ("up") or from the cell on its left ("left"). */
export type MergedCell = "up" | "left" | undefined;

/** A paragraph's end in the WordDocument stream, and what its properties say it is. */
export interface TableParagraphEnd {
  /** File offset of the paragraph's last character (its mark). */
  mark: number;
  kind: "row" | "cell";
  /** For a row: which of its cells continue a merge, and from where. */
  merged?: MergedCell[];
}

/** The cells of a row that continue a merge: sprmTDefTable's TC80s, then any sprmTVertMerge. */
function mergedCells(grpprl: Buffer): MergedCell[] {
  const merged: MergedCell[] = [];
  for (const { sprm, at } of sprmsOf(grpprl, 2)) {
    if (sprm === SPRM_TDEF_TABLE && at + 3 <= grpprl.length) {
      const cells = grpprl[at + 2]!;
      const tcs = at + 3 + (cells + 1) * 2;
      for (let c = 0; c < cells && tcs + c * 20 + 2 <= grpprl.length; c++) {
        const flags = grpprl.readUInt16LE(tcs + c * 20);
        if ((flags & (TC_VERT_MERGE | TC_VERT_RESTART)) === TC_VERT_MERGE) merged[c] = "up";
        else if ((flags & (TC_MERGED | TC_FIRST_MERGED)) === TC_MERGED) merged[c] = "left";
      }
    } else if (sprm === SPRM_TVERT_MERGE && at + 3 <= grpprl.length) {
      merged[grpprl[at + 1]!] = grpprl[at + 2] === 1 ? "up" : undefined;
    }
  }
  return merged;
}

/** The table paragraphs of a document's paragraph properties (PAPX runs, formattingRuns). */
export function tableParagraphEnds(wordDocument: Buffer, table: Buffer): TableParagraphEnd[] {
  const ends: TableParagraphEnd[] = [];
  for (const { end, grpprl } of formattingRuns(wordDocument, table, "papx")) {
    let inTable = false;
    let ttp = false;
    for (const { sprm, at } of sprmsOf(grpprl, 2)) {
      if (sprm === SPRM_TTP && grpprl[at]) ttp = true;
      else if (sprm === SPRM_IN_TABLE && grpprl[at]) inTable = true;
      else if (sprm === SPRM_ITAP && at + 4 <= grpprl.length && grpprl.readUInt32LE(at) > 0) inTable = true;
    }
    // The paragraph's mark is its last character.
    if (ttp) ends.push({ mark: end - 1, kind: "row", merged: mergedCells(grpprl) });
    else if (inTable) ends.push({ mark: end - 1, kind: "cell" });
  }
  return ends;
}

/**
 * Marks each table paragraph's end in the pieces' text: a row's end mark (\x07) becomes ROW_END, a
 * paragraph mark (\r) inside a cell becomes CELL_BREAK; a cell's end mark (\x07) stays for the
 * library's tab. Found by file offset in whichever piece holds it, whatever the pieces' order.
 */
export function markTableParagraphs(pieces: TextPiece[], ends: TableParagraphEnd[]): MergedCell[][] {
  const byPiece = new Map<TextPiece, Map<number, string>>();
  const rows: { cp: number; merged: MergedCell[] }[] = [];
  for (const end of ends) {
    const piece = pieces.find((p) => end.mark >= p.startFilePos && end.mark < p.startFilePos + p.text.length * p.bpc);
    if (!piece) continue;
    const index = Math.floor((end.mark - piece.startFilePos) / piece.bpc);
    const ch = piece.text[index];
    const mark = end.kind === "row" && ch === "\x07" ? ROW_END : end.kind === "cell" && ch === "\r" ? CELL_BREAK : undefined;
    if (!mark) continue;
    if (!byPiece.has(piece)) byPiece.set(piece, new Map());
    byPiece.get(piece)!.set(index, mark);
    if (mark === ROW_END) rows.push({ cp: (piece.startCp ?? 0) + index, merged: end.merged ?? [] });
  }
  for (const [piece, marks] of byPiece) {
    const chars = piece.text.split(""); // UTF-16 units, as the file offsets count them
    for (const [index, mark] of marks) chars[index] = mark;
    piece.text = chars.join("");
  }
  return rows.sort((a, b) => a.cp - b.cp).map((r) => r.merged);
}

class RevisionSafeOleExtractor extends WordOleExtractor {
  override writeCharacterProperties(buffer: Buffer, table: Buffer): void {
    const pieces = (this as unknown as { _pieces: TextPiece[] })._pieces;
    blankFileRanges(pieces, deletedFileRanges(buffer, table));
  }
  /** Each marked row's merged cells, in text order (the body's rows come first). */
  rowMerges: MergedCell[][] = [];
  /** Replaces the library's pass (row ends as line breaks, found assuming pieces lie in text order). */
  override writeParagraphProperties(buffer: Buffer, table: Buffer): void {
    const pieces = (this as unknown as { _pieces: TextPiece[] })._pieces;
    this.rowMerges = markTableParagraphs(pieces, tableParagraphEnds(buffer, table));
  }
}

async function extractWord(buffer: Buffer): Promise<{ document: WordDocumentLike; merges?: MergedCell[][] }> {
  const isOle = buffer.length >= 8 && buffer.readUInt32BE(0) === 0xd0cf11e0;
  // A .docx saved as .doc: the library's zip path.
  if (!isOle) return { document: await new WordExtractor().extract(buffer) };
  const extractor = new RevisionSafeOleExtractor();
  const document = await extractor.extract(new BufferReader(buffer));
  return { document, merges: extractor.rowMerges };
}

export async function readDoc(bytes: Uint8Array, fileName: string): Promise<{ text: string; tables: number }> {
  let body: string;
  let notes: string;
  let merges: MergedCell[][] | undefined;
  try {
    const extracted = await extractWord(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const document = extracted.document;
    merges = extracted.merges;
    body = document.getBody({ filterUnicode: false });
    notes = [document.getFootnotes({ filterUnicode: false }), document.getEndnotes({ filterUnicode: false })].join("\n");
  } catch (error) {
    throw createError("BROKEN_DOCUMENT", fileName, { cause: error });
  }
  const { lines, tables } = docTextToLines(body, merges);
  const noteLines = notes.split("\n").map((l) => l.trim()).filter(Boolean);
  const text = [...lines, ...noteLines].join("\n").replace(/\n{3,}/g, "\n\n").trim();
  return { text, tables };
}
