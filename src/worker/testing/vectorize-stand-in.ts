import { utf8Bytes, VECTORIZE_LIMITS, type VectorizeBinding, type VectorizeMatch, type VectorizeMetadata, type VectorizeQueryOptions, type VectorizeVectorRecord } from "../../core/search/vectorize-vector-index.js";

interface Stored {
  id: string;
  values: Float32Array;
  norm: number;
  namespace?: string;
  metadata?: VectorizeMetadata;
  /** The indexed properties' values when the vector was written (filters read only these). */
  indexed: Map<string, string | number | boolean>;
}

export type MetadataIndexType = "string" | "number" | "boolean";

const COMPARISONS = new Set(["$eq", "$ne", "$in", "$nin", "$lt", "$lte", "$gt", "$gte"]);

/**
 * An in-memory stand-in for a Vectorize (V2) index binding, for tests and `--dry-run` without
 * internet. It answers with the documented shapes and refuses what the service refuses: batches
 * over the upsert limit, ids over 64 bytes, wrong dimensions, metadata over 10 KiB or with
 * forbidden keys, namespaces over 64 bytes, topK over 100 (20 with values or all metadata).
 * Metadata filters (`$eq $ne $in $nin $lt $lte $gt $gte`, a bare value for `$eq`) read only the
 * properties that had a metadata index when the vector was written, so a filter on any other
 * property matches nothing, as on the service. Unlike the service, upserts are visible at once (the
 * real index applies them within seconds).
 */
export class VectorizeStandIn implements VectorizeBinding {
  private readonly vectors = new Map<string, Stored>();
  private mutations = 0;
  /** Every call, for assertions: the method and its batch size or topK. */
  readonly calls: Array<{ method: "upsert" | "query" | "describe" | "getByIds" | "deleteByIds"; size?: number; topK?: number; namespace?: string; filter?: Record<string, unknown> }> = [];

  /** Metadata indexes (`wrangler vectorize create-metadata-index`): property → type. */
  private readonly metadataIndexes = new Map<string, MetadataIndexType>();

  constructor(
    readonly dimensions: number,
    private readonly maxUpsertBatch: number = VECTORIZE_LIMITS.maxUpsertBatch,
  ) {
    if (dimensions > VECTORIZE_LIMITS.maxDimensions) throw new Error(`VECTOR_INDEX_DIMENSIONS: ${dimensions} > ${VECTORIZE_LIMITS.maxDimensions}`);
  }

