import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createError, isAppError } from "../../core/errors.js";
import type { DocumentReport } from "../../core/ingest/process-document.js";
import { HashingEmbeddings } from "../../core/search/hashing-embeddings.js";
import { buildKnowledge, startKnowledgeBuild, type KnowledgeBuild } from "../knowledge.js";
import { characterFrequencies } from "../../core/knowledge/knowledge.js";
import { Bm25KeywordIndex, type EncodedKeywordDocument } from "../../core/search/keyword-index.js";
import { embeddingText, recipeMismatches, sectionOf, type IndexManifest } from "../../core/search/search-index.js";
import { SparseRows, SparseVectorIndex, type SparseVector } from "../../core/search/sparse-vector-index.js";
import { Vocabulary } from "../../core/search/vocabulary.js";
import type { DocumentMeta, Passage } from "../../core/types.js";
import { HnswVectorIndex } from "../hnsw-vector-index.js";
import { loadIndex, readManifest, saveIndex } from "../index-store.js";
import { createMojibakeModel } from "../jieba-segmenter.js";
import { createDocumentReader, type DocumentReader } from "../readers/document-reader.js";
import { passageTokenIds, prepareDocument, type DocumentJob, type PreparedDocument } from "./prepare-document.js";
import { listCorpusFiles, readSidecar } from "./corpus-files.js";

// What start-up needs to decide whether to build (kept light: no readers, no cleaners).
export { indexIsStale, listCorpusFiles, PROFILE_FILE, readSidecar, SIDECAR_FILE } from "./corpus-files.js";
import type { NodeRuntime } from "../runtime.js";

/** How many files are read ahead of the one being prepared, per reader thread: each is kept busy, and a few files' bytes at most are held. */
const READ_AHEAD_PER_THREAD = 2;

export interface IngestedDocument {
  file: string;
  docId: string;
  title: string;
  year?: number;
  reused: boolean;
  report: DocumentReport;
}

export interface SkippedDocument {
  file: string;
  code: string;
  reason: string;
}

export interface IngestResult {
  buildDir: string;
  manifest: Omit<IndexManifest, "files">;
  documents: IngestedDocument[];
  skipped: SkippedDocument[];
  embedded: number;
  reusedPassages: number;
  /** Characters of the passages indexed (throughput = characters / seconds). */
  characters: number;
  seconds: number;
}

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  runtime: NodeRuntime;
  onProgress?: (event: { phase: "read" | "embed"; done: number; total: number; file?: string }) => void;
  /** Where files are read (a reader thread, started ahead by the CLI with the corpus's formats); the ingest closes it. */
  reader?: DocumentReader;
  /** Test hook: called after the new build is written to its temporary folder, before it is made current. */
  beforeCommit?: () => void;
}

interface Reusable {
  passages: Passage[];
  vectors: Array<Float32Array | SparseVector>;
}

/** Passages and vectors of the current build, by document content hash, when its recipe matches. */
function previousBuild(indexDir: string, runtime: NodeRuntime): Map<string, Reusable> {
  const reusable = new Map<string, Reusable>();
  try {
    const manifest = readManifest(indexDir);
    if (!manifest || recipeMismatches(manifest, runtime.recipe).length) return reusable;
    const index = loadIndex(indexDir, runtime.recipe);
    const sparse = index.vectors instanceof SparseVectorIndex ? index.vectors.rowVectors() : undefined;
    const dims = manifest.embedder.dimensions;
    for (const doc of manifest.documents) {
      const passages = index.passages.slice(doc.firstPassage, doc.firstPassage + doc.passages);
      const vectors = sparse
        ? sparse.slice(doc.firstPassage, doc.firstPassage + doc.passages)
        : passages.map((_, i) => index.embeddings!.slice((doc.firstPassage + i) * dims, (doc.firstPassage + i + 1) * dims));
      reusable.set(doc.contentHash, { passages, vectors });
    }
  } catch {
    // An unreadable previous build is simply not reused: the new build starts from scratch.
  }
  return reusable;
}

