import { extractFigures, withoutHanSpaces, type Figure } from "../text/figures.js";
import { foldForMatching } from "../text/fold.js";

/** Characters either side of a figure that must match a source verbatim for the quoted-context test. */
const CONTEXT = 3;

/** Citation markers [1] and the 来源 line's numbering are not figures. */
const CITATION_MARKER = /\[\d{1,2}\]/g;

export interface VerificationResult {
  ok: boolean;
  /** Figures in the answer that no cited source contains. */
  unsupported: Figure[];
  checked: number;
}

/** The text against which an answer's figures are checked: a cited passage with its headings. */
export interface FigureSource {
  folded: string;
}

/** What a cited passage, as `/api/passages/:id` serves it, offers the figure check: body, title and section, and its year. */
export function passageFigureSource(p: { text: string; title: string; section: string; year: number | null }): FigureSource {
  return { folded: `${foldForMatching(p.text)} ${foldForMatching(`${p.title} ${p.section}`)} ${p.year ?? ""}年` };
}

/**
 * True when `core` occurs in `haystack` as a whole number: 50 is in "50所" but not in "150所" or
 * "50.5"; 3.86万 is in "3.86万个".
 */
export function containsFigure(haystack: string, core: string): boolean {
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(core, from);
    if (at < 0) return false;
    const before = haystack[at - 1] ?? "";
    const after = haystack[at + core.length] ?? "";
    // Only a digit can extend a number that ends (or starts) with a digit: 6月27日 is whole in
    // 6月27日10:00, 50 is not in 150 or 50.5.
    const digitBefore = /^\d/.test(core) && /[\d.]/.test(before);
    const digitAfter = /\d$/.test(core) && (/\d/.test(after) || (after === "." && /\d/.test(haystack[at + core.length + 1] ?? "")));
    if (!digitBefore && !digitAfter) return true;
    from = at + 1;
  }
}

/**
 * A figure is supported when the source states the same number with the same measure word:
 * 50所 needs 50所 (or 50余所), not the 50 of 50%; 3.86万 (no measure word) matches 3.86万个.
 */
export function figureSupported(haystack: string, figure: Figure): boolean {
  if (haystack.includes(figure.text) && containsFigure(haystack, figure.core)) {
    const at = haystack.indexOf(figure.text);
    if (!/[\d.]/.test(haystack[at - 1] ?? "")) return true;
  }
  if (figure.kind !== "count" && figure.kind !== "amount") return containsFigure(haystack, figure.core);
  // The number, its magnitude and its unit, each with the 余/多 that may stand on either side of the
  // magnitude (710余万人次, 1万余项): 50所 is supported by 50余所, 710万人次 and 710万 by 710余万人次.
  const parts = /^([\d,]+(?:\.\d+)?)(?:余|多)?(万亿|万|亿|千)?(?:余|多)?(.*)$/.exec(figure.text);
  const unit = parts?.[3] ?? "";
  if (!parts || (!unit && !parts[2])) return containsFigure(haystack, figure.core);
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const magnitude = parts[2] ? `(?:余|多)?${parts[2]}` : "";
  return new RegExp(`(?<![\\d.])${escape(parts[1]!)}${magnitude}(?:余|多)?${escape(unit)}`).test(haystack);
}

/**
 * Mechanical figure check: every numeric expression in the answer (Arabic numerals, decimals,
 * percentages, 万/亿 amounts, dates, document numbers, Chinese-numeral quantities) must occur,
 * after folding, in at least one cited source. Citation markers are ignored.
 */
export function verifyFigures(answer: string, sources: FigureSource[]): VerificationResult {
  // A figure written with a space before its unit (590 号) is the same figure as without, on either side.
  const folded = withoutHanSpaces(foldForMatching(answer.replace(CITATION_MARKER, " ")));
  const spaced = sources.map((s) => ({ ...s, folded: withoutHanSpaces(s.folded) }));
  const figures = extractFigures(folded);
  // A figure quoted with its neighbours exactly as a source has them is that source's figure,
  // however the figure patterns split the run around it (an address 39.107.105.7, a time after a date).
  const quoted = (f: { start: number; end: number }) => {
    const context = folded.slice(Math.max(0, f.start - CONTEXT), f.end + CONTEXT);
    return spaced.some((s) => s.folded.includes(context));
  };
  const unsupported = figures.filter((f) => !quoted(f) && !spaced.some((s) => figureSupported(s.folded, f)));
  return { ok: unsupported.length === 0, unsupported, checked: figures.length };
}
