import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { createError } from "../core/errors.js";
import { checkRecipe, decodeJsonText as decodeJsonTextWith, loadIndexFiles, parseManifest, type IndexFiles } from "../core/index/index-files.js";
import type { Knowledge } from "../core/knowledge/knowledge.js";
import type { AllocateBuffer } from "../core/search/blocked-postings.js";
import type { Bm25KeywordIndex } from "../core/search/keyword-index.js";
import type { IndexManifest, IndexRecipe, SearchIndex } from "../core/search/search-index.js";
import { SparseVectorIndex } from "../core/search/sparse-vector-index.js";
import type { DocumentMeta, Passage } from "../core/types.js";
import { HnswVectorIndex } from "./hnsw-vector-index.js";

/**
 * On-disk layout of index/:
 *   current.json            → { "build": "<buildId>" }  (replaced atomically by rename)
 *   builds/<buildId>/manifest.json, documents.json, passages.json, keyword.json, and either
 *                    vectors.sparse (the embedded hashing model's feature postings) or
 *                    vectors.hnsw + embeddings.f32 (a dense embedding service: graph and raw vectors,
 *                    the latter reused by incremental builds)
 * A build is written to builds/.tmp-<id>, renamed to builds/<id>, then current.json is swapped.
 * Killing the process at any point leaves current.json pointing at a complete build.
 */

const POINTER = "current.json";
const BUILDS = "builds";
const KEEP_BUILDS = 2;

const TEXT_FILES = ["documents.json", "passages.json", "keyword.json", "knowledge.json"] as const;
const SPARSE_FILES = ["vectors.sparse"] as const;
const DENSE_FILES = ["vectors.hnsw", "embeddings.f32"] as const;
type DataFile = (typeof TEXT_FILES)[number] | (typeof SPARSE_FILES)[number] | (typeof DENSE_FILES)[number];

/** The data files of a build whose vector index is `vectorIndexId`. */
export function dataFiles(vectorIndexId: string): DataFile[] {
  return [...TEXT_FILES, ...(vectorIndexId === SparseVectorIndex.ID ? SPARSE_FILES : DENSE_FILES)];
}

