import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { loadConfig } from "../src/core/config.js";
import { isAppError, type AppError, type ErrorCode } from "../src/core/errors.js";
import { CHUNKER_VERSION } from "../src/core/ingest/process-document.js";
import { HashingEmbeddings } from "../src/core/search/hashing-embeddings.js";
import { HybridRetriever } from "../src/core/search/retriever.js";
import { embeddingText, INDEX_FORMAT_VERSION } from "../src/core/search/search-index.js";
import { SparseVectorIndex, type SparseVector } from "../src/core/search/sparse-vector-index.js";
import { TOKENIZER_VERSION } from "../src/core/search/tokenizer.js";
import { foldForMatching } from "../src/core/text/fold.js";
import { HnswVectorIndex } from "../src/node/hnsw-vector-index.js";
import { currentBuildDir, dataFiles, loadIndex, readManifest } from "../src/node/index-store.js";
import { indexIsStale, ingestCorpus, type IngestResult } from "../src/node/ingest/build-index.js";
import { createJiebaSegmenter } from "../src/node/jieba-segmenter.js";
import { createNodeRuntime, type NodeRuntime } from "../src/node/runtime.js";
import { CORPUS_DIR, FILES } from "./helpers.js";

const ROOT = join(import.meta.dirname, "..");
const CORPUS_FILES = [FILES.priorities2020, FILES.targets2021, FILES.summary2021, FILES.summary2024, FILES.speech].sort();

let tmp: string;
let runtime: NodeRuntime;
/** Same recipe, own embedder instance: the background scenarios must not show up in the spies on `runtime`. */
let backgroundRuntime: NodeRuntime;
const children = new Set<ChildProcess>();
let stopping = false;
/** The child-process scenarios, started first (see beforeAll) and checked by the last tests. */
let cliExitRuns: Promise<CliExitRuns>;
let killOutcomes: Promise<KillOutcome[]>;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "edu-index-store-"));
  runtime = await createNodeRuntime(loadConfig({}));
  backgroundRuntime = await createNodeRuntime(loadConfig({}));
  expect(backgroundRuntime.embeddings).not.toBe(runtime.embeddings);
  expect(backgroundRuntime.recipe).toEqual(runtime.recipe);
  // Each CLI process spends seconds of CPU starting up (tsx, jieba, idf). The child-process
  // scenarios start now and run alongside the in-process tests; their tests at the end await them.
  cliExitRuns = startCliExitRuns();
  // Delays up to 1.5 s land in the CLI's start-up; the file-system triggers land in the write
  // itself (as soon as, or 10 ms after, anything appears in builds/) and in the commit (as soon as
  // the pointer file is touched). They watch names the on-disk layout documents (builds/,
  // current.json), not the implementation's temporary names. Two independent lanes.
  killOutcomes = Promise.all([
    killLane("a", [{ kind: "delay", ms: 50 }, { kind: "delay", ms: 1500 }, { kind: "first-write", afterMs: 0 }]),
    killLane("b", [{ kind: "delay", ms: 700 }, { kind: "first-write", afterMs: 10 }, { kind: "pointer" }]),
  ]).then((lanes) => lanes.flat());
  // Failures are reported by the tests that await these.
  cliExitRuns.catch(() => undefined);
  killOutcomes.catch(() => undefined);
});

afterAll(async () => {
  stopping = true;
  for (const child of children) killGroup(child);
  await Promise.allSettled([cliExitRuns, killOutcomes]);
  for (const child of children) killGroup(child);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

/** A fresh copy of corpus/ (documents and sidecar) in the temp folder. */
function copyCorpus(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(CORPUS_DIR)) copyFileSync(join(CORPUS_DIR, file), join(dir, file));
  return dir;
}

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");

function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (isAppError(error)) return error;
    throw new Error(`expected an AppError, got: ${String(error)}`, { cause: error });
  }
  throw new Error("expected an AppError, nothing was thrown");
}

function expectLoadError(indexDir: string, code: ErrorCode, recipe = runtime.recipe): AppError {
  const error = appErrorOf(() => loadIndex(indexDir, recipe));
  expect(error.code).toBe(code);
  expect(error.detail).toContain("npm run ingest");
  return error;
}

/** A copy of an index folder, to damage without touching the original. */
function copyIndex(from: string, name: string): { dir: string; build: string } {
  const dir = join(tmp, name);
  cpSync(from, dir, { recursive: true });
  const build = currentBuildDir(dir);
  if (!build) throw new Error("copied index has no current build");
  return { dir, build };
}

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL"); // npx → tsx → node: the whole process group
  } catch {
    // already gone
  }
}

