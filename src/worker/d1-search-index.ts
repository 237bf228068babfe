import { createError } from "../core/errors.js";
import { parseKnowledge, type Knowledge } from "../core/knowledge/knowledge.js";
import { KEYWORD_FIELD_BOOSTS } from "../core/search/keyword-index.js";
import type { KeywordSource, PassageFacets, PassageSource } from "../core/search/keyword-source.js";
import type { IndexManifest } from "../core/search/search-index.js";
import { isSparseVector, SparseVectorIndex } from "../core/search/sparse-vector-index.js";
import { TopK } from "../core/search/top-k.js";
import type { DocumentMeta, KeywordSearchHit, Passage, PrefetchedPostings, SparseVector, VectorIndex, VectorQuery, VectorSearchHit } from "../core/types.js";
import type { D1Binding } from "./d1-store.js";
import {
  type TermPostings,
  BM25,
  D1_INDEX_FORMAT,
  decodeFacets,
  decodeFeatureScales,
  decodeFieldLengths,
  FACETS_BLOB,
  FEATURE_SCALES_BLOB,
  FIELD_LENGTHS_BLOB,
  gunzip,
  KNOWLEDGE_BLOB,
  LEXICON_BLOB,
  parsePassageRow,
  decodeFeaturePostings,
  decodeTermPostings,
  fromBase64,
  type D1BuildMeta,
  type FacetIds,
} from "./d1-index-schema.js";

/** The command that fills D1, named in every D1 load error. */
export const DEPLOY_INDEX = "npm run deploy:index";

const FIELD_BOOSTS = [KEYWORD_FIELD_BOOSTS.title, KEYWORD_FIELD_BOOSTS.section, KEYWORD_FIELD_BOOSTS.text];
/** Document frequencies kept from the keyword queries, for the scoring of the same requests. */
const DF_CACHE_SIZE = 16_384;

/**
 * Decoded postings kept per isolate within a byte budget, as a segmented LRU: a list enters on
 * probation and is protected once a second search asks for it; room is made from the probation
 * segment first. Searches go round a vocabulary larger than the budget, where a plain LRU keeps
 * nothing (each list is out before its term comes back); here the lists that many questions share
 * — 教育, 学生, the bigrams of the common words — stay, and a term asked once passes through.
 * Lists longer than a quarter of the budget are not kept.
 */
export class PostingsCache<K, V> {
  private readonly probation = new Map<K, { value: V; bytes: number }>();
  private readonly protectedEntries = new Map<K, { value: V; bytes: number }>();
  private held = 0;
  private protectedBytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly budgetBytes: number,
    /** Share of the budget the protected segment may fill. */
    private readonly protectedShare = 0.8,
  ) {}

  get(key: K): V | undefined {
    const kept = this.protectedEntries.get(key);
    if (kept) {
      this.hits++;
      this.protectedEntries.delete(key);
      this.protectedEntries.set(key, kept);
      return kept.value;
    }
    const entry = this.probation.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Asked again: protected; the protected segment's least recent go back on probation.
    this.probation.delete(key);
    this.protectedEntries.set(key, entry);
    this.protectedBytes += entry.bytes;
    for (const [oldest, demoted] of this.protectedEntries) {
      if (this.protectedBytes <= this.budgetBytes * this.protectedShare) break;
      this.protectedEntries.delete(oldest);
      this.protectedBytes -= demoted.bytes;
      this.probation.set(oldest, demoted);
    }
    return entry.value;
  }

  set(key: K, value: V, bytes: number): void {
    if (bytes > this.budgetBytes / 4) return;
    this.remove(key);
    this.probation.set(key, { value, bytes });
    this.held += bytes;
    for (const segment of [this.probation, this.protectedEntries]) {
      for (const [oldest, entry] of segment) {
        if (this.held <= this.budgetBytes) return;
        segment.delete(oldest);
        this.held -= entry.bytes;
        if (segment === this.protectedEntries) this.protectedBytes -= entry.bytes;
      }
    }
  }

  private remove(key: K): void {
    const old = this.probation.get(key) ?? this.protectedEntries.get(key);
    if (!old) return;
    this.held -= old.bytes;
    if (this.protectedEntries.delete(key)) this.protectedBytes -= old.bytes;
    this.probation.delete(key);
  }

  get bytes(): number {
    return this.held;
  }

  clear(): void {
    this.probation.clear();
    this.protectedEntries.clear();
    this.held = 0;
    this.protectedBytes = 0;
  }
}

