/**
 * The search index in D1 (the Worker's `d1` back end): the tables, the one pointer row that names
 * the serving build, and the binary layout of the postings blobs. Runtime-neutral: the Worker reads
 * it, `npm run deploy:index` (Node) writes it.
 *
 * Every row carries its build id, so a new build is written beside the serving one and becomes
 * visible only when `index_serving` is switched to it (one statement); readers never see a
 * half-written build.
 */

import type { DenseVectorsRecord } from "./d1-vectors.js";

/** Bump when a table or a blob layout changes (the Worker refuses another version). */
export const D1_INDEX_FORMAT = "d1-index-10";

/**
 * D1 limits the Worker and the uploader keep to: bound parameters per statement, and the bytes
 * bound in one statement (D1's statement limit is 100 KB; blobs are cut well below it).
 */
export const D1_LIMITS = { parameters: 100, statementBytes: 90_000, blobPart: 60_000, queriesPerInvocation: 1000 } as const;

export const D1_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS index_serving (id INTEGER PRIMARY KEY CHECK (id = 1), build TEXT NOT NULL, switched_at TEXT NOT NULL)`,
  // state: 'uploading' until every table is written and verified, then 'ready'; 'live' once served.
  `CREATE TABLE IF NOT EXISTS index_builds (build TEXT PRIMARY KEY, state TEXT NOT NULL, format TEXT NOT NULL, manifest TEXT NOT NULL, meta TEXT NOT NULL, created_at TEXT NOT NULL)`,
  // Whole files the isolate loads once (knowledge.json as text, the facet runs as base64), cut into
  // parts. Postings are base64 text too (below); a database made by d1-index-2 declared these
  // columns BLOB, which SQLite lets hold text as it is.
  `CREATE TABLE IF NOT EXISTS index_blobs (build TEXT NOT NULL, name TEXT NOT NULL, part INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (build, name, part)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS index_documents (build TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (build, id)) WITHOUT ROWID`,
  // The tables a search reads row by row are rowid tables with their key as an index: a WITHOUT
  // ROWID table keeps whole rows (0.7 KB passages, postings parts up to 60 KB) in its interior
  // pages too, so its tree is deep and a lookup reads many pages (400 passage lookups: 7 ms in
  // SQLite against 1 ms for the keys of a rowid table's index). Until d1-index-8 they were
  // WITHOUT ROWID under other names (LEGACY_BUILD_TABLES).
  `CREATE TABLE IF NOT EXISTS index_passage_rows (build TEXT NOT NULL, label INTEGER NOT NULL, pid TEXT NOT NULL, doc TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (build, label))`,
  `CREATE INDEX IF NOT EXISTS index_passage_rows_by_id ON index_passage_rows (build, pid)`,
  // BM25 postings of one term, all three fields, cut into parts (df: passages whose text holds it).
  `CREATE TABLE IF NOT EXISTS index_term_postings (build TEXT NOT NULL, term TEXT NOT NULL, part INTEGER NOT NULL, df INTEGER NOT NULL, postings TEXT NOT NULL, PRIMARY KEY (build, term, part))`,
  // Sparse feature postings of the hashing model (the vector side of the bundled back end).
  `CREATE TABLE IF NOT EXISTS index_feature_postings (build TEXT NOT NULL, feature INTEGER NOT NULL, part INTEGER NOT NULL, postings TEXT NOT NULL, PRIMARY KEY (build, feature, part))`,
];

/**
 * index_blobs names: the knowledge file (JSON, gzip, base64: 0.27 MB instead of 0.82 MB of UTF-8
 * at every cold start), the facet runs (base64), and the packed jieba
 * lexicon the build was tokenized with, in its compact form (JiebaLexicon.encodeCompact: no
 * offsets, IDF and frequency as codes; gzip, base64: 2.9 MB of text instead of 4.5 MB, read at every
 * cold start): the Worker tokenizes questions with the build's own lexicon, read in the same query
 * as the rest, and fetches no static asset to start.
 */
export const KNOWLEDGE_BLOB = "knowledge.json.gz.b64";
export const FACETS_BLOB = "facets.b64";
export const LEXICON_BLOB = "lexicon.compact.gz.b64";
/** Per passage its feature scale (float32, little-endian, base64): see featureScales. */
export const FEATURE_SCALES_BLOB = "feature-scales.f32.b64";
/** Per passage its three BM25 field lengths (encodeFieldLengths, base64): not repeated in every posting. */
export const FIELD_LENGTHS_BLOB = "field-lengths.b64";

/** Tables holding a build's rows, in the order they are written and deleted. */
export const BUILD_TABLES = ["index_blobs", "index_documents", "index_passage_rows", "index_term_postings", "index_feature_postings"] as const;

/**
 * The WITHOUT ROWID tables of d1-index-2 … 8 and their keys (besides `build`): a database upgraded
 * from them still holds the builds written there (the previous build keeps serving Workers of the
 * older version), deleted with their builds; a table left empty is dropped.
 */
export const LEGACY_BUILD_TABLES: Record<string, string[]> = { index_passages: ["label"], index_terms: ["term", "part"], index_features: ["feature", "part"] };

/** What the builds row says about a build beyond its manifest. */
export interface D1BuildMeta {
  format: typeof D1_INDEX_FORMAT;
  passages: number;
  /** Average distinct terms per field (title, section, text): BM25's length normalisation. */
  averageLengths: [number, number, number];
  /** Postings kept per list (POSTINGS_HEAD when written; null: every list whole). */
  postingsHead: number | null;
  /** Rows and order-free checksum per table, checked after the upload. */
  tables: Record<string, { rows: number; checksum: string }>;
  /** Dense vectors of the build in Vectorize, when uploaded with them (`--vectors vectorize`). */
  vectors?: DenseVectorsRecord;
}

/** The facet ids the build's meta row carries beside facets.bin: kind and place-scope keys → ids. */
export interface FacetIds {
  kindIds: Array<[string, number]>;
  scopeIds: Array<[string, number]>;
}

/**
 * Postings of one term: per field (title, section, text) the passages holding it (`count`, its
 * document frequency in that field) and, of those, the ones stored — all of them, or the
 * highest-impact `head` of a longer list (headOfTermField) — with labels and term frequencies. A
 * passage's field lengths are the same in every list, so they travel once (FIELD_LENGTHS_BLOB).
 */
export interface TermPostings {
  fields: Array<{ count: number; labels: Uint32Array; tfs: Uint16Array }>;
}

/**
 * Postings kept per list (a term's field, a feature) in D1. A longer list — a word or character
 * bigram in a large share of a large corpus (教育, 学生 at 100,000 passages) — keeps its `head`
 * highest-impact postings: every query that names it would otherwise fetch, decode and score tens
 * of thousands of postings whose contribution is among the smallest. An index of at most this many
 * passages is exact (the dev-set contract: the in-memory top 5 and scores); past it, a cut list
 * scores only its head. bench:worker (calibration questions): the in-memory top 5 kept for 24 of 24
 * at 10,000 passages and 11 of 24 at 100,000, Recall@5 equal to Node's at both.
 */
export const POSTINGS_HEAD = 8192;

/** BM25+ as Bm25KeywordIndex scores it (the same constants, so both back ends rank alike). */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/**
 * The `head` postings of a field list with the largest BM25 term factor tf / (tf + norm(length))
 * — the order of their contributions for any query weight — ties to the lower label, returned in
 * label order (so passages are met in the same order as in the full list).
 */
export function headOfTermField(field: { labels: Uint32Array; tfs: Uint16Array; lengths: Uint16Array }, averageLength: number, head: number): { count: number; labels: Uint32Array; tfs: Uint16Array } {
  const count = field.labels.length;
  if (count <= head) return { count, labels: field.labels, tfs: field.tfs };
  const impact = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const tf = field.tfs[i]!;
    impact[i] = tf / (tf + Math.fround(BM25.k * (1 - BM25.b + (BM25.b * field.lengths[i]!) / averageLength)));
  }
  const kept = topPositions(impact, head);
  return { count, labels: pick(field.labels, kept), tfs: pick(field.tfs, kept) };
}

/** The `head` postings of a feature list with the largest weights (ties to the lower row), in row order. */
export function headOfFeatureList(rows: Uint32Array, weights: Float32Array, head: number): { rows: Uint32Array; weights: Float32Array } {
  if (rows.length <= head) return { rows, weights };
  const kept = topPositions(Float64Array.from(weights), head);
  return { rows: pick(rows, kept), weights: pick(weights, kept) };
}

/** Positions of the `n` largest values (ties to the earlier position), ascending. */
function topPositions(values: Float64Array, n: number): Uint32Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);
  return Uint32Array.from(order.slice(0, n)).sort();
}

function pick<T extends Uint32Array | Uint16Array | Float32Array>(values: T, positions: Uint32Array): T {
  const out = new (values.constructor as new (n: number) => T)(positions.length);
  for (let i = 0; i < positions.length; i++) out[i] = values[positions[i]!]!;
  return out;
}

/*
 * Blobs travel as base64 TEXT, not BLOB: D1 (and wrangler's local D1) hands a BLOB to the Worker as
 * a JSON array of numbers — every byte a number in the reply and in the isolate's heap — which made
 * the postings fetch the larger part of a search. Inside, integers are LEB128 varints and sorted
 * labels are stored as gaps, so a posting is 3–4 bytes instead of 8.
 */

/** Appends unsigned varints (LEB128) to a growing byte buffer. */
export class VarintWriter {
  private bytes = new Uint8Array(256);
  length = 0;
  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
  /** A non-negative integer up to 2^53 (a term posting's gap × 2 may pass 2^32). */
  uint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`varint: ${value} is not a non-negative integer`);
    this.reserve(8);
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.length++] = v;
  }
  /** Four raw bytes of a float32 (little-endian): weights must come back bit-identical. */
  float32(value: number): void {
    this.reserve(4);
    new DataView(this.bytes.buffer).setFloat32(this.length, value, true);
    this.length += 4;
  }
  /** Bytes written by another writer, as they are. */
  append(values: Uint8Array): void {
    this.reserve(values.length);
    this.bytes.set(values, this.length);
    this.length += values.length;
  }
  /** Eight raw bytes of a float64 (little-endian). */
  float64(value: number): void {
    this.reserve(8);
    new DataView(this.bytes.buffer).setFloat64(this.length, value, true);
    this.length += 8;
  }
  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Reads what VarintWriter wrote, refusing to run past the end. */
export class VarintReader {
  at = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  uint(): number {
    const bytes = this.bytes;
    let value = 0;
    let shift = 0;
    for (;;) {
      if (this.at >= bytes.length) throw new Error("varint past the end of the blob");
      const b = bytes[this.at++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
      shift += 7;
    }
  }
  float32(): number {
    if (this.at + 4 > this.bytes.length) throw new Error("float32 past the end of the blob");
    const v = this.view.getFloat32(this.at, true);
    this.at += 4;
    return v;
  }
  float64(): number {
    if (this.at + 8 > this.bytes.length) throw new Error("float64 past the end of the blob");
    const v = this.view.getFloat64(this.at, true);
    this.at += 8;
    return v;
  }
  get done(): boolean {
    return this.at === this.bytes.length;
  }
}

/**
 * Layout: per field its count and the postings stored, then per field its postings in label order
 * as a mode (0: one posting at a time, 1: runs of consecutive labels with one tf — a title's or a
 * section's postings are a document's or a heading's passages in a row) and, per posting or run,
 * varint(gap × 2 + (tf ≠ 1)) from the previous label, then the tf when not 1, then (runs) the run's
 * length − 1. Each field takes the smaller mode. Most text postings are one byte.
 */
export function encodeTermPostings(postings: TermPostings): Uint8Array {
  const out = new VarintWriter();
  for (const field of postings.fields) {
    out.uint(field.count);
    out.uint(field.labels.length);
  }
  for (const field of postings.fields) {
    const single = encodeTermField(field, false);
    const runs = encodeTermField(field, true);
    const best = runs.length < single.length ? runs : single;
    out.uint(best === runs ? 1 : 0);
    out.append(best);
  }
  return out.done();
}

function encodeTermField({ labels, tfs }: { labels: Uint32Array; tfs: Uint16Array }, runs: boolean): Uint8Array {
  const out = new VarintWriter();
  let next = 0;
  for (let i = 0; i < labels.length; ) {
    const tf = tfs[i]!;
    let j = i + 1;
    if (runs) while (j < labels.length && labels[j] === labels[j - 1]! + 1 && tfs[j] === tf) j++;
    out.uint((labels[i]! - next) * 2 + (tf === 1 ? 0 : 1));
    if (tf !== 1) out.uint(tf);
    if (runs) out.uint(j - i - 1);
    next = labels[j - 1]! + 1;
    i = j;
  }
  return out.done();
}

/** Term postings of a build of `passages` passages (a label past them is refused). */
export function decodeTermPostings(bytes: Uint8Array, passages: number): TermPostings {
  const input = new VarintReader(bytes);
  const sizes = [0, 1, 2].map(() => ({ count: input.uint(), stored: input.uint() }));
  const fields = sizes.map(({ count, stored }) => {
    if (stored > count) throw new Error(`term postings: ${stored} stored of ${count}`);
    const runs = input.uint() === 1;
    const labels = new Uint32Array(stored);
    const tfs = new Uint16Array(stored);
    let next = 0;
    for (let i = 0; i < stored; ) {
      const head = input.uint();
      const label = next + Math.floor(head / 2);
      const tf = head % 2 ? input.uint() : 1;
      const run = runs ? input.uint() + 1 : 1;
      if (i + run > stored || label + run > passages) throw new Error(`term postings: a run of ${run} at label ${label} (${stored} stored, ${passages} passages)`);
      for (let r = 0; r < run; r++, i++) {
        labels[i] = label + r;
        tfs[i] = tf;
      }
      next = label + run;
    }
    return { count, labels, tfs };
  });
  if (!input.done) throw new Error(`term postings: ${bytes.byteLength} bytes, ${input.at} read`);
  return { fields };
}

/**
 * Per passage its title, section and text lengths (distinct terms, BM25's length normalisation):
 * per field a mode (0: a varint a passage, 1: runs of equal lengths — a document's title, a
 * heading's section) and its values, whichever is smaller.
 */
export function encodeFieldLengths(fields: readonly Uint16Array[]): Uint8Array {
  const out = new VarintWriter();
  out.uint(fields[0]?.length ?? 0);
  out.uint(fields.length);
  for (const lengths of fields) {
    const plain = new VarintWriter();
    for (const l of lengths) plain.uint(l);
    const runs = new VarintWriter();
    for (let i = 0; i < lengths.length; ) {
      let j = i + 1;
      while (j < lengths.length && lengths[j] === lengths[i]) j++;
      runs.uint(j - i);
      runs.uint(lengths[i]!);
      i = j;
    }
    const best = runs.length < plain.length ? runs : plain;
    out.uint(best === runs ? 1 : 0);
    out.append(best.done());
  }
  return out.done();
}

export function decodeFieldLengths(bytes: Uint8Array): Uint16Array[] {
  const input = new VarintReader(bytes);
  const n = input.uint();
  const count = input.uint();
  const fields: Uint16Array[] = [];
  for (let f = 0; f < count; f++) {
    const lengths = new Uint16Array(n);
    if (input.uint() === 1) {
      for (let i = 0; i < n; ) {
        const run = input.uint();
        if (!run || i + run > n) throw new Error(`field lengths: a run of ${run} at ${i} of ${n} passages`);
        lengths.fill(input.uint(), i, i + run);
        i += run;
      }
    } else for (let i = 0; i < n; i++) lengths[i] = input.uint();
    fields.push(lengths);
  }
  if (!input.done) throw new Error(`field lengths: ${bytes.byteLength} bytes, ${input.at} read`);
  return fields;
}

/**
 * Feature weights are most of the bytes a search moves from D1 (raw float32: 4 of a posting's ≈ 5
 * bytes). A passage's weights are its raw feature weights, (1 + ln tf) × IDF or × 1.2 for a bigram
 * — a handful of values per feature — divided by the passage's vector norm, so in a feature's list
 * they vary with the passage alone. Each passage gets a scale (featureScales); a list keeps a small
 * table of values and each posting a code into it, its weight being fround(value / scale), checked
 * bit for bit when written (a posting no value gives back keeps its float32: code 0).
 */

/**
 * Per passage the reciprocal of its smallest feature weight, as a float32. The smallest weight is
 * almost always a Han bigram seen once (raw weight 1.2 in every passage), so value = weight × scale
 * comes out the same for every passage with the same raw weight, and a list's table stays small.
 * Any positive scale decodes exactly (the codes are checked); a poor one only costs table entries.
 * A passage without features gets 1.
 */
export function featureScales(size: number, rows: Uint32Array, weights: Float32Array): Float32Array {
  const smallest = new Float64Array(size).fill(Infinity);
  for (let i = 0; i < rows.length; i++) {
    const w = weights[i]!;
    if (w > 0 && w < smallest[rows[i]!]!) smallest[rows[i]!] = w;
  }
  const scales = new Float32Array(size);
  for (let r = 0; r < size; r++) scales[r] = Number.isFinite(smallest[r]!) ? Math.fround(1 / smallest[r]!) : 1;
  return scales;
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
/** The float32 `steps` representable values above (or below) a finite positive float32. */
function nextFloat32(value: number, steps: number): number {
  f32[0] = value;
  f32Bits[0] = f32Bits[0]! + steps;
  return f32[0]!;
}

/**
 * Layout: count, table size, the table (float64 each), row gaps (rows ascending), one code per
 * posting (0: its float32 weight follows in the escape section, else table[code − 1]), then the
 * escaped weights as raw float32.
 */
export function encodeFeaturePostings(rows: Uint32Array, weights: Float32Array, scales: Float32Array): Uint8Array {
  const n = rows.length;
  // The values v with fround(v / scale) === weight form an interval per posting (the weight's
  // rounding interval times the scale); one value per group of overlapping intervals, taken at
  // the middle of the group's intersection (greedy stabbing in order of the intervals' starts).
  const order = Array.from({ length: n }, (_, i) => i);
  const lows = new Float64Array(n);
  const highs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    const scale = scales[rows[i]!]!;
    lows[i] = ((w + nextFloat32(w, -1)) / 2) * scale;
    highs[i] = ((w + nextFloat32(w, 1)) / 2) * scale;
  }
  order.sort((a, b) => lows[a]! - lows[b]!);
  const value = new Float64Array(n);
  const uses = new Map<number, number>();
  let group: number[] = [];
  let low = -Infinity;
  let high = Infinity;
  const close = () => {
    if (!group.length) return;
    const v = (low + high) / 2;
    for (const i of group) value[i] = v;
    uses.set(v, group.length);
    group = [];
    low = -Infinity;
    high = Infinity;
  };
  for (const i of order) {
    if (group.length && lows[i]! >= high) close();
    group.push(i);
    low = Math.max(low, lows[i]!);
    high = Math.min(high, highs[i]!);
  }
  close();
  // The most used values first: their codes are one byte.
  const table = [...uses].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([v]) => v);
  const codes = new Map(table.map((v, i) => [v, i + 1]));
  const out = new VarintWriter();
  out.uint(n);
  out.uint(table.length);
  for (const v of table) out.float64(v);
  let previous = 0;
  for (const r of rows) {
    out.uint(r - previous);
    previous = r;
  }
  const escaped: number[] = [];
  for (let i = 0; i < n; i++) {
    const exact = Math.fround(value[i]! / scales[rows[i]!]!) === weights[i]!;
    out.uint(exact ? codes.get(value[i]!)! : 0);
    if (!exact) escaped.push(weights[i]!);
  }
  for (const w of escaped) out.float32(w);
  return out.done();
}

export function decodeFeaturePostings(bytes: Uint8Array, scales: Float32Array): { rows: Uint32Array; weights: Float32Array } {
  const input = new VarintReader(bytes);
  const n = input.uint();
  const size = input.uint();
  const table = new Float64Array(size + 1);
  for (let c = 1; c <= size; c++) table[c] = input.float64();
  const rows = new Uint32Array(n);
  const weights = new Float32Array(n);
  let row = 0;
  for (let i = 0; i < n; i++) rows[i] = row += input.uint();
  if (n && row >= scales.length) throw new Error(`feature postings: row ${row} of ${scales.length} passages`);
  const escapes: number[] = [];
  for (let i = 0; i < n; i++) {
    const code = input.uint();
    if (code > size) throw new Error(`feature postings: code ${code} of ${size}`);
    if (code === 0) escapes.push(i);
    else weights[i] = table[code]! / scales[rows[i]!]!;
  }
  for (const i of escapes) weights[i] = input.float32();
  if (!input.done) throw new Error(`feature postings: ${bytes.byteLength} bytes for ${n} rows`);
  return { rows, weights };
}

/** Feature scales as little-endian float32 bytes (the blob) and back. */
export function encodeFeatureScales(scales: Float32Array): Uint8Array {
  const out = new VarintWriter();
  for (const s of scales) out.float32(s);
  return out.done();
}

export function decodeFeatureScales(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4) throw new Error(`feature scales: ${bytes.byteLength} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scales = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < scales.length; i++) scales[i] = view.getFloat32(i * 4, true);
  return scales;
}

