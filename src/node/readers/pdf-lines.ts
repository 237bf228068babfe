/**
 * PDF text items → visual lines: the items of pdf.js with their positions, grouped by baseline,
 * letter-spaced runs merged, spaces next to CJK characters removed. Shared by the paragraph and the
 * table rebuilding of read-pdf.ts and pdf-tables.ts.
 */

/** One text item of pdf.js with its position (PDF user space: y grows upwards). */
export interface Glyph {
  text: string;
  x: number;
  y: number;
  right: number;
  size: number;
  /** Position in the content stream of its page. */
  order: number;
}

/** A visual line: the items sharing a baseline, left to right. */
export interface Line {
  page: number;
  y: number;
  size: number;
  x: number;
  right: number;
  glyphs: Glyph[];
  /** x where each cell-like segment starts (segments are separated by a gap ≥ SEGMENT_GAP em). */
  segmentStarts: number[];
  text: string;
}

/** A gap between two items of a line, in em, from which they are separate cells (justified body text stays under 0.5). */
export const SEGMENT_GAP = 0.6;
/** Items whose baselines differ by less than this share of the font size are on one line. */
export const SAME_LINE = 0.4;

const CJK = "\\u2e80-\\u2fff\\u3000-\\u303f\\u3040-\\u30ff\\u3100-\\u312f\\u3200-\\u33ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uffef\\u2018-\\u201f\\u2026\\u2014";
const SPACE_NEXT_TO_CJK = new RegExp(`(?<=[${CJK}])[ \\t\\u00a0]+|[ \\t\\u00a0]+(?=[${CJK}])`, "g");
export const IS_CJK_CHAR = new RegExp(`[${CJK}]`);

/** Removes spaces next to CJK characters: `招 生 简 章` → `招生简章`, `2019 年` → `2019年`. */
export function joinSpacedCjk(text: string): string {
  return text.replace(SPACE_NEXT_TO_CJK, "").replace(/[ \t\u00a0]{2,}/g, " ").trim();
}

// ------------------------------------------------------------------------------------------------

export interface RawItem {
  str?: string;
  transform?: number[];
  width?: number;
  height?: number;
}

export function glyphsOf(items: RawItem[]): Glyph[] {
  const glyphs: Glyph[] = [];
  items.forEach((item, order) => {
    if (typeof item.str !== "string" || !item.transform || !item.str.trim()) return;
    const [a = 0, b = 0, , d = 0, x = 0, y = 0] = item.transform;
    const size = Math.max(Math.hypot(a, b), Math.abs(d), item.height ?? 0, 1);
    glyphs.push({ text: item.str, x, y, right: x + (item.width ?? 0), size, order });
  });
  return glyphs;
}

function joinGlyphText(left: Glyph, right: Glyph): string {
  const gap = right.x - left.right;
  const a = left.text.trimEnd().slice(-1);
  const b = right.text.trimStart().charAt(0);
  if (IS_CJK_CHAR.test(a) || IS_CJK_CHAR.test(b)) return "";
  return gap > 0.15 * Math.min(left.size, right.size) ? " " : "";
}

const SINGLE_CJK = new RegExp(`^[${CJK}]$`);

/**
 * Letter-spaced headings and header cells (`招  生  地  段`) come as one item per character: a run of
 * ≥ 3 single CJK characters at a regular pitch (gaps under 3 em) is one item.
 */
function mergeSpacedGlyphs(glyphs: Glyph[]): Glyph[] {
  const out: Glyph[] = [];
  let i = 0;
  while (i < glyphs.length) {
    let j = i + 1;
    if (SINGLE_CJK.test(glyphs[i]!.text.trim())) {
      const gaps: number[] = [];
      while (j < glyphs.length && SINGLE_CJK.test(glyphs[j]!.text.trim())) {
        const gap = glyphs[j]!.x - glyphs[j - 1]!.right;
        if (gap > 3 * glyphs[j]!.size || (gaps.length && Math.abs(gap - gaps[0]!) > 0.5 * glyphs[j]!.size)) break;
        gaps.push(gap);
        j++;
      }
    }
    if (j - i >= 3) {
      const run = glyphs.slice(i, j);
      out.push({ ...run[0]!, text: run.map((g) => g.text.trim()).join(""), right: run[run.length - 1]!.right });
    } else {
      j = i + 1;
      out.push(glyphs[i]!);
    }
    i = j;
  }
  return out;
}

export function buildLine(page: number, unsorted: Glyph[]): Line {
  const glyphs = mergeSpacedGlyphs([...unsorted].sort((p, q) => p.x - q.x));
  const size = Math.max(...glyphs.map((g) => g.size));
  const segmentStarts = [glyphs[0]!.x];
  let text = glyphs[0]!.text;
  for (let i = 1; i < glyphs.length; i++) {
    const previous = glyphs[i - 1]!;
    const glyph = glyphs[i]!;
    const em = Math.min(previous.size, glyph.size);
    if (glyph.x - previous.right >= SEGMENT_GAP * em) {
      segmentStarts.push(glyph.x);
      text += " ";
    } else {
      text += joinGlyphText(previous, glyph);
    }
    text += glyph.text;
  }
  return {
    page,
    y: glyphs.reduce((sum, g) => sum + g.y, 0) / glyphs.length,
    size,
    x: glyphs[0]!.x,
    right: Math.max(...glyphs.map((g) => g.right)),
    glyphs,
    segmentStarts,
    text: joinSpacedCjk(text),
  };
}

/** Groups a page's items into visual lines, top to bottom. */
export function linesOf(page: number, glyphs: Glyph[]): Line[] {
  const sorted = [...glyphs].sort((p, q) => q.y - p.y || p.x - q.x);
  const groups: Glyph[][] = [];
  let current: Glyph[] = [];
  let y = Number.NaN;
  for (const glyph of sorted) {
    if (current.length && Math.abs(glyph.y - y) <= SAME_LINE * Math.min(glyph.size, current[0]!.size)) {
      current.push(glyph);
    } else {
      if (current.length) groups.push(current);
      current = [glyph];
      y = glyph.y;
    }
  }
  if (current.length) groups.push(current);
  return groups.map((group) => buildLine(page, group)).filter((line) => line.text !== "");
}

/** The median vertical distance between consecutive lines. */
export function medianPitch(lines: Line[]): number {
  const gaps = lines.slice(1).map((l, i) => lines[i]!.y - l.y).filter((g) => g > 0).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? lines[0]?.size ?? 12;
}
