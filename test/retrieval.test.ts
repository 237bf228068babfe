import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "../src/core/config.js";
import { evidenceRank, parseEvalSet, retrievalScores } from "../src/core/eval/eval-set.js";
import { HashingEmbeddings } from "../src/core/search/hashing-embeddings.js";
import { SparseVectorIndex, type SparseVector } from "../src/core/search/sparse-vector-index.js";
import { foldForMatching } from "../src/core/text/fold.js";
import { ingestCorpus } from "../src/node/ingest/build-index.js";
import { openIndex, type OpenedIndex } from "../src/node/open-index.js";
import { createNodeRuntime } from "../src/node/runtime.js";
import { CORPUS_DIR, FILES } from "./helpers.js";

const ROOT = join(import.meta.dirname, "..");
const DEV_SET = join(ROOT, "test", "eval", "dev.jsonl");
const DEPTH = 10;

let tmp: string;
let indexDir: string;
let opened: OpenedIndex;
let cli: ChildProcess | undefined;
let cliRun: Promise<{ code: number | null; stdout: string; stderr: string }> | undefined;

const CLI_QUESTION = "2021年课后服务参与学生有多少，参与率是多少？";

/** `npm run search -- --json "…"` against the temp index, in its own process group. */
function runSearchCli(question: string, corpus: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "search", "--", "--json", question], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, INDEX_DIR: indexDir, CORPUS_DIR: corpus, EMBEDDINGS_BASE_URL: "", EMBEDDINGS_MODEL: "" },
    });
    cli = child;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "edu-retrieval-"));
  const corpus = join(tmp, "corpus");
  indexDir = join(tmp, "index");
  mkdirSync(corpus);
  for (const file of readdirSync(CORPUS_DIR)) copyFileSync(join(CORPUS_DIR, file), join(corpus, file));
  const config = loadConfig({ CORPUS_DIR: corpus, INDEX_DIR: indexDir });
  const result = await ingestCorpus({ corpusDir: corpus, indexDir, runtime: await createNodeRuntime(config) });
  expect(result.skipped).toEqual([]);
  // The CLI's start-up takes seconds: it runs while the in-process tests do.
  cliRun = runSearchCli(CLI_QUESTION, corpus);
  cliRun.catch(() => undefined); // awaited (and reported) by its test
  opened = await openIndex(config);
}, 120_000);

