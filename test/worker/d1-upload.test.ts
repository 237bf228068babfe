import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/core/config.js";
import { buildWorkerAssets } from "../../src/node/worker-assets.js";
import { loadD1WorkerState } from "../../src/worker/d1-state.js";
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
    const run = await deploy("index_terms：");
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