/**
 * Per-label facets (year, kind id, place-scope id). A document's passages have consecutive labels
 * and share its facets, so they are stored as runs: count, then per run its length, year + 1
 * (0: no year, NO_YEAR), kind + 1 and scope + 1 (0: no document). A few kilobytes at 100,000 passages.
 */
export function encodeFacets(years: Int32Array, kinds: Int32Array, scopes: Int32Array): Uint8Array {
  const n = years.length;
  const out = new VarintWriter();
  out.uint(n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && years[j] === years[i] && kinds[j] === kinds[i] && scopes[j] === scopes[i]) j++;
    out.uint(j - i);
    out.uint(years[i] === NO_YEAR_FACET ? 0 : years[i]! + 1);
    out.uint(kinds[i]! + 1);
    out.uint(scopes[i]! + 1);
    i = j;
  }
  return out.done();
}

/** The year facet of a passage without one (keyword-source.ts NO_YEAR, repeated: this module imports nothing). */
const NO_YEAR_FACET = -2147483648;

export function decodeFacets(bytes: Uint8Array): { years: Int32Array; kinds: Int32Array; scopes: Int32Array } {
  const input = new VarintReader(bytes);
  const n = input.uint();
  const years = new Int32Array(n);
  const kinds = new Int32Array(n);
  const scopes = new Int32Array(n);
  for (let i = 0; i < n; ) {
    const run = input.uint();
    if (!run || i + run > n) throw new Error(`facets: a run of ${run} at ${i} of ${n} passages`);
    const year = input.uint();
    years.fill(year === 0 ? NO_YEAR_FACET : year - 1, i, i + run);
    kinds.fill(input.uint() - 1, i, i + run);
    scopes.fill(input.uint() - 1, i, i + run);
    i += run;
  }
  if (!input.done) throw new Error(`facets: ${bytes.byteLength} bytes, ${input.at} read`);
  return { years, kinds, scopes };
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_CODES = (() => {
  const codes = new Int16Array(128).fill(-1);
  for (let i = 0; i < BASE64.length; i++) codes[BASE64.charCodeAt(i)] = i;
  return codes;
})();

/** Gzip through the Web-standard CompressionStream (Node 20 and Workers alike). */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
}

