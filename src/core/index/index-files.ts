import { createError } from "../errors.js";
import { parseKnowledge } from "../knowledge/knowledge.js";
import type { AllocateBuffer } from "../search/blocked-postings.js";
import { Bm25KeywordIndex } from "../search/keyword-index.js";
import { recipeMismatches, type IndexManifest, type IndexRecipe, type SearchIndex } from "../search/search-index.js";
import type { DocumentMeta, Passage, VectorIndex } from "../types.js";

/**
 * Loading a built index, for every runtime: Node reads the build folder from disk, the Worker reads
 * the same files from its static assets. Each adapter supplies only how a file's bytes are read and
 * checked (an `IndexFiles`) and how the vector side is opened; parsing, checks and assembly are here.
 */

/** A build's files as an adapter reads them: the manifest, and each data file verified against it. */
export interface IndexFiles {
  manifest: IndexManifest;
  /** The bytes of a data file, checked against the manifest's sha256 (throws INDEX_CORRUPT). */
  read(name: string): Uint8Array;
  /**
   * How a load error names its fix: "" for the catalog's default (npm run ingest), or a suffix such
   * as `，请运行 npm run build:worker-index`.
   */
  fix: string;
  /** A faster UTF-16LE decoder than TextDecoder's, where the runtime has one. */
  decodeUtf16le?: (bytes: Uint8Array) => string;
  /** Memory for the postings' arrays (shared memory when a Node server shares the index with its answer threads). */
  allocate?: AllocateBuffer;
}

/** The manifest from its JSON text, shape-checked: a damaged one is INDEX_CORRUPT. */
export function parseManifest(text: string, fix = ""): IndexManifest {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (cause) {
    throw createError("INDEX_CORRUPT", `manifest.json${fix ? ` 无法解析${fix}` : ""}`, { cause });
  }
  const m = manifest as Partial<IndexManifest> | null;
  if (!m || typeof m !== "object" || !m.files || !m.counts || !m.embedder || typeof m.buildId !== "string") throw createError("INDEX_CORRUPT", `manifest.json${fix}`);
  return m as IndexManifest;
}

/** Refuses an index built another way than `expected`, naming every difference. */
export function checkRecipe(manifest: IndexManifest, expected: IndexRecipe, fix = ""): void {
  const diffs = recipeMismatches(manifest, expected);
  if (diffs.length) throw createError("INDEX_VERSION_MISMATCH", `${diffs.join("；")}${fix}`);
}

const utf16 = new TextDecoder("utf-16le");
const utf8 = new TextDecoder();

/**
 * JSON text of an index file: UTF-16LE after a BOM (how Node's ingest writes passages: see
 * encodeJsonText in src/node/index-store.ts) or plain UTF-8 (the other files, the Worker's assets).
 * `decodeUtf16le` lets Node use Buffer's decoder, ≈ 2× faster than TextDecoder's there.
 */
export function decodeJsonText(data: Uint8Array, decodeUtf16le: (bytes: Uint8Array) => string = (bytes) => utf16.decode(bytes)): string {
  return data[0] === 0xff && data[1] === 0xfe ? decodeUtf16le(data.subarray(2)) : utf8.decode(data);
}

/**
 * The search index of a build: documents, passages, the BM25 index and the knowledge file from
 * `files`, the vector side from `openVectors` (sparse postings in memory, hnswlib on disk, Vectorize),
 * with the counts checked against the manifest. Anything unreadable is INDEX_CORRUPT.
 */
export function loadIndexFiles<V extends VectorIndex>(files: IndexFiles, openVectors: (passages: Passage[]) => V): SearchIndex & { vectors: V } {
  const { manifest, fix } = files;
  const text = (name: string) => decodeJsonText(files.read(name), files.decodeUtf16le);
  try {
    const documents = JSON.parse(text("documents.json")) as DocumentMeta[];
    const passages = shareRepeatedStrings(JSON.parse(text("passages.json")) as Passage[], documents);
    const keyword = Bm25KeywordIndex.load(text("keyword.json"), files.allocate);
    const knowledge = parseKnowledge(text("knowledge.json"));
    const vectors = openVectors(passages);
    if (passages.length !== manifest.counts.passages || vectors.size !== passages.length) throw createError("INDEX_CORRUPT", `段落数与向量数不一致${fix}`);
    return { manifest, documents, passages, docById: new Map(documents.map((d) => [d.id, d])), keyword, knowledge, vectors };
  } catch (error) {
    if (error instanceof Error && error.name === "AppError") throw error;
    throw createError("INDEX_CORRUPT", `${manifest.buildId}${fix}`, { cause: error });
  }
}

/**
 * JSON.parse makes a new string for every occurrence: here the copies that hold the same text are
 * made one. A folded text equal to the passage's own (four in five: Simplified text with nothing to
 * fold) becomes that string, a heading path repeated by a document's passages one shared array,
 * and the document id the document's. At 100,000 passages: ≈ 26 MB of folded text, ≈ 3.5 M
 * characters of headings (1,600 distinct paths) and 100,000 id strings. Nothing changes a
 * passage once loaded, so sharing is safe.
 */
function shareRepeatedStrings(passages: Passage[], documents: DocumentMeta[]): Passage[] {
  const docIds = new Map(documents.map((d) => [d.id, d.id]));
  const paths = new Map<string, string[]>();
  for (const p of passages) {
    if (p.folded === p.text) p.folded = p.text;
    const docId = docIds.get(p.docId);
    if (docId !== undefined) p.docId = docId;
    // \u0001 is not in cleaned text: two different paths never share a key.
    const key = p.headingPath.join("\u0001");
    const path = paths.get(key);
    if (path) p.headingPath = path;
    else paths.set(key, p.headingPath);
  }
  return passages;
}
