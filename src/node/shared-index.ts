/**
 * One loaded index shared by the main thread and its answer threads (src/node/answer-pool.ts),
 * instead of a copy in each: at 100,000 passages a copy is ≈ 290 MB, and a two-thread server held
 * three. The main thread loads the index with its large typed arrays in SharedArrayBuffers
 * (`loadIndex(dir, recipe, { shared: true })`); `shareIndex` then puts the passages' texts in one
 * shared store and returns the parts a thread needs, which `openSharedIndex` turns back into a
 * SearchIndex without copying them:
 *
 * - sparse vector and keyword postings: the same SharedArrayBuffer-backed arrays (posting a typed
 *   array over shared memory to a thread hands over a reference);
 * - passages: in shared memory too (texts, ids and the rarely read fields' JSON as UTF-16 in one
 *   character store, 54 MB at 100k; document, kind, heading path and ordinal as table indexes),
 *   read through accessor properties: each isolate holds one small object per passage (≈ 7 MB
 *   at 100k, against ≈ 60 MB of parsed passages per isolate before);
 * - documents and manifest: structured copies; the knowledge (well under 2 MB at 100k) as its JSON
 *   text, which a thread parses: a structured clone of the parsed tables cost a fresh thread
 *   ≈ 80–90 ms to receive on the seed corpus (0.6 MB of JSON), the text and its parse ≈ 30–40 ms;
 * - an HNSW graph (native memory) is not shareable: each thread loads its own from the file.
 */
import { parseKnowledge } from "../core/knowledge/knowledge.js";
import type { KeywordIndexParts } from "../core/search/keyword-index.js";
import { Bm25KeywordIndex } from "../core/search/keyword-index.js";
import type { SearchIndex } from "../core/search/search-index.js";
import { SparseVectorIndex, type SparseVectorParts } from "../core/search/sparse-vector-index.js";
import type { DocumentMeta, Passage } from "../core/types.js";
import { HnswVectorIndex } from "./hnsw-vector-index.js";

/**
 * The passages in shared memory: their strings (text, folded text when it differs, id, and the JSON
 * of the rarely read fields: redactions, table fields, a Q&A question) as UTF-16 code units in one
 * buffer, their document, ordinal, kind and heading path as indexes into small tables.
 */
export interface SharedPassageParts {
  chars: Uint16Array;
  /** Per label, start and end in `chars` of: text, folded text, id, the other fields' JSON. */
  spans: Uint32Array;
  /** Per label: index into `docIds`, `kinds`, `headingPaths`, `keyOrders`; and the ordinal. */
  docOf: Uint32Array;
  kindOf: Uint32Array;
  pathOf: Uint32Array;
  keyOrderOf: Uint32Array;
  ordinals: Uint32Array;
  docIds: string[];
  kinds: string[];
  headingPaths: string[][];
  /** The distinct key orders of the passages, so a passage's JSON stays as loaded. */
  keyOrders: string[][];
}

export interface SharedIndexParts {
  manifest: SearchIndex["manifest"];
  documents: DocumentMeta[];
  /** The knowledge file's JSON (parseKnowledge reads it). */
  knowledgeJson: string;
  passages: SharedPassageParts;
  keyword: KeywordIndexParts;
  vectors: { sparse: SparseVectorParts } | { hnswFile: string; dimensions: number };
}

const isShared = (array: ArrayBufferView) => array.buffer instanceof SharedArrayBuffer;

/**
 * The parts of an index loaded with shared arrays, for its answer threads, and the same index
 * reading its passages' texts from the shared store (the JSON-parsed texts are let go).
 */
