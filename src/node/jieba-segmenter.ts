import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type NodeJieba from "nodejieba";
import { DOMAIN_DICTIONARY_VERSION, DOMAIN_WORDS } from "../core/search/domain-dictionary.js";
import { createJsSegmenter } from "../core/search/js-segmenter.js";
import type { Segmenter } from "../core/types.js";
import type { MojibakeModel } from "../core/text/clean/mojibake.js";
import { loadCppjiebaLexicon } from "./jieba-lexicon.js";

const require = createRequire(import.meta.url);

/** nodejieba, loaded on first use: its native dictionaries hold ≈ 240 MB that a query path never needs. */
let nodejieba: typeof NodeJieba | undefined;

function ensureLoaded(): typeof NodeJieba {
  if (nodejieba) return nodejieba;
  nodejieba = require("nodejieba") as typeof NodeJieba;
  nodejieba.load();
  // insertWord adds to the in-memory trie: no user-dictionary file to ship or locate.
  for (const word of DOMAIN_WORDS) nodejieba.insertWord(word);
  return nodejieba;
}

/**
 * The id an index records for its segmentation: cppjieba's search mode over the dictionary nodejieba
 * ships, plus the domain dictionary. Both segmenters below produce exactly these tokens.
 */
export const JIEBA_SEGMENTER_ID = `nodejieba-search+${DOMAIN_DICTIONARY_VERSION}`;

/** nodejieba (cppjieba) with the domain dictionary: the ingest segmenter. */
export function createJiebaSegmenter(): Segmenter & { cut(text: string): string[] } {
  const jieba = ensureLoaded();
  const js = lazyJsSegmenter();
  return {
    id: JIEBA_SEGMENTER_ID,
    cutForSearch: (text: string) => jieba.cutForSearch(text, true),
    cut: (text: string) => jieba.cut(text, true),
    // The same dictionary and user words as nodejieba's, read from the packed lexicon.
    isWord: (word) => js().isWord!(word),
  };
}

/** The pure-JS segmenter over the packed lexicon and the domain words, built on first use. */
function lazyJsSegmenter(): () => Segmenter {
  let segmenter: Segmenter | undefined;
  return () => (segmenter ??= createJsSegmenter({ lexicon: loadCppjiebaLexicon(), userWords: DOMAIN_WORDS }));
}

/**
 * The query segmenter on Node: the pure-JS port of cppjieba (the Worker's) over a lexicon packed
 * from the very files nodejieba loads, with the same domain words. It yields nodejieba's tokens —
 * test/unit/tokenizer-equivalence.test.ts holds both to one golden token list over every corpus
 * line, passage, document, eval question and edge input — so it carries nodejieba's id and an index
 * built by ingest (nodejieba) passes the recipe check, while a change of the domain words (the id's
 * DOMAIN_DICTIONARY_VERSION) still fails it. It costs ≈ 30 ms and ≈ 10 MB to load instead of ≈ 2 s
 * and ≈ 240 MB (npm run bench:segmenter).
 */
export function createQuerySegmenter(): Segmenter {
  // Built on the first cut: a server's start-up (recipe check, answer threads) does not wait for
  // the lexicon's decoding, and its main thread decodes it only for its first search.
  const built = lazyJsSegmenter();
  return {
    id: JIEBA_SEGMENTER_ID,
    cutForSearch: (text) => built().cutForSearch(text),
    isWord: (word) => built().isWord!(word),
  };
}

/** IDF of cppjieba's table, read from the packed lexicon (no 260,000-entry Map), decoded on first use. */
export function queryIdf(): (word: string) => number | undefined {
  return (word) => loadCppjiebaLexicon().idf(word);
}

function jiebaDictPath(name: string): string {
  const pkg = require.resolve("nodejieba/package.json");
  return pkg.replace(/package\.json$/, `submodules/cppjieba/dict/${name}`);
}

let idfTable: Map<string, number> | undefined;

/** The IDF table that ships with cppjieba (≈ 260k words), used to weight hashed features. */
export function loadJiebaIdf(): Map<string, number> {
  if (idfTable) return idfTable;
  const table = new Map<string, number>();
  for (const line of readFileSync(jiebaDictPath("idf.utf8"), "utf8").split("\n")) {
    const space = line.lastIndexOf(" ");
    if (space > 0) table.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  idfTable = table;
  return table;
}

let charRanks: Map<string, number> | undefined;

/**
 * Character frequency ranks from the jieba dictionary (350,000 "word count tag" lines), for the
 * mojibake detector. Counted per UTF-16 code unit in a typed array: the dictionary is BMP text.
 */
function loadCharRanks(): Map<string, number> {
  const text = readFileSync(jiebaDictPath("jieba.dict.utf8"), "utf8");
  const freq = new Float64Array(0x10000);
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const space = text.indexOf(" ", start);
    if (space > start && space < end) {
      const countEnd = text.indexOf(" ", space + 1);
      const n = Number(text.slice(space + 1, countEnd > space && countEnd < end ? countEnd : end));
      if (n > 0) for (let i = start; i < space; i++) freq[text.charCodeAt(i)]! += n;
    }
    start = end + 1;
  }
  const codes: number[] = [];
  for (let c = 0; c < freq.length; c++) if (freq[c]! > 0) codes.push(c);
  codes.sort((a, b) => freq[b]! - freq[a]! || a - b);
  return new Map(codes.map((c, rank) => [String.fromCharCode(c), rank]));
}

/**
 * Plain segmentation and character frequency ranks for the mojibake detector. The ranks (a pass
 * over the 5 MB dictionary) are counted on the first line that needs them: most corpora have no
 * line the detector's pre-check lets through.
 */
export function createMojibakeModel(): MojibakeModel {
  const segmenter = createJiebaSegmenter();
  return { cut: segmenter.cut, charRank: (ch) => (charRanks ??= loadCharRanks()).get(ch) ?? Number.POSITIVE_INFINITY };
}
