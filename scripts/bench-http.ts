/**
 * `npm run bench:http`: load-tests the real server (a child process, embedded default, rate limit off)
 * with autocannon — a bare route (/healthz), /api/search and /api/chat — in one run, and prints
 * requests/s, p50/p99 latency, errors, the chat ÷ hello-world ratio and the server's RSS over the run.
 *
 * /api/chat rotates through every dev and calibration question. It is measured twice: against the
 * server as deployed (answer cache on: repeated questions are served from it, as on a real hotline),
 * and against a second server with ANSWER_CACHE_SIZE=0, where every request runs retrieval and
 * composition. Then 2,000 distinct questions (eval questions in the phrasings citizens use: 请问…,
 * …谢谢, a place or a year added) — what a hotline really receives, every one a cache miss — are sent
 * at the same concurrency to a server with WEB_CONCURRENCY=1 and to one with the default (every
 * core), in the same run, printing p50/p99 and req/s for each.
 * With --logging, only that: 2,000 distinct questions against a server with the question log on
 * (as deployed) and one with QUESTION_LOG=off, alternating three times, printing the ratio of the
 * median p99s.
 * Flags: --json, --amount N (requests per target, default 12000), --connections N, --distinct N
 * (default 2000), --only-distinct, --logging.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  /** The main thread's event-loop delay since the server started (p99 / max, ms): time a ready request waited for it. */
  loopP99Ms: number;
  loopMaxMs: number;
}

const { flags } = parseArgs(process.argv.slice(2));
const amount = Number(flags.get("amount") ?? 12000);
const connections = Number(flags.get("connections") ?? 50);
const json = flags.has("json");
const distinctCount = Number(flags.get("distinct") ?? 2000);
const onlyDistinct = flags.has("only-distinct");
const say = (line: string) => {
  if (!json) console.log(line);
};

const questions = ["test/eval/dev.jsonl", "test/eval/calibration.jsonl"].flatMap((file) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { question: string }).question),
);

/** `count` distinct questions: every eval question, then the same in other phrasings, until enough. */
function distinctQuestions(count: number): string[] {
  const all = ["dev", "calibration", "everyday", "external", "official-paraphrases"].flatMap((name) => {
    try {
      return readFileSync(`test/eval/${name}.jsonl`, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => (JSON.parse(l) as { question: string }).question);
    } catch {
      return [];
    }
  });
  const phrasings = [(q: string) => q, (q: string) => `请问${q}`, (q: string) => `${q}谢谢`, (q: string) => `你好，${q}`, (q: string) => `青岛${q}`, (q: string) => `想咨询一下：${q}`, (q: string) => `${q}麻烦告诉我`, (q: string) => `老师您好，${q}`];
  const out = new Set<string>();
  for (const phrase of phrasings) for (const q of all) if (out.size < count) out.add(phrase(q));
  return [...out];
}
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
  const child = spawn(process.execPath, ["--heap-growing-percent=50", "--expose-gc", "scripts/run-compiled.mjs", "start"], {
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

/** The largest resident set of the server's processes (each worker's, with WEB_CONCURRENCY > 1). */
async function rssMB(url: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  const values = [...text.matchAll(/^process_resident_memory_bytes(?:\{[^}]*\})? (\d+)/gm)].map((m) => Number(m[1]));
  return Math.round((Math.max(...values) / 1024 / 1024) * 10) / 10;
}

async function load(url: string, target: string, requests: autocannon.Request[], count = amount): Promise<Row> {
  const rssStart = await rssMB(url);
  let rssMax = rssStart;
  const sampler = setInterval(() => {
    rssMB(url).then((v) => (rssMax = Math.max(rssMax, v)), () => {});
  }, 500);
  // The run ends on autocannon's next one-second tick after the last response, and its
  // requests.average is a mean of whole-second buckets: both would read 2,000 requests as 2000/n
  // (286, 333, 400 …). The rate here is requests over the time to the last response.
  const started = performance.now();
  let lastResponse = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, amount: count, requests, timeout: 10 }, (error, done) => (error ? reject(error as Error) : resolve(done)));
    instance.on("response", () => {
      lastResponse = performance.now();
    });
  });
  clearInterval(sampler);
  const rssEnd = await rssMB(url);
  const metricsText = await fetch(`${url}/metrics`).then((r) => r.text());
  const gauge = (name: string) => Math.round(Number(new RegExp(`^${name} (\\S+)`, "m").exec(metricsText)?.[1] ?? NaN) * 1000);
  return {
    target,
    requests: result.requests.total,
    rps: Math.round(result.requests.total / ((lastResponse - started) / 1000)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rssStartMB: rssStart,
    rssEndMB: rssEnd,
    rssMaxMB: Math.max(rssMax, rssEnd),
    loopP99Ms: gauge("nodejs_eventloop_delay_p99_seconds"),
    loopMaxMs: gauge("nodejs_eventloop_delay_max_seconds"),
  };
}

const chatRequests = (): autocannon.Request[] =>
  questions.map((question) => ({ method: "POST", path: "/api/chat", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) }));
