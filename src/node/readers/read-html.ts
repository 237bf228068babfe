/**
 * Reads a bureau web page: decodes it (BOM, then the declared charset, then detection), keeps the
 * article with Readability and turns it into plain text with one line per block element.
 *
 * The DOM-to-lines walker is shared with the .docx reader (mammoth produces HTML).
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";

import { createError, isAppError } from "../../core/errors.js";
import {
  decodeText,
  decodeUtf8Strict,
  decodeWith,
  looksBinary,
  normaliseEncodingName,
  normaliseNewlines,
  type DecodedText,
} from "./decode-text.js";
import { joinCellLines, pipeTableBlock, type TableGrid } from "./table-lines.js";

export interface HtmlReadResult {
  text: string;
  encoding: string;
  title?: string;
}

// ------------------------------------------------------------------------------------------------
// Decoding
// ------------------------------------------------------------------------------------------------

const CHARSET_SCAN_BYTES = 4096;

/** The charset declared in a <meta> tag (or an XML declaration) near the top of the page. */
export function findDeclaredCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, CHARSET_SCAN_BYTES));
  for (const meta of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const match = /charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(meta);
    if (match?.[1]) return match[1];
  }
  const xml = /<\?xml\b[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  return xml?.[1] ?? null;
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

/**
 * Decodes a page. A BOM wins; then the declared charset; then the same detection as for .txt.
 * One guard: a page that declares a legacy charset (gb2312 …) but whose bytes are valid UTF-8 with
 * non-ASCII content was re-saved as UTF-8 without fixing the tag — GBK text is practically never
 * valid UTF-8, so UTF-8 is used.
 */
export function decodeHtml(bytes: Uint8Array, fileName: string): DecodedText {
  const hasBom =
    (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) ||
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff);
  const declared = hasBom ? null : findDeclaredCharset(bytes);
  const encoding = declared ? normaliseEncodingName(declared) : null;
  if (!encoding || encoding.startsWith("utf-16") || encoding.startsWith("utf-32")) {
    return decodeText(bytes, fileName);
  }
  if (looksBinary(bytes)) throw createError("BINARY_DOCUMENT", fileName);
  const utf8 = decodeUtf8Strict(bytes);
  if (encoding === "utf-8") {
    // A page declared UTF-8 that is not valid UTF-8: detect instead of emitting replacement chars.
    return utf8 !== null ? { text: normaliseNewlines(utf8), encoding } : decodeText(bytes, fileName);
  }
  if (utf8 !== null && hasNonAscii(bytes)) return { text: normaliseNewlines(utf8), encoding: "utf-8" };
  return { text: normaliseNewlines(decodeWith(bytes, encoding)), encoding };
}

// ------------------------------------------------------------------------------------------------
// DOM → lines
// ------------------------------------------------------------------------------------------------

export interface LineOptions {
  /**
   * "pipe": a table is a Markdown pipe table (table-lines.ts), rowspan/colspan values repeated in
   * every cell they cover. "row": a table row is one line, its non-empty cells separated by a tab
   * (used for a table nested inside a cell).
   */
  tables: "pipe" | "row";
  /** Collapse whitespace runs to one space, as a browser renders HTML. Off for docx text. */
  collapseWhitespace: boolean;
}

const BLOCK_TAGS = new Set([
  "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
  "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
  "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p",
  "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
]);

/** Elements whose content is never document text. */
const SKIP_TAGS = new Set([
  "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "object",
  "embed", "svg", "canvas", "select", "option", "button", "textarea", "input", "audio", "video", "map",
]);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const DOCUMENT_NODE = 9;
const DOCUMENT_FRAGMENT_NODE = 11;

function tagOf(element: Element): string {
  return element.localName.toLowerCase();
}

function childElements(element: Element, tags: string[]): Element[] {
  return Array.from(element.children).filter((child) => tags.includes(tagOf(child)));
}

/** The rows of a table, through thead / tbody / tfoot, without descending into nested tables. */
function tableRows(table: Element): Element[] {
  const rows: Element[] = [];
  for (const child of Array.from(table.children)) {
    const tag = tagOf(child);
    if (tag === "tr") rows.push(child);
    else if (tag === "thead" || tag === "tbody" || tag === "tfoot") rows.push(...childElements(child, ["tr"]));
  }
  return rows;
}

