import { denseQuery } from "./sparse-vector-index.js";
import { createError } from "../errors.js";
import { fnv1a } from "./domain-dictionary.js";
import type { VectorIndex, VectorQuery, VectorSearchHit } from "../types.js";

/** Documented Vectorize limits (developers.cloudflare.com/vectorize/platform/limits). */
export const VECTORIZE_LIMITS = {
  /** topK when neither values nor metadata are returned. */
  maxTopK: 100,
  /** topK with returnValues or returnMetadata "all". */
  maxTopKWithMetadata: 20,
  /** Vectors per upsert through a Worker binding (the HTTP API takes 5000). */
  maxUpsertBatch: 1000,
  maxUpsertBatchHttp: 5000,
  maxIdBytes: 64,
  maxNamespaceBytes: 64,
  maxMetadataBytes: 10 * 1024,
  maxDimensions: 1536,
} as const;

export type VectorizeMetadata = Record<string, string | number | boolean | string[]>;

export interface VectorizeVectorRecord {
  id: string;
  values: number[] | Float32Array | Float64Array;
  namespace?: string;
  metadata?: VectorizeMetadata;
}

export interface VectorizeQueryOptions {
  topK?: number;
  namespace?: string;
  returnValues?: boolean;
  returnMetadata?: boolean | "all" | "indexed" | "none";
  filter?: Record<string, unknown>;
}

export interface VectorizeMatch {
  id: string;
  score: number;
  namespace?: string;
  metadata?: VectorizeMetadata;
  values?: number[];
}

/** The subset of the Workers `Vectorize` binding (V2) this code uses. */
export interface VectorizeBinding {
  query(vector: number[] | Float32Array | Float64Array, options?: VectorizeQueryOptions): Promise<{ matches: VectorizeMatch[]; count: number }>;
  upsert(vectors: VectorizeVectorRecord[]): Promise<{ mutationId: string }>;
  describe(): Promise<{ dimensions: number; vectorCount: number }>;
}

export interface VectorizeVectorIndexOptions {
  binding: VectorizeBinding;
  dimensions: number;
  /** Passage ids in label order (the passages of the loaded index); vector ids derive from them. */
  passageIds: readonly string[];
  /** Namespace the upload command wrote this build's vectors to (the build id). */
  namespace: string;
}

/**
 * Nearest neighbours from Cloudflare Vectorize through its Worker binding. Vector ids are passage
 * ids; each build's vectors live in their own namespace (the build id), so a Worker never mixes
 * vectors from another build with its passages. A label filter (year, kind) cannot be sent to
 * Vectorize as a predicate: the query asks for the maximum topK and filters the matches here.
 */
export class VectorizeVectorIndex implements VectorIndex {
  static readonly ID = "vectorize-cosine";
  readonly id = VectorizeVectorIndex.ID;
  readonly dimensions: number;
  readonly size: number;
  private readonly labels: Map<string, number>;

  constructor(private readonly options: VectorizeVectorIndexOptions) {
    this.dimensions = options.dimensions;
    this.size = options.passageIds.length;
    this.labels = new Map(options.passageIds.map((id, label) => [vectorIdFor(id), label]));
  }

  async search(query: VectorQuery, k: number, filter?: (label: number) => boolean): Promise<VectorSearchHit[]> {
    const vector = denseQuery(query);
    if (vector.length !== this.dimensions) throw createError("EMBEDDINGS_FAILED", `查询向量为 ${vector.length} 维，Vectorize 索引为 ${this.dimensions} 维`);
    const topK = Math.min(filter ? VECTORIZE_LIMITS.maxTopK : k, VECTORIZE_LIMITS.maxTopK);
    if (topK <= 0) return [];
    const result = await this.options.binding.query(Array.from(vector), { topK, namespace: this.options.namespace, returnMetadata: "none", returnValues: false });
    const hits: VectorSearchHit[] = [];
    let unknown = 0;
    for (const match of result.matches) {
      const label = this.labels.get(match.id);
      if (label === undefined) {
        unknown++;
        continue;
      }
      if (filter && !filter(label)) continue;
      hits.push({ label, similarity: match.score });
    }
    // No vector in this build's namespace, or only ids that name no passage: the upload for this
    // build is missing or incomplete. Answering from keywords alone would hide that.
    if (!result.matches.length || (unknown && !hits.length)) {
      throw createError("INDEX_VERSION_MISMATCH", `Vectorize 命名空间 ${this.options.namespace} 中的向量与已部署的段落不一致，请重新运行 npm run upload:vectorize`);
    }
    return hits.slice(0, k);
  }
}

/** Byte length of a string in UTF-8 (the unit of Vectorize's id and metadata limits). */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Vector id of a passage: the passage id when it fits Vectorize's 64 bytes, else a stable hash of it. */
export function vectorIdFor(passageId: string): string {
  if (utf8Bytes(passageId) <= VECTORIZE_LIMITS.maxIdBytes) return passageId;
  return `h-${fnv1a(passageId).toString(16)}-${fnv1a(passageId, 0x9747b28c).toString(16)}`;
}
