/**
 * Turns the bytes of a text file (.txt, .md, and HTML without a usable charset declaration) into a
 * string. The encoding is detected, never assumed:
 *
 * 1. A byte-order mark decides (UTF-8, UTF-16 LE, UTF-16 BE) and is stripped.
 * 2. Bytes that contain NUL or mostly control characters are binary, not text.
 * 3. Bytes that are valid UTF-8 are UTF-8.
 * 4. Otherwise chardet ranks candidate encodings; GB2312/GBK/GB18030 all decode as gb18030 (a
 *    superset). The first candidate that decodes without replacement characters wins (a single-byte
 *    encoding only as chardet's first choice); when chardet is unsure (short snippets), a clean,
 *    mostly-CJK gb18030 decode is preferred. Nothing decodes cleanly → UNKNOWN_ENCODING.
 *
 * Line structure is kept exactly (leading tabs and blank lines carry table structure downstream);
 * only CRLF / lone CR become LF.
 */
import { analyse } from "chardet";
import iconv from "iconv-lite";

import { createError } from "../../core/errors.js";

export interface DecodedText {
  text: string;
  /** Lower-case encoding name: "utf-8", "gb18030", "utf-16le", "utf-16be", "big5" … */
  encoding: string;
}

/** Share of control characters (other than tab, line breaks, form feed …) above which bytes are binary. */
const MAX_CONTROL_RATIO = 0.1;
/** Share of U+FFFD a best-effort decode may contain before the encoding counts as unknown. */
const MAX_REPLACEMENT_RATIO = 0.005;

const GB_FAMILY = new Set(["gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936", "euc-cn", "csgb2312", "chinese", "iso-ir-58", "gb_2312-80", "ms936"]);
const BIG5_FAMILY = new Set(["big5", "big-5", "cn-big5", "x-x-big5", "csbig5", "cp950", "windows-950"]);
const UTF8_LABELS = new Set(["utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"]);

/**
 * Maps an encoding label (from chardet or a charset declaration) to the lower-case name used for
 * decoding, or null when iconv-lite cannot decode it.
 */
export function normaliseEncodingName(label: string): string | null {
  const name = label.trim().toLowerCase();
  if (!name) return null;
  if (UTF8_LABELS.has(name)) return "utf-8";
  if (GB_FAMILY.has(name)) return "gb18030";
  if (BIG5_FAMILY.has(name)) return "big5";
  if (name === "big5-hkscs") return "big5hkscs";
  if (name === "utf-16le" || name === "utf-16be") return name;
  if (name === "ascii" || name === "us-ascii") return "utf-8"; // ASCII is a subset of UTF-8
  return iconv.encodingExists(name) ? name : null;
}

/** Decodes with a normalised encoding name; never throws on bad bytes (they become U+FFFD). */
export function decodeWith(bytes: Uint8Array, encoding: string): string {
  if (encoding === "utf-8") return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return iconv.decode(bytes, encoding, { stripBOM: false });
}

/** Strict UTF-8 decoding: null when the bytes are not valid UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Lone CR (old Mac) and CRLF (Windows) become LF; nothing else about lines changes. */
export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

function isBinaryControlCode(code: number): boolean {
  // Allowed: \t \n \v \f \r, SUB (DOS end-of-file marker), ESC (ISO-2022 escape sequences).
  if (code === 0x09 || code === 0x0a || code === 0x0b || code === 0x0c || code === 0x0d) return false;
  if (code === 0x1a || code === 0x1b) return false;
  return code < 0x20 || code === 0x7f;
}

/** True for raw bytes of an ASCII-compatible encoding that cannot be text. */
export function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let controls = 0;
  for (const byte of bytes) {
    if (byte === 0) return true;
    if (isBinaryControlCode(byte)) controls++;
  }
  return controls / bytes.length > MAX_CONTROL_RATIO;
}

/** Same test on decoded text (used after UTF-16 decoding, where NUL bytes are normal). */
function textLooksBinary(text: string): boolean {
  if (text.length === 0) return false;
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return true;
    if (isBinaryControlCode(code)) controls++;
  }
  return controls / text.length > MAX_CONTROL_RATIO;
}

function countReplacements(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\uFFFD"); i >= 0; i = text.indexOf("\uFFFD", i + 1)) count++;
  return count;
}

