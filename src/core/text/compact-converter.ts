import * as OpenCC from "opencc-js";

/**
 * opencc-js's config converters (`OpenCC.Converter({ from, to })` for a locale pair that has a
 * config: normalization, segmentation, then the conversion chain) with the same output and a
 * fraction of the memory. opencc-js builds each dictionary group into a trie of one `Map` per node:
 * the cn → tw converter (the 400,000-character STPhrases dictionary twice, for segmentation and for
 * conversion) holds ≈ 40 MB of heap and takes ≈ 0.5 s to build, in every thread that answers a
 * Traditional question. Here a group is one `Map` from key to value and, per first UTF-16 unit, the
 * longest key: the longest key that matches at a position is found by trying the lengths from the
 * longest down, which is what the trie walk finds (every prefix of a key is a trie node, so the
 * walk stops only where no longer key can match).
 */

/** With the u flag a surrogate pair is one code point: this matches only a lone surrogate. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * One dictionary group: the value of every key, the longest key (UTF-16 units) per first unit, and a
 * bitmap of the hashed prefixes (two units and longer) of its keys, 128 KB: the lengths tried at a
 * position stop below the first prefix of the text that no key has (a trie walk's depth, give or take
 * a hash collision). Without it each position of Han text tried every length up to the longest
 * phrase of its first character, ≈ 8× opencc-js's time.
 */
interface KeyTable {
  values: Map<string, string>;
  longest: Map<number, number>;
  prefixes: Uint8Array;
  /**
   * Keys of `values` that are not this table's: a segmentation group whose dictionaries all belong
   * to a conversion group reads that group's map (s2tw: STPhrases, 49,000 keys, held once, not twice).
   */
  absent?: Set<string>;
}

const PREFIX_BITS = 20;
const HASH_SEED = 0x811c9dc5;
/** FNV-1a over UTF-16 units, one unit at a time. */
const hashStep = (h: number, unit: number) => Math.imul(h ^ unit, 0x01000193);
const prefixBit = (h: number) => h >>> (32 - PREFIX_BITS);
const hasPrefix = (prefixes: Uint8Array, h: number) => {
  const bit = prefixBit(h);
  return (prefixes[bit >>> 3]! & (1 << (bit & 7))) !== 0;
};

/** Reads one dictionary as opencc-js's Trie.loadDict does, into `values` (a later entry overwrites). */
function loadDictionary(dict: unknown, values: Map<string, string>): boolean {
  if (typeof dict === "string") {
    for (const line of dict.split("|")) {
      const [key, value] = line.split(" ");
      if (typeof key !== "string" || typeof value !== "string") return false;
      values.set(key, value);
    }
    return true;
  }
  if (!Array.isArray(dict)) return false;
  for (const pair of dict as unknown[]) {
    if (!Array.isArray(pair) || typeof pair[0] !== "string" || typeof pair[1] !== "string") return false;
    values.set(pair[0], pair[1]);
  }
  return true;
}

/**
 * A group as Trie.loadDictGroup loads it (the dictionaries in reverse order, so the first one's
 * value wins), or null for a shape opencc-js would read otherwise or a key that is not well-formed
 * UTF-16 (the trie walks code points; a lone surrogate in a key could match differently by units).
 */
function keyTable(group: unknown): KeyTable | null {
  if (!Array.isArray(group)) return null;
  const values = new Map<string, string>();
  for (const dict of [...(group as unknown[])].reverse()) if (!loadDictionary(dict, values)) return null;
  const index = keyIndex(values.keys());
  return index && { values, ...index };
}

/**
 * The table of `group` read through `base`'s map, when every dictionary of `group` is one of the
 * group `base` was built from (the same objects): the keys `base` has and `group` lacks are
 * `absent`. Values come from `base`, so the view serves segmentation (which reads only the keys).
 */
function keyView(base: KeyTable, baseGroup: unknown, group: unknown): KeyTable | null {
  if (!Array.isArray(group) || !Array.isArray(baseGroup) || !group.every((dict) => (baseGroup as unknown[]).includes(dict))) return null;
  const own = new Map<string, string>();
  for (const dict of group as unknown[]) if (!loadDictionary(dict, own)) return null;
  const index = keyIndex(own.keys());
  if (!index) return null;
  const absent = new Set<string>();
  for (const key of base.values.keys()) if (!own.has(key)) absent.add(key);
  return { values: base.values, ...index, absent };
}

/** The longest key per first unit and the bitmap of key prefixes; null for a key with a lone surrogate. */
function keyIndex(keys: Iterable<string>): Pick<KeyTable, "longest" | "prefixes"> | null {
  const longest = new Map<number, number>();
  const prefixes = new Uint8Array((1 << PREFIX_BITS) >>> 3);
  for (const key of keys) {
    if (!key) continue; // the root's value: never matched (a match needs at least one character)
    if (LONE_SURROGATE.test(key)) return null;
    const first = key.charCodeAt(0);
    if (key.length > (longest.get(first) ?? 0)) longest.set(first, key.length);
    let h = hashStep(HASH_SEED, first);
    for (let j = 1; j < key.length; j++) {
      h = hashStep(h, key.charCodeAt(j));
      const bit = prefixBit(h);
      prefixes[bit >>> 3] = prefixes[bit >>> 3]! | (1 << (bit & 7));
    }
  }
  return { longest, prefixes };
}

