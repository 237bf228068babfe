/**
 * Reads a Word 97–2003 .doc with word-extractor (pure JavaScript, MIT, reads the OLE compound file
 * and its piece table).
 *
 * word-extractor gives the main text with Word's cell marks turned into tabs: every cell ends with a
 * tab and a row ends with a tab followed by a line break; a line break not preceded by a tab inside a
 * row is a paragraph inside a cell. Those rows are rebuilt into pipe tables. The library gives no
 * cell spans, so a merged cell is one value in its first row and empty below (a known limit).
 * Headers and footers are dropped (page furniture); footnotes and endnotes are kept after the body.
 * Curly quotes and dashes are kept as written (filterUnicode: false).
 */
import WordExtractor from "word-extractor";

import { createError } from "../../core/errors.js";
import { joinCellLines, pipeTableBlock } from "./table-lines.js";

/** A row longer than this many paragraphs is not a row: its paragraphs are text. */
const MAX_ROW_PARAGRAPHS = 40;

/** Turns word-extractor text (tabs for cell marks) into lines with pipe tables. */
export function docTextToLines(body: string): { lines: string[]; tables: number } {
  const paragraphs = body.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let rows: string[][] = [];
  let pending: string[] = [];
  let tables = 0;
  const flushTable = () => {
    if (rows.length) {
      const block = pipeTableBlock({ rows });
      if (block.some((l) => l.startsWith("|"))) tables++;
      out.push(...block);
    }
    rows = [];
  };
  for (const paragraph of paragraphs) {
    if (pending.length || paragraph.includes("\t")) {
      pending.push(paragraph);
      if (paragraph.endsWith("\t")) {
        const cells = pending.join("\n").split("\t");
        cells.pop(); // the row mark
        rows.push(cells.map((cell) => joinCellLines(cell.split("\n"))));
        pending = [];
      } else if (pending.length > MAX_ROW_PARAGRAPHS) {
        flushTable();
        out.push(...pending.map((p) => p.replace(/\t/g, " ").trim()).filter(Boolean));
        pending = [];
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

export async function readDoc(bytes: Uint8Array, fileName: string): Promise<{ text: string; tables: number }> {
  let body: string;
  let notes: string;
  try {
    const document = await new WordExtractor().extract(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
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
