import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { DocumentMeta, Passage, VectorSearchHit } from "../types.js";
import { HashingEmbeddings } from "./hashing-embeddings.js";
import { analyzeQuery, type AnalyzedQuery } from "./query.js";
import type { SearchIndex } from "./search-index.js";
import type { Tokenize } from "./tokenizer.js";

export interface SearchOptions {
  k?: number;
  /** Only passages from documents of this year. */
  year?: number;
  /** Only passages from documents of this kind (工作总结 …). */
  kind?: string;
}

export interface SearchSignals {
  keywordRank?: number;
  keywordScore?: number;
  vectorRank?: number;
  similarity?: number;
}

export interface RetrievedPassage {
  passage: Passage;
  doc: DocumentMeta;
  score: number;
  signals: SearchSignals;
}

export interface FusionParams {
  /** RRF constant: larger flattens the contribution of rank. */
  rrfK: number;
  keywordWeight: number;
  vectorWeight: number;
  /** Multiplier for passages from a year the question names. */
  yearBoost: number;
  /** Candidates taken from each list before fusion. */
  candidates: number;
  /** Fused candidates re-scored by their best sentence (0 turns the reranker off). */
  rerankDepth: number;
  /** Weight of the best-sentence coverage against the normalised fused score. */
  rerankWeight: number;
}

/** In-year passages below the rerank head that are re-scored too, and their bonus there. */
const YEAR_RERANK_EXTRA = 10;
const YEAR_RERANK_BONUS = 0.8;

/** Weight of the year-scoped keyword candidates, relative to the unscoped list. */
const SCOPED_WEIGHT = 0.5;

export const DEFAULT_FUSION: FusionParams = {
  rrfK: 20,
  keywordWeight: 1,
  vectorWeight: 1,
  yearBoost: 1.6,
  candidates: 40,
  rerankDepth: 20,
  rerankWeight: 0.6,
};

export interface RetrieverDeps {
  index: SearchIndex;
  tokenize: Tokenize;
  embeddings: EmbeddingsInterface;
  /** IDF used to weight coverage; unknown words count as rare. */
  idf?: (word: string) => number | undefined;
  fusion?: Partial<FusionParams>;
}

/** Synonym expansions are tokenized for every question that names them: keep their tokens. */
const TOKEN_CACHE_SIZE = 4096;

function memoize(tokenize: Tokenize, size: number): Tokenize {
  const cache = new Map<string, string[]>();
  return (text) => {
    let tokens = cache.get(text);
    if (!tokens) {
      if (cache.size >= size) cache.clear();
      cache.set(text, (tokens = tokenize(text)));
    }
    return tokens.slice();
  };
}

/**
 * Hybrid retrieval: BM25 over folded tokens (with synonym expansion) and cosine kNN over embeddings,
 * fused by weighted reciprocal rank, then boosted for the year the question names.
 */
export class HybridRetriever {
  readonly fusion: FusionParams;
  private readonly tokenize: Tokenize;
  constructor(private readonly deps: RetrieverDeps) {
    this.fusion = { ...DEFAULT_FUSION, ...deps.fusion };
    this.tokenize = memoize(deps.tokenize, TOKEN_CACHE_SIZE);
  }

  get index(): SearchIndex {
    return this.deps.index;
  }

  analyze(question: string): AnalyzedQuery {
    return analyzeQuery(question, this.tokenize);
  }