  /**
   * As `wrangler vectorize create-metadata-index --property-name … --type …`: vectors written from
   * now on are filterable on the property; those written before are not (as documented for the service).
   */
  createMetadataIndex(property: string, type: MetadataIndexType): void {
    if (this.metadataIndexes.size >= 10 && !this.metadataIndexes.has(property)) throw new Error("VECTOR_METADATA_INDEX: at most 10 metadata indexes");
    this.metadataIndexes.set(property, type);
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
      const indexed = new Map<string, string | number | boolean>();
      for (const [property, type] of this.metadataIndexes) {
        const value = v.metadata?.[property];
        if (typeof value === type) indexed.set(property, typeof value === "string" ? truncateUtf8(value, 64) : (value as number | boolean));
      }
      let squares = 0;
      for (const x of values) squares += x * x;
      staged.push({ id: v.id, values, norm: Math.sqrt(squares), indexed, ...(v.namespace ? { namespace: v.namespace } : {}), ...(v.metadata ? { metadata: v.metadata } : {}) });
    }
    for (const s of staged) this.vectors.set(s.id, s);
    return { mutationId: `stand-in-${++this.mutations}` };
  }

  async query(vector: number[] | Float32Array | Float64Array, options: VectorizeQueryOptions = {}): Promise<{ matches: VectorizeMatch[]; count: number }> {
    const topK = options.topK ?? 5;
    const rich = options.returnValues === true || options.returnMetadata === true || options.returnMetadata === "all";
    const max = rich ? VECTORIZE_LIMITS.maxTopKWithMetadata : VECTORIZE_LIMITS.maxTopK;
    this.calls.push({ method: "query", topK, ...(options.namespace ? { namespace: options.namespace } : {}), ...(options.filter ? { filter: options.filter } : {}) });
    if (!Number.isInteger(topK) || topK < 1 || topK > max) throw new Error(`VECTOR_QUERY_ERROR: topK ${topK} out of range 1–${max}`);
    if (vector.length !== this.dimensions) throw new Error(`VECTOR_DIMENSION_MISMATCH: query has ${vector.length}, index ${this.dimensions}`);
    const admits = options.filter ? compileFilter(options.filter) : undefined;
    let squares = 0;
    for (let i = 0; i < vector.length; i++) squares += vector[i]! * vector[i]!;
    const norm = Math.sqrt(squares) || 1;
    const scored: VectorizeMatch[] = [];
    for (const v of this.vectors.values()) {
      if (options.namespace !== undefined && v.namespace !== options.namespace) continue;
      if (admits && !admits(v.indexed)) continue;
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

  async getByIds(ids: string[]): Promise<Array<{ id: string; namespace?: string; values: number[]; metadata?: VectorizeMetadata }>> {
    this.calls.push({ method: "getByIds", size: ids.length });
    return ids.flatMap((id) => {
      const v = this.vectors.get(id);
      return v ? [{ id, values: Array.from(v.values), ...(v.namespace ? { namespace: v.namespace } : {}), ...(v.metadata ? { metadata: v.metadata } : {}) }] : [];
    });
  }

  async deleteByIds(ids: string[]): Promise<{ mutationId: string }> {
    this.calls.push({ method: "deleteByIds", size: ids.length });
    for (const id of ids) this.vectors.delete(id);
    return { mutationId: `stand-in-${++this.mutations}` };
  }

  async describe(): Promise<{ dimensions: number; vectorCount: number; processedUpToDatetime: number; processedUpToMutation: number }> {
    this.calls.push({ method: "describe" });
    return { dimensions: this.dimensions, vectorCount: this.vectors.size, processedUpToDatetime: Date.now(), processedUpToMutation: this.mutations };
  }
}

/** The first `bytes` of a string in UTF-8, cut on a character boundary (string metadata indexes keep 64 B). */
function truncateUtf8(text: string, bytes: number): string {
  let out = "";
  let used = 0;
  for (const ch of text) {
    const size = utf8Bytes(ch);
    if (used + size > bytes) break;
    out += ch;
    used += size;
  }
  return out;
}

/** A Vectorize metadata filter as a predicate over a vector's indexed properties; refuses what the service refuses. */
function compileFilter(filter: Record<string, unknown>): (indexed: Map<string, string | number | boolean>) => boolean {
  const tests: Array<(indexed: Map<string, string | number | boolean>) => boolean> = [];
  for (const [property, condition] of Object.entries(filter)) {
    if (!property || property.startsWith("$")) throw new Error(`VECTOR_QUERY_ERROR: filter key "${property}"`);
    const ops: Record<string, unknown> = condition !== null && typeof condition === "object" && !Array.isArray(condition) ? (condition as Record<string, unknown>) : { $eq: condition };
    for (const [op, operand] of Object.entries(ops)) {
      if (!COMPARISONS.has(op)) throw new Error(`VECTOR_QUERY_ERROR: unsupported filter operator ${op}`);
      const list = op === "$in" || op === "$nin";
      if (list !== Array.isArray(operand)) throw new Error(`VECTOR_QUERY_ERROR: ${op} on "${property}" needs ${list ? "an array" : "a single value"}`);
      tests.push((indexed) => {
        const value = indexed.get(property);
        if (value === undefined) return op === "$ne" || op === "$nin";
        switch (op) {
          case "$eq":
            return value === operand;
          case "$ne":
            return value !== operand;
          case "$in":
            return (operand as unknown[]).includes(value);
          case "$nin":
            return !(operand as unknown[]).includes(value);
          case "$lt":
            return typeof value === typeof operand && (value as number) < (operand as number);
          case "$lte":
            return typeof value === typeof operand && (value as number) <= (operand as number);
          case "$gt":
            return typeof value === typeof operand && (value as number) > (operand as number);
          default:
            return typeof value === typeof operand && (value as number) >= (operand as number);
        }
      });
    }
  }
  return (indexed) => tests.every((test) => test(indexed));
}
