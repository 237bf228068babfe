import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/core/config.js";
import { buildWorkerAssets } from "../../src/node/worker-assets.js";
import { loadD1WorkerState } from "../../src/worker/d1-state.js";
import { deleteBuild } from "../../src/worker/d1-upload.js";
import { localIndexDb } from "../../scripts/deploy-index.js";
import { CORPUS_DIR } from "../helpers.js";

// `npm run deploy:index -- --local` as a process against wrangler's local D1 (a persist folder of
// its own): a first build goes live; a second upload killed (SIGKILL) in the middle leaves the first
// serving, whole; the next upload of the second build clears the half-written rows and switches.
const tmp = mkdtempSync(join(tmpdir(), "edu-d1-upload-"));
const assetsDir = join(tmp, "assets");
const indexDir = join(tmp, "index");
const persist = join(tmp, "wrangler-state");
const config = loadConfig({ RATE_LIMIT_PER_MIN: "0", LOG_LEVEL: "silent" });
const QUESTION = "2021年课后服务参与学生有多少，参与率是多少？";
let buildA: string;
const buildB = "29991231000000000-1";

/** Makes `id` the current build of indexDir: a copy of the built index under that build id. */
function stageBuild(id: string): void {
  const dir = join(indexDir, "builds", id);
  mkdirSync(dir, { recursive: true });
  for (const name of ["documents.json", "passages.json", "keyword.json", "knowledge.json", "vectors.sparse", "lexicon.bin", "manifest.json"]) cpSync(join(assetsDir, "index", name), join(dir, name));
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { buildId: string };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ ...manifest, buildId: id }));
  writeFileSync(join(indexDir, "current.json"), JSON.stringify({ build: id }));
}

/** Runs the deploy script; `killAt` SIGKILLs its process group once stderr shows that text. */
function deploy(killAt?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join("scripts", "deploy-index.ts"), "--local", `--persist-to=${persist}`, `--index-dir=${indexDir}`], {
      cwd: join(import.meta.dirname, "..", ".."),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      // The whole group: the script and the workerd that holds the local D1 open.
      if (killAt && stderr.includes(killAt) && child.pid) process.kill(-child.pid, "SIGKILL");
    });
    child.on("exit", (code, signal) => {
      if (killAt && child.pid) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // The group is gone already.
        }
      }
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function servedBy(): Promise<{ build: string; states: Record<string, string>; top: string[] }> {
  const { db, dispose } = await localIndexDb(persist);
  try {
    const state = await loadD1WorkerState({ db, config });
    const rows = (await db.prepare("SELECT build, state FROM index_builds").all<{ build: string; state: string }>()).results;
    const top = (await state.retriever.search(QUESTION, { k: 5 })).map((h) => h.passage.id);
    return { build: state.d1.build, states: Object.fromEntries(rows.map((r) => [r.build, r.state])), top };
  } finally {
    await dispose();
  }
}

beforeAll(async () => {
  await buildWorkerAssets({ corpusDir: CORPUS_DIR, outDir: assetsDir, workDir: join(tmp, "work"), backend: "bundled" });
  buildA = (JSON.parse(readFileSync(join(assetsDir, "index", "manifest.json"), "utf8")) as { buildId: string }).buildId;
}, 180_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("npm run deploy:index -- --local", () => {
  let first: Awaited<ReturnType<typeof servedBy>>;

  it("uploads the current build, verifies it and makes it live", async () => {
    stageBuild(buildA);
    const run = await deploy();
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split("\n").pop()!) as { build: string; rows: Record<string, number> };
    expect(report.build).toBe(buildA);
    expect(run.stderr).toMatch(/行数与校验和一致/);
    first = await servedBy();
    expect(first.build).toBe(buildA);
    expect(first.top.length).toBe(5);
  }, 120_000);

  it("killed in the middle of the next upload, leaves the previous build serving, whole", async () => {
    stageBuild(buildB);
    const run = await deploy("index_term_postings：");
    expect(run.signal).toBe("SIGKILL");
    const after = await servedBy();
    expect(after.build).toBe(buildA);
    expect(after.top).toEqual(first.top);
    expect(after.states[buildB]).toBe("uploading");
  }, 120_000);

  it("the next upload clears the half-written build, then switches; the previous build stays", async () => {
    const run = await deploy();
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split("\n").pop()!) as { build: string; previous: string; deleted: string[] };
    expect(report).toMatchObject({ build: buildB, previous: buildA });
    expect(report.deleted).toContain(buildB);
    const after = await servedBy();
    expect(after.build).toBe(buildB);
    expect(after.states).toEqual({ [buildA]: "live", [buildB]: "live" });
    expect(after.top).toEqual(first.top);
  }, 120_000);
});

