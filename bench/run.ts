// `npm run bench [-- --sizes 1000,10000,100000] [--json] [--seed 7] [--eval FILE] [--peers orama,linear|none] [--work DIR]`
// For each corpus size: scale the corpus (cached under bench/.work, or --work DIR), then run every phase in its
// own child process on this machine in this run: raw segmentation, ingest, load + hybrid search,
// and the two peers over the same passages and vectors. Prints one table per size, or one JSON object.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { currentBuildDir } from "../src/node/index-store.js";
import { isScaled, scaleCorpus } from "./scale-corpus.js";

const DEFAULT_SIZES = [1000, 10000, 100000];

interface PhaseFigures {
  [key: string]: number;
}

function option(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i]!.includes("=") ? args[i]!.split("=", 2)[1] : args[i + 1];
}

const log = (message: string) => process.stderr.write(`${message}\n`);

/** Runs one phase in a fresh Node process (tsx loader) and returns the JSON it prints. */
function phase(name: string, ...args: string[]): PhaseFigures {
  // The search phase stands for a serving process: the node flags of `npm start` (package.json).
  const flags = name === "search" ? ["--heap-growing-percent=50", "--expose-gc"] : [];
  const child = spawnSync(process.execPath, [...flags, "--import", "tsx", join("bench", "phase.ts"), name, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`phase ${name} failed (exit ${child.status ?? child.signal})`);
  const last = child.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as PhaseFigures;
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    total += stat.isDirectory() ? directoryBytes(path) : stat.size;
  }
  return total;
}

interface SizeResult {
  passages: number;
  documents: number;
  characters: number;
  ingestSeconds: number;
  ingestPassagesPerSec: number;
  ingestCharsPerSec: number;
  segmentCharsPerSec: number;
  ingestVsSegment: number;
  ingestPeakRssMB: number;
  indexMB: number;
  loadMs: number;
  rssMB: number;
  rssAtLoadReturnMB: number;
  rssAfterQuestionsMB: number;
  answeredQuestions: number;
  searchPeakRssMB: number;
  searchP50Ms: number;
  searchP95Ms: number;
  searchP99Ms: number;
  recall5: number;
  peers: Record<string, { p50Ms: number; p95Ms: number; p99Ms: number; recall5: number; rssMB: number; buildMs: number; p50Ratio: number; p95Ratio: number }>;
}

async function measureSize(size: number, seed: number, evalFile: string): Promise<SizeResult> {
  const corpusDir = join(work, `corpus-${size}-s${seed}`);
  const indexDir = join(work, `index-${size}-s${seed}`);
  const scaleOptions = { size, seed, sourceDir: "corpus", evalFile };
  if (!isScaled(corpusDir, scaleOptions)) {
    log(`[${size}] scaling corpus → ${corpusDir}`);
    await scaleCorpus({ ...scaleOptions, outDir: corpusDir });
  }
  log(`[${size}] raw segmentation`);
  const segment = phase("segment", corpusDir);
  log(`[${size}] ingest`);
  rmSync(indexDir, { recursive: true, force: true });
  const ingest = phase("ingest", corpusDir, indexDir);
  const build = currentBuildDir(indexDir);
  if (!build || !existsSync(build)) throw new Error(`ingest wrote no index to ${indexDir}`);
  log(`[${size}] load + search`);
  const search = phase("search", indexDir, evalFile);
  const peers: SizeResult["peers"] = {};
  for (const name of (option(args, "peers") ?? "orama,linear").split(",").filter((p) => p && p !== "none")) {
    log(`[${size}] peer ${name}`);
    const p = phase(name, indexDir, evalFile);
    peers[name] = {
      p50Ms: p.p50Ms!,
      p95Ms: p.p95Ms!,
      p99Ms: p.p99Ms!,
      recall5: p.recall5!,
      rssMB: p.rssMB!,
      buildMs: p.buildMs!,
      p50Ratio: p.p50Ms! / search.p50Ms!,
      p95Ratio: p.p95Ms! / search.p95Ms!,
    };
  }
  return {
    passages: ingest.passages!,
    documents: ingest.documents!,
    characters: ingest.characters!,
    ingestSeconds: ingest.seconds!,
    ingestPassagesPerSec: ingest.ingestPassagesPerSec!,
    ingestCharsPerSec: ingest.ingestCharsPerSec!,
    segmentCharsPerSec: segment.segmentCharsPerSec!,
    ingestVsSegment: ingest.ingestCharsPerSec! / segment.segmentCharsPerSec!,
    ingestPeakRssMB: ingest.ingestPeakRssMB!,
    indexMB: directoryBytes(build) / (1024 * 1024),
    loadMs: search.loadMs!,
    rssMB: search.rssMB!,
    rssAtLoadReturnMB: search.rssAtLoadReturnMB!,
    rssAfterQuestionsMB: search.rssAfterQuestionsMB!,
    answeredQuestions: search.answeredQuestions!,
    searchPeakRssMB: search.peakRssMB!,
    searchP50Ms: search.p50Ms!,
    searchP95Ms: search.p95Ms!,
    searchP99Ms: search.p99Ms!,
    recall5: search.recall5!,
    peers,
  };
}

