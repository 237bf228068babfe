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
import { documentPlaces, romanisedPlaceNames, withoutCorpusPlaces, withParentPlaces, type PlaceTable } from "./places.js";
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
  /** Romanised place names (xian → 西安市): they depend on the dictionary and the divisions only. */
  private readonly romanised: Record<string, string>;

  constructor(private readonly resources: KnowledgeResources) {
    const { cedict, places } = resources;
    this.bare = withoutCorpusPlaces(places);
    // Words the dictionary's English glosses use in lower case are English words, not place names.
    this.romanised = romanisedPlaceNames(new Map(Object.entries(cedict.properReadings)), places, new Set(cedict.glossWords));
  }

  /** One document: its title as written, its text folded for matching (its passages' folded texts). */
  addDocument(title: string, folded: string): void {
    for (const full of documentPlaces({ title: foldForMatching(title), text: folded }, this.bare)) this.found.add(full);
  }

  /** The tables, once every document was added: `corpusTerms` are the index's terms. */
  finish(corpusTerms: Iterable<string>): CorpusKnowledge {
    const { cedict, places: base } = this.resources;
    const { bridges, english } = buildLexiconTables({ lexicon: cedict.lexicon, corpusTerms: new Set(corpusTerms), stopWords: STOP_WORDS });
    const places: PlaceTable = { ...base, corpus: withParentPlaces(this.found, base), english: this.romanised };
    return { bridges, english, places, homophones: cedict.homophones };
  }
}
