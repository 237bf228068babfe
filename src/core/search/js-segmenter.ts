import type { Segmenter } from "../types.js";
import { DOMAIN_DICTIONARY_VERSION, DOMAIN_WORDS, fnv1a } from "./domain-dictionary.js";
import type { JiebaLexicon } from "./jieba-lexicon.js";

/** cppjieba's MIN_DOUBLE: the log probability of the impossible. */
const MIN_DOUBLE = -3.14e100;
/** cppjieba's default separators: split before segmenting, emitted as their own tokens. */
const SEPARATORS = new Set([" ", "\t", "\n", "，", "。"]);
// HMM states in cppjieba's order: B(egin) 0, E(nd) 1, M(iddle) 2, S(ingle) 3.
const E = 1;
const S = 3;

/** The user words nodejieba loads by default (cppjieba's dict/user.dict.utf8, one-column entries). */
const CPPJIEBA_USER_WORDS = ["云计算", "韩玉鉴赏", "蓝翔"];

export interface JsSegmenterOptions {
  lexicon: JiebaLexicon;
  /** Extra words at the median weight, like nodejieba.insertWord. Defaults to the domain dictionary. */
  userWords?: readonly string[];
}

export type JsSegmenter = Segmenter & { cut(text: string): string[] };

/**
 * A pure-JS port of cppjieba's search-mode segmentation (MixSegment + QuerySegment), so a Worker
 * tokenizes exactly like the Node build that made its index: maximum-probability route over the
 * dictionary DAG, the HMM (Viterbi over B/E/M/S) for runs of single characters, ASCII letter and
 * number runs kept whole, and in search mode the dictionary 2- and 3-grams of longer words.
 * Same dictionary, same weights, same tie-breaking: on the corpus its output equals nodejieba's.
 */
