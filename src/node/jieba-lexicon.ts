import { createRequire } from "node:module";
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { JiebaLexicon, LEXICON_FORMAT, type HmmModel, type LexiconEntry } from "../core/search/jieba-lexicon.js";

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

/**
 * Where the packed lexicon of the installed nodejieba is kept between processes: packing parses
 * 600,000 dictionary lines (≈ 1.7 s), decoding the 9 MB blob takes ≈ 30 ms. Keyed by nodejieba's
 * version and the lexicon format, under node_modules/.cache like other build tools' caches.
 */
function lexiconCacheFile(): string {
  const pkg = require.resolve("nodejieba/package.json");
  const { version } = JSON.parse(readFileSync(pkg, "utf8")) as { version: string };
  const nodeModules = dirname(dirname(pkg));
  return join(nodeModules, ".cache", "edu-policy-assistant", `cppjieba-lexicon-${version}-${LEXICON_FORMAT}.bin`);
}

/** The packed lexicon, from the cache file when present, else packed and cached (best effort). */
export function cachedCppjiebaLexiconBlob(): Uint8Array {
  const file = lexiconCacheFile();
  try {
    return new Uint8Array(readFileSync(file));
  } catch {
    const blob = packCppjiebaLexicon();
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.tmp-${process.pid}`;
      writeFileSync(tmp, blob);
      renameSync(tmp, file);
    } catch {
      // A read-only install packs again next time; nothing else depends on the file.
    }
    return blob;
  }
}

let cached: JiebaLexicon | undefined;
let shared: SharedArrayBuffer | undefined;

/**
 * The packed lexicon's bytes in a SharedArrayBuffer, read once per process: the answer threads get
 * it with their workerData (useSharedLexicon) and decode views over the same 9 MB instead of each
 * reading a copy of its own.
 */
export function sharedLexiconBuffer(): SharedArrayBuffer {
  if (shared) return shared;
  shared = readIntoSharedBuffer(lexiconCacheFile()) ?? copyToSharedBuffer(cachedCppjiebaLexiconBlob());
  return shared;
}

/** A file's bytes read straight into a SharedArrayBuffer (no second 9 MB copy), or undefined when unreadable. */
function readIntoSharedBuffer(file: string): SharedArrayBuffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const buffer = new SharedArrayBuffer(fstatSync(fd).size);
    const bytes = new Uint8Array(buffer);
    for (let at = 0; at < bytes.length; ) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n <= 0) return undefined;
      at += n;
    }
    return buffer;
  } finally {
    closeSync(fd);
  }
}

function copyToSharedBuffer(blob: Uint8Array): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(blob.byteLength);
  new Uint8Array(buffer).set(blob);
  return buffer;
}

/** Makes this thread's lexicon the one in `buffer` (from the main thread's sharedLexiconBuffer). */
export function useSharedLexicon(buffer: SharedArrayBuffer): void {
  shared = buffer;
}

/** The packed lexicon, decoded once per thread (over the shared bytes). */
export function loadCppjiebaLexicon(): JiebaLexicon {
  if (cached) return cached;
  try {
    cached = JiebaLexicon.decode(new Uint8Array(sharedLexiconBuffer()));
  } catch {
    // A damaged cache file (a disk filled mid-write before the rename existed): pack afresh.
    cached = JiebaLexicon.decode(packCppjiebaLexicon());
  }
  return cached;
}
