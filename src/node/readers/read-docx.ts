/**
 * Reads a .docx with mammoth.
 *
 * mammoth's extractRawText() ends every paragraph — including every table cell's paragraphs — with
 * "\n\n", so a table comes out as a run of short lines that cannot be told from body paragraphs.
 * This reader converts to HTML instead (same document model, same text) and writes:
 * - one line per paragraph (no blank lines between paragraphs; empty paragraphs are dropped),
 *   a soft line break (<w:br/>) starts a new line;
 * - tables as Markdown pipe tables (table-lines.ts): mammoth turns gridSpan into colspan and vMerge
 *   into rowspan, and the value of a merged cell is repeated in every row and column it spans;
 *   a cell's paragraphs are joined.
 */
import mammoth from "mammoth";
import { parseHTML } from "linkedom";

import { createError } from "../../core/errors.js";
import { elementLines, linesToText, type LineOptions } from "./read-html.js";

const DOCX_LINE_OPTIONS: LineOptions = { tables: "pipe", collapseWhitespace: false };

/** Images are not text: skip reading them (mammoth would otherwise inline them as data URIs). */
const skipImages = mammoth.images.imgElement(() => Promise.resolve({ src: "" }));

/** Footnote/endnote back-links ("↑") that mammoth appends to each note. */
function removeBackLinks(document: Document): void {
  for (const link of Array.from(document.querySelectorAll("a[href]"))) {
    const href = link.getAttribute("href") ?? "";
    if (/^#(footnote|endnote|comment)-ref-/.test(href)) link.remove();
  }
}

export async function readDocx(bytes: Uint8Array, fileName: string): Promise<{ text: string }> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer }, { convertImage: skipImages });
    html = result.value;
  } catch (error) {
    throw createError("BROKEN_DOCUMENT", fileName, { cause: error });
  }
  const { document } = parseHTML(`<!DOCTYPE html><html><head></head><body>${html}</body></html>`);
  removeBackLinks(document);
  return { text: linesToText(elementLines(document.body, DOCX_LINE_OPTIONS)) };
}
