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
 * The distinct part also takes --client wrk (the load from wrk, a C program, instead of autocannon,
 * which runs in this Node process on the same cores as the server: see loadWrk; autocannon when wrk
 * is not installed), --modes 1,default (the servers, in this order: WEB_CONCURRENCY=1 and the
 * default; also 1-core, WEB_CONCURRENCY=1 pinned to one core with taskset — a node cluster was
 * measured once as a prototype and not merged: README › every core),
 * --rounds N (the modes N times over, alternating) and --warm-up N
 * (distinct questions answered before the measured run, none among the measured ones; default 1000). Every distinct
 * row gives the CPU the client and the server used (the server's processes and threads, from /proc),
 * how busy the whole machine was, and the load average before the run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
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
  /** Which load generator sent the requests. */
  client?: string;
  /** CPU seconds the load generator used during the run (user + system), and as a share of one core. */
  clientCpuS?: number;
  clientCorePct?: number;
  /** CPU the server's processes used per request (ms), and the share of every core the machine was busy. */
  serverCpuMsPerRequest?: number;
  serverCores?: number;
  machineBusyPct?: number;
  otherCorePct?: number;
  /** The one-minute load average just before the run. */
  load1?: number;
}

const { flags } = parseArgs(process.argv.slice(2));
const amount = Number(flags.get("amount") ?? 12000);
const connections = Number(flags.get("connections") ?? 50);
const json = flags.has("json");
const distinctCount = Number(flags.get("distinct") ?? 2000);
const onlyDistinct = flags.has("only-distinct");
const rounds = Number(flags.get("rounds") ?? 1);
const modes = String(flags.get("modes") ?? "1,default")
  .split(",")
  .map((m) => m.trim())
  .filter(Boolean);
const wrkPath = (() => {
  if (flags.get("client") !== "wrk") return undefined;
  const found = spawnSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" }).stdout.trim();
  if (!found) console.error("--client wrk: wrk is not installed (Debian/Ubuntu: apt-get install -y wrk); the distinct questions are sent with autocannon instead.");
  return found || undefined;
})();
const say = (line: string) => {
  if (!json) console.log(line);
};

const questions = ["test/eval/dev.jsonl", "test/eval/calibration.jsonl"].flatMap((file) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { question: string }).question),
);

/** Every eval question the distinct questions are phrased from. */
const evalQuestions = ["dev", "calibration", "everyday", "external", "official-paraphrases"].flatMap((name) => {
  try {
    return readFileSync(`test/eval/${name}.jsonl`, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { question: string }).question);
  } catch {
    return [];
  }
});

