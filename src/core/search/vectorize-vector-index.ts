import { denseQuery } from "./sparse-vector-index.js";
import { createError } from "../errors.js";
import { fnv1a } from "./domain-dictionary.js";
import type { PrefetchedPostings, VectorIndex, VectorQuery, VectorSearchHints, VectorSearchHit } from "../types.js";

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
  /** The stored vectors of these ids (those that exist), with their namespace. */
  getByIds(ids: string[]): Promise<Array<{ id: string; namespace?: string }>>;
  deleteByIds(ids: string[]): Promise<{ mutationId: string }>;
}

export interface VectorizeVectorIndexOptions {
  binding: VectorizeBinding;
  dimensions: number;
  /** The build's vector ids are `labelledVectorId(idPrefix, label)` for its `size` passages. */
  idPrefix: string;
  size: number;
  /** Namespace the upload command wrote this build's vectors to (the build id). */
  namespace: string;
  /** The command that uploads them again, named when the namespace does not hold this build's vectors. */
  reupload?: string;
  /**
   * Whether a question's years are sent as a metadata filter: only when the upload found that the
   * index filters on `year` (its metadata index existed before the vectors were written). Default off.
   */
  yearFilter?: boolean;
  /**
   * Passage ids in label order, for vectors uploaded before ids carried the build (`vectorIdFor`):
   * such ids are still read as their passage's label, so an older upload keeps serving.
   */
  legacyPassageIds?: readonly string[];
}

/** The metadata property a vector's document year is stored (and, with a metadata index, filtered) under. */
export const VECTORIZE_YEAR_PROPERTY = "year";

/**
 * Nearest neighbours from Cloudflare Vectorize through its Worker binding. Each build's vectors live
 * in their own namespace (the build id) under ids that carry the build and the passage's label, so a
 * Worker never mixes vectors from another build with its passages, and uploading the next build
 * does not overwrite the vectors of the one still serving. A label filter (place scope, kind)
 * cannot be sent to Vectorize as a predicate: the query asks for the maximum topK and filters the
 * matches here. The years a question names can: with the
 * `year` metadata index, a second query asks for the nearest passages of those years, and its matches
 * are interleaved with the first's (as the keyword side adds a year-scoped list); a search that keeps
 * those years alone (`strict`) sends only that query.
 */
export class VectorizeVectorIndex implements VectorIndex {
  static readonly ID = "vectorize-cosine";
  readonly id = VectorizeVectorIndex.ID;
  readonly dimensions: number;
  readonly size: number;
  private readonly labelOf: (vectorId: string) => number | undefined;
  /** Queries sent to Vectorize, and how many of them carried a metadata filter (for the bench and tests). */
  readonly sent = { queries: 0, filtered: 0 };

  constructor(private readonly options: VectorizeVectorIndexOptions) {
    this.dimensions = options.dimensions;
    const { idPrefix, size } = options;
    this.size = size;
    // Built when the first id of another scheme comes back, not at start-up (most builds never need it).
    let legacy: Map<string, number> | undefined;
    const legacyLabel = (id: string) => {
      if (!options.legacyPassageIds) return undefined;
      legacy ??= new Map(options.legacyPassageIds.map((passageId, label) => [vectorIdFor(passageId), label]));
      return legacy.get(id);
    };
    this.labelOf = (id) => {
      if (!id.startsWith(idPrefix)) return legacyLabel(id);
      const rest = id.slice(idPrefix.length);
      const label = /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
      return label >= 0 && label < size ? label : legacyLabel(id);
    };
  }

  async search(query: VectorQuery, k: number, filter?: (label: number) => boolean, _prefetched?: PrefetchedPostings, hints?: VectorSearchHints): Promise<VectorSearchHit[]> {
    const vector = denseQuery(query);
    if (vector.length !== this.dimensions) throw createError("EMBEDDINGS_FAILED", `查询向量为 ${vector.length} 维，Vectorize 索引为 ${this.dimensions} 维`);
    const years = hints?.years?.length && this.options.yearFilter === true ? [...new Set(hints.years)] : undefined;
    const topK = Math.min(filter || years ? VECTORIZE_LIMITS.maxTopK : k, VECTORIZE_LIMITS.maxTopK);
    if (topK <= 0) return [];
    const values = Array.from(vector);
    const ask = (metadataFilter?: Record<string, unknown>) => {
      this.sent.queries++;
      if (metadataFilter) this.sent.filtered++;
      return this.options.binding.query(values, { topK, namespace: this.options.namespace, returnMetadata: "none", returnValues: false, ...(metadataFilter ? { filter: metadataFilter } : {}) });
    };
    const yearFilter = years ? { [VECTORIZE_YEAR_PROPERTY]: years.length === 1 ? { $eq: years[0] } : { $in: years } } : undefined;
    const [first, scoped] = await Promise.all([hints?.strict && yearFilter ? undefined : ask(), yearFilter ? ask(yearFilter) : undefined]);
    let plain = first;
    // Nothing of the year alone: either no passage of it, or no vector of this build at all — the
    // unfiltered list (filtered here by label) tells which, and the check below sees it.
    if (!plain && !scoped?.matches.length) plain = await ask();
    const lists = [plain?.matches ?? [], scoped?.matches ?? []];
    const ownScope = hints?.strict ? undefined : hints?.scoped;
    const hits: VectorSearchHit[] = [];
    const seen = new Set<number>();
    let unknown = 0;
    for (let rank = 0; rank < topK; rank++) {
      for (const list of lists) {
        const match = list[rank];
        if (!match) continue;
        const label = this.labelOf(match.id);
        if (label === undefined) {
          unknown++;
          continue;
        }
        if (seen.has(label)) continue;
        if (list !== lists[0] && ownScope && !ownScope(label)) continue;
        seen.add(label);
        if (filter && !filter(label)) continue;
        hits.push({ label, similarity: match.score });
      }
    }
    // No vector in this build's namespace, or only ids that name no passage: the upload for this
    // build is missing or incomplete. Answering from keywords alone would hide that.
    if (plain && (!plain.matches.length || (unknown && !hits.length))) {
      throw createError("INDEX_VERSION_MISMATCH", `Vectorize 命名空间 ${this.options.namespace} 中的向量与已部署的段落不一致，请重新运行 ${this.options.reupload ?? "npm run upload:vectorize"}`);
    }
    return hits.slice(0, k);
  }
}

/** The id of a build's vector for passage `label`: unique across builds (Vectorize ids are per index, not per namespace), ≤ 64 bytes. */
export function labelledVectorId(idPrefix: string, label: number): string {
  return `${idPrefix}${label}`;
}

/** The id prefix of a build's vectors: the build id, or a stable hash of it when it is long. */
export function labelledIdPrefix(build: string): string {
  const prefix = `${build}:`;
  if (utf8Bytes(prefix) + 10 > VECTORIZE_LIMITS.maxIdBytes) return `h-${fnv1a(build).toString(16)}-${fnv1a(build, 0x9747b28c).toString(16)}:`;
  return prefix;
}

/** Vector id of a passage as `upload:vectorize` wrote it before ids carried the build (read for older uploads). */
export function vectorIdFor(passageId: string): string {
  if (utf8Bytes(passageId) <= VECTORIZE_LIMITS.maxIdBytes) return passageId;
  return `h-${fnv1a(passageId).toString(16)}-${fnv1a(passageId, 0x9747b28c).toString(16)}`;
}

/** Byte length of a string in UTF-8 (the unit of Vectorize's id and metadata limits). */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

