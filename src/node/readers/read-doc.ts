/**
 * Reads a Word 97–2003 .doc with word-extractor (pure JavaScript, MIT, reads the OLE compound file
 * and its piece table).
 *
 * word-extractor gives the main text with Word's cell marks turned into tabs: every cell ends with a
 * tab and a row ends with a tab followed by a line break; a line break not preceded by a tab inside a
 * row is a paragraph inside a cell (so is an empty first paragraph of a cell: a row is complete at
 * its table's width). Those rows are rebuilt into pipe tables. The library gives no cell spans: a
 * row whose leading cells are empty sits under cells merged down from the row above, whose values
 * are repeated; a cell merged down further right stays empty below its first row (a known limit).
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

/** Turns word-extractor text (tabs for cell marks) into lines with pipe tables. */
export function docTextToLines(body: string): { lines: string[]; tables: number } {
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
  new (): { extract(reader: unknown): Promise<WordDocumentLike>; writeCharacterProperties(buffer: Buffer, table: Buffer): void };
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

/** The file ranges of the runs a document's character properties mark as deleted (FIB/PlcBteChpx/CHPX FKP as in [MS-DOC]). */
export function deletedFileRanges(wordDocument: Buffer, table: Buffer): FileRange[] {
  const fc = wordDocument.readUInt32LE(0x00fa);
  const lcb = wordDocument.readUInt32LE(0x00fe);
  if (lcb < 12 || fc + lcb > table.length) return [];
  const count = (lcb - 4) / 8;
  const plc = table.subarray(fc, fc + lcb);
  const ranges: FileRange[] = [];
  for (let i = 0; i < count; i++) {
    const block = plc.readUInt32LE((count + 1) * 4 + i * 4);
    const fkp = wordDocument.subarray(block * 512, (block + 1) * 512);
    if (fkp.length < 512) continue;
    const runs = fkp.readUInt8(511);
    for (let j = 0; j < runs; j++) {
      const rgb = fkp.readUInt8((runs + 1) * 4 + j);
      if (rgb === 0) continue;
      const cb = fkp.readUInt8(rgb * 2);
      const grpprl = fkp.subarray(rgb * 2 + 1, rgb * 2 + 1 + cb);
      let offset = 0;
      while (offset < grpprl.length - 1) {
        const sprm = grpprl.readUInt16LE(offset);
        offset += 2;
        if (sprm === SPRM_DELETED && ((grpprl[offset] ?? 0) & 1) === 1) {
          ranges.push({ start: fkp.readUInt32LE(j * 4), end: fkp.readUInt32LE((j + 1) * 4) });
          break;
        }
        const size = OPERAND_SIZE[(sprm >> 13) & 7]!;
        offset += size >= 0 ? size : (grpprl[offset] ?? 0) + 1;
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

class RevisionSafeOleExtractor extends WordOleExtractor {
  override writeCharacterProperties(buffer: Buffer, table: Buffer): void {
    const pieces = (this as unknown as { _pieces: TextPiece[] })._pieces;
    blankFileRanges(pieces, deletedFileRanges(buffer, table));
  }
}

async function extractWord(buffer: Buffer): Promise<WordDocumentLike> {
  const isOle = buffer.length >= 8 && buffer.readUInt32BE(0) === 0xd0cf11e0;
  if (!isOle) return new WordExtractor().extract(buffer); // a .docx saved as .doc: the library's zip path
  return new RevisionSafeOleExtractor().extract(new BufferReader(buffer));
}

export async function readDoc(bytes: Uint8Array, fileName: string): Promise<{ text: string; tables: number }> {
  let body: string;
  let notes: string;
  try {
    const document = await extractWord(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    body = document.getBody({ filterUnicode: false });
    notes = [document.getFootnotes({ filterUnicode: false }), document.getEndnotes({ filterUnicode: false })].join("\n");
  } catch (error) {
    throw createError("BROKEN_DOCUMENT", fileName, { cause: error });
  }
  const { lines, tables } = docTextToLines(body);
  const noteLines = notes.split("\n").map((l) => l.trim()).filter(Boolean);
  const text = [...lines, ...noteLines].join("\n").replace(/\n{3,}/g, "\n\n").trim();
  return { text, tables };
}