/** A document's folded text for the knowledge build: its passages' folded texts, a line each. */
function foldedText(passages: readonly Passage[]): string {
  return passages.map((p) => p.folded).join("\n");
}

/** The hashing embedder whose sparse features a sparse-index recipe stores. */
function sparseEmbedder(runtime: NodeRuntime): HashingEmbeddings {
  if (!(runtime.embeddings instanceof HashingEmbeddings)) throw new Error("a sparse vector index needs the embedded hashing model");
  return runtime.embeddings;
}

/**
 * corpus/ → index/. Each document is read, cleaned, structured and chunked; passages of documents
 * whose content hash is unchanged reuse their previous vectors; the new build is written beside the
 * old one and made current by one atomic rename. A broken document is reported and skipped.
 */
export async function ingestCorpus(options: IngestOptions): Promise<IngestResult> {
  const started = performance.now();
  let knowledgeBuild: KnowledgeBuild | undefined;
  try {
    if (!existsSync(options.corpusDir)) throw createError("NOTHING_INDEXED", `语料目录不存在：${options.corpusDir}`);
    // The knowledge build loads its dictionary and takes each document's places beside the reading.
    knowledgeBuild = startKnowledgeBuild(options.runtime.profile);
    return await buildIndex(options, knowledgeBuild, started);
  } finally {
    knowledgeBuild?.cancel();
    // The caller's reader threads end with the ingest, however it ends.
    options.reader?.close();
  }
}

