// One benchmark phase in its own process, so its peak RSS is its own: `tsx bench/phase.ts <phase> …`.
//   segment <corpusDir>                    raw nodejieba search-mode segmentation of the corpus text
//   ingest  <corpusDir> <indexDir>         our ingest (ingestCorpus) into a fresh index folder
//   search  <indexDir> <evalFile>          load our index, hybrid search over the dev questions, then
//                                          RSS after 1,000 questions answered as the server answers them
//   orama|linear <indexDir> <evalFile>     a peer built on the same passages and vectors
// Prints one JSON line of figures on stdout.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import nodejieba from "nodejieba";
import { loadConfig } from "../src/core/config.js";
import { evidenceRank, parseEvalSet, type EvalItem } from "../src/core/eval/eval-set.js";
import type { DocumentMeta, Passage } from "../src/core/types.js";
import { HybridRetriever } from "../src/core/search/retriever.js";
import { embeddingText } from "../src/core/search/search-index.js";
import { currentBuildDir, decodeJsonText, loadIndex } from "../src/node/index-store.js";
import { ingestCorpus, listCorpusFiles } from "../src/node/ingest/build-index.js";
import { createJiebaSegmenter } from "../src/node/jieba-segmenter.js";
import { readDocument } from "../src/node/readers/read-document.js";
import { createNodeRuntime } from "../src/node/runtime.js";
import { createLinearPeer } from "./peers/linear-peer.js";
import { createOramaPeer } from "./peers/orama-peer.js";
import type { Peer, PeerInput } from "./peers/peer.js";
import { SYNTHETIC_PREFIX } from "./scale-corpus.js";
import { createAnswerer } from "../src/node/answerer.js";
import { collectGarbage } from "../src/node/collect-garbage.js";

/** Timed passes over the question set after one warm-up pass. */
const ROUNDS = 5;
/** Idle time after the load before its RSS is read. */
const SETTLE_MS = 1000;
/** Questions answered before the second RSS reading (issue 17: "after load and 1,000 questions"). */
const ANSWERED = 1000;
const MB = 1024 * 1024;

const rssMB = () => process.memoryUsage().rss / MB;
const peakRssMB = () => process.resourceUsage().maxRSS / 1024;

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function corpusTexts(corpusDir: string): Promise<string[]> {
  const texts: string[] = [];
  for (const file of listCorpusFiles(corpusDir)) {
    texts.push((await readDocument(file, new Uint8Array(readFileSync(join(corpusDir, file))))).text);
  }
  return texts;
}

/**
 * Rank of the first passage of a real document that holds the evidence. Synthetic passages never
 * count: a varied copy of the evidence sentence in a made-up district is a distractor, not an answer.
 */
function realEvidenceRank(passages: Passage[], evidence: string[]): number | null {
  return evidenceRank(passages.map((p) => (p.docId.startsWith(SYNTHETIC_PREFIX) ? { ...p, folded: "" } : p)), evidence);
}

interface QueryFigures {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  recall5: number;
  questions: number;
}

/** Latency over every dev question (ROUNDS timed passes) and Recall@5 over those with evidence. */
async function measureQueries(items: EvalItem[], search: (question: string) => Promise<Passage[]>): Promise<QueryFigures> {
  let hits = 0;
  const answerable = items.filter((i) => i.evidence.length);
  for (const item of answerable) {
    const rank = realEvidenceRank(await search(item.question), item.evidence);
    if (rank !== null && rank <= 5) hits++;
  }
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const item of items) {
      const started = performance.now();
      await search(item.question);
      samples.push(performance.now() - started);
    }
  }
  samples.sort((a, b) => a - b);
  return {
    p50Ms: percentile(samples, 50),
    p95Ms: percentile(samples, 95),
    p99Ms: percentile(samples, 99),
    recall5: hits / (answerable.length || 1),
    questions: answerable.length,
  };
}

async function segmentPhase(corpusDir: string) {
  const texts = await corpusTexts(corpusDir);
  createJiebaSegmenter();
  const characters = texts.reduce((n, t) => n + t.length, 0);
  // Warm the dictionaries' pages once, then time one full pass.
  nodejieba.cutForSearch(texts[0] ?? "", true);
  const started = performance.now();
  let words = 0;
  for (const text of texts) words += nodejieba.cutForSearch(text, true).length;
  const seconds = (performance.now() - started) / 1000;
  return { characters, words, seconds, segmentCharsPerSec: characters / seconds };
}

