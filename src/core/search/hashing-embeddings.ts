import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import { foldForMatching } from "../text/fold.js";
import { fnv1a } from "./domain-dictionary.js";
import { sparseVector, type SparseVector } from "./sparse-vector-index.js";
import type { Vocabulary } from "./vocabulary.js";
import type { Tokenize } from "./tokenizer.js";

export interface HashingEmbeddingsOptions extends EmbeddingsParams {
  tokenize: Tokenize;
  /** IDF of a word (cppjieba's idf.utf8 on Node); unknown words get `defaultIdf`. */
  idf: (word: string) => number | undefined;
  dimensions?: number;
  defaultIdf?: number;
}

export const HASHING_EMBEDDINGS_VERSION = "hash-tfidf-v3";

const BIGRAM_WEIGHT = 1.2;
const FIGURE_IDF = 12;

/** Version of the sparse form of the same features (exact ids instead of 512 buckets). */
export const SPARSE_FEATURES_VERSION = "hash-tfidf-sparse-v2";

/** murmur3's finaliser: spreads a 32-bit key (a character bigram's two code units) over 32 bits. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** `WordFeature`s of a vocabulary's terms by id, and scratch space for counting. */
interface WordTable {
  filled: number;
  ids: Uint32Array;
  idf: Float64Array;
  tf: Uint32Array;
  distinct: number[];
}

/** A sparse vector being assembled: feature ids and weights. */
interface SparseFeatures {
  ids: number[];
  weights: number[];
}

interface WordFeature {
  id: number;
  idf: number;
}

/**
 * The embedded default vector model: no download, no network, deterministic.
 *
 * A text becomes a sparse bag of weighted features hashed into a dense vector (signed feature
 * hashing): words from the same tokenizer as the keyword index, weighted by sublinear TF × IDF from
 * the segmenter's own IDF table; Han character bigrams, which survive segmentation differences and
 * partial matches (幼儿园 ~ 公办园), which is what it adds over BM25's literal words. A question's
 * vector (`sparseWeighted`) carries its analysed terms, lexicon bridges among them at their weight,
 * so 欺负 reaches passages about 欺凌 on this side too.
 */
export class HashingEmbeddings extends Embeddings {
  readonly dimensions: number;
  readonly id: string;
  private readonly tokenize: Tokenize;
  private readonly idf: (word: string) => number | undefined;
  private readonly defaultIdf: number;
  private readonly words = new Map<string, WordFeature>();
  private readonly wordTables = new WeakMap<Vocabulary, WordTable>();
  /** Scratch space for a text's bigram keys (the embedder is used synchronously). */
  private bigramKeys = new Uint32Array(1024);

