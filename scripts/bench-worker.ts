// `npm run bench:worker -- [--sizes 1000,10000,100000] [--json] [--eval FILE] [--rounds N] [--work DIR]`
// (also `--profile SIZE`, `--profile-worker SIZE`, `--fts5-ablation SIZE`, `--dense-ablation SIZE` on a size already benched)
// The Worker's `d1` back end at scale, on this machine: for each size, the scaled corpus (bench/
// scale-corpus.ts) ingested on Node, uploaded to a local D1 (the uploader of `npm run deploy:index`),
// then served by `wrangler dev` (local workerd + local D1, offline) and asked every held-out question
// over HTTP. Prints one line per size, and with --json, as its last line,
// { "sizes": [ { passages, recall5, nodeRecall5, searchP95Ms, chatP95Ms, isolateMB, coldReadyMs, faithfulness, … } ] }.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { loadConfig } from "../src/core/config.js";
import type { KeywordSource } from "../src/core/search/keyword-source.js";
import { evidenceRank, parseEvalSet, type EvalItem } from "../src/core/eval/eval-set.js";
import { foldForMatching } from "../src/core/text/fold.js";
import { passageFigureSource, verifyFigures } from "../src/core/answer/verify.js";
import { referral } from "../src/core/answer/refusal.js";
import { parseKnowledge } from "../src/core/knowledge/knowledge.js";
import { buildWorkerAssets } from "../src/node/worker-assets.js";
import { loadD1WorkerState } from "../src/worker/d1-state.js";
import { uploadBuildToD1 } from "../src/worker/d1-upload.js";
import { uploadBuildVectors } from "../src/worker/d1-vectors.js";
import { VectorizeStandIn } from "../src/worker/testing/vectorize-stand-in.js";
import { localBgeM3StandIn } from "../src/worker/testing/workers-ai-stand-in.js";
import { JiebaLexicon } from "../src/core/search/jieba-lexicon.js";
import { VECTORIZE_YEAR_PROPERTY, VectorizeVectorIndex } from "../src/core/search/vectorize-vector-index.js";
import { BGE_M3, WorkersAiEmbeddings } from "../src/core/search/workers-ai-embeddings.js";
import { isScaled, scaleCorpus, SYNTHETIC_PREFIX } from "../bench/scale-corpus.js";
import { localIndexDb, readBuild } from "./deploy-index.js";

/** Nearest-rank percentile of sorted samples (bench/phase.ts runs a phase on import, so not imported). */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const ROOT = resolve(import.meta.dirname, "..");
const log = (message: string) => process.stderr.write(`${message}\n`);

function option(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i]!.includes("=") ? args[i]!.slice(args[i]!.indexOf("=") + 1) : args[i + 1];
}

/** Runs a bench phase (bench/phase.ts) in a fresh Node process and returns its JSON. */
function phase(name: string, ...args: string[]): Record<string, number> {
  const child = spawnSync(process.execPath, ["--import", "tsx", join("bench", "phase.ts"), name, ...args], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 });
  if (child.status !== 0) throw new Error(`phase ${name} failed (exit ${child.status ?? child.signal})`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as Record<string, number>;
}

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * The memory the `d1` state holds in an isolate, measured in a Node process with --expose-gc on the
 * Worker's own code path (as `npm run measure:worker` does for bundled): heap + ArrayBuffers after
 * loading and after answering every question, minus before. Local D1 runs in its own workerd process.
 */
async function memoryChild(persist: string, evalFile: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const used = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const { db, dispose } = await localIndexDb(persist);
  const items = parseEvalSet(readFileSync(evalFile, "utf8"));
  const before = used();
  const state = await loadD1WorkerState({ db, config: loadConfig({ LOG_LEVEL: "silent", RATE_LIMIT_PER_MIN: "0", ANSWER_CACHE_SIZE: "0" }) });
  const loaded = used();
  for (let round = 0; round < 2; round++) for (const item of items) await state.answerer.answer(item.question, item.history ?? []);
  const after = used();
  await dispose();
  console.log(JSON.stringify({ loadedMB: (loaded - before) / 2 ** 20, isolateMB: (after - before) / 2 ** 20 }));
}

/**
 * The top 5 passage ids of every question from the same Worker build held whole in memory (the
 * bundled back end, every postings list complete): what the `d1` back end gives when no list is cut
 * to its head. Run in a child (the whole index of a size is loaded).
 */
