/**
 * The search index in D1 (the Worker's `d1` back end): the tables, the one pointer row that names
 * the serving build, and the binary layout of the postings blobs. Runtime-neutral: the Worker reads
 * it, `npm run deploy:index` (Node) writes it.
 *
 * Every row carries its build id, so a new build is written beside the serving one and becomes
 * visible only when `index_serving` is switched to it (one statement); readers never see a
 * half-written build.
 */

/** Bump when a table or a blob layout changes (the Worker refuses another version). */
export const D1_INDEX_FORMAT = "d1-index-2";

/**
 * D1 limits the Worker and the uploader keep to: bound parameters per statement, and the bytes
 * bound in one statement (D1's statement limit is 100 KB; blobs are cut well below it).
 */
export const D1_LIMITS = { parameters: 100, statementBytes: 90_000, blobPart: 60_000, queriesPerInvocation: 1000 } as const;

export const D1_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS index_serving (id INTEGER PRIMARY KEY CHECK (id = 1), build TEXT NOT NULL, switched_at TEXT NOT NULL)`,
  // state: 'uploading' until every table is written and verified, then 'ready'; 'live' once served.
  `CREATE TABLE IF NOT EXISTS index_builds (build TEXT PRIMARY KEY, state TEXT NOT NULL, format TEXT NOT NULL, manifest TEXT NOT NULL, meta TEXT NOT NULL, created_at TEXT NOT NULL)`,
  // Whole files the isolate loads once (knowledge.json, the facet table), cut into parts.
  `CREATE TABLE IF NOT EXISTS index_blobs (build TEXT NOT NULL, name TEXT NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (build, name, part)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS index_documents (build TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (build, id)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS index_passages (build TEXT NOT NULL, label INTEGER NOT NULL, pid TEXT NOT NULL, doc TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (build, label)) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS index_passages_by_id ON index_passages (build, pid)`,
  // BM25 postings of one term, all three fields, cut into parts (df: passages whose text holds it).
  `CREATE TABLE IF NOT EXISTS index_terms (build TEXT NOT NULL, term TEXT NOT NULL, part INTEGER NOT NULL, df INTEGER NOT NULL, postings BLOB NOT NULL, PRIMARY KEY (build, term, part)) WITHOUT ROWID`,
  // Sparse feature postings of the hashing model (the vector side of the bundled back end).
  `CREATE TABLE IF NOT EXISTS index_features (build TEXT NOT NULL, feature INTEGER NOT NULL, part INTEGER NOT NULL, postings BLOB NOT NULL, PRIMARY KEY (build, feature, part)) WITHOUT ROWID`,
];

/** Tables holding a build's rows, in the order they are written and deleted. */
export const BUILD_TABLES = ["index_blobs", "index_documents", "index_passages", "index_terms", "index_features"] as const;

/** What the builds row says about a build beyond its manifest. */
export interface D1BuildMeta {
  format: typeof D1_INDEX_FORMAT;
  passages: number;
  /** Average distinct terms per field (title, section, text): BM25's length normalisation. */
  averageLengths: [number, number, number];
  /** Rows and order-free checksum per table, checked after the upload. */
  tables: Record<string, { rows: number; checksum: string }>;
}

/** The facet ids the build's meta row carries beside facets.bin: kind and place-scope keys → ids. */
export interface FacetIds {
  kindIds: Array<[string, number]>;
  scopeIds: Array<[string, number]>;
}

/** Postings of one term: per field (title, section, text) labels, term frequencies, field lengths. */
export interface TermPostings {
  fields: Array<{ labels: Uint32Array; tfs: Uint16Array; lengths: Uint16Array }>;
}

/** Layout: u32 count per field ×3, then per field labels (u32), tfs (u16), lengths (u16). Little-endian. */
export function encodeTermPostings(postings: TermPostings): Uint8Array {
  const counts = postings.fields.map((f) => f.labels.length);
  const total = counts.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(12 + total * 8);
  const view = new DataView(out.buffer);
  counts.forEach((c, i) => view.setUint32(i * 4, c, true));
  let at = 12;
  for (const field of postings.fields) {
    for (const l of field.labels) {
      view.setUint32(at, l, true);
      at += 4;
    }
    for (const t of field.tfs) {
      view.setUint16(at, t, true);
      at += 2;
    }
    for (const n of field.lengths) {
      view.setUint16(at, n, true);
      at += 2;
    }
  }
  return out;
}

export function decodeTermPostings(bytes: Uint8Array): TermPostings {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const counts = [0, 1, 2].map((i) => view.getUint32(i * 4, true));
  let at = 12;
  const fields = counts.map((n) => {
    const labels = new Uint32Array(n);
    const tfs = new Uint16Array(n);
    const lengths = new Uint16Array(n);
    for (let i = 0; i < n; i++, at += 4) labels[i] = view.getUint32(at, true);
    for (let i = 0; i < n; i++, at += 2) tfs[i] = view.getUint16(at, true);
    for (let i = 0; i < n; i++, at += 2) lengths[i] = view.getUint16(at, true);
    return { labels, tfs, lengths };
  });
  if (at !== bytes.byteLength) throw new Error(`term postings: ${bytes.byteLength} bytes, expected ${at}`);
  return { fields };
}

/** Feature postings: u32 count, rows (u32, ascending), weights (f32). */
export function encodeFeaturePostings(rows: Uint32Array, weights: Float32Array): Uint8Array {
  const out = new Uint8Array(4 + rows.length * 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, rows.length, true);
  let at = 4;
  for (const r of rows) {
    view.setUint32(at, r, true);
    at += 4;
  }
  for (const w of weights) {
    view.setFloat32(at, w, true);
    at += 4;
  }
  return out;
}

export function decodeFeaturePostings(bytes: Uint8Array): { rows: Uint32Array; weights: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  if (bytes.byteLength !== 4 + n * 8) throw new Error(`feature postings: ${bytes.byteLength} bytes for ${n} rows`);
  const rows = new Uint32Array(n);
  const weights = new Float32Array(n);
  for (let i = 0, at = 4; i < n; i++, at += 4) rows[i] = view.getUint32(at, true);
  for (let i = 0, at = 4 + n * 4; i < n; i++, at += 4) weights[i] = view.getFloat32(at, true);
  return { rows, weights };
}

/** Facets per label (year, kind id), the one per-passage table the isolate holds: 8 bytes a passage. */
/** Per-label facets as one blob: n, then n years, n kind ids and n place-scope ids (int32, little-endian). */
export function encodeFacets(years: Int32Array, kinds: Int32Array, scopes: Int32Array): Uint8Array {
  const n = years.length;
  const out = new Uint8Array(4 + n * 12);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  for (let i = 0; i < n; i++) {
    view.setInt32(4 + i * 4, years[i]!, true);
    view.setInt32(4 + n * 4 + i * 4, kinds[i]!, true);
    view.setInt32(4 + n * 8 + i * 4, scopes[i]!, true);
  }
  return out;
}

export function decodeFacets(bytes: Uint8Array): { years: Int32Array; kinds: Int32Array; scopes: Int32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  if (bytes.byteLength !== 4 + n * 12) throw new Error(`facets: ${bytes.byteLength} bytes for ${n} passages`);
  const years = new Int32Array(n);
  const kinds = new Int32Array(n);
  const scopes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    years[i] = view.getInt32(4 + i * 4, true);
    kinds[i] = view.getInt32(4 + n * 4 + i * 4, true);
    scopes[i] = view.getInt32(4 + n * 8 + i * 4, true);
  }
  return { years, kinds, scopes };
}

/** Cuts a blob into parts that fit a statement; reassembled in part order. */
export function blobParts(bytes: Uint8Array, size: number = D1_LIMITS.blobPart): Uint8Array[] {
  if (bytes.byteLength <= size) return [bytes];
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength; at += size) parts.push(bytes.subarray(at, Math.min(at + size, bytes.byteLength)));
  return parts;
}

export function joinParts(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** A BLOB column as D1 returns it (ArrayBuffer, a typed array, or an array of numbers). */
export function blobBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  throw new Error(`not a blob: ${typeof value}`);
}