function span(cell: Element, attribute: "rowspan" | "colspan"): number {
  const value = Number.parseInt(cell.getAttribute(attribute) ?? "1", 10);
  return Number.isFinite(value) && value > 1 ? Math.min(value, 1000) : 1;
}

class LineWriter {
  readonly lines: string[] = [];
  private current = "";

  constructor(private readonly options: LineOptions) {}

  text(value: string): void {
    this.current += value;
  }

  /** Ends the current line (a block boundary or <br>); empty lines are not written. */
  break(): void {
    const raw = this.options.collapseWhitespace
      ? this.current.replace(/[ \t\n\r\f\u00a0]+/g, " ")
      : this.current.replace(/[\r\n]+/g, " ");
    const line = raw.trim();
    if (line) this.lines.push(line);
    this.current = "";
  }

  /** Writes a line exactly as given (table conventions need leading tabs and blank lines). */
  raw(line: string): void {
    this.break();
    this.lines.push(line);
  }
}

function walk(node: Node, writer: LineWriter, options: LineOptions): void {
  if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) {
    writer.text(node.textContent ?? "");
    return;
  }
  if (node.nodeType !== ELEMENT_NODE) {
    // Documents and fragments: walk their children; comments and the rest carry no text.
    if (node.nodeType === DOCUMENT_NODE || node.nodeType === DOCUMENT_FRAGMENT_NODE) {
      for (const child of Array.from(node.childNodes)) walk(child, writer, options);
    }
    return;
  }
  const element = node as Element;
  const tag = tagOf(element);
  if (SKIP_TAGS.has(tag)) return;
  if (tag === "br" || tag === "hr") {
    writer.break();
    return;
  }
  if (tag === "pre") {
    writer.break();
    for (const line of (element.textContent ?? "").split(/\r\n?|\n/)) {
      if (line.trim()) writer.raw(line.trim());
    }
    return;
  }
  if (tag === "table" && options.tables === "pipe") {
    writer.break();
    writePipeTable(element, writer, options);
    return;
  }
  if (tag === "tr" && options.tables === "row") {
    writer.break();
    const cells = childElements(element, ["td", "th"])
      .map((cell) => elementLines(cell, options).join(" "))
      .filter((cell) => cell !== "");
    if (cells.length) writer.raw(cells.join("\t"));
    return;
  }
  const block = BLOCK_TAGS.has(tag);
  if (block) writer.break();
  for (const child of Array.from(element.childNodes)) walk(child, writer, options);
  if (block) writer.break();
}

/** The cells of a table as a grid, a rowspan/colspan value repeated in every cell it covers. */
export function tableGrid(table: Element, cellText: (cell: Element) => string): TableGrid {
  const grid: string[][] = [];
  tableRows(table).forEach((row, r) => {
    grid[r] ??= [];
    let column = 0;
    for (const cell of childElements(row, ["td", "th"])) {
      while (grid[r]![column] !== undefined) column++;
      const value = cellText(cell);
      const rowspan = span(cell, "rowspan");
      const colspan = span(cell, "colspan");
      for (let dr = 0; dr < rowspan; dr++) {
        const target = (grid[r + dr] ??= []);
        for (let dc = 0; dc < colspan; dc++) target[column + dc] = value;
      }
      column += colspan;
    }
  });
  return { rows: grid.map((row) => Array.from(row, (cell) => cell ?? "")) };
}

function writePipeTable(table: Element, writer: LineWriter, options: LineOptions): void {
  // Nested tables inside a cell are written one row per line, then the cell's lines are joined.
  const cellOptions: LineOptions = { ...options, tables: "row" };
  for (const caption of childElements(table, ["caption"])) {
    for (const line of elementLines(caption, cellOptions)) writer.raw(line);
  }
  const grid = tableGrid(table, (cell) => joinCellLines(elementLines(cell, cellOptions)));
  for (const line of pipeTableBlock(grid)) writer.raw(line);
}

/** The lines of one element's content. */
export function elementLines(root: Node, options: LineOptions): string[] {
  const writer = new LineWriter(options);
  if (root.nodeType === ELEMENT_NODE) {
    for (const child of Array.from(root.childNodes)) walk(child, writer, options);
  } else {
    walk(root, writer, options);
  }
  writer.break();
  return writer.lines;
}