const SINGLE_BYTE = /^(iso-8859-\d+|windows-125\d|koi8-[ru])$/;
/** chardet confidence (0–100) below which its first guess is not trusted over a clean gb18030 decode. */
const LOW_CONFIDENCE = 50;
const CJK_CHAR = /[\u00b7\u00d7\u2010-\u2027\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/g;

interface Candidate {
  encoding: string;
  confidence: number;
}

/**
 * chardet needs some text to be confident: for a short snippet it often ranks Shift_JIS or a
 * single-byte Latin encoding first. For a Chinese bureau, a gb18030 decode that is clean and mostly
 * CJK wins over such a guess. Returns the decoded text, or null when the guess should stand.
 */
function preferGb18030(bytes: Uint8Array, top: Candidate | undefined): string | null {
  if (top?.encoding === "gb18030") return null; // the normal path decodes it
  if (top && top.confidence >= LOW_CONFIDENCE && !SINGLE_BYTE.test(top.encoding)) return null;
  const text = iconv.decode(bytes, "gb18030");
  if (countReplacements(text) > 0) return null;
  const nonAscii = text.replace(/[^\u0080-\uffff]/g, "");
  if (nonAscii.length === 0) return null;
  const cjk = nonAscii.match(CJK_CHAR)?.length ?? 0;
  return cjk === nonAscii.length && nonAscii.length >= text.length * 0.3 ? text : null;
}

/** Detects the encoding of non-UTF-8 bytes with chardet and decodes them. */
function detectAndDecode(bytes: Uint8Array, fileName: string): DecodedText {
  const candidates: Candidate[] = [];
  for (const match of analyse(bytes)) {
    const encoding = normaliseEncodingName(match.name);
    // UTF-16/32 without a BOM are not supported: such bytes contain NUL and were rejected as binary.
    if (!encoding || encoding.startsWith("utf-16") || encoding.startsWith("utf-32")) continue;
    if (candidates.some((c) => c.encoding === encoding)) continue;
    candidates.push({ encoding, confidence: match.confidence });
  }

  const gb = preferGb18030(bytes, candidates[0]);
  if (gb !== null) return { text: gb, encoding: "gb18030" };

  // A clean decode with a multi-byte encoding is strong evidence (most byte sequences are invalid
  // in it); a single-byte encoding decodes almost anything, so it counts only as chardet's first choice.
  for (const [index, { encoding }] of candidates.entries()) {
    if (SINGLE_BYTE.test(encoding) && index > 0) continue;
    const text = decodeWith(bytes, encoding);
    if (countReplacements(text) === 0) return { text, encoding };
  }
  // Best effort: chardet's first choice with a few bad bytes (a damaged file) is still readable.
  const top = candidates[0];
  if (top) {
    const text = decodeWith(bytes, top.encoding);
    if (countReplacements(text) <= text.length * MAX_REPLACEMENT_RATIO) return { text, encoding: top.encoding };
  }
  throw createError("UNKNOWN_ENCODING", fileName);
}

/**
 * Decodes the bytes of a text file. Throws BINARY_DOCUMENT for bytes that are not text and
 * UNKNOWN_ENCODING when no encoding decodes them cleanly. The BOM is stripped, newlines are LF.
 */
export function decodeText(bytes: Uint8Array, fileName: string): DecodedText {
  const decoded = decodeRaw(bytes, fileName);
  return { text: normaliseNewlines(decoded.text), encoding: decoded.encoding };
}

function decodeRaw(bytes: Uint8Array, fileName: string): DecodedText {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    const body = bytes.subarray(3);
    if (looksBinary(body)) throw createError("BINARY_DOCUMENT", fileName);
    const text = decodeUtf8Strict(body);
    if (text === null) throw createError("UNKNOWN_ENCODING", fileName);
    return { text, encoding: "utf-8" };
  }
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const encoding = b0 === 0xff ? "utf-16le" : "utf-16be";
    const body = bytes.subarray(2);
    if (body.length % 2 !== 0) throw createError("UNKNOWN_ENCODING", fileName);
    const text = iconv.decode(body, encoding, { stripBOM: false });
    if (textLooksBinary(text)) throw createError("BINARY_DOCUMENT", fileName);
    return { text, encoding };
  }
  if (looksBinary(bytes)) throw createError("BINARY_DOCUMENT", fileName);
  const utf8 = decodeUtf8Strict(bytes);
  if (utf8 !== null) return { text: utf8, encoding: "utf-8" };
  return detectAndDecode(bytes, fileName);
}
