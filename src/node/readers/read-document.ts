/**
 * The entry point of the readers: file name + bytes in, plain text out. The format comes from the
 * file extension; every failure is an AppError from the catalog (src/core/errors.ts). Each format's
 * reader is imported when a file of that format comes (pdf.js, exceljs, mammoth, linkedom and
 * word-extractor cost ≈ 1 s of loading together), so a corpus of text files, or a process that only
 * checks whether the index is current, loads none of them.
 */
import { createError } from "../../core/errors.js";
import { decodeText } from "./decode-text.js";

export type DocumentFormat = "txt" | "md" | "html" | "docx" | "doc" | "pdf" | "xlsx" | "csv";

export interface ReadResult {
  text: string;
  format: DocumentFormat;
  /** For text formats (txt, md, html, csv): the detected encoding, lower-case ("utf-8", "gb18030" …). */
  encoding?: string;
  /** For html: the page title. */
  title?: string;
  /** For pdf: the number of pages. */
  pages?: number;
  /** What the reader removed, by kind: { 页眉页脚: 38, 页码: 19 }. */
  dropped?: Record<string, number>;
}

const FORMATS: Record<string, DocumentFormat> = {
  ".txt": "txt",
  ".text": "txt",
  ".md": "md",
  ".markdown": "md",
  ".html": "html",
  ".htm": "html",
  ".docx": "docx",
  ".doc": "doc",
  ".pdf": "pdf",
  ".xlsx": "xlsx",
  ".csv": "csv",
};

/** A line of a failed PDF-to-text export: `===PAGE 3===`, `--- Page 3 ---`, or a form feed. */
const PAGE_MARKER = /^\s*(?:[=\-#*]{2,}\s*(?:page|PAGE|Page|第)\s*\d+\s*(?:页)?\s*[=\-#*]{2,}|\f)\s*$/;

/** True when a text holds page markers and nothing else: an export that lost its text. */
export function onlyPageMarkers(text: string): boolean {
  let markers = 0;
  for (const line of text.split("\n")) {
    if (PAGE_MARKER.test(line)) markers++;
    else if (line.trim()) return false;
  }
  return markers > 0;
}

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

/** Each library-backed reader's module, imported when a file of its format comes (or ahead, by loadReader). */
const readers = {
  html: () => import("./read-html.js"),
  docx: () => import("./read-docx.js"),
  doc: () => import("./read-doc.js"),
  pdf: () => import("./read-pdf.js"),
  xlsx: () => import("./read-spreadsheet.js"),
  csv: () => import("./read-spreadsheet.js"),
} satisfies Partial<Record<DocumentFormat, () => Promise<unknown>>>;

/**
 * Loads the reader of a format ahead of its first file (the reader thread does, while the ingest's
 * main thread loads its segmenter). Plain text needs none.
 */
export async function loadReader(format: DocumentFormat): Promise<void> {
  if (format === "pdf") await (await readers.pdf()).loadPdfJs();
  else if (format !== "txt" && format !== "md") await readers[format]();
}

/**
 * Reads a document. Throws AppError with code UNSUPPORTED_FORMAT (value: the extension, or the file
 * name when it has none), EMPTY_DOCUMENT, BINARY_DOCUMENT, BROKEN_DOCUMENT, NO_TEXT_LAYER (a scanned PDF,
 * a text export with only page markers) or UNKNOWN_ENCODING
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
      if (onlyPageMarkers(text)) throw createError("NO_TEXT_LAYER", fileName);
      result = { text, format, encoding };
      break;
    }
    case "html": {
      const { readHtml } = await readers.html();
      const { text, encoding, title } = readHtml(bytes, fileName);
      result = { text, format, encoding, ...(title ? { title } : {}) };
      break;
    }
    case "docx":
      result = { text: (await (await readers.docx()).readDocx(bytes, fileName)).text, format };
      break;
    case "doc":
      result = { text: (await (await readers.doc()).readDoc(bytes, fileName)).text, format };
      break;
    case "pdf": {
      const { readPdf } = await readers.pdf();
      const { text, pages, dropped } = await readPdf(bytes, fileName);
      result = { text, format, pages, ...(Object.keys(dropped).length ? { dropped } : {}) };
      break;
    }
    case "xlsx":
      result = { text: (await (await readers.xlsx()).readXlsx(bytes, fileName)).text, format };
      break;
    case "csv": {
      const { readCsv } = await readers.csv();
      const { text, encoding } = readCsv(bytes, fileName);
      result = { text, format, ...(encoding ? { encoding } : {}) };
      break;
    }
  }
  if (!result.text.trim()) throw createError("EMPTY_DOCUMENT", fileName);
  return result;
}
