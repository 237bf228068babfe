import { create, insertMultiple, search, type Tokenizer } from "@orama/orama";
import { sectionOf } from "../../src/core/search/search-index.js";
import type { Peer, PeerInput } from "./peer.js";

// Orama's built-in tokenizers split Chinese into characters or not at all; it gets the same folded,
// segmented tokens our keyword index sees (space-joined), so the comparison is of the engines.
const spaceTokenizer: Tokenizer = {
  language: "chinese",
  normalizationCache: new Map(),
  tokenize: (raw) => raw.split(" ").filter(Boolean),
};

/** `@orama/orama` hybrid search (BM25 + vector, Orama's own fusion) over the same passages and vectors. */
export async function createOramaPeer(input: PeerInput): Promise<Peer> {
  const db = create({
    schema: { title: "string", section: "string", text: "string", ordinal: "number", embedding: `vector[${input.dimensions}]` },
    components: { tokenizer: spaceTokenizer },
  } as const);
  const docs = input.passages.map((p, i) => ({
    id: String(i),
    title: input.tokenize(input.titles[i]!).join(" "),
    section: input.tokenize(sectionOf(p)).join(" "),
    text: input.tokenize(p.text).join(" "),
    ordinal: i,
    embedding: Array.from(input.embeddings.subarray(i * input.dimensions, (i + 1) * input.dimensions)),
  }));
  await insertMultiple(db, docs, 1000);
  return {
    name: "orama",
    async search(question, k) {
      const vector = await input.embedQuery(question);
      const result = await search(db, {
        mode: "hybrid",
        term: input.tokenize(question).join(" "),
        vector: { value: vector, property: "embedding" },
        // Orama's default (0.8) drops every hashing-embedding neighbour; ours keeps similarity > 0.02.
        similarity: 0.02,
        boost: { title: 1.5, section: 2, text: 1 },
        limit: k,
      });
      return result.hits.map((h) => (h.document as { ordinal: number }).ordinal);
    },
  };
}