/** `npx tsx src/node/cli/<name>.ts` in its own process group, with CORPUS_DIR / INDEX_DIR set. */
function spawnCli(name: "ingest" | "search", args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<CliRun> } {
  if (stopping) throw new Error("suite is shutting down");
  const child = spawn("npx", ["tsx", `src/node/cli/${name}.ts`, ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // The hashing embedder: a remote embedder configured in the environment must not leak in.
    env: { ...process.env, EMBEDDINGS_BASE_URL: "", EMBEDDINGS_MODEL: "", LOG_LEVEL: "silent", ...env },
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      children.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

/** Everything in the index folder except the current build: temporary and superseded builds, pointer temp files. */
function leftovers(indexDir: string): string[] {
  const current = currentBuildDir(indexDir)?.split(/[\\/]/).pop();
  return [...buildsIn(indexDir).filter((b) => b !== current).map((b) => `builds/${b}`), ...readdirSync(indexDir).filter((f) => f.startsWith("current.json.tmp-"))];
}

// A separate, idle process does the killing: this worker's event loop can be blocked for seconds
// by the in-process tests (timers would fire late), and the write window is milliseconds long.
//   node -e KILLER <pgid> delay <ms>                    → SIGKILL the group <ms> after start
//   node -e KILLER <pgid> watch <dir> <prefix> <ms>     → SIGKILL it <ms> after the first change to a
//                                                         name starting with <prefix> in <dir>
const KILLER = `
const [pgid, mode, a, b, c] = process.argv.slice(1);
const kill = () => {
  try { process.kill(-Number(pgid), "SIGKILL"); } catch {}
  process.exit(0);
};
if (mode === "delay") setTimeout(kill, Number(a));
else {
  const watcher = require("node:fs").watch(a, (_event, file) => {
    if (!String(file ?? "").startsWith(b)) return;
    watcher.close();
    if (Number(c) > 0) setTimeout(kill, Number(c));
    else kill();
  });
}
process.stdout.write("ready\\n");
`;

/** Starts a killer process for the process group `pgid` (see KILLER); resolves once it is armed. */
async function startKiller(pgid: number, ...args: string[]): Promise<ChildProcess> {
  const killer = spawn(process.execPath, ["-e", KILLER, String(pgid), ...args], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
  children.add(killer);
  killer.on("close", () => children.delete(killer));
  await new Promise<void>((resolve, reject) => {
    killer.on("error", reject);
    killer.stdout!.once("data", () => resolve());
  });
  return killer;
}

/** The loaded index's sparse vector index (the default hashing model stores sparse postings). */
function sparseIndexOf(index: { vectors: unknown }): SparseVectorIndex {
  expect(index.vectors).toBeInstanceOf(SparseVectorIndex);
  return index.vectors as SparseVectorIndex;
}

const plain = (v: SparseVector) => ({ ids: Array.from(v.ids), weights: Array.from(v.weights) });

/** The data files of a build of the default (hashing) model: no HNSW graph, no raw dense vectors. */
const SPARSE_DATA_FILES = ["documents.json", "passages.json", "keyword.json", "knowledge.json", "vectors.sparse"];

function buildsIn(indexDir: string): string[] {
  const builds = join(indexDir, "builds");
  return existsSync(builds) ? readdirSync(builds).sort() : [];
}

// ------------------------------------------------------------------------------------------------
// 1, 2, 3a, 4, 6: one corpus copy and its index
// ------------------------------------------------------------------------------------------------

describe("index on disk: build, incremental rebuild, corruption, staleness", () => {
  let corpus: string;
  let indexDir: string;
  let first: IngestResult;

  beforeAll(async () => {
    corpus = copyCorpus("corpus-main");
    indexDir = join(tmp, "index-main");
    first = await ingestCorpus({ corpusDir: corpus, indexDir, runtime });
  });

  it("builds an index that loads, with every corpus document and no skipped file", () => {
    expect(first.documents.map((d) => d.file).sort()).toEqual(CORPUS_FILES);
    expect(first.skipped).toEqual([]);
    expect(first.embedded).toBe(first.manifest.counts.passages);
    expect(first.reusedPassages).toBe(0);
    expect(first.buildDir).toBe(currentBuildDir(indexDir));

    const index = loadIndex(indexDir, runtime.recipe);
    expect(index.documents.map((d) => d.file).sort()).toEqual(CORPUS_FILES);
    expect(index.passages.length).toBe(first.manifest.counts.passages);
    expect(index.passages.length).toBeGreaterThan(50);
    expect(index.vectors.size).toBe(index.passages.length);
    // The default hashing model: sparse postings, and no raw dense vectors beside them.
    expect(sparseIndexOf(index).postings).toBeGreaterThan(index.passages.length * 20);
    expect(index.embeddings).toBeUndefined();
    expect(readdirSync(first.buildDir).sort()).toEqual(["manifest.json", ...SPARSE_DATA_FILES].sort());
    for (const p of index.passages) expect(p.id).toMatch(new RegExp(`^${p.docId}#p\\d+$`));
    expect(new Set(index.passages.map((p) => p.id)).size).toBe(index.passages.length);
    expect(index.docById.get("2024-work-summary")?.title).toBe("2024年以来青岛市教育工作总结");
  });

  it("stores the sparse vectors the embedder computes, and the sparse index finds each passage by its own vector", async () => {
    const index = loadIndex(indexDir, runtime.recipe);
    const vectors = sparseIndexOf(index);
    expect(runtime.embeddings).toBeInstanceOf(HashingEmbeddings);
    const embedder = runtime.embeddings as HashingEmbeddings;
    const stored = vectors.rowVectors();
    expect(stored).toHaveLength(index.passages.length);
    index.passages.forEach((passage, label) => {
      const text = embeddingText(passage);
      const expected = embedder.sparse(text);
      expect(plain(embedder.sparseTokens(runtime.tokenize(text), foldForMatching(text)))).toEqual(plain(expected));
      expect(Array.from(stored[label]!.ids), passage.id).toEqual(Array.from(expected.ids));
      Array.from(stored[label]!.weights).forEach((w, i) => expect(w).toBeCloseTo(expected.weights[i]!, 6));
    });
    // Each passage is found first by its own vector (a passage whose vector repeats an earlier
    // one's goes to the earlier label: ties go to the lower label).
    const keys = stored.map((v) => JSON.stringify(plain(v)));
    for (const label of keys.keys()) {
      const first = keys.indexOf(keys[label]!);
      const [hit] = await index.vectors.search(stored[label]!, 1);
      expect(hit?.label).toBe(first);
      expect(hit?.similarity).toBeCloseTo(1, 5);
    }
    const [top] = index.keyword.search(runtime.tokenize("新增公办园"), 3);
    expect(index.passages[top!.label]?.text).toContain("新增公办园");
  });

  it("records the recipe, documents, counts and file checksums in the manifest", () => {
    const manifest = readManifest(indexDir)!;
    const onDisk = JSON.parse(readFileSync(join(first.buildDir, "manifest.json"), "utf8")) as typeof manifest;
    expect(onDisk).toEqual(manifest);

    expect(manifest.formatVersion).toBe(INDEX_FORMAT_VERSION);
    // The hashing model's sparse features (no fixed width) in sparse postings, not 512-d vectors in HNSW.
    expect(manifest.embedder).toEqual({ id: (runtime.embeddings as HashingEmbeddings).sparseId, dimensions: 0 });
    expect(manifest.embedder.id).toBe("hash-tfidf-sparse-v2");
    expect(manifest.vectorIndex).toEqual({ id: SparseVectorIndex.ID, metric: "cosine" });
    expect(manifest.vectorIndex.id).toBe("sparse-postings-v1");
    expect(manifest.vectorIndex.id).not.toBe(HnswVectorIndex.ID);
    expect(manifest.segmenter).toBe(createJiebaSegmenter().id);
    expect(manifest.segmenter).toMatch(/^nodejieba-search\+domain-[0-9a-f]+$/);
    expect(manifest.tokenizer).toBe(TOKENIZER_VERSION);
    expect(manifest.chunker).toBe(CHUNKER_VERSION);
    expect(Number.isNaN(Date.parse(manifest.builtAt))).toBe(false);
    expect(first.buildDir.endsWith(manifest.buildId)).toBe(true);

    // Per-document content hash (bytes + sidecar entry), passage ranges that tile the passage list.
    const sidecar = (JSON.parse(readFileSync(join(corpus, "documents.json"), "utf8")) as { documents: Record<string, unknown> }).documents;
    const index = loadIndex(indexDir, runtime.recipe);
    expect(manifest.documents.map((d) => d.file).sort()).toEqual(CORPUS_FILES);
    let next = 0;
    for (const doc of [...manifest.documents].sort((a, b) => a.firstPassage - b.firstPassage)) {
      expect(doc.contentHash).toMatch(/^[0-9a-f]{64}$/);
      const expected = createHash("sha256")
        .update(readFileSync(join(corpus, doc.file)))
        .update(JSON.stringify(sidecar[doc.file] ?? null))
        .digest("hex");
      expect(doc.contentHash).toBe(expected);
      expect(index.docById.get(doc.id)?.contentHash).toBe(doc.contentHash);
      expect(doc.firstPassage).toBe(next);
      expect(doc.passages).toBeGreaterThan(0);
      const range = index.passages.slice(doc.firstPassage, doc.firstPassage + doc.passages);
      expect(range.every((p) => p.docId === doc.id)).toBe(true);
      next += doc.passages;
    }
    expect(new Set(manifest.documents.map((d) => d.contentHash)).size).toBe(manifest.documents.length);

    const redactions = index.passages.reduce((n, p) => n + p.redactions.length, 0);
    expect(manifest.counts).toEqual({ documents: 5, passages: next, redactions });
    expect(redactions).toBeGreaterThan(10); // the anonymised speech (xx.xx万人 …)

    expect(dataFiles(manifest.vectorIndex.id)).toEqual(SPARSE_DATA_FILES);
    expect(Object.keys(manifest.files).sort()).toEqual([...SPARSE_DATA_FILES].sort());
    for (const name of SPARSE_DATA_FILES) expect(manifest.files[name]).toBe(sha256(readFileSync(join(first.buildDir, name))));
  });

  it("incremental: an unchanged corpus reuses every passage and embeds nothing", async () => {
    const before = loadIndex(indexDir, runtime.recipe);
    const beforeBuild = currentBuildDir(indexDir)!;
    const embedder = runtime.embeddings as HashingEmbeddings;
    const spies = [vi.spyOn(embedder, "embedDocuments"), vi.spyOn(embedder, "sparse"), vi.spyOn(embedder, "sparseTokens"), vi.spyOn(embedder, "sparseEncoded")];
    try {
      const second = await ingestCorpus({ corpusDir: corpus, indexDir, runtime });
      expect(second.embedded).toBe(0);
      expect(second.reusedPassages).toBe(before.passages.length);
      expect(second.documents.every((d) => d.reused)).toBe(true);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      expect(second.manifest.buildId).not.toBe(before.manifest.buildId);
      const after = loadIndex(indexDir, runtime.recipe);
      expect(after.manifest.buildId).toBe(second.manifest.buildId);
      expect(after.passages.map((p) => p.id)).toEqual(before.passages.map((p) => p.id));
      // The reused vectors are stored unchanged: the postings file is byte-identical.
      expect(readFileSync(join(second.buildDir, "vectors.sparse")).equals(readFileSync(join(beforeBuild, "vectors.sparse")))).toBe(true);
      expect(after.manifest.files["vectors.sparse"]).toBe(before.manifest.files["vectors.sparse"]);
      expect(sparseIndexOf(after).rowVectors().map(plain)).toEqual(sparseIndexOf(before).rowVectors().map(plain));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it("incremental: changing one document re-embeds only that document's passages", async () => {
    const before = loadIndex(indexDir, runtime.recipe);
    const file = join(corpus, FILES.summary2024);
    const original = readFileSync(file, "utf8");
    expect(original).toContain("全市新增公办园22所");
    writeFileSync(file, original.replace("全市新增公办园22所", "全市新增公办园23所"));

    const embedder = runtime.embeddings as HashingEmbeddings;
    const dense = vi.spyOn(embedder, "embedDocuments");
    const spy = vi.spyOn(embedder, "sparseEncoded");
    try {
      const result = await ingestCorpus({ corpusDir: corpus, indexDir, runtime });
      const changed = result.manifest.documents.find((d) => d.file === FILES.summary2024)!;
      expect(result.embedded).toBe(changed.passages);
      expect(result.reusedPassages).toBe(result.manifest.counts.passages - changed.passages);
      expect(result.documents.filter((d) => !d.reused).map((d) => d.file)).toEqual([FILES.summary2024]);

      // Only the changed document's passages were embedded (their embedding texts' folds), and the
      // sparse path never goes through the dense embedDocuments.
      const after = loadIndex(indexDir, runtime.recipe);
      expect(dense).not.toHaveBeenCalled();
      const embeddedFolds = spy.mock.calls.map(([, , folded]) => folded);
      const changedPassages = after.passages.filter((p) => p.docId === changed.id);
      expect(embeddedFolds.sort()).toEqual(changedPassages.map((p) => foldForMatching(embeddingText(p))).sort());
      expect(after.passages.some((p) => p.text.includes("全市新增公办园23所"))).toBe(true);
      expect(after.passages.some((p) => p.text.includes("全市新增公办园22所"))).toBe(false);

      // The changed passages' stored vectors are those just computed; the other documents' vectors
      // are identical to the previous build's.
      const rowsAfter = sparseIndexOf(after).rowVectors();
      const rowsBefore = sparseIndexOf(before).rowVectors();
      const vectorOf = (index: typeof before, rows: SparseVector[], id: string) => plain(rows[index.passages.findIndex((p) => p.id === id)]!);
      expect(spy.mock.results.map((r) => plain(r.value as SparseVector)).sort((a, b) => a.ids[0]! - b.ids[0]!)).toEqual(
        changedPassages.map((p) => vectorOf(after, rowsAfter, p.id)).sort((a, b) => a.ids[0]! - b.ids[0]!),
      );
      const others = after.passages.filter((x) => x.docId !== changed.id);
      expect(others.length).toBeGreaterThan(50);
      for (const p of others) expect(vectorOf(after, rowsAfter, p.id)).toEqual(vectorOf(before, rowsBefore, p.id));
    } finally {
      dense.mockRestore();
      spy.mockRestore();
      writeFileSync(file, original);
    }
  });

  it("incremental: a corrected sidecar title re-embeds only that document", async () => {
    await ingestCorpus({ corpusDir: corpus, indexDir, runtime }); // back to the original corpus
    const sidecarFile = join(corpus, "documents.json");
    const original = readFileSync(sidecarFile, "utf8");
    const parsed = JSON.parse(original) as { documents: Record<string, { title: string }> };
    parsed.documents[FILES.speech]!.title = "教育局局长在教育工作论坛上的发言";
    writeFileSync(sidecarFile, JSON.stringify(parsed, null, 2));
    try {
      const result = await ingestCorpus({ corpusDir: corpus, indexDir, runtime });
      const speech = result.manifest.documents.find((d) => d.file === FILES.speech)!;
      expect(result.embedded).toBe(speech.passages);
      expect(result.documents.filter((d) => !d.reused).map((d) => d.file)).toEqual([FILES.speech]);
      expect(loadIndex(indexDir, runtime.recipe).docById.get(speech.id)?.title).toBe("教育局局长在教育工作论坛上的发言");
    } finally {
      writeFileSync(sidecarFile, original);
      await ingestCorpus({ corpusDir: corpus, indexDir, runtime });
    }
  });

  it("atomic rebuild: a crash before commit (beforeCommit throws) leaves the previous index current and loadable", async () => {
    const before = loadIndex(indexDir, runtime.recipe);
    const pointer = readFileSync(join(indexDir, "current.json"), "utf8");
    const buildsBefore = buildsIn(indexDir);
    const extra = join(corpus, "2024-copy.txt");
    copyFileSync(join(corpus, FILES.summary2024), extra);
    const onCommit = vi.fn(() => {
      throw new Error("simulated crash before commit");
    });
    try {
      await expect(ingestCorpus({ corpusDir: corpus, indexDir, runtime, beforeCommit: onCommit })).rejects.toThrow("simulated crash before commit");
      expect(onCommit).toHaveBeenCalledTimes(1);
      expect(readFileSync(join(indexDir, "current.json"), "utf8")).toBe(pointer);
      expect(buildsIn(indexDir)).toEqual(buildsBefore);
      const after = loadIndex(indexDir, runtime.recipe);
      expect(after.manifest.buildId).toBe(before.manifest.buildId);
      expect(after.passages.length).toBe(before.passages.length);
      expect(after.documents.some((d) => d.file === "2024-copy.txt")).toBe(false);
    } finally {
      unlinkSync(extra);
    }
  });

  describe("corruption and version checks", () => {
    it("a truncated passages.json → INDEX_CORRUPT naming npm run ingest", () => {
      const { dir, build } = copyIndex(indexDir, "corrupt-passages");
      const file = join(build, "passages.json");
      truncateSync(file, Math.floor(readFileSync(file).length / 2));
      expectLoadError(dir, "INDEX_CORRUPT");
    });

    it("a truncated or missing vectors.sparse → INDEX_CORRUPT", () => {
      const { dir, build } = copyIndex(indexDir, "corrupt-sparse");
      const file = join(build, "vectors.sparse");
      truncateSync(file, Math.floor(readFileSync(file).length / 3));
      expect(expectLoadError(dir, "INDEX_CORRUPT").detail).toContain("vectors.sparse");
      unlinkSync(file);
      expect(expectLoadError(dir, "INDEX_CORRUPT").detail).toContain("vectors.sparse");
    });

    it("a flipped byte in vectors.sparse (same length) → INDEX_CORRUPT on load (the postings are read, and checked, eagerly)", () => {
      const { dir, build } = copyIndex(indexDir, "corrupt-sparse-byte");
      const file = join(build, "vectors.sparse");
      const bytes = readFileSync(file);
      bytes[100] = bytes[100]! ^ 0xff;
      writeFileSync(file, bytes);
      expect(expectLoadError(dir, "INDEX_CORRUPT").detail).toContain("vectors.sparse");
    });

    it("a vectors.sparse with a matching checksum but unreadable, or of another passage count → INDEX_CORRUPT", () => {
      const rewrite = (name: string, bytes: Uint8Array) => {
        const { dir, build } = copyIndex(indexDir, name);
        writeFileSync(join(build, "vectors.sparse"), bytes);
        const manifestFile = join(build, "manifest.json");
        const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { files: Record<string, string> };
        manifest.files["vectors.sparse"] = sha256(bytes);
        writeFileSync(manifestFile, JSON.stringify(manifest));
        return dir;
      };
      const original = readFileSync(join(currentBuildDir(indexDir)!, "vectors.sparse"));
      expectLoadError(rewrite("sparse-truncated-resummed", original.subarray(0, original.length - 8)), "INDEX_CORRUPT");
      const wrongMagic = Buffer.from(original);
      wrongMagic[0] = wrongMagic[0]! ^ 0xff;
      expectLoadError(rewrite("sparse-magic-resummed", wrongMagic), "INDEX_CORRUPT");
      // Well-formed postings, one passage short.
      const rows = SparseVectorIndex.deserialize(original).rowVectors();
      const shorter = SparseVectorIndex.build(rows.slice(0, -1)).serialize();
      expect(expectLoadError(rewrite("sparse-short-resummed", shorter), "INDEX_CORRUPT").detail).toContain("段落数与向量数不一致");
    });

    it("passages.json is UTF-16LE with a BOM (fast to decode) and an older UTF-8 passages.json still loads", () => {
      const { dir, build } = copyIndex(indexDir, "utf8-passages");
      const file = join(build, "passages.json");
      const stored = readFileSync(file);
      expect([stored[0], stored[1]]).toEqual([0xff, 0xfe]);
      const utf8 = Buffer.from(stored.toString("utf16le", 2), "utf8");
      writeFileSync(file, utf8);
      const manifestFile = join(build, "manifest.json");
      const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { files: Record<string, string> };
      manifest.files["passages.json"] = createHash("sha256").update(utf8).digest("hex");
      writeFileSync(manifestFile, JSON.stringify(manifest));
      const index = loadIndex(dir, runtime.recipe);
      expect(index.passages.length).toBeGreaterThan(50);
      expect(index.passages.some((p) => p.text.includes("参与率72.9%") || p.text.includes("參與率72.9%"))).toBe(true);
    });

    it("a current.json of valid JSON but the wrong shape, or a manifest.json of null → INDEX_CORRUPT (not MISSING, not a TypeError)", () => {
      const pointerDamaged = copyIndex(indexDir, "pointer-shape");
      writeFileSync(join(pointerDamaged.dir, "current.json"), JSON.stringify({ bulid: "x" }));
      expectLoadError(pointerDamaged.dir, "INDEX_CORRUPT");
      writeFileSync(join(pointerDamaged.dir, "current.json"), JSON.stringify({ build: "../../etc" }));
      expectLoadError(pointerDamaged.dir, "INDEX_CORRUPT");
      const manifestNull = copyIndex(indexDir, "manifest-null");
      writeFileSync(join(manifestNull.build, "manifest.json"), "null");
      expectLoadError(manifestNull.dir, "INDEX_CORRUPT");
    });

    it("a missing keyword.json → INDEX_CORRUPT", () => {
      const { dir, build } = copyIndex(indexDir, "corrupt-missing");
      unlinkSync(join(build, "keyword.json"));
      expectLoadError(dir, "INDEX_CORRUPT");
    });

    it("a truncated manifest.json → INDEX_CORRUPT", () => {
      const { dir, build } = copyIndex(indexDir, "corrupt-manifest");
      truncateSync(join(build, "manifest.json"), 40);
      expectLoadError(dir, "INDEX_CORRUPT");
    });

    it("current.json edited to garbage, or pointing at a missing build → INDEX_CORRUPT", () => {
      const garbage = copyIndex(indexDir, "corrupt-pointer");
      writeFileSync(join(garbage.dir, "current.json"), "garbage{ not json");
      expectLoadError(garbage.dir, "INDEX_CORRUPT");
      writeFileSync(join(garbage.dir, "current.json"), "");
      expectLoadError(garbage.dir, "INDEX_CORRUPT");
      writeFileSync(join(garbage.dir, "current.json"), JSON.stringify({ build: "20200101000000000-1" }));
      expectLoadError(garbage.dir, "INDEX_CORRUPT");
    });

    it("a corrupt index is not reused by the next ingest, which repairs it", async () => {
      const { dir, build } = copyIndex(indexDir, "corrupt-repair");
      truncateSync(join(build, "passages.json"), 10);
      expectLoadError(dir, "INDEX_CORRUPT");
      const repaired = await ingestCorpus({ corpusDir: corpus, indexDir: dir, runtime });
      expect(repaired.embedded).toBe(repaired.manifest.counts.passages); // nothing reused from the broken build
      expect(loadIndex(dir, runtime.recipe).passages.length).toBe(repaired.manifest.counts.passages);
    });

    it("a different recipe (tokenizer version) → INDEX_VERSION_MISMATCH naming the difference", () => {
      const error = expectLoadError(indexDir, "INDEX_VERSION_MISMATCH", { ...runtime.recipe, tokenizer: "tok-0" });
      expect(error.detail).toContain("tokenizer");
      expect(error.detail).toContain("tok-0");
      expectLoadError(indexDir, "INDEX_VERSION_MISMATCH", { ...runtime.recipe, embedder: { id: runtime.recipe.embedder.id, dimensions: 256 } });
      expectLoadError(indexDir, "INDEX_VERSION_MISMATCH", { ...runtime.recipe, formatVersion: runtime.recipe.formatVersion + 1 });
      // The index itself is fine for the right recipe.
      expect(() => loadIndex(indexDir, runtime.recipe)).not.toThrow();
    });

    it("no index at all → INDEX_MISSING naming npm run ingest", () => {
      const empty = join(tmp, "index-never-built");
      mkdirSync(empty);
      expectLoadError(empty, "INDEX_MISSING");
      expectLoadError(join(tmp, "no-such-folder"), "INDEX_MISSING");
    });
  });

  describe("indexIsStale", () => {
    it("is false right after a build", async () => {
      await ingestCorpus({ corpusDir: corpus, indexDir, runtime });
      expect(indexIsStale(corpus, indexDir, runtime)).toEqual({ stale: false, reason: "" });
    });

    it("is true after a document changes, a document is added or removed, or the sidecar changes", () => {
      const file = join(corpus, FILES.summary2021);
      const original = readFileSync(file);
      try {
        writeFileSync(file, Buffer.concat([original, Buffer.from("\n")]));
        const changed = indexIsStale(corpus, indexDir, runtime);
        expect(changed.stale).toBe(true);
        expect(changed.reason).toContain(FILES.summary2021);
      } finally {
        writeFileSync(file, original);
      }
      expect(indexIsStale(corpus, indexDir, runtime).stale).toBe(false);

      const extra = join(corpus, "new-notice.txt");
      writeFileSync(extra, "关于做好2025年幼升小招生工作的通知\n全市义务教育招生实现“一网通办”。");
      try {
        expect(indexIsStale(corpus, indexDir, runtime).stale).toBe(true);
      } finally {
        unlinkSync(extra);
      }

      const moved = join(tmp, "moved-speech.txt");
      copyFileSync(join(corpus, FILES.speech), moved);
      unlinkSync(join(corpus, FILES.speech));
      try {
        expect(indexIsStale(corpus, indexDir, runtime).stale).toBe(true);
      } finally {
        copyFileSync(moved, join(corpus, FILES.speech));
      }

      const sidecar = join(corpus, "documents.json");
      const sidecarText = readFileSync(sidecar, "utf8");
      try {
        writeFileSync(sidecar, sidecarText.replace('"year": 2022', '"year": 2021'));
        expect(indexIsStale(corpus, indexDir, runtime).stale).toBe(true);
      } finally {
        writeFileSync(sidecar, sidecarText);
      }
      expect(indexIsStale(corpus, indexDir, runtime).stale).toBe(false);
    });

    it("is true when the index is missing or was built with another recipe", () => {
      expect(indexIsStale(corpus, join(tmp, "no-index-here"), runtime).stale).toBe(true);
      const other: NodeRuntime = { ...runtime, recipe: { ...runtime.recipe, tokenizer: "tok-0" } };
      expect(indexIsStale(corpus, indexDir, other).stale).toBe(true);
    });
  });
});

// ------------------------------------------------------------------------------------------------
// 5: broken documents are reported and skipped
// ------------------------------------------------------------------------------------------------

const BROKEN_CODES = {
  "empty.txt": "EMPTY_DOCUMENT",
  "binary.txt": "BINARY_DOCUMENT",
  "broken.docx": "BROKEN_DOCUMENT",
  "notes.xyz": "UNSUPPORTED_FORMAT",
} as const;
const GB_FILE = "school-bus-gb18030.txt";

/** The speech's paragraph on school buses (Simplified, UTF-8 in the corpus). */
function busParagraph(): string {
  const line = readFileSync(join(CORPUS_DIR, FILES.speech), "utf8")
    .split("\n")
    .find((l) => l.includes("校车管理运行模式"));
  if (!line) throw new Error("speech: no paragraph on 校车管理运行模式");
  return line;
}

/** A corpus copy plus an empty .txt, a binary .txt, a corrupt .docx, a .xyz and a GB18030 .txt. */
function brokenCorpus(name: string): string {
  const corpus = copyCorpus(name);
  writeFileSync(join(corpus, "empty.txt"), "");
  // Deterministic "random" bytes with NULs in them.
  const binary = Buffer.alloc(2048);
  let seed = 12345;
  for (let i = 0; i < binary.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    binary[i] = i % 7 === 0 ? 0 : seed >>> 24;
  }
  writeFileSync(join(corpus, "binary.txt"), binary);
  // A zip signature followed by garbage: looks like a .docx, is not one.
  writeFileSync(join(corpus, "broken.docx"), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), binary.subarray(0, 300)]));
  writeFileSync(join(corpus, "notes.xyz"), "2024年全市新增公办园22所。");
  writeFileSync(join(corpus, GB_FILE), iconv.encode(`关于校车管理的情况说明\n${busParagraph()}\n`, "gb18030"));
  return corpus;
}

describe("ingest with broken documents", () => {
  let corpus: string;
  let indexDir: string;
  let result: IngestResult;

  beforeAll(async () => {
    corpus = brokenCorpus("corpus-broken");
    indexDir = join(tmp, "index-broken");
    result = await ingestCorpus({ corpusDir: corpus, indexDir, runtime });
  });

  it("skips each broken file with its error code and a Chinese reason", () => {
    const codes = Object.fromEntries(result.skipped.map((s) => [s.file, s.code]));
    expect(codes).toEqual(BROKEN_CODES);
    for (const s of result.skipped) expect(s.reason).toMatch(/[\u4e00-\u9fff]/);
    expect(result.skipped.find((s) => s.file === "notes.xyz")?.reason).toContain(".xyz");
    expect(readManifest(indexDir)!.skipped?.map((s) => s.file).sort()).toEqual(["binary.txt", "broken.docx", "empty.txt", "notes.xyz"]);
  });

  it("indexes the rest, including the GB18030 file, decoded correctly and searchable", async () => {
    expect(result.documents.map((d) => d.file).sort()).toEqual([...CORPUS_FILES, GB_FILE].sort());
    const index = loadIndex(indexDir, runtime.recipe);
    const gbDoc = index.documents.find((d) => d.file === GB_FILE)!;
    expect(gbDoc).toBeDefined();
    const gbPassages = index.passages.filter((p) => p.docId === gbDoc.id);
    expect(gbPassages.map((p) => p.text).join("\n")).toContain(busParagraph().slice(0, 60));
    expect(gbPassages.map((p) => p.text).join("")).not.toMatch(/\uFFFD/);

    const retriever = new HybridRetriever({ index, tokenize: runtime.tokenize, embeddings: runtime.embeddings, idf: runtime.idf });
    const hits = await retriever.search("校车管理运行模式是怎样的？", { k: 5 });
    expect(hits.map((h) => h.doc.file)).toContain(GB_FILE);
    expect(hits.map((h) => h.doc.file)).toContain(FILES.speech);
  });

  it("does not count unchanged broken files as a corpus change", () => {
    expect(indexIsStale(corpus, indexDir, runtime)).toEqual({ stale: false, reason: "" });
  });

  it("NOTHING_INDEXED when the corpus is empty or holds only broken files", async () => {
    const empty = join(tmp, "corpus-empty");
    mkdirSync(empty);
    const emptyIndex = join(tmp, "index-empty");
    const error = await ingestCorpus({ corpusDir: empty, indexDir: emptyIndex, runtime }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(error) && error.code).toBe("NOTHING_INDEXED");
    expect(existsSync(join(emptyIndex, "current.json"))).toBe(false);

    const onlyBroken = join(tmp, "corpus-only-broken");
    mkdirSync(onlyBroken);
    for (const f of ["empty.txt", "binary.txt", "broken.docx", "notes.xyz"]) copyFileSync(join(corpus, f), join(onlyBroken, f));
    const error2 = await ingestCorpus({ corpusDir: onlyBroken, indexDir: emptyIndex, runtime }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(error2) && error2.code).toBe("NOTHING_INDEXED");

    const missing = await ingestCorpus({ corpusDir: join(tmp, "no-such-corpus"), indexDir: emptyIndex, runtime }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(missing) && missing.code).toBe("NOTHING_INDEXED");
  });
});

// ------------------------------------------------------------------------------------------------
// 3b: a real kill of the ingest CLI
// ------------------------------------------------------------------------------------------------

type Trigger =
  /** A fixed time after the CLI started. */
  | { kind: "delay"; ms: number }
  /** `afterMs` after the first change inside builds/ (whatever its name): the write of the new build has begun. */
  | { kind: "first-write"; afterMs: number }
  /** As soon as anything named current.json… changes: the commit (pointer swap) is under way. */
  | { kind: "pointer" };

interface CliExitRuns {
  ok: CliRun;
  failed: CliRun;
  noProfile: CliRun;
  cliIndex: string;
  emptyIndex: string;
}

/** The ingest CLI on a corpus with broken files, and (at the same time) on an empty corpus. */
async function startCliExitRuns(): Promise<CliExitRuns> {
  const corpus = brokenCorpus("corpus-broken-cli");
  const cliIndex = join(tmp, "index-broken-cli");
  const emptyCorpus = join(tmp, "corpus-empty-cli");
  mkdirSync(emptyCorpus);
  // A configured bureau (its profile) with no documents yet.
  copyFileSync(join(CORPUS_DIR, "profile.json"), join(emptyCorpus, "profile.json"));
  const emptyIndex = join(tmp, "index-empty-cli");
  // A folder whose Word file the reader threads start on before the profile is found missing.
  const unconfigured = join(tmp, "corpus-unconfigured-cli");
  mkdirSync(unconfigured);
  copyFileSync(join(corpus, "broken.docx"), join(unconfigured, "broken.docx"));
  copyFileSync(join(CORPUS_DIR, "2024-work-summary.txt"), join(unconfigured, "2024-work-summary.txt"));
  const [ok, failed, noProfile] = await Promise.all([
    spawnCli("ingest", [], { CORPUS_DIR: corpus, INDEX_DIR: cliIndex }).done,
    spawnCli("ingest", [], { CORPUS_DIR: emptyCorpus, INDEX_DIR: emptyIndex }).done,
    spawnCli("ingest", [], { CORPUS_DIR: unconfigured, INDEX_DIR: join(tmp, "index-unconfigured-cli") }).done,
  ]);
  return { ok, failed, noProfile, cliIndex, emptyIndex };
}

describe("the ingest CLI as a child process", () => {
  it("exits 0 and reports the skipped files on a corpus with broken files; exits non-zero on an empty corpus", async () => {
    const { ok, failed, cliIndex, emptyIndex } = await cliExitRuns;

    expect(ok.stderr).not.toMatch(/错误/);
    expect(ok.code).toBe(0);
    for (const [file, code] of Object.entries(BROKEN_CODES)) {
      expect(ok.stdout).toMatch(new RegExp(`✘ ${file.replace(".", "\\.")}：.*\\[${code}\\]`));
    }
    expect(ok.stdout).toContain(`✔ ${GB_FILE}`);
    const cliLoaded = loadIndex(cliIndex, runtime.recipe);
    expect(cliLoaded.documents.map((d) => d.file).sort()).toEqual([...CORPUS_FILES, GB_FILE].sort());
    expect(readManifest(cliIndex)!.skipped?.map((s) => s.code).sort()).toEqual(Object.values(BROKEN_CODES).sort());

    expect(failed.code).not.toBe(0);
    expect(failed.code).not.toBeNull();
    expect(failed.stderr).toContain("NOTHING_INDEXED");
    expect(existsSync(join(emptyIndex, "current.json"))).toBe(false);
  });

  it("exits with the error when it fails after its reader threads started (no thread keeps it alive)", async () => {
    const { noProfile } = await cliExitRuns;
    expect(noProfile.code).toBe(1);
    expect(noProfile.stderr).toContain("CONFIG_INVALID");
  });

  it("SIGKILL at any point leaves a complete, loadable index (the old build or the new one)", async () => {
    // Each run was checked as it ended (killLane): the index loaded as the old or the new build.
    const outcomes = await killOutcomes;
    expect(outcomes).toHaveLength(6);

    // The loop did exercise kills, including at least one in the middle of writing the new build
    // (killed, not committed, and traces of the unfinished write left behind).
    const killed = outcomes.filter((o) => o.signal === "SIGKILL");
    expect(killed.length, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(4);
    expect(
      killed.some((o) => !o.committed && o.newLeftovers.length > 0),
      JSON.stringify(outcomes),
    ).toBe(true);
  }, 180_000);
});

interface KillOutcome {
  trigger: string;
  signal: NodeJS.Signals | null;
  code: number | null;
  committed: boolean;
  /** Files of an unfinished write that the run left behind (temporary build, uncommitted build, pointer temp). */
  newLeftovers: string[];
}

/**
 * Builds an index in-process, then for each trigger: flips the corpus (a copy of the 2024 summary
 * added or removed, so the child's build differs from the current one), runs the ingest CLI, kills
 * its whole process group when the trigger fires, and checks the index loads as old or new build.
 */
async function killLane(name: string, triggers: Trigger[]): Promise<KillOutcome[]> {
  const corpus = copyCorpus(`corpus-kill-${name}`);
  const indexDir = join(tmp, `index-kill-${name}`);
  const extra = join(corpus, "2024-copy.txt");
  const setExtra = (on: boolean) => {
    if (on) copyFileSync(join(corpus, FILES.summary2024), extra);
    else if (existsSync(extra)) unlinkSync(extra);
  };

  // Passage counts of the two corpus states the children alternate between.
  setExtra(true);
  const withExtra = (await ingestCorpus({ corpusDir: corpus, indexDir, runtime: backgroundRuntime })).manifest.counts.passages;
  setExtra(false);
  const withoutExtra = (await ingestCorpus({ corpusDir: corpus, indexDir, runtime: backgroundRuntime })).manifest.counts.passages;
  expect(withExtra).toBeGreaterThan(withoutExtra);

  const outcomes: KillOutcome[] = [];
  for (const trigger of triggers) {
    if (stopping) break;
    const before = loadIndex(indexDir, backgroundRuntime.recipe);
    // Make the child build something other than what is current.
    const hasExtra = existsSync(extra);
    if (hasExtra === (before.passages.length === withExtra)) setExtra(!hasExtra);
    const expectedNew = existsSync(extra) ? withExtra : withoutExtra;
    expect(expectedNew).not.toBe(before.passages.length);

    const leftoversBefore = leftovers(indexDir);
    const { child, done } = spawnCli("ingest", [], { CORPUS_DIR: corpus, INDEX_DIR: indexDir });
    const killer =
      trigger.kind === "delay"
        ? await startKiller(child.pid!, "delay", String(trigger.ms))
        : trigger.kind === "first-write"
          ? await startKiller(child.pid!, "watch", join(indexDir, "builds"), "", String(trigger.afterMs))
          : await startKiller(child.pid!, "watch", indexDir, "current.json", "0");
    const guard = setTimeout(() => killGroup(child), 60_000); // never hang the suite

    const run = await done;
    clearTimeout(guard);
    killGroup(killer);

    // Whatever happened, the index loads completely (checksums, counts) as the old or the new build.
    const after = loadIndex(indexDir, backgroundRuntime.recipe);
    const committed = after.manifest.buildId !== before.manifest.buildId;
    // A kill during the write leaves its traces: a temporary build folder, a renamed build that never
    // became current, or a temporary pointer file. (A committed run turns the old build into a leftover.)
    const previous = `builds/${before.manifest.buildId}`;
    const newLeftovers = leftovers(indexDir).filter((f) => !leftoversBefore.includes(f) && f !== previous);
    expect(after.passages.length).toBe(committed ? expectedNew : before.passages.length);
    expect(after.vectors.size).toBe(after.passages.length);
    const vectors = sparseIndexOf(after);
    const [own] = await vectors.search(vectors.rowVectors()[0]!, 1);
    expect(own?.label).toBe(0);
    expect(own?.similarity).toBeCloseTo(1, 5);
    if (run.signal === null) expect(run.code, run.stderr).toBe(0);
    outcomes.push({ trigger: JSON.stringify(trigger), signal: run.signal, code: run.code, committed, newLeftovers });
  }

  // Leftovers of killed runs do not get in the way of the next build.
  const final = await ingestCorpus({ corpusDir: corpus, indexDir, runtime: backgroundRuntime });
  expect(loadIndex(indexDir, backgroundRuntime.recipe).passages.length).toBe(final.manifest.counts.passages);
  return outcomes;
}
