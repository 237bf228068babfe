import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { embeddingText } from "../core/search/search-index.js";
import { labelledIdPrefix, labelledVectorId, utf8Bytes, VECTORIZE_LIMITS, type VectorizeBinding, type VectorizeMetadata, type VectorizeVectorRecord } from "../core/search/vectorize-vector-index.js";
import type { DocumentMeta, Passage } from "../core/types.js";

export interface VectorizeUploadOptions {
  passages: Passage[];
  documents: DocumentMeta[];
  /** The build id: the namespace the Worker queries for this build's vectors. */
  namespace: string;
  embeddings: EmbeddingsInterface;
  vectorize: Pick<VectorizeBinding, "upsert">;
  /** Vectors per upsert (≤ 1000, the binding limit; the HTTP API takes 5000). */
  batchSize?: number;
  onBatch?: (done: number, total: number) => void;
}

/**
 * Embeds every passage (section + text, as the Node build does) and upserts the vectors into
 * Vectorize in batches within the documented limits, under the build's namespace, with ids of the
 * build and the passage's label (the order of `passages`, which must be the index's). Metadata stays
 * small (ids, year, kind): passage text is served from the static assets, not from Vectorize.
 */
export async function uploadToVectorize(options: VectorizeUploadOptions): Promise<{ vectors: number; batches: number; mutations: string[] }> {
  const batchSize = Math.min(options.batchSize ?? VECTORIZE_LIMITS.maxUpsertBatch, VECTORIZE_LIMITS.maxUpsertBatch);
  if (utf8Bytes(options.namespace) > VECTORIZE_LIMITS.maxNamespaceBytes) throw new Error(`namespace ${options.namespace} exceeds 64 bytes`);
  const docs = new Map(options.documents.map((d) => [d.id, d]));
  // Ids carry the build: Vectorize ids are unique per index, so the next build's upload must not
  // overwrite the vectors of the one still serving.
  const idPrefix = labelledIdPrefix(options.namespace);
  const mutations: string[] = [];
  let batches = 0;
  for (let start = 0; start < options.passages.length; start += batchSize) {
    const batch = options.passages.slice(start, start + batchSize);
    const vectors = await options.embeddings.embedDocuments(batch.map(embeddingText));
    const records: VectorizeVectorRecord[] = batch.map((p, i) => {
      const doc = docs.get(p.docId);
      const metadata: VectorizeMetadata = { passageId: p.id, docId: p.docId, ...(doc?.year !== undefined ? { year: doc.year } : {}), ...(doc?.kind ? { kind: doc.kind } : {}) };
      return { id: labelledVectorId(idPrefix, start + i), values: vectors[i]!, namespace: options.namespace, metadata };
    });
    const { mutationId } = await options.vectorize.upsert(records);
    mutations.push(mutationId);
    batches++;
    options.onBatch?.(Math.min(start + batchSize, options.passages.length), options.passages.length);
  }
  return { vectors: options.passages.length, batches, mutations };
}