/**
 * Per-isolate budgets of postings (the isolate's whole budget is 30 MB; README › D1), held as
 * fetched — varint bytes, a posting ≈ 1.3 bytes for a term and ≈ 2 for a feature, against 6 and 8
 * decoded — and decoded again by each search that reads them (≈ 0.1 ms a list): three to four times
 * the lists in the same memory. A list cut to POSTINGS_HEAD is well within a quarter of its budget.
 */
export const KEYWORD_CACHE_BYTES = 0.8 * 2 ** 20;
export const FEATURE_CACHE_BYTES = 0.3 * 2 ** 20;
/**
 * Documents kept per isolate (parsed rows, ≈ 0.4 KB each), read with the build: a search's ≈ 330
 * candidates come from ≈ 230 documents, which were 40 % of the candidates' rows when fetched with
 * them; at 100,000 passages (829 documents) all are held, and the candidates' fetch is one plain
 * query. A larger corpus fetches the documents it does not hold in one more query.
 */
export const DOCUMENT_CACHE_SIZE = 1024;

type FeaturePostingList = { rows: Uint32Array; weights: Float32Array };
type TermRow = { term: string; part: number; df: number; postings: string };
type FeatureRow = { feature: number; part: number; postings: string };

/** What the cache holds of a term: its postings as fetched (null: no passage holds it) and its df. */
type CachedTerm = { bytes: Uint8Array | null; df: number };

/** Rows of one query, grouped by key: the parts' text joined in part order, then decoded from base64. */
function groupParts<K>(rows: Array<{ key: K; part: number; data: string }>): Map<K, Uint8Array> {
  return new Map([...groupText(rows)].map(([key, text]) => [key, fromBase64(text)]));
}

/** Rows of one query, grouped by key with their text parts joined in part order. */
function groupText<K>(rows: Array<{ key: K; part: number; data: string }>): Map<K, string> {
  const parts = new Map<K, Array<{ part: number; text: string }>>();
  for (const row of rows) {
    let list = parts.get(row.key);
    if (!list) parts.set(row.key, (list = []));
    list.push({ part: row.part, text: row.data });
  }
  return new Map([...parts].map(([key, list]) => [key, list.length === 1 ? list[0]!.text : list.sort((a, b) => a.part - b.part).map((p) => p.text).join("")]));
}

type TermEntry = { postings: TermPostings | null; df: number };

/**
 * Per-passage scratch arrays of one scoring pass (the keyword lists, then the vector list), reused
 * from search to search. Allocated per search they were ≈ 2.6 MB of typed arrays at 100,000
 * passages, memory outside V8's heap: every ≈ 25 searches that growth set off a full collection of
 * the isolate, the slowest searches of a run. A pass leaves them as it found them — all zero,
 * resetting only the passages it touched — and runs without an await, so the passes of concurrent
 * requests never interleave. Held through a WeakRef: a full collection may take them back while
 * the isolate is idle, and the next search allocates them again.
 */
class Scratch {
  private static held?: WeakRef<Scratch>;
  /** Keyword scores (float64, as the in-memory index sums them). */
  readonly scores: Float64Array;
  /** Vector scores (float32, as SparseVectorIndex sums them), over the same bytes: another pass. */
  readonly similarities: Float32Array;
  /** Per passage: question terms matched (keyword pass) or seen (vector pass). */
  readonly marks: Uint8Array;
  /** Per passage: 1 + the index of the last question term that matched it (0: none yet). */
  readonly lastTerm: Int32Array;
  /** The passages the pass touched: the first `count`. */
  readonly touched: Uint32Array;
  count = 0;

  private constructor(n: number) {
    const bytes = new ArrayBuffer(n * 8);
    this.scores = new Float64Array(bytes);
    this.similarities = new Float32Array(bytes, 0, n);
    this.marks = new Uint8Array(n);
    this.lastTerm = new Int32Array(n);
    this.touched = new Uint32Array(n);
  }

  /** Clean scratch for `n` passages. */
  static take(n: number): Scratch {
    let scratch = Scratch.held?.deref();
    if (!scratch || scratch.marks.length !== n) Scratch.held = new WeakRef((scratch = new Scratch(n)));
    return scratch;
  }

  /** All zero again after a keyword pass. */
  releaseScores(): void {
    const { scores, marks, lastTerm, touched } = this;
    for (let t = 0; t < this.count; t++) {
      const d = touched[t]!;
      scores[d] = 0;
      marks[d] = 0;
      lastTerm[d] = 0;
    }
    this.count = 0;
  }

