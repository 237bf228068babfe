/**
 * Reads a PDF's text layer with unpdf (a serverless build of pdf.js that runs offline in Node).
 * Lines within a page follow pdf.js's end-of-line marks; pages are joined with "\n".
 * A scanned PDF without a text layer yields no text (EMPTY_DOCUMENT upstream); OCR is out of scope.
 */
import { extractText, getDocumentProxy } from "unpdf";

import { createError } from "../../core/errors.js";
import { normaliseNewlines } from "./decode-text.js";

export async function readPdf(bytes: Uint8Array, fileName: string): Promise<{ text: string }> {
  let pages: string[];
  try {
    // pdf.js transfers (detaches) the buffer it is given: hand it a copy so the caller's bytes survive.
    const pdf = await getDocumentProxy(bytes.slice(), { verbosity: 0 });
    try {
      pages = (await extractText(pdf, { mergePages: false })).text;
    } finally {
      await pdf.destroy();
    }
  } catch (error) {
    throw createError("BROKEN_DOCUMENT", fileName, { cause: error });
  }
  const text = pages.map((page) => normaliseNewlines(page).replace(/[^\S\n]+$/gm, "")).join("\n");
  return { text };
}
