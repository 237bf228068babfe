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
import { chooseRomanisedPlaces, documentPlaces, romanisedPlaceCandidates, withoutCorpusPlaces, withParentPlaces, type PlaceTable, type RomanisedCandidates } from "./places.js";
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
  places: PlaceTable;
  homophones: HomophoneTable;
}

export class CorpusKnowledgeBuilder {
  private readonly bare: PlaceTable;
  private readonly found = new Set<string>();
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
  }

  /** The tables, once every document was added: `corpusTerms` are the index's terms. */
  finish(corpusTerms: Iterable<string>): CorpusKnowledge {
    const { cedict, places: base } = this.resources;
    const terms = new Set(corpusTerms);
    const corpus = withParentPlaces(this.found, base);
    // Which division a shared romanised name stands for can depend on what the corpus is about (changning).
    const placeNames = chooseRomanisedPlaces(this.romanised, { ...base, corpus }, terms);
    const { bridges, english } = buildLexiconTables({
      lexicon: cedict.lexicon,
      corpusTerms: terms,
      stopWords: STOP_WORDS,
      wordRomanisations: cedict.wordRomanisations,
      placeRomanisations: new Set(Object.keys(placeNames)),
    });
    const places: PlaceTable = { ...base, corpus, english: placeNames };
    return { bridges, english, places, homophones: cedict.homophones };
  }
}
