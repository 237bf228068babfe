import { parseKnowledge } from "../core/knowledge/knowledge.js";
import type { PlaceTable } from "../core/knowledge/places.js";
import { JiebaLexicon } from "../core/search/jieba-lexicon.js";
import { computePassageFacets } from "../core/search/keyword-source.js";
import type { IndexManifest } from "../core/search/search-index.js";
import type { DocumentMeta, Passage } from "../core/types.js";
import type { D1Binding, D1PreparedStatementLike } from "./d1-store.js";
import type { DenseVectorsRecord } from "./d1-vectors.js";
import { labelledIdPrefix } from "../core/search/vectorize-vector-index.js";
import {
  blobParts,
  BUILD_TABLES,
  D1_INDEX_FORMAT,
  D1_LIMITS,
  D1_SCHEMA,
  encodeFacets,
  encodeFieldLengths,
  encodeFeaturePostings,
  encodeFeatureScales,
  FEATURE_SCALES_BLOB,
  featureScales,
  FIELD_LENGTHS_BLOB,
  LEGACY_BUILD_TABLES,
  encodeTermPostings,
  FACETS_BLOB,
  headOfFeatureList,
  headOfTermField,
  gzip,
  KNOWLEDGE_BLOB,
  LEXICON_BLOB,
  passageRow,
  POSTINGS_HEAD,
  toBase64,
  type D1BuildMeta,
  type FacetIds,
} from "./d1-index-schema.js";

/** The BM25 postings of a build (keyword.json decoded): per field, term t's documents are docs[offsets[t] … offsets[t+1]]. */
export interface KeywordPostings {
  terms: string[];
  ids: Uint32Array;
  fields: Array<{ offsets: Uint32Array; docs: Uint32Array; freqs: Uint16Array; lengths: Uint16Array }>;
}

/** The sparse feature postings of a build (vectors.sparse decoded). */
export interface FeaturePostings {
  size: number;
  features: Uint32Array;
  offsets: Uint32Array;
  rows: Uint32Array;
  weights: Float32Array;
}

export interface D1BuildContent {
  manifest: IndexManifest;
  documents: DocumentMeta[];
  passages: Passage[];
  keyword: KeywordPostings;
  sparse: FeaturePostings;
  knowledgeJson: string;
  /** lexicon.bin of the build (the packed jieba lexicon its segmenter used). */
  lexicon: Uint8Array;
}

export interface UploadOptions {
  /** Statements per D1 batch call (each statement within 100 parameters and 90 KB). */
  statementsPerBatch?: number;
  log?: (message: string) => void;
  /**
   * Bytes of bound values per statement and per blob part. Bound parameters do not count towards
   * D1's 100 KB statement limit, but SQL text does: an upload through SQL files (hex blobs) uses
   * smaller values.
   */
  statementBytes?: number;
  blobPart?: number;
  /** Refuse (rather than skip) when this build already serves. */
  force?: boolean;
  /** Postings kept per list (POSTINGS_HEAD; Infinity: every list whole, exact at any size). */
  postingsHead?: number;
  /**
   * Dense vectors for the build in Vectorize (d1-vectors.ts), uploaded after the D1 rows are verified
   * and before the switch: when it throws, the previous build keeps serving. For a build that already
   * serves without them (or with another model's), they are uploaded and recorded in place.
   */
  vectors?: (build: string, content: D1BuildContent) => Promise<DenseVectorsRecord>;
  /**
   * Switch to a build without vectors although the serving one has them (`--vectors features`):
   * without it such an upload is refused, since a Worker of `[env.d1-vectorize]` could not serve it.
   */
  withoutVectors?: boolean;
  /** Deletes the Vectorize vectors of a build whose D1 rows are deleted (stale or superseded builds). */
  deleteVectors?: (record: DenseVectorsRecord) => Promise<void>;
}

export interface UploadReport {
  build: string;
  skipped: boolean;
  previous?: string;
  rows: Record<string, number>;
  seconds: number;
  /** The build's dense vectors, when `vectors` uploaded them. */
  vectors?: DenseVectorsRecord;
  /** Builds deleted after the switch (older than the previous one) or left half-written by an interrupted upload. */
  deleted: string[];
}