  /** All zero again after a vector pass. */
  releaseSimilarities(): void {
    const { similarities, marks, touched } = this;
    for (let t = 0; t < this.count; t++) {
      const d = touched[t]!;
      similarities[d] = 0;
      marks[d] = 0;
    }
    this.count = 0;
  }
}

/**
 * The postings one search reads, fetched by D1KeywordIndex.prefetch: every term of the question
 * (with its document frequency) and every feature of its vector, from the isolate's caches or from
 * D1 — both tables in one batch, one round trip.
 */
class D1Prefetch implements PrefetchedPostings {
  readonly prefetched = true;
  readonly terms = new Map<string, TermEntry>();
  readonly features = new Map<number, FeaturePostingList | null>();
}

const TERMS_QUERY = "SELECT term, part, df, postings FROM index_term_postings WHERE build = ?1 AND term IN (SELECT value FROM json_each(?2))";
const FEATURES_QUERY = "SELECT feature, part, postings FROM index_feature_postings WHERE build = ?1 AND feature IN (SELECT value FROM json_each(?2))";

/**
 * BM25 over postings in D1: one query fetches the postings and document frequencies of every
 * question term (bound as one JSON array, so a question of any length is one statement within
 * D1's 100-parameter limit), then the passages are scored in the isolate exactly as
 * Bm25KeywordIndex scores them, so the `d1` and `bundled` back ends return the same lists.
 * Scratch arrays live for one call: nothing the size of the corpus stays in the isolate.
 */
export class D1KeywordIndex implements KeywordSource {
  private readonly frequencies = new Map<string, number>();
  /** Postings as fetched (null: no passage holds the term) and document frequency of recent questions' terms. */
  readonly cache = new PostingsCache<string, CachedTerm>(KEYWORD_CACHE_BYTES);

  constructor(
    private readonly db: D1Binding,
    private readonly build: string,
    private readonly meta: D1BuildMeta,
    /** Per field (title, section, text) every passage's length (FIELD_LENGTHS_BLOB). */
    private readonly fieldLengths: readonly Uint16Array[],
    /** The feature postings of the same build, fetched in the same batch by `prefetch`. */
    private readonly vectors?: D1SparseVectorIndex,
  ) {
    if (fieldLengths.length !== 3 || fieldLengths.some((l) => l.length !== meta.passages)) {
      throw createError("INDEX_CORRUPT", `D1 构建 ${build} 的 ${FIELD_LENGTHS_BLOB} 与 ${meta.passages} 个段落不符；请运行 ${DEPLOY_INDEX}`);
    }
  }

  /** Queries made (for the bench and the per-invocation budget; a batch counts once). */
  queries = 0;

  /**
   * The postings of the question's terms and of its vector's features that the isolate does not
   * hold, in one D1 batch (one round trip instead of two concurrent queries); the keyword and the
   * vector search of the same question read them from the result.
   */
  async prefetch(terms: Map<string, number>, vector?: VectorQuery): Promise<PrefetchedPostings> {
    const out = new D1Prefetch();
    const missingTerms: string[] = [];
    for (const term of terms.keys()) {
      const cached = this.cached(term);
      if (cached === undefined) missingTerms.push(term);
      else out.terms.set(term, cached);
    }
    const missingFeatures = this.vectors && vector && isSparseVector(vector) ? this.vectors.takeCached(vector.ids, out.features) : [];
    const statements = [];
    if (missingTerms.length) statements.push(this.db.prepare(TERMS_QUERY).bind(this.build, JSON.stringify(missingTerms)));
    if (missingFeatures.length) statements.push(this.db.prepare(FEATURES_QUERY).bind(this.build, JSON.stringify(missingFeatures)));
    if (!statements.length) return out;
    this.queries++;
    const results = (await this.db.batch(statements)) as unknown as Array<{ results: unknown[] }>;
    let at = 0;
    if (missingTerms.length) this.keep(missingTerms, results[at++]!.results as TermRow[], out.terms);
    if (missingFeatures.length) this.vectors!.keep(missingFeatures, results[at]!.results as FeatureRow[], out.features);
    return out;
  }

  /** A held term's entry, decoded for this search; undefined when the isolate does not hold it. */
  private cached(term: string): TermEntry | undefined {
    const held = this.cache.get(term);
    return held && { postings: held.bytes ? decodeTermPostings(held.bytes, this.meta.passages) : null, df: held.df };
  }