async function exactChild(buildDir: string, evalFile: string): Promise<void> {
  const { loadWorkerState } = await import("../src/worker/worker-state.js");
  const { readFile } = await import("node:fs/promises");
  const fetchAsset = async (path: string) => {
    try {
      return new Response(new Uint8Array(await readFile(join(buildDir, decodeURIComponent(new URL(path, "https://assets.local/").pathname)))));
    } catch {
      return new Response("not found", { status: 404 });
    }
  };
  const state = await loadWorkerState({ fetchAsset, config: loadConfig({ LOG_LEVEL: "silent", RATE_LIMIT_PER_MIN: "0" }), backend: "bundled" });
  const top5: string[][] = [];
  for (const item of parseEvalSet(readFileSync(evalFile, "utf8"))) top5.push((await state.retriever.search(state.retriever.analyze(item.question), { k: 5 })).map((h) => h.passage.id));
  console.log(JSON.stringify({ top5 }));
}

function realRank(results: Array<{ docId: string; text: string }>, evidence: string[]): number | null {
  return evidenceRank(
    results.map((r) => ({ folded: r.docId.startsWith(SYNTHETIC_PREFIX) ? "" : foldForMatching(r.text) }) as never),
    evidence,
  );
}

/**
 * `wrangler dev` over the d1 back end with a config of its own (no custom build: nothing is written
 * into dist/). `main`: the Worker entry (bench/d1-timed-worker.ts for --profile-worker).
 */
async function startWorkerd(work: string, assetsDir: string, persist: string, main = join(ROOT, "src", "worker", "index.ts")): Promise<{ url: string; child: ChildProcess; stop: () => void }> {
  const port = await freePort();
  const config = join(work, "wrangler.bench.toml");
  writeFileSync(
    config,
    [
      `name = "edu-policy-bench-d1"`,
      `main = "${main}"`,
      `compatibility_date = "2025-09-01"`,
      `compatibility_flags = ["nodejs_compat"]`,
      `[assets]`,
      `directory = "${assetsDir}"`,
      `binding = "ASSETS"`,
      `run_worker_first = true`,
      `[[d1_databases]]`,
      `binding = "INDEX_DB"`,
      `database_name = "edu-policy-index"`,
      `database_id = "edu-policy-index-local"`,
      `[vars]`,
      `VECTOR_BACKEND = "d1"`,
      `LOG_LEVEL = "warn"`,
      `RATE_LIMIT_PER_MIN = "0"`,
      `ANSWER_CACHE_SIZE = "0"`,
      `MAX_CONCURRENT_ANSWERS = "64"`,
    ].join("\n"),
  );
  const wrangler = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
  const child = spawn(process.execPath, [wrangler, "dev", "--config", config, "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist, "--show-interactive-dev-session=false"], {
    cwd: work,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true" },
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child, stop };
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`wrangler dev did not start: ${stderr.slice(-2000)}`);
}

interface SizeRow {
  passages: number;
  recall5: number;
  nodeRecall5: number;
  searchP95Ms: number;
  chatP95Ms: number;
  isolateMB: number;
  coldReadyMs: number;
  /** Questions (of all asked) whose top 5 equals that of the same build held whole in memory. */
  sameTop5AsWhole: number;
  questions: number;
  /** Postings kept per list in D1 (null: every list whole). */
  postingsHead: number | null;
  searchP50Ms: number;
  chatP50Ms: number;
  /** /healthz through the same wrangler dev: the latency floor of the machine at that moment. */
  healthzP95Ms: number;
  /** Search p95 of the first round only: no question's postings were cached in the isolate yet. */
  searchFirstRoundP95Ms: number;
  nodeSearchP95Ms: number;
  uploadSeconds: number | null;
  d1Rows: Record<string, number> | null;
  /** Answers over HTTP that quote figures (grounded), and the share whose every figure is in a passage they cite. */
  grounded: number;
  faithfulness: number;
}

