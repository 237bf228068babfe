import { fnv1a } from "../search/domain-dictionary.js";
import type { HomophoneTable } from "./homophones.js";
import type { BridgeTable } from "./lexicon.js";
import type { PlaceTable } from "./places.js";
import type { BureauProfile } from "./profile.js";

/** Bump when the knowledge file's shape or the way it is derived changes. */
export const KNOWLEDGE_FORMAT = "knowledge-18";

/**
 * What the question path knows beyond the index's words, derived at index time from real
 * resources and stored with the index (knowledge.json): CC-CEDICT bridges pruned to the corpus,
 * the English gloss table, places (division data + profile + the corpus's own places), how much
 * more frequent each corpus term is in the corpus than in general Chinese, and the profile itself.
 */
export interface Knowledge {
  format: string;
  /** Where each part came from: package names and versions, the profile's hash. */
  sources: Record<string, string>;
  profile: BureauProfile;
  bridges: BridgeTable;
  english: BridgeTable;
  /** Gloss words whose key in `english` is not their stem (lexicon.ts's englishKey). */
  englishLemmas: Record<string, string>;
  places: PlaceTable;
  /** Toneless pinyin syllable → characters (CC-CEDICT), for homophone typos (homophones.ts). */
  homophones: HomophoneTable;
  /**
   * The dictionary's classifiers (量词) that the documents write a figure in (442对, 4000节), Simplified
   * characters run together: 多少对 asks a figure in 对. A classifier they never measure in (间 of
   * Cantonese 幾多間 for schools) asks no unit of its own.
   */
  classifiers?: string;
  /**
   * Domain salience of corpus terms: log of (share of passages holding the term) over (its
   * general document frequency from the segmenter's IDF table), with the term's passage count.
   * Only terms with positive salience.
   */
  salience: Record<string, [salience: number, passages: number]>;
  /**
   * Passages holding each Han character. A one-character word (住, 带, 满) is matched inside longer
   * words when sentences are scored (住 in 居住证), so its weight there comes from how many passages
   * hold the character, not from how rarely the segmenter cut it out as a word of its own.
   */
  characters?: Record<string, number>;
}

/** A short, stable hash of a text (recorded in recipes and sources). */
export function shortHash(text: string): string {
  return fnv1a(text).toString(16).padStart(8, "0");
}

/** The profile's identity as the index recipe records it: a city's profile changes → rebuild. */
export function profileId(profile: BureauProfile): string {
  return `profile-${profile.city.divisionCode}-v${profile.version}-${shortHash(JSON.stringify(profile))}`;
}

export function parseKnowledge(json: string): Knowledge {
  const data = JSON.parse(json) as Knowledge;
  if (data.format !== KNOWLEDGE_FORMAT) throw new Error(`knowledge format ${String(data.format)}`);
  return data;
}

/** How many of the texts hold each Han character (Knowledge.characters). */
export function characterFrequencies(texts: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  for (const text of texts) {
    seen.clear();
    for (const c of text) if (c >= "\u3400" && c <= "\u9fff" && !seen.has(c)) seen.add(c);
    for (const c of seen) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** General IDF for a word the segmenter's table does not hold: as rare as its rarest words. */
export const DEFAULT_GENERAL_IDF = 12;

/**
 * Salience of each corpus term: ln(df_corpus / N) + idf_general. A word ten times more frequent in
 * the bureau's passages than in general Chinese scores ln 10 ≈ 2.3. Words the general table does
 * not know count as rare there (its default IDF).
 */
export function computeSalience(
  documentFrequency: Iterable<[string, number]>,
  passages: number,
  generalIdf: (word: string) => number | undefined,
  defaultIdf: number,
): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const [term, df] of documentFrequency) {
    // Single characters are too ambiguous to be evidence of a domain.
    if (term.length < 2 || !/[\u3400-\u9fff]/.test(term)) continue;
    const s = Math.log(df / passages) + (generalIdf(term) ?? defaultIdf);
    if (s > 0) out[term] = [Math.round(s * 100) / 100, df];
  }
  return out;
}