/** `count` distinct questions: every eval question, then the same in other phrasings, until enough. */
function distinctQuestions(count: number): string[] {
  const all = evalQuestions;
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

async function startServer(extraEnv: Record<string, string>, cpus?: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  // The same node flags as `npm start` (package.json): see README › Performance on heap growth.
  const args = ["--heap-growing-percent=50", "--expose-gc", "scripts/run-compiled.mjs", "start"];
  // Pinned to `cpus` (taskset, Linux): taskset execs node, so the child's pid is the server's.
  const child = spawn(cpus ? "taskset" : process.execPath, cpus ? ["-c", cpus, process.execPath, ...args] : args, {
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

/** The server's memory and event loop over one run: its RSS sampled every 500 ms until `finish`, which adds the end figures. */
async function watchServer(url: string): Promise<{ finish(): Promise<Pick<Row, "rssStartMB" | "rssEndMB" | "rssMaxMB" | "loopP99Ms" | "loopMaxMs">> }> {
  const rssStartMB = await rssMB(url);
  let rssMax = rssStartMB;
  const sampler = setInterval(() => {
    rssMB(url).then((v) => (rssMax = Math.max(rssMax, v)), () => {});
  }, 500);
  return {
    async finish() {
      clearInterval(sampler);
      const rssEndMB = await rssMB(url);
      const metricsText = await fetch(`${url}/metrics`).then((r) => r.text());
      const gauge = (name: string) => Math.round(Number(new RegExp(`^${name} (\\S+)`, "m").exec(metricsText)?.[1] ?? NaN) * 1000);
      return { rssStartMB, rssEndMB, rssMaxMB: Math.max(rssMax, rssEndMB), loopP99Ms: gauge("nodejs_eventloop_delay_p99_seconds"), loopMaxMs: gauge("nodejs_eventloop_delay_max_seconds") };
    },
  };
}

async function load(url: string, target: string, requests: autocannon.Request[], count = amount, serverPid?: number): Promise<Row> {
  const server = await watchServer(url);
  // The run ends on autocannon's next one-second tick after the last response, and its
  // requests.average is a mean of whole-second buckets: both would read 2,000 requests as 2000/n
  // (286, 333, 400 …). The rate here is requests over the time to the last response.
  const probe = cpuProbe(serverPid);
  // autocannon runs in this process: its CPU is this process's (the RSS sampler's fetches included).
  const ownCpu = process.cpuUsage();
  const started = performance.now();
  let lastResponse = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, amount: count, requests, timeout: 10 }, (error, done) => (error ? reject(error as Error) : resolve(done)));
    instance.on("response", () => {
      lastResponse = performance.now();
    });
  });
  const own = process.cpuUsage(ownCpu);
  // autocannon ends on its next one-second tick: the shares are of the time to the last response.
  const cpu = probe.stop(result.requests.total, (own.user + own.system) / 1e6, lastResponse);
  const watched = await server.finish();
  return {
    target,
    requests: result.requests.total,
    rps: Math.round(result.requests.total / ((lastResponse - started) / 1000)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    ...watched,
    ...(serverPid !== undefined ? { client: "autocannon", ...cpu } : {}),
  };
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times. */
const clockTicks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** The fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, [11] utime, [12] stime. */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // gone, or no /proc (not Linux)
  }
}

/** CPU seconds (user + system, every thread) of a process. */
function processCpuS(pid: number): number {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / clockTicks : 0;
}

/** CPU seconds of a process and all its descendants (npm, the server and its threads). */
function treeCpuS(root: number): number {
  const parents = new Map<number, number>();
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(name);
    if (fields) parents.set(Number(name), Number(fields[1]));
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents)
      if (!tree.has(pid) && tree.has(parent)) {
        tree.add(pid);
        grew = true;
      }
  }
  return [...tree].reduce((sum, pid) => sum + processCpuS(pid), 0);
}