afterAll(() => {
  // npm → sh → tsx → node: a run that outlived its test is killed with its whole process group.
  if (cli?.pid !== undefined && cli.exitCode === null && cli.signalCode === null) {
    try {
      process.kill(-cli.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const search = (question: string, options: Parameters<OpenedIndex["retriever"]["search"]>[1] = {}) => opened.retriever.search(question, options);

describe("retrieval on the real corpus", () => {
  it("meets Recall@5 ≥ 0.95 and MRR ≥ 0.85 on the dev set's questions with evidence", async () => {
    const items = parseEvalSet(readFileSync(DEV_SET, "utf8")).filter((item) => item.evidence.length > 0);
    expect(items.length).toBeGreaterThanOrEqual(20);
    const ranks: Array<number | null> = [];
    const misses: string[] = [];
    for (const item of items) {
      const hits = await search(item.question, { k: DEPTH });
      const rank = evidenceRank(
        hits.map((h) => h.passage),
        item.evidence,
      );
      ranks.push(rank);
      if (rank === null || rank > 5) misses.push(`${item.id} rank=${rank} ${item.question}`);
    }
    const scores = retrievalScores(ranks, DEPTH);
    expect(scores.questions).toBe(items.length);
    expect(scores.recallAt5, misses.join("\n")).toBeGreaterThanOrEqual(0.95);
    expect(scores.mrr, JSON.stringify(ranks)).toBeGreaterThanOrEqual(0.85);
  });

  it("finds a Simplified passage for a Traditional question", async () => {
    const [top] = await search("學校的校車是怎麼管理運行的？");
    expect(top?.doc.script).toBe("Hans");
    expect(top?.doc.file).toBe(FILES.speech);
    expect(top?.passage.text).toContain("政府主导、部门监管、国有公司运营");
  });

  it("finds a Traditional passage for a Simplified question", async () => {
    const [top] = await search("全国青少年校园足球特色学校现在有多少所？");
    expect(top?.doc.script).toBe("Hant");
    expect(top?.doc.file).toBe(FILES.summary2021);
    expect(top?.passage.text).toContain("全國青少年校園足球特色學校");
    expect(top?.passage.folded).toContain(foldForMatching("分別增加至231所、83所"));
  });

  it("year filter: only passages of documents from that year", async () => {
    const unfiltered = await search("新增公办园", { k: 10 });
    expect(unfiltered.some((h) => h.doc.year !== 2020)).toBe(true);
    for (const year of [2020, 2021, 2024]) {
      const hits = await search("新增公办园", { year, k: 10 });
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.map((h) => h.doc.year)).toEqual(hits.map(() => year));
    }
    // A year no document has: nothing, rather than passages from other years.
    expect(await search("新增公办园", { year: 2019 })).toEqual([]);
  });

  it("kind filter: only passages of documents of that kind", async () => {
    const speech = await search("课后服务", { kind: "讲话", k: 10 });
    expect(speech.length).toBeGreaterThan(0);
    expect(new Set(speech.map((h) => h.doc.kind))).toEqual(new Set(["讲话"]));
    expect(speech[0]?.passage.text).toContain("课后");

    const priorities = await search("课后服务", { kind: "工作要点", k: 10 });
    expect(priorities.length).toBeGreaterThan(0);
    expect(new Set(priorities.map((h) => h.doc.file))).toEqual(new Set([FILES.priorities2020]));

    const both = await search("课后服务", { kind: "工作总结", year: 2021, k: 10 });
    expect(both.length).toBeGreaterThan(0);
    expect(new Set(both.map((h) => h.doc.file))).toEqual(new Set([FILES.summary2021]));
  });

  it("ranks the 2024 document first for 新增公办园 when the question names 2024", async () => {
    const hits = await search("2024年新增了多少所公办幼儿园，提供多少公办学位？");
    expect(hits[0]?.doc.year).toBe(2024);
    expect(hits.slice(0, 3).map((h) => h.doc.year)).toEqual([2024, 2024, 2024]);
    const rank = hits.findIndex((h) => h.passage.text.includes("全市新增公办园22所"));
    expect(rank).toBeGreaterThanOrEqual(0);
    expect(rank).toBeLessThan(3);
  });

  it("a later document's passage that reports on the named year (the 2022 speech's 2021年,全市…) counts as of that year", async () => {
    const hits = await search("2021年新招的中小学老师有多少");
    const rank = hits.findIndex((h) => h.passage.text.includes("全市招聘中小学教师"));
    expect(hits[rank]?.doc.year).not.toBe(2021);
    expect(rank).toBeGreaterThanOrEqual(0);
    expect(rank).toBeLessThan(5);
  });

  it("vector leg: the default index is sparse postings, queried with the question's sparse features (exact cosine ranks)", async () => {
    const vectors = opened.index.vectors;
    expect(vectors).toBeInstanceOf(SparseVectorIndex);
    expect(opened.runtime.embeddings).toBeInstanceOf(HashingEmbeddings);
    const embedder = opened.runtime.embeddings as HashingEmbeddings;
    const rows = (vectors as SparseVectorIndex).rowVectors();
    const cosine = (a: SparseVector, b: SparseVector) => {
      let dot = 0;
      for (let i = 0, j = 0; i < a.ids.length && j < b.ids.length; ) {
        if (a.ids[i] === b.ids[j]) dot += a.weights[i++]! * b.weights[j++]!;
        else if (a.ids[i]! < b.ids[j]!) i++;
        else j++;
      }
      return dot;
    };
    let checked = 0;
    for (const question of ["孩子放学太早没人接，学校能多管一会儿吗？", "學校的校車是怎麼管理運行的？", "2024年新增了多少所公办幼儿园，提供多少公办学位？"]) {
      // The question's analysed terms (expansions at their weight) and its folded text.
      const analysis = opened.retriever.analyze(question);
      const query = embedder.sparseWeighted(analysis.weighted, analysis.folded);
      // Brute force over every passage: best first, ties to the lower label.
      const ranking = rows.map((row, label) => ({ label, similarity: cosine(query, row) })).sort((a, b) => b.similarity - a.similarity || a.label - b.label);
      const hits = await search(question, { k: 10 });
      const fromVectors = hits.filter((h) => h.signals.vectorRank !== undefined);
      expect(fromVectors.length, question).toBeGreaterThan(0);
      for (const hit of fromVectors) {
        const label = opened.index.passages.indexOf(hit.passage);
        expect(label).toBeGreaterThanOrEqual(0);
        // The similarity the retriever saw is the exact cosine of the question's and the passage's features…
        expect(Math.abs(hit.signals.similarity! - cosine(query, rows[label]!))).toBeLessThan(5e-6);
        // …and its vector rank is the passage's place in the exact ranking (float32 near-ties aside).
        const atRank = ranking[hit.signals.vectorRank! - 1]!;
        if (atRank.label !== label) expect(Math.abs(atRank.similarity - hit.signals.similarity!)).toBeLessThan(5e-6);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("`npm run search -- --json` prints exactly {results:[{passageId,docId,title,year,section,text,score}]}", async () => {
    const run = await cliRun!;
    expect(run.code, run.stderr).toBe(0);
    // npm itself echoes the script ("> edu-policy-assistant@… search" / "> tsx …"); the CLI prints one JSON line.
    const lines = run.stdout.split("\n").filter((l) => l.trim() && !l.startsWith("> "));
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as { results: Array<Record<string, unknown>> };
    expect(Object.keys(parsed)).toEqual(["results"]);
    expect(parsed.results).toHaveLength(5);
    for (const r of parsed.results) {
      expect(Object.keys(r).sort()).toEqual(["docId", "passageId", "score", "section", "text", "title", "year"]);
      expect(typeof r.passageId).toBe("string");
      expect(typeof r.docId).toBe("string");
      expect(typeof r.title).toBe("string");
      expect(r.year === null || typeof r.year === "number").toBe(true);
      expect(typeof r.section).toBe("string");
      expect(typeof r.text).toBe("string");
      expect(typeof r.score).toBe("number");
      const passage = opened.index.passages.find((p) => p.id === r.passageId);
      expect(passage?.docId).toBe(r.docId);
      expect(passage?.text).toBe(r.text);
      expect(opened.index.docById.get(r.docId as string)?.title).toBe(r.title);
    }
    const scores = parsed.results.map((r) => r.score as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    // The same results, in the same order, as the retriever in this process.
    const hits = await search(CLI_QUESTION);
    expect(parsed.results.map((r) => r.passageId)).toEqual(hits.map((h) => h.passage.id));
    expect(parsed.results[0]?.text).toEqual(expect.stringContaining("72.9%"));
  });
});
