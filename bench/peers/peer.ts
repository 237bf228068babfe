import type { Passage } from "../../src/core/types.js";

/** What every system under test is built from: the passages of one index build and their vectors. */
export interface PeerInput {
  passages: Passage[];
  /** Document title per passage (by position). */
  titles: string[];
  /** Row-major passage vectors from the same embedder our index uses. */
  embeddings: Float32Array;
  dimensions: number;
  tokenize: (text: string) => string[];
  embedQuery: (text: string) => Promise<number[]>;
}

/** A search system measured by the benchmark: returns passage ordinals, best first. */
export interface Peer {
  readonly name: string;
  search(question: string, k: number): Promise<number[]>;
}
