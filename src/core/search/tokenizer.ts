import { findRedactions } from "../text/clean/redaction.js";
import { extractFigures, withoutHanSpaces } from "../text/figures.js";
import { foldForMatching } from "../text/fold.js";
import type { Segmenter } from "../types.js";
import { PUNCTUATION, STOP_WORDS } from "./stopwords.js";

export type Tokenize = (text: string) => string[];

/** Marks a figure's place in the text handed to the segmenter (folded text has no tabs). */
const BOUNDARY = "\t";

export interface TokenizerOptions {
  segmenter: Segmenter;
  stopWords?: ReadonlySet<string>;
}

/** Bump when tokenization changes in a way that invalidates saved indexes. */
export const TOKENIZER_VERSION = "tok-11";

/** A word of Han characters only (the unified ideographs and their extension A). */
const HAN_WORD = /^[\u3400-\u4dbf\u4e00-\u9fff]+$/;

/**
 * Text → search tokens, identically at index and query time:
 * fold (Simplified, NFKC, lower case) → blank out anonymised placeholders → keep every numeric
 * expression as one token (`3.86万个`, plus its core `3.86万`; `[2020]2号`; `72.9%`) →
 * segment the rest in search mode → drop stop words and punctuation. A word of three or more Han
 * characters that is not in the segmenter's dictionary — a name the HMM guessed, whose edges depend
 * on its neighbours (罗星幼儿园金龙部市 at ingest, 朱泾罗星 … 金龙部 in a question) — also yields its
 * character pairs, so the parts the two spellings share still match (罗星, 金龙).
 * The returned function also has `.folded`, the same steps after the fold, for already-folded text.
 */
export function createTokenizer({ segmenter, stopWords = STOP_WORDS }: TokenizerOptions): Tokenize & { folded: Tokenize } {
  const isWord = segmenter.isWord?.bind(segmenter);
  const keep = (word: string, tokens: string[]) => {
    const token = word.trim();
    if (token && !PUNCTUATION.test(token) && !stopWords.has(token)) tokens.push(token);
  };
  const tokenizeFolded = (input: string) => {
    let folded = input.includes(BOUNDARY) ? input.replaceAll(BOUNDARY, " ") : input;
    for (const r of findRedactions(folded)) folded = folded.slice(0, r.start) + " ".repeat(r.end - r.start) + folded.slice(r.end);
    // The text between figures is segmented in one call, the spans joined by a tab: a tab is one
    // of jieba's separators, so each span is cut exactly as on its own, and the tab comes back as
    // a token that marks where the figure's tokens go.
    const figures = extractFigures(folded);
    let joined = "";
    let cursor = 0;
    for (const figure of figures) {
      joined += folded.slice(cursor, figure.start) + BOUNDARY;
      cursor = figure.end;
    }
    joined += folded.slice(cursor);
    const tokens: string[] = [];
    let next = 0;
    for (const word of joined.trim() || figures.length ? segmenter.cutForSearch(joined) : []) {
      if (word !== BOUNDARY) {
        if (word.length >= 3 && isWord && HAN_WORD.test(word) && !isWord(word)) {
          const runes = [...word];
          for (let i = 0; i + 1 < runes.length; i++) keep(runes[i]! + runes[i + 1]!, tokens);
        }
        keep(word, tokens);
        continue;
      }
      const figure = figures[next++]!;
      // A figure written with a space before its unit (590 号, 2019 年 4 月) is the same token as without.
      tokens.push(withoutHanSpaces(figure.text));
      if (figure.core !== figure.text) tokens.push(figure.core);
      // A year inside a document number or date also matches a question naming the year.
      const year = /(?:19|20)\d{2}/.exec(figure.text);
      if (year && figure.kind !== "count" && figure.kind !== "amount" && figure.kind !== "percent" && year[0] !== figure.text && year[0] !== figure.core) {
        tokens.push(year[0]);
      }
    }
    return tokens;
  };
  // `.folded` skips the OpenCC fold for text that is already folded (a passage's `folded` field):
  // ingest would otherwise fold every passage three times.
  return Object.assign((text: string) => tokenizeFolded(foldForMatching(text)), { folded: tokenizeFolded });
}

/** The tokenizer's fold-free variant when it has one (createTokenizer's), else fold-agnostic `tokenize`. */
export function foldedTokenizer(tokenize: Tokenize): Tokenize {
  return (tokenize as Tokenize & { folded?: Tokenize }).folded ?? tokenize;
}