function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function sha256File(file: string): string {
  const hash = createHash("sha256");
  const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
  const fd = openSync(file, "r");
  try {
    for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** Writes a file through a temporary name and a rename, so readers never see half of it. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

export interface IndexContents {
  manifest: Omit<IndexManifest, "files">;
  documents: DocumentMeta[];
  passages: Passage[];
  keyword: Bm25KeywordIndex;
  knowledge: Knowledge;
  vectors: HnswVectorIndex | SparseVectorIndex;
  /** Dense indexes only: row-major passage embeddings, passages.length × dimensions. */
  embeddings?: Float32Array;
}

/**
 * Text-heavy JSON (passages: mostly Chinese) is stored as UTF-16LE with a BOM. Node decodes UTF-8
 * CJK at ≈ 140 MB/s but UTF-16LE at memory speed: at 100,000 passages that is 0.85 s → 0.07 s of
 * the index load, and the file is smaller too (2 bytes per Han character instead of 3).
 */
export function encodeJsonText(text: string): Uint8Array {
  const body = Buffer.from(text, "utf16le");
  const out = new Uint8Array(body.length + 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  out.set(body, 2);
  return out;
}

/** Buffer's UTF-16LE decoder: ≈ 2× TextDecoder's speed on Node. */
const decodeUtf16le = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf16le");

/** Reads what encodeJsonText wrote, or plain UTF-8 JSON (indexes written before). */
export function decodeJsonText(data: Uint8Array): string {
  return decodeJsonTextWith(data, decodeUtf16le);
}

/**
 * Passages per part of passages.json: a part of ≈ 50 KB is a young object, gone at the next
 * scavenge (a part of megabytes is a large object, kept until a full GC: the heap grew by them).
 */
const PASSAGES_PER_PART = 50;

/**
 * passages.json as encodeJsonText(JSON.stringify(passages)) writes it, a part at a time: the BOM
 * and `[`, then the passages' JSON joined by commas, then `]` (the same bytes: JSON.stringify of
 * an array is its elements' JSON, comma-separated, in brackets).
 */
function* passageParts(passages: Passage[]): Generator<Uint8Array> {
  yield new Uint8Array([0xff, 0xfe]);
  for (let at = 0; at < passages.length; at += PASSAGES_PER_PART) {
    const json = passages.slice(at, at + PASSAGES_PER_PART).map((p) => JSON.stringify(p)).join(",");
    yield Buffer.from(`${at ? "," : "["}${json}`, "utf16le");
  }
  yield Buffer.from(passages.length ? "]" : "[]", "utf16le");
}

/** Writes the parts (strings as UTF-8) to a new file; returns the sha256 of what was written. */
function writeParts(file: string, parts: Iterable<Uint8Array | string>): string {
  const hash = createHash("sha256");
  const fd = openSync(file, "w");
  try {
    for (const part of parts) {
      const bytes = typeof part === "string" ? Buffer.from(part, "utf8") : part;
      hash.update(bytes);
      for (let written = 0; written < bytes.byteLength; ) written += writeSync(fd, bytes, written, bytes.byteLength - written);
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** Writes a complete build and makes it current. Returns the build folder. */
export function saveIndex(dir: string, contents: IndexContents): string {
  const builds = join(dir, BUILDS);
  mkdirSync(builds, { recursive: true });
  const id = contents.manifest.buildId;
  const tmp = join(builds, `.tmp-${id}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);

  // Each file is written in parts and hashed as it goes, one file at a time: at 100,000 passages
  // the passages' JSON alone is 106 MB, and holding every file's bytes at once (and the passages
  // as one string, then its UTF-16 bytes, then those with the BOM) used to be the peak of ingest.
  const { vectors, embeddings } = contents;
  const parts: Partial<Record<DataFile, () => Iterable<Uint8Array | string>>> = {
    "documents.json": () => [JSON.stringify(contents.documents)],
    "passages.json": () => passageParts(contents.passages),
    "keyword.json": () => contents.keyword.serializedParts(),
    "knowledge.json": () => [JSON.stringify(contents.knowledge)],
  };
  if (vectors instanceof SparseVectorIndex) parts["vectors.sparse"] = () => vectors.serializedParts();
  else if (embeddings) parts["embeddings.f32"] = () => [new Uint8Array(embeddings.buffer, embeddings.byteOffset, embeddings.byteLength)];
  else throw new Error("a dense index needs its raw embeddings");
  const files: Record<string, string> = {};
  for (const name of dataFiles(vectors.id)) {
    if (name === "vectors.hnsw") {
      // Written by the native index: hashed from the file.
      (vectors as HnswVectorIndex).save(join(tmp, name));
      files[name] = sha256File(join(tmp, name));
    } else {
      // Hashed from the bytes written, not read back.
      files[name] = writeParts(join(tmp, name), parts[name]!());
    }
  }
  const manifest: IndexManifest = { ...contents.manifest, files };
  writeFileSync(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2));

  const final = join(builds, id);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  writeFileAtomic(join(dir, POINTER), JSON.stringify({ build: id }));
  pruneBuilds(builds, id);
  return final;
}

/** Temporary folders of an ingest killed mid-write, once surely abandoned. */
const STALE_TEMP_MS = 60 * 60 * 1000;

function pruneBuilds(builds: string, current: string): void {
  for (const name of readdirSync(builds).filter((n) => n.startsWith(".tmp-"))) {
    const path = join(builds, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another ingest may be removing it at the same moment.
    }
  }
  const entries = readdirSync(builds)
    .filter((name) => !name.startsWith(".tmp-") && name !== current)
    .sort()
    .reverse();
  for (const old of entries.slice(KEEP_BUILDS - 1)) rmSync(join(builds, old), { recursive: true, force: true });
}

/** The folder of the current build, or null when no index was ever built. */
export function currentBuildDir(dir: string): string | null {
  const pointer = join(dir, POINTER);
  if (!existsSync(pointer)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(pointer, "utf8"));
  } catch (cause) {
    throw createError("INDEX_CORRUPT", POINTER, { cause });
  }
  // A pointer that parses but names no build folder is damage, not absence.
  const build = (parsed as { build?: unknown } | null)?.build;
  if (typeof build !== "string" || !/^[\w.-]+$/.test(build)) throw createError("INDEX_CORRUPT", POINTER);
  return join(dir, BUILDS, build);
}

export function readManifest(dir: string): IndexManifest | null {
  const build = currentBuildDir(dir);
  if (!build) return null;
  let text: string;
  try {
    text = readFileSync(join(build, "manifest.json"), "utf8");
  } catch (cause) {
    throw createError("INDEX_CORRUPT", "manifest.json", { cause });
  }
  return parseManifest(text);
}

/**
 * vectors.sparse read in pieces straight into the index's arrays, hashed as it is read: the whole
 * file (155 MB at 100,000 passages) is never in memory beside the index. Damage is INDEX_CORRUPT.
 */
function readSparseVectors(file: string, expectedHash: string | undefined, allocate?: AllocateBuffer): SparseVectorIndex {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (cause) {
    throw createError("INDEX_CORRUPT", "vectors.sparse 缺失", { cause });
  }
  const hash = createHash("sha256");
  try {
    const index = SparseVectorIndex.readFrom((into) => {
      for (let filled = 0; filled < into.byteLength; ) {
        const n = readSync(fd, into, filled, into.byteLength - filled, null);
        if (n === 0) throw new Error("sparse vector index: truncated");
        filled += n;
      }
      hash.update(into);
    }, allocate);
    if (readSync(fd, Buffer.alloc(1), 0, 1, null) !== 0) throw new Error("sparse vector index: wrong length");
    if (hash.digest("hex") !== expectedHash) throw createError("INDEX_CORRUPT", "vectors.sparse 校验失败");
    return index;
  } catch (error) {
    // A damaged file fails its checksum whatever the parser tripped on first.
    if (error instanceof Error && error.name === "AppError") throw error;
    throw createError("INDEX_CORRUPT", "vectors.sparse 校验失败", { cause: error });
  } finally {
    closeSync(fd);
  }
}

/** Postings' arrays in shared memory, for an index the answer threads share (src/node/shared-index.ts). */
const allocateShared: AllocateBuffer = (byteLength) => new SharedArrayBuffer(byteLength);

/**
 * Loads the current build, verifying recipe and checksums (src/core/index). Errors name `npm run ingest`.
 * With `shared`, the postings' arrays are allocated in SharedArrayBuffers (for `shareIndex`).
 */
export function loadIndex(dir: string, expected: IndexRecipe, options: { shared?: boolean } = {}): SearchIndex & { embeddings?: Float32Array } {
  const build = currentBuildDir(dir);
  if (!build) throw createError("INDEX_MISSING", dir);
  const manifest = readManifest(dir)!;
  checkRecipe(manifest, expected);

  const allocate = options.shared ? allocateShared : undefined;
  const files: IndexFiles = {
    manifest,
    fix: "",
    decodeUtf16le,
    ...(allocate ? { allocate } : {}),
    read: (name) => {
      let data: Buffer;
      try {
        data = readFileSync(join(build, name));
      } catch (cause) {
        throw createError("INDEX_CORRUPT", `${name} 缺失`, { cause });
      }
      if (manifest.files[name] !== sha256(data)) throw createError("INDEX_CORRUPT", `${name} 校验失败`);
      return data;
    },
  };
  // Checks a large binary file in chunks, without holding it in memory.
  const verify = (name: string): void => {
    let hash: string;
    try {
      hash = sha256File(join(build, name));
    } catch (cause) {
      throw createError("INDEX_CORRUPT", `${name} 缺失`, { cause });
    }
    if (manifest.files[name] !== hash) throw createError("INDEX_CORRUPT", `${name} 校验失败`);
  };
  if (manifest.vectorIndex.id === SparseVectorIndex.ID) return loadIndexFiles(files, () => readSparseVectors(join(build, "vectors.sparse"), manifest.files["vectors.sparse"], allocate));
  const index = loadIndexFiles(files, () => {
    verify("vectors.hnsw");
    return HnswVectorIndex.load(join(build, "vectors.hnsw"), manifest.embedder.dimensions);
  });
  // The raw vectors are only needed by an incremental build: read (and checked) on first use,
  // not kept by a server (at 100,000 passages of 1,024 dimensions they are 400 MB).
  let embeddings: Float32Array | undefined;
  return {
    ...index,
    get embeddings() {
      if (!embeddings) {
        const raw = files.read("embeddings.f32");
        embeddings = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      }
      return embeddings;
    },
  };
}
