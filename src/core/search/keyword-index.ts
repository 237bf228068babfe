import { allocatePlain, BLOCK_BITS, blockCount, plainLabelParts, type AllocateBuffer } from "./blocked-postings.js";
import { TopK } from "./top-k.js";
import { Vocabulary } from "./vocabulary.js";
import type { KeywordIndex, KeywordSearchHit } from "../types.js";

/**
 * One passage as the keyword index sees it: pre-tokenized fields, as token lists (what ingest
 * passes, so an index term is exactly a query token) or space-joined strings.
 */
export interface KeywordDocument {
  id: number;
  title: string | readonly string[];
  section: string | readonly string[];
  text: string | readonly string[];
}

/** A passage's title, section and text as token ids of a shared vocabulary. */
export type EncodedFields = [Uint32Array, Uint32Array, Uint32Array];

export interface EncodedKeywordDocument {
  id: number;
  fields: EncodedFields;
}

/** Field boosts: a word in the document title or the heading path says more than one in the body. */
export const KEYWORD_FIELD_BOOSTS = { title: 1.5, section: 2, text: 1 } as const;

const FIELDS = ["title", "section", "text"] as const;
/** Index of the passage-text field in FIELDS. */
const TEXT_FIELD = 2;
const BOOSTS = FIELDS.map((f) => KEYWORD_FIELD_BOOSTS[f]);
/** BM25+ parameters (MiniSearch's defaults, which the dev set was tuned with). */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const FORMAT = "bm25-postings-v1";

/** A field's tokens: a list as given (a figure token may hold a space: `2020-03-04 09:38`), or a space-joined string split. */
const splitTokens = (field: string | readonly string[]): readonly string[] => (typeof field === "string" ? field.split(" ").filter(Boolean) : field);

/** A frequency that does not fit a byte is this, and the real one is in `largeFreqs`. */
const LARGE_FREQ = 0xff;

/**
 * Postings of one field, compact: term t's documents in block h (documents h·65,536 …) are
 * `h·65,536 + docs[i]` for i in `starts[t·B + h] … starts[t·B + h + 1]` (B blocks), ascending, with
 * their frequencies (a byte each; the rare one of 255 or more in `largeFreqs`). 3 bytes a posting
 * instead of the file's 6: at 100,000 passages, 8.5 M postings, 25 MB less.
 */
export interface FieldPostings {
  starts: Uint32Array;
  docs: Uint16Array;
  freqs: Uint8Array;
  /** Posting → frequency, for the frequencies of 255 or more. */
  largeFreqs: Map<number, number>;
  /** Per document: k·(1 − b + b·length/avgLength), the BM25 length normalisation, precomputed. */
  norms: Float32Array;
}


/**
 * The compact form of one field's postings as the file holds them (`offsets` per term into plain
 * document numbers and 16-bit frequencies, documents ascending within a term).
 */
function compactPostings(offsets: Uint32Array, docs: Uint32Array, freqs: Uint16Array, size: number, norms: Float32Array, allocate: AllocateBuffer = allocatePlain): FieldPostings {
  const termCount = offsets.length - 1;
  const blocks = blockCount(size);
  const starts = new Uint32Array(allocate((termCount * blocks + 1) * 4));
  const low = new Uint16Array(allocate(docs.length * 2));
  const small = new Uint8Array(allocate(docs.length));
  const largeFreqs = new Map<number, number>();
  for (let t = 0; t < termCount; t++) {
    const end = offsets[t + 1]!;
    let i = offsets[t]!;
    for (let h = 0; h < blocks; h++) {
      starts[t * blocks + h] = i;
      const limit = (h + 1) << BLOCK_BITS;
      for (; i < end && docs[i]! < limit; i++) {
        low[i] = docs[i]! & 0xffff;
        const tf = freqs[i]!;
        small[i] = Math.min(tf, LARGE_FREQ);
        if (tf >= LARGE_FREQ) largeFreqs.set(i, tf);
      }
    }
    if (i < end) throw new Error("keyword index: a document beyond the index");
  }
  starts[termCount * blocks] = docs.length;
  return { starts, docs: low, freqs: small, largeFreqs, norms };
}