/** End (UTF-16 index) and value of the longest key that starts at `i`, as Trie.matchPrefix finds it. */
function matchAt(table: KeyTable, s: string, i: number): { end: number; value: string } | undefined {
  const first = s.charCodeAt(i);
  const longest = table.longest.get(first);
  if (longest === undefined) return undefined;
  // A key of length L that matches here has all its prefixes marked: the walk reaches at least L.
  let bound = 1;
  let h = hashStep(HASH_SEED, first);
  for (let length = 2; length <= Math.min(longest, s.length - i); length++) {
    h = hashStep(h, s.charCodeAt(i + length - 1));
    if (!hasPrefix(table.prefixes, h)) break;
    bound = length;
  }
  for (let length = bound; length > 0; length--) {
    const key = s.slice(i, i + length);
    const value = table.values.get(key);
    if (value !== undefined && !table.absent?.has(key)) return { end: i + length, value };
  }
  return undefined;
}

const codePointLength = (s: string, i: number) => (s.codePointAt(i)! > 0xffff ? 2 : 1);

function ideographicDescriptionArity(cp: number): number {
  if (cp >= 0x2ff0 && cp <= 0x2ff1) return 2;
  if (cp >= 0x2ff2 && cp <= 0x2ff3) return 3;
  if (cp >= 0x2ff4 && cp <= 0x2fff) return 2;
  return 0;
}

/** End of an ideographic description sequence (⿰…) at `i`, or 0: opencc-js steps over one as a whole. */
function ideographicDescriptionEnd(s: string, i: number): number {
  const arity = ideographicDescriptionArity(s.codePointAt(i)!);
  if (arity === 0) return 0;
  let end = i + codePointLength(s, i);
  for (let n = 0; n < arity; n++) {
    if (end >= s.length) return 0;
    const childEnd = ideographicDescriptionEnd(s, end);
    end = childEnd || end + codePointLength(s, end);
  }
  return end;
}

function unmatchedLength(s: string, i: number): number {
  const end = ideographicDescriptionEnd(s, i);
  return end > i ? end - i : codePointLength(s, i);
}

/**
 * The text cut at each longest match: the runs between matches kept as they are, each match given
 * by `piece` (its value for Trie.convert, its own text for Trie.segment).
 */
function splitAtMatches(table: KeyTable, s: string, piece: (start: number, matched: { end: number; value: string }) => string): string[] {
  const out: string[] = [];
  let kept = -1;
  for (let i = 0; i < s.length; ) {
    const matched = matchAt(table, s, i);
    if (matched) {
      if (kept >= 0) {
        out.push(s.slice(kept, i));
        kept = -1;
      }
      out.push(piece(i, matched));
      i = matched.end;
    } else {
      if (kept < 0) kept = i;
      i += unmatchedLength(s, i);
    }
  }
  if (kept >= 0) out.push(s.slice(kept));
  return out;
}

/** Trie.convert: each longest match replaced by its value, the rest kept. */
function convertWith(table: KeyTable, s: string): string {
  return splitAtMatches(table, s, (_start, matched) => matched.value).join("");
}

/** Trie.segment: the text split at the longest matches. */
function segmentWith(table: KeyTable, s: string): string[] {
  return splitAtMatches(table, s, (start, matched) => s.slice(start, matched.end));
}

const isSerialized = (d: unknown) => typeof d === "string" && (d === "" || d.includes(" "));
const isPairs = (d: unknown) => Array.isArray(d) && d.every((p) => Array.isArray(p) && typeof p[0] === "string" && typeof p[1] === "string");
/** A group of dictionaries, as opencc-js's isDictGroup tells one (its normalization chain is read group by group only then). */
const isGroup = (g: unknown) => Array.isArray(g) && g.every((d) => isSerialized(d) || isPairs(d));

/**
 * The converter of a locale config (`tw2s`, `s2tw` …: the name opencc-js's Converter derives from
 * `from` and `to`), or null when the config is missing or shaped otherwise than this reading
 * assumes — then the caller uses opencc-js itself.
 */
export function compactConverter(configName: string): ((text: string) => string) | null {
  const config = (OpenCC.Locale.configs as Record<string, unknown> | undefined)?.[configName] as
    | { normalizationChain?: unknown; segmentation?: unknown; conversionChain?: unknown }
    | undefined;
  if (!config || typeof config !== "object") return null;
  const known = new Set(["normalizationChain", "segmentation", "conversionChain"]);
  if (Object.keys(config).some((field) => !known.has(field))) return null;
  const { normalizationChain, segmentation, conversionChain } = config;
  if (!Array.isArray(conversionChain) || (normalizationChain !== undefined && !Array.isArray(normalizationChain))) return null;
  // Each normalization group must be a plain group: opencc-js flattens other shapes its own way.
  if (normalizationChain && !(normalizationChain as unknown[]).every(isGroup)) return null;
  const normalize = ((normalizationChain as unknown[] | undefined) ?? []).map(keyTable);
  const conversion = (conversionChain as unknown[]).map(keyTable);
  let segmenter: KeyTable | null | undefined;
  if (segmentation) {
    // As ConverterFactoryWithSegmentation reads it: a group when an array of strings, else one dictionary.
    const group = Array.isArray(segmentation) && segmentation.every((d) => typeof d === "string") ? segmentation : [segmentation];
    const shared = (conversionChain as unknown[]).findIndex((g, i) => conversion[i] && Array.isArray(g) && group.every((dict) => (g as unknown[]).includes(dict)));
    segmenter = shared >= 0 ? keyView(conversion[shared]!, (conversionChain as unknown[])[shared], group) : keyTable(group);
    if (!segmenter) return null;
  }
  if (normalize.some((t) => !t) || conversion.some((t) => !t)) return null;
  const normalizeTables = normalize as KeyTable[];
  const conversionTables = conversion as KeyTable[];
  return (text: string) => {
    let s = text;
    for (const table of normalizeTables) s = convertWith(table, s);
    let segments = segmenter ? segmentWith(segmenter, s) : [s];
    for (const table of conversionTables) segments = segments.map((segment) => convertWith(table, segment));
    return segments.join("");
  };
}