export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
}

/** A passage as the index holds it (core/types.ts Passage; this module imports nothing). */
interface PassageFields {
  id: string;
  docId: string;
  ordinal: number;
  kind: string;
  headingPath: string[];
  text: string;
  folded: string;
  redactions: unknown[];
}

/** What a passage row's columns and its document say, from which the row's JSON is completed. */
export interface PassageContext {
  /** The pid and doc columns. */
  id: string;
  docId: string;
  label: number;
  /** The document's title (its row) and first label (the manifest). */
  title: string;
  firstPassage: number;
}

/**
 * A passage row's JSON, leaving out what its columns and its document already say — the id and
 * document id (columns), the ordinal (label − the document's first label), the kind when
 * "paragraph", the title at the head of the heading path, `folded` when it equals `text`, and empty
 * redactions — which was half of a row of the scaled corpus and of the candidates' fetch. Refuses a
 * passage that would not come back identical.
 */
export function passageRow<P extends PassageFields>(passage: P, context: PassageContext): string {
  const { id, docId, ordinal, kind, headingPath, text, folded, redactions, ...rest } = passage;
  const row: Record<string, unknown> = {};
  if (id !== context.id) row.id = id;
  if (docId !== context.docId) row.docId = docId;
  if (ordinal !== context.label - context.firstPassage) row.ordinal = ordinal;
  if (kind !== "paragraph") row.kind = kind;
  if (headingPath.length && headingPath[0] === context.title) row.sections = headingPath.slice(1);
  else row.headingPath = headingPath;
  row.text = text;
  if (folded !== text) row.folded = folded;
  if (redactions.length) row.redactions = redactions;
  if ("sections" in rest) throw new Error(`passage ${id}: a field named sections`);
  const data = JSON.stringify(Object.assign(row, rest));
  if (JSON.stringify(parsePassageRow(data, context)) !== JSON.stringify(passage)) throw new Error(`passage ${id}: its D1 row does not give it back`);
  return data;
}

