import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import { foldForMatching } from "../text/fold.js";
import { fnv1a } from "./domain-dictionary.js";
import { conceptOf, conceptsIn } from "./synonyms.js";
import type { Tokenize } from "./tokenizer.js";

export interface HashingEmbeddingsOptions extends EmbeddingsParams {
  tokenize: Tokenize;
  /** IDF of a word (cppjieba's idf.utf8 on Node); unknown words get `defaultIdf`. */
  idf: (word: string) => number | undefined;
  dimensions?: number;
  defaultIdf?: number;
}

export const HASHING_EMBEDDINGS_VERSION = "hash-tfidf-v2";

const CONCEPT_WEIGHT = 8;
const BIGRAM_WEIGHT = 1.2;
const FIGURE_IDF = 12;

/**
 * The embedded default vector model: no download, no network, deterministic.
 *
 * A text becomes a sparse bag of weighted features hashed into a dense vector (signed feature
 * hashing): words from the same tokenizer as the keyword index, weighted by sublinear TF × IDF from
 * the segmenter's own IDF table; Han character bigrams, which survive segmentation differences and
 * partial matches (幼儿园 ~ 公办园); and concept features from the domain synonym table, so a
 * citizen's 放学没人接 lands near a passage about 课后服务 although they share no word. That last
 * part is what it adds over BM25, which only sees literal words.
 */
export class HashingEmbeddings extends Embeddings {
  readonly dimensions: number;
  readonly id: string;
  private readonly tokenize: Tokenize;
  private readonly idf: (word: string) => number | undefined;
  private readonly defaultIdf: number;
  private readonly prepared = new Map<string, { tokens: string[]; folded: string }>();

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

  /**
   * Hands over a text's tokens (this embedder's tokenizer) and folded form before the text is
   * embedded through the usual `embedDocuments`: ingest has both already, and folding and
   * segmenting are most of an embedding's cost. Each preparation is used once.
   */
  prepare(text: string, tokens: string[], folded: string): void {
    this.prepared.set(text, { tokens, folded });
  }

  /** Synchronous core, also used by the benchmark and the in-Worker index. */
  embed(text: string): Float32Array {
    const prepared = this.prepared.get(text);
    if (prepared) {
      this.prepared.delete(text);
      return this.embedTokens(prepared.tokens, prepared.folded);
    }
    return this.embedTokens(this.tokenize(text), foldForMatching(text));
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
    const concepts = new Set<string>();
    for (const [token, tf] of counts) {
      const idf = /\d/.test(token) ? FIGURE_IDF : this.idf(token) ?? this.defaultIdf;
      add(`w:${token}`, (1 + Math.log(tf)) * idf);
      const concept = conceptOf(token);
      if (concept) concepts.add(concept);
    }

    for (const concept of conceptsIn(folded)) concepts.add(concept);
    for (const concept of concepts) add(`c:${concept}`, CONCEPT_WEIGHT);

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