/** The parts a loaded index is made of: what `parts()` gives and `fromParts` takes (another thread's view of the same arrays). */
export interface KeywordIndexParts {
  terms: string[];
  ids: Uint32Array;
  fields: FieldPostings[];
  lengths: Uint16Array[];
}

interface SerializedIndex {
  format: typeof FORMAT;
  documentCount: number;
  terms: string[];
  /** External id per document (the passage ordinal). */
  ids: string;
  fields: Array<{ offsets: string; docs: string; freqs: string; lengths: string }>;
}

/**
 * BM25 keyword index over pre-tokenized passages: flat postings in typed arrays, pure JS, runs in
 * Node and Workers. Scores as MiniSearch did (BM25+ per field × field boost × term weight, summed,
 * times the number of query terms matched), which the fusion and the dev set were tuned on, but a
 * query touches only its terms' postings and keeps the top k, instead of building a result object
 * for every matching passage (at 100,000 passages a common word matches most of them).
 */
export class Bm25KeywordIndex implements KeywordIndex {
  private readonly termIds: Map<string, number>;
  private readonly scores: Float64Array;
  private readonly matched: Uint8Array;
  private readonly lastTerm: Int32Array;
  private readonly touched: Uint32Array;
  /** Blocks of 65,536 documents in the postings. */
  private readonly blocks: number;

  private constructor(
    private readonly terms: string[],
    private readonly ids: Uint32Array,
    private readonly fields: FieldPostings[],
    private readonly lengths: Uint16Array[],
  ) {
    this.termIds = new Map(terms.map((t, i) => [t, i]));
    this.blocks = blockCount(ids.length);
    // Scratch buffers reused by every query (search is synchronous, so never shared mid-query).
    this.scores = new Float64Array(ids.length);
    this.matched = new Uint8Array(ids.length);
    this.lastTerm = new Int32Array(ids.length).fill(-1);
    this.touched = new Uint32Array(ids.length);
  }

  get size(): number {
    return this.ids.length;
  }

  static build(documents: KeywordDocument[]): Bm25KeywordIndex {
    const vocabulary = new Vocabulary();
    const encoded = documents.map((doc) => ({ id: doc.id, fields: FIELDS.map((field) => vocabulary.encode(splitTokens(doc[field]))) as EncodedFields }));
    return Bm25KeywordIndex.buildEncoded(vocabulary.terms, encoded);
  }