async function measureSize(size: number, root: string, evalFile: string, rounds: number, assetsDir: string): Promise<SizeRow> {
  const work = join(root, String(size));
  const corpusDir = join(work, "corpus");
  const indexDir = join(work, "index");
  const persist = join(work, "wrangler-state");
  mkdirSync(work, { recursive: true });
  const scale = { size, seed: 7, sourceDir: join(ROOT, "corpus"), evalFile };
  if (!isScaled(corpusDir, scale)) {
    log(`${size}: scaling the corpus`);
    await scaleCorpus({ ...scale, outDir: corpusDir });
  }
  // Incremental: an index of the same recipe and files is reused; a changed recipe rebuilds it.
  log(`${size}: ingest (Node)`);
  phase("ingest", corpusDir, indexDir);
  log(`${size}: Node search`);
  const node = phase("search", indexDir, evalFile);

  // The Worker's build of the same corpus (pure-JS segmenter, the recipe the Worker checks).
  log(`${size}: Worker index build`);
  const workerBuild = join(work, "worker-assets");
  await buildWorkerAssets({ corpusDir, outDir: workerBuild, workDir: join(work, "worker-work"), backend: "bundled", log: (m) => log(`  ${m}`) });
  log(`${size}: upload to local D1`);
  const content = readBuild(join(workerBuild, "index"));
  const passages = content.passages.length;
  let upload: Awaited<ReturnType<typeof uploadBuildToD1>>;
  let postingsHead: number | null;
  {
    const { db, dispose } = await localIndexDb(persist);
    try {
      upload = await uploadBuildToD1(db, content, { statementsPerBatch: 20, log: (m) => log(`  ${m}`) });
      const served = await db.prepare("SELECT meta FROM index_builds WHERE build = (SELECT build FROM index_serving WHERE id = 1)").first<{ meta: string }>();
      postingsHead = served ? ((JSON.parse(served.meta) as { postingsHead?: number | null }).postingsHead ?? null) : null;
    } finally {
      await dispose();
    }
  }

  log(`${size}: isolate memory`);
  const memory = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join("scripts", "bench-worker.ts"), "--memory-child", persist, evalFile], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (memory.status !== 0) throw new Error("memory measurement failed");
  const { isolateMB } = JSON.parse(memory.stdout.trim().split("\n").pop()!) as { isolateMB: number };

  log(`${size}: the same build whole in memory (top 5 of every question)`);
  const whole = spawnSync(process.execPath, ["--import", "tsx", join("scripts", "bench-worker.ts"), "--exact-child", workerBuild, evalFile], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 });
  if (whole.status !== 0) throw new Error("in-memory top 5 failed");
  const { top5: wholeTop5 } = JSON.parse(whole.stdout.trim().split("\n").pop()!) as { top5: string[][] };

  log(`${size}: wrangler dev (local workerd + local D1)`);
  const server = await startWorkerd(work, assetsDir, persist);
  try {
    const started = performance.now();
    const ready = await fetch(`${server.url}/readyz`);
    const coldReadyMs = performance.now() - started;
    if (!ready.ok) throw new Error(`/readyz ${ready.status}: ${await ready.text()}`);
    const items: EvalItem[] = parseEvalSet(readFileSync(evalFile, "utf8"));
    const answerable = items.filter((i) => i.evidence.length);
    let hits = 0;
    let sameTop5AsWhole = 0;
    for (const [i, item] of items.entries()) {
      const { results } = (await (await fetch(`${server.url}/api/search?q=${encodeURIComponent(item.question)}&k=5`)).json()) as { results: Array<{ passageId: string; docId: string; text: string }> };
      if (JSON.stringify(results.map((r) => r.passageId)) === JSON.stringify(wholeTop5[i])) sameTop5AsWhole++;
      if (!item.evidence.length) continue;
      const rank = realRank(results, item.evidence);
      if (rank !== null && rank <= 5) hits++;
    }
    const search: number[] = [];
    const chat: number[] = [];
    const floor: number[] = [];
    // Round 1 meets every question's terms for the first time (the isolate's postings cache is cold).
    const firstRound: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const item of items) {
        // The floor: a request that wrangler dev routes to the Worker and that touches neither D1 nor the index.
        let t = performance.now();
        await (await fetch(`${server.url}/healthz`)).arrayBuffer();
        floor.push(performance.now() - t);
        t = performance.now();
        await (await fetch(`${server.url}/api/search?q=${encodeURIComponent(item.question)}&k=5`)).arrayBuffer();
        search.push(performance.now() - t);
        if (round === 0) firstRound.push(performance.now() - t);
        t = performance.now();
        const response = await fetch(`${server.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: item.question }) });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`/api/chat ${response.status}`);
        chat.push(performance.now() - t);
      }
    }
    // Faithfulness over HTTP, after the timed rounds: every figure of a grounded answer must be in a
    // passage it cites (read back through /api/passages/:id, as the contract suite checks) or in the
    // referral sentence the answer takes from the bureau profile (its hotline), as `npm run eval` counts.
    const { profile } = parseKnowledge(content.knowledgeJson);
    const referrals = [referral(profile), referral(profile, "en")].map((text) => ({ folded: foldForMatching(text) }));
    let grounded = 0;
    let faithful = 0;
    for (const item of items) {
      const response = await fetch(`${server.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: item.question }) });
      const answer = (await response.json()) as { answer: string; grounded: boolean; citations: Array<{ passageId: string }> };
      if (!answer.grounded) continue;
      grounded++;
      const sources = await Promise.all(
        answer.citations.map(async (c) => {
          return passageFigureSource((await (await fetch(`${server.url}/api/passages/${encodeURIComponent(c.passageId)}`)).json()) as Parameters<typeof passageFigureSource>[0]);
        }),
      );
      if (verifyFigures(answer.answer, [...sources, ...referrals]).ok) faithful++;
    }
    search.sort((a, b) => a - b);
    chat.sort((a, b) => a - b);
    floor.sort((a, b) => a - b);
    firstRound.sort((a, b) => a - b);
    return {
      passages,
      recall5: hits / (answerable.length || 1),
      nodeRecall5: node.recall5!,
      searchP95Ms: percentile(search, 95),
      chatP95Ms: percentile(chat, 95),
      grounded,
      faithfulness: grounded ? faithful / grounded : 1,
      isolateMB,
      coldReadyMs,
      sameTop5AsWhole,
      questions: items.length,
      postingsHead,
      searchP50Ms: percentile(search, 50),
      chatP50Ms: percentile(chat, 50),
      healthzP95Ms: percentile(floor, 95),
      searchFirstRoundP95Ms: percentile(firstRound, 95),
      nodeSearchP95Ms: node.p95Ms!,
      uploadSeconds: upload.skipped ? null : upload.seconds,
      d1Rows: upload.skipped ? null : upload.rows,
    };
  } finally {
    server.stop();
  }
}

