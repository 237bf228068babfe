import type { SparseVector, VectorIndex, VectorQuery, VectorSearchHit } from "../types.js";

export type { SparseVector } from "../types.js";

export function isSparseVector(value: unknown): value is SparseVector {
  return typeof value === "object" && value !== null && (value as SparseVector).ids instanceof Uint32Array && (value as SparseVector).weights instanceof Float32Array;
}

/** A dense index's query: a sparse vector here means the index and the embedder do not match. */
export function denseQuery(vector: VectorQuery): Float32Array | number[] {
  if (isSparseVector(vector)) throw new Error("a dense vector index was given a sparse query");
  return vector;
}

/** Sums duplicate ids, sorts them, drops zero weights and L2-normalises. */
export function sparseVector(ids: ArrayLike<number>, weights: ArrayLike<number>): SparseVector {
  const n = ids.length;
  if (n >= POSITION_SPAN) throw new Error(`a sparse vector of ${n} features is too large`);
  // Sort (id, position) pairs packed into one float64 (id · 2^21 + position < 2^53): a native
  // numeric sort, no comparator calls.
  const order = new Float64Array(n);
  for (let i = 0; i < n; i++) order[i] = ids[i]! * POSITION_SPAN + i;
  order.sort();
  const outIds = new Uint32Array(n);
  const outWeights = new Float32Array(n);
  let m = 0;
  for (let j = 0; j < n; j++) {
    const packed = order[j]!;
    const id = Math.floor(packed / POSITION_SPAN);
    const w = weights[packed - id * POSITION_SPAN]!;
    if (m && outIds[m - 1] === id) outWeights[m - 1]! += w;
    else {
      outIds[m] = id;
      outWeights[m++] = w;
    }
  }
  let norm = 0;
  let kept = 0;
  for (let j = 0; j < m; j++) {
    if (outWeights[j] === 0) continue;
    outIds[kept] = outIds[j]!;
    outWeights[kept] = outWeights[j]!;
    norm += outWeights[kept]! * outWeights[kept]!;
    kept++;
  }
  norm = Math.sqrt(norm) || 1;
  for (let j = 0; j < kept; j++) outWeights[j]! /= norm;
  return { ids: outIds.slice(0, kept), weights: outWeights.slice(0, kept) };
}

/** Positions packed beside an id in `sparseVector`'s sort key (a vector has fewer features). */
const POSITION_SPAN = 2 ** 21;

const MAGIC = 0x53505631; // "SPV1"
const HEADER_WORDS = 5;

/**
 * Exact cosine search over sparse vectors through feature postings (an inverted index with
 * weights). This is the vector index of the embedded hashing model: its vectors are bags of a few
 * hundred weighted features (words, character bigrams, concepts), so scoring only the passages
 * that share a feature with the question is exact, needs no graph to build, and costs a few
 * milliseconds at 100,000 passages. Dense models (an embedding service) use HNSW instead.
 *
 * Layout: `features` (ascending) → `offsets` into `rows` (ascending per feature) and `weights`.
 */
export class SparseVectorIndex implements VectorIndex {
  static readonly ID = "sparse-postings-v1";
  readonly id = SparseVectorIndex.ID;
  /** Sparse vectors have no fixed width; 0 marks "not a dense index". */
  readonly dimensions = 0;
  private scores: Float32Array;
  private seen: Uint8Array;
  private touched: Uint32Array;

  private constructor(
    readonly size: number,
    private readonly features: Uint32Array,
    private readonly offsets: Uint32Array,
    private readonly rows: Uint32Array,
    private readonly weights: Float32Array,
  ) {
    // Scratch buffers reused by every query (search is synchronous, so never shared mid-query).
    this.scores = new Float32Array(size);
    this.seen = new Uint8Array(size);
    this.touched = new Uint32Array(size);
  }

  /** Number of stored (feature, passage) pairs. */
  get postings(): number {
    return this.rows.length;
  }

  /** Builds the postings of `vectors` (label = position). Linear in the number of pairs. */
  static build(vectors: SparseVector[]): SparseVectorIndex {
    let total = 0;
    for (const v of vectors) total += v.ids.length;
    let keys = new Uint32Array(total);
    let rows = new Uint32Array(total);
    let weights = new Float32Array(total);
    let at = 0;
    vectors.forEach((v, row) => {
      keys.set(v.ids, at);
      rows.fill(row, at, at + v.ids.length);
      weights.set(v.weights, at);
      at += v.ids.length;
    });
    // Stable LSD radix sort by feature id, two 16-bit passes: rows stay ascending within a feature.
    let keys2 = new Uint32Array(total);
    let rows2 = new Uint32Array(total);
    let weights2 = new Float32Array(total);
    const counts = new Uint32Array(65537);
    for (const shift of [0, 16]) {
      counts.fill(0);
      for (let i = 0; i < total; i++) counts[((keys[i]! >>> shift) & 0xffff) + 1]!++;
      for (let b = 1; b <= 65536; b++) counts[b]! += counts[b - 1]!;
      for (let i = 0; i < total; i++) {
        const to = counts[(keys[i]! >>> shift) & 0xffff]!++;
        keys2[to] = keys[i]!;
        rows2[to] = rows[i]!;
        weights2[to] = weights[i]!;
      }
      [keys, keys2] = [keys2, keys];
      [rows, rows2] = [rows2, rows];
      [weights, weights2] = [weights2, weights];
    }
    let distinct = 0;
    for (let i = 0; i < total; i++) if (i === 0 || keys[i] !== keys[i - 1]) distinct++;
    const features = new Uint32Array(distinct);
    const offsets = new Uint32Array(distinct + 1);
    for (let i = 0, f = -1; i < total; i++) {
      if (i === 0 || keys[i] !== keys[i - 1]) {
        features[++f] = keys[i]!;
        offsets[f] = i;
      }
    }
    offsets[distinct] = total;
    return new SparseVectorIndex(vectors.length, features, offsets, rows, weights);
  }

