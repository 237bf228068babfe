import type { RetrievedPassage } from "./retriever.js";
import { sectionOf } from "./search-index.js";

/** One search result as the API, the CLI (--json) and the console show it. */
export interface SearchResult {
  passageId: string;
  docId: string;
  title: string;
  year: number | null;
  section: string;
  text: string;
  score: number;
}

export function toSearchResult(hit: RetrievedPassage): SearchResult {
  return {
    passageId: hit.passage.id,
    docId: hit.doc.id,
    title: hit.doc.title,
    year: hit.doc.year ?? null,
    section: sectionOf(hit.passage),
    text: hit.passage.text,
    score: Number(hit.score.toFixed(6)),
  };
}
