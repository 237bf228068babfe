import { utf8Bytes, VECTORIZE_LIMITS, type VectorizeBinding, type VectorizeMatch, type VectorizeMetadata, type VectorizeQueryOptions, type VectorizeVectorRecord } from "../../core/search/vectorize-vector-index.js";

interface Stored {
  id: string;
  values: Float32Array;
  norm: number;
  namespace?: string;
  metadata?: VectorizeMetadata;
}

/**
 * An in-memory stand-in for a Vectorize (V2) index binding, for tests and `--dry-run` without
 * internet. It answers with the documented shapes and refuses what the service refuses: batches
 * over the upsert limit, ids over 64 bytes, wrong dimensions, metadata over 10 KiB or with
 * forbidden keys, namespaces over 64 bytes, topK over 100 (20 with values or all metadata).
 * Unlike the service, upserts are visible at once (the real index applies them within seconds).
 */
export class VectorizeStandIn implements VectorizeBinding {
  private readonly vectors = new Map<string, Stored>();
  private mutations = 0;
  /** Every call, for assertions: the method and its batch size or topK. */
  readonly calls: Array<{ method: "upsert" | "query" | "describe"; size?: number; topK?: number; namespace?: string }> = [];

  constructor(
    readonly dimensions: number,
    private readonly maxUpsertBatch: number = VECTORIZE_LIMITS.maxUpsertBatch,
  ) {
    if (dimensions > VECTORIZE_LIMITS.maxDimensions) throw new Error(`VECTOR_INDEX_DIMENSIONS: ${dimensions} > ${VECTORIZE_LIMITS.maxDimensions}`);
  }

  async upsert(vectors: VectorizeVectorRecord[]): Promise<{ mutationId: string }> {
    this.calls.push({ method: "upsert", size: vectors.length });
    if (!vectors.length) throw new Error("VECTOR_UPSERT_ERROR: no vectors");
    if (vectors.length > this.maxUpsertBatch) throw new Error(`VECTOR_UPSERT_ERROR: batch of ${vectors.length} exceeds ${this.maxUpsertBatch}`);
    const staged: Stored[] = [];
    for (const v of vectors) {
      if (!v.id || utf8Bytes(v.id) > VECTORIZE_LIMITS.maxIdBytes) throw new Error(`VECTOR_INVALID_ID: "${v.id}" must be 1–64 bytes`);
      if (v.values.length !== this.dimensions) throw new Error(`VECTOR_DIMENSION_MISMATCH: ${v.id} has ${v.values.length}, index ${this.dimensions}`);
      if (v.namespace !== undefined && (!v.namespace || utf8Bytes(v.namespace) > VECTORIZE_LIMITS.maxNamespaceBytes)) {
        throw new Error(`VECTOR_INVALID_NAMESPACE: "${v.namespace}" must be 1–64 bytes`);
      }
      if (v.metadata) {
        for (const key of Object.keys(v.metadata)) {
          if (!key || key.includes(".") || key.includes('"') || key.startsWith("$")) throw new Error(`VECTOR_INVALID_METADATA: key "${key}"`);
        }
        const bytes = utf8Bytes(JSON.stringify(v.metadata));
        if (bytes > VECTORIZE_LIMITS.maxMetadataBytes) throw new Error(`VECTOR_INVALID_METADATA: ${v.id} carries ${bytes} bytes (> 10 KiB)`);
      }
      const values = Float32Array.from(v.values);
      if (values.some((x) => !Number.isFinite(x))) throw new Error(`VECTOR_INVALID_VALUES: ${v.id}`);
      staged.push({ id: v.id, values, norm: Math.hypot(...values), ...(v.namespace ? { namespace: v.namespace } : {}), ...(v.metadata ? { metadata: v.metadata } : {}) });
    }
    for (const s of staged) this.vectors.set(s.id, s);
    return { mutationId: `stand-in-${++this.mutations}` };
  }

  async query(vector: number[] | Float32Array | Float64Array, options: VectorizeQueryOptions = {}): Promise<{ matches: VectorizeMatch[]; count: number }> {
    const topK = options.topK ?? 5;
    const rich = options.returnValues === true || options.returnMetadata === true || options.returnMetadata === "all";
    const max = rich ? VECTORIZE_LIMITS.maxTopKWithMetadata : VECTORIZE_LIMITS.maxTopK;
    this.calls.push({ method: "query", topK, ...(options.namespace ? { namespace: options.namespace } : {}) });
    if (!Number.isInteger(topK) || topK < 1 || topK > max) throw new Error(`VECTOR_QUERY_ERROR: topK ${topK} out of range 1–${max}`);
    if (vector.length !== this.dimensions) throw new Error(`VECTOR_DIMENSION_MISMATCH: query has ${vector.length}, index ${this.dimensions}`);
    if (options.filter) throw new Error("the stand-in does not implement metadata filters");
    const norm = Math.hypot(...vector) || 1;
    const scored: VectorizeMatch[] = [];
    for (const v of this.vectors.values()) {
      if (options.namespace !== undefined && v.namespace !== options.namespace) continue;
      let dot = 0;
      for (let i = 0; i < this.dimensions; i++) dot += vector[i]! * v.values[i]!;
      const match: VectorizeMatch = { id: v.id, score: dot / (norm * (v.norm || 1)) };
      if (v.namespace) match.namespace = v.namespace;
      if ((options.returnMetadata === true || options.returnMetadata === "all" || options.returnMetadata === "indexed") && v.metadata) match.metadata = v.metadata;
      if (options.returnValues) match.values = Array.from(v.values);
      scored.push(match);
    }
    scored.sort((a, b) => b.score - a.score);
    const matches = scored.slice(0, topK);
    return { matches, count: matches.length };
  }

  async describe(): Promise<{ dimensions: number; vectorCount: number; processedUpToDatetime: number; processedUpToMutation: number }> {
    this.calls.push({ method: "describe" });
    return { dimensions: this.dimensions, vectorCount: this.vectors.size, processedUpToDatetime: Date.now(), processedUpToMutation: this.mutations };
  }
}