  /**
   * Builds from token ids (`terms[id]` is the token): two passes over the documents, the first
   * counting each term's postings per field, the second filling them in document order.
   */
  static buildEncoded(terms: readonly string[], documents: EncodedKeywordDocument[]): Bm25KeywordIndex {
    const termCount = terms.length;
    const ids = new Uint32Array(documents.length);
    const lengths = FIELDS.map(() => new Uint16Array(documents.length));
    const tf = new Uint32Array(termCount);
    const distinct: number[] = [];
    // Distinct terms of one field of one document, their counts left in `tf` (reset by the caller).
    const collect = (tokens: Uint32Array) => {
      distinct.length = 0;
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i]!;
        if (tf[t] === 0) distinct.push(t);
        tf[t]! += 1;
      }
    };
    const offsets = FIELDS.map(() => new Uint32Array(termCount + 1));
    documents.forEach((doc, d) => {
      ids[d] = doc.id;
      for (let f = 0; f < FIELDS.length; f++) {
        collect(doc.fields[f]!);
        // A field's length is its number of distinct terms (as MiniSearch counts it).
        lengths[f]![d] = Math.min(distinct.length, 0xffff);
        const counts = offsets[f]!;
        for (const t of distinct) {
          counts[t + 1]!++;
          tf[t] = 0;
        }
      }
    });
    const fields = offsets.map((fieldOffsets, f) => {
      for (let t = 0; t < termCount; t++) fieldOffsets[t + 1]! += fieldOffsets[t]!;
      const total = fieldOffsets[termCount]!;
      const docs = new Uint32Array(total);
      const freqs = new Uint16Array(total);
      const cursor = fieldOffsets.slice(0, termCount);
      documents.forEach((doc, d) => {
        collect(doc.fields[f]!);
        for (const t of distinct) {
          const at = cursor[t]!++;
          docs[at] = d;
          freqs[at] = Math.min(tf[t]!, 0xffff);
          tf[t] = 0;
        }
      });
      return compactPostings(fieldOffsets, docs, freqs, documents.length, lengthNorms(lengths[f]!));
    });
    return new Bm25KeywordIndex([...terms], ids, fields, lengths);
  }

  /** Reads what `serialize` wrote; the postings' arrays get their memory from `allocate` (shared memory for a server's answer threads). */
  static load(json: string, allocate: AllocateBuffer = allocatePlain): Bm25KeywordIndex {
    const data = JSON.parse(json) as SerializedIndex;
    if (data.format !== FORMAT) throw new Error(`keyword index format ${String(data.format)}, expected ${FORMAT}`);
    const lengths = data.fields.map((f) => new Uint16Array(fromBase64(f.lengths, allocate)));
    const ids = new Uint32Array(fromBase64(data.ids, allocate));
    const fields = data.fields.map((f, i) =>
      compactPostings(new Uint32Array(fromBase64(f.offsets).buffer), new Uint32Array(fromBase64(f.docs).buffer), new Uint16Array(fromBase64(f.freqs).buffer), ids.length, lengthNorms(lengths[i]!, allocate), allocate),
    );
    return new Bm25KeywordIndex(data.terms, ids, fields, lengths);
  }

  /** The parts of the index, not copied: posted to another thread, shared arrays stay shared. */
  parts(): KeywordIndexParts {
    return { terms: this.terms, ids: this.ids, fields: this.fields, lengths: this.lengths };
  }

  /** An index over `parts` (as `parts()` gave them): only the term lookup and this thread's scratch buffers are new. */
  static fromParts(parts: KeywordIndexParts): Bm25KeywordIndex {
    return new Bm25KeywordIndex(parts.terms, parts.ids, parts.fields, parts.lengths);
  }

  /** The index as JSON text (bm25-postings-v1: plain document numbers and 16-bit frequencies, base64). */
  serialize(): string {
    const decoder = new TextDecoder();
    return [...this.serializedParts()].map((part) => (typeof part === "string" ? part : decoder.decode(part))).join("");
  }

  /**
   * What `serialize` returns, in parts of at most 1 MB (the base64 as ASCII bytes), so that a
   * writer can stream a large index to disk without the whole text in memory. The base64 of a long
   * array is cut at multiples of 3 bytes, so its parts join to the base64 of the whole.
   */
  *serializedParts(): Generator<string | Uint8Array> {
    const blocks = blockCount(this.ids.length);
    const termCount = this.terms.length;
    yield `{"format":${JSON.stringify(FORMAT)},"documentCount":${this.ids.length},"terms":${JSON.stringify(this.terms)},"ids":"${toBase64(this.ids)}","fields":[`;
    for (let f = 0; f < this.fields.length; f++) {
      const { starts, docs, freqs, largeFreqs } = this.fields[f]!;
      const offsets = new Uint32Array(termCount + 1);
      for (let t = 0; t <= termCount; t++) offsets[t] = starts[t * blocks]!;
      yield `${f ? "," : ""}{"offsets":"${toBase64(offsets)}","docs":"`;
      // Documents back to plain numbers, a part at a time (a multiple of 3 elements = of 3 bytes).
      const total = docs.length;
      for (const plain of plainLabelParts(starts, docs, termCount, blocks, PART_ELEMENTS)) yield base64Bytes(plain);
      yield `","freqs":"`;
      for (let at = 0; at < total; at += PART_ELEMENTS) {
        const part = new Uint16Array(Math.min(total - at, PART_ELEMENTS));
        for (let i = 0; i < part.length; i++) {
          const tf = freqs[at + i]!;
          part[i] = tf === LARGE_FREQ ? largeFreqs.get(at + i)! : tf;
        }
        yield base64Bytes(part);
      }
      yield `","lengths":"${toBase64(this.lengths[f]!)}"}`;
    }
    yield "]}";
  }

  /**
   * OR-search of weighted terms (weight 1 for the question's own words, less for synonyms).
   * Returns at most k hits, best first.
   */
  searchWeighted(terms: Map<string, number>, k: number, filter?: (label: number) => boolean): KeywordSearchHit[] {
    return this.searchWeightedLists(terms, k, [filter])[0]!;
  }

  /**
   * One BM25 scoring pass, several top-k lists (one per filter; undefined = no filter): the
   * retriever's unscoped and year-scoped candidates cost one pass over the postings, not two.
   */
  searchWeightedLists(terms: Map<string, number>, k: number, filters: Array<((label: number) => boolean) | undefined>): KeywordSearchHit[][] {
    const n = this.ids.length;
    if (!terms.size || !n || k <= 0) return filters.map(() => []);
    const { scores, matched, lastTerm, touched, blocks } = this;
    let count = 0;
    const queryTerms: Array<{ term: string; id: number }> = [];
    for (const [term, weight] of terms) {
      const t = this.termIds.get(term);
      if (t === undefined) continue;
      const q = queryTerms.length;
      queryTerms.push({ term, id: t });
      for (let f = 0; f < FIELDS.length; f++) {
        const { starts, docs, freqs, largeFreqs, norms } = this.fields[f]!;
        const first = t * blocks;
        const df = starts[first + blocks]! - starts[first]!;
        if (df === 0) continue;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        const scale = weight * BOOSTS[f]! * idf;
        // BM25+: scale · (d + tf·(k+1) / (tf + norm)), with the constants hoisted out of the loop.
        const base = scale * BM25.d;
        const top = scale * (BM25.k + 1);
        for (let h = 0; h < blocks; h++) {
          const high = h << BLOCK_BITS;
          for (let i = starts[first + h]!, end = starts[first + h + 1]!; i < end; i++) {
            const d = high | docs[i]!;
            let tf = freqs[i]!;
            if (tf === LARGE_FREQ) tf = largeFreqs.get(i)!;
            const seen = lastTerm[d]!;
            if (seen !== q) {
              if (seen === -1) touched[count++] = d;
              lastTerm[d] = q;
              matched[d]!++;
            }
            scores[d]! += base + (top * tf) / (tf + norms[d]!);
          }
        }
      }
    }

    // Top k by score × terms matched (MiniSearch's "quality"); ties keep the order in which the
    // passages were first reached (the key: their place in `touched`).
    const tops = filters.map(() => new TopK(k));
    for (let t = 0; t < count; t++) {
      const d = touched[t]!;
      const score = scores[d]! * matched[d]!;
      scores[d] = 0;
      matched[d] = 0;
      lastTerm[d] = -1;
      for (let f = 0; f < filters.length; f++) {
        const top = tops[f]!;
        // Most passages do not beat the current k-th: rejected before the filter is asked.
        if (!top.admits(score, t)) continue;
        const filter = filters[f];
        if (filter && !filter(this.ids[d]!)) continue;
        top.push(score, t);
      }
    }
    // Which query terms a hit contains is worked out only if asked (the retriever never asks).
    const contains = (t: number, d: number) => this.contains(t, d);
    return tops.map((top) =>
      top.drain().map(({ key, score }) => {
        const d = touched[key]!;
        let terms: string[] | undefined;
        return {
          label: this.ids[d]!,
          score,
          get terms() {
            return (terms ??= queryTerms.filter(({ id }) => contains(id, d)).map(({ term }) => term));
          },
        };
      }),
    );
  }

  /** Passages whose text holds the term (0 when the index does not know it). */
  documentFrequency(term: string): number {
    const t = this.termIds.get(term);
    if (t === undefined) return 0;
    return this.postingCount(TEXT_FIELD, t);
  }

  /** Every term with the number of passages whose text holds it. */
  *documentFrequencies(): IterableIterator<[string, number]> {
    for (let t = 0; t < this.terms.length; t++) {
      const df = this.postingCount(TEXT_FIELD, t);
      if (df) yield [this.terms[t]!, df];
    }
  }

  /** True when some passage contains the exact token. */
  hasTerm(term: string): boolean {
    const t = this.termIds.get(term);
    return t !== undefined && this.fields.some((_, f) => this.postingCount(f, t) > 0);
  }

  search(terms: string[], k: number, filter?: (label: number) => boolean): KeywordSearchHit[] {
    return this.searchWeighted(new Map(terms.map((t) => [t, 1])), k, filter);
  }

  /** Number of postings of term t in field f (its document frequency there). */
  private postingCount(f: number, t: number): number {
    const { starts } = this.fields[f]!;
    return starts[(t + 1) * this.blocks]! - starts[t * this.blocks]!;
  }

  /** Whether document d has term t in any field (binary search in its block of the sorted postings). */
  private contains(t: number, d: number): boolean {
    const block = t * this.blocks + (d >>> BLOCK_BITS);
    const low = d & 0xffff;
    for (const { starts, docs } of this.fields) {
      let lo = starts[block]!;
      const end = starts[block + 1]!;
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (docs[mid]! < low) lo = mid + 1;
        else hi = mid;
      }
      if (lo < end && docs[lo] === low) return true;
    }
    return false;
  }
}

