/**
 * `npm run bench:http`: load-tests the real server (a child process, embedded default, rate limit off)
 * with autocannon — a bare route (/healthz), /api/search and /api/chat — in one run, and prints
 * requests/s, p50/p99 latency, errors, the chat ÷ hello-world ratio and the server's RSS over the run.
 *
 * /api/chat rotates through every dev and calibration question. It is measured twice: against the
 * server as deployed (answer cache on: repeated questions are served from it, as on a real hotline),
 * and against a second server with ANSWER_CACHE_SIZE=0, where every request runs retrieval and
 * composition. Flags: --json, --amount N (requests per target, default 12000), --connections N.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import autocannon from "autocannon";
import { parseArgs } from "../src/node/cli/common.js";

interface Row {
  target: string;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  rssStartMB: number;
  rssEndMB: number;
  rssMaxMB: number;
}

const { flags } = parseArgs(process.argv.slice(2));
const amount = Number(flags.get("amount") ?? 12000);
const connections = Number(flags.get("connections") ?? 50);
const json = flags.has("json");
const say = (line: string) => {
  if (!json) console.log(line);
};

const questions = ["test/eval/dev.jsonl", "test/eval/calibration.jsonl"].flatMap((file) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { question: string }).question),
);
const searchTerms = ["课后服务", "学前教育 学位", "幼升小", "教师 培训", "校外培训机构", "2024年 新增", "学生资助", "普惠性幼儿园"];

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

async function startServer(extraEnv: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  // The same node flags as `npm start` (package.json): see README › Performance on heap growth.
  const child = spawn(process.execPath, ["--heap-growing-percent=50", "--import", "tsx", "src/node/cli/start.ts"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", RATE_LIMIT_PER_MIN: "0", LOG_LEVEL: "warn", WATCH_INDEX: "false", ...extraEnv },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) return { url, child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error("server did not become ready in 180 s");
}

async function rssMB(url: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  const bytes = Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? NaN);
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

async function load(url: string, target: string, requests: autocannon.Request[], count = amount): Promise<Row> {
  const rssStart = await rssMB(url);
  let rssMax = rssStart;
  const sampler = setInterval(() => {
    rssMB(url).then((v) => (rssMax = Math.max(rssMax, v)), () => {});
  }, 500);
  const result = await autocannon({ url, connections, amount: count, requests, timeout: 10 });
  clearInterval(sampler);
  const rssEnd = await rssMB(url);
  return {
    target,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rssStartMB: rssStart,
    rssEndMB: rssEnd,
    rssMaxMB: Math.max(rssMax, rssEnd),
  };
}

const chatRequests = (): autocannon.Request[] =>
  questions.map((question) => ({ method: "POST", path: "/api/chat", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) }));
const searchRequests = (): autocannon.Request[] =>
  searchTerms.map((q) => ({ method: "GET", path: `/api/search?q=${encodeURIComponent(q)}&k=5` }));

const rows: Row[] = [];
say(`Starting the server (embedded default, rate limit off) … ${questions.length} chat questions, ${amount} requests per target, ${connections} connections`);
const main = await startServer({});
try {
  // Warm-up: JIT, lazy tables and one pass through every question.
  await load(main.url, "warm-up", chatRequests(), Math.min(2000, amount));
  rows.push(await load(main.url, "hello-world GET /healthz", [{ method: "GET", path: "/healthz" }]));
  rows.push(await load(main.url, "GET /api/search", searchRequests()));
  rows.push(await load(main.url, "POST /api/chat (answer cache on)", chatRequests()));
  rows.push(await load(main.url, "POST /api/chat again (RSS drift)", chatRequests()));
} finally {
  main.child.kill("SIGTERM");
}
const cold = await startServer({ ANSWER_CACHE_SIZE: "0" });
try {
  await load(cold.url, "warm-up", chatRequests(), 500);
  rows.push(await load(cold.url, "POST /api/chat (cache off: every request answered)", chatRequests(), Math.min(amount, 4000)));
} finally {
  cold.child.kill("SIGTERM");
}

const hello = rows[0]!;
const chat = rows[2]!;
const summary = {
  connections,
  rows,
  chatOverHello: Math.round((chat.rps / hello.rps) * 1000) / 1000,
  coldChatOverHello: Math.round((rows[4]!.rps / hello.rps) * 1000) / 1000,
  // Growth over the repeated run, once the first 12,000 chat requests have sized the heap.
  rssDriftMB: Math.round((rows[3]!.rssEndMB - rows[2]!.rssEndMB) * 10) / 10,
  rssWarmupGrowthMB: Math.round((rows[2]!.rssEndMB - rows[2]!.rssStartMB) * 10) / 10,
};
if (json) console.log(JSON.stringify(summary));
else {
  const pad = (v: unknown, n: number) => String(v).padStart(n);
  console.log(`\n${"target".padEnd(52)}${pad("requests", 9)}${pad("req/s", 8)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("errors", 8)}${pad("non-2xx", 8)}${pad("RSS MB start→end (max)", 26)}`);
  for (const r of rows) {
    console.log(
      `${r.target.padEnd(52)}${pad(r.requests, 9)}${pad(r.rps, 8)}${pad(r.p50Ms, 8)}${pad(r.p99Ms, 8)}${pad(r.errors, 8)}${pad(r.non2xx, 8)}${pad(`${r.rssStartMB}→${r.rssEndMB} (${r.rssMaxMB})`, 26)}`,
    );
  }
  console.log(`\nchat ÷ hello-world: ${(summary.chatOverHello * 100).toFixed(1)}% (cache on), ${(summary.coldChatOverHello * 100).toFixed(1)}% (cache off)`);
  const signed = (v: number) => `${v >= 0 ? "+" : ""}${v} MB`;
  console.log(`RSS: ${signed(summary.rssWarmupGrowthMB)} over the first chat run (heap sizing), ${signed(summary.rssDriftMB)} over the repeated run`);
}
