/**
 * `npm run bench:startup`: what a person at a terminal waits for, and what the idle server holds.
 * With an existing index (INDEX_DIR, built first if missing) it prints:
 *   - the ready time of `npm start` (spawn → first `/readyz` 200), median of --runs starts;
 *   - the wall time of `npm run search -- "…"` and `npm run ask -- "…"`, median of --runs runs;
 *   - the RSS of every serving process when idle, and after 100 distinct questions.
 * Flags: --runs N (default 3), --json.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { parseArgs } from "../src/node/cli/common.js";

const { flags } = parseArgs(process.argv.slice(2));
const runs = Number(flags.get("runs") ?? 3);
const json = flags.has("json");
const say = (line: string) => {
  if (!json) console.log(line);
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (v: number, digits = 0) => Math.round(v * 10 ** digits) / 10 ** digits;

const questions = ["test/eval/dev.jsonl", "test/eval/calibration.jsonl"].flatMap((file) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { question: string }).question),
);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** RSS in MB of every process in the tree under `pid` that runs node (npm's own shell excluded). */
function nodeRssMB(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      const name = /^Name:\s+(\S+)/m.exec(status)?.[1];
      const rss = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      // npm itself is a node process too: count only the server's processes (npm has no listener).
      if (name === "node" && !readFileSync(`/proc/${p}/cmdline`, "utf8").includes("npm-cli")) out.push(round(rss / 1024, 1));
    } catch {
      // gone
    }
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return out;
}

interface StartRun {
  readyMs: number;
  idleRssMB: number[];
  afterRssMB: number[];
}

async function startOnce(measureMemory: boolean): Promise<StartRun> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn("npm", ["start", "--silent"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", RATE_LIMIT_PER_MIN: "0", LOG_LEVEL: "warn", WATCH_INDEX: "false" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  try {
    let readyMs = NaN;
    while (performance.now() - started < 120_000) {
      if (child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode}`);
      if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) {
        readyMs = performance.now() - started;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    if (Number.isNaN(readyMs)) throw new Error("the server did not become ready in 120 s");
    if (!measureMemory) return { readyMs, idleRssMB: [], afterRssMB: [] };
    await new Promise((r) => setTimeout(r, 1000));
    const idleRssMB = nodeRssMB(child.pid!);
    // 100 distinct questions, a few at a time, as a hotline's first minutes.
    const hundred = Array.from({ length: 100 }, (_, i) => `${questions[i % questions.length]!}${i >= questions.length ? `（第${i}问）` : ""}`);
    for (let i = 0; i < hundred.length; i += 4) {
      await Promise.all(
        hundred.slice(i, i + 4).map((question) =>
          fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) }).then((r) => {
            if (!r.ok) throw new Error(`/api/chat answered ${r.status}`);
            return r.text();
          }),
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 500));
    return { readyMs, idleRssMB, afterRssMB: nodeRssMB(child.pid!) };
  } finally {
    // The whole group: npm, its shell and the server (and its workers).
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => child.once("exit", r));
  }
}

function cliWall(script: "search" | "ask", question: string): number {
  const started = performance.now();
  const result = spawnSync("npm", ["run", "--silent", script, "--", question], { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`npm run ${script} failed: ${result.stderr.toString()}`);
  return ms;
}

// Builds the index if missing (and anything `prestart` builds) outside the timed runs.
say("Preparing: one untimed start (builds what is missing) …");
await startOnce(false);

const starts: StartRun[] = [];
for (let i = 0; i < runs; i++) starts.push(await startOnce(i === 0));
const searchMs = Array.from({ length: runs }, () => cliWall("search", "课后服务参与率是多少"));
const askMs = Array.from({ length: runs }, () => cliWall("ask", "2024年新增了多少公办学位？"));

const summary = {
  runs,
  readyMs: round(median(starts.map((s) => s.readyMs))),
  searchWallMs: round(median(searchMs)),
  askWallMs: round(median(askMs)),
  idleRssMB: starts[0]!.idleRssMB,
  rssAfter100QuestionsMB: starts[0]!.afterRssMB,
};
if (json) console.log(JSON.stringify(summary));
else {
  console.log(`\nnpm start → /readyz 200     ${summary.readyMs} ms (median of ${runs}: ${starts.map((s) => round(s.readyMs)).join(", ")})`);
  console.log(`npm run search -- "…"        ${summary.searchWallMs} ms wall (median of ${runs}: ${searchMs.map((v) => round(v)).join(", ")})`);
  console.log(`npm run ask -- "…"           ${summary.askWallMs} ms wall (median of ${runs}: ${askMs.map((v) => round(v)).join(", ")})`);
  console.log(`RSS per serving process      idle ${summary.idleRssMB.join(" + ")} MB; after 100 questions ${summary.rssAfter100QuestionsMB.join(" + ")} MB`);
}