/** The passage of a row written by passageRow (its text, or that text parsed), its fields in the index's order. */
export function parsePassageRow<P extends PassageFields>(data: string | object, context: PassageContext): P {
  const row = (typeof data === "string" ? JSON.parse(data) : data) as Partial<PassageFields> & { sections?: string[]; text: string };
  const { id = context.id, docId = context.docId, ordinal = context.label - context.firstPassage, kind = "paragraph", sections, headingPath = [context.title, ...(sections ?? [])], text, folded = text, redactions = [], ...rest } = row;
  return { id, docId, ordinal, kind, headingPath, text, folded, redactions, ...rest } as P;
}

/** Bytes as base64 text (runtime-neutral: no Buffer, no btoa over binary strings). */
export function toBase64(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const chars = new Array<string>(4096);
  let c = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chars[c++] = BASE64[v >> 18]! + BASE64[(v >> 12) & 63]! + BASE64[(v >> 6) & 63]! + BASE64[v & 63]!;
    if (c === chars.length) {
      chunks.push(chars.join(""));
      c = 0;
    }
  }
  chunks.push(chars.slice(0, c).join(""));
  const rest = bytes.length - i;
  if (rest === 1) chunks.push(BASE64[bytes[i]! >> 2]! + BASE64[(bytes[i]! & 3) << 4]! + "==");
  else if (rest === 2) {
    const v = (bytes[i]! << 8) | bytes[i + 1]!;
    chunks.push(BASE64[v >> 10]! + BASE64[(v >> 4) & 63]! + BASE64[(v & 15) << 2]! + "=");
  }
  return chunks.join("");
}

