/**
 * Everything the knowledge build takes from CC-CEDICT that does not depend on the corpus: the
 * lexicon's sense keys and gloss words (lexicon.ts), the homophone table (homophones.ts), the
 * readings of proper nouns and the words the English glosses use (places.ts's romanised names).
 * Reading the dictionary's 124k entries for these costs ≈ 2 s; the result is ≈ 10 MB of JSON
 * that loads in a tenth of that, so the Node side keeps it between ingests, keyed by the
 * dictionary's version and checked against this code by a fingerprint. Runtime-neutral.
 */
import { buildClassifiers, buildHomophoneTable, type HomophoneTable } from "./homophones.js";
import { prepareLexicon, type CedictEntry, type PreparedLexicon } from "./lexicon.js";
import { shortHash } from "./knowledge.js";
import { romanisation } from "./places.js";

/** Bump when the preparation's shape changes; behaviour changes are caught by the fingerprint too. */
export const PREPARED_CEDICT_FORMAT = "prepared-cedict-14";

export interface PreparedCedict {
  format: string;
  lexicon: PreparedLexicon;
  homophones: HomophoneTable;
  /** The dictionary's classifiers (homophones.ts buildClassifiers). */
  classifiers: string;
  /** Headword → its first entry's pinyin, kept only where that pinyin is a proper noun's (capitalised). */
  properReadings: Record<string, string>;
  /** Lower-case words of the English glosses (pinyin in brackets excluded), sorted. */
  glossWords: string[];
  /**
   * Romanisations (toneless pinyin run together: hukou, xiaoban) of the common words of two or more
   * syllables → those words (户口; 小班), leaving out romanisations that are English words of the
   * glosses. English questions borrow such words (hukou, gaokao, xiaoban); a proper noun may read the
   * same (湖口 Hu2 kou3), which the place names weigh (places.ts).
   */
  wordRomanisations: Record<string, string[]>;
}


export function prepareCedict(entries: readonly CedictEntry[]): PreparedCedict {
  const first = new Map<string, string>();
  for (const entry of entries) if (!first.has(entry[1])) first.set(entry[1], entry[2]);
  const properReadings: Record<string, string> = {};
  for (const [word, pinyin] of first) if (/^[A-Z]/.test(pinyin)) properReadings[word] = pinyin;
  const glossWords = new Set<string>();
  for (const entry of entries) {
    for (const sense of Array.isArray(entry[3]) ? entry[3] : [entry[3]]) {
      // Pinyin in brackets ([Xi1 an1 Shi4]) is no English.
      if (typeof sense === "string") for (const w of sense.replace(/\[[^\]]*\]/g, " ").match(/(?<![A-Za-z'])[a-z]+(?![A-Za-z'\d])/g) ?? []) glossWords.add(w);
    }
  }
  const wordRomanisations: Record<string, string[]> = {};
  for (const entry of entries) {
    if (!/^[a-z]/.test(entry[2]) || !entry[2].includes(" ")) continue;
    const roman = romanisation(entry[2]);
    if (!roman || glossWords.has(roman)) continue;
    const words = (wordRomanisations[roman] ??= []);
    if (!words.includes(entry[1])) words.push(entry[1]);
  }
  return {
    format: PREPARED_CEDICT_FORMAT,
    lexicon: prepareLexicon(entries),
    homophones: buildHomophoneTable(entries),
    classifiers: buildClassifiers(entries),
    properReadings,
    glossWords: [...glossWords].sort(),
    wordRomanisations,
  };
}

/** The entries a cached preparation keeps to check itself against this code: every 97th. */
export function cedictSample(entries: readonly CedictEntry[]): CedictEntry[] {
  return entries.filter((_, i) => i % 97 === 0);
}

/**
 * What this code makes of a sample of the entries, hashed. A cache stores the sample and this
 * fingerprint; when they no longer agree, how senses are normalised, stemmed or keyed has
 * changed, and the cache is prepared again without anyone remembering to bump a number.
 */
export function preparedCedictFingerprint(sample: readonly CedictEntry[]): string {
  return shortHash(JSON.stringify(prepareCedict(sample)));
}