  /** Decodes fetched term rows into `into` and keeps their bytes; a term asked and not found has df 0. */
  private keep(asked: readonly string[], rows: TermRow[], into: Map<string, TermEntry>): void {
    const fetched = groupParts(rows.map((r) => ({ key: r.term, part: r.part, data: r.postings })));
    const dfs = new Map(rows.map((r) => [r.term, r.df]));
    for (const term of asked) {
      const bytes = fetched.get(term) ?? null;
      const df = dfs.get(term) ?? 0;
      into.set(term, { postings: bytes ? decodeTermPostings(bytes, this.meta.passages) : null, df });
      this.cache.set(term, { bytes, df }, 64 + (bytes?.byteLength ?? 0));
    }
  }

  async searchWeightedLists(terms: Map<string, number>, k: number, filters: Array<((label: number) => boolean) | undefined>, prefetched?: PrefetchedPostings): Promise<KeywordSearchHit[][]> {
    const n = this.meta.passages;
    if (!terms.size || !n || k <= 0) return filters.map(() => []);
    const entries = prefetched instanceof D1Prefetch ? prefetched.terms : new Map<string, TermEntry>();
    const missing: string[] = [];
    for (const term of terms.keys()) {
      if (entries.has(term)) continue;
      const cached = this.cached(term);
      if (cached === undefined) missing.push(term);
      else entries.set(term, cached);
    }
    if (missing.length) {
      this.queries++;
      const { results } = await this.db.prepare(TERMS_QUERY).bind(this.build, JSON.stringify(missing)).all<TermRow>();
      this.keep(missing, results, entries);
    }
    // Every term asked is now known, held or not (df 0): the prefetch of `documentFrequency`.
    const postings = new Map<string, TermPostings | null>();
    for (const term of terms.keys()) {
      const entry = entries.get(term)!;
      postings.set(term, entry.postings);
      this.remember(term, entry.df);
    }

    const scratch = Scratch.take(n);
    try {
      return this.score(terms, postings, k, filters, scratch);
    } finally {
      scratch.releaseScores();
    }
  }

  /** One BM25 pass over the fetched lists (synchronous: the scratch is this pass's alone). */
  private score(terms: Map<string, number>, postings: Map<string, TermPostings | null>, k: number, filters: Array<((label: number) => boolean) | undefined>, scratch: Scratch): KeywordSearchHit[][] {
    const { scores, marks: matched, lastTerm, touched } = scratch;
    const n = this.meta.passages;
    let count = 0;
    let q = 0;
    for (const [term, weight] of terms) {
      const list = postings.get(term);
      if (!list) continue;
      const { fields } = list;
      const qi = ++q;
      for (let f = 0; f < fields.length; f++) {
        const { count: df, labels, tfs } = fields[f]!;
        const lengths = this.fieldLengths[f]!;
        if (!labels.length) continue;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        const scale = weight * FIELD_BOOSTS[f]! * idf;
        const base = scale * BM25.d;
        const top = scale * (BM25.k + 1);
        const average = this.meta.averageLengths[f]!;
        for (let i = 0; i < labels.length; i++) {
          const d = labels[i]!;
          const tf = tfs[i]!;
          // The in-memory index keeps this norm in a Float32Array: rounded alike, scores agree.
          const norm = Math.fround(BM25.k * (1 - BM25.b + (BM25.b * lengths[d]!) / average));
          const seen = lastTerm[d]!;
          if (seen !== qi) {
            if (seen === 0) touched[count++] = d;
            lastTerm[d] = qi;
            matched[d]!++;
          }
          scores[d]! += base + (top * tf) / (tf + norm);
        }
      }
      scratch.count = count;
    }
    // Ties keep the order in which the passages were first reached, as in the in-memory index.
    const tops = filters.map(() => new TopK(k));
    for (let t = 0; t < count; t++) {
      const d = touched[t]!;
      const score = scores[d]! * matched[d]!;
      for (let f = 0; f < filters.length; f++) {
        const top = tops[f]!;
        if (!top.admits(score, t)) continue;
        const filter = filters[f];
        if (filter && !filter(d)) continue;
        top.push(score, t);
      }
    }
    return tops.map((top) => top.drain().map(({ key, score }) => ({ label: touched[key]!, score, terms: [] })));
  }

  /** From the prefetch of this request's keyword query (0 for a term no passage holds). */
  documentFrequency(term: string): number {
    const df = this.frequencies.get(term);
    if (df === undefined) {
      // Every term the question path weighs was in its keyword query; anything else is a bug.
      throw new Error(`document frequency of “${term}” was not prefetched`);
    }
    return df;
  }

  private remember(term: string, df: number): void {
    this.frequencies.delete(term);
    if (this.frequencies.size >= DF_CACHE_SIZE) this.frequencies.delete(this.frequencies.keys().next().value!);
    this.frequencies.set(term, df);
  }
}

