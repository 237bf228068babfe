import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { DocumentMeta, Passage, VectorQuery, VectorSearchHints, VectorSearchHit } from "../types.js";
import { analyzeQuestion, foundSpellings, withSpellings, type ChatTurnLike } from "../question/analyze.js";
import { addressCue, addressMatch, ADDRESS_WEIGHT, answerFigureStrength, answersAttribute, coverage, HEADING_FACTOR, passageStatement, polarity, POLARITY_WEIGHT, scoringTerms, type TermStatistics } from "../question/scoring.js";
import type { AnalyzedQuestion } from "../question/types.js";
import { spellOut, type SpelledOut, type SpelledOutAsk } from "../question/spelled-out.js";
import { DEFAULT_GENERAL_IDF } from "../knowledge/knowledge.js";
import { isAppError } from "../errors.js";
import { OWN_SCOPE, placeScope, placesCompatible } from "../knowledge/places.js";
import { labelledLines } from "../text/sentences.js";
import { HashingEmbeddings } from "./hashing-embeddings.js";
import { SparseVectorIndex } from "./sparse-vector-index.js";
import { tableOf } from "./search-index.js";
import { computePassageFacets, documentScope, NO_KIND, NO_YEAR, type KeywordSource, type PassageFacets, type PassageSource } from "./keyword-source.js";
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
  /**
   * Added to a sentence's coverage when it holds the kind of figure the question asks for (a count
   * in 所 for 多少所, a percentage for 比例): among many passages on one topic, the one that states
   * the answer. Redacted figures (xx所) are not figures and earn nothing.
   */
  answerBonus: number;
}

/** Rows of one table that may fill the head of a result list before passages of another kind get the places after. */
const ONE_TABLE_ROWS = 3;
/** How close (share of the top score) those other passages must be. */
const OTHER_KIND_CLOSE = 0.75;

/** The table whose rows are the first ONE_TABLE_ROWS results, if they are. */
function oneTableHead(ranked: readonly RetrievedPassage[]): string | undefined {
  if (ranked.length < ONE_TABLE_ROWS) return undefined;
  const table = tableOf(ranked[0]!.passage);
  return table !== undefined && ranked.slice(1, ONE_TABLE_ROWS).every((h) => tableOf(h.passage) === table) ? table : undefined;
}

/**
 * The top `k`, with the places after the first ONE_TABLE_ROWS kept for passages that are not rows of
 * the table whose rows fill the head. A question that names no row (松江区幼儿园招生咨询电话？) matches every row of a long table
 * alike — each holds 松江区…幼儿园 and the column 招生咨询电话, in few words — and the sentence that states
 * it for the district (本区学前教育阶段招生咨询电话：57821271) ranks behind all of them. When the first
 * ONE_TABLE_ROWS results are rows of one table, passages of another kind that score within
 * OTHER_KIND_CLOSE of the first take the next places, best first; the rows follow.
 */
export function withOtherThanOneTable(ranked: RetrievedPassage[], k: number): RetrievedPassage[] {
  const head = ranked.slice(0, k);
  if (head.length <= ONE_TABLE_ROWS) return head;
  const table = oneTableHead(ranked);
  if (table === undefined) return head;
  const bar = head[0]!.score * OTHER_KIND_CLOSE;
  // Every such passage, best first, up to the places the rows leave: another table's row may be
  // the first of them while the sentence that states it for the whole district is the second.
  const others = ranked.filter((h, i) => i >= ONE_TABLE_ROWS && h.score >= bar && tableOf(h.passage) !== table).slice(0, k - ONE_TABLE_ROWS);
  if (!others.length) return head;
  return [...ranked.slice(0, ONE_TABLE_ROWS), ...others, ...ranked.slice(ONE_TABLE_ROWS).filter((h) => !others.includes(h))].slice(0, k);
}

/** In-year passages below the rerank head that are re-scored too, and their bonus there. */
const YEAR_RERANK_EXTRA = 10;
const YEAR_RERANK_BONUS = 0.8;
/** Rerank bonus of passages from documents of the question's place scope (below the year's: a named year is the stronger cue). */
const SCOPE_RERANK_BONUS = 0.4;

/**
 * A passage is of a year the question names when its document is, or when one of its sentences opens
 * with that year (a 2022 speech's 2021年,全市招聘中小学教师…: a later document reporting on it).
 */
