import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import nodejieba from "nodejieba";
import { DOMAIN_DICTIONARY_VERSION, DOMAIN_WORDS } from "../core/search/domain-dictionary.js";
import type { Segmenter } from "../core/types.js";
import type { MojibakeModel } from "../core/text/clean/mojibake.js";

let loaded = false;

function ensureLoaded(): void {
  if (loaded) return;
  nodejieba.load();
  // insertWord adds to the in-memory trie: no user-dictionary file to ship or locate.
  for (const word of DOMAIN_WORDS) nodejieba.insertWord(word);
  loaded = true;
}

/** nodejieba (cppjieba) with the domain dictionary. */
export function createJiebaSegmenter(): Segmenter & { cut(text: string): string[] } {
  ensureLoaded();
  return {
    id: `nodejieba-search+${DOMAIN_DICTIONARY_VERSION}`,
    cutForSearch: (text: string) => nodejieba.cutForSearch(text, true),
    cut: (text: string) => nodejieba.cut(text, true),
  };
}

const require = createRequire(import.meta.url);

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

/** Character frequency ranks from the jieba dictionary, for the mojibake detector. */
export function createMojibakeModel(): MojibakeModel {
  const segmenter = createJiebaSegmenter();
  if (!charRanks) {
    const freq = new Map<string, number>();
    for (const line of readFileSync(jiebaDictPath("jieba.dict.utf8"), "utf8").split("\n")) {
      const [word, count] = line.split(" ");
      if (!word || !count) continue;
      const n = Number(count);
      for (const ch of word) freq.set(ch, (freq.get(ch) ?? 0) + n);
    }
    charRanks = new Map([...freq.entries()].sort((a, b) => b[1] - a[1]).map(([ch], rank) => [ch, rank]));
  }
  const ranks = charRanks;
  return { cut: segmenter.cut, charRank: (ch) => ranks.get(ch) ?? Number.POSITIVE_INFINITY };
}
