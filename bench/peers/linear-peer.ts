import { Document, type DocumentInterface } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { VectorStore } from "@langchain/core/vectorstores";
import type { Peer, PeerInput } from "./peer.js";

interface MemoryVector {
  content: string;
  embedding: number[];
  metadata: Record<string, unknown>;
}

/** Cosine similarity as langchain's MemoryVectorStore computes it (ml-distance's `cosine`). */
function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

/**
 * The in-memory vector store LangChain documents (`MemoryVectorStore`), which @langchain/core 1.x
 * no longer ships (it lives in the `langchain` package): vectors kept as number[] beside their
 * documents, every query scored against every vector, sorted, top k. Built on core's VectorStore.
 */
export class LinearScanVectorStore extends VectorStore {
  declare FilterType: (doc: DocumentInterface) => boolean;
  private readonly memoryVectors: MemoryVector[] = [];

  constructor(embeddings: EmbeddingsInterface) {
    super(embeddings, {});
  }

  _vectorstoreType(): string {
    return "memory";
  }

  async addDocuments(documents: DocumentInterface[]): Promise<void> {
    await this.addVectors(await this.embeddings.embedDocuments(documents.map((d) => d.pageContent)), documents);
  }

  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<void> {
    vectors.forEach((embedding, i) => {
      this.memoryVectors.push({ content: documents[i]!.pageContent, embedding, metadata: documents[i]!.metadata });
    });
  }

  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this["FilterType"]): Promise<[DocumentInterface, number][]> {
    const candidates = filter
      ? this.memoryVectors.filter((v) => filter(new Document({ pageContent: v.content, metadata: v.metadata })))
      : this.memoryVectors;
    return candidates
      .map((vector, index) => ({ similarity: cosine(query, vector.embedding), index }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, k)
      .map(({ similarity, index }) => [new Document({ pageContent: candidates[index]!.content, metadata: candidates[index]!.metadata }), similarity]);
  }
}

/** Linear-scan cosine search through LangChain's VectorStore interface, over the same vectors. */
export async function createLinearPeer(input: PeerInput, embeddings: EmbeddingsInterface): Promise<Peer> {
  const store = new LinearScanVectorStore(embeddings);
  const vectors = input.passages.map((_, i) => Array.from(input.embeddings.subarray(i * input.dimensions, (i + 1) * input.dimensions)));
  await store.addVectors(vectors, input.passages.map((p, i) => new Document({ pageContent: p.text, metadata: { ordinal: i } })));
  return {
    name: "linear",
    async search(question, k) {
      const hits = await store.similaritySearch(question, k);
      return hits.map((d) => d.metadata.ordinal as number);
    },
  };
}