function ofYear(passage: Passage, doc: DocumentMeta, years: readonly number[]): boolean {
  if (doc.year !== undefined && years.includes(doc.year)) return true;
  return yearOpening(years).test(passage.folded);
}

/** A sentence opening with one of the years (截至2021年底…), compiled once per set of years. 到2025年 sets a target: not a report. */
const YEAR_OPENINGS = new Map<string, RegExp>();
function yearOpening(years: readonly number[]): RegExp {
  const key = years.join("|");
  let re = YEAR_OPENINGS.get(key);
  if (!re) {
    if (YEAR_OPENINGS.size >= 256) YEAR_OPENINGS.clear();
    re = new RegExp(`(?:^|[。；;！？!?\\n])\\s*(?:在|截至|截止)?(?:${key})年`);
    YEAR_OPENINGS.set(key, re);
  }
  return re;
}

/** The search terms without the tokens of the given years (2026, 2026年, 2026年度). */
function withoutYears(weighted: Map<string, number>, years: readonly number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [term, weight] of weighted) {
    const year = /^((?:19|20)\d{2})(?:年度?)?$/.exec(term)?.[1];
    if (!year || !years.includes(Number(year))) out.set(term, weight);
  }
  return out;
}

/** Weight of the year-scoped keyword candidates, relative to the unscoped list. */
const SCOPED_WEIGHT = 0.5;

/**
 * How far a keyword list's rows of one long table push the passages behind them. A question that
 * names no row (松江幼儿园招生打哪个电话) matches every row of a long table alike — 松江区…幼儿园, the
 * column 招生咨询电话, in few words — and two hundred of them would fill the candidate list before the
 * sentence stating it for the whole district (本区学前教育阶段招生咨询电话：57821271) is reached: rank
 * fusion counts each row as one more independent result. After the first LIST_ROWS_PER_TABLE rows of
 * a table, each further row counts as FURTHER_ROW_RANK of a place in the ranks of the other passages
 * behind it, and keeps its own place as read. An index in memory reads the list KEYWORD_OVERFETCH
 * times as deep, to the same number of places.
 */
const LIST_ROWS_PER_TABLE = 8;
const FURTHER_ROW_RANK = 0.1;
const KEYWORD_OVERFETCH = 2;

/** A keyword list's hits with their rank as fusion reads it (rows of long tables compressed), to `places` places. */
function withTableRanks<T extends { label: number }>(hits: readonly T[], passageOf: (label: number) => Passage | undefined, places: number): Array<{ hit: T; rank: number }> {
  const rows = new Map<string, number>();
  const out: Array<{ hit: T; rank: number }> = [];
  // Other passages are ranked behind the rows at their compressed count; the further rows keep
  // their place in the list as read (they are not lifted by their own table's compression).
  let compressed = 0;
  let position = 0;
  for (const hit of hits) {
    if (compressed >= places) break;
    const passage = passageOf(hit.label);
    const table = passage && tableOf(passage);
    const n = table === undefined ? 0 : (rows.get(table) ?? 0) + 1;
    if (table !== undefined) rows.set(table, n);
    const further = n > LIST_ROWS_PER_TABLE;
    out.push({ hit, rank: further ? position : compressed });
    compressed += further ? FURTHER_ROW_RANK : 1;
    position++;
  }
  return out;
}

/**
 * Tuned on the dev set inside the 10k and 100k benchmark haystacks (see README › Performance) and
 * checked on test/eval/calibration.jsonl: deep candidate lists, every candidate re-scored by its
 * best sentence, and that sentence-level evidence weighted well above the fused rank.
 */
export const DEFAULT_FUSION: FusionParams = {
  rrfK: 20,
  keywordWeight: 1,
  vectorWeight: 1,
  yearBoost: 1.6,
  candidates: 200,
  rerankDepth: 1000,
  rerankWeight: 3,
  answerBonus: 0.3,
};

