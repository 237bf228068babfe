import type { Knowledge } from "../knowledge/knowledge.js";
import type { DocumentMeta, Passage, VectorIndex } from "../types.js";
import { HashingEmbeddings } from "./hashing-embeddings.js";
import { SparseVectorIndex } from "./sparse-vector-index.js";
import type { KeywordDocument, Bm25KeywordIndex } from "./keyword-index.js";
import { CHUNKER_VERSION } from "../ingest/process-document.js";
import { TOKENIZER_VERSION, type Tokenize } from "./tokenizer.js";

/** Bump when the on-disk layout changes. */
export const INDEX_FORMAT_VERSION = 3;

/** How an index was built: a loader refuses an index whose recipe differs from its own. */
export interface IndexRecipe {
  formatVersion: number;
  embedder: { id: string; dimensions: number };
  vectorIndex: { id: string; metric: "cosine" };
  segmenter: string;
  tokenizer: string;
  chunker: string;
  /** Knowledge format, lexicon and division data versions, and the bureau profile's id. */
  knowledge: string;
}

export interface IndexManifest extends IndexRecipe {
  buildId: string;
  builtAt: string;
  documents: Array<{ id: string; file: string; contentHash: string; passages: number; firstPassage: number }>;
  /** Files that could not be indexed, so an unchanged broken file does not look like a change. */
  skipped?: Array<{ file: string; contentHash: string; code: string }>;
  counts: { documents: number; passages: number; redactions: number };
  /** sha256 of every data file, checked at load to catch truncation or corruption. */
  files: Record<string, string>;
}

/** Everything search needs, in memory. Passage ordinal in `passages` = vector label = keyword id. */
export interface SearchIndex {
  manifest: IndexManifest;
  documents: DocumentMeta[];
  passages: Passage[];
  docById: Map<string, DocumentMeta>;
  keyword: Bm25KeywordIndex;
  /** Lexicon bridges, places, salience and the bureau profile the index was built with. */
  knowledge: Knowledge;
  vectors: VectorIndex;
}

/** The heading path below the document title: what a person calls the passage's section. */
export function sectionOf(passage: Passage): string {
  const path = passage.headingPath.slice(1);
  const article = articleOf(passage);
  return (article && path.at(-1) !== article ? [...path, article] : path).join(" › ");
}

/** A regulation's article number (第四十一条) that opens a passage: cited with it, as a handbook cites a law. */
const ARTICLE = /^第[一二三四五六七八九十百零〇两\d]+条(?=[\s\u3000]|$)/;

/** The article a passage is (the 第N条 its text opens with), if any. */
export function articleOf(passage: Passage): string | undefined {
  return ARTICLE.exec(passage.text)?.[0];
}

/**
 * The table a row belongs to: its document, its first heading under the title (an annex: 附件3 …一览表)
 * and its first column's name. A table split over sections (一、城区… 二、乡镇…), or whose rows leave
 * some cells empty, is one. Undefined for a passage that is not a named-column row.
 */
export function tableOf(passage: Passage): string | undefined {
  if (passage.kind !== "table-row" || !passage.fields) return undefined;
  return `${passage.docId}\n${passage.headingPath[1] ?? ""}\n${Object.keys(passage.fields)[0] ?? ""}`;
}

/** The heading line embedded with a passage: its section gives context that the body may lack. */
export function embeddingHeading(passage: Passage): string {
  return passage.headingPath.slice(1).join(" ");
}

/** The text that is embedded for a passage: the heading line, a newline, the passage. */
export function embeddingText(passage: Passage): string {
  return `${embeddingHeading(passage)}\n${passage.text}`;
}

export function keywordDocument(label: number, passage: Passage, doc: DocumentMeta, tokenize: Tokenize): KeywordDocument {
  return {
    id: label,
    title: tokenize(doc.title),
    section: tokenize(sectionOf(passage)),
    text: tokenize(passage.text),
  };
}

/**
 * The recipe of an index built with this segmenter and embedder. The embedded hashing model's
 * features go into sparse postings (exact, and built in one pass); a dense embedding model's
 * vectors go into `denseIndexId` (hnswlib on Node, Vectorize on Workers).
 */
export function indexRecipe(segmenterId: string, embeddings: { id: string; dimensions: number }, denseIndexId: string, knowledgeId: string): IndexRecipe {
  const sparse = embeddings instanceof HashingEmbeddings;
  return {
    formatVersion: INDEX_FORMAT_VERSION,
    embedder: sparse ? { id: embeddings.sparseId, dimensions: 0 } : { id: embeddings.id, dimensions: embeddings.dimensions },
    vectorIndex: { id: sparse ? SparseVectorIndex.ID : denseIndexId, metric: "cosine" },
    segmenter: segmenterId,
    tokenizer: TOKENIZER_VERSION,
    chunker: CHUNKER_VERSION,
    knowledge: knowledgeId,
  };
}

/** Compares the recipe an index was built with against the running code; returns the differences. */
export function recipeMismatches(saved: IndexRecipe, expected: IndexRecipe): string[] {
  const diffs: string[] = [];
  const check = (name: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`${name}: 索引为 ${JSON.stringify(a)}，当前为 ${JSON.stringify(b)}`);
  };
  check("formatVersion", saved.formatVersion, expected.formatVersion);
  check("embedder", saved.embedder, expected.embedder);
  check("vectorIndex", saved.vectorIndex, expected.vectorIndex);
  check("segmenter", saved.segmenter, expected.segmenter);
  check("tokenizer", saved.tokenizer, expected.tokenizer);
  check("chunker", saved.chunker, expected.chunker);
  check("knowledge", saved.knowledge, expected.knowledge);
  return diffs;
}
