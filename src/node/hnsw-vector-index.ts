import { createRequire } from "node:module";
import { denseQuery } from "../core/search/sparse-vector-index.js";
import type { HierarchicalNSW as NativeIndex } from "hnswlib-node";
import type { VectorIndex, VectorQuery, VectorSearchHit } from "../core/types.js";

const require = createRequire(import.meta.url);
let nativeClass: typeof NativeIndex | undefined;
/**
 * hnswlib-node's native module, opened on the first graph built or loaded: only an index made with
 * an embedding service has one, so a server on the embedded model (and each of its answer threads)
 * does not load it at start-up.
 */
const HierarchicalNSW = (): typeof NativeIndex => (nativeClass ??= (require("hnswlib-node") as { HierarchicalNSW: typeof NativeIndex }).HierarchicalNSW);

/** HNSW parameters: recorded in the manifest, so a change triggers a rebuild. */
export const HNSW_PARAMS = { space: "cosine", m: 16, efConstruction: 64, efSearch: 96, seed: 42 } as const;

/** hnswlib-node (native) cosine index. Labels are passage ordinals in the index. */
export class HnswVectorIndex implements VectorIndex {
  static readonly ID = `hnswlib-cosine-m${HNSW_PARAMS.m}-ef${HNSW_PARAMS.efConstruction}`;
  readonly id = HnswVectorIndex.ID;
  private constructor(
    private readonly index: NativeIndex,
    readonly dimensions: number,
    /** The file it was loaded from: an answer thread loads its own graph from it (native memory is not shareable). */
    readonly file?: string,
  ) {}

  static build(vectors: ArrayLike<number>[], dimensions: number): HnswVectorIndex {
    const index = new (HierarchicalNSW())(HNSW_PARAMS.space, dimensions);
    index.initIndex(Math.max(1, vectors.length), HNSW_PARAMS.m, HNSW_PARAMS.efConstruction, HNSW_PARAMS.seed);
    vectors.forEach((v, label) => index.addPoint(Array.from(v), label));
    index.setEf(HNSW_PARAMS.efSearch);
    return new HnswVectorIndex(index, dimensions);
  }

  static load(file: string, dimensions: number): HnswVectorIndex {
    const index = new (HierarchicalNSW())(HNSW_PARAMS.space, dimensions);
    index.readIndexSync(file);
    index.setEf(HNSW_PARAMS.efSearch);
    return new HnswVectorIndex(index, dimensions, file);
  }

  get size(): number {
    return this.index.getCurrentCount();
  }

  save(file: string): void {
    this.index.writeIndexSync(file);
  }

  search(query: VectorQuery, k: number, filter?: (label: number) => boolean): VectorSearchHit[] {
    const vector = denseQuery(query);
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    const dense = Array.isArray(vector) ? vector : Array.from(vector);
    const result = filter ? this.index.searchKnn(dense, n, filter) : this.index.searchKnn(dense, n);
    return result.neighbors.map((label, i) => ({ label, similarity: 1 - (result.distances[i] ?? 1) }));
  }
}