/**
 * The hashing model's sparse feature postings in D1: the question's features fetched in one
 * query, cosine accumulated in a Float32Array as SparseVectorIndex does (same order, same rounding,
 * same ties), so the vector list matches the bundled back end's.
 */
export class D1SparseVectorIndex implements VectorIndex {
  readonly id = SparseVectorIndex.ID;
  readonly dimensions = 0;
  queries = 0;
  /** Postings as fetched (null: no passage has the feature) of recent questions' features. */
  readonly cache = new PostingsCache<number, Uint8Array | null>(FEATURE_CACHE_BYTES);

  constructor(
    private readonly db: D1Binding,
    private readonly build: string,
    readonly size: number,
    /** Per passage the scale its feature weights are coded against (FEATURE_SCALES_BLOB). */
    private readonly scales: Float32Array,
  ) {
    if (scales.length !== size) throw createError("INDEX_CORRUPT", `D1 构建 ${build} 的 ${FEATURE_SCALES_BLOB} 有 ${scales.length} 项，应为 ${size}；请运行 ${DEPLOY_INDEX}`);
  }

  /** Puts the held postings of `ids` into `into`; returns the ids it does not hold. */
  takeCached(ids: ArrayLike<number>, into: Map<number, FeaturePostingList | null>): number[] {
    const missing: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (into.has(id)) continue;
      const held = this.cache.get(id);
      if (held === undefined) missing.push(id);
      else into.set(id, held && decodeFeaturePostings(held, this.scales));
    }
    return missing;
  }

  /** Decodes fetched feature rows into `into` and keeps their bytes (null: no passage has the feature). */
  keep(asked: readonly number[], rows: FeatureRow[], into: Map<number, FeaturePostingList | null>): void {
    const fetched = groupParts(rows.map((r) => ({ key: r.feature, part: r.part, data: r.postings })));
    for (const id of asked) {
      const bytes = fetched.get(id) ?? null;
      into.set(id, bytes && decodeFeaturePostings(bytes, this.scales));
      this.cache.set(id, bytes, 64 + (bytes?.byteLength ?? 0));
    }
  }

  async search(query: VectorQuery, k: number, filter?: (label: number) => boolean, prefetched?: PrefetchedPostings): Promise<VectorSearchHit[]> {
    if (!isSparseVector(query)) throw new Error("sparse vector index: the query must be a sparse vector");
    const postings = prefetched instanceof D1Prefetch ? prefetched.features : new Map<number, FeaturePostingList | null>();
    const missing = this.takeCached(query.ids, postings);
    if (missing.length) {
      this.queries++;
      const { results } = await this.db.prepare(FEATURES_QUERY).bind(this.build, JSON.stringify(missing)).all<FeatureRow>();
      this.keep(missing, results, postings);
    }
    const scratch = Scratch.take(this.size);
    try {
      return this.rank(query, k, filter, postings, scratch);
    } finally {
      scratch.releaseSimilarities();
    }
  }

  /** Cosine over the fetched lists, then the top k (synchronous: the scratch is this pass's alone). */
  private rank(query: SparseVector, k: number, filter: ((label: number) => boolean) | undefined, postings: Map<number, FeaturePostingList | null>, scratch: Scratch): VectorSearchHit[] {
    const { similarities: scores, marks: seen, touched } = scratch;
    let count = 0;
    for (let q = 0; q < query.ids.length; q++) {
      const list = postings.get(query.ids[q]!);
      if (!list) continue;
      const { rows, weights } = list;
      const w = query.weights[q]!;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        if (!seen[row]) {
          seen[row] = 1;
          touched[count++] = row;
        }
        scores[row]! += w * weights[i]!;
      }
      scratch.count = count;
    }
    const best = new TopK(Math.max(0, Math.min(k, this.size)));
    for (let t = 0; t < count; t++) {
      const row = touched[t]!;
      const similarity = scores[row]!;
      if (similarity <= 0 || !best.admits(similarity, row)) continue;
      if (filter && !filter(row)) continue;
      best.push(similarity, row);
    }
    return best.drain().map(({ key, score }) => ({ label: key, similarity: score }));
  }
}

/** A passage row: its JSON as stored, or already parsed (PACKED_ROWS_QUERY). */
type PassageRow = { label: number; pid: string; doc: string; data: string | object };

