import { documentPlaceText, OWN_SCOPE, placeScope, placesIn, type PlaceTable } from "../knowledge/places.js";
import type { DocumentMeta, KeywordSearchHit, Passage, PrefetchedPostings, VectorQuery } from "../types.js";

/**
 * What the retriever asks of a keyword index: one BM25 pass with a top-k list per filter, and the
 * document frequency of a term. The in-memory index answers at once; a database-backed one (D1 on
 * Workers) returns a Promise and fetches, in the same query, the frequencies of the question's
 * terms, so `documentFrequency` is answered from that prefetch for the rest of the request.
 */
export interface KeywordSource {
  /**
   * A database-backed source: fetches what both lists of one search read — the postings of the
   * question's terms and of its vector's features, held in the same database — in one round trip,
   * before either list is scored; the retriever hands the result to both searches. Absent when the
   * index is in memory.
   */
  prefetch?(terms: Map<string, number>, vector?: VectorQuery): Promise<PrefetchedPostings>;
  searchWeightedLists(
    terms: Map<string, number>,
    k: number,
    filters: Array<((label: number) => boolean) | undefined>,
    prefetched?: PrefetchedPostings,
  ): KeywordSearchHit[][] | Promise<KeywordSearchHit[][]>;
  documentFrequency(term: string): number;
}

/** Year and kind of every passage's document, as the retriever's filters read them. */
export interface PassageFacets {
  /** Per label: the document's year, or NO_YEAR. */
  years: Int32Array;
  /** Per label: the document kind's id (−1: no document). */
  kinds: Int32Array;
  kindIds: Map<string, number>;
  /** Per label: the id of its document's place scope (0: the bureau's own level; −1: no document). */
  scopes: Int32Array;
  /** Place scope (division code, OWN_SCOPE for the bureau's own level) → id. */
  scopeIds: Map<string, number>;
}

/**
 * Where the retriever finds the passages of its candidates when they are not all in memory: the
 * passages and their documents are fetched together for the fused candidate list (one query per
 * search, D1 on Workers).
 */
export interface PassageSource {
  /** Number of passages in the index (the N of every IDF). */
  readonly count: number;
  resolve(labels: readonly number[]): Promise<Map<number, { passage: Passage; doc: DocumentMeta }>>;
  facets(): PassageFacets;
}

/** Year of a passage whose document has none: matches no year filter. */
export const NO_YEAR = -2147483648;
/** Kind key of a document without a kind: an id no option can name. */
export const NO_KIND = "\u0000";

type FacetDocument = { year?: number; kind?: string; title?: string; issuer?: string };

/** The place scope of a document: the places its title and issuer name (places.ts › placeScope). */
export function documentScope(doc: FacetDocument, places: PlaceTable): string {
  return placeScope(placesIn(documentPlaceText(doc), places));
}

/**
 * Year, kind id and place-scope id of every passage's document (kind and scope −1: no document),
 * computed once per index. Without a place table every document is of the bureau's own level.
 */
export function computePassageFacets(passages: ReadonlyArray<{ docId: string }>, docById: ReadonlyMap<string, FacetDocument>, places?: PlaceTable): PassageFacets {
  const years = new Int32Array(passages.length).fill(NO_YEAR);
  const kinds = new Int32Array(passages.length).fill(-1);
  const scopes = new Int32Array(passages.length).fill(-1);
  const kindIds = new Map<string, number>();
  const scopeIds = new Map<string, number>([[OWN_SCOPE, 0]]);
  const docScopes = new Map<string, number>();
  passages.forEach((passage, label) => {
    const doc = docById.get(passage.docId);
    if (!doc) return;
    if (doc.year !== undefined) years[label] = doc.year;
    const key = doc.kind ?? NO_KIND;
    let id = kindIds.get(key);
    if (id === undefined) kindIds.set(key, (id = kindIds.size));
    kinds[label] = id;
    let scope = docScopes.get(passage.docId);
    if (scope === undefined) {
      const code = places ? documentScope(doc, places) : OWN_SCOPE;
      scope = scopeIds.get(code);
      if (scope === undefined) scopeIds.set(code, (scope = scopeIds.size));
      docScopes.set(passage.docId, scope);
    }
    scopes[label] = scope;
  });
  return { years, kinds, kindIds, scopes, scopeIds };
}
