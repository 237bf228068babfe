import { foldToSimplified } from "../fold.js";

/** What the detector needs from the language side; supplied by the runtime adapter. */
export interface MojibakeModel {
  /** Plain (non-search) segmentation of Simplified text. */
  cut(text: string): string[];
  /** Frequency rank of a Han character in the segmenter's dictionary (0 = most frequent). */
  charRank(ch: string): number;
}

export interface MojibakeRun {
  start: number;
  end: number;
  text: string;
}

// UTF-8 bytes read as Windows-1252: a lead byte (Ã-ï) then continuation bytes, which cp1252 shows
// as Latin-1 or as its 0x80–0x9F punctuation (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ' ' " " • – — ˜ ™ š › œ ž Ÿ).
const LATIN1_RUN = /(?:[\u00c2-\u00ef][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]{1,2}){3,}/g;
const REPLACEMENT_RUN = /[^\s，。、；：,.;:]{0,3}\uFFFD+[^\s，。、；：,.;:]{0,3}/g;

const RARE_RANK = 1500;
const MIN_RUN_TOKENS = 5;
const MIN_SUSPICIOUS = 3;
const HAN = /^[\u3400-\u9fff]$/;
// ASCII inside a Chinese sentence that is neither a digit nor ordinary punctuation. A token of x
// alone is an anonymisation placeholder (xx所, x.xx万个), not evidence of a broken encoding.
const ODDITY_CHARS = "[A-Za-z?!@#$^&*~`|\\\\]";
const ASCII_ODDITY = new RegExp(`^(?![xX]+$)${ODDITY_CHARS}+$`);
// The segmentation pass below reports a run only when it holds an oddity token, which is made of
// these characters alone and is not all x. Tokens are pieces of the segmented text, and the
// Simplified fold never writes one of these characters (no tw → cn dictionary value holds one), so
// a line without any of them other than x cannot yield such a run: it skips the fold and the
// segmentation (anonymised documents are full of xx placeholders).
const ODDITY_CHAR = /[A-WYZa-wyz?!@#$^&*~`|\\]/;
const BREAKS_RUN = /^[\d\s，。、；：,.;:“”"'‘’《》()（）\-—%％]+$/;

/**
 * Finds runs of mojibake in one line of text: GBK/UTF-8 mix-ups that turn 校“一校一品”党 into
 * `?!耙恍R黄贰秉h`. Real Chinese segments into dictionary words; mojibake segments into a long run
 * of single, mostly rare characters with stray ASCII between them. Both scripts are handled by
 * segmenting the Simplified form (Traditional characters are rare in a Simplified dictionary).
 */
export function findMojibakeRuns(line: string, model: MojibakeModel): MojibakeRun[] {
  return findRuns(line, model, true);
}

/** findMojibakeRuns without the pre-check that skips segmentation: for tests. */
export function findMojibakeRunsSlow(line: string, model: MojibakeModel): MojibakeRun[] {
  return findRuns(line, model, false);
}

function findRuns(line: string, model: MojibakeModel, preCheck: boolean): MojibakeRun[] {
  const runs: MojibakeRun[] = [];
  for (const pattern of [LATIN1_RUN, REPLACEMENT_RUN]) {
    for (const match of line.matchAll(pattern)) {
      const start = match.index ?? 0;
      runs.push({ start, end: start + match[0].length, text: match[0] });
    }
  }
  if (preCheck && !ODDITY_CHAR.test(line)) return mergeRuns(runs);

  const simplified = foldToSimplified(line);
  // Offsets below index into `simplified`; they are valid for `line` only when the conversion kept
  // the length, which character-level OpenCC conversion does. Otherwise segment the line as is.
  const text = simplified.length === line.length ? simplified : line;
  const tokens = model.cut(text);
  let offset = 0;
  let run: Array<{ start: number; end: number; kind: "common" | "rare" | "oddity" }> = [];
  const closeRun = () => {
    // A run borders real text: common characters at its edges belong to the sentence (…党建 → 建).
    while (run.length && run[run.length - 1]!.kind === "common") run.pop();
    while (run.length && run[0]!.kind === "common") run.shift();
    const suspicious = run.filter((t) => t.kind !== "common").length;
    const oddities = run.filter((t) => t.kind === "oddity").length;
    if (run.length >= MIN_RUN_TOKENS && suspicious >= MIN_SUSPICIOUS && oddities >= 1) {
      const start = run[0]!.start;
      const end = run[run.length - 1]!.end;
      runs.push({ start, end, text: line.slice(start, end) });
    }
    run = [];
  };
  for (const token of tokens) {
    const at = text.indexOf(token, offset);
    const start = at < 0 ? offset : at;
    const end = start + token.length;
    offset = end;
    const single = [...token].length === 1;
    const oddity = ASCII_ODDITY.test(token) && token.length <= 2;
    if ((single || oddity) && !BREAKS_RUN.test(token)) {
      const kind = oddity ? "oddity" : HAN.test(token) && model.charRank(token) <= RARE_RANK ? "common" : "rare";
      run.push({ start, end, kind });
    } else {
      closeRun();
    }
  }
  closeRun();
  return mergeRuns(runs);
}

function mergeRuns(runs: MojibakeRun[]): MojibakeRun[] {
  const sorted = [...runs].sort((a, b) => a.start - b.start);
  const merged: MojibakeRun[] = [];
  for (const run of sorted) {
    const last = merged[merged.length - 1];
    if (last && run.start <= last.end) {
      last.end = Math.max(last.end, run.end);
    } else {
      merged.push({ ...run });
    }
  }
  return merged;
}

/** Replaces each run with an ellipsis, so the sentence reads as elided rather than silently joined. */
export function removeMojibake(line: string, runs: MojibakeRun[]): string {
  let out = "";
  let cursor = 0;
  for (const run of runs) {
    out += line.slice(cursor, run.start) + "…";
    cursor = run.end;
  }
  return out + line.slice(cursor);
}