function lengthNorms(lengths: Uint16Array, allocate: AllocateBuffer = allocatePlain): Float32Array {
  let total = 0;
  for (const length of lengths) total += length;
  const average = total / (lengths.length || 1) || 1;
  const norms = new Float32Array(allocate(lengths.length * 4));
  for (let d = 0; d < lengths.length; d++) norms[d] = BM25.k * (1 - BM25.b + (BM25.b * lengths[d]!) / average);
  return norms;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const ENCODE = new Uint8Array(64);
const DECODE = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) {
  ENCODE[i] = ALPHABET.charCodeAt(i);
  DECODE[ALPHABET.charCodeAt(i)] = i;
}
const PAD = "=".charCodeAt(0);
/**
 * Elements per base64 part of `serializedParts`: a multiple of 3, so parts join to the whole's
 * base64, and small enough that a part is not a large object of the heap (those wait for a full GC).
 */
const PART_ELEMENTS = 3 * (1 << 16);

/** Typed array → base64 (the bytes in platform order; every supported runtime is little-endian). */
function toBase64(array: ArrayBufferView): string {
  return new TextDecoder().decode(base64Bytes(array));
}

/** Typed array → base64 as ASCII bytes. */
function base64Bytes(array: ArrayBufferView): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  for (let i = 0; i < bytes.length; i += 3) {
    const rest = bytes.length - i;
    const n = (bytes[i]! << 16) | ((rest > 1 ? bytes[i + 1]! : 0) << 8) | (rest > 2 ? bytes[i + 2]! : 0);
    out[o++] = ENCODE[n >> 18]!;
    out[o++] = ENCODE[(n >> 12) & 63]!;
    out[o++] = rest > 1 ? ENCODE[(n >> 6) & 63]! : PAD;
    out[o++] = rest > 2 ? ENCODE[n & 63]! : PAD;
  }
  return out;
}

