import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { IndexManifest } from "../src/core/search/search-index.js";
import type { DocumentMeta, Passage } from "../src/core/types.js";
import { runCli } from "../src/node/cli/common.js";
import { currentBuildDir } from "../src/node/index-store.js";
import { DEFAULT_WORKER_ASSETS } from "../src/node/worker-assets.js";
import type { D1Binding, D1PreparedStatementLike } from "../src/worker/d1-store.js";
import { uploadBuildToD1, type D1BuildContent, type FeaturePostings, type KeywordPostings } from "../src/worker/d1-upload.js";
import { deleteBuildVectors, uploadBuildVectors, type DenseVectorsRecord } from "../src/worker/d1-vectors.js";
import { JiebaLexicon } from "../src/core/search/jieba-lexicon.js";
import { VECTORIZE_YEAR_PROPERTY, type VectorizeBinding } from "../src/core/search/vectorize-vector-index.js";
import { BGE_M3, WorkersAiEmbeddings, type AiBinding } from "../src/core/search/workers-ai-embeddings.js";
import { VectorizeStandIn } from "../src/worker/testing/vectorize-stand-in.js";
import { localBgeM3StandIn } from "../src/worker/testing/workers-ai-stand-in.js";
import { aiOverHttp, cloudflareCredentials, vectorizeOverHttp } from "./cloudflare-api.js";

/**
 * `npm run deploy:index -- --local [--persist-to DIR] [--build DIR | --index-dir DIR] [--force]`: the
 * Worker's index build (default: the one `npm run build:worker-index` wrote to dist/worker-assets/index,
 * made with the pure-JS segmenter the Worker tokenizes with; `--build` any build folder, `--index-dir`
 * the current build of an index folder) → the `d1` back end's D1 (wrangler.toml `[env.d1]`, INDEX_DB), written
 * beside the serving build in batches, verified (row counts, checksums), then switched live by one
 * pointer row. `--local` writes wrangler's local D1 (the one `npm run dev:worker -- --env d1` reads;
 * `--persist-to` as for `wrangler dev`). `--postings-head N|all`: postings kept per list (default
 * POSTINGS_HEAD, d1-index-schema.ts; `all` keeps every list whole, exact at any size but slower past
 * ≈ 10,000 passages). `--vectors vectorize [--vectorize-index NAME]`: also the build's dense vectors
 * (bge-m3) in Vectorize, uploaded and read back before the switch (`D1_VECTORS = "vectorize"` serves
 * them; see denseUploader). Prints the upload report as JSON on its last line.
 */
function option(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i]!.includes("=") ? args[i]!.slice(args[i]!.indexOf("=") + 1) : args[i + 1];
}

const base64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
const view = <T>(Type: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, bytes: Uint8Array): T => {
  const copy = bytes.slice();
  return new Type(copy.buffer, 0, copy.byteLength / Type.BYTES_PER_ELEMENT);
};

/** keyword.json (bm25-postings-v1) decoded into its postings arrays. */
export function readKeywordPostings(json: string): KeywordPostings {
  const data = JSON.parse(json) as { format: string; terms: string[]; ids: string; fields: Array<{ offsets: string; docs: string; freqs: string; lengths: string }> };
  if (data.format !== "bm25-postings-v1") throw new Error(`keyword.json format ${data.format}, expected bm25-postings-v1`);
  return {
    terms: data.terms,
    ids: view(Uint32Array, base64(data.ids)),
    fields: data.fields.map((f) => ({
      offsets: view(Uint32Array, base64(f.offsets)),
      docs: view(Uint32Array, base64(f.docs)),
      freqs: view(Uint16Array, base64(f.freqs)),
      lengths: view(Uint16Array, base64(f.lengths)),
    })),
  };
}

/** vectors.sparse (SPV1: header, features, offsets, rows, weights) decoded. */
export function readFeaturePostings(bytes: Uint8Array): FeaturePostings {
  const u32 = view(Uint32Array, bytes);
  const [magic, version, size, distinct, total] = u32 as unknown as number[];
  if (magic !== 0x53505631 || version !== 1) throw new Error("vectors.sparse: unknown format");
  let at = 5;
  const take = (n: number) => u32.subarray(at, (at += n));
  const features = take(distinct!);
  const offsets = take(distinct! + 1);
  const rows = take(total!);
  const weights = new Float32Array(u32.buffer, at * 4, total!);
  return { size: size!, features, offsets, rows, weights };
}

