/**
 * Shortened names (高博会 for 中国高等教育博览会, 优课 cut apart by the segmenter): Chinese shortens a
 * name by keeping the first character of each of its words (and often the last of the last word).
 * A question word the corpus's vocabulary lacks is looked for, with the characters beside it (spans
 * that are no dictionary word), as the corpus writes it: its characters in order, each word of the
 * written-out phrase starting with one of them. Found in the corpus's own text, not in a list: the
 * knowledge is the documents' statistics.
 */
import type { Tokenize } from "../search/tokenizer.js";

/** A question word as the corpus writes it out. */
export interface SpelledOut {
  /** The span of the question (高博会). */
  span: string;
  /** The corpus's phrase (高等教育博览会). */
  phrase: string;
  /** The phrase's words as the index segments it. */
  words: string[];
  /** Passages that hold the phrase. */
  passages: number;
  /** ln(passages / N) + general IDF, as Knowledge.salience is computed for corpus terms. */
  salience: number;
}

/** Characters a word of the written-out phrase may hold between two of the span's. */
const MAX_GAP = 4;

/** The span's characters in order, at most MAX_GAP Han characters between two of them (no punctuation). */
export function spelledOutPattern(span: string): RegExp {
  return new RegExp([...span].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(`[\\u3400-\\u9fff]{0,${MAX_GAP}}?`), "g");
}

/**
 * Whether the phrase shortens to the span: each of the phrase's words contributes one or more of the
 * span's characters, in order, its first one being the word's first character (高等教育 → 高, 博览会 →
 * 博…会). A phrase whose word holds a span character only inside (办好思政课 for 好课) is another phrase.
 */
export function shortensTo(words: readonly string[], span: string): boolean {
  let at = 0;
  for (const word of words) {
    if (at >= span.length || word[0] !== span[at]) return false;
    at++;
    for (let i = 1; i < word.length && at < span.length; i++) if (word[i] === span[at]) at++;
  }
  return at === span.length;
}

export interface SpellOutInput {
  /** The passages' folded texts. */
  texts: Iterable<string>;
  tokenize: Tokenize;
  /** Passages in the index (for the salience). */
  passages: number;
  generalIdf?: (word: string) => number | undefined;
  defaultIdf: number;
}

/** A question word and the spans around it to look for, longest first (each holds the word). */
export interface SpelledOutAsk {
  word: string;
  spans: readonly string[];
  /**
   * The word is the corpus's, as no dictionary has it (产证 of one district's notice): looked for
   * written out only where the candidates do not write it (another district's 产权证).
   */
  known?: true;
}

/**
 * For each question word (in the asks' order), the first of its spans that shortens a phrase of the
 * corpus: the most frequent such phrase (the shortest among equals), or undefined. One pass over the passages' text for all the
 * words at once (every span's phrase holds its word's characters in order); only passages that hold
 * one are read for its spans. Called only for a question that would otherwise be refused as outside
 * the documents' domain: the pass reads every passage (≈ 35–45 ms at 100k passages).
 */
export function spellOut(asks: readonly SpelledOutAsk[], input: SpellOutInput): Array<SpelledOut | undefined> {
  if (!asks.length) return [];
  const cores = asks.map((a) => new RegExp(spelledOutPattern(a.word).source));
  const any = new RegExp(cores.map((c) => `(?:${c.source})`).join("|"));
  const patterns = asks.map((a) => a.spans.map(spelledOutPattern));
  // Per word, per span, per phrase: the passages holding it, and the text around its first occurrence.
  const found = asks.map((a) => a.spans.map(() => new Map<string, { passages: number; context: string; at: number }>()));
  const seen = new Set<string>();
  for (const text of input.texts) {
    // Most passages hold none of the words: one regex test each, nothing allocated for them.
    if (!any.test(text)) continue;
    asks.forEach((_, w) => {
      if (!cores[w]!.test(text)) return;
      patterns[w]!.forEach((pattern, i) => {
        const phrases = found[w]![i]!;
        seen.clear();
        for (const m of text.matchAll(pattern)) {
          const phrase = m[0];
          seen.add(phrase);
          if (!phrases.has(phrase)) {
            const from = Math.max(0, m.index - CONTEXT);
            phrases.set(phrase, { passages: 0, context: text.slice(from, m.index + phrase.length + CONTEXT), at: m.index - from });
          }
        }
        for (const phrase of seen) phrases.get(phrase)!.passages++;
      });
    });
  }
  return asks.map((ask, w) => {
    for (const [i, span] of ask.spans.entries()) {
      const candidates = [...found[w]![i]!].sort((a, b) => b[1].passages - a[1].passages || a[0].length - b[0].length);
      for (const [phrase, { passages, context, at }] of candidates) {
        const words = wordsAt(input.tokenize(context), context, at, at + phrase.length);
        if (!words || !shortensTo(words, span)) continue;
        const salience = Math.log(passages / Math.max(1, input.passages)) + (input.generalIdf?.(phrase) ?? input.defaultIdf);
        return { span, phrase, words, passages, salience };
      }
    }
    return undefined;
  });
}

/** Characters read on either side of a phrase, for the words it stands among. */
const CONTEXT = 8;

/**
 * The words of the text from `start` to `end` as the index segments the text around them (longest
 * token first at each point: a search-mode segmenter adds parts, 高等 of 高等教育); undefined when a
 * word runs across either end (国中 of 全国中小学, 放学 of 放学后 are no phrase of their own there).
 */
function wordsAt(tokens: readonly string[], text: string, start: number, end: number): string[] | undefined {
  const words: string[] = [];
  let at = 0;
  while (at < end) {
    const next = tokens.filter((t) => t.length > 0 && text.startsWith(t, at)).sort((a, b) => b.length - a.length)[0] ?? text[at]!;
    if (at < start && at + next.length > start) return undefined;
    if (at >= start) {
      if (at + next.length > end) return undefined;
      words.push(next);
    }
    at += next.length;
  }
  return words.length ? words : undefined;
}