  constructor(options: HashingEmbeddingsOptions) {
    super(options);
    this.tokenize = options.tokenize;
    this.idf = options.idf;
    this.dimensions = options.dimensions ?? 512;
    this.defaultIdf = options.defaultIdf ?? 11;
    this.id = `${HASHING_EMBEDDINGS_VERSION}-d${this.dimensions}`;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => Array.from(this.embed(d)));
  }

  async embedQuery(document: string): Promise<number[]> {
    return Array.from(this.embed(document));
  }

  /** The tokenizer the features come from (a retriever that already has a query's tokens may reuse them). */
  get tokenizer(): Tokenize {
    return this.tokenize;
  }

  /** Synchronous core of the dense form (the benchmark's peers use it). */
  embed(text: string): Float32Array {
    return this.embedTokens(this.tokenize(text), foldForMatching(text));
  }

  /** Exact sparse form of `embed`: the same weighted features, each under its own 32-bit id. */
  sparse(text: string): SparseVector {
    return this.sparseTokens(this.tokenize(text), foldForMatching(text));
  }

  /** Identifies the sparse features (recorded in an index recipe). */
  get sparseId(): string {
    return SPARSE_FEATURES_VERSION;
  }

  /** Feature id and IDF weight of a word: the same few thousand words recur in every passage. */
  private word(token: string): WordFeature {
    let info = this.words.get(token);
    if (!info) {
      if (this.words.size >= 1 << 20) this.words.clear();
      info = { id: fnv1a(`w:${token}`), idf: /\d/.test(token) ? FIGURE_IDF : this.idf(token) ?? this.defaultIdf };
      this.words.set(token, info);
    }
    return info;
  }

  /** `sparse` from the text's tokens (this embedder's tokenizer) and its folded form. */
  sparseTokens(tokens: string[], folded: string): SparseVector {
    const counts = new Map<WordFeature, number>();
    for (const token of tokens) {
      const info = this.word(token);
      counts.set(info, (counts.get(info) ?? 0) + 1);
    }
    const features: SparseFeatures = { ids: [], weights: [] };
    for (const [info, tf] of counts) {
      features.ids.push(info.id);
      features.weights.push((1 + Math.log(tf)) * info.idf);
    }
    return this.finishSparse(features, folded);
  }

  /**
   * A question's sparse vector from its analysed terms: each term once, at its IDF times its weight
   * in the question (lexicon expansions and inherited terms count less than the question's own
   * words), plus the Han bigrams of the question text.
   */
  sparseWeighted(terms: ReadonlyMap<string, number>, folded: string): SparseVector {
    const features: SparseFeatures = { ids: [], weights: [] };
    for (const [term, weight] of terms) {
      const info = this.word(term);
      features.ids.push(info.id);
      features.weights.push(info.idf * weight);
    }
    return this.finishSparse(features, folded);
  }

  /**
   * `sparseTokens` for tokens given as ids of `vocabulary` (ingest's path): per-word features come
   * from arrays indexed by id, term counts from a scratch array.
   */
  sparseEncoded(ids: Uint32Array, vocabulary: Vocabulary, folded: string): SparseVector {
    const table = this.wordTable(vocabulary);
    const { tf, distinct } = table;
    distinct.length = 0;
    for (let i = 0; i < ids.length; i++) {
      const t = ids[i]!;
      if (tf[t] === 0) distinct.push(t);
      tf[t]! += 1;
    }
    const features: SparseFeatures = { ids: [], weights: [] };
    for (const t of distinct) {
      features.ids.push(table.ids[t]!);
      features.weights.push((1 + Math.log(tf[t]!)) * table.idf[t]!);
      tf[t] = 0;
    }
    return this.finishSparse(features, folded);
  }

  /** Adds the Han bigrams, then normalises. */
  private finishSparse({ ids, weights }: SparseFeatures, folded: string): SparseVector {
    // Bigrams of adjacent Han characters, keyed by their two UTF-16 code units (exact): the keys
    // sorted, then counted as runs.
    if (this.bigramKeys.length < folded.length) this.bigramKeys = new Uint32Array(folded.length * 2);
    const keys = this.bigramKeys;
    let n = 0;
    let previous = -1;
    for (let i = 0; i < folded.length; i++) {
      const code = folded.charCodeAt(i);
      if (code >= 0x3400 && code <= 0x9fff) {
        if (previous >= 0) keys[n++] = ((previous << 16) | code) >>> 0;
        previous = code;
      } else previous = -1;
    }
    const sorted = keys.subarray(0, n).sort();
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && sorted[j] === sorted[i]) j++;
      ids.push(mix32(sorted[i]!));
      weights.push((1 + Math.log(j - i)) * BIGRAM_WEIGHT);
      i = j;
    }
    return sparseVector(ids, weights);
  }

  /** Per-word feature arrays for a vocabulary, grown as it grows. */
  private wordTable(vocabulary: Vocabulary): WordTable {
    let table = this.wordTables.get(vocabulary);
    if (!table || table.ids.length < vocabulary.size) {
      const capacity = Math.max(1024, vocabulary.size * 2);
      const grown: WordTable = {
        filled: table?.filled ?? 0,
        ids: new Uint32Array(capacity),
        idf: new Float64Array(capacity),
        tf: new Uint32Array(capacity),
        distinct: [],
      };
      if (table) {
        grown.ids.set(table.ids);
        grown.idf.set(table.idf);
      }
      this.wordTables.set(vocabulary, (table = grown));
    }
    for (; table.filled < vocabulary.size; table.filled++) {
      const t = table.filled;
      const info = this.word(vocabulary.terms[t]!);
      table.ids[t] = info.id;
      table.idf[t] = info.idf;
    }
    return table;
  }

  /** `embed` from the text's tokens (this embedder's tokenizer) and its folded form. */
  embedTokens(tokens: string[], folded: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const add = (feature: string, weight: number) => {
      const h = fnv1a(feature);
      const sign = fnv1a(feature, 0x9747b28c) & 1 ? 1 : -1;
      vector[h % this.dimensions]! += sign * weight;
    };

    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const [token, tf] of counts) {
      const idf = /\d/.test(token) ? FIGURE_IDF : this.idf(token) ?? this.defaultIdf;
      add(`w:${token}`, (1 + Math.log(tf)) * idf);
    }

    const bigrams = new Map<string, number>();
    for (const run of folded.match(/[\u3400-\u9fff]{2,}/g) ?? []) {
      for (let i = 0; i + 2 <= run.length; i++) {
        const bigram = run.slice(i, i + 2);
        bigrams.set(bigram, (bigrams.get(bigram) ?? 0) + 1);
      }
    }
    for (const [bigram, tf] of bigrams) add(`b:${bigram}`, (1 + Math.log(tf)) * BIGRAM_WEIGHT);

    let norm = 0;
    for (const v of vector) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
    return vector;
  }
}