/** One request object whose body takes the next question of `list` each time: every connection sends different ones. */
const distinctRequests = (list: string[]): autocannon.Request[] => {
  let next = 0;
  return [
    {
      method: "POST",
      path: "/api/chat",
      headers: { "content-type": "application/json" },
      setupRequest: (request) => ({ ...request, body: JSON.stringify({ question: list[next++ % list.length] }) }),
    },
  ];
};
const searchRequests = (): autocannon.Request[] =>
  searchTerms.map((q) => ({ method: "GET", path: `/api/search?q=${encodeURIComponent(q)}&k=5` }));

const rows: Row[] = [];
const distinct = distinctQuestions(distinctCount);
if (!onlyDistinct) {
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
}

if (flags.has("logging")) {
  // Question log on vs off, same questions, alternating so that drift in machine load hits both.
  const rowsByMode: Record<string, Row[]> = { on: [], off: [] };
  for (const mode of ["on", "off", "on", "off", "on", "off"]) {
    const dataDir = join(tmpdir(), `edu-bench-log-${process.pid}-${mode}`);
    const server = await startServer({ QUESTION_LOG: mode, DATA_DIR: dataDir });
    try {
      await load(server.url, "warm-up", chatRequests(), 1000);
      rowsByMode[mode]!.push(await load(server.url, `POST /api/chat ${distinct.length} distinct (QUESTION_LOG=${mode})`, distinctRequests(distinct), distinct.length));
    } finally {
      server.child.kill("SIGTERM");
      await new Promise((r) => server.child.once("exit", r));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const median = (rows: Row[]) => rows.map((r) => r.p99Ms).sort((a, b) => a - b)[Math.floor(rows.length / 2)]!;
  const ratio = Math.round((median(rowsByMode.on!) / median(rowsByMode.off!)) * 100) / 100;
  if (json) console.log(JSON.stringify({ connections, logging: { on: rowsByMode.on, off: rowsByMode.off, p99OnOverOff: ratio } }));
  else {
    for (const r of [...rowsByMode.on!, ...rowsByMode.off!]) console.log(`${r.target}: ${r.rps} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, errors ${r.errors}`);
    console.log(`\nchat p99 with the question log on ÷ off (median of three runs each): ${ratio}×`);
  }
  process.exit(0);
}

// Distinct questions: a warm-up on other questions, then every one of `distinct` once, per server.
const distinctRows: Row[] = [];
for (const concurrency of ["1", ""]) {
  const server = await startServer(concurrency ? { WEB_CONCURRENCY: concurrency } : {});
  try {
    await load(server.url, "warm-up", chatRequests(), 1000);
    const label = concurrency ? "WEB_CONCURRENCY=1" : `WEB_CONCURRENCY default`;
    distinctRows.push(await load(server.url, `POST /api/chat ${distinct.length} distinct (${label})`, distinctRequests(distinct), distinct.length));
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((r) => server.child.once("exit", r));
  }
}

const pad = (v: unknown, n: number) => String(v).padStart(n);
const header = `${"target".padEnd(60)}${pad("requests", 9)}${pad("req/s", 8)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("errors", 8)}${pad("non-2xx", 8)}${pad("RSS MB start→end (max)", 26)}${pad("loop p99/max ms", 17)}`;
const line = (r: Row) => `${r.target.padEnd(60)}${pad(r.requests, 9)}${pad(r.rps, 8)}${pad(r.p50Ms, 8)}${pad(r.p99Ms, 8)}${pad(r.errors, 8)}${pad(r.non2xx, 8)}${pad(`${r.rssStartMB}→${r.rssEndMB} (${r.rssMaxMB})`, 26)}${pad(`${r.loopP99Ms}/${r.loopMaxMs}`, 17)}`;
const [one, all] = distinctRows as [Row, Row];
const distinctSummary = { questions: distinct.length, rows: distinctRows, allCoresOverOne: Math.round((all.rps / one.rps) * 100) / 100 };
if (onlyDistinct) {
  if (json) console.log(JSON.stringify({ connections, distinct: distinctSummary }));
  else {
    console.log(`\n${header}`);
    for (const r of distinctRows) console.log(line(r));
    console.log(`\ndistinct questions: every core ÷ one = ${distinctSummary.allCoresOverOne}×`);
  }
  process.exit(0);
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
  distinct: distinctSummary,
};
if (json) console.log(JSON.stringify(summary));
else {
  console.log(`\n${header}`);
  for (const r of [...rows, ...distinctRows]) console.log(line(r));
  console.log(`\nchat ÷ hello-world: ${(summary.chatOverHello * 100).toFixed(1)}% (cache on), ${(summary.coldChatOverHello * 100).toFixed(1)}% (cache off)`);
  console.log(`distinct questions: every core ÷ one = ${distinctSummary.allCoresOverOne}×`);
  const signed = (v: number) => `${v >= 0 ? "+" : ""}${v} MB`;
  console.log(`RSS: ${signed(summary.rssWarmupGrowthMB)} over the first chat run (heap sizing), ${signed(summary.rssDriftMB)} over the repeated run`);
}
