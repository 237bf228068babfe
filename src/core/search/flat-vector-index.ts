import type { VectorIndex, VectorSearchHit } from "../types.js";

/**
 * Exact cosine search over row-major vectors in one Float32Array: pure JS, no native module, so it
 * runs in a Worker. A linear scan is exact and, at the corpus sizes that fit a Worker's memory
 * (see README › Cloudflare Workers), takes well under a millisecond per thousand passages.
 */
export class FlatVectorIndex implements VectorIndex {
  static readonly ID = "flat-cosine-f32";
  readonly id = FlatVectorIndex.ID;
  readonly size: number;
  private readonly norms: Float32Array;

  constructor(
    private readonly vectors: Float32Array,
    readonly dimensions: number,
  ) {
    if (dimensions <= 0 || vectors.length % dimensions !== 0) {
      throw new Error(`vector data (${vectors.length} floats) is not a whole number of ${dimensions}-d rows`);
    }
    this.size = vectors.length / dimensions;
    this.norms = new Float32Array(this.size);
    for (let row = 0; row < this.size; row++) {
      let sum = 0;
      for (let i = row * dimensions, end = i + dimensions; i < end; i++) sum += vectors[i]! * vectors[i]!;
      this.norms[row] = Math.sqrt(sum);
    }
  }

  /** The k most similar rows (cosine), best first; rows the filter rejects are skipped. */
  search(vector: Float32Array | number[], k: number, filter?: (label: number) => boolean): VectorSearchHit[] {
    const dims = this.dimensions;
    if (vector.length !== dims) throw new Error(`query has ${vector.length} dimensions, the index ${dims}`);
    let queryNorm = 0;
    for (let i = 0; i < dims; i++) queryNorm += vector[i]! * vector[i]!;
    queryNorm = Math.sqrt(queryNorm);
    const limit = Math.min(k, this.size);
    if (limit <= 0 || queryNorm === 0) return [];
    // A small sorted buffer of the best hits: k is tens, the corpus thousands.
    const best: VectorSearchHit[] = [];
    for (let row = 0; row < this.size; row++) {
      if (filter && !filter(row)) continue;
      const norm = this.norms[row]!;
      if (norm === 0) continue;
      let dot = 0;
      for (let i = 0, base = row * dims; i < dims; i++) dot += vector[i]! * this.vectors[base + i]!;
      const similarity = dot / (norm * queryNorm);
      if (best.length === limit && similarity <= best[limit - 1]!.similarity) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.similarity < similarity) at--;
      best.splice(at, 0, { label: row, similarity });
      if (best.length > limit) best.pop();
    }
    return best;
  }
}
