/**
 * Shared shapes and the small interfaces that runtime adapters implement.
 * Runtime-neutral: nothing here may import node:* or a native module.
 */

export type Script = "Hans" | "Hant";

/** Kinds of documents the bureau publishes. Free text is allowed for new kinds. */
export type DocumentKind = "工作总结" | "工作要点" | "业务目标" | "讲话" | "通知" | "政策解读" | string;

export interface DocumentMeta {
  /** Stable id derived from the file name (kebab-case stem). */
  id: string;
  /** File name inside corpus/. */
  file: string;
  title: string;
  issuer?: string;
  year?: number;
  /** ISO date (YYYY-MM-DD) the policy was published, when known. */
  publishedAt?: string;
  /** 发文编号, e.g. 青教工委[2020]2号 (in the source's script). */
  docNumber?: string;
  sourceUrl?: string;
  kind?: DocumentKind;
  /** 学段 the policy applies to. */
  stages?: string[];
  /** Effective period as the text states it (自2019年5月1日起施行, 有效期…), when it does. */
  effective?: string;
  script: Script;
  /** sha256 of the raw file bytes. */
  contentHash: string;
}

/** A span of text that the source anonymised (`xx`, `xx.xx万`). Offsets are into the passage text. */
export interface Redaction {
  start: number;
  end: number;
  text: string;
}

/** A question-and-answer pair (问：/答：, a numbered question line, a 问题/答案 table row) is "qa". */
export type PassageKind = "paragraph" | "table-row" | "qa" | "document-info";

export interface Passage {
  /** `${docId}#p${ordinal}` (zero-padded), stable for an unchanged document. */
  id: string;
  docId: string;
  ordinal: number;
  kind: PassageKind;
  /** Heading path from the document title down, e.g. ["2021年教育工作总结", "五、立足人民至上理念…"]. */
  headingPath: string[];
  /** Cleaned original text, in the source's own script: what users see and what is quoted. */
  text: string;
  /** Folded text for matching: Simplified, NFKC, half-width, lower-case. Same length is NOT guaranteed. */
  folded: string;
  redactions: Redaction[];
  /** Column name → cell text, for passages made from a table row (类别, 序号, 目标名称 …). */
  fields?: Record<string, string>;
  /** For a "qa" passage: the question without its number; the text is the answer. */
  question?: string;
}

/** A passage with the metadata of its document, as returned by search. */
export interface PassageHit {
  passage: Passage;
  doc: DocumentMeta;
  score: number;
}

/** Word segmenter (nodejieba on Node; a pure-JS one elsewhere). Input is already folded. */
export interface Segmenter {
  /** Identifies the algorithm and dictionary: recorded in the index manifest. */
  readonly id: string;
  /** Search-mode segmentation: long words plus their sub-words. */
  cutForSearch(text: string): string[];
  /**
   * Whether a string is a word of the segmenter's dictionary (with its user words). The tokenizer
   * adds the character pairs of longer words that are not (createTokenizer).
   */
  isWord?(word: string): boolean;
}

export interface VectorSearchHit {
  /** Position of the vector (= passage ordinal in the index). */
  label: number;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/**
 * A sparse vector: feature ids (32-bit hashes, ascending, unique) and their weights, L2-normalised,
 * so the dot product of two of them is their cosine.
 */
export interface SparseVector {
  ids: Uint32Array;
  weights: Float32Array;
}

/** A dense embedding, or the sparse features of the embedded hashing model. */
export type VectorQuery = Float32Array | number[] | SparseVector;

/**
 * A nearest-neighbour index over passage vectors: sparse feature postings for the embedded hashing
 * model and hnswlib for a dense embedding service on Node (synchronous); a bundled index or
 * Cloudflare Vectorize on Workers (asynchronous, hence the Promise).
 */
export interface VectorIndex {
  readonly id: string;
  /** Width of the dense vectors it holds; 0 for a sparse index. */
  readonly dimensions: number;
  readonly size: number;
  /**
   * `prefetched`: what the keyword source's `prefetch` fetched for this search (keyword-source.ts), if
   * anything. `hints`: what an index that filters on its own metadata (Vectorize) can use; an index
   * that holds its vectors in memory ignores them.
   */
  search(vector: VectorQuery, k: number, filter?: (label: number) => boolean, prefetched?: PrefetchedPostings, hints?: VectorSearchHints): VectorSearchHit[] | Promise<VectorSearchHit[]>;
}

/**
 * The years a question names (`years`): their documents' passages get candidates of their own, as the
 * keyword side's year-scoped list gives them; `strict`: the label filter keeps those years alone
 * (a search with a `year` option), so nothing outside them needs to be asked for.
 */
export interface VectorSearchHints {
  years?: readonly number[];
  strict?: boolean;
  /**
   * The label filter of the keyword side's year-scoped list (those years and the question's own place
   * scope): what the years' own candidates must also pass, so that another district's report of the
   * same year does not come in through them.
   */
  scoped?: (label: number) => boolean;
}

/**
 * What a database-backed keyword source fetched for one search, both sides' postings together:
 * opaque to the retriever, which hands it to the keyword and the vector search of the same question.
 */
export interface PrefetchedPostings {
  readonly prefetched: true;
}

export interface KeywordSearchHit {
  label: number;
  score: number;
  terms: string[];
}

export interface KeywordIndex {
  search(terms: string[], k: number, filter?: (label: number) => boolean): KeywordSearchHit[];
}
