import MiniSearch from "minisearch";
import type { KeywordIndex, KeywordSearchHit } from "../types.js";

/** One passage as the keyword index sees it: pre-tokenized, space-joined fields. */
export interface KeywordDocument {
  id: number;
  title: string;
  section: string;
  text: string;
}

/** Field boosts: a word in the document title or the heading path says more than one in the body. */
export const KEYWORD_FIELD_BOOSTS = { title: 1.5, section: 2, text: 1 } as const;

const splitTokens = (s: string) => s.split(" ").filter(Boolean);

// Tokens are produced (folded, segmented, stop-worded) before they reach MiniSearch; it must not
// re-tokenize them. The same options are needed to load a saved index.
const OPTIONS = {
  fields: ["title", "section", "text"],
  tokenize: splitTokens,
  processTerm: (term: string) => term,
  searchOptions: { tokenize: splitTokens, processTerm: (term: string) => term },
};

/** BM25 keyword index over pre-tokenized passages (MiniSearch: pure JS, runs in Node and Workers). */
export class MiniSearchKeywordIndex implements KeywordIndex {
  private constructor(private readonly mini: MiniSearch<KeywordDocument>) {}

  static build(documents: KeywordDocument[]): MiniSearchKeywordIndex {
    const mini = new MiniSearch<KeywordDocument>(OPTIONS);
    mini.addAll(documents);
    return new MiniSearchKeywordIndex(mini);
  }

  static load(json: string): MiniSearchKeywordIndex {
    return new MiniSearchKeywordIndex(MiniSearch.loadJSON<KeywordDocument>(json, OPTIONS));
  }

  serialize(): string {
    return JSON.stringify(this.mini);
  }

  /**
   * OR-search of weighted terms (weight 1 for the question's own words, less for synonyms).
   * Returns at most k hits, best first.
   */
  searchWeighted(terms: Map<string, number>, k: number, filter?: (label: number) => boolean): KeywordSearchHit[] {
    if (!terms.size) return [];
    const results = this.mini.search([...terms.keys()].join(" "), {
      combineWith: "OR",
      boost: KEYWORD_FIELD_BOOSTS,
      prefix: false,
      fuzzy: false,
      boostTerm: (term) => terms.get(term) ?? 1,
      ...(filter ? { filter: (r) => filter(r.id as number) } : {}),
    });
    return results.slice(0, k).map((r) => ({ label: r.id as number, score: r.score, terms: r.terms }));
  }

  /** True when some passage contains the exact token. */
  hasTerm(term: string): boolean {
    return this.mini.search(term, { prefix: false, fuzzy: false, combineWith: "OR" }).length > 0;
  }

  search(terms: string[], k: number, filter?: (label: number) => boolean): KeywordSearchHit[] {
    return this.searchWeighted(new Map(terms.map((t) => [t, 1])), k, filter);
  }
}