/** Reads a build folder (index/builds/<id>) into what the uploader writes. */
export function readBuild(dir: string): D1BuildContent {
  // Text-heavy files may be UTF-16LE with a BOM (how index-store writes them), or UTF-8.
  const text = (name: string) => {
    const bytes = readFileSync(join(dir, name));
    return bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString("utf16le") : bytes.toString("utf8");
  };
  return {
    manifest: JSON.parse(text("manifest.json")) as IndexManifest,
    documents: JSON.parse(text("documents.json")) as DocumentMeta[],
    passages: JSON.parse(text("passages.json")) as Passage[],
    keyword: readKeywordPostings(text("keyword.json")),
    sparse: readFeaturePostings(new Uint8Array(readFileSync(join(dir, "vectors.sparse")))),
    knowledgeJson: text("knowledge.json"),
    lexicon: new Uint8Array(readFileSync(join(dir, "lexicon.bin"))),
  };
}

/** The Vectorize index `[env.d1-vectorize]` binds (created as README › D1 › step 4 says). */
export const DEFAULT_VECTORIZE_INDEX = "edu-policy-passages";

/**
 * `--vectors vectorize`: the build's passages embedded with bge-m3 (Workers AI) and upserted into
 * Vectorize under the build's namespace before D1 switches to it. Remote through the REST API; with
 * `--local` into the offline stand-ins in this process (a local 1024-d embedder, the `year` metadata
 * index created): that checks the upload path and the D1 record, but local workerd cannot serve
 * them — Vectorize and Workers AI are remote-only bindings under `wrangler dev`.
 */
export async function denseUploader(content: D1BuildContent, options: { remote: boolean; index: string }): Promise<{ upload: (build: string) => Promise<DenseVectorsRecord>; remove: (record: DenseVectorsRecord) => Promise<void> }> {
  let ai: AiBinding;
  let vectorize: VectorizeBinding;
  if (options.remote) {
    const { account, token } = cloudflareCredentials();
    ai = aiOverHttp(account, token);
    vectorize = vectorizeOverHttp(account, token, options.index);
  } else {
    const lexicon = JiebaLexicon.decode(content.lexicon);
    ai = localBgeM3StandIn(lexicon);
    const standIn = new VectorizeStandIn(BGE_M3.dimensions);
    standIn.createMetadataIndex(VECTORIZE_YEAR_PROPERTY, "number");
    vectorize = standIn;
    console.error("--local：向量写入本进程内的离线替身（检验上传流程；D1 记为替身，Worker 不会使用）；本地 workerd 无法连接 Vectorize，D1_VECTORS=vectorize 须部署后使用");
  }
  // Checked before the D1 upload starts: a wrong token or index fails in seconds, not after it.
  const info = await vectorize.describe();
  if (info.dimensions !== BGE_M3.dimensions) throw new Error(`Vectorize 索引 ${options.index} 为 ${info.dimensions} 维，${BGE_M3.model} 需要 ${BGE_M3.dimensions} 维`);
  return {
    remove: async (record) => {
      await deleteBuildVectors(record, vectorize);
    },
    upload: (build) => uploadBuildVectors({
      standIn: !options.remote,
      build,
      passages: content.passages,
      documents: content.documents,
      embeddings: new WorkersAiEmbeddings({ ai }),
      model: BGE_M3.model,
      dimensions: BGE_M3.dimensions,
      vectorize,
      onBatch: (done, total) => console.error(`向量已上传 ${done}/${total}`),
      // The service applies upserts within seconds: read back for up to a minute.
      verify: options.remote ? { attempts: 30, waitMs: 2000 } : { attempts: 1, waitMs: 0 },
    }),
  };
}

/** wrangler's local D1 of `[env.d1]` (the same files `wrangler dev --env d1 [--persist-to DIR]` uses). */
export async function localIndexDb(persistTo?: string): Promise<{ db: D1Binding; dispose: () => Promise<void> }> {
  const { getPlatformProxy } = await import("wrangler");
  const proxy = await getPlatformProxy<{ INDEX_DB: D1Binding }>({
    environment: "d1",
    configPath: resolve(import.meta.dirname, "..", "wrangler.toml"),
    persist: { path: join(resolve(persistTo ?? join(import.meta.dirname, "..", ".wrangler", "state")), "v3") },
    remoteBindings: false,
  });
  return { db: proxy.env.INDEX_DB, dispose: () => proxy.dispose() };
}

/** A value as an SQL literal: text quoted, blobs as X'…' hex, numbers as they are. */
function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NULL";
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  return `X'${Buffer.from(value as Uint8Array).toString("hex")}'`;
}

/** Binds parameters into the text (`?` and `?N`; the uploader's SQL has no ? inside literals). */
function renderSql(sql: string, params: readonly unknown[]): string {
  let next = 0;
  return sql.replace(/\?(\d+)?/g, (_, n: string | undefined) => sqlLiteral(params[n ? Number(n) - 1 : next++]));
}

/**
 * D1 through `wrangler d1 execute` (the route to the Cloudflare-hosted database with --remote, with
 * the login or API token wrangler uses): reads and short writes as --command (their results come
 * back as JSON), batches as --file (wrangler's import path for large SQL).
 */