/**
 * The candidates' rows as one JSON value — `[[label, pid, doc, {row}], …]`, each row's JSON
 * embedded as it is — parsed by one JSON.parse: one string crosses from D1 instead of ≈ 350 row
 * objects, each built, serialized and parsed again with its column names, and no string of the
 * result keeps the whole value alive (substrings cut from one would).
 */
const PACKED_ROWS_QUERY =
  "SELECT json_group_array(json_array(label, pid, doc, json(data))) AS packed FROM index_passage_rows WHERE rowid IN (SELECT value FROM json_each(?2)) AND +build = ?1";
const ROWS_QUERY = "SELECT label, pid, doc, data FROM index_passage_rows WHERE rowid IN (SELECT value FROM json_each(?2)) AND +build = ?1";

/** The rows of PACKED_ROWS_QUERY's value; undefined when it is not of that shape. */
function unpackRows(packed: string | null | undefined): PassageRow[] | undefined {
  if (typeof packed !== "string") return undefined;
  const value = JSON.parse(packed) as unknown;
  if (!Array.isArray(value)) return undefined;
  const rows: PassageRow[] = [];
  for (const item of value as unknown[]) {
    if (!Array.isArray(item) || item.length !== 4) return undefined;
    const [label, pid, doc, data] = item as unknown[];
    if (!Number.isInteger(label) || typeof pid !== "string" || typeof doc !== "string" || typeof data !== "object" || data === null) return undefined;
    rows.push({ label: label as number, pid, doc, data });
  }
  return rows;
}

/** Passages fetched per search for the fused candidates (one query), with their documents (cached per isolate). */
export class D1PassageSource implements PassageSource {
  queries = 0;
  /** Parsed document rows (those read with the build, then recent candidates'), least recently used first out. */
  private readonly documentCache = new Map<string, DocumentMeta>();

  constructor(
    private readonly db: D1Binding,
    private readonly build: string,
    readonly count: number,
    private readonly facetTable: PassageFacets,
    /** Document id → its first label (the manifest): a row's ordinal is its label less this. */
    private readonly firstPassages: ReadonlyMap<string, number>,
    /** Documents read with the build (up to DOCUMENT_CACHE_SIZE): the cache's first content. */
    documents: readonly DocumentMeta[] = [],
    /** rowid − label of the build's first passage row (undefined: rows are read by their key). */
    private readonly rowidBase?: number,
  ) {
    for (const doc of documents.slice(0, DOCUMENT_CACHE_SIZE)) this.documentCache.set(doc.id, doc);
  }

  /**
   * The rows of `labels`. With the build's rows at consecutive rowids in label order (as the upload
   * writes them; the base read with the build), by rowid: one lookup in the table's own tree per row
   * instead of one in the (build, label) index and then one in the table — 350 rows in SQLite
   * ≈ 0.5 ms instead of ≈ 2 — and packed into one value (PACKED_ROWS_QUERY). Every row returned
   * carries its label and is checked against the build; a label not found where expected (rows
   * written in another order) is read by its key in one more query, so the answer is the same
   * either way.
   */
  private async rows(labels: readonly number[]): Promise<PassageRow[]> {
    this.queries++;
    if (this.rowidBase === undefined) return this.rowsByLabel(labels);
    const base = this.rowidBase;
    const rowids = JSON.stringify(labels.map((label) => base + label));
    let results: PassageRow[] | undefined;
    try {
      const packed = await this.db.prepare(PACKED_ROWS_QUERY).bind(this.build, rowids).first<{ packed: string | null }>();
      results = unpackRows(packed?.packed);
    } catch {
      // A value past D1's limit (2 MB: ≈ 6,000 rows of this corpus): the same rows as row objects.
    }
    if (!results) {
      this.queries++;
      results = (await this.db.prepare(ROWS_QUERY).bind(this.build, rowids).all<PassageRow>()).results;
    }
    const asked = new Set(labels);
    const found = results.filter((row) => asked.delete(row.label));
    if (!asked.size) return found;
    this.queries++;
    return [...found, ...(await this.rowsByLabel([...asked]))];
  }

  private async rowsByLabel(labels: readonly number[]): Promise<PassageRow[]> {
    const { results } = await this.db
      .prepare("SELECT label, pid, doc, data FROM index_passage_rows WHERE build = ?1 AND label IN (SELECT value FROM json_each(?2))")
      .bind(this.build, JSON.stringify(labels))
      .all<PassageRow>();
    return results;
  }

  private passage(row: PassageRow, title: string): Passage {
    return parsePassageRow<Passage>(row.data, { id: row.pid, docId: row.doc, label: row.label, title, firstPassage: this.firstPassages.get(row.doc) ?? 0 });
  }