/** Primary-key columns of each build table (besides `build`): keyset pages and chunked deletes. */
const KEYS: Record<(typeof BUILD_TABLES)[number], string[]> = {
  index_blobs: ["name", "part"],
  index_documents: ["id"],
  index_passage_rows: ["label"],
  index_term_postings: ["term", "part"],
  index_feature_postings: ["feature", "part"],
};
const COLUMNS: Record<(typeof BUILD_TABLES)[number], string[]> = {
  index_blobs: ["build", "name", "part", "data"],
  index_documents: ["build", "id", "data"],
  index_passage_rows: ["build", "label", "pid", "doc", "data"],
  index_term_postings: ["build", "term", "part", "df", "postings"],
  index_feature_postings: ["build", "feature", "part", "postings"],
};

/**
 * Order-free checksum of a table's rows: the sum, modulo 2^52, of a 52-bit hash of each row's
 * values (text as UTF-16 units, numbers as their decimal text). Computed from what is written and again from
 * what D1 returns; D1's row order does not matter.
 */
export class RowChecksum {
  private sum = 0;
  rows = 0;
  add(values: readonly unknown[]): void {
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    const mix = (c: number) => {
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    };
    for (const value of values) {
      if (typeof value === "string") for (let i = 0; i < value.length; i++) mix(value.charCodeAt(i));
      else for (const c of String(value)) mix(c.charCodeAt(0));
      mix(0x1f);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    const hash = 2097152 * (h2 >>> 11) + (h1 >>> 0);
    this.sum = (this.sum + hash) % 2 ** 52;
    this.rows++;
  }
  get value(): string {
    return this.sum.toString(16).padStart(13, "0");
  }
}

/** Rows of one table, generated lazily (100,000 passages are never all held as statements). */
type RowSource = Iterable<unknown[]>;

function* documentRows(build: string, content: D1BuildContent): RowSource {
  for (const doc of content.documents) yield [build, doc.id, JSON.stringify(doc)];
}

function* passageRows(build: string, content: D1BuildContent): RowSource {
  const titles = new Map(content.documents.map((d) => [d.id, d.title]));
  const firsts = new Map(content.manifest.documents.map((d) => [d.id, d.firstPassage]));
  for (let label = 0; label < content.passages.length; label++) {
    const p = content.passages[label]!;
    const title = titles.get(p.docId);
    const firstPassage = firsts.get(p.docId);
    if (title === undefined || firstPassage === undefined) throw new Error(`passage ${p.id}: document ${p.docId} is not in the build`);
    yield [build, label, p.id, p.docId, passageRow(p, { id: p.id, docId: p.docId, label, title, firstPassage })];
  }
}

function* termRows(build: string, { keyword }: D1BuildContent, partBytes: number, averageLengths: readonly number[], head: number): RowSource {
  const [title, section, text] = keyword.fields as [KeywordPostings["fields"][0], KeywordPostings["fields"][0], KeywordPostings["fields"][0]];
  for (let t = 0; t < keyword.terms.length; t++) {
    const fields = [title, section, text].map(({ offsets, docs, freqs, lengths }, f) => {
      const start = offsets[t]!;
      const end = offsets[t + 1]!;
      const labels = new Uint32Array(end - start);
      const tfs = freqs.slice(start, end);
      const lens = new Uint16Array(end - start);
      for (let i = start; i < end; i++) {
        labels[i - start] = keyword.ids[docs[i]!]!;
        lens[i - start] = lengths[docs[i]!]!;
      }
      return headOfTermField({ labels, tfs, lengths: lens }, averageLengths[f]!, head);
    });
    const df = text.offsets[t + 1]! - text.offsets[t]!;
    const parts = blobParts(toBase64(encodeTermPostings({ fields })), partBytes);
    for (let part = 0; part < parts.length; part++) yield [build, keyword.terms[t]!, part, df, parts[part]!];
  }
}

function* featureRows(build: string, { sparse }: D1BuildContent, scales: Float32Array, partBytes: number, head: number): RowSource {
  for (let f = 0; f < sparse.features.length; f++) {
    const start = sparse.offsets[f]!;
    const end = sparse.offsets[f + 1]!;
    const { rows, weights } = headOfFeatureList(sparse.rows.subarray(start, end), sparse.weights.subarray(start, end), head);
    const parts = blobParts(toBase64(encodeFeaturePostings(rows, weights, scales)), partBytes);
    for (let part = 0; part < parts.length; part++) yield [build, sparse.features[f]!, part, parts[part]!];
  }
}

/** Year, kind id and place-scope id per label, exactly as the retriever derives them from the passages in memory. */
export function passageFacets(passages: Passage[], documents: DocumentMeta[], places: PlaceTable): { years: Int32Array; kinds: Int32Array; kindIds: Array<[string, number]>; scopes: Int32Array; scopeIds: Array<[string, number]> } {
  const facets = computePassageFacets(passages, new Map(documents.map((d) => [d.id, d])), places);
  return { ...facets, kindIds: [...facets.kindIds], scopeIds: [...facets.scopeIds] };
}

function* blobRows(build: string, files: Record<string, string>, partBytes: number): RowSource {
  for (const [name, text] of Object.entries(files)) {
    const parts = blobParts(text, partBytes);
    for (let part = 0; part < parts.length; part++) yield [build, name, part, parts[part]!];
  }
}

/** UTF-8 bytes of a bound value (base64 postings are one byte a character; Chinese text three). */
function valueBytes(value: unknown): number {
  if (typeof value !== "string") return 8;
  let bytes = value.length;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 0x80) bytes += value.charCodeAt(i) >= 0x800 ? 2 : 1;
  return bytes;
}

