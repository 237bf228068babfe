import type { SparseVector, VectorIndex, VectorQuery, VectorSearchHit } from "../types.js";
import { allocatePlain, BLOCK_BITS, blockCount, plainLabelParts, type AllocateBuffer } from "./blocked-postings.js";
import { TopK } from "./top-k.js";

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
/** 32-bit words per part of `serializedParts` (512 KB). */
const PART_WORDS = 1 << 17;

/** The bytes of a typed array, in platform order (every supported runtime is little-endian). */
const bytesOf = (array: Uint32Array | Float32Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/**
 * Feature id → a dense slot, in typed arrays (open addressing, linear probing): tens of thousands
 * of distinct 32-bit hashes among millions of postings, without a Map entry per feature.
 */
class FeatureSlots {
  private keys = new Uint32Array(1024);
  private values = new Int32Array(1024).fill(-1);
  readonly inserted: number[] = [];

  /** The slot of `key`, inserting it (as slot `inserted.length`) when new. */
  slot(key: number): number {
    const mask = this.keys.length - 1;
    for (let at = Math.imul(key, 0x9e3779b1) >>> 0 & mask; ; at = (at + 1) & mask) {
      const value = this.values[at]!;
      if (value === -1) {
        this.keys[at] = key;
        this.values[at] = this.inserted.length;
        this.inserted.push(key);
        if (this.inserted.length * 2 > this.keys.length) this.grow();
        return this.inserted.length - 1;
      }
      if (this.keys[at] === key) return value;
    }
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Int32Array(values.length * 2).fill(-1);
    const mask = this.keys.length - 1;
    for (let i = 0; i < keys.length; i++) {
      if (values[i] === -1) continue;
      let at = Math.imul(keys[i]!, 0x9e3779b1) >>> 0 & mask;
      while (this.values[at] !== -1) at = (at + 1) & mask;
      this.keys[at] = keys[i]!;
      this.values[at] = values[i]!;
    }
  }
}

/** The arrays a loaded index is made of: what `parts()` gives and `fromParts` takes (another thread's view of the same memory). */
export interface SparseVectorParts {
  size: number;
  features: Uint32Array;
  starts: Uint32Array;
  rows: Uint16Array;
  weights: Float32Array;
}

/** Rows of sparse vectors as a builder reads them: `row(r)` for r in 0 … length − 1. */
export interface SparseRowSource {
  readonly length: number;
  row(r: number): SparseVector;
}

/** Entries per chunk of SparseRows (16 MB of ids, 16 MB of weights). */
const ROW_CHUNK = 1 << 22;

/**
 * Sparse vectors appended one after another into a few large typed arrays, instead of two small
 * ones per vector: at 100,000 passages that is 200,000 small allocations fewer, and the memory
 * comes back to the system when the store is let go (small buffers freed one by one stay with the
 * allocator). Ingest appends each document's vectors as it goes; the index is built from it.
 */
export class SparseRows implements SparseRowSource {
  private readonly idChunks: Uint32Array[] = [];
  private readonly weightChunks: Float32Array[] = [];
  private used = ROW_CHUNK;
  private rowChunk = new Uint16Array(1024);
  private rowStart = new Uint32Array(1024);
  private rowEnd = new Uint32Array(1024);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Copies `vector` in as the next row. */
  append(vector: SparseVector): void {
    const n = vector.ids.length;
    if (this.used + n > ROW_CHUNK) {
      const size = Math.max(ROW_CHUNK, n);
      this.idChunks.push(new Uint32Array(size));
      this.weightChunks.push(new Float32Array(size));
      this.used = 0;
    }
    if (this.count === this.rowStart.length) {
      const grow = <T extends Uint16Array | Uint32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.rowChunk = grow(this.rowChunk, (m) => new Uint16Array(m));
      this.rowStart = grow(this.rowStart, (m) => new Uint32Array(m));
      this.rowEnd = grow(this.rowEnd, (m) => new Uint32Array(m));
    }
    const chunk = this.idChunks.length - 1;
    this.idChunks[chunk]!.set(vector.ids, this.used);
    this.weightChunks[chunk]!.set(vector.weights, this.used);
    this.rowChunk[this.count] = chunk;
    this.rowStart[this.count] = this.used;
    this.rowEnd[this.count] = this.used += n;
    this.count++;
  }

  /** Row r as views into the store (valid while the store is). */
  row(r: number): SparseVector {
    const chunk = this.rowChunk[r]!;
    const start = this.rowStart[r]!;
    const end = this.rowEnd[r]!;
    return { ids: this.idChunks[chunk]!.subarray(start, end), weights: this.weightChunks[chunk]!.subarray(start, end) };
  }
}

/**
 * Exact cosine search over sparse vectors through feature postings (an inverted index with
 * weights). This is the vector index of the embedded hashing model: its vectors are bags of a few
 * hundred weighted features (words, character bigrams, concepts), so scoring only the passages
 * that share a feature with the question is exact, needs no graph to build, and costs a few
 * milliseconds at 100,000 passages. Dense models (an embedding service) use HNSW instead.
 *
 * In memory: `features` (ascending); each feature's postings in `rows` (ascending) and `weights`,
 * cut into blocks of 65,536 labels — block h of feature f is `starts[f·B + h] … starts[f·B + h + 1]`
 * (B blocks) and a row there is `h · 65,536 + rows[i]`. Rows take 2 bytes instead of 4: at 100,000
 * passages, 19 M postings, 39 MB less. On disk (`serialize`) rows stay plain 32-bit labels.
 */
export class SparseVectorIndex implements VectorIndex {
  static readonly ID = "sparse-postings-v1";
  readonly id = SparseVectorIndex.ID;
  /** Sparse vectors have no fixed width; 0 marks "not a dense index". */
  readonly dimensions = 0;
  private readonly blocks: number;
  private scores: Float32Array;
  private seen: Uint8Array;
  private touched: Uint32Array;

  private constructor(
    readonly size: number,
    private readonly features: Uint32Array,
    private readonly starts: Uint32Array,
    private readonly rows: Uint16Array,
    private readonly weights: Float32Array,
  ) {
    this.blocks = blockCount(size);
    // Scratch buffers reused by every query (search is synchronous, so never shared mid-query).
    this.scores = new Float32Array(size);
    this.seen = new Uint8Array(size);
    this.touched = new Uint32Array(size);
  }

  /** The arrays of the index, not copied: posted to another thread, shared ones stay shared. */
  parts(): SparseVectorParts {
    return { size: this.size, features: this.features, starts: this.starts, rows: this.rows, weights: this.weights };
  }

  /** An index over `parts` (as `parts()` gave them): no copy, only this thread's scratch buffers are new. */
  static fromParts(parts: SparseVectorParts): SparseVectorIndex {
    return new SparseVectorIndex(parts.size, parts.features, parts.starts, parts.rows, parts.weights);
  }

  /** Number of stored (feature, passage) pairs. */
  get postings(): number {
    return this.rows.length;
  }

  /**
   * Builds the postings of `vectors` (label = position): three passes over the vectors (distinct
   * features; counts per feature and block; filling in row order, so rows stay ascending), with
   * nothing allocated beside the result but one slot per distinct feature.
   */
  static build(vectors: readonly SparseVector[] | SparseRowSource): SparseVectorIndex {
    const source: SparseRowSource = Array.isArray(vectors) ? { length: vectors.length, row: (r) => vectors[r]! } : (vectors as SparseRowSource);
    const size = source.length;
    const blocks = blockCount(size);
    const slots = new FeatureSlots();
    for (let row = 0; row < size; row++) {
      const { ids } = source.row(row);
      for (let j = 0; j < ids.length; j++) slots.slot(ids[j]!);
    }
    const distinct = slots.inserted.length;
    const features = Uint32Array.from(slots.inserted).sort();
    // Slot (first-seen order) → rank of its feature in ascending order.
    const rank = new Uint32Array(distinct);
    for (let r = 0; r < distinct; r++) rank[slots.slot(features[r]!)] = r;
    const starts = new Uint32Array(distinct * blocks + 1);
    for (let row = 0; row < size; row++) {
      const { ids } = source.row(row);
      const block = row >>> BLOCK_BITS;
      for (let j = 0; j < ids.length; j++) starts[rank[slots.slot(ids[j]!)]! * blocks + block + 1]!++;
    }
    for (let b = 0; b < distinct * blocks; b++) starts[b + 1]! += starts[b]!;
    const total = starts[distinct * blocks]!;
    const cursor = starts.slice(0, distinct * blocks);
    const rows = new Uint16Array(total);
    const weights = new Float32Array(total);
    for (let row = 0; row < size; row++) {
      const v = source.row(row);
      const block = row >>> BLOCK_BITS;
      const low = row & 0xffff;
      for (let j = 0; j < v.ids.length; j++) {
        const at = cursor[rank[slots.slot(v.ids[j]!)]! * blocks + block]!++;
        rows[at] = low;
        weights[at] = v.weights[j]!;
      }
    }
    return new SparseVectorIndex(size, features, starts, rows, weights);
  }

  /**
   * Every passage's sparse vector, rebuilt from the postings (an incremental build reuses the
   * vectors of unchanged documents). Features are visited in ascending order, so ids stay sorted.
   */
  rowVectors(): SparseVector[] {
    const { size, features, starts, rows, weights, blocks } = this;
    const rowStarts = new Uint32Array(size + 1);
    this.forEachPosting((row) => rowStarts[row + 1]!++);
    for (let r = 0; r < size; r++) rowStarts[r + 1]! += rowStarts[r]!;
    const cursor = rowStarts.slice(0, size);
    const ids = new Uint32Array(rows.length);
    const values = new Float32Array(rows.length);
    for (let f = 0; f < features.length; f++) {
      for (let h = 0; h < blocks; h++) {
        const high = h << BLOCK_BITS;
        for (let i = starts[f * blocks + h]!, end = starts[f * blocks + h + 1]!; i < end; i++) {
          const at = cursor[high | rows[i]!]!++;
          ids[at] = features[f]!;
          values[at] = weights[i]!;
        }
      }
    }
    return Array.from({ length: size }, (_, r) => ({ ids: ids.subarray(rowStarts[r]!, rowStarts[r + 1]!), weights: values.subarray(rowStarts[r]!, rowStarts[r + 1]!) }));
  }

  /** Calls `visit(row, posting)` for every posting, feature by feature, rows ascending. */
  private forEachPosting(visit: (row: number, posting: number) => void): void {
    const { features, starts, rows, blocks } = this;
    for (let f = 0; f < features.length; f++) {
      for (let h = 0; h < blocks; h++) {
        const high = h << BLOCK_BITS;
        for (let i = starts[f * blocks + h]!, end = starts[f * blocks + h + 1]!; i < end; i++) visit(high | rows[i]!, i);
      }
    }
  }

  /** The index as one binary blob (little-endian): header, features, offsets, rows (32-bit labels), weights. */
  serialize(): Uint8Array {
    const parts = [...this.serializedParts()];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }

  /**
   * What `serialize` returns, in parts of at most a few MB, so that a writer can stream a large
   * index to disk without a second copy of it in memory.
   */
  *serializedParts(): Generator<Uint8Array> {
    const { features, starts, blocks, rows, weights } = this;
    const distinct = features.length;
    const total = rows.length;
    const head = new Uint32Array(HEADER_WORDS + distinct + distinct + 1);
    head.set([MAGIC, 1, this.size, distinct, total]);
    head.set(features, HEADER_WORDS);
    for (let f = 0; f <= distinct; f++) head[HEADER_WORDS + distinct + f] = starts[f * blocks]!;
    yield bytesOf(head);
    for (const part of plainLabelParts(starts, rows, distinct, blocks, PART_WORDS)) yield bytesOf(part);
    for (let at = 0; at < total; at += PART_WORDS) yield bytesOf(weights.subarray(at, Math.min(total, at + PART_WORDS)));
  }

  /**
   * Reads what `serialize` wrote into the in-memory form: rows cut into blocks, weights copied
   * (nothing keeps `data` alive, so the file's bytes can be let go once loaded).
   */
  static deserialize(data: Uint8Array): SparseVectorIndex {
    let at = 0;
    const index = SparseVectorIndex.readFrom((into) => {
      if (at + into.byteLength > data.byteLength) throw new Error("sparse vector index: truncated");
      into.set(data.subarray(at, at + into.byteLength));
      at += into.byteLength;
    });
    if (at !== data.byteLength) throw new Error("sparse vector index: wrong length");
    return index;
  }

  /**
   * Reads what `serialize` wrote through `read`, which fills the buffer it is given with the next
   * bytes (throwing when there are none): the header, features and offsets, then the rows a part at
   * a time into their blocks, then the weights straight into their array. A Node loader reads the
   * file this way in pieces: at 100,000 passages it never holds the 155 MB file beside the index.
   * The index's arrays get their memory from `allocate` (shared memory for a server's answer threads).
   */
  static readFrom(read: (into: Uint8Array) => void, allocate: AllocateBuffer = allocatePlain): SparseVectorIndex {
    const header = new Uint32Array(HEADER_WORDS);
    read(bytesOf(header));
    const [magic, version, size, distinct, total] = header;
    if (magic !== MAGIC || version !== 1) throw new Error("sparse vector index: unknown format");
    // A damaged count must not ask for gigabytes: the counts bound each other.
    if (distinct! > total! || total! > size! * POSITION_SPAN) throw new Error("sparse vector index: wrong length");
    const features = new Uint32Array(allocate(distinct! * 4));
    read(bytesOf(features));
    const offsets = new Uint32Array(distinct! + 1);
    read(bytesOf(offsets));
    if (offsets[0] !== 0 || offsets[distinct!] !== total) throw new Error("sparse vector index: inconsistent offsets");
    for (let f = 0; f < distinct!; f++) if (offsets[f + 1]! < offsets[f]! || (f > 0 && features[f]! <= features[f - 1]!)) throw new Error("sparse vector index: unsorted postings");
    // Rows: counted per feature and block (ascending rows keep each posting where it is), kept as
    // their low 16 bits.
    const blocks = blockCount(size!);
    const starts = new Uint32Array(allocate((distinct! * blocks + 1) * 4));
    const rows = new Uint16Array(allocate(total! * 2));
    const part = new Uint32Array(Math.min(total!, PART_WORDS));
    let f = 0;
    let previous = -1;
    for (let first = 0; first < total!; first += part.length) {
      const labels = part.subarray(0, Math.min(part.length, total! - first));
      read(bytesOf(labels));
      for (let j = 0; j < labels.length; j++) {
        const i = first + j;
        while (offsets[f + 1] === i) {
          f++;
          previous = -1;
        }
        const row = labels[j]!;
        if (row >= size!) throw new Error("sparse vector index: a row beyond the index");
        if (row <= previous) throw new Error("sparse vector index: unsorted postings");
        previous = row;
        rows[i] = row & 0xffff;
        starts[f * blocks + (row >>> BLOCK_BITS) + 1]!++;
      }
    }
    for (let b = 0; b < distinct! * blocks; b++) starts[b + 1]! += starts[b]!;
    const weights = new Float32Array(allocate(total! * 4));
    read(bytesOf(weights));
    return new SparseVectorIndex(size!, features, starts, rows, weights);
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
    const { scores, seen, touched, rows, weights, starts, blocks } = this;
    let count = 0;
    for (let q = 0; q < query.ids.length; q++) {
      const f = this.findFeature(query.ids[q]!);
      if (f < 0) continue;
      const w = query.weights[q]!;
      for (let h = 0; h < blocks; h++) {
        const high = h << BLOCK_BITS;
        for (let i = starts[f * blocks + h]!, end = starts[f * blocks + h + 1]!; i < end; i++) {
          const row = high | rows[i]!;
          if (!seen[row]) {
            seen[row] = 1;
            touched[count++] = row;
          }
          scores[row]! += w * weights[i]!;
        }
      }
    }
    // Top k (ties by label); then clear the scores for the next query.
    const best = new TopK(Math.max(0, Math.min(k, this.size)));
    for (let t = 0; t < count; t++) {
      const row = touched[t]!;
      const similarity = scores[row]!;
      scores[row] = 0;
      seen[row] = 0;
      if (similarity <= 0 || !best.admits(similarity, row)) continue;
      if (filter && !filter(row)) continue;
      best.push(similarity, row);
    }
    return best.drain().map(({ key, score }) => ({ label: key, similarity: score }));
  }
}

