/** A run of answer text, or a citation marker such as [2]. */
export type AnswerPiece = { kind: "text"; text: string } | { kind: "cite"; n: number };

// The answer ends with one line listing its sources: 来源：[1] 《…》…; (Traditional: 來源：).
const SOURCES_LINE = /\n?[来來]源[:：][^\n]*$/;
// While streaming, the tail may hold the first characters of that line; hide them until it resolves.
const PARTIAL_SOURCES = /\n(?:[来來](?:源[:：]?)?)?$/;

/** The answer body without its trailing 来源 line (the widget renders its own source list). */
export function stripSourcesLine(text: string, streaming = false): string {
  const body = text.replace(SOURCES_LINE, "");
  return (streaming ? body.replace(PARTIAL_SOURCES, "") : body).trimEnd();
}

/** Splits answer text into plain runs and citation markers; only known citation numbers become markers. */
export function splitCitations(text: string, known: ReadonlySet<number>): AnswerPiece[] {
  const pieces: AnswerPiece[] = [];
  let last = 0;
  for (const match of text.matchAll(/\[(\d{1,2})\]/g)) {
    const n = Number(match[1]);
    if (!known.has(n)) continue;
    if (match.index > last) pieces.push({ kind: "text", text: text.slice(last, match.index) });
    pieces.push({ kind: "cite", n });
    last = match.index + match[0].length;
  }
  if (last < text.length) pieces.push({ kind: "text", text: text.slice(last) });
  return pieces;
}