export interface RetrieverDeps {
  index: SearchIndex;
  tokenize: Tokenize;
  embeddings: EmbeddingsInterface;
  /** The segmenter's general IDF (kept for the embedder's features; scoring uses the index's own statistics). */
  idf?: (word: string) => number | undefined;
  fusion?: Partial<FusionParams>;
  /** Today, for 今年/去年 in questions (defaults to the clock). */
  today?: () => Date;
  /** Keyword index queried per request (D1 on Workers); defaults to the index's in-memory BM25. */
  keyword?: KeywordSource;
  /** Passages fetched per request for the candidates (D1 on Workers); defaults to the index in memory. */
  passages?: PassageSource;
}

/** A passage's sentences for scoring: a label line is read with the line it labels (labelledLines). */
function sentencesOf(text: string): string[] {
  return labelledLines(text).flatMap((line) => line.split(SENTENCE_END_IN_LINE));
}
const SENTENCE_END_IN_LINE = /[。；;!?！？]/;

/** The passages' folded texts, read one by one (no array of them is made). */
function* foldedTexts(passages: readonly Passage[]): Iterable<string> {
  for (const passage of passages) yield passage.folded;
}

/** Spans of questions looked up in the passages' text, kept with what was found. */
const SPELLED_CACHE_SIZE = 1024;
/** Candidates whose text a shortened name of an in-domain question is looked up in. */
const SPELLING_POOL = 100;

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
  /** Per place-scope id, which scope ids are compatible with it (built once per facets). */
  private compatible?: { facets: PassageFacets; byScope: Map<number, Uint8Array> };
  /** Per place-scope id, the years its passages' documents have (built once per facets). */
  private scopeYears?: { facets: PassageFacets; byScope: Map<number, Set<number>> };

  constructor(private readonly deps: RetrieverDeps) {
    this.fusion = { ...DEFAULT_FUSION, ...deps.fusion };
    this.tokenize = memoize(deps.tokenize, TOKEN_CACHE_SIZE);
  }

  get index(): SearchIndex {
    return this.deps.index;
  }

  /** The index's term statistics: one IDF for every stage that weighs the question's words. */
  get statistics(): TermStatistics {
    const { index } = this.deps;
    const keyword = this.deps.keyword ?? index.keyword;
    const characters = index.knowledge.characters;
    return {
      passages: this.deps.passages?.count ?? index.passages.length,
      documentFrequency: (term) => keyword.documentFrequency(term),
      ...(characters ? { containing: (term: string) => characters[term] } : {}),
    };
  }

  /**
   * The question-analysis stage over this index's knowledge (computed once per request by the caller).
   * `spelledOut: false` skips the look-up of shortened names in the passages' text (a pass over every
   * passage for a question that would be refused): for reading many logged questions at once.
   */
  analyze(question: string, history: ChatTurnLike[] = [], options: { spelledOut?: boolean } = {}): AnalyzedQuestion {
    const { idf } = this.deps;
    return analyzeQuestion(question, history, {
      tokenize: this.tokenize,
      knowledge: this.deps.index.knowledge,
      ...(this.latestDocumentYear !== undefined ? { latestDocumentYear: this.latestDocumentYear } : {}),
      ...(this.deps.today ? { today: this.deps.today() } : {}),
      ...(idf ? { isWord: (word: string) => idf(word) !== undefined, specificity: idf } : {}),
      // Read from the passages in memory; an index queried per request (D1) has none to read.
      ...(this.deps.passages || options.spelledOut === false ? {} : { spelledOut: (asks: readonly SpelledOutAsk[]) => this.spelledOut(asks), inVocabulary: (term: string) => this.deps.index.keyword.documentFrequency(term) > 0 }),
    });
  }

  /**
   * The newest year of the index's documents (AnalysisContext.latestDocumentYear), read once from the
   * passages' facets: the same on every back end (a D1 Worker holds no documents in memory, but their
   * years per passage).
   */
  private get latestDocumentYear(): number | undefined {
    if (!this.latestYear) {
      let latest = NO_YEAR;
      for (const year of this.passageFacets().years) if (year > latest) latest = year;
      this.latestYear = { value: latest === NO_YEAR ? undefined : latest };
    }
    return this.latestYear.value;
  }
  private latestYear?: { value: number | undefined };

  /** Question words looked up in the passages' text, and what was found (bounded, emptied when full). */
  private readonly spelled = new Map<string, SpelledOut | null>();

  /** Each question word as the passages write it out (spelled-out.ts), or undefined: one pass for the words not looked up before. */
  private spelledOut(asks: readonly SpelledOutAsk[]): Array<SpelledOut | undefined> {
    const keyOf = (ask: SpelledOutAsk) => `${ask.word}\n${ask.spans.join("|")}`;
    const { index, idf } = this.deps;
    // Every character of the word in some passage (Knowledge.characters), or nothing to read for.
    const characters = index.knowledge.characters;
    const possible = (word: string) => !characters || [...word].every((c) => (characters[c] ?? 0) > 0);
    const fresh = asks.filter((ask) => !this.spelled.has(keyOf(ask)));
    if (fresh.length) {
      const read = fresh.filter((ask) => possible(ask.word));
      // The segmenter itself, not its memo: the contexts read are one-off strings.
      const found = spellOut(read, { texts: foldedTexts(index.passages), tokenize: this.deps.tokenize, passages: index.passages.length, ...(idf ? { generalIdf: idf } : {}), defaultIdf: DEFAULT_GENERAL_IDF });
      if (this.spelled.size + fresh.length > SPELLED_CACHE_SIZE) this.spelled.clear();
      for (const ask of fresh) this.spelled.set(keyOf(ask), found[read.indexOf(ask)] ?? null);
    }
    return asks.map((ask) => this.spelled.get(keyOf(ask)) ?? undefined);
  }

  async search(question: string | AnalyzedQuestion, options: SearchOptions = {}): Promise<RetrievedPassage[]> {
    return (await this.retrieve(question, options)).hits;
  }

  /**
   * The hits, and the question as retrieval read it: with the written-out words of a shortened name
   * its candidates hold (保育教育费 for 保教费), which the later stages score as the reranker did.
   */
  async retrieve(question: string | AnalyzedQuestion, options: SearchOptions = {}): Promise<{ hits: RetrievedPassage[]; query: AnalyzedQuestion }> {
    const k = options.k ?? 5;
    const query = typeof question === "string" ? this.analyze(question) : question;
    const { index } = this.deps;
    const { rrfK, keywordWeight, vectorWeight, yearBoost, candidates } = this.fusion;
    const optionFilter = this.filterFor(options);

    // A question that names a year also gets keyword candidates from documents of that year: in a
    // large corpus, yearly reports repeat the same sentences with other figures, and the named
    // year's passage can fall out of the unscoped top 40 before the year boost ever sees it.
    // Likewise a question gets candidates from the documents of its place scope: the bureau's own
    // (a question that names no district) or the district it names. A scaled-up corpus holds every
    // district's yearly report, whose sentences repeat the city's with other figures.
    const scope = this.scopeOf(query);
    // A question about one place is not answered from another place's documents (松江's special
    // school for a 长宁 parent): only its own, those of the places it lies in (the city's
    // regulation) or that lie in it, and the bureau's own.
    const placeFilter = scope !== undefined ? this.compatibleWith(scope) : undefined;
    const filter = optionFilter && placeFilter ? (label: number) => optionFilter(label) && placeFilter(label) : (optionFilter ?? placeFilter);
    // The years the question names that its place's documents have: a notice of 2019 is the one a
    // parent of that district means by 今年 (read as this calendar year), and another district's
    // notice of this year must not win on the year.
    const askedYears = scope !== undefined ? this.yearsInScope(query.years, scope) : query.years;
    const years = askedYears.length && options.year === undefined ? askedYears : undefined;
    // Nor are the dropped years searched as words (2026, 2026年 in the other district's titles).
    const dropped = query.years.filter((y) => !askedYears.includes(y));
    const weighted = dropped.length ? withoutYears(query.weighted, dropped) : query.weighted;
    const scoped = years || scope !== undefined ? this.filterFor({ ...options, ...(years ? { years } : {}), ...(scope !== undefined ? { scope } : {}) }) : undefined;
    const keyword: KeywordSource = this.deps.keyword ?? index.keyword;
    // A database-backed index (D1) first fetches what both lists read — the terms' postings with
    // their document frequencies and the vector's feature postings — in one round trip. A dense
    // vector comes from an embedding service: that call runs while the terms are fetched.
    const dense = index.vectors.dimensions > 0;
    const embedding = keyword.prefetch && dense ? this.queryVector(query) : undefined;
    embedding?.catch(() => {});
    const early = keyword.prefetch && !dense ? await this.queryVector(query) : undefined;
    const prefetched = keyword.prefetch ? await keyword.prefetch(weighted, early) : undefined;
    // Otherwise a database-backed keyword index returns a Promise: its query runs while the vector
    // side is searched, and is awaited after it.
    // Read deeper where the passages are in memory; a database-backed index reads its candidates'
    // passages for each request, so it compresses the rows' ranks within the usual depth.
    const depth = this.deps.passages ? candidates : candidates * KEYWORD_OVERFETCH;
    const keywordLists = keyword.searchWeightedLists(weighted, depth, scoped ? [filter, scoped] : [filter], prefetched);
    if (keywordLists instanceof Promise) keywordLists.catch(() => {});
    const vector = early ?? (await (embedding ?? this.queryVector(query)));
    // A store that filters on its own metadata (Vectorize) also gets the asked years' nearest passages.
    const hints: VectorSearchHints | undefined = options.year !== undefined ? { years: [options.year], strict: true } : years ? { years, ...(scoped ? { scoped } : {}) } : undefined;
    let vectorHits: VectorSearchHit[];
    try {
      vectorHits = await index.vectors.search(vector, candidates, filter, prefetched, hints);
    } catch (error) {
      // A store's own failure (Vectorize: vectors missing for this build) is not a filter problem.
      if (isAppError(error)) throw error;
      // hnswlib throws when a filter leaves fewer candidates than asked for; retry without the cap.
      vectorHits = (await index.vectors.search(vector, index.vectors.size, undefined, prefetched, hints)).filter((h) => !filter || filter(h.label)).slice(0, candidates);
    }
    const [deepKeyword = [], deepScoped = []] = await keywordLists;
    // Passages not held in memory are fetched for the whole candidate list at once.
    const fetched = this.deps.passages ? await this.deps.passages.resolve([...new Set([...deepKeyword, ...deepScoped, ...vectorHits].map((h) => h.label))]) : undefined;
    const passageOf = (label: number) => (fetched ? fetched.get(label)?.passage : index.passages[label]);
    const keywordHits = withTableRanks(deepKeyword, passageOf, candidates);
    const scopedHits = withTableRanks(deepScoped, passageOf, candidates);

    const fused = new Map<number, { score: number; signals: SearchSignals }>();
    const entry = (label: number) => {
      let e = fused.get(label);
      if (!e) fused.set(label, (e = { score: 0, signals: {} }));
      return e;
    };
    keywordHits.forEach(({ hit, rank }) => {
      const e = entry(hit.label);
      e.score += keywordWeight / (rrfK + rank + 1);
      e.signals.keywordRank = rank + 1;
      e.signals.keywordScore = hit.score;
    });
    // A passage in both lists keeps the larger of its two keyword contributions.
    scopedHits.forEach(({ hit, rank }) => {
      const share = (keywordWeight * SCOPED_WEIGHT) / (rrfK + rank + 1);
      const unscopedRank = fused.get(hit.label)?.signals.keywordRank;
      const unscoped = unscopedRank === undefined ? 0 : keywordWeight / (rrfK + unscopedRank);
      if (share <= unscoped) return;
      const e = entry(hit.label);
      e.score += share - unscoped;
      if (e.signals.keywordRank === undefined) {
        e.signals.keywordRank = candidates + rank + 1;
        e.signals.keywordScore = hit.score;
      }
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
      const passage = passageOf(label);
      if (!passage) continue;
      const doc = fetched ? fetched.get(label)?.doc : index.docById.get(passage.docId);
      if (!doc) continue;
      let boosted = score;
      if (askedYears.length && ofYear(passage, doc, askedYears)) boosted *= yearBoost;
      results.push({ passage, doc, score: boosted, signals });
    }
    results.sort((a, b) => b.score - a.score || a.passage.ordinal - b.passage.ordinal);
    const searched = this.withCandidateSpellings(query, results);
    const ranked = this.fusion.rerankDepth > 0 && results.length > 1 ? this.rerank(results, searched, k, scope, askedYears) : results;
    return { hits: withOtherThanOneTable(ranked, k), query: searched };
  }

  /**
   * The question with the shortened names its candidates write out (AnalyzedQuestion.shortened): read
   * in the best SPELLING_POOL candidates' text only, so it costs the same at any index size; kept as
   * the whole-corpus look-up keeps them (foundSpellings).
   */
  private withCandidateSpellings(query: AnalyzedQuestion, results: readonly RetrievedPassage[]): AnalyzedQuestion {
    if (!query.shortened?.length) return query;
    const { idf } = this.deps;
    const texts = results.slice(0, SPELLING_POOL).map((r) => r.passage.folded);
    // A corpus word the candidates write as the question does needs no other spelling: not read for (a
    // cost guard; what it would find there is the word itself, which the question searches already).
    const asks = query.shortened.filter((ask) => !ask.known || !texts.some((t) => t.includes(ask.word)));
    if (!asks.length) return query;
    const found = spellOut(asks, {
      texts,
      tokenize: this.deps.tokenize,
      passages: this.statistics.passages,
      ...(idf ? { generalIdf: idf } : {}),
      defaultIdf: DEFAULT_GENERAL_IDF,
    });
    return withSpellings(query, foundSpellings(found, this.deps.index.knowledge));
  }

  /** The question in the vector index's terms: sparse features or a dense embedding. */
  private async queryVector(query: AnalyzedQuestion): Promise<VectorQuery> {
    const { embeddings, index } = this.deps;
    if (embeddings instanceof HashingEmbeddings) {
      // The analysed terms, expansions at their weight: the question is not segmented again.
      if (index.vectors instanceof SparseVectorIndex || index.vectors.id === SparseVectorIndex.ID) return embeddings.sparseWeighted(query.weighted, query.folded);
      return embeddings.embedTokens([...query.weighted.keys()], query.folded);
    }
    return embeddings.embedQuery(query.text);
  }

  /**
   * Passage-level fusion favours long passages that mention many query words in different
   * sentences, and in a large corpus the passage that states the fact can sit hundreds of places
   * down a list of passages on the same topic. Every fused candidate is therefore re-scored by its
   * best single sentence (the question's words together, as an answer would quote them, plus the
   * kind of figure the question asks for), with the named year's passages lifted.
   *
   * Cheap bound first: a passage's coverage is at most that of its whole text, so passages are
   * taken in order of that bound and sentence-level scoring stops once no remaining bound can
   * enter the top `keep`.
   */
  private rerank(results: RetrievedPassage[], query: AnalyzedQuestion, keep: number, scope: number | undefined, years: readonly number[]): RetrievedPassage[] {
    const depth = Math.min(this.fusion.rerankDepth, results.length);
    const inYear = (hit: RetrievedPassage) => years.length > 0 && ofYear(hit.passage, hit.doc, years);
    const inScope = (hit: RetrievedPassage) => scope !== undefined && this.documentScopeId(hit.doc) === scope;
    // Passages from a year the question names are re-scored even when fusion left them below the
    // head: with many yearly reports repeating one sentence, the named year's copy must compete on
    // its sentence, not on a rank that the other years' copies pushed down.
    const extra = results.slice(depth).filter(inYear).slice(0, YEAR_RERANK_EXTRA);
    const head = [...results.slice(0, depth), ...extra];
    const rest = results.slice(depth).filter((hit) => !extra.includes(hit));
    const coverage = this.coverageScorer(query);
    const weight = this.fusion.rerankWeight;
    const top = head[0]!.score || 1;
    const bounded = head.map((hit) => {
      const base = hit.score / top + (inYear(hit) ? YEAR_RERANK_BONUS : 0) + (inScope(hit) ? SCOPE_RERANK_BONUS : 0);
      return { hit, base, bound: base + weight * coverage.bound(hit.passage) };
    });
    bounded.sort((a, b) => b.bound - a.bound || a.hit.passage.ordinal - b.hit.passage.ordinal);
    const scored: RetrievedPassage[] = [];
    // The best `keep` scores so far, descending: once full, its last entry is the bar to enter.
    const best: number[] = [];
    let next = 0;
    for (; next < bounded.length; next++) {
      const { hit, base, bound } = bounded[next]!;
      if (best.length >= keep && bound < best[keep - 1]!) break;
      hit.score = base + weight * coverage.exact(hit.passage);
      scored.push(hit);
      let at = best.length;
      while (at > 0 && best[at - 1]! < hit.score) at--;
      best.splice(at, 0, hit.score);
      if (best.length > keep) best.pop();
    }
    scored.sort((a, b) => b.score - a.score || a.passage.ordinal - b.passage.ordinal);
    // A head of one table's rows (withOtherThanOneTable): passages of another kind whose bound can
    // come close to the first are scored too, below the bar of the top `keep`, in order of their
    // bound, until as many reach OTHER_KIND_CLOSE of the first as there are places after the rows.
    const table = oneTableHead(scored);
    if (table !== undefined) {
      const bar = scored[0]!.score * OTHER_KIND_CLOSE;
      // Passages of another kind scored above already count towards those places.
      let reached = scored.filter((h) => tableOf(h.passage) !== table && h.score >= bar).length;
      for (; next < bounded.length && bounded[next]!.bound >= bar && reached < keep - ONE_TABLE_ROWS; next++) {
        const { hit, base } = bounded[next]!;
        if (tableOf(hit.passage) === table) continue;
        hit.score = base + weight * coverage.exact(hit.passage);
        scored.push(hit);
        if (hit.score >= bar) reached++;
      }
      scored.sort((a, b) => b.score - a.score || a.passage.ordinal - b.passage.ordinal);
    }
    return [...scored, ...rest];
  }

  /**
   * Coverage of the question by one sentence (scoring.ts: the index's IDF, expansions at their
   * weight), plus `answerBonus` when it holds the asked kind of figure. `bound` is the same over the
   * whole passage, an upper bound of `exact`.
   */
  private coverageScorer(query: AnalyzedQuestion): { bound(p: Passage): number; exact(p: Passage): number } {
    const terms = scoringTerms(query, this.statistics);
    if (!terms.some((t) => t.counts)) return { bound: () => 0, exact: () => 0 };
    const quantity = query.attribute === "how-many" || query.attribute === "money";
    const testable = quantity || query.attribute === "when" || query.attribute === "where";
    const bonus = this.fusion.answerBonus > 0 && testable ? this.fusion.answerBonus : 0;
    const strength = (text: string) => (quantity ? answerFigureStrength(text, query.units) : answersAttribute(text, query) ? 1 : 0);
    // The headings a passage sits under (a table row's caption) count as context at HEADING_FACTOR.
    // `whole`: the passage's whole text, scored as a bound of its sentences: a sentence without the
    // negated word loses nothing where the whole text holds it plainly.
    // `asked`: a Q&A pair's question, read with each sentence of its answer (below).
    const score = (text: string, heading: { text: string; factor: number } | undefined, whole = false, asked = "") => {
      const share = coverage(asked ? `${asked}\n${text}` : text, terms, heading);
      if (share <= 0) return share;
      // Under a heading that negates (⑷…积分未达到标准分值), a sentence is on that heading's side.
      const agreement = query.negated?.length ? polarity(heading ? `${heading.text}\n${text}` : text, query.negated) : 0;
      // A catchment list that holds the asked house number (武夷路:15弄-373号 for 武夷路200号), or lists its street without it.
      // As a bound, any passage that names the street's last three characters may hold a sentence that lists the number.
      const listing = !query.address ? 0 : whole ? (text.includes(addressCue(query.address)) ? 1 : 0) : addressMatch(text, query.address);
      return share + (bonus ? bonus * strength(text) : 0) + POLARITY_WEIGHT * (whole ? Math.max(0, agreement) : agreement) + ADDRESS_WEIGHT * listing;
    };
    // A named-column table row's column names count there too (passageStatement).
    const contextOf = (context: string) => (context ? { text: context, factor: HEADING_FACTOR } : undefined);
    return {
      // A Q&A pair's answer speaks of what its question asks (幼儿是托班年龄 answers 2016年9月1日以后出生
      // 的幼儿…？): the question is the subject of each answer sentence, statement rather than heading.
      bound: (passage) => {
        const { text, context, question } = passageStatement(passage);
        return score(text, contextOf(context), true, question);
      },
      exact: (passage) => {
        const { text, context, question } = passageStatement(passage);
        const heading = contextOf(context);
        let best = 0;
        for (const sentence of sentencesOf(text)) best = Math.max(best, score(sentence, heading, false, question));
        return best;
      },
    };
  }

  /**
   * The id of the question's place scope among the index's document scopes, or undefined when the
   * index has a single scope (every document the bureau's own: the scoped list would repeat the
   * unscoped one) or none of its documents is of that scope.
   */
  private scopeOf(query: AnalyzedQuestion): number | undefined {
    const { scopeIds } = this.passageFacets();
    if (scopeIds.size < 2) return undefined;
    return scopeIds.get(placeScope(query.places));
  }

  private docScopes = new Map<string, number>();

  /** The place-scope id of a candidate's document (−1: a scope no passage of the index has). */
  private documentScopeId(doc: DocumentMeta): number {
    let id = this.docScopes.get(doc.id);
    if (id === undefined) {
      if (this.docScopes.size > 10_000) this.docScopes.clear();
      id = this.passageFacets().scopeIds.get(documentScope(doc, this.deps.index.knowledge.places)) ?? -1;
      this.docScopes.set(doc.id, id);
    }
    return id;
  }

  private filterFor(options: SearchOptions & { years?: number[]; scope?: number }): ((label: number) => boolean) | undefined {
    if (options.year === undefined && options.kind === undefined && !options.years && options.scope === undefined) return undefined;
    // Per-passage year and kind in typed arrays (built once per index): a filter is asked for
    // thousands of candidates per question at 100,000 passages.
    const { years, kinds, kindIds, scopes } = this.passageFacets();
    const scope = options.scope ?? -1;
    const kind = options.kind === undefined ? -1 : options.kind === NO_KIND ? -2 : (kindIds.get(options.kind) ?? -2);
    const wanted = options.years ?? (options.year !== undefined ? [options.year] : undefined);
    return (label) => {
      if (label < 0 || label >= years.length || kinds[label] === -1) return false;
      if (wanted && !wanted.includes(years[label]!)) return false;
      if (kind !== -1 && kinds[label] !== kind) return false;
      if (scope !== -1 && scopes[label] !== scope) return false;
      return true;
    };
  }

  private facets?: PassageFacets & { index: SearchIndex };

  /**
   * A label filter: passages whose document's place scope is compatible with `scope`
   * (placesCompatible); undefined when every scope of the index is (a question at the bureau's own level).
   */
  private compatibleWith(scope: number): ((label: number) => boolean) | undefined {
    const facets = this.passageFacets();
    let cached = this.compatible?.facets === facets ? this.compatible.byScope.get(scope) : undefined;
    if (!cached) {
      const codes: string[] = [];
      for (const [code, id] of facets.scopeIds) codes[id] = code;
      const asked = codes[scope] ?? OWN_SCOPE;
      const ok = new Uint8Array(codes.length);
      codes.forEach((code, id) => (ok[id] = placesCompatible(asked, code) ? 1 : 0));
      if (this.compatible?.facets !== facets) this.compatible = { facets, byScope: new Map() };
      this.compatible.byScope.set(scope, (cached = ok));
    }
    const ok = cached;
    if (ok.every((v) => v === 1)) return undefined;
    const { scopes } = facets;
    return (label) => {
      const id = scopes[label]!;
      return id < 0 || ok[id] === 1;
    };
  }

  /** Of `years`, those some passage of the place scope `scope` has (its document's year). */
  private yearsInScope(years: readonly number[], scope: number): number[] {
    if (!years.length) return [];
    const facets = this.passageFacets();
    let byScope = this.scopeYears?.facets === facets ? this.scopeYears.byScope : undefined;
    if (!byScope) {
      byScope = new Map();
      for (let label = 0; label < facets.scopes.length; label++) {
        const id = facets.scopes[label]!;
        if (!byScope.has(id)) byScope.set(id, new Set());
        byScope.get(id)!.add(facets.years[label]!);
      }
      this.scopeYears = { facets, byScope };
    }
    const held = byScope.get(scope);
    return years.filter((y) => held?.has(y));
  }

  /** Year (NO_YEAR when unknown) and kind id of every passage's document; kind −1: no document. */
  private passageFacets(): PassageFacets {
    if (this.deps.passages) return this.deps.passages.facets();
    const { index } = this.deps;
    if (this.facets?.index !== index) {
      // Per-passage year and kind in typed arrays (built once per index): a filter is asked for
      // thousands of candidates per question at 100,000 passages.
      this.facets = { index, ...computePassageFacets(index.passages, index.docById, index.knowledge.places) };
    }
    return this.facets;
  }
}