  async resolve(labels: readonly number[]): Promise<Map<number, { passage: Passage; doc: DocumentMeta }>> {
    const out = new Map<number, { passage: Passage; doc: DocumentMeta }>();
    if (!labels.length) return out;
    const results = await this.rows(labels);
    // Their documents: from the isolate's cache, the others in one more query (each document once).
    const docs = new Map<string, DocumentMeta>();
    const missing = new Set<string>();
    for (const { doc: id } of results) {
      if (docs.has(id) || missing.has(id)) continue;
      const doc = this.documentCache.get(id);
      if (!doc) missing.add(id);
      else {
        this.documentCache.delete(id);
        this.documentCache.set(id, doc);
        docs.set(id, doc);
      }
    }
    if (missing.size) {
      this.queries++;
      const rows = await this.db.prepare("SELECT data FROM index_documents WHERE build = ?1 AND id IN (SELECT value FROM json_each(?2))").bind(this.build, JSON.stringify([...missing])).all<{ data: string }>();
      for (const row of rows.results) {
        const doc = JSON.parse(row.data) as DocumentMeta;
        docs.set(doc.id, doc);
        this.documentCache.set(doc.id, doc);
        if (this.documentCache.size > DOCUMENT_CACHE_SIZE) this.documentCache.delete(this.documentCache.keys().next().value!);
      }
    }
    for (const row of results) {
      const doc = docs.get(row.doc);
      if (doc) out.set(row.label, { passage: this.passage(row, doc.title), doc });
    }
    return out;
  }

  /** Passages by id (GET /api/passages/:id), one query. */
  async byId(id: string): Promise<{ passage: Passage; doc: DocumentMeta } | undefined> {
    const row = await this.db
      .prepare("SELECT p.label AS label, p.pid AS pid, p.doc AS doc, p.data AS data, d.data AS docData FROM index_passage_rows p JOIN index_documents d ON d.build = p.build AND d.id = p.doc WHERE p.build = ?1 AND p.pid = ?2")
      .bind(this.build, id)
      .first<{ label: number; pid: string; doc: string; data: string; docData: string }>();
    if (!row) return undefined;
    const doc = JSON.parse(row.docData) as DocumentMeta;
    return { passage: this.passage(row, doc.title), doc };
  }

  /** One document's row, or every document's (GET /api/documents). */
  async documents(id?: string): Promise<{ results: string[] }> {
    this.queries++;
    const statement =
      id === undefined
        ? this.db.prepare("SELECT data FROM index_documents WHERE build = ?1 ORDER BY id").bind(this.build)
        : this.db.prepare("SELECT data FROM index_documents WHERE build = ?1 AND id = ?2").bind(this.build, id);
    return { results: (await statement.all<{ data: string }>()).results.map((r) => r.data) };
  }

  facets(): PassageFacets {
    return this.facetTable;
  }
}

export interface D1Index {
  build: string;
  /** The build's lexicon in its compact form (unpacked; the state decodes it, then lets it go). */
  lexicon?: Uint8Array;
  manifest: IndexManifest;
  meta: D1BuildMeta;
  knowledge: Knowledge;
  keyword: D1KeywordIndex;
  vectors: D1SparseVectorIndex;
  passages: D1PassageSource;
}

/**
 * Opens the serving build: its manifest and meta, the files the isolate holds (the lexicon, the
 * knowledge — bounded by the dictionaries, not the corpus — and the facet table) and up to
 * DOCUMENT_CACHE_SIZE documents, in one batch so the pointer cannot move between the reads.
 * Everything else is queried per request.
 */