describe("a database upgraded from the WITHOUT ROWID tables of d1-index-8 and before", () => {
  it("deletes an old build's rows from them with the build, and drops a table no build uses any more", async () => {
    const { db, dispose } = await localIndexDb(persist);
    try {
      const tables = async () => (await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('index_passages', 'index_terms', 'index_features')").all<{ name: string }>()).results.map((r) => r.name).sort();
      const served = (await db.prepare("SELECT build FROM index_serving").first<{ build: string }>())!.build;
      const servedRows = async () => (await db.prepare("SELECT count(*) AS n FROM index_passage_rows WHERE build = ?1").bind(served).first<{ n: number }>())!.n;
      const before = await servedRows();
      // The old layout, with the rows of two builds written by an older version.
      await db.batch([
        db.prepare("CREATE TABLE index_passages (build TEXT NOT NULL, label INTEGER NOT NULL, pid TEXT NOT NULL, doc TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (build, label)) WITHOUT ROWID"),
        db.prepare("CREATE TABLE index_terms (build TEXT NOT NULL, term TEXT NOT NULL, part INTEGER NOT NULL, df INTEGER NOT NULL, postings TEXT NOT NULL, PRIMARY KEY (build, term, part)) WITHOUT ROWID"),
        db.prepare("CREATE TABLE index_features (build TEXT NOT NULL, feature INTEGER NOT NULL, part INTEGER NOT NULL, postings TEXT NOT NULL, PRIMARY KEY (build, feature, part)) WITHOUT ROWID"),
        ...["20000101000000000-1", "20000102000000000-1"].flatMap((old) => [
          db.prepare("INSERT INTO index_builds (build, state, format, manifest, meta, created_at) VALUES (?1, 'live', 'd1-index-8', '{}', '{}', '2000-01-01')").bind(old),
          db.prepare("INSERT INTO index_passages VALUES (?1, 0, 'a#p000', 'a', '{}'), (?1, 1, 'a#p001', 'a', '{}')").bind(old),
          db.prepare("INSERT INTO index_terms VALUES (?1, '教育', 0, 2, 'AAAA')").bind(old),
          db.prepare("INSERT INTO index_features VALUES (?1, 7, 0, 'AAAA')").bind(old),
        ]),
      ]);
      const logged: string[] = [];
      await deleteBuild(db, "20000101000000000-1", (m) => logged.push(m));
      expect(await tables()).toEqual(["index_features", "index_passages", "index_terms"]);
      expect((await db.prepare("SELECT count(*) AS n FROM index_passages").first<{ n: number }>())!.n).toBe(2);
      await deleteBuild(db, "20000102000000000-1", (m) => logged.push(m));
      expect(await tables()).toEqual([]);
      expect(logged.filter((m) => m.includes("旧格式的空表"))).toHaveLength(3);
      expect((await db.prepare("SELECT build FROM index_builds WHERE build LIKE '2000%'").all()).results).toEqual([]);
      // The serving build, in the current tables, is untouched.
      expect(await servedRows()).toBe(before);
    } finally {
      await dispose();
    }
  }, 120_000);
});