/**
 * `--dense-ablation SIZE`: the `d1` back end's vector side both ways, on a size's local D1 (run the
 * bench for that size first): the hashing features' postings in D1 (what ships) against dense vectors
 * in Vectorize — here the offline stand-ins, a local 1024-d embedder in place of bge-m3 (which needs
 * the network), the `year` metadata index created — with and without the year filter. Recall@5 over
 * the dev set and the eval file, how many questions keep the features' top 5, the upload's time.
 */
async function denseAblation(root: string, size: number, evalFile: string): Promise<void> {
  const work = join(root, String(size));
  const { db, dispose } = await localIndexDb(join(work, "wrangler-state"));
  try {
    const content = readBuild(join(work, "worker-assets", "index"));
    const appConfig = loadConfig({ LOG_LEVEL: "silent", RATE_LIMIT_PER_MIN: "0" });
    const state = await loadD1WorkerState({ db, config: appConfig });
    if (state.d1.build !== content.manifest.buildId) throw new Error(`local D1 serves ${state.d1.build}, ${work}/worker-assets holds ${content.manifest.buildId}: run the bench for ${size} first`);
    const lexicon = JiebaLexicon.decode(content.lexicon);
    const ai = localBgeM3StandIn(lexicon);
    const vectorize = new VectorizeStandIn(BGE_M3.dimensions);
    vectorize.createMetadataIndex(VECTORIZE_YEAR_PROPERTY, "number");
    const embeddings = new WorkersAiEmbeddings({ ai });
    const started = performance.now();
    const record = await uploadBuildVectors({ build: state.d1.build, passages: content.passages, documents: content.documents, embeddings, model: BGE_M3.model, dimensions: BGE_M3.dimensions, vectorize });
    const uploadSeconds = (performance.now() - started) / 1000;
    const { HybridRetriever } = await import("../src/core/search/retriever.js");
    const deps = (state.retriever as unknown as { deps: ConstructorParameters<typeof HybridRetriever>[0] }).deps;
    const viaVectorize = (yearFilter: boolean) => {
      const vectors = new VectorizeVectorIndex({ binding: vectorize, dimensions: record.dimensions, namespace: record.namespace, idPrefix: record.idPrefix, size: record.vectors, yearFilter: yearFilter && record.yearFilter });
      return { vectors, retriever: new HybridRetriever({ ...deps, embeddings, index: { ...deps.index, vectors } }) };
    };
    const withYear = viaVectorize(true);
    const noYear = viaVectorize(false);
    const items = [...parseEvalSet(readFileSync(join(ROOT, "test", "eval", "dev.jsonl"), "utf8")), ...parseEvalSet(readFileSync(evalFile, "utf8"))];
    const found = { features: 0, vectorize: 0, vectorizeNoYear: 0 };
    const sameTop5 = { vectorize: 0, vectorizeNoYear: 0 };
    const ids = (hits: Array<{ passage: { id: string } }>) => JSON.stringify(hits.map((h) => h.passage.id));
    for (const item of items) {
      const analysis = state.retriever.analyze(item.question, item.history ?? []);
      const a = await state.retriever.search(analysis, { k: 5 });
      const b = await withYear.retriever.search(analysis, { k: 5 });
      const c = await noYear.retriever.search(analysis, { k: 5 });
      if (ids(a) === ids(b)) sameTop5.vectorize++;
      if (ids(a) === ids(c)) sameTop5.vectorizeNoYear++;
      if (!item.evidence.length) continue;
      const hit = (hits: typeof a) => {
        const rank = evidenceRank(hits.map((h) => (h.passage.docId.startsWith(SYNTHETIC_PREFIX) ? { ...h.passage, folded: "" } : h.passage)), item.evidence);
        return rank !== null && rank <= 5 ? 1 : 0;
      };
      found.features += hit(a);
      found.vectorize += hit(b);
      found.vectorizeNoYear += hit(c);
    }
    const answerable = items.filter((i) => i.evidence.length).length;
    console.log(
      JSON.stringify({
        passages: content.passages.length,
        questions: items.length,
        answerable,
        recall5Features: found.features / answerable,
        recall5Vectorize: found.vectorize / answerable,
        recall5VectorizeNoYearFilter: found.vectorizeNoYear / answerable,
        sameTop5AsFeatures: sameTop5,
        vectorizeQueries: withYear.vectors.sent,
        embedder: "stand-in (local 1024-d hashing embedder, not bge-m3)",
        uploadSeconds,
      }),
    );
  } finally {
    await dispose();
  }
}