/** Busy and total jiffies of every core together (/proc/stat). */
function machineTicks(): { busy: number; total: number } {
  try {
    const values = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    return { busy: total - values[3]! - values[4]!, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** CPU of the server (its process tree) and of the whole machine between start and stop. */
function cpuProbe(serverPid: number | undefined) {
  const server = serverPid === undefined ? 0 : treeCpuS(serverPid);
  const machine = machineTicks();
  const started = performance.now();
  return {
    /** `endedAt`: the last response (performance.now()), when the client noticed the end later. */
    stop(requests: number, clientCpuS: number, endedAt = performance.now()) {
      const seconds = (endedAt - started) / 1000;
      const nowMachine = machineTicks();
      const serverCpuS = serverPid === undefined ? 0 : treeCpuS(serverPid) - server;
      return {
        clientCpuS: Math.round(clientCpuS * 100) / 100,
        clientCorePct: Math.round((clientCpuS / seconds) * 100),
        serverCpuMsPerRequest: Math.round(((serverCpuS * 1000) / Math.max(1, requests)) * 100) / 100,
        // How many cores the server kept busy: above 1 with WEB_CONCURRENCY=1 too (V8 compiles and
        // collects garbage on threads of its own).
        serverCores: Math.round((serverCpuS / seconds) * 100) / 100,
        machineBusyPct: Math.round(((nowMachine.busy - machine.busy) / Math.max(1, nowMachine.total - machine.total)) * 100),
        // CPU of everything else on the machine (other users' work, this script's RSS sampler), % of one core.
        otherCorePct: Math.max(0, Math.round((((nowMachine.busy - machine.busy) / clockTicks - serverCpuS - clientCpuS) / seconds) * 100)),
      };
    },
  };
}

/**
 * The wrk script of the distinct questions: each of wrk's threads reads its share of the request
 * bodies (one JSON body a line), sends each once (the same POST /api/chat and content-type as
 * distinctRequests), counts non-2xx responses and, at its last response, prints "wrk-thread-done"
 * and stops; a connection that would send more sends nothing (wrk cannot leave a connection idle
 * otherwise, and a repeated question would be a cache hit). done() prints the counts and the
 * monotonic times of the first request and the last response (LuaJIT's ffi: wrk's own rate divides
 * by its whole -d duration).
 */
const wrkScript = (bodiesFile: string, threads: number) => `
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local threads = {}
local created = 0
function setup(thread)
  thread:set("slot", created)
  created = created + 1
  table.insert(threads, thread)
end

local queue = {}
sent, received, non2xx, first, last = 0, 0, 0, 0, 0
function init(args)
  local i = 0
  for line in io.lines(${JSON.stringify(bodiesFile)}) do
    if i % ${threads} == slot then
      queue[#queue + 1] = wrk.format("POST", "/api/chat", { ["content-type"] = "application/json" }, line)
    end
    i = i + 1
  end
  quota = #queue
  -- wrk calls request() once in its first thread's state, after init(), to check it: not a send.
  checking = slot == 0
end

function request()
  if checking then
    checking = false
    return queue[1]
  end
  sent = sent + 1
  if sent == 1 then first = now_us() end
  if sent > quota then return "" end
  return queue[sent]
end

function response(status, headers, body)
  received = received + 1
  last = now_us()
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if received == quota then
    io.write("wrk-thread-done\\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local r, n, f, l = 0, 0, nil, 0
  for _, t in ipairs(threads) do
    r = r + t:get("received")
    n = n + t:get("non2xx")
    local tf, tl = t:get("first"), t:get("last")
    if f == nil or tf < f then f = tf end
    if tl > l then l = tl end
  end
  local e = summary.errors
  io.write(string.format('wrk-result {"received":%d,"non2xx":%d,"firstUs":%d,"lastUs":%d,"p50Us":%d,"p99Us":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\\n',
    r, n, f or 0, l, latency:percentile(50), latency:percentile(99), e.connect, e.read, e.write, e.timeout))
end
`;

/** A latency of wrk's text output ("812.00us", "65.43ms", "1.20s") in ms. */
function wrkMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return NaN;
  const factor = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as "us" | "ms" | "s" | "m"];
  return Math.round(Number(m[1]) * factor * 100) / 100;
}

/**
 * The distinct questions sent by wrk (C, one thread: a fraction of the CPU autocannon takes from
 * the server on the same cores), each once over `connections` connections. The run lasts until the
 * last response, then wrk is interrupted and prints its latency distribution (--latency).
 */
async function loadWrk(url: string, target: string, list: string[], serverPid: number | undefined): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), "bench-wrk-"));
  const threads = 1;
  const bodies = join(dir, "bodies.txt");
  writeFileSync(bodies, list.map((question) => JSON.stringify({ question })).join("\n") + "\n");
  const script = join(dir, "distinct.lua");
  writeFileSync(script, wrkScript(bodies, threads));
  const server = await watchServer(url);
  const probe = cpuProbe(serverPid);
  let cpu: ReturnType<ReturnType<typeof cpuProbe>["stop"]> | undefined;
  const child = spawn(wrkPath!, ["-t", String(threads), "-c", String(connections), "-d", "600s", "--timeout", "10s", "--latency", "-s", script, url], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    out += chunk;
    if (!cpu && out.split("wrk-thread-done").length - 1 >= threads) {
      cpu = probe.stop(list.length, processCpuS(child.pid!));
      child.kill("SIGINT");
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const watched = await server.finish();
  rmSync(dir, { recursive: true, force: true });
  const resultLine = /^wrk-result (\{.*\})$/m.exec(out);
  if (!resultLine) throw new Error(`wrk exited (${code}) without a result:\n${out}`);
  const result = JSON.parse(resultLine[1]!) as { received: number; non2xx: number; firstUs: number; lastUs: number; p50Us: number; p99Us: number; connect: number; read: number; write: number; timeout: number };
  const percentile = (p: number) => wrkMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m").exec(out)?.[1] ?? "");
  return {
    target,
    requests: result.received,
    rps: Math.round(result.received / ((result.lastUs - result.firstUs) / 1e6)),
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    errors: result.connect + result.read + result.write + result.timeout,
    non2xx: result.non2xx,
    ...watched,
    client: "wrk",
    ...cpu,
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
// The warm-up sends `warmUpCount` questions, each once, none of them among `distinct` (other
// phrasings of the same eval questions): every one is answered, not served from the cache, so the
// answer path is compiled (V8's optimizing compiler) in every answering thread or process before
// the measured run. A warm-up of the 52 dev and calibration questions over and over is answered
// 52 times and then from the cache: the measured run then pays the answer path's compilation, once
// per answer thread (see README › every core).
const warmUpCount = Number(flags.get("warm-up") ?? 1000);
const warmUpQuestions = (() => {
  const measured = new Set(distinct);
  const prefixes = ["请教一下，", "您好，", "打扰一下，", "麻烦问下：", "咨询：", "我想问：", "问一下，", "领导好，"];
  const out = new Set<string>();
  for (const suffix of ["", "？请回复", "，多谢"]) for (const prefix of prefixes) for (const q of evalQuestions) if (out.size < warmUpCount && !measured.has(prefix + q + suffix)) out.add(prefix + q + suffix);
  return [...out];
})();
// "1-core": the one-thread server pinned to one core (V8's compiler and collector threads included),
// the baseline of per-core scaling: unpinned, WEB_CONCURRENCY=1 keeps ≈ 1.3 cores busy.
const modeEnv: Record<string, Record<string, string>> = { "1": { WEB_CONCURRENCY: "1" }, "1-core": { WEB_CONCURRENCY: "1" }, default: {} };
const modeLabel: Record<string, string> = { "1": "WEB_CONCURRENCY=1", "1-core": "WEB_CONCURRENCY=1 on one core", default: "WEB_CONCURRENCY default" };
for (const mode of modes) if (!modeEnv[mode]) throw new Error(`--modes: unknown mode ${mode} (${Object.keys(modeEnv).join(", ")})`);
const client = wrkPath ? "wrk" : "autocannon";
const distinctRows: Row[] = [];
for (let round = 0; round < rounds; round++)
  for (const mode of modes) {
    const server = await startServer(modeEnv[mode]!, mode === "1-core" ? "0" : undefined);
    try {
      await load(server.url, "warm-up", distinctRequests(warmUpQuestions), warmUpQuestions.length);
      const load1 = Math.round(loadavg()[0]! * 100) / 100;
      const target = `POST /api/chat ${distinct.length} distinct (${modeLabel[mode]}, ${client})`;
      const row = wrkPath ? await loadWrk(server.url, target, distinct, server.child.pid) : await load(server.url, target, distinctRequests(distinct), distinct.length, server.child.pid);
      distinctRows.push({ ...row, load1 });
      say(`  ${target}: ${row.rps} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, errors ${row.errors + row.non2xx}, client CPU ${row.clientCpuS} s (${row.clientCorePct} % of a core), server ${row.serverCpuMsPerRequest} ms CPU/request (${row.serverCores} cores busy), machine busy ${row.machineBusyPct} % (others ${row.otherCorePct} % of a core), load ${load1}`);
    } finally {
      server.child.kill("SIGTERM");
      await new Promise((r) => server.child.once("exit", r));
    }
  }

const pad = (v: unknown, n: number) => String(v).padStart(n);
const header = `${"target".padEnd(60)}${pad("requests", 9)}${pad("req/s", 8)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("errors", 8)}${pad("non-2xx", 8)}${pad("RSS MB start→end (max)", 26)}${pad("loop p99/max ms", 17)}`;
const cpuColumns = (r: Row) => (r.clientCpuS === undefined ? "" : `${pad(`${r.clientCpuS} s/${r.clientCorePct}%`, 16)}${pad(`${r.serverCpuMsPerRequest}/${r.serverCores}`, 18)}${pad(`${r.machineBusyPct}%`, 7)}${pad(`${r.otherCorePct}%`, 7)}${pad(r.load1 ?? "", 7)}`);
const line = (r: Row) => `${r.target.padEnd(60)}${pad(r.requests, 9)}${pad(r.rps, 8)}${pad(r.p50Ms, 8)}${pad(r.p99Ms, 8)}${pad(r.errors, 8)}${pad(r.non2xx, 8)}${pad(`${r.rssStartMB}→${r.rssEndMB} (${r.rssMaxMB})`, 26)}${pad(`${r.loopP99Ms}/${r.loopMaxMs}`, 17)}${cpuColumns(r)}`;
const distinctHeader = `${header}${pad("client CPU/core", 16)}${pad("srv ms/req/cores", 18)}${pad("busy", 7)}${pad("other", 7)}${pad("load1", 7)}`;
// Every core ÷ one: the first mode other than "1" against "1", medians over the rounds.
const medianRps = (mode: string) => {
  const values = distinctRows.filter((_, i) => modes[i % modes.length] === mode).map((r) => r.rps).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? NaN;
};
const other = modes.find((m) => m !== "1" && m !== "1-core") ?? "default";
const distinctSummary = {
  questions: distinct.length,
  client,
  modes,
  rounds,
  rows: distinctRows,
  allCoresOverOne: Math.round((medianRps(other) / medianRps("1")) * 100) / 100,
  ...(modes.includes("1-core") ? { allCoresOverOneCore: Math.round((medianRps(other) / medianRps("1-core")) * 100) / 100 } : {}),
};
if (onlyDistinct) {
  if (json) console.log(JSON.stringify({ connections, distinct: distinctSummary }));
  else {
    console.log(`\n${distinctHeader}`);
    for (const r of distinctRows) console.log(line(r));
    if (modes.includes("1-core") && modes.includes(other)) console.log(`distinct questions (${client}): ${modeLabel[other]} ÷ WEB_CONCURRENCY=1 on one core = ${distinctSummary.allCoresOverOneCore}×`);
    if (modes.includes("1") && modes.includes(other)) console.log(`\ndistinct questions (${client}): ${modeLabel[other]} ÷ WEB_CONCURRENCY=1 = ${distinctSummary.allCoresOverOne}× (median req/s of ${rounds} round${rounds === 1 ? "" : "s"})`);
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
  for (const r of rows) console.log(line(r));
  console.log(`\n${distinctHeader}`);
  for (const r of distinctRows) console.log(line(r));
  console.log(`\nchat ÷ hello-world: ${(summary.chatOverHello * 100).toFixed(1)}% (cache on), ${(summary.coldChatOverHello * 100).toFixed(1)}% (cache off)`);
  console.log(`distinct questions (${client}): ${modeLabel[other]} ÷ WEB_CONCURRENCY=1 = ${distinctSummary.allCoresOverOne}×`);
  const signed = (v: number) => `${v >= 0 ? "+" : ""}${v} MB`;
  console.log(`RSS: ${signed(summary.rssWarmupGrowthMB)} over the first chat run (heap sizing), ${signed(summary.rssDriftMB)} over the repeated run`);
}