export function wranglerD1(options: { remote: boolean; persistTo?: string }): D1Binding {
  const wrangler = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
  const where = options.remote ? ["--remote"] : ["--local", ...(options.persistTo ? ["--persist-to", resolve(options.persistTo)] : [])];
  const tmp = mkdtempSync(join(tmpdir(), "d1-deploy-"));
  let files = 0;
  const execute = (sql: string): Array<{ results: unknown[]; meta?: { changes?: number } }> => {
    const viaFile = sql.length > 60_000;
    const target = viaFile ? join(tmp, `batch-${files++}.sql`) : undefined;
    if (target) writeFileSync(target, sql);
    const args = [wrangler, "d1", "execute", "edu-policy-index", "--env", "d1", ...where, "--yes", ...(target ? ["--file", target] : ["--json", "--command", sql])];
    const run = spawnSync(process.execPath, args, { cwd: resolve(import.meta.dirname, ".."), encoding: "utf8", maxBuffer: 256 << 20, env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
    if (target) rmSync(target, { force: true });
    if (run.status !== 0) throw new Error(`wrangler d1 execute: ${(run.stderr || run.stdout).slice(-1500)}`);
    if (viaFile) return [{ results: [] }];
    return JSON.parse(run.stdout) as Array<{ results: unknown[]; meta?: { changes?: number } }>;
  };
  const statement = (sql: string, params: unknown[]): D1PreparedStatementLike & { rendered: () => string } => ({
    bind: (...values: unknown[]) => statement(sql, values),
    rendered: () => renderSql(sql, params),
    first: async <T>() => (execute(renderSql(sql, params))[0]?.results[0] as T | undefined) ?? null,
    all: async <T>() => ({ results: (execute(renderSql(sql, params))[0]?.results ?? []) as T[] }),
  });
  return {
    prepare: (sql) => statement(sql, []),
    batch: async (statements) => {
      const sql = statements.map((s) => `${(s as ReturnType<typeof statement>).rendered()};`).join("\n");
      return execute(sql).map((r) => ({ meta: { ...(r.meta?.changes !== undefined ? { changes: r.meta.changes } : {}) } }));
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("deploy-index.ts")) {
  runCli(async () => {
    const args = process.argv.slice(2);
    const remote = !args.includes("--local");
    const indexDir = option(args, "index-dir");
    const dir = option(args, "build") ?? (indexDir ? currentBuildDir(indexDir) : join(DEFAULT_WORKER_ASSETS, "index"));
    if (!dir || !existsSync(join(dir, "manifest.json"))) throw new Error(`${dir ?? indexDir} 中没有索引构建，请先运行 npm run build:worker-index`);
    const started = Date.now();
    const content = readBuild(dir);
    const readSeconds = (Date.now() - started) / 1000;
    // --local: wrangler's local D1 in-process; otherwise (or with --via-wrangler) through `wrangler d1 execute`.
    const { db, dispose } =
      remote || args.includes("--via-wrangler") ? { db: wranglerD1({ remote, ...(option(args, "persist-to") ? { persistTo: option(args, "persist-to")! } : {}) }), dispose: async () => {} } : await localIndexDb(option(args, "persist-to"));
    try {
      const batch = option(args, "batch");
      // Through SQL files, values are text in the statement (blobs as hex, twice their size).
      const viaSql = remote || args.includes("--via-wrangler");
      const vectors = option(args, "vectors");
      if (vectors !== undefined && vectors !== "vectorize" && vectors !== "features") throw new Error(`--vectors 须为 vectorize 或 features，收到 ${vectors}`);
      const dense = vectors === "vectorize" ? await denseUploader(content, { remote, index: option(args, "vectorize-index") ?? DEFAULT_VECTORIZE_INDEX }) : undefined;
      const report = await uploadBuildToD1(db, content, {
        force: args.includes("--force"),
        ...(dense ? { vectors: dense.upload, deleteVectors: dense.remove } : {}),
        ...(vectors === "features" ? { withoutVectors: true } : {}),
        log: (m) => console.error(m),
        statementsPerBatch: Number(batch ?? (viaSql ? 400 : 20)),
        ...(option(args, "postings-head") ? { postingsHead: option(args, "postings-head") === "all" ? Infinity : Number(option(args, "postings-head")) } : {}),
        ...(viaSql ? { statementBytes: 40_000, blobPart: 30_000 } : {}),
      });
      console.error(report.skipped ? `构建 ${report.build} 已在服务` : `已上传构建 ${report.build}：${content.passages.length} 个段落，用时 ${report.seconds.toFixed(1)} 秒`);
      console.log(JSON.stringify({ ...report, passages: content.passages.length, readSeconds }));
    } finally {
      await dispose();
    }
    return 0;
  });
}