/**
 * `--fts5-ablation SIZE`: the keyword stage over SQLite FTS5 (title/section/text columns of the
 * build's own tokens, space-joined; `bm25(1.5, 2, 1)`; OR of the question's terms, top 200) against
 * the postings table, on a size's local D1 (run the bench for that size first): how many questions
 * keep the in-memory top 5, Recall@5, and the keyword stage's mean time.
 */
async function fts5Ablation(root: string, size: number, evalFile: string): Promise<void> {
  const work = join(root, String(size));
  const { db, dispose } = await localIndexDb(join(work, "wrangler-state"));
  const content = readBuild(join(work, "worker-assets", "index"));
  const appConfig = loadConfig({ LOG_LEVEL: "silent", RATE_LIMIT_PER_MIN: "0" });
  const state = await loadD1WorkerState({ db, config: appConfig });
  const table = `fts_${size}`;
  await db.batch([db.prepare(`DROP TABLE IF EXISTS ${table}`), db.prepare(`CREATE VIRTUAL TABLE ${table} USING fts5(title, section, text, tokenize = "unicode61 tokenchars '.-%:/'")`)]);
  // Each passage's fields rebuilt from the postings (term repeated tf times; order is irrelevant to bm25).
  const n = content.passages.length;
  const fields = [0, 1, 2].map(() => Array.from({ length: n }, () => [] as string[]));
  content.keyword.fields.forEach((field, f) => {
    content.keyword.terms.forEach((term, t) => {
      for (let i = field.offsets[t]!; i < field.offsets[t + 1]!; i++) for (let r = 0; r < field.freqs[i]!; r++) fields[f]![field.docs[i]!]!.push(term);
    });
  });
  const started = performance.now();
  for (let at = 0; at < n; at += 20) {
    const rows = Array.from({ length: Math.min(20, n - at) }, (_, i) => at + i);
    await db.batch([db.prepare(`INSERT INTO ${table} (rowid, title, section, text) VALUES ${rows.map(() => "(?, ?, ?, ?)").join(", ")}`).bind(...rows.flatMap((d) => [d, fields[0]![d]!.join(" "), fields[1]![d]!.join(" "), fields[2]![d]!.join(" ")]))]);
  }
  const buildSeconds = (performance.now() - started) / 1000;
  const quote = (term: string) => `"${term.replaceAll('"', '""')}"`;
  let ftsMs = 0;
  const fts: KeywordSource = {
    documentFrequency: (term) => state.d1.keyword.documentFrequency(term),
    async searchWeightedLists(terms, k, filters) {
      await state.d1.keyword.searchWeightedLists(terms, 1, [undefined]); // the document-frequency prefetch only
      const t = performance.now();
      const { results } = await db
        .prepare(`SELECT rowid AS label, -bm25(${table}, 1.5, 2.0, 1.0) AS score FROM ${table} WHERE ${table} MATCH ?1 ORDER BY rank LIMIT ${k * 4}`)
        .bind([...terms.keys()].map(quote).join(" OR "))
        .all<{ label: number; score: number }>();
      ftsMs += performance.now() - t;
      return filters.map((filter) => results.filter((r) => !filter || filter(r.label)).slice(0, k).map((r) => ({ ...r, terms: [] })));
    },
  };
  const { HybridRetriever } = await import("../src/core/search/retriever.js");
  const deps = (state.retriever as unknown as { deps: ConstructorParameters<typeof HybridRetriever>[0] }).deps;
  const viaFts = new HybridRetriever({ ...deps, keyword: fts });
  const items = [...parseEvalSet(readFileSync(join(ROOT, "test", "eval", "dev.jsonl"), "utf8")), ...parseEvalSet(readFileSync(evalFile, "utf8"))];
  let same = 0;
  let hitsPostings = 0;
  let hitsFts = 0;
  let postingsMs = 0;
  for (const item of items) {
    const analysis = state.retriever.analyze(item.question, item.history ?? []);
    const t = performance.now();
    await state.d1.keyword.searchWeightedLists(analysis.weighted, 200, [undefined]);
    postingsMs += performance.now() - t;
    const a = await state.retriever.search(analysis, { k: 5 });
    const b = await viaFts.search(analysis, { k: 5 });
    if (JSON.stringify(a.map((h) => h.passage.id)) === JSON.stringify(b.map((h) => h.passage.id))) same++;
    const rank = (hits: typeof a) => evidenceRank(hits.map((h) => (h.passage.docId.startsWith(SYNTHETIC_PREFIX) ? { ...h.passage, folded: "" } : h.passage)), item.evidence);
    if (item.evidence.length) {
      const ra = rank(a);
      const rb = rank(b);
      if (ra !== null && ra <= 5) hitsPostings++;
      if (rb !== null && rb <= 5) hitsFts++;
    }
  }
  const answerable = items.filter((i) => i.evidence.length).length;
  await db.prepare(`DROP TABLE IF EXISTS ${table}`).first();
  await dispose();
  console.log(JSON.stringify({ passages: n, questions: items.length, sameTop5: same, recall5Postings: hitsPostings / answerable, recall5Fts5: hitsFts / answerable, keywordMsPostings: postingsMs / items.length, keywordMsFts5: ftsMs / items.length, ftsBuildSeconds: buildSeconds }));
}