/**
 * Uploads one index build into D1 beside the serving one, verifies it, then switches the pointer:
 *  1. the schema (idempotent), and the rows of any earlier upload that never went live are deleted;
 *  2. a builds row in state 'uploading', then every table in multi-row INSERTs of at most 100
 *     parameters and 90 KB, several statements per batch call;
 *  3. row counts and order-free checksums read back from D1 against those computed while writing;
 *  4. one batch marks the build live and points `index_serving` at it — the only moment readers
 *     see a change; until then the previous build serves, and an interrupted upload is invisible;
 *  5. builds older than the previous one are deleted (the previous stays for isolates still on it).
 */
export async function uploadBuildToD1(db: D1Binding, content: D1BuildContent, options: UploadOptions = {}): Promise<UploadReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const build = content.manifest.buildId;
  const perBatch = options.statementsPerBatch ?? 20;
  const partBytes = options.blobPart ?? D1_LIMITS.blobPart;
  const statementBytes = options.statementBytes ?? D1_LIMITS.statementBytes;
  const head = options.postingsHead ?? POSTINGS_HEAD;
  if (!(head >= 1)) throw new Error(`postings head ${head}: at least 1 posting a list`);
  await db.batch(D1_SCHEMA.map((sql) => db.prepare(sql)));

  let serving = (await db.prepare("SELECT build FROM index_serving WHERE id = 1").first<{ build: string }>())?.build;
  if (serving === build) {
    // The same build in an older D1 layout: no Worker of this version can serve it, so it is
    // replaced in place (the only case where the pointer names a build that is being rewritten).
    const format = (await db.prepare("SELECT format FROM index_builds WHERE build = ?1").bind(build).first<{ format: string }>())?.format;
    if (format !== D1_INDEX_FORMAT) {
      log(`构建 ${build} 为旧格式 ${format ?? "（未知）"}，按 ${D1_INDEX_FORMAT} 重新上传`);
      await deleteBuild(db, build, log);
      serving = undefined;
    }
  }
  if (serving === build) {
    if (options.force) throw new Error(`build ${build} is serving: a build cannot be written beside itself (re-ingest for a new build id)`);
    log(`构建 ${build} 已在服务，无需上传`);
    const skipped = { build, skipped: true, previous: serving, rows: {}, seconds: (Date.now() - started) / 1000, deleted: [] };
    if (!options.vectors) return skipped;
    // The serving build gains its vectors: the rows are the same, only the meta row records them.
    const metaRow = await db.prepare("SELECT meta FROM index_builds WHERE build = ?1").bind(build).first<{ meta: string }>();
    const meta = JSON.parse(metaRow!.meta) as D1BuildMeta;
    if (meta.vectors?.store === "vectorize" && meta.vectors.vectors === content.passages.length) {
      log(`构建 ${build} 的向量已在 Vectorize（${meta.vectors.model}，${meta.vectors.vectors} 个），无需上传`);
      return { ...skipped, vectors: meta.vectors };
    }
    const vectors = await options.vectors(build, content);
    await db.prepare("UPDATE index_builds SET meta = ?2 WHERE build = ?1").bind(build, JSON.stringify({ ...meta, vectors })).first();
    log(`构建 ${build} 的 ${vectors.vectors} 个向量已写入 Vectorize 命名空间 ${vectors.namespace}`);
    return { ...skipped, vectors, seconds: (Date.now() - started) / 1000 };
  }
  if (serving && !options.vectors && !options.withoutVectors) {
    const servingMeta = await db.prepare("SELECT meta FROM index_builds WHERE build = ?1").bind(serving).first<{ meta: string }>();
    if (servingMeta && (JSON.parse(servingMeta.meta) as D1BuildMeta).vectors?.store === "vectorize") {
      throw new Error(`正在服务的构建 ${serving} 带有 Vectorize 向量（D1_VECTORS=vectorize 的 Worker 需要它们）：请加 --vectors vectorize 上传；确要改为不带向量的构建，请加 --vectors features`);
    }
  }
  const drop = (old: string) => deleteBuild(db, old, log, options.deleteVectors);
  // Half-written builds of interrupted uploads (and an earlier copy of this one) are removed first.
  const stale = (await db.prepare("SELECT build FROM index_builds WHERE state != 'live' OR build = ?1").bind(build).all<{ build: string }>()).results
    .map((r) => r.build)
    .filter((b) => b !== serving);
  for (const old of stale) await drop(old);

  const n = content.keyword.ids.length;
  if (n !== content.passages.length) throw new Error(`keyword index holds ${n} passages, passages.json ${content.passages.length}`);
  content.keyword.ids.forEach((id, d) => {
    if (id !== d) throw new Error(`keyword index: passage ${d} has label ${id}; D1 postings need labels in passage order`);
  });
  if (content.sparse.size !== n) throw new Error(`vectors.sparse holds ${content.sparse.size} passages, expected ${n}`);
  const averageLengths = content.keyword.fields.map(({ lengths }) => {
    let total = 0;
    for (const length of lengths) total += length;
    return total / (lengths.length || 1) || 1;
  }) as [number, number, number];
  const facets = passageFacets(content.passages, content.documents, parseKnowledge(content.knowledgeJson).places);
  const scales = featureScales(n, content.sparse.rows, content.sparse.weights);
  const files = {
    [KNOWLEDGE_BLOB]: toBase64(await gzip(new TextEncoder().encode(content.knowledgeJson))),
    [FACETS_BLOB]: toBase64(encodeFacets(facets.years, facets.kinds, facets.scopes)),
    [FEATURE_SCALES_BLOB]: toBase64(encodeFeatureScales(scales)),
    // Indexed by the keyword index's document number, which is the label (checked above).
    [FIELD_LENGTHS_BLOB]: toBase64(encodeFieldLengths(content.keyword.fields.map((f) => f.lengths))),
    [LEXICON_BLOB]: toBase64(await gzip(JiebaLexicon.decode(content.lexicon).encodeCompact())),
  };

  const sources: Record<(typeof BUILD_TABLES)[number], () => RowSource> = {
    index_blobs: () => blobRows(build, files, partBytes),
    index_documents: () => documentRows(build, content),
    index_passage_rows: () => passageRows(build, content),
    index_term_postings: () => termRows(build, content, partBytes, averageLengths, head),
    index_feature_postings: () => featureRows(build, content, scales, partBytes, head),
  };
  const meta: D1BuildMeta & FacetIds = { format: D1_INDEX_FORMAT, passages: n, averageLengths, postingsHead: Number.isFinite(head) ? head : null, tables: {}, kindIds: facets.kindIds, scopeIds: facets.scopeIds };
  await db
    .prepare("INSERT INTO index_builds (build, state, format, manifest, meta, created_at) VALUES (?1, 'uploading', ?2, ?3, ?4, ?5)")
    .bind(build, D1_INDEX_FORMAT, JSON.stringify(content.manifest), JSON.stringify(meta), new Date().toISOString())
    .first();

  for (const table of BUILD_TABLES) {
    const checksum = new RowChecksum();
    const columns = COLUMNS[table];
    const rowsPerStatement = Math.floor(D1_LIMITS.parameters / columns.length);
    let statements: D1PreparedStatementLike[] = [];
    let rows: unknown[][] = [];
    let bytes = 0;
    const flushStatement = () => {
      if (!rows.length) return;
      const placeholders = rows.map(() => `(${columns.map(() => "?").join(", ")})`).join(", ");
      statements.push(db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${placeholders}`).bind(...rows.flat()));
      rows = [];
      bytes = 0;
    };
    const flushBatch = async () => {
      flushStatement();
      if (statements.length) await db.batch(statements);
      statements = [];
    };
    for (const row of sources[table]()) {
      const size = row.reduce<number>((a, v) => a + valueBytes(v), 0);
      if (rows.length >= rowsPerStatement || (rows.length && bytes + size > statementBytes)) flushStatement();
      if (statements.length >= perBatch) await flushBatch();
      rows.push(row);
      bytes += size;
      checksum.add(row.slice(1));
    }
    await flushBatch();
    meta.tables[table] = { rows: checksum.rows, checksum: checksum.value };
    log(`${table}：${checksum.rows} 行已写入（${((Date.now() - started) / 1000).toFixed(1)} 秒）`);
  }

  // Verify: what D1 holds for this build, read back, against what was written.
  for (const table of BUILD_TABLES) {
    const found = await tableChecksum(db, table, build);
    const expected = meta.tables[table]!;
    if (found.rows !== expected.rows || found.value !== expected.checksum) {
      throw new Error(`${table}: D1 holds ${found.rows} rows (checksum ${found.value}), ${expected.rows} (${expected.checksum}) were written; the serving build is unchanged`);
    }
  }
  log(`（${((Date.now() - started) / 1000).toFixed(1)} 秒）行数与校验和一致：${BUILD_TABLES.map((t) => `${t} ${meta.tables[t]!.rows}`).join("，")}`);
  if (options.vectors) {
    // Recorded before the first vector is written, so that an interrupted upload's vectors are
    // deleted with its half-written build (their ids derive from the build and the count).
    const pending: DenseVectorsRecord = { store: "vectorize", model: "", dimensions: 0, namespace: build, idPrefix: labelledIdPrefix(build), vectors: n, yearFilter: false, uploadedAt: "" };
    await db.prepare("UPDATE index_builds SET meta = ?2 WHERE build = ?1").bind(build, JSON.stringify({ ...meta, vectors: pending })).first();
    meta.vectors = await options.vectors(build, content);
    log(`（${((Date.now() - started) / 1000).toFixed(1)} 秒）${meta.vectors.vectors} 个向量已写入 Vectorize 命名空间 ${meta.vectors.namespace}${meta.vectors.yearFilter ? "" : "；按年份过滤未生效（缺少 year 元数据索引）"}`);
  }

  // The switch: one batch (one transaction) — the build goes live and the pointer names it.
  // The pointer moves only if the build is still there to go live: an upload started meanwhile
  // deletes an unfinished build as stale (a long vector upload widens that window).
  await db.batch([
    db.prepare("UPDATE index_builds SET state = 'live', meta = ?2 WHERE build = ?1 AND state = 'uploading'").bind(build, JSON.stringify(meta)),
    db
      .prepare(
        "INSERT INTO index_serving (id, build, switched_at) SELECT 1, ?1, ?2 WHERE EXISTS (SELECT 1 FROM index_builds WHERE build = ?1 AND state = 'live') ON CONFLICT (id) DO UPDATE SET build = excluded.build, switched_at = excluded.switched_at",
      )
      .bind(build, new Date().toISOString()),
  ]);
  const pointer = (await db.prepare("SELECT build FROM index_serving WHERE id = 1").first<{ build: string }>())?.build;
  if (pointer !== build) throw new Error(`构建 ${build} 在上传期间被另一次上传删除，未切换；正在服务的构建为 ${pointer ?? "（无）"}`);
  log(`D1 已切换到构建 ${build}${serving ? `（上一构建 ${serving} 保留）` : ""}`);

  const older = (await db.prepare("SELECT build FROM index_builds WHERE build != ?1 AND build != ?2").bind(build, serving ?? "").all<{ build: string }>()).results.map((r) => r.build);
  for (const old of older) await drop(old);
  return {
    build,
    skipped: false,
    ...(serving ? { previous: serving } : {}),
    rows: Object.fromEntries(BUILD_TABLES.map((t) => [t, meta.tables[t]!.rows])),
    seconds: (Date.now() - started) / 1000,
    ...(meta.vectors ? { vectors: meta.vectors } : {}),
    deleted: [...stale, ...older],
  };
}

/** Count and checksum of a build's rows in one table, read back in keyset pages. */
export async function tableChecksum(db: D1Binding, table: (typeof BUILD_TABLES)[number], build: string): Promise<RowChecksum> {
  const keys = KEYS[table];
  const columns = COLUMNS[table].slice(1);
  const checksum = new RowChecksum();
  const page = 2000;
  let after: unknown[] | undefined;
  for (;;) {
    const where = after ? ` AND (${keys.join(", ")}) > (${keys.map((_, i) => `?${i + 2}`).join(", ")})` : "";
    const { results } = await db
      .prepare(`SELECT ${columns.join(", ")} FROM ${table} WHERE build = ?1${where} ORDER BY ${keys.join(", ")} LIMIT ${page}`)
      .bind(build, ...(after ?? []))
      .all<Record<string, unknown>>();
    for (const row of results) checksum.add(columns.map((c) => row[c]));
    if (results.length < page) return checksum;
    const last = results[results.length - 1]!;
    after = keys.map((k) => last[k]);
  }
}

/**
 * Deletes one build's rows, table by table in chunks (a single huge DELETE could exceed D1's time
 * limit), in the tables of this layout and in those of an older one still in the database (a
 * legacy table no build uses any more is dropped).
 */
export async function deleteBuild(db: D1Binding, build: string, log: (message: string) => void = () => {}, deleteVectors?: (record: DenseVectorsRecord) => Promise<void>): Promise<void> {
  if (deleteVectors) {
    const row = await db.prepare("SELECT meta FROM index_builds WHERE build = ?1").bind(build).first<{ meta: string | null }>();
    const record = row?.meta ? (JSON.parse(row.meta) as Partial<D1BuildMeta>).vectors : undefined;
    if (record?.store === "vectorize") {
      await deleteVectors(record);
      log(`已删除旧构建 ${build} 的 ${record.vectors} 个 Vectorize 向量`);
    }
  }
  const legacyNames = Object.keys(LEGACY_BUILD_TABLES);
  const legacy = (await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(legacyNames)).all<{ name: string }>()).results.map((r) => r.name);
  const tables: Array<[string, string[]]> = [...BUILD_TABLES.map((t): [string, string[]] => [t, KEYS[t]]), ...legacy.map((t): [string, string[]] => [t, LEGACY_BUILD_TABLES[t]!])];
  for (const [table, keyColumns] of tables) {
    const keys = keyColumns.join(", ");
    for (;;) {
      const result = (await db.batch([db.prepare(`DELETE FROM ${table} WHERE build = ?1 AND (${keys}) IN (SELECT ${keys} FROM ${table} WHERE build = ?1 LIMIT 5000)`).bind(build)]))[0];
      if (!result?.meta.changes) break;
    }
  }
  for (const table of legacy) {
    if (await db.prepare(`SELECT 1 AS one FROM ${table} LIMIT 1`).first()) continue;
    await db.prepare(`DROP TABLE ${table}`).first();
    log(`已删除旧格式的空表 ${table}`);
  }
  await db.prepare("DELETE FROM index_builds WHERE build = ?1").bind(build).first();
  log(`已删除旧构建 ${build}`);
}