/** Joins lines into text, without blank lines at the start or the end. */
export function linesToText(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === "" && !lines[start]!.startsWith("\t")) start++;
  while (end > start && lines[end - 1]!.trim() === "" && !lines[end - 1]!.startsWith("\t")) end--;
  return lines.slice(start, end).join("\n").replace(/\n{3,}/g, "\n\n");
}

// ------------------------------------------------------------------------------------------------
// Article extraction
// ------------------------------------------------------------------------------------------------

/** Page furniture removed before Readability runs (and from the fallback body). */
const CHROME_SELECTORS = [
  "script", "style", "noscript", "template", "iframe", "nav", "footer", "aside",
  "[role=navigation]", "[role=banner]", "[role=contentinfo]", "[role=complementary]", "[role=search]",
  "[hidden]",
];

function removeChrome(document: Document): void {
  for (const selector of CHROME_SELECTORS) {
    for (const element of Array.from(document.querySelectorAll(selector))) element.remove();
  }
  // A page header (logo, site name, search box) — but not the <header> of an article, which holds
  // its title and date.
  for (const header of Array.from(document.querySelectorAll("header"))) {
    if (!header.closest("article, main")) header.remove();
  }
  for (const element of Array.from(document.querySelectorAll("[style]"))) {
    if (/display\s*:\s*none|visibility\s*:\s*hidden/i.test(element.getAttribute("style") ?? "")) element.remove();
  }
}

/**
 * linkedom builds a usable document only from markup that has a <body>: wrap fragments (and pages
 * whose <body> tag is missing) into a full document.
 */
function ensureDocumentShape(html: string): string {
  if (/<body[\s>]/i.test(html)) return html;
  const title = /<title[^>]*>[\s\S]*?<\/title>/i.exec(html)?.[0] ?? "";
  const body = html
    .replace(/<!doctype[^>]*>/gi, "")
    .replace(/<\/?html\b[^>]*>/gi, "")
    .replace(/<head\b[^>]*>[\s\S]*?<\/head>/gi, "")
    .replace(/<title[^>]*>[\s\S]*?<\/title>/gi, "");
  return `<!DOCTYPE html><html><head>${title}</head><body>${body}</body></html>`;
}

function collapse(text: string | null | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").trim();
}

const HTML_LINE_OPTIONS: LineOptions = { tables: "pipe", collapseWhitespace: true };

/** Extracts the article text of an HTML string. Throws BROKEN_DOCUMENT when it cannot be parsed. */
export function htmlToText(html: string, fileName: string): { text: string; title?: string } {
  let document: Document;
  try {
    document = parseHTML(ensureDocumentShape(html)).document;
    if (!document.documentElement || !document.body) throw new Error("no document body");
  } catch (error) {
    throw createError("BROKEN_DOCUMENT", fileName, { cause: error });
  }

  const pageTitle = collapse(document.querySelector("title")?.textContent);
  removeChrome(document);
  const headings = Array.from(document.querySelectorAll("h1, h2")).map((h) => collapse(h.textContent)).filter(Boolean);
  const fallbackLines = elementLines(document.body, HTML_LINE_OPTIONS);

  let lines: string[] = [];
  let articleTitle = "";
  try {
    // Readability mutates the document; the fallback lines were taken before.
    const article = new Readability<Node>(document, { serializer: (node) => node }).parse();
    if (article?.content) lines = elementLines(article.content, HTML_LINE_OPTIONS);
    articleTitle = collapse(article?.title);
  } catch {
    lines = [];
  }
  if (!lines.some((line) => line.trim())) lines = fallbackLines;

  const title = articleTitle || pageTitle;
  // Readability drops a heading that repeats the title; the chunker wants it as the first line.
  if (title) {
    const heading = headings.find((h) => title.includes(h) && h.length >= title.length * 0.6);
    if (heading && !lines.includes(heading)) lines.unshift(heading);
  }
  return { text: linesToText(lines), ...(title ? { title } : {}) };
}

/** Reads the bytes of an .html/.htm file. */
export function readHtml(bytes: Uint8Array, fileName: string): HtmlReadResult {
  const decoded = decodeHtml(bytes, fileName);
  try {
    const { text, title } = htmlToText(decoded.text.replace(/^\uFEFF/, ""), fileName);
    return { text, encoding: decoded.encoding, ...(title ? { title } : {}) };
  } catch (error) {
    if (isAppError(error)) throw error;
    throw createError("BROKEN_DOCUMENT", fileName, { cause: error });
  }
}