const n = (x: number, digits = 0) => x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pad = (s: string, width: number) => s.padStart(width);

function printTable(r: SizeResult): void {
  console.log(`\n== ${n(r.passages)} passages · ${n(r.documents)} documents · ${n(r.characters / 1e6, 2)} M characters ==`);
  console.log(
    `ingest  ${n(r.ingestPassagesPerSec)} passages/s · ${n(r.ingestCharsPerSec / 1000)} k chars/s (${r.ingestSeconds.toFixed(1)} s)` +
      ` · raw nodejieba ${n(r.segmentCharsPerSec / 1000)} k chars/s → ingest/segmentation ${r.ingestVsSegment.toFixed(2)} · peak RSS ${n(r.ingestPeakRssMB)} MB`,
  );
  console.log(
    `index   ${n(r.indexMB, 1)} MB on disk · load ${n(r.loadMs)} ms · RSS after load ${n(r.rssMB)} MB (${n(r.rssAtLoadReturnMB)} MB as it returned)` +
      ` · after ${n(r.answeredQuestions)} answered questions ${n(r.rssAfterQuestionsMB)} MB · peak ${n(r.searchPeakRssMB)} MB`,
  );
  const header = ["system", "p50 ms", "p95 ms", "p99 ms", "Recall@5", "RSS MB", "p50 ×ours", "p95 ×ours"];
  const widths = [8, 8, 8, 8, 9, 8, 10, 10];
  const row = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : pad(c, widths[i]!))).join(" "));
  row(header);
  row(["ours", ms(r.searchP50Ms), ms(r.searchP95Ms), ms(r.searchP99Ms), pct(r.recall5), n(r.rssMB), "1.0", "1.0"]);
  for (const [name, p] of Object.entries(r.peers)) {
    row([name, ms(p.p50Ms), ms(p.p95Ms), ms(p.p99Ms), pct(p.recall5), n(p.rssMB), p.p50Ratio.toFixed(1), p.p95Ratio.toFixed(1)]);
  }
}

const args = process.argv.slice(2);
const sizes = (option(args, "sizes") ?? DEFAULT_SIZES.join(",")).split(",").map((s) => Number(s.replace(/[_k]/gi, (c) => (c === "_" ? "" : "000"))));
const seed = Number(option(args, "seed") ?? 7);
const evalFile = option(args, "eval") ?? join("test", "eval", "dev.jsonl");
const json = args.includes("--json");
const work = option(args, "work") ?? join("bench", ".work");

if (!json) {
  console.log(`bench · ${cpus().length} × ${cpus()[0]?.model ?? "cpu"} · ${n(totalmem() / 1024 ** 3, 1)} GB · Node ${process.version} · seed ${seed}`);
  console.log(`questions: ${evalFile}; latency = ${5} timed passes over every question after a warm-up pass`);
}
const results: SizeResult[] = [];
for (const size of sizes) {
  const result = await measureSize(size, seed, evalFile);
  results.push(result);
  if (!json) printTable(result);
}
if (json) {
  const slim = results.map((r) => ({
    passages: r.passages,
    ingestPassagesPerSec: r.ingestPassagesPerSec,
    ingestCharsPerSec: r.ingestCharsPerSec,
    segmentCharsPerSec: r.segmentCharsPerSec,
    ingestPeakRssMB: r.ingestPeakRssMB,
    indexMB: r.indexMB,
    loadMs: r.loadMs,
    rssMB: r.rssMB,
    rssAtLoadReturnMB: r.rssAtLoadReturnMB,
    rssAfterQuestionsMB: r.rssAfterQuestionsMB,
    searchPeakRssMB: r.searchPeakRssMB,
    searchP50Ms: r.searchP50Ms,
    searchP95Ms: r.searchP95Ms,
    searchP99Ms: r.searchP99Ms,
    recall5: r.recall5,
    peers: Object.fromEntries(Object.entries(r.peers).map(([name, p]) => [name, { p50Ms: p.p50Ms, p95Ms: p.p95Ms, p99Ms: p.p99Ms, recall5: p.recall5, rssMB: p.rssMB }])),
  }));
  console.log(JSON.stringify({ sizes: slim }));
}