/**
 * base64 → bytes, in a fresh buffer of exactly that length (so typed-array views over it align).
 * Read from the string itself: no byte copy of it (36 MB for the text field's documents at 100k).
 */
function fromBase64(text: string): Uint8Array;
/** base64 → a fresh buffer from `allocate`, of exactly the decoded length. */
function fromBase64(text: string, allocate: AllocateBuffer): ArrayBuffer | SharedArrayBuffer;
function fromBase64(text: string, allocate?: AllocateBuffer): Uint8Array | ArrayBuffer | SharedArrayBuffer {
  const length4 = text.length;
  let padding = 0;
  if (text.charCodeAt(length4 - 1) === PAD) padding = text.charCodeAt(length4 - 2) === PAD ? 2 : 1;
  const length = (length4 / 4) * 3 - padding;
  const buffer = (allocate ?? allocatePlain)(length);
  const bytes = new Uint8Array(buffer);
  for (let i = 0, o = 0; i < length4; i += 4) {
    const n = (DECODE[text.charCodeAt(i)]! << 18) | (DECODE[text.charCodeAt(i + 1)]! << 12) | (DECODE[text.charCodeAt(i + 2)]! << 6) | DECODE[text.charCodeAt(i + 3)]!;
    bytes[o++] = n >> 16;
    if (o < length) bytes[o++] = (n >> 8) & 255;
    if (o < length) bytes[o++] = n & 255;
  }
  return allocate ? buffer : bytes;
}