export function shareIndex(index: SearchIndex): { index: SearchIndex; parts: SharedIndexParts } {
  const keyword = index.keyword.parts();
  if (!isShared(keyword.ids) || !keyword.fields.every((f) => isShared(f.docs) && isShared(f.starts))) throw new Error("shareIndex: the keyword index was not loaded into shared memory");
  let vectors: SharedIndexParts["vectors"];
  if (index.vectors instanceof SparseVectorIndex) {
    const sparse = index.vectors.parts();
    if (!isShared(sparse.rows) || !isShared(sparse.weights)) throw new Error("shareIndex: the sparse vector index was not loaded into shared memory");
    vectors = { sparse };
  } else if (index.vectors instanceof HnswVectorIndex && index.vectors.file) {
    vectors = { hnswFile: index.vectors.file, dimensions: index.vectors.dimensions };
  } else {
    throw new Error(`shareIndex: a vector index of kind ${index.vectors.id} cannot be shared`);
  }
  const passages = storePassages(index.passages);
  const parts: SharedIndexParts = { manifest: index.manifest, documents: index.documents, knowledgeJson: JSON.stringify(index.knowledge), passages, keyword, vectors };
  // Not a spread of `index`: a dense index's `embeddings` getter would read its raw vectors.
  const { manifest, documents, docById, knowledge } = index;
  return { index: { manifest, documents, docById, knowledge, keyword: index.keyword, vectors: index.vectors, passages: passageViews(passages) }, parts };
}

/** The index an answer thread searches: the main thread's shared arrays and text store, its own small objects. */
export function openSharedIndex(parts: SharedIndexParts): SearchIndex {
  const { manifest, documents } = parts;
  const knowledge = parseKnowledge(parts.knowledgeJson);
  const docById = new Map(documents.map((d) => [d.id, d]));
  const vectors = "sparse" in parts.vectors ? SparseVectorIndex.fromParts(parts.vectors.sparse) : HnswVectorIndex.load(parts.vectors.hnswFile, parts.vectors.dimensions);
  return { manifest, documents, docById, knowledge, passages: passageViews(parts.passages), keyword: Bm25KeywordIndex.fromParts(parts.keyword), vectors };
}

/** Fields held in typed arrays and tables; the others are kept as JSON (`rest`). */
const TABLED = new Set(["text", "folded", "id", "docId", "ordinal", "kind", "headingPath"]);
/** Spans per passage: text, folded, id, rest. */
const SPANS = 4;

/** Interns values into a table: their index, the same for equal keys. */
function interner<T>(keyOf: (value: T) => string): { table: T[]; index(value: T): number } {
  const ids = new Map<string, number>();
  const table: T[] = [];
  return {
    table,
    index(value) {
      const key = keyOf(value);
      let id = ids.get(key);
      if (id === undefined) {
        ids.set(key, (id = table.length));
        table.push(value);
      }
      return id;
    },
  };
}

/** The passages copied into shared memory; a folded text equal to its text is stored once. */
function storePassages(passages: readonly Passage[]): SharedPassageParts {
  const shared = <T extends Uint16Array | Uint32Array>(make: new (buffer: SharedArrayBuffer) => T, count: number, bytes: number) => new make(new SharedArrayBuffer(count * bytes));
  const rests = passages.map((p) => {
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(p)) if (!TABLED.has(key)) rest[key] = value;
    return JSON.stringify(rest);
  });
  let length = 0;
  passages.forEach((p, label) => (length += p.text.length + (p.folded === p.text ? 0 : p.folded.length) + p.id.length + rests[label]!.length));
  const n = passages.length;
  const chars = shared(Uint16Array, length, 2);
  const spans = shared(Uint32Array, n * SPANS * 2, 4);
  const [docOf, kindOf, pathOf, keyOrderOf, ordinals] = [0, 1, 2, 3, 4].map(() => shared(Uint32Array, n, 4)) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  const docIds = interner<string>((id) => id);
  const kinds = interner<string>((kind) => kind);
  // \u0001 is not in cleaned text: two different paths never share a key.
  const paths = interner<string[]>((path) => path.join("\u0001"));
  const orders = interner<string[]>((keys) => keys.join(","));
  // Buffer's UTF-16LE writer copies code units as they are (a lone surrogate too).
  const bytes = Buffer.from(chars.buffer, chars.byteOffset, chars.byteLength);
  let at = 0;
  const write = (label: number, slot: number, text: string) => {
    bytes.write(text, at * 2, "utf16le");
    spans[(label * SPANS + slot) * 2] = at;
    spans[(label * SPANS + slot) * 2 + 1] = at += text.length;
  };
  passages.forEach((p, label) => {
    if (typeof p.ordinal !== "number" || p.ordinal >>> 0 !== p.ordinal || typeof p.kind !== "string" || typeof p.docId !== "string" || !Array.isArray(p.headingPath)) throw new Error(`storePassages: passage ${label} has fields of unexpected types`);
    write(label, 0, p.text);
    if (p.folded === p.text) spans.copyWithin((label * SPANS + 1) * 2, (label * SPANS) * 2, (label * SPANS + 1) * 2);
    else write(label, 1, p.folded);
    write(label, 2, p.id);
    write(label, 3, rests[label]!);
    docOf[label] = docIds.index(p.docId);
    kindOf[label] = kinds.index(p.kind);
    pathOf[label] = paths.index(p.headingPath);
    keyOrderOf[label] = orders.index(Object.keys(p));
    ordinals[label] = p.ordinal;
  });
  if (at !== length) throw new Error("storePassages: a string was not stored whole");
  return { chars, spans, docOf, kindOf, pathOf, keyOrderOf, ordinals, docIds: docIds.table, kinds: kinds.table, headingPaths: paths.table, keyOrders: orders.table };
}