/**
 * `--profile SIZE`: where one search's time goes, on a size's local D1 (run the bench for that size
 * first). Every D1 query the retriever makes is timed and its rows and bytes counted, per statement
 * kind; the rest of the search's wall time is the isolate's own work (decoding, scoring, rerank).
 * Local D1 here is reached through wrangler's platform proxy, so each query also pays a hop that
 * `wrangler dev` does not: the per-query figures are upper bounds, the counts and bytes are exact.
 */
async function profileSearch(root: string, size: number, evalFile: string): Promise<void> {
  const work = join(root, String(size));
  const { db: raw, dispose } = await localIndexDb(join(work, "wrangler-state"));
  type Stage = { queries: number; ms: number; rows: number; bytes: number };
  const stages = new Map<string, Stage>();
  const stageOf = (sql: string) => (/index_term_postings/.test(sql) ? "keyword" : /index_feature_postings/.test(sql) ? "features" : /index_passage_rows/.test(sql) ? "passages" : "other");
  const bytesOf = (row: Record<string, unknown>) => {
    let n = 0;
    for (const v of Object.values(row)) n += typeof v === "string" ? v.length : typeof v === "number" ? 8 : v && typeof v === "object" && "byteLength" in v ? (v as ArrayBuffer).byteLength : Array.isArray(v) ? v.length : 0;
    return n;
  };
  type Statement = ReturnType<typeof raw.prepare>;
  const unwrapped = new WeakMap<Statement, Statement>();
  const sqlOf = new WeakMap<Statement, string>();
  const count = (name: string, ms: number, rows: unknown[]) => {
    const stage = stages.get(name) ?? { queries: 0, ms: 0, rows: 0, bytes: 0 };
    stage.queries++;
    stage.ms += ms;
    stage.rows += rows.length;
    for (const row of rows) stage.bytes += bytesOf(row as Record<string, unknown>);
    stages.set(name, stage);
  };
  const db = {
    prepare(sql: string) {
      const wrap = (statement: Statement): Statement => {
        const wrapped: Statement = {
          bind: (...values: unknown[]) => wrap(statement.bind(...values)),
          first: (...a: []) => statement.first(...a),
          async all<T>() {
            const t = performance.now();
            const result = await statement.all<T>();
            count(stageOf(sql), performance.now() - t, result.results);
            return result;
          },
        };
        unwrapped.set(wrapped, statement);
        sqlOf.set(wrapped, sql);
        return wrapped;
      };
      return wrap(raw.prepare(sql));
    },
    // A batch is one round trip: its statements' stages are timed together (e.g. keyword+features).
    async batch(statements: Statement[]) {
      const t = performance.now();
      const results = await raw.batch(statements.map((s) => unwrapped.get(s) ?? s));
      const name = statements.map((s) => stageOf(sqlOf.get(s) ?? "")).join("+");
      count(name, performance.now() - t, (results as unknown as Array<{ results?: unknown[] }>).flatMap((r) => r.results ?? []));
      return results;
    },
  } as typeof raw;
  const state = await loadD1WorkerState({ db, config: loadConfig({ LOG_LEVEL: "silent", RATE_LIMIT_PER_MIN: "0" }) });
  const items = [...parseEvalSet(readFileSync(join(ROOT, "test", "eval", "dev.jsonl"), "utf8")), ...parseEvalSet(readFileSync(evalFile, "utf8"))];
  for (const item of items) await state.retriever.search(state.retriever.analyze(item.question, item.history ?? []), { k: 5 }); // warm-up
  stages.clear();
  const totals: number[] = [];
  for (const item of items) {
    const analysis = state.retriever.analyze(item.question, item.history ?? []);
    // Every search fetches its postings (no per-isolate cache): the D1 stages are what is measured.
    state.d1.keyword.cache.clear();
    state.d1.vectors.cache.clear();
    const t = performance.now();
    await state.retriever.search(analysis, { k: 5 });
    totals.push(performance.now() - t);
  }
  await dispose();
  const n = items.length;
  const perSearch = Object.fromEntries(
    [...stages].map(([name, s]) => [name, { queries: s.queries / n, ms: +(s.ms / n).toFixed(1), rows: Math.round(s.rows / n), kB: +(s.bytes / n / 1024).toFixed(1) }]),
  );
  const sorted = [...totals].sort((a, b) => a - b);
  console.log(JSON.stringify({ passages: size, questions: n, searchMeanMs: +(totals.reduce((a, b) => a + b, 0) / n).toFixed(1), searchP95Ms: +percentile(sorted, 95).toFixed(1), perSearch }));
}

