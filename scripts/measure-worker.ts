import { SparseVectorIndex } from "../src/core/search/sparse-vector-index.js";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../src/core/config.js";
import type { ServingState } from "../src/core/http/app.js";
import { JiebaLexicon } from "../src/core/search/jieba-lexicon.js";
import { createJsSegmenter } from "../src/core/search/js-segmenter.js";
import { Bm25KeywordIndex } from "../src/core/search/keyword-index.js";
import { keywordDocument, type IndexManifest } from "../src/core/search/search-index.js";
import { createTokenizer } from "../src/core/search/tokenizer.js";
import type { DocumentMeta, Passage } from "../src/core/types.js";
import { parseArgs } from "../src/node/cli/common.js";
import { DEFAULT_WORKER_ASSETS } from "../src/node/worker-assets.js";
import { loadWorkerState } from "../src/worker/worker-state.js";

/**
 * `node --expose-gc --import tsx scripts/measure-worker.ts [--assets=DIR] [--sizes=N]` (one size per process):
 * what the bundled back end costs inside one isolate, measured in Node (V8, the same engine as
 * workerd) on the Worker's own code path: load time, heap + ArrayBuffer memory after loading, CPU
 * per /api/chat-equivalent answer, and memory per passage on a corpus replicated ×N, from which
 * the passage ceiling under the 128 MB isolate limit follows.
 */
const { flags } = parseArgs(process.argv.slice(2));
const assets = typeof flags.get("assets") === "string" ? (flags.get("assets") as string) : DEFAULT_WORKER_ASSETS;
const sizes = (typeof flags.get("sizes") === "string" ? (flags.get("sizes") as string) : "1,20,60").split(",").map(Number);
const dir = join(assets, "index");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc --import tsx");
const memory = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const config = loadConfig({ RATE_LIMIT_PER_MIN: "0", WATCH_INDEX: "false" });
const questions = readFileSync("test/eval/dev.jsonl", "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { question: string }).question);

let files = new Map<string, Uint8Array>();
for (const name of ["manifest.json", "documents.json", "passages.json", "keyword.json", "lexicon.bin", "vectors.sparse"]) files.set(name, new Uint8Array(readFileSync(join(dir, name))));

/** The corpus replicated `times` times (new passage ids, same texts): a larger index of the same shape. */
function replicated(times: number): Map<string, Uint8Array> {
  if (times === 1) return files;
  const manifest = JSON.parse(new TextDecoder().decode(files.get("manifest.json"))) as IndexManifest;
  const documents = JSON.parse(new TextDecoder().decode(files.get("documents.json"))) as DocumentMeta[];
  const passages = JSON.parse(new TextDecoder().decode(files.get("passages.json"))) as Passage[];
  const lexicon = JiebaLexicon.decode(files.get("lexicon.bin")!);
  const tokenize = createTokenizer({ segmenter: createJsSegmenter({ lexicon }) });
  const docById = new Map(documents.map((d) => [d.id, d]));
  const tokenized = passages.map((p, i) => keywordDocument(i, p, docById.get(p.docId)!, tokenize));
  const bigPassages: Passage[] = [];
  const keywordDocs = [];
  for (let t = 0; t < times; t++) {
    for (const [i, p] of passages.entries()) {
      const label = t * passages.length + i;
      bigPassages.push({ ...p, id: `${p.id}-r${t}`, ordinal: label });
      keywordDocs.push({ ...tokenized[i]!, id: label });
    }
  }
  const rows = SparseVectorIndex.deserialize(files.get("vectors.sparse")!).rowVectors();
  const bigVectors = SparseVectorIndex.build(Array.from({ length: times }, () => rows).flat()).serialize();
  const out = new Map(files);
  out.set("passages.json", new TextEncoder().encode(JSON.stringify(bigPassages)));
  out.set("keyword.json", new TextEncoder().encode(Bm25KeywordIndex.build(keywordDocs).serialize()));
  out.set("vectors.sparse", bigVectors);
  const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  const big: IndexManifest = { ...manifest, counts: { ...manifest.counts, passages: bigPassages.length }, files: Object.fromEntries([...out].filter(([n]) => n !== "manifest.json").map(([n, b]) => [n, sha(b)])) };
  out.set("manifest.json", new TextEncoder().encode(JSON.stringify(big)));
  return out;
}

async function load(set: Map<string, Uint8Array>): Promise<{ state: ServingState; ms: number; cpuMs: number; payload: number }> {
  const payload = [...set.values()].reduce((n, b) => n + b.length, 0);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const state = await loadWorkerState({
    fetchAsset: async (path) => {
      const bytes = set.get(path.replace(/^index\//, ""));
      return bytes ? new Response(bytes.slice()) : new Response("", { status: 404 });
    },
    config,
    backend: "bundled",
  });
  const used = process.cpuUsage(cpu);
  return { state, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, payload };
}

const rows: Array<{ passages: number; bytes: number }> = [];
const baseline = memory();
for (const times of sizes) {
  // The raw asset bytes become garbage once parsed: only what the isolate keeps is counted.
  const { state, ms, cpuMs, payload } = await load(replicated(times));
  if (times === sizes.at(-1)) files = new Map();
  const loaded = memory() - baseline;
  // One answer per dev question, as /api/chat computes it (the HTTP layer adds little).
  for (const q of questions.slice(0, 3)) await state.answerer.answer(q);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const q of questions) await state.answerer.answer(q);
  const used = process.cpuUsage(cpu);
  const perAnswerCpu = (used.user + used.system) / 1000 / questions.length;
  const perAnswerWall = (performance.now() - started) / questions.length;
  rows.push({ passages: state.index.passages.length, bytes: loaded });
  console.log(
    `${String(state.index.passages.length).padStart(6)} passages: assets ${mb(payload)}, load ${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)} ms), ` +
      `memory held after load ${mb(loaded)} (heap + ArrayBuffers above the code's own baseline of ${mb(baseline)}), answer CPU ${perAnswerCpu.toFixed(1)} ms (wall ${perAnswerWall.toFixed(1)} ms)`,
  );
}
if (rows.length >= 2) {
  const [a, b] = [rows[rows.length - 2]!, rows[rows.length - 1]!];
  const perPassage = (b.bytes - a.bytes) / (b.passages - a.passages);
  const base = rows[0]!.bytes - perPassage * rows[0]!.passages;
  // Leave headroom for the runtime, request buffers and garbage between collections.
  const budget = 128 * 1024 * 1024 * 0.7;
  console.log(`≈ ${(perPassage / 1024).toFixed(1)} KB per passage on top of ${mb(base)}; ceiling at 70% of 128 MB ≈ ${Math.floor((budget - base) / perPassage)} passages`);
}