async function ingestPhase(corpusDir: string, indexDir: string) {
  const config = loadConfig({}, { CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
  const runtime = await createNodeRuntime(config);
  const started = performance.now();
  const result = await ingestCorpus({ corpusDir, indexDir, runtime });
  const seconds = (performance.now() - started) / 1000;
  const ingestPeakRssMB = peakRssMB();
  // Counted after the ingest, so that reading every text once more does not add to its peak.
  const characters = (await corpusTexts(corpusDir)).reduce((n, t) => n + t.length, 0);
  const passages = result.manifest.counts.passages;
  return {
    passages,
    documents: result.manifest.counts.documents,
    skipped: result.skipped.length,
    characters,
    seconds,
    ingestPassagesPerSec: passages / seconds,
    ingestCharsPerSec: characters / seconds,
    ingestPeakRssMB,
  };
}

async function searchPhase(indexDir: string, evalFile: string) {
  const items = parseEvalSet(readFileSync(evalFile, "utf8"));
  const config = loadConfig({}, { INDEX_DIR: indexDir });
  // The runtime (segmenter, OpenCC, IDF table) is process start-up; load time is the index itself.
  // The server's query runtime (openIndex): the pure-JS segmenter, not ingest's nodejieba, whose
  // native dictionaries (≈ 250 MB RSS) a serving process never loads.
  const runtime = await createNodeRuntime(config, { purpose: "query" });
  const started = performance.now();
  // What openIndex does, with the runtime made beforehand.
  const index = loadIndex(indexDir, runtime.recipe);
  const retriever = new HybridRetriever({ index, tokenize: runtime.tokenize, embeddings: runtime.embeddings, idf: runtime.idf });
  const loadMs = performance.now() - started;
  const rssAtLoadReturn = rssMB();
  // The load's garbage collected before the first request, as `npm start` does where it matters: at
  // this size the server's main thread collects before serving (heap over 64 MB, src/node/server.ts),
  // and its answer threads open the index as shared memory, with next to nothing left to collect. The
  // bench loads and searches in one thread, so it collects once here.
  collectGarbage();
  // V8 gives the pages of what the load let go (the files' bytes and text) back on background
  // threads: a server is idle like this between loading and its first request.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const rssAfterLoad = rssMB();
  const figures = await measureQueries(items, async (q) => (await retriever.search(q, { k: 5 })).map((h) => h.passage));
  // Then 1,000 questions through the whole answer path, as a server sees them: every evaluation
  // set's questions, repeated with a numbering suffix once they run out so that each is distinct.
  const answerer = createAnswerer({ runtime, index, retriever }, config);
  const pool = [...new Set(readdirSync(join("test", "eval")).filter((f) => f.endsWith(".jsonl")).flatMap((f) => parseEvalSet(readFileSync(join("test", "eval", f), "utf8")).map((i) => i.question)))];
  for (let i = 0; i < ANSWERED; i++) await answerer.answer(`${pool[i % pool.length]!}${i >= pool.length ? `（第${i}问）` : ""}`);
  return { passages: index.passages.length, loadMs, rssMB: rssAfterLoad, rssAtLoadReturnMB: rssAtLoadReturn, ...figures, answeredQuestions: ANSWERED, rssAfterQuestionsMB: rssMB(), peakRssMB: peakRssMB() };
}

async function peerPhase(name: "orama" | "linear", indexDir: string, evalFile: string) {
  const items = parseEvalSet(readFileSync(evalFile, "utf8"));
  const build = currentBuildDir(indexDir);
  if (!build) throw new Error(`no index in ${indexDir}`);
  const runtime = await createNodeRuntime(loadConfig({}, { INDEX_DIR: indexDir }));
  const passages = JSON.parse(decodeJsonText(readFileSync(join(build, "passages.json")))) as Passage[];
  const documents = JSON.parse(readFileSync(join(build, "documents.json"), "utf8")) as DocumentMeta[];
  const titles = new Map(documents.map((d) => [d.id, d.title]));
  // Dense vectors for the peers: a dense build's own, or else the hashing model's 512-d dense form
  // of the same features our sparse index holds exactly.
  const dimensions = runtime.embeddings.dimensions;
  let embeddings: Float32Array;
  if (existsSync(join(build, "embeddings.f32"))) {
    const raw = readFileSync(join(build, "embeddings.f32"));
    embeddings = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  } else {
    embeddings = new Float32Array(passages.length * dimensions);
    const batch = 1000;
    for (let start = 0; start < passages.length; start += batch) {
      const vectors = await runtime.embeddings.embedDocuments(passages.slice(start, start + batch).map(embeddingText));
      vectors.forEach((v, i) => embeddings.set(v, (start + i) * dimensions));
    }
  }
  const input: PeerInput = {
    passages,
    titles: passages.map((p) => titles.get(p.docId) ?? ""),
    embeddings,
    dimensions,
    tokenize: runtime.tokenize,
    embedQuery: (q) => runtime.embeddings.embedQuery(q),
  };
  const started = performance.now();
  const peer: Peer = name === "orama" ? await createOramaPeer(input) : await createLinearPeer(input, runtime.embeddings);
  const buildMs = performance.now() - started;
  const rssAfterBuild = rssMB();
  const figures = await measureQueries(items, async (q) => (await peer.search(q, 5)).map((i) => passages[i]!));
  return { passages: passages.length, buildMs, rssMB: rssAfterBuild, ...figures, peakRssMB: peakRssMB() };
}

const [phase, ...args] = process.argv.slice(2);
const run = async (): Promise<object> => {
  switch (phase) {
    case "segment":
      return segmentPhase(args[0]!);
    case "ingest":
      return ingestPhase(args[0]!, args[1]!);
    case "search":
      return searchPhase(args[0]!, args[1]!);
    case "orama":
    case "linear":
      return peerPhase(phase, args[0]!, args[1]!);
    default:
      throw new Error(`unknown phase ${phase ?? ""}: segment | ingest | search | orama | linear`);
  }
};
console.log(JSON.stringify(await run()));
