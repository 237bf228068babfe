/**
 * The entry point of the readers: file name + bytes in, plain text out. The format comes from the
 * file extension; every failure is an AppError from the catalog (src/core/errors.ts).
 */
import { createError } from "../../core/errors.js";
import { decodeText } from "./decode-text.js";
import { readDocx } from "./read-docx.js";
import { readHtml } from "./read-html.js";
import { readPdf } from "./read-pdf.js";

export type DocumentFormat = "txt" | "md" | "html" | "docx" | "pdf";

export interface ReadResult {
  text: string;
  format: DocumentFormat;
  /** For text formats (txt, md, html): the detected encoding, lower-case ("utf-8", "gb18030" …). */
  encoding?: string;
  /** For html: the page title. */
  title?: string;
}

const FORMATS: Record<string, DocumentFormat> = {
  ".txt": "txt",
  ".text": "txt",
  ".md": "md",
  ".markdown": "md",
  ".html": "html",
  ".htm": "html",
  ".docx": "docx",
  ".pdf": "pdf",
};

/** The lower-case extension of a file name or path, with its dot ("" when there is none). */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
}

/** The format read for a file name, or null when it is not supported. */
export function formatOf(fileName: string): DocumentFormat | null {
  return FORMATS[extensionOf(fileName)] ?? null;
}

/**
 * Reads a document. Throws AppError with code UNSUPPORTED_FORMAT (value: the extension, or the file
 * name when it has none), EMPTY_DOCUMENT, BINARY_DOCUMENT, BROKEN_DOCUMENT or UNKNOWN_ENCODING
 * (value: the file name).
 */
export async function readDocument(fileName: string, bytes: Uint8Array): Promise<ReadResult> {
  const format = formatOf(fileName);
  if (!format) throw createError("UNSUPPORTED_FORMAT", extensionOf(fileName) || fileName);
  if (bytes.length === 0) throw createError("EMPTY_DOCUMENT", fileName);

  let result: ReadResult;
  switch (format) {
    case "txt":
    case "md": {
      const { text, encoding } = decodeText(bytes, fileName);
      result = { text, format, encoding };
      break;
    }
    case "html": {
      const { text, encoding, title } = readHtml(bytes, fileName);
      result = { text, format, encoding, ...(title ? { title } : {}) };
      break;
    }
    case "docx":
      result = { text: (await readDocx(bytes, fileName)).text, format };
      break;
    case "pdf":
      result = { text: (await readPdf(bytes, fileName)).text, format };
      break;
  }
  if (!result.text.trim()) throw createError("EMPTY_DOCUMENT", fileName);
  return result;
}