  /**
   * Every passage's sparse vector, rebuilt from the postings (an incremental build reuses the
   * vectors of unchanged documents). Features are visited in ascending order, so ids stay sorted.
   */
  rowVectors(): SparseVector[] {
    const { size, features, offsets, rows, weights } = this;
    const starts = new Uint32Array(size + 1);
    for (let i = 0; i < rows.length; i++) starts[rows[i]! + 1]!++;
    for (let r = 0; r < size; r++) starts[r + 1]! += starts[r]!;
    const cursor = starts.slice(0, size);
    const ids = new Uint32Array(rows.length);
    const values = new Float32Array(rows.length);
    for (let f = 0; f < features.length; f++) {
      for (let i = offsets[f]!, end = offsets[f + 1]!; i < end; i++) {
        const at = cursor[rows[i]!]!++;
        ids[at] = features[f]!;
        values[at] = weights[i]!;
      }
    }
    return Array.from({ length: size }, (_, r) => ({ ids: ids.subarray(starts[r]!, starts[r + 1]!), weights: values.subarray(starts[r]!, starts[r + 1]!) }));
  }

  /** The index as one binary blob (little-endian): header, features, offsets, rows, weights. */
  serialize(): Uint8Array {
    const words = HEADER_WORDS + this.features.length + this.offsets.length + this.rows.length + this.weights.length;
    const out = new Uint8Array(words * 4);
    const u32 = new Uint32Array(out.buffer);
    u32.set([MAGIC, 1, this.size, this.features.length, this.rows.length]);
    let at = HEADER_WORDS;
    for (const part of [this.features, this.offsets, this.rows]) {
      u32.set(part, at);
      at += part.length;
    }
    new Float32Array(out.buffer).set(this.weights, at);
    return out;
  }

  /** Reads what `serialize` wrote; the arrays are views on `data` when it is 4-byte aligned. */
  static deserialize(data: Uint8Array): SparseVectorIndex {
    const aligned = data.byteOffset % 4 === 0 ? data : data.slice();
    if (aligned.byteLength < HEADER_WORDS * 4 || aligned.byteLength % 4 !== 0) throw new Error("sparse vector index: truncated");
    const u32 = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
    const [magic, version, size, distinct, total] = u32;
    if (magic !== MAGIC || version !== 1) throw new Error("sparse vector index: unknown format");
    if (u32.length !== HEADER_WORDS + distinct! * 2 + 1 + total! * 2) throw new Error("sparse vector index: wrong length");
    let at = HEADER_WORDS;
    const take = (n: number) => u32.subarray(at, (at += n));
    const features = take(distinct!);
    const offsets = take(distinct! + 1);
    const rows = take(total!);
    const weights = new Float32Array(aligned.buffer, aligned.byteOffset + at * 4, total!);
    if (offsets[0] !== 0 || offsets[distinct!] !== total) throw new Error("sparse vector index: inconsistent offsets");
    for (let f = 0; f < distinct!; f++) if (offsets[f + 1]! < offsets[f]! || (f > 0 && features[f]! <= features[f - 1]!)) throw new Error("sparse vector index: unsorted postings");
    for (let i = 0; i < total!; i++) if (rows[i]! >= size!) throw new Error("sparse vector index: a row beyond the index");
    return new SparseVectorIndex(size!, features, offsets, rows, weights);
  }

  private findFeature(id: number): number {
    let lo = 0;
    let hi = this.features.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const f = this.features[mid]!;
      if (f === id) return mid;
      if (f < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The k passages with the highest cosine to `query`, best first; ties go to the lower label. */
  search(query: VectorQuery, k: number, filter?: (label: number) => boolean): VectorSearchHit[] {
    if (!isSparseVector(query)) throw new Error("sparse vector index: the query must be a sparse vector");
    const { scores, seen, touched, rows, weights, offsets } = this;
    let count = 0;
    for (let q = 0; q < query.ids.length; q++) {
      const f = this.findFeature(query.ids[q]!);
      if (f < 0) continue;
      const w = query.weights[q]!;
      for (let i = offsets[f]!, end = offsets[f + 1]!; i < end; i++) {
        const row = rows[i]!;
        if (!seen[row]) {
          seen[row] = 1;
          touched[count++] = row;
        }
        scores[row]! += w * weights[i]!;
      }
    }
    // Top k by a small sorted buffer (k is tens); then clear the scores for the next query.
    const limit = Math.min(k, this.size);
    const best: VectorSearchHit[] = [];
    for (let t = 0; t < count; t++) {
      const row = touched[t]!;
      const similarity = scores[row]!;
      scores[row] = 0;
      seen[row] = 0;
      if (limit <= 0 || similarity <= 0) continue;
      if (best.length === limit) {
        const last = best[limit - 1]!;
        if (similarity < last.similarity || (similarity === last.similarity && row > last.label)) continue;
      }
      if (filter && !filter(row)) continue;
      let at = best.length;
      while (at > 0 && (best[at - 1]!.similarity < similarity || (best[at - 1]!.similarity === similarity && best[at - 1]!.label > row))) at--;
      best.splice(at, 0, { label: row, similarity });
      if (best.length > limit) best.pop();
    }
    return best;
  }
}