/** Decoded texts kept per isolate: a question's candidates are read several times (fusion, rerank, composing). */
const TEXT_CACHE_SIZE = 4096;

/**
 * The passages over the shared store, one small object each: every field an enumerable accessor
 * in its original place, so JSON.stringify, spreading and structured cloning see the same passage
 * as the JSON-parsed one. Document ids, kinds and heading paths are one value per isolate; texts
 * are decoded on use (recently used ones kept), the other fields' JSON parsed on use.
 */
function passageViews(parts: SharedPassageParts): Passage[] {
  const { chars, spans, docOf, kindOf, pathOf, keyOrderOf, ordinals, docIds, kinds, headingPaths, keyOrders } = parts;
  const bytes = Buffer.from(chars.buffer, chars.byteOffset, chars.byteLength);
  const string = (label: number, slot: number) => {
    const at = (label * SPANS + slot) * 2;
    return bytes.toString("utf16le", spans[at]! * 2, spans[at + 1]! * 2);
  };
  const cachedLabel = new Int32Array(TEXT_CACHE_SIZE * 2).fill(-1);
  const cachedText: string[] = new Array<string>(TEXT_CACHE_SIZE * 2).fill("");
  // Slot 2·(label mod size) holds a text, the next one its folded text (the same string when equal).
  const text = (label: number, folded: 0 | 1): string => {
    const slot = ((label & (TEXT_CACHE_SIZE - 1)) << 1) | folded;
    if (cachedLabel[slot] === label) return cachedText[slot]!;
    const at = label * SPANS * 2;
    const same = folded === 1 && spans[at + 2] === spans[at] && spans[at + 3] === spans[at + 1];
    const value = same ? text(label, 0) : string(label, folded);
    cachedLabel[slot] = label;
    cachedText[slot] = value;
    return value;
  };
  const LABEL = Symbol("label");
  type Stored = { [LABEL]: number };
  const accessor = (get: (label: number) => unknown): PropertyDescriptor => ({
    get(this: Stored) {
      return get(this[LABEL]);
    },
    enumerable: true,
    configurable: true,
  });
  const tabled: Record<string, PropertyDescriptor> = {
    text: accessor((label) => text(label, 0)),
    folded: accessor((label) => text(label, 1)),
    id: accessor((label) => string(label, 2)),
    docId: accessor((label) => docIds[docOf[label]!]),
    ordinal: accessor((label) => ordinals[label]),
    kind: accessor((label) => kinds[kindOf[label]!]),
    headingPath: accessor((label) => headingPaths[pathOf[label]!]),
  };
  const rest = (key: string) => accessor((label) => (JSON.parse(string(label, 3)) as Record<string, unknown>)[key]);
  // One descriptor map per key order (Object.create defines them in that order); LABEL is not enumerable.
  const shapes = keyOrders.map((keys) => Object.fromEntries(keys.map((key) => [key, tabled[key] ?? rest(key)])));
  return Array.from(ordinals, (_, label) => {
    const passage = Object.create(Object.prototype, shapes[keyOrderOf[label]!]!) as Stored;
    Object.defineProperty(passage, LABEL, { value: label });
    return passage as unknown as Passage;
  });
}
