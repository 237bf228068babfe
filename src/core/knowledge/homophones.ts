/**
 * Homophone typos: people type Chinese by pinyin, and the commonest typo is a character with the
 * same sound (家仿 for 家访, 进视 for 近视, 幼儿圆 for 幼儿园, 有尝 for 有偿). The segmenter knows no
 * such word and its HMM makes an unknown word of it; an unknown word that differs from a salient
 * corpus term in one character, by a character of the same toneless reading, is taken for that
 * term. (Only whole tokens: spans across tokens would read word boundaries as typos, 校|学校 as
 * 小学校.) Readings come from CC-CEDICT's pinyin (its single-character entries), stored at index
 * time as syllable → characters, so neither the server nor the Worker loads the dictionary.
 * Runtime-neutral.
 */
import type { CedictEntry } from "./lexicon.js";

/** Toneless syllable → every character (Simplified) that has that reading. */
export type HomophoneTable = Record<string, string>;

const isHan = (c: string) => /^[\u3400-\u9fff]$/.test(c);

/** "lü4" / "lu:4" / "Jia1" → "lv" / "lv" / "jia". */
function toneless(syllable: string): string {
  return syllable.toLowerCase().replace(/u:/g, "v").replace(/ü/g, "v").replace(/[1-5]$/, "");
}

/** Syllable → characters, from the dictionary's single-character entries. */
export function buildHomophoneTable(entries: readonly CedictEntry[]): HomophoneTable {
  const bySyllable = new Map<string, Set<string>>();
  for (const entry of entries) {
    const char = entry[1];
    if (char.length !== 1 || !isHan(char)) continue;
    const syllable = toneless(entry[2].trim());
    if (!/^[a-z]+$/.test(syllable)) continue;
    let set = bySyllable.get(syllable);
    if (!set) bySyllable.set(syllable, (set = new Set()));
    set.add(char);
  }
  const table: HomophoneTable = {};
  for (const syllable of [...bySyllable.keys()].sort()) table[syllable] = [...bySyllable.get(syllable)!].join("");
  return table;
}

/**
 * The keys a toneless syllable is heard by under pinyin input methods' fuzzy-pinyin options (模糊音:
 * Sogou, Microsoft and Google Pinyin offer the same pairs): itself; with its initial blurred (z/zh,
 * c/ch, s/sh, l/n, f/h); or with its final blurred (an/ang, en/eng, in/ing, ian/iang, uan/uang) — one
 * or the other, never both (林 lin is not 宁 ning), so 报民 is 报名 but 长林 stays a name of its own.
 * Two readings sound alike when they share a key.
 */
export function fuzzyKeys(syllable: string): string[] {
  const initial = syllable.replace(/^([zcs])h/, "$1").replace(/^n/, "l").replace(/^h(?=[^mn]|$)/, "f");
  const final = syllable.replace(/(?<=[aeiu])ng$/, "n");
  return [syllable, `i:${initial}`, `f:${final}`];
}

interface Lookup {
  /** Character → the keys its toneless readings are heard by (fuzzyKeys). */
  readings: Map<string, string[]>;
  /** A target term with one position replaced by "*" → the targets. */
  wildcards: Map<string, string[]>;
}

const lookups = new WeakMap<object, Lookup>();

function lookupFor(table: HomophoneTable, targets: Record<string, unknown>): Lookup {
  let lookup = lookups.get(targets);
  if (lookup) return lookup;
  const readings = new Map<string, string[]>();
  for (const [syllable, chars] of Object.entries(table)) {
    const keys = fuzzyKeys(syllable);
    for (const c of chars) {
      const list = readings.get(c);
      if (!list) readings.set(c, [...keys]);
      else for (const key of keys) if (!list.includes(key)) list.push(key);
    }
  }
  const wildcards = new Map<string, string[]>();
  for (const term of Object.keys(targets)) {
    if (term.length < 2 || term.length > 4 || ![...term].every(isHan)) continue;
    for (let i = 0; i < term.length; i++) {
      const key = `${term.slice(0, i)}*${term.slice(i + 1)}`;
      const list = wildcards.get(key);
      if (list) list.push(term);
      else wildcards.set(key, [term]);
    }
  }
  lookups.set(targets, (lookup = { readings, wildcards }));
  return lookup;
}

export interface HomophoneCorrection {
  /** The span as typed. */
  from: string;
  /** The corpus term it sounds like. */
  term: string;
}

/**
 * Corpus terms (`targets`: the salient terms of the knowledge file) that a question's word sounds
 * like: a token of 2–4 characters that is no such term (the segmenter's HMM guess at an unknown
 * word: 家仿, 进视, 幼儿圆, 报民) and differs from a target in exactly one character, by a character of the
 * same toneless reading as fuzzy pinyin hears it (fuzzyKeys).
 * A span that is a word of the general vocabulary (`isWord`: the segmenter's dictionary; 同一 is a
 * word, not a typo of 统一) is taken as written. `tokens` are the question's tokens (folded), in order.
 */
export function homophoneCorrections(tokens: readonly string[], table: HomophoneTable, targets: Record<string, unknown>, isWord: (word: string) => boolean = () => false): HomophoneCorrection[] {
  const han = (t: string | undefined): t is string => t !== undefined && [...t].every(isHan);
  const spans = new Set<string>();
  for (const token of tokens) if (han(token) && token.length >= 2 && token.length <= 4) spans.add(token);
  const out: HomophoneCorrection[] = [];
  if (!spans.size) return out;
  const { readings, wildcards } = lookupFor(table, targets);
  const seen = new Set<string>();
  for (const span of spans) {
    if (span in targets || isWord(span)) continue;
    for (let i = 0; i < span.length; i++) {
      const typed = readings.get(span[i]!);
      if (!typed) continue;
      for (const term of wildcards.get(`${span.slice(0, i)}*${span.slice(i + 1)}`) ?? []) {
        if (seen.has(term) || !(readings.get(term[i]!) ?? []).some((r) => typed.includes(r))) continue;
        seen.add(term);
        out.push({ from: span, term });
      }
    }
  }
  return out;
}

/**
 * The dictionary's classifiers (量词): the single characters one of whose senses is a classifier's
 * ("classifier for lessons, …" of 节, "classifier: couple; pair" of 对), Simplified, sorted. A count asked
 * with one of them (多少对, 几节课) asks a figure in it.
 */
export function buildClassifiers(entries: readonly CedictEntry[]): string {
  const found = new Set<string>();
  for (const entry of entries) {
    const char = entry[1];
    if (char.length !== 1 || !isHan(char)) continue;
    const senses = Array.isArray(entry[3]) ? entry[3] : [entry[3]];
    if (senses.some((sense) => typeof sense === "string" && /^\(?classifier\b/.test(sense))) found.add(char);
  }
  return [...found].sort().join("");
}