export function createJsSegmenter({ lexicon, userWords = DOMAIN_WORDS }: JsSegmenterOptions): JsSegmenter {
  const user = new Map<string, number>();
  // nodejieba loads user.dict.utf8 (one entry with a frequency) and then insertWord()s ours.
  for (const word of CPPJIEBA_USER_WORDS) user.set(word, lexicon.medianWeight);
  user.set("区块链", Math.log(10 / lexicon.freqSum));
  for (const word of userWords) user.set(word, lexicon.medianWeight);
  let userLongest = 0;
  for (const word of user.keys()) userLongest = Math.max(userLongest, word.length);

  /** Log weight of a dictionary word, or undefined when the string is not one. */
  const weightOf = (word: string): number | undefined => {
    const u = user.get(word);
    if (u !== undefined) return u;
    const freq = lexicon.freq(word);
    return freq > 0 ? Math.log(freq / lexicon.freqSum) : undefined;
  };

  /** Maximum-probability route over the DAG of dictionary words (cppjieba MPSegment). */
  const mpCut = (runes: string[]): string[] => {
    const n = runes.length;
    const weight = new Float64Array(n + 1);
    const next = new Int32Array(n);
    for (let i = n - 1; i >= 0; i--) {
      const first = runes[i]!;
      const single = weightOf(first);
      let best = (i + 1 < n ? weight[i + 1]! : 0) + (single ?? lexicon.minWeight);
      let bestEnd = i;
      const longest = Math.max(lexicon.longestFrom(first.charCodeAt(0)), userLongest);
      let word = first;
      for (let j = i + 1; j < n && word.length < longest; j++) {
        word += runes[j]!;
        const w = weightOf(word);
        if (w === undefined) continue;
        const val = (j + 1 < n ? weight[j + 1]! : 0) + w;
        if (val > best) {
          best = val;
          bestEnd = j;
        }
      }
      weight[i] = best;
      next[i] = bestEnd;
    }
    const words: string[] = [];
    for (let i = 0; i < n; ) {
      const end = next[i]!;
      words.push(runes.slice(i, end + 1).join(""));
      i = end + 1;
    }
    return words;
  };

  const hmm = lexicon.hmm;
  const emit = (state: number, rune: string) => {
    const column = hmm.charIndex.get(rune);
    const p = column === undefined ? Number.NaN : hmm.emit[state * hmm.chars + column]!;
    return Number.isNaN(p) ? MIN_DOUBLE : p;
  };

  /** Viterbi over B/E/M/S for a run of non-ASCII characters (cppjieba HMMSegment::InternalCut). */
  const viterbiCut = (runes: string[], out: string[]) => {
    const x = runes.length;
    if (!x) return;
    const weight = new Float64Array(x * 4);
    const path = new Int8Array(x * 4);
    for (let y = 0; y < 4; y++) {
      weight[y * x] = hmm.start[y]! + emit(y, runes[0]!);
      path[y * x] = -1;
    }
    for (let i = 1; i < x; i++) {
      for (let y = 0; y < 4; y++) {
        const now = i + y * x;
        weight[now] = MIN_DOUBLE;
        path[now] = E;
        const e = emit(y, runes[i]!);
        for (let preY = 0; preY < 4; preY++) {
          const tmp = weight[i - 1 + preY * x]! + hmm.trans[preY]![y]! + e;
          if (tmp > weight[now]!) {
            weight[now] = tmp;
            path[now] = preY;
          }
        }
      }
    }
    let stat = weight[x - 1 + E * x]! >= weight[x - 1 + S * x]! ? E : S;
    const status = new Array<number>(x);
    for (let i = x - 1; i >= 0; i--) {
      status[i] = stat;
      stat = path[i + stat * x]!;
    }
    let left = 0;
    for (let i = 0; i < x; i++) {
      if (status[i]! === E || status[i]! === S) {
        out.push(runes.slice(left, i + 1).join(""));
        left = i + 1;
      }
    }
  };

  /** cppjieba HMMSegment::Cut: ASCII letter runs, number runs and other ASCII split off, Viterbi for the rest. */
  const hmmCut = (runes: string[], out: string[]) => {
    let left = 0;
    let right = 0;
    while (right < runes.length) {
      const code = runes[right]!.codePointAt(0)!;
      if (code < 0x80) {
        if (left !== right) viterbiCut(runes.slice(left, right), out);
        left = right;
        right = asciiRunEnd(runes, left);
        out.push(runes.slice(left, right).join(""));
        left = right;
      } else right++;
    }
    if (left !== right) viterbiCut(runes.slice(left, right), out);
  };

  /** cppjieba MixSegment: dictionary words as they are, runs of single characters through the HMM. */
  const mixCut = (runes: string[]): string[] => {
    const words = mpCut(runes);
    const out: string[] = [];
    for (let i = 0; i < words.length; i++) {
      if ([...words[i]!].length > 1) {
        out.push(words[i]!);
        continue;
      }
      let j = i;
      while (j < words.length && [...words[j]!].length === 1) j++;
      hmmCut(words.slice(i, j), out);
      i = j - 1;
    }
    return out;
  };

  /** Splits at the separators; each separator is a range of its own. */
  const ranges = (text: string): string[][] => {
    const out: string[][] = [];
    let current: string[] = [];
    for (const rune of text) {
      if (SEPARATORS.has(rune)) {
        if (current.length) out.push(current);
        out.push([rune]);
        current = [];
      } else current.push(rune);
    }
    if (current.length) out.push(current);
    return out;
  };

  const cut = (text: string): string[] => ranges(text).flatMap(mixCut);

  const cutForSearch = (text: string): string[] => {
    const out: string[] = [];
    for (const range of ranges(text)) {
      for (const word of mixCut(range)) {
        const runes = [...word];
        if (runes.length > 2) {
          for (let i = 0; i + 1 < runes.length; i++) {
            const gram = runes[i]! + runes[i + 1]!;
            if (weightOf(gram) !== undefined) out.push(gram);
          }
        }
        if (runes.length > 3) {
          for (let i = 0; i + 2 < runes.length; i++) {
            const gram = runes[i]! + runes[i + 1]! + runes[i + 2]!;
            if (weightOf(gram) !== undefined) out.push(gram);
          }
        }
        out.push(word);
      }
    }
    return out;
  };

  const userVersion = userWords === DOMAIN_WORDS ? DOMAIN_DICTIONARY_VERSION : `user-${fnv1a(userWords.join("\n")).toString(16)}`;
  return { id: `jsjieba-search-${lexicon.version}+${userVersion}`, cut, cutForSearch, isWord: (word) => weightOf(word) !== undefined };
}

const isLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** End of the ASCII token starting at `start`: a letter run (letters/digits), a number (digits/.), or one character. */
function asciiRunEnd(runes: string[], start: number): number {
  const first = runes[start]!.codePointAt(0)!;
  let i = start + 1;
  if (isLetter(first)) {
    while (i < runes.length && (isLetter(runes[i]!.codePointAt(0)!) || isDigit(runes[i]!.codePointAt(0)!))) i++;
  } else if (isDigit(first)) {
    while (i < runes.length && (isDigit(runes[i]!.codePointAt(0)!) || runes[i] === ".")) i++;
  }
  return i;
}