export async function openD1Index(db: D1Binding): Promise<D1Index> {
  const serving = "(SELECT build FROM index_serving WHERE id = 1)";
  let rows: [Array<{ build: string; state: string; format: string; manifest: string; meta: string }>, Array<{ name: string; part: number; data: string }>, Array<{ data: string }>, Array<{ base: number | null; last: number | null }>];
  try {
    // The documents too, up to the cache's size: each D1 call is a round trip (≈ 10 ms in local
    // workerd even for SELECT 1), and with them held the candidates' fetch needs no second one. In
    // this batch, not read in the background: workerd ends a request's pending I/O with the request,
    // so a later search awaiting a read begun by /readyz would wait forever.
    const [builds, blobs, documents, rowBase] = (await db.batch([
      db.prepare(`SELECT build, state, format, manifest, meta FROM index_builds WHERE build = ${serving}`),
      db.prepare(`SELECT name, part, data FROM index_blobs WHERE build = ${serving}`),
      db.prepare(`SELECT data FROM index_documents WHERE build = ${serving} LIMIT ${DOCUMENT_CACHE_SIZE}`),
      // Where the build's passage rows start (D1PassageSource reads them by rowid), and the same
      // for its last row: rows written in another order are read by their key.
      db.prepare(
        `SELECT (SELECT rowid - label FROM index_passage_rows WHERE build = ${serving} AND label = 0) AS base, (SELECT rowid - label FROM index_passage_rows WHERE build = ${serving} ORDER BY label DESC LIMIT 1) AS last`,
      ),
    ])) as unknown as Array<{ results: unknown[] }>;
    rows = [builds!.results as never, blobs!.results as never, documents!.results as never, (rowBase?.results ?? []) as never];
  } catch (error) {
    if (/no such table/i.test(String(error))) throw createError("INDEX_MISSING", `D1 中还没有索引；请运行 ${DEPLOY_INDEX}`, { cause: error });
    throw error;
  }
  const row = rows[0][0];
  if (!row) throw createError("INDEX_MISSING", `D1 中没有正在服务的索引；请运行 ${DEPLOY_INDEX}`);
  if (row.format !== D1_INDEX_FORMAT) throw createError("INDEX_VERSION_MISMATCH", `D1 索引格式为 ${row.format}，当前为 ${D1_INDEX_FORMAT}；请运行 ${DEPLOY_INDEX}`);
  const manifest = JSON.parse(row.manifest) as IndexManifest;
  const meta = JSON.parse(row.meta) as D1BuildMeta & FacetIds;
  const files = groupText(rows[1].map((r) => ({ key: r.name, part: r.part, data: r.data })));
  const knowledgeText = files.get(KNOWLEDGE_BLOB);
  const facetText = files.get(FACETS_BLOB);
  const lexiconText = files.get(LEXICON_BLOB);
  const scalesText = files.get(FEATURE_SCALES_BLOB);
  const lengthsText = files.get(FIELD_LENGTHS_BLOB);
  if (!knowledgeText || !facetText || !lexiconText || scalesText === undefined || !lengthsText) {
    throw createError("INDEX_CORRUPT", `D1 构建 ${row.build} 缺少 ${KNOWLEDGE_BLOB}、${FACETS_BLOB}、${LEXICON_BLOB}、${FEATURE_SCALES_BLOB} 或 ${FIELD_LENGTHS_BLOB}；请运行 ${DEPLOY_INDEX}`);
  }
  // gzip's CRC-32 catches a damaged blob; the recipe check (segmenter id = lexicon content hash) a foreign one.
  const unpack = async (name: string, text: string, what: string) => {
    try {
      return await gunzip(fromBase64(text));
    } catch (error) {
      throw createError("INDEX_CORRUPT", `D1 构建 ${row.build} 的${what}（${name}）无法解压；请运行 ${DEPLOY_INDEX}`, { cause: error });
    }
  };
  const [lexicon, knowledgeBytes] = await Promise.all([unpack(LEXICON_BLOB, lexiconText, "词典"), unpack(KNOWLEDGE_BLOB, knowledgeText, "知识文件")]);
  const knowledge = parseKnowledge(new TextDecoder().decode(knowledgeBytes));
  const { years, kinds, scopes } = decodeFacets(fromBase64(facetText));
  const facets: PassageFacets = { years, kinds, kindIds: new Map(meta.kindIds), scopes, scopeIds: new Map(meta.scopeIds) };
  const vectors = new D1SparseVectorIndex(db, row.build, meta.passages, decodeFeatureScales(fromBase64(scalesText)));
  return {
    build: row.build,
    lexicon,
    manifest,
    meta,
    knowledge,
    keyword: new D1KeywordIndex(db, row.build, meta, decodeFieldLengths(fromBase64(lengthsText)), vectors),
    vectors,
    passages: new D1PassageSource(
      db,
      row.build,
      meta.passages,
      facets,
      new Map(manifest.documents.map((d) => [d.id, d.firstPassage])),
      rows[2].map((r) => JSON.parse(r.data) as DocumentMeta),
      rows[3][0]?.base != null && rows[3][0].base === rows[3][0].last ? rows[3][0].base : undefined,
    ),
  };
}

/** The serving build's id (one small query; an isolate re-checks it to pick up a new build). */
export async function servingBuild(db: D1Binding): Promise<string | undefined> {
  const row = await db.prepare("SELECT build FROM index_serving WHERE id = 1").first<{ build: string }>();
  return row?.build;
}
