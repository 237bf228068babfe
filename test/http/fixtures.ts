import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context } from "hono";
import { expect } from "vitest";
import type { Answerer, AnswerResult } from "../../src/core/answer/answerer.js";
import type { Answer, AnswerTrace, ChatTurn } from "../../src/core/answer/types.js";
import { loadConfig, type Config } from "../../src/core/config.js";
import { createApp, type AppDeps, type ServingState } from "../../src/core/http/app.js";
import type { Logger } from "../../src/core/http/logger.js";
import { createAnswerer } from "../../src/node/answerer.js";
import { ingestCorpus } from "../../src/node/ingest/build-index.js";
import { loadWithRuntime, type OpenedIndex } from "../../src/node/open-index.js";
import { createNodeRuntime, type NodeRuntime } from "../../src/node/runtime.js";
import { CORPUS_DIR } from "../helpers.js";

/** A real index built from corpus/ into a private temporary folder (one per test file: forks pool). */
export interface TestIndex {
  dir: string;
  config: Config;
  runtime: NodeRuntime;
  opened: OpenedIndex;
  /** The real serving state: real index, retriever and extractive answerer. */
  state: ServingState;
  /** Re-ingests the corpus (a new build id) and returns the new real state. */
  reingest(): Promise<ServingState>;
  cleanup(): void;
}

export async function buildTestIndex(prefix = "edu-http-"): Promise<TestIndex> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const runtime = await createNodeRuntime(loadConfig({}));
  await ingestCorpus({ corpusDir: CORPUS_DIR, indexDir: dir, runtime });
  const config = loadConfig({ INDEX_DIR: dir, CORPUS_DIR });
  const stateOf = (opened: OpenedIndex): ServingState => ({ index: opened.index, retriever: opened.retriever, answerer: createAnswerer(opened, config) });
  const opened = loadWithRuntime(config, runtime);
  return {
    dir,
    config,
    runtime,
    opened,
    state: stateOf(opened),
    async reingest() {
      await ingestCorpus({ corpusDir: CORPUS_DIR, indexDir: dir, runtime });
      return stateOf(loadWithRuntime(config, runtime));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type ServiceConfig = AppDeps["config"];

/** The service settings with their documented defaults (loadConfig({})), overridable per test. */
export function serviceConfig(overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  const { RATE_LIMIT_PER_MIN, TRUST_PROXY, ALLOWED_ORIGINS, ADMIN_TOKEN, REQUEST_TIMEOUT_MS, MAX_CONCURRENT_ANSWERS, ANSWER_CACHE_SIZE } = loadConfig({});
  return { RATE_LIMIT_PER_MIN, TRUST_PROXY, ALLOWED_ORIGINS, ADMIN_TOKEN, REQUEST_TIMEOUT_MS, MAX_CONCURRENT_ANSWERS, ANSWER_CACHE_SIZE, ...overrides };
}

/** The bindings app.request passes as `c.env` in these tests: the socket peer the adapter would report. */
export interface TestEnv {
  ip?: string;
}

/** createApp with the test's peer address read from the request's env (app.request's third argument). */
export function testApp(deps: Omit<AppDeps, "config" | "clientIp"> & { config?: Partial<ServiceConfig> }) {
  const { config, ...rest } = deps;
  return createApp({ ...rest, config: serviceConfig(config), clientIp: (c: Context) => (c.env as TestEnv | undefined)?.ip });
}

/** A JSON POST init. */
export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) };
}

/** Answer shape for fake answerers (failure injection only; answer quality is asserted on the real one). */
export function fakeAnswer(text = "测试回答，第一句。第二句[1]。\n来源：[1] 测试", extra: Partial<Answer> = {}): Answer {
  return { answer: text, grounded: true, citations: [], mode: "extractive", script: "Hans", ...extra };
}

export interface FakeAnswerer {
  answerer: Answerer;
  calls: Array<{ question: string; history: ChatTurn[]; signal: AbortSignal | undefined }>;
}

/** An answerer object whose `answer` runs `impl`; records every call with its signal. */
export function fakeAnswerer(impl: (question: string, history: ChatTurn[], signal: AbortSignal | undefined) => Promise<AnswerResult> | AnswerResult): FakeAnswerer {
  const calls: FakeAnswerer["calls"] = [];
  const answerer = {
    answer: async (question: string, history: ChatTurn[] = [], options: { signal?: AbortSignal } = {}) => {
      calls.push({ question, history, signal: options.signal });
      return impl(question, history, options.signal);
    },
  } as unknown as Answerer;
  return { answerer, calls };
}

export const trace = (extra: Partial<AnswerTrace> = {}): AnswerTrace => ({ rewrittenQuestion: "", confidence: 0.9, removedFigures: [], ...extra });

/** Resolves when the signal aborts (with its reason), for fakes that wait on their AbortSignal. */
export function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
  });
}

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
}
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  message: string | undefined;
  fields: Record<string, unknown>;
}

/** A Logger that records every line with its child bindings merged in. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const make = (bindings: object): Logger => {
    const write = (level: LogLine["level"]) => (fields: object, message?: string) => lines.push({ level, message, fields: { ...bindings, ...fields } });
    return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error"), child: (more) => make({ ...bindings, ...more }) };
  };
  return { logger: make({}), lines };
}

export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** Parses a complete text/event-stream body into its events. */
export function parseSse(body: string): SseEvent[] {
  return body
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim())
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      return { event, data: data.join("\n") };
    });
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
}

const HAN = /[\u3400-\u9fff]/;
/** Things that must never reach a client: stack frames, file paths, error class names. */
export const LEAK = /\bat [\w.<>]+ \(|\/work\/|\/home\/|\/tmp\/|node_modules|\.ts:\d|\.js:\d|TypeError|ReferenceError|SyntaxError|RangeError|URIError|Error:/;

/** Asserts a problem+json response with a Chinese detail and nothing internal in it. */
export async function expectProblem(res: Response, status: number, code?: string): Promise<ProblemBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as ProblemBody;
  expect(body.status).toBe(status);
  if (code) expect(body.title).toBe(code);
  expect(body.detail).toMatch(HAN);
  expect(text).not.toMatch(LEAK);
  return body;
}

export const QUESTIONS = {
  /** dev02: 62.7万人 and 72.9% are in the 2021 summary. */
  afterSchool: "课后服务参与率是多少？",
  /** dev04: 5800 public places in the 2024 summary. */
  publicPlaces2024: "2024年新增了多少公办学位？",
  /** dev15, written in Traditional characters (the answer quotes 政府主导、部门监管、国有公司运营). */
  traditional: "學校的校車是怎麼管理運行的？",
  offTopic: "给我写一首关于春天的诗",
} as const;

/** Deterministic PRNG (mulberry32): the same seed gives the same test inputs on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
