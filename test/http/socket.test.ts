import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/core/config.js";
import { ingestCorpus } from "../../src/node/ingest/build-index.js";
import { openSqliteStore } from "../../src/node/store/open-sqlite-store.js";
import { createNodeRuntime } from "../../src/node/runtime.js";
import { startServer, type RunningServer } from "../../src/node/server.js";
import { startEarlyPool } from "../../src/node/answer-pool.js";
import { CORPUS_DIR } from "../helpers.js";
import { QUESTIONS, deferred, parseSse, postJson, type Deferred } from "./fixtures.js";

/** End to end over real sockets: startServer builds the index into an empty folder and serves it. */

const ADMIN_TOKEN = "socket-test-admin-token-0123456789";
let root: string;
let indexDir: string;
let dataDir: string;
let webDir: string;
let server: RunningServer;

/** Pages already "built" (newer than any source), so startServer does not bundle src/web here. */
function fakeWebDir(dir: string): string {
  mkdirSync(join(dir, "static"), { recursive: true });
  const future = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  for (const name of ["index.html", "console.html", "widget.js", "console.js", "static/console.css", "static/demo.css"]) {
    writeFileSync(join(dir, name), name.endsWith(".html") ? "<!doctype html><title>测试</title>" : "/* test */");
    utimesSync(join(dir, name), future, future);
  }
  return dir;
}

const configFor = (extra: Record<string, string> = {}) =>
  loadConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    INDEX_DIR: indexDir,
    DATA_DIR: dataDir,
    CORPUS_DIR,
    ADMIN_TOKEN,
    RATE_LIMIT_PER_MIN: "5",
    TRUST_PROXY: "x-test-client",
    WATCH_INDEX: "false",
    ...extra,
  });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "edu-http-socket-"));
  indexDir = join(root, "index");
  dataDir = join(root, "data");
  webDir = fakeWebDir(join(root, "web"));
  server = await startServer({ config: configFor(), logLevel: "silent", webDir });
});

afterAll(async () => {
  await server?.close(1000);
  rmSync(root, { recursive: true, force: true });
});

/** Each test is its own client (TRUST_PROXY names x-test-client), so the limit of 5 is per test. */
const as = (client: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), "x-test-client": client } });

