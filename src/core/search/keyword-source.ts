import type { DocumentMeta, KeywordSearchHit, Passage } from "../types.js";

/**
 * What the retriever asks of a keyword index: one BM25 pass with a top-k list per filter, and the
 * document frequency of a term. The in-memory index answers at once; a database-backed one (D1 on
 * Workers) returns a Promise and fetches, in the same query, the frequencies of the question's
 * terms, so `documentFrequency` is answered from that prefetch for the rest of the request.
 */
export interface KeywordSource {
  searchWeightedLists(terms: Map<string, number>, k: number, filters: Array<((label: number) => boolean) | undefined>): KeywordSearchHit[][] | Promise<KeywordSearchHit[][]>;
  documentFrequency(term: string): number;
}

/** Year and kind of every passage's document, as the retriever's filters read them. */
export interface PassageFacets {
  /** Per label: the document's year, or NO_YEAR. */
  years: Int32Array;
  /** Per label: the document kind's id (−1: no document). */
  kinds: Int32Array;
  kindIds: Map<string, number>;
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

/** Year and kind id of every passage's document (kind −1: no document), computed once per index. */
export function computePassageFacets(passages: ReadonlyArray<{ docId: string }>, docById: ReadonlyMap<string, { year?: number; kind?: string }>): PassageFacets {
  const years = new Int32Array(passages.length).fill(NO_YEAR);
  const kinds = new Int32Array(passages.length).fill(-1);
  const kindIds = new Map<string, number>();
  passages.forEach((passage, label) => {
    const doc = docById.get(passage.docId);
    if (!doc) return;
    if (doc.year !== undefined) years[label] = doc.year;
    const key = doc.kind ?? NO_KIND;
    let id = kindIds.get(key);
    if (id === undefined) kindIds.set(key, (id = kindIds.size));
    kinds[label] = id;
  });
  return { years, kinds, kindIds };
}