  async search(question: string, options: SearchOptions = {}): Promise<RetrievedPassage[]> {
    const k = options.k ?? 5;
    const query = this.analyze(question);
    const { index } = this.deps;
    const { rrfK, keywordWeight, vectorWeight, yearBoost, candidates } = this.fusion;
    const filter = this.filterFor(options);

    // A question that names a year also gets keyword candidates from documents of that year: in a
    // large corpus, yearly reports repeat the same sentences with other figures, and the named
    // year's passage can fall out of the unscoped top 40 before the year boost ever sees it.
    const scoped = query.years.length && options.year === undefined ? this.filterFor({ ...options, years: query.years }) : undefined;
    const [keywordHits = [], scopedHits = []] = index.keyword.searchWeightedLists(query.weighted, candidates, scoped ? [filter, scoped] : [filter]);
    const { embeddings } = this.deps;
    // The hashing embedder segments and folds the question again unless handed the analysis.
    const vector =
      embeddings instanceof HashingEmbeddings && embeddings.tokenizer === this.deps.tokenize
        ? embeddings.embedTokens(query.tokens, query.folded)
        : await embeddings.embedQuery(question);
    let vectorHits: VectorSearchHit[];
    try {
      vectorHits = await index.vectors.search(vector, candidates, filter);
    } catch {
      // hnswlib throws when a filter leaves fewer candidates than asked for; retry without the cap.
      vectorHits = (await index.vectors.search(vector, index.vectors.size)).filter((h) => !filter || filter(h.label)).slice(0, candidates);
    }

    const fused = new Map<number, { score: number; signals: SearchSignals }>();
    const entry = (label: number) => {
      let e = fused.get(label);
      if (!e) fused.set(label, (e = { score: 0, signals: {} }));
      return e;
    };
    keywordHits.forEach((hit, rank) => {
      const e = entry(hit.label);
      e.score += keywordWeight / (rrfK + rank + 1);
      e.signals.keywordRank = rank + 1;
      e.signals.keywordScore = hit.score;
    });
    scopedHits.forEach((hit, rank) => {
      const e = entry(hit.label);
      if (e.signals.keywordRank !== undefined) return;
      e.score += (keywordWeight * SCOPED_WEIGHT) / (rrfK + rank + 1);
      e.signals.keywordRank = candidates + rank + 1;
      e.signals.keywordScore = hit.score;
    });
    vectorHits.forEach((hit, rank) => {
      // Vectors with no similarity at all (orthogonal hashing features) are noise, not a match.
      if (hit.similarity <= 0.02) return;
      const e = entry(hit.label);
      e.score += vectorWeight / (rrfK + rank + 1);
      e.signals.vectorRank = rank + 1;
      e.signals.similarity = hit.similarity;
    });

    const results: RetrievedPassage[] = [];
    for (const [label, { score, signals }] of fused) {
      const passage = index.passages[label];
      if (!passage) continue;
      const doc = index.docById.get(passage.docId);
      if (!doc) continue;
      let boosted = score;
      if (query.years.length && doc.year !== undefined && query.years.includes(doc.year)) boosted *= yearBoost;
      results.push({ passage, doc, score: boosted, signals });
    }
    results.sort((a, b) => b.score - a.score || a.passage.ordinal - b.passage.ordinal);
    if (this.fusion.rerankDepth > 0 && results.length > 1) this.rerank(results, query);
    return results.slice(0, k);
  }

  /**
   * Passage-level fusion favours long passages that mention many query words in different
   * sentences. Re-scoring the head of the list by its best single sentence (the question's words
   * together, as an answer would quote them) puts the passage that states the fact first.
   */
  private rerank(results: RetrievedPassage[], query: AnalyzedQuery): void {
    const depth = Math.min(this.fusion.rerankDepth, results.length);
    // Passages from a year the question names are re-scored even when fusion left them below the
    // head: with many yearly reports repeating one sentence, the named year's copy must compete on
    // its sentence, not on a rank that the other years' copies pushed down.
    const inYear = (hit: RetrievedPassage) => query.years.length > 0 && hit.doc.year !== undefined && query.years.includes(hit.doc.year);
    const extra = results.slice(depth).filter(inYear).slice(0, YEAR_RERANK_EXTRA);
    const head = [...results.slice(0, depth), ...extra];
    const rest = results.slice(depth).filter((hit) => !extra.includes(hit));
    const top = head[0]!.score || 1;
    for (const hit of head) {
      hit.score = hit.score / top + this.fusion.rerankWeight * this.bestSentenceCoverage(hit.passage, query) + (inYear(hit) ? YEAR_RERANK_BONUS : 0);
    }
    head.sort((a, b) => b.score - a.score || a.passage.ordinal - b.passage.ordinal);
    results.splice(0, results.length, ...head, ...rest);
  }

  private bestSentenceCoverage(passage: Passage, query: AnalyzedQuery): number {
    let total = 0;
    const terms: Array<[string, number]> = [];
    for (const [token, weight] of query.weighted) {
      if (/^(?:19|20)\d{2}年?$/.test(token)) continue;
      const w = (/\d/.test(token) ? 6 : Math.min(this.deps.idf?.(token) ?? 10, 12)) * weight;
      terms.push([token, w]);
      if (weight === 1) total += w;
    }
    if (!total) return 0;
    let best = 0;
    for (const sentence of passage.folded.split(/[。；;!?！？\n]/)) {
      let matched = 0;
      for (const [token, w] of terms) if (sentence.includes(token)) matched += w;
      best = Math.max(best, matched / total);
    }
    return Math.min(best, 1);
  }

  private filterFor(options: SearchOptions & { years?: number[] }): ((label: number) => boolean) | undefined {
    if (options.year === undefined && options.kind === undefined && !options.years) return undefined;
    const { passages, docById } = this.deps.index;
    return (label) => {
      const passage = passages[label];
      const doc = passage ? docById.get(passage.docId) : undefined;
      if (!doc) return false;
      if (options.year !== undefined && doc.year !== options.year) return false;
      if (options.kind !== undefined && doc.kind !== options.kind) return false;
      if (options.years && (doc.year === undefined || !options.years.includes(doc.year))) return false;
      return true;
    };
  }

}
