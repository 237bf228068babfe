import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { JiebaLexicon, type HmmModel, type LexiconEntry } from "../core/search/jieba-lexicon.js";

const require = createRequire(import.meta.url);

function cppjiebaFile(name: string): string {
  return require.resolve("nodejieba/package.json").replace(/package\.json$/, `submodules/cppjieba/dict/${name}`);
}

/** Parses cppjieba's hmm_model.utf8 (comment lines start with #). */
export function parseHmmModel(text: string): HmmModel {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const numbers = (line: string) => line.split(" ").map(Number);
  const emit = (line: string) => {
    const map: Record<string, number> = {};
    for (const pair of line.split(",")) {
      const colon = pair.lastIndexOf(":");
      map[pair.slice(0, colon)] = Number(pair.slice(colon + 1));
    }
    return map;
  };
  return { start: numbers(lines[0]!), trans: lines.slice(1, 5).map(numbers), emit: lines.slice(5, 9).map(emit) };
}

/**
 * cppjieba's dictionary, IDF table and HMM (the files nodejieba ships), packed for the pure-JS
 * segmenter: what the Worker build writes to its static assets.
 */
export function packCppjiebaLexicon(): Uint8Array {
  const entries = new Map<string, LexiconEntry>();
  for (const line of readFileSync(cppjiebaFile("jieba.dict.utf8"), "utf8").split("\n")) {
    const [word, freq] = line.split(" ");
    if (word && freq) entries.set(word, { word, freq: Number(freq) });
  }
  for (const line of readFileSync(cppjiebaFile("idf.utf8"), "utf8").split("\n")) {
    const space = line.lastIndexOf(" ");
    if (space <= 0) continue;
    const word = line.slice(0, space);
    const idf = Number(line.slice(space + 1));
    const entry = entries.get(word);
    if (entry) entry.idf = idf;
    else entries.set(word, { word, freq: 0, idf });
  }
  const hmm = parseHmmModel(readFileSync(cppjiebaFile("hmm_model.utf8"), "utf8"));
  return JiebaLexicon.encode([...entries.values()], hmm);
}

let cached: JiebaLexicon | undefined;

/** The packed lexicon, decoded (cached per process). */
export function loadCppjiebaLexicon(): JiebaLexicon {
  cached ??= JiebaLexicon.decode(packCppjiebaLexicon());
  return cached;
}
