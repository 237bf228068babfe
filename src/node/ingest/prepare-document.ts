import { isAppError } from "../../core/errors.js";
import { processDocument, type ProcessedDocument, type SidecarEntry } from "../../core/ingest/process-document.js";
import type { HashingEmbeddings } from "../../core/search/hashing-embeddings.js";
import { embeddingHeading } from "../../core/search/search-index.js";
import type { SparseVector } from "../../core/search/sparse-vector-index.js";
import { foldedTokenizer, type Tokenize } from "../../core/search/tokenizer.js";
import type { MojibakeModel } from "../../core/text/clean/mojibake.js";
import { foldForMatching } from "../../core/text/fold.js";
import type { Vocabulary } from "../../core/search/vocabulary.js";
import { readDocument, type ReadResult } from "../readers/read-document.js";

/** One corpus file as ingest hands it to a preparer. */
export interface DocumentJob {
  file: string;
  bytes: Uint8Array;
  sidecar?: SidecarEntry;
  contentHash: string;
  /** The file's reading, when it was started ahead (a reader thread); otherwise it is read here. */
  read?: Promise<ReadResult>;
}

/**
 * A document read, cleaned, structured and chunked, with each passage's tokens (of its folded
 * text) and, for the hashing model, its sparse vector: the per-document part of ingest.
 */
export type PreparedDocument =
  | { ok: true; processed: ProcessedDocument; tokens: PassageTokens; sparse?: SparseVector[] }
  | { ok: false; code: string; reason: string };

/** Each passage's tokens as ids of a vocabulary: passage i's are `ids[offsets[i] … offsets[i+1]]`. */
export interface PassageTokens {
  ids: Uint32Array;
  offsets: Uint32Array;
}

export function passageTokenIds(tokens: PassageTokens, i: number): Uint32Array {
  return tokens.ids.subarray(tokens.offsets[i]!, tokens.offsets[i + 1]!);
}

export interface PrepareTools {
  tokenize: Tokenize;
  /** Where passage tokens become ids. */
  vocabulary: Vocabulary;
  mojibake: MojibakeModel;
  /** The hashing embedder when the index stores sparse vectors (and they are not reused). */
  sparse?: HashingEmbeddings | undefined;
}

/** Prepares one document; a broken one comes back as `ok: false` with the reason, never a throw. */
export async function prepareDocument(job: DocumentJob, tools: PrepareTools): Promise<PreparedDocument> {
  try {
    const read = await (job.read ?? readDocument(job.file, job.bytes));
    const processed = processDocument({
      file: job.file,
      text: read.text,
      contentHash: job.contentHash,
      mojibake: tools.mojibake,
      ...(job.sidecar ? { sidecar: job.sidecar } : {}),
      ...(read.title ? { readerTitle: read.title } : {}),
    });
    // What the reader saw (pages) and removed (page numbers, running headers) joins the structure report.
    if (read.pages !== undefined) processed.report.found = { ...processed.report.found, pages: read.pages };
    if (read.dropped) processed.report.dropped = { ...read.dropped, ...processed.report.dropped };
    const tokenizeFolded = foldedTokenizer(tools.tokenize);
    const tokens = processed.passages.map((p) => tokenizeFolded(p.folded));
    const offsets = new Uint32Array(tokens.length + 1);
    tokens.forEach((t, i) => (offsets[i + 1] = offsets[i]! + t.length));
    const ids = new Uint32Array(offsets[tokens.length]!);
    let at = 0;
    for (const passageTokens of tokens) for (const token of passageTokens) ids[at++] = tools.vocabulary.id(token);
    const encoded = { ids, offsets };
    if (!tools.sparse) return { ok: true, processed, tokens: encoded };
    // embeddingText is the heading line, a newline, then the passage: its tokens and fold are the
    // heading's followed by the passage's. Headings repeat across a document's passages.
    const headings = new Map<string, { ids: Uint32Array; folded: string }>();
    const sparse = processed.passages.map((p, i) => {
      const heading = embeddingHeading(p);
      let h = headings.get(heading);
      if (!h) headings.set(heading, (h = { ids: tools.vocabulary.encode(tools.tokenize(heading)), folded: foldForMatching(heading) }));
      const own = passageTokenIds(encoded, i);
      const all = new Uint32Array(h.ids.length + own.length);
      all.set(h.ids);
      all.set(own, h.ids.length);
      return tools.sparse!.sparseEncoded(all, tools.vocabulary, `${h.folded}\n${p.folded}`);
    });
    return { ok: true, processed, tokens: encoded, sparse };
  } catch (error) {
    return {
      ok: false,
      code: isAppError(error) ? error.code : "BROKEN_DOCUMENT",
      reason: isAppError(error) ? error.detail : `无法处理：${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
