/**
 * The corpus-dependent part of the knowledge build, taken as the corpus is read: each document's
 * places as it comes, the dictionary bridges once the corpus's vocabulary is known. What does not
 * depend on the corpus (the prepared dictionary, the division table, the English place names) is
 * given once. The Node ingest runs it in a thread beside the reading (src/node/knowledge-thread.ts)
 * or in-process; both give the same tables. Runtime-neutral.
 */
import { STOP_WORDS } from "../search/stopwords.js";
import { foldForMatching } from "../text/fold.js";
import type { HomophoneTable } from "./homophones.js";
import { buildLexiconTables, type BridgeTable } from "./lexicon.js";
import { chooseRomanisedPlaces, documentPlaces, romanisedPlaceCandidates, withCorpusShortForms, withoutCorpusPlaces, withParentPlaces, type PlaceTable, type RomanisedCandidates } from "./places.js";
import type { PreparedCedict } from "./prepared-cedict.js";

/** What the knowledge build reads that no corpus changes. */
export interface KnowledgeResources {
  cedict: PreparedCedict;
  /** Divisions and the profile's places (buildPlaceTable with no corpus places). */
  places: PlaceTable;
}

/** The knowledge tables that depend on the corpus's documents and vocabulary. */
export interface CorpusKnowledge {
  bridges: BridgeTable;
  english: BridgeTable;
  englishLemmas: Record<string, string>;
  places: PlaceTable;
  homophones: HomophoneTable;
  /** The dictionary's classifiers the documents write figures in (442对): a count asked in one asks a figure in it. */
  classifiers: string;
}

/** Characters after a figure that date, time or number it rather than count (年, 号, 点, 级). */
const NOT_COUNTED = new Set([..."年月日号时分秒点级"]);

export class CorpusKnowledgeBuilder {
  private readonly bare: PlaceTable;
  private readonly found = new Set<string>();
  /** Characters the documents write right after a digit (442对, 4000节): the measures their figures are in. */
  private readonly measured = new Set<string>();
  /** Romanised place names (xian → 西安市) and what each could name: the dictionary's and the divisions'. */
  private readonly romanised: RomanisedCandidates;

  constructor(private readonly resources: KnowledgeResources) {
    const { cedict, places } = resources;
    this.bare = withoutCorpusPlaces(places);
    // Words the dictionary's English glosses use in lower case are English words, not place names.
    this.romanised = romanisedPlaceCandidates(new Map(Object.entries(cedict.properReadings)), places, new Set(cedict.glossWords), cedict.wordRomanisations);
  }

  /** One document: its title as written, its text folded for matching (its passages' folded texts). */
  addDocument(title: string, folded: string): void {
    for (const full of documentPlaces({ title: foldForMatching(title), text: folded }, this.bare)) this.found.add(full);
    // A count, not an ordinal (第1期), a document number (〔2019〕15号) or a date (5月12日): digits
    // after 第 or a bracket are skipped, and units of time and numbering are no counts.
    for (const m of folded.matchAll(/(?<![第〔[［（(\d.])\d+([\u3400-\u9fff])/g)) if (!NOT_COUNTED.has(m[1]!)) this.measured.add(m[1]!);
  }

  /** The tables, once every document was added: `corpusTerms` are the index's terms. */
  finish(corpusTerms: Iterable<string>): CorpusKnowledge {
    const { cedict, places: base } = this.resources;
    const terms = new Set(corpusTerms);
    const corpus = withParentPlaces(this.found, base);
    // Which division a shared romanised name stands for can depend on what the corpus is about
    // (changning); a county's name that reads as one of the corpus's own names is that name (huating
    // is 华亭 of 华亭幼儿园 in a corpus about 松江, not 华亭市 in 甘肃).
    const romanisations = withCorpusRomanisations(cedict, terms);
    const candidates: RomanisedCandidates = {};
    for (const [roman, candidate] of Object.entries(this.romanised)) candidates[roman] = { ...candidate, common: romanisations[roman] ?? candidate.common };
    // Names only: words the dictionary reads as proper nouns and never as common words (长寿, 大兴 are both).
    const common = new Set(Object.values(cedict.wordRomanisations).flat());
    const properNames = new Set(Object.keys(cedict.properReadings).filter((w) => !common.has(w)));
    const placeNames = chooseRomanisedPlaces(candidates, { ...base, corpus }, terms, properNames);
    const { bridges, english, englishLemmas } = buildLexiconTables({
      lexicon: cedict.lexicon,
      corpusTerms: terms,
      stopWords: STOP_WORDS,
      wordRomanisations: romanisations,
      placeRomanisations: new Set(Object.keys(placeNames)),
    });
    const places: PlaceTable = { ...base, entries: withCorpusShortForms(base.entries, corpus), corpus, english: placeNames };
    return { bridges, english, englishLemmas, places, homophones: cedict.homophones, classifiers: [...cedict.classifiers].filter((c) => this.measured.has(c)).join("") };
  }
}

/** Spellings of one word (its characters' readings combined) beyond which the rest are not spelled out. */
const MAX_ROMANISATIONS = 4;

/**
 * The dictionary's romanised common words, plus the corpus's own names that the dictionary does not
 * have (华亭, 车墩, 茸北: a school's, a town's, a street's): English questions spell them in pinyin
 * (Huating No.3 Kindergarten, Chedun town). Readings are the dictionary's (its single-character
 * entries, the homophone table read backwards); a word of two to four characters gets its first
 * MAX_ROMANISATIONS spellings, except those that are English words of the glosses.
 */
export function withCorpusRomanisations(cedict: PreparedCedict, terms: ReadonlySet<string>): Record<string, string[]> {
  const readings = new Map<string, string[]>();
  for (const [syllable, characters] of Object.entries(cedict.homophones)) {
    for (const character of characters) {
      const list = readings.get(character);
      if (list) list.push(syllable);
      else readings.set(character, [syllable]);
    }
  }
  const english = new Set(cedict.glossWords);
  const out: Record<string, string[]> = { ...cedict.wordRomanisations };
  const added = new Map<string, string[]>();
  for (const term of terms) {
    if (!/^[\u3400-\u9fff]{2,4}$/.test(term) || STOP_WORDS.has(term)) continue;
    let spellings = [""];
    for (const character of term) {
      const syllables = readings.get(character);
      if (!syllables) {
        spellings = [];
        break;
      }
      spellings = spellings.flatMap((s) => syllables.map((y) => s + y)).slice(0, MAX_ROMANISATIONS);
    }
    for (const spelling of spellings) {
      if (english.has(spelling) || cedict.wordRomanisations[spelling]?.includes(term)) continue;
      const list = added.get(spelling);
      if (list) list.push(term);
      else added.set(spelling, [term]);
    }
  }
  // Beside the dictionary's words of that spelling (洞门 for dongmen), which the lexicon keeps only
  // when the corpus has them.
  for (const [spelling, words] of added) out[spelling] = [...(out[spelling] ?? []), ...words];
  return out;
}