/**
 * `--profile-worker SIZE`: where a search's time goes inside local workerd, on a size's local D1 (run
 * the bench for that size first). The Worker entry bench/d1-timed-worker.ts times every D1 call in
 * the isolate; the questions are asked once (as the bench's recall pass: the isolate's caches warm),
 * then `--rounds` times. Prints, as one JSON line: the search's time over HTTP and in the Worker
 * (p50, p95, mean), and per D1 stage its calls per search, time, D1's own SQL time, rows and
 * kilo-characters received. The Worker's time less its D1 calls is the isolate's own work.
 */
async function profileWorker(root: string, size: number, evalFile: string, rounds: number, dump?: string): Promise<void> {
  const work = join(root, String(size));
  const server = await startWorkerd(work, join(root, "assets"), join(work, "wrangler-state"), join(ROOT, "bench", "d1-timed-worker.ts"));
  type Call = { stage: string; ms: number; sqlMs?: number; rows: number; chars: number };
  try {
    const cold = performance.now();
    if (!(await fetch(`${server.url}/readyz`)).ok) throw new Error("/readyz failed");
    const coldReadyMs = performance.now() - cold;
    const items = parseEvalSet(readFileSync(evalFile, "utf8"));
    const ask = async (question: string) => {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/search?q=${encodeURIComponent(question)}&k=5`);
      await response.arrayBuffer();
      const http = performance.now() - started;
      const { ms, calls } = JSON.parse(response.headers.get("x-d1-timings") ?? '{"ms":0,"calls":[]}') as { ms: number; calls: Call[] };
      return { question, http, ms, calls };
    };
    for (const item of items) await ask(item.question);
    const searches: Array<Awaited<ReturnType<typeof ask>>> = [];
    for (let round = 0; round < rounds; round++) for (const item of items) searches.push(await ask(item.question));
    const summary = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { p50: +percentile(sorted, 50).toFixed(1), p95: +percentile(sorted, 95).toFixed(1), mean: +(values.reduce((a, b) => a + b, 0) / (values.length || 1)).toFixed(1) };
    };
    const stages = new Map<string, Call[]>();
    for (const { calls } of searches) for (const call of calls) stages.set(call.stage, [...(stages.get(call.stage) ?? []), call]);
    const n = searches.length;
    const perStage = Object.fromEntries(
      [...stages].map(([stage, calls]) => [
        stage,
        {
          callsPerSearch: +(calls.length / n).toFixed(2),
          ms: summary(calls.map((c) => c.ms)),
          sqlMsMean: +(calls.reduce((a, c) => a + (c.sqlMs ?? 0), 0) / calls.length).toFixed(1),
          rowsMean: Math.round(calls.reduce((a, c) => a + c.rows, 0) / calls.length),
          kCharsMean: +(calls.reduce((a, c) => a + c.chars, 0) / calls.length / 1000).toFixed(1),
        },
      ]),
    );
    const d1 = searches.map((s) => s.calls.reduce((a, c) => a + c.ms, 0));
    // --dump FILE: every search (question, HTTP and Worker time, its D1 calls), one JSON line each.
    if (dump) writeFileSync(dump, searches.map((s) => JSON.stringify(s)).join("\n") + "\n");
    console.log(
      JSON.stringify({
        passages: size,
        searches: n,
        coldReadyMs: +coldReadyMs.toFixed(0),
        httpMs: summary(searches.map((s) => s.http)),
        workerMs: summary(searches.map((s) => s.ms)),
        d1Ms: summary(d1),
        isolateOwnMs: summary(searches.map((s, i) => s.ms - d1[i]!)),
        perStage,
      }),
    );
  } finally {
    server.stop();
  }
}

const args = process.argv.slice(2);
if (args[0] === "--exact-child") {
  await exactChild(args[1]!, args[2]!);
} else if (args[0] === "--memory-child") {
  await memoryChild(args[1]!, args[2]!);
} else if (args[0] === "--profile") {
  await profileSearch(resolve(option(args, "work") ?? join(tmpdir(), "edu-bench-worker")), Number(args[1]), resolve(option(args, "eval") ?? join(ROOT, "test", "eval", "calibration.jsonl")));
} else if (args[0] === "--profile-worker") {
  await profileWorker(resolve(option(args, "work") ?? join(tmpdir(), "edu-bench-worker")), Number(args[1]), resolve(option(args, "eval") ?? join(ROOT, "test", "eval", "calibration.jsonl")), Number(option(args, "rounds") ?? 3), option(args, "dump"));
} else if (args[0] === "--dense-ablation") {
  await denseAblation(resolve(option(args, "work") ?? join(tmpdir(), "edu-bench-worker")), Number(args[1]), resolve(option(args, "eval") ?? join(ROOT, "test", "eval", "calibration.jsonl")));
} else if (args[0] === "--fts5-ablation") {
  await fts5Ablation(resolve(option(args, "work") ?? join(tmpdir(), "edu-bench-worker")), Number(args[1]), resolve(option(args, "eval") ?? join(ROOT, "test", "eval", "calibration.jsonl")));
} else {
  const sizes = (option(args, "sizes") ?? "1000,10000,100000").split(",").map(Number);
  const evalFile = resolve(option(args, "eval") ?? join(ROOT, "test", "eval", "calibration.jsonl"));
  const rounds = Number(option(args, "rounds") ?? 3);
  const root = resolve(option(args, "work") ?? join(tmpdir(), "edu-bench-worker"));
  const assetsDir = join(root, "assets");
  mkdirSync(root, { recursive: true });
  // Pages and the packed lexicon (the index in it is not used by the d1 back end).
  await buildWorkerAssets({ corpusDir: join(ROOT, "corpus"), outDir: assetsDir, workDir: join(root, "assets-work"), backend: "vectorize", log });
  const rows: SizeRow[] = [];
  for (const size of sizes) {
    const row = await measureSize(size, root, evalFile, rounds, assetsDir);
    rows.push(row);
    const f = (x: number) => x.toFixed(1);
    log(
      `${row.passages} passages: Recall@5 ${f(row.recall5 * 100)}% (Node ${f(row.nodeRecall5 * 100)}%), faithfulness ${f(row.faithfulness * 100)}% of ${row.grounded} grounded answers, search p95 ${f(row.searchP95Ms)} ms (first round ${f(row.searchFirstRoundP95Ms)} ms), chat p95 ${f(row.chatP95Ms)} ms, isolate ${f(row.isolateMB)} MB, cold /readyz ${f(row.coldReadyMs)} ms, /healthz p95 ${f(row.healthzP95Ms)} ms (floor), upload ${row.uploadSeconds === null ? "cached" : `${f(row.uploadSeconds)} s`}`,
    );
  }
  if (args.includes("--json")) console.log(JSON.stringify({ machine: "shared (2 cores, other jobs running)", evalFile, sizes: rows }));
}