async function buildIndex(options: IngestOptions, knowledgeBuild: KnowledgeBuild, started: number): Promise<IngestResult> {
  const { corpusDir, indexDir, runtime } = options;
  const sidecar = readSidecar(corpusDir);
  const files = listCorpusFiles(corpusDir);
  const previous = previousBuild(indexDir, runtime);

  const documents: DocumentMeta[] = [];
  const passages: Passage[] = [];
  /** Dense embeddings by passage (an embedding service); the hashing model's go to `sparseRows`. */
  const vectors: Array<Float32Array | undefined> = [];
  const ingested: IngestedDocument[] = [];
  const skipped: Array<SkippedDocument & { contentHash?: string }> = [];
  const manifestDocs: IndexManifest["documents"] = [];
  const seenIds = new Set<string>();

  // The per-document work: read, clean, chunk, tokens as vocabulary ids, sparse vectors.
  const sparse = runtime.recipe.vectorIndex.id === SparseVectorIndex.ID ? sparseEmbedder(runtime) : undefined;
  // Sparse vectors are copied into a few large arrays as each document is done (see SparseRows).
  let sparseRows = sparse ? new SparseRows() : undefined;
  const vocabulary = new Vocabulary();
  const tools = { tokenize: runtime.tokenize, vocabulary, mojibake: createMojibakeModel(), ...(sparse ? { sparse } : {}) };
  // Files are read a few ahead of the one being prepared: a PDF, Word file or saved page is parsed in
  // the reader thread while this thread cleans, chunks and tokenizes the documents before it.
  const reader = options.reader ?? createDocumentReader();
  type Submitted = { file: string; contentHash?: string; job?: DocumentJob; failed?: PreparedDocument };
  const submit = (file: string): Submitted => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(corpusDir, file));
    } catch (error) {
      return { file, failed: { ok: false, code: "BROKEN_DOCUMENT", reason: `无法读取：${error instanceof Error ? error.message : String(error)}` } };
    }
    const entry = sidecar[file];
    // The hash covers the sidecar entry too: a corrected title changes the passages' heading paths.
    const contentHash = createHash("sha256").update(bytes).update(JSON.stringify(entry ?? null)).digest("hex");
    const read = reader.read(file, new Uint8Array(bytes));
    // Settled when its turn comes; until then its failure is not unhandled.
    read.catch(() => undefined);
    return { file, contentHash, job: { file, bytes: new Uint8Array(bytes), contentHash, read, ...(entry ? { sidecar: entry } : {}) } };
  };
  const ahead: Submitted[] = [];
  let submitted = 0;
  const prepare = async (): Promise<{ contentHash?: string; prepared: PreparedDocument }> => {
    while (submitted < files.length && ahead.length <= READ_AHEAD_PER_THREAD * Math.max(1, reader.threads)) ahead.push(submit(files[submitted++]!));
    const { contentHash, job, failed } = ahead.shift()!;
    if (!job) return { prepared: failed! };
    // An unchanged document reuses its vectors: none to compute.
    return { contentHash, prepared: await prepareDocument(job, previous.has(contentHash!) ? { ...tools, sparse: undefined } : tools) };
  };

  // Passage tokens arrive as vocabulary ids: they feed the keyword index (the sparse vectors were
  // computed beside them). Headings repeat across a document's passages: tokenized once each.
  const headingIds = new Map<string, Uint32Array>();
  const idsOf = (text: string) => {
    let ids = headingIds.get(text);
    if (!ids) headingIds.set(text, (ids = vocabulary.encode(runtime.tokenize(text))));
    return ids;
  };
  const keywordDocs: EncodedKeywordDocument[] = [];
  let reusedPassages = 0;

  try {
    for (const [i, file] of files.entries()) {
      options.onProgress?.({ phase: "read", done: i, total: files.length, file });
      const { contentHash, prepared } = await prepare();
      if (!prepared.ok) {
        skipped.push({ file, ...(contentHash ? { contentHash } : {}), code: prepared.code, reason: prepared.reason });
        continue;
      }
      try {
        const { processed, tokens } = prepared;
        if (!processed.passages.length) throw createError("EMPTY_DOCUMENT", file);
        if (seenIds.has(processed.meta.id)) throw createError("BAD_REQUEST", `文件 ${file} 与其他文件的编号 ${processed.meta.id} 重复`);
        seenIds.add(processed.meta.id);

        const old = previous.get(contentHash!);
        const reused = Boolean(old && old.passages.length === processed.passages.length);
        if (reused) reusedPassages += processed.passages.length;
        const firstPassage = passages.length;
        const titleIds = idsOf(processed.meta.title);
        processed.passages.forEach((p, j) => {
          const ordinal = firstPassage + j;
          // A folded text equal to the text (four passages in five) is held once (as a load does).
          if (p.folded === p.text) p.folded = p.text;
          passages.push(p);
          if (sparseRows) {
            // A reusable document whose chunking came out different (not expected with an equal
            // recipe) gets its sparse vectors here.
            sparseRows.append(reused ? (old!.vectors[j] as SparseVector) : (prepared.sparse?.[j] ?? sparse!.sparse(embeddingText(p))));
          } else vectors[ordinal] = reused ? (old!.vectors[j] as Float32Array) : undefined;
          keywordDocs.push({ id: ordinal, fields: [titleIds, idsOf(sectionOf(p)), passageTokenIds(tokens, j)] });
        });
        documents.push(processed.meta);
        knowledgeBuild.addDocument(processed.meta.title, foldedText(processed.passages));
        manifestDocs.push({ id: processed.meta.id, file, contentHash: contentHash!, passages: processed.passages.length, firstPassage });
        ingested.push({
          file,
          docId: processed.meta.id,
          title: processed.meta.title,
          ...(processed.meta.year !== undefined ? { year: processed.meta.year } : {}),
          reused,
          report: processed.report,
        });
      } catch (error) {
        skipped.push({
          file,
          ...(contentHash ? { contentHash } : {}),
          code: isAppError(error) ? error.code : "BROKEN_DOCUMENT",
          reason: isAppError(error) ? error.detail : `无法处理：${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
  } finally {
    reader.close();
  }
  options.onProgress?.({ phase: "read", done: files.length, total: files.length });
  if (!passages.length) throw createError("NOTHING_INDEXED", `${corpusDir}（共 ${files.length} 个文件，${skipped.length} 个被跳过）`);

  // The previous build's passages and vectors have been copied where reused.
  previous.clear();
  const keyword = Bm25KeywordIndex.buildEncoded(vocabulary.terms, keywordDocs);
  // What each builder has read is let go as soon as it is built: at 100,000 passages the token ids
  // are ≈ 50 MB and the per-passage sparse vectors ≈ 155 MB.
  keywordDocs.length = 0;
  headingIds.clear();

  // The knowledge thread finishes with the vocabulary while the vector index is built here; should
  // the thread fail, the knowledge is built in this thread instead (the same tables).
  const stats = { documentFrequencies: [...keyword.documentFrequencies()], passages: passages.length, generalIdf: runtime.idf, characters: characterFrequencies(passages.map((p) => p.folded)) };
  const knowledgePending = knowledgeBuild.finish(stats).catch(() =>
    buildKnowledge({
      profile: runtime.profile,
      ...stats,
      // A document's passages are consecutive from its first (manifestDocs is in documents' order).
      // Its text is joined when read, so the corpus's texts are not all held twice at once.
      documents: documents.map((d, i) => {
        const { firstPassage, passages: count } = manifestDocs[i]!;
        return {
          title: d.title,
          get folded() {
            return foldedText(passages.slice(firstPassage, firstPassage + count));
          },
        };
      }),
    }),
  );

  let vectorIndex: HnswVectorIndex | SparseVectorIndex;
  let flat: Float32Array | undefined;
  if (sparse) {
    options.onProgress?.({ phase: "embed", done: passages.length - reusedPassages, total: passages.length - reusedPassages });
    vectorIndex = SparseVectorIndex.build(sparseRows!);
    sparseRows = undefined;
  } else {
    // A dense embedding service: embed only what is new, in batches, reporting progress.
    const todo = passages.map((_, i) => i).filter((i) => !vectors[i]);
    const batch = 64;
    for (let start = 0; start < todo.length; start += batch) {
      const slice = todo.slice(start, start + batch);
      const embedded = await runtime.embeddings.embedDocuments(slice.map((i) => embeddingText(passages[i]!)));
      slice.forEach((i, j) => (vectors[i] = Float32Array.from(embedded[j]!)));
      options.onProgress?.({ phase: "embed", done: Math.min(start + batch, todo.length), total: todo.length });
    }
    const dims = runtime.recipe.embedder.dimensions;
    flat = new Float32Array(passages.length * dims);
    vectors.forEach((v, i) => flat!.set(v as Float32Array, i * dims));
    vectorIndex = HnswVectorIndex.build(vectors as Float32Array[], dims);
  }

  const knowledge = await knowledgePending;

  const builtAt = new Date().toISOString();
  const manifest: Omit<IndexManifest, "files"> = {
    ...runtime.recipe,
    buildId: `${builtAt.replace(/[-:.TZ]/g, "").slice(0, 17)}-${process.pid}`,
    builtAt,
    documents: manifestDocs,
    skipped: skipped.flatMap((s) => (s.contentHash ? [{ file: s.file, contentHash: s.contentHash, code: s.code }] : [])),
    counts: {
      documents: documents.length,
      passages: passages.length,
      redactions: passages.reduce((n, p) => n + p.redactions.length, 0),
    },
  };
  options.beforeCommit?.();
  const buildDir = saveIndex(indexDir, { manifest, documents, passages, keyword, knowledge, vectors: vectorIndex, ...(flat ? { embeddings: flat } : {}) });
  return {
    buildDir,
    manifest,
    documents: ingested,
    skipped,
    embedded: passages.length - reusedPassages,
    reusedPassages,
    characters: passages.reduce((n, p) => n + p.text.length, 0),
    seconds: (performance.now() - started) / 1000,
  };
}