describe("the Node server over a real socket", () => {
  it("builds the index on start, is ready, and answers a real question", async () => {
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { status: string; passages: number };
    expect(ready.status).toBe("ready");
    expect(ready.passages).toBeGreaterThan(50);
    const res = await fetch(`${server.url}/api/chat`, as("json", postJson({ question: QUESTIONS.afterSchool })));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(((await res.json()) as { answer: string }).answer).toContain("72.9%");
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
  });

  it("streams SSE as it goes: meta, deltas, done; the deltas concatenate to the JSON answer", async () => {
    const plain = (await (await fetch(`${server.url}/api/chat`, as("sse", postJson({ question: QUESTIONS.publicPlaces2024 })))).json()) as { answer: string };
    const res = await fetch(`${server.url}/api/chat`, as("sse", postJson({ question: QUESTIONS.publicPlaces2024 }, { accept: "text/event-stream" })));
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    let reads = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      reads++;
      text += value;
    }
    expect(reads).toBeGreaterThan(0);
    const events = parseSse(text);
    expect(events[0]!.event).toBe("meta");
    expect(events.at(-1)!.event).toBe("done");
    expect(events.slice(1, -1).every((e) => e.event === "delta")).toBe(true);
    const streamed = events.slice(1, -1).map((e) => (JSON.parse(e.data) as { text: string }).text).join("");
    expect(streamed).toBe(plain.answer);
    expect(streamed).toContain("5800");
  });

  it("limits by the socket address when the trusted header is absent: 429 with Retry-After", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${server.url}/api/chat`, postJson({ question: `课后服务${i}` }));
      statuses.push(res.status);
      retryAfter = res.headers.get("retry-after");
      await res.text();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Another client behind the trusted proxy is not affected.
    expect((await fetch(`${server.url}/api/chat`, as("someone-else", postJson({ question: QUESTIONS.afterSchool })))).status).toBe(200);
  });

  it("stores feedback in DATA_DIR before answering 201", async () => {
    const asked = (await (await fetch(`${server.url}/api/chat`, as("feedback", postJson({ question: "电话13812345678，课后服务参与率是多少？" })))).json()) as { answerId: string };
    const res = await fetch(`${server.url}/api/feedback`, as("feedback", postJson({ answerId: asked.answerId, rating: "up", comment: "身份证370202201501011234" })));
    expect(res.status).toBe(201);
    // The feedback is in the store (SQLite under DATA_DIR), masked; and the question is in the question log.
    const { store } = await openSqliteStore(dataDir);
    try {
      const last = (await store.listFeedback()).at(-1)!;
      expect(last).toMatchObject({ answerId: asked.answerId, rating: "up", question: "电话138******78，课后服务参与率是多少？", comment: "身份证370*************34" });
      const logged = (await store.listQuestions()).find((q) => q.answerId === asked.answerId);
      expect(logged).toMatchObject({ channel: "api", question: "电话138******78，课后服务参与率是多少？" });
    } finally {
      await store.close();
    }
  });

  it("logs a partial reply to a figure not stated as partial, with its reason, among the unanswered", async () => {
    const asked = (await (await fetch(`${server.url}/api/chat`, as("partial", postJson({ question: "幼儿园每个月学费多少钱？" })))).json()) as { answerId: string; grounded: boolean; partial?: boolean };
    expect(asked).toMatchObject({ grounded: true, partial: true });
    // The question log is written after the reply is sent: read it until the row is there (at most 5 s).
    const { store } = await openSqliteStore(dataDir);
    try {
      let logged: Awaited<ReturnType<typeof store.listQuestions>>[number] | undefined;
      for (let i = 0; i < 100 && !logged; i++) {
        logged = (await store.listQuestions()).find((q) => q.answerId === asked.answerId);
        if (!logged) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(logged).toMatchObject({ mode: "partial", grounded: true, refusal: "not-stated" });
    } finally {
      await store.close();
    }
  });

  it("QUESTION_LOG=off answers as usual and keeps no record of the question", async () => {
    const quietData = join(root, "data-quiet");
    const quiet = await startServer({ config: configFor({ DATA_DIR: quietData, QUESTION_LOG: "off" }), logLevel: "silent", webDir });
    try {
      const res = await fetch(`${quiet.url}/api/chat`, postJson({ question: QUESTIONS.afterSchool }));
      expect(res.status).toBe(200);
      expect(((await res.json()) as { grounded: boolean }).grounded).toBe(true);
    } finally {
      await quiet.close(1000);
    }
    const { store } = await openSqliteStore(quietData);
    try {
      expect(await store.listQuestions()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("POST /admin/reload after an ingest swaps in the new build", async () => {
    const before = ((await (await fetch(`${server.url}/readyz`)).json()) as { build: string }).build;
    await expectStatus(fetch(`${server.url}/admin/reload`, { method: "POST", headers: { authorization: "Bearer nope" } }), 401);
    const runtime = await createNodeRuntime(loadConfig({}));
    const ingested = await ingestCorpus({ corpusDir: CORPUS_DIR, indexDir, runtime });
    expect(ingested.manifest.buildId).not.toBe(before);
    const res = await fetch(`${server.url}/admin/reload`, { method: "POST", headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "reloaded", buildId: ingested.manifest.buildId });
    expect(((await (await fetch(`${server.url}/readyz`)).json()) as { build: string }).build).toBe(ingested.manifest.buildId);
    expect((await fetch(`${server.url}/api/chat`, as("reload", postJson({ question: QUESTIONS.afterSchool })))).status).toBe(200);
  });
});

async function expectStatus(response: Promise<Response>, status: number): Promise<void> {
  const res = await response;
  await res.text();
  expect(res.status).toBe(status);
}

describe("graceful shutdown over a real socket", () => {
  // A slow model service: the answer is in flight inside the server until the test releases it.
  let llm: Server;
  let llmCalled: Deferred;
  let llmRelease: Deferred;

  beforeAll(async () => {
    llmCalled = deferred();
    llmRelease = deferred();
    llm = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        llmCalled.resolve();
        void llmRelease.promise.then(() => {
          res.writeHead(200, { "content-type": "application/json" });
          // Not a usable answer: the server falls back to the extractive answer and says so in its logs.
          res.end(JSON.stringify({ id: "x", object: "chat.completion", created: 0, model: "stub", choices: [{ index: 0, message: { role: "assistant", content: "无法回答" }, finish_reason: "stop" }] }));
        });
      });
    });
    await new Promise<void>((resolve) => llm.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    llm.closeAllConnections();
    await new Promise<void>((resolve) => llm.close(() => resolve()));
  });

  it("a slow in-flight request completes after close() begins; new connections are refused; close resolves", async () => {
    const slow = await startServer({
      config: configFor({ LLM_BASE_URL: `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`, LLM_MODEL: "stub", LLM_TIMEOUT_MS: "20000" }),
      logLevel: "silent",
      webDir,
    });
    const inFlight = fetch(`${slow.url}/api/chat`, postJson({ question: QUESTIONS.afterSchool }));
    await llmCalled.promise;

    let closed = false;
    const closing = slow.close(10_000).then(() => (closed = true));
    // The listening socket is closed at once: a new connection is refused.
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(slow.port, "127.0.0.1");
      socket.on("connect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    expect(refused).toBe("ECONNREFUSED");
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false);

    llmRelease.resolve();
    const res = await inFlight;
    expect(res.status).toBe(200);
    const body = (await res.json()) as { answer: string; grounded: boolean };
    expect(body.answer).toContain("72.9%");
    await Promise.race([closing, new Promise((_, reject) => setTimeout(() => reject(new Error("close() did not resolve")), 5000))]);
    expect(closed).toBe(true);
  });
});

describe("WEB_CONCURRENCY=2: answers computed by two answer threads", () => {
  let pooled: RunningServer;
  beforeAll(async () => {
    pooled = await startServer({ config: configFor({ WEB_CONCURRENCY: "2", RATE_LIMIT_PER_MIN: "0", ANSWER_CACHE_SIZE: "0" }), logLevel: "silent", webDir });
  });
  afterAll(async () => {
    await pooled?.close(1000);
  });

  it("gives the main thread's answers for real questions, asked at once, and streams them the same way", async () => {
    const questions = [QUESTIONS.afterSchool, "2024年新增了多少公办学位？", "課後服務參與率是多少？", "今天天气怎么样？", "2021年全市新建、改扩建了多少所中小学和幼儿园？", "学生资助有哪些政策？"];
    // One client id per question: the in-process server rate-limits at 5 a minute per client.
    const ask = async (url: string, question: string) => {
      const body = (await (await fetch(`${url}/api/chat`, postJson({ question }, { "x-test-client": `pool-${questions.indexOf(question)}` }))).json()) as Record<string, unknown>;
      delete body.answerId;
      return body;
    };
    const threaded = await Promise.all(questions.map((q) => ask(pooled.url, q)));
    const inProcess = [];
    for (const q of questions) inProcess.push(await ask(server.url, q));
    expect(threaded).toEqual(inProcess);
    expect(threaded.filter((a) => a.grounded).length).toBeGreaterThanOrEqual(3);
    const events = parseSse(await (await fetch(`${pooled.url}/api/chat`, postJson({ question: QUESTIONS.afterSchool, stream: true }))).text());
    expect(events.map((e) => e.event)).toContain("done");
  });

  it("reloads in every thread: /admin/reload answers with the new build and the threads keep answering", async () => {
    const res = await fetch(`${pooled.url}/admin/reload`, { method: "POST", headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    const answers = await Promise.all([1, 2, 3, 4].map(() => fetch(`${pooled.url}/api/chat`, postJson({ question: QUESTIONS.afterSchool })).then((r) => r.status)));
    expect(answers).toEqual([200, 200, 200, 200]);
  });
});

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const free = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => free.once("listening", resolve));
  const port = (free.address() as AddressInfo).port;
  await new Promise((resolve) => free.close(resolve));
  return port;
}

describe("answer threads started ahead of the server (npm start)", () => {
  it("open the index when the server says it is current, then answer as the main thread does", async () => {
    const config = configFor({ WEB_CONCURRENCY: "2", RATE_LIMIT_PER_MIN: "0", ANSWER_CACHE_SIZE: "0" });
    const early = startEarlyPool(2, config);
    const ahead = await startServer({ config, logLevel: "silent", webDir, answerPool: early });
    try {
      const ask = async (url: string) => {
        const body = (await (await fetch(`${url}/api/chat`, postJson({ question: "2024年新增了多少公办学位？" }, { "x-test-client": "early-pool" }))).json()) as Record<string, unknown>;
        delete body.answerId;
        return body;
      };
      expect(await ask(ahead.url)).toEqual(await ask(server.url));
    } finally {
      await ahead.close(1000);
    }
  });

  it("listen while they open the index: /healthz 200, /readyz and /api/chat 503 NOT_READY, then ready", async () => {
    const port = await freePort();
    const config = configFor({ PORT: String(port), WEB_CONCURRENCY: "2", RATE_LIMIT_PER_MIN: "0" });
    const early = startEarlyPool(2, config);
    // The threads are held back until the test has seen the server answer while they open the index.
    const opening: Deferred<void> = deferred();
    const starting = startServer({ config, logLevel: "silent", webDir, answerPool: { ...early, pool: opening.promise.then(() => early.pool) } });
    const url = `http://127.0.0.1:${port}`;
    let healthz: Response | undefined;
    while (!(healthz = await fetch(`${url}/healthz`).catch(() => undefined))) await new Promise((r) => setTimeout(r, 10));
    expect(healthz.status).toBe(200);
    const readyz = await fetch(`${url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(((await readyz.json()) as { title: string }).title).toBe("NOT_READY");
    const chat = await fetch(`${url}/api/chat`, postJson({ question: "2024年新增了多少公办学位？" }));
    expect(chat.status).toBe(503);
    expect(((await chat.json()) as { title: string }).title).toBe("NOT_READY");
    opening.resolve();
    const ahead = await starting;
    try {
      expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({ status: "ready" });
      expect((await fetch(`${url}/api/chat`, postJson({ question: "2024年新增了多少公办学位？" }))).status).toBe(200);
    } finally {
      await ahead.close(1000);
    }
  });

  it("fail the start when a thread fails to open the index, and the socket is closed again", async () => {
    const port = await freePort();
    const config = configFor({ PORT: String(port), WEB_CONCURRENCY: "2" });
    const early = startEarlyPool(2, config);
    const failed = early.pool.then(async (pool) => {
      await pool.close();
      throw new Error("线程无法打开索引");
    });
    await expect(startServer({ config, logLevel: "silent", webDir, answerPool: { ...early, pool: failed } })).rejects.toThrow("线程无法打开索引");
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it("end when the start fails before the index is opened", async () => {
    const early = startEarlyPool(2, configFor({ WEB_CONCURRENCY: "2" }));
    early.abort(new Error("索引构建失败"));
    await expect(early.pool).rejects.toThrow("索引构建失败");
  });
});