/** Base64 text back to bytes; refuses a character outside the alphabet. */
export function fromBase64(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  const codes = BASE64_CODES;
  // Four characters to three bytes at a time (a search decodes about a megabyte of postings at
  // 100,000 passages); a character outside the alphabet makes a lookup negative or is ≥ 128.
  const whole = end - (end % 4);
  let o = 0;
  let i = 0;
  for (; i < whole; i += 4) {
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    const c = text.charCodeAt(i + 2);
    const d = text.charCodeAt(i + 3);
    const va = codes[a & 127]!;
    const vb = codes[b & 127]!;
    const vc = codes[c & 127]!;
    const vd = codes[d & 127]!;
    if ((va | vb | vc | vd) < 0 || (a | b | c | d) > 127) throw new Error(`base64: unexpected character at ${i}`);
    const v = (va << 18) | (vb << 12) | (vc << 6) | vd;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  let bits = 0;
  let buffer = 0;
  for (; i < end; i++) {
    const ch = text.charCodeAt(i);
    const v = ch < 128 ? codes[ch]! : -1;
    if (v < 0) throw new Error(`base64: unexpected character at ${i}`);
    buffer = ((buffer << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

/** Cuts an encoded blob into parts that fit a statement; joined again in part order. */
export function blobParts(text: string, size: number = D1_LIMITS.blobPart): string[] {
  if (text.length <= size) return [text];
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += size) parts.push(text.slice(at, at + size));
  return parts;
}
