import { watch, type FSWatcher } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Server } from "node:http";
import type { Config } from "../core/config.js";
import { createApp, type ServingState } from "../core/http/app.js";
import type { Logger } from "../core/http/logger.js";
import { ServiceMetrics } from "../core/http/metrics.js";
import { AnswerPool, type EarlyPool } from "./answer-pool.js";
import { assetFolder } from "./asset-folder.js";
import type { Context, MiddlewareHandler } from "hono";
import type { HttpEnv } from "../core/http/deps.js";
import { curatedRoutes } from "../core/http/routes/curated.js";
import { reportRoutes } from "../core/http/routes/report.js";
import { liveCuratedSource } from "../core/store/curated-source.js";
import { openSqliteStore } from "./store/open-sqlite-store.js";
import { scheduleRetention } from "./store/retention.js";
import { currentBuildDir } from "./index-store.js";
import { createNodeLogger } from "./logger.js";
import { shouldWarmUp, warmUp } from "./warm-up.js";
import { loadShared, loadWithRuntime, prepareIndex, type OpenedIndex } from "./open-index.js";
import { ensureWebAssets } from "./web-assets.js";
import { collectGarbage } from "./collect-garbage.js";
import { createError } from "../core/errors.js";
// Type only: the module itself loads when there are no answer threads (its LLM client is large).
import type * as InProcessAnswerer from "./answerer.js";

/** Heap used after the index is loaded above which start-up collects the load's garbage (bytes). */
const LOAD_GARBAGE_WORTH_COLLECTING = 64 * 1024 * 1024;

export interface RunningServer {
  url: string;
  port: number;
  /** Loads the newest index and swaps it in; in-flight requests finish on the old one. */
  reload(trigger?: string): Promise<{ buildId: string; passages: number }>;
  /** Graceful stop: refuse new work, let in-flight requests finish (up to `graceMs`), close. */
  close(graceMs?: number): Promise<void>;
  logger: Logger;
}

export interface StartOptions {
  config: Config;
  /** Overrides LOG_LEVEL (tests pass "silent"). */
  logLevel?: string;
  logger?: Logger;
  /** Folder of the built pages and widget (default dist/web, built if missing or stale). */
  webDir?: string;
  /** Answer threads already started (npm start starts them before this module loads); opened here once the index is current. */
  answerPool?: EarlyPool;
}

/**
 * The Node server: builds the index if missing or stale, loads it, serves the app on HOST:PORT,
 * re-loads the index on SIGHUP-equivalent calls, admin requests or a change of index/current.json.
 * It listens once the index is loaded and resolves once it is served (/readyz 200); in between,
 * while the answer threads open the index, /readyz and the API answer NOT_READY.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger ?? createNodeLogger(options.logLevel ?? config.LOG_LEVEL);
  const early = options.answerPool;
  // The pages' staleness check (stats of src/web, the build only when stale) runs while the index
  // is checked and loaded; the pages are awaited before the app is built, as before.
  const webBuilt = ensureWebAssets(options.webDir ?? "dist/web").then(
    (dir) => ({ dir }),
    (error: unknown) => ({ dir: options.webDir ?? "dist/web", error }),
  );
  // The index is built here if missing or stale, before any thread reads it.
  // WEB_CONCURRENCY > 1: uncached answers are computed by that many threads (every core), the main
  // thread keeps HTTP, limits, cache and metrics. Otherwise the main thread answers, and only then
  // loads the answerer's modules (the LLM client among them).
  // The store (staff, curated answers, question log, feedback) opens before the answer threads open
  // the index; they read curated answers through connections of their own.
  let runtime: Awaited<ReturnType<typeof prepareIndex>>;
  let opening: Awaited<ReturnType<typeof openSqliteStore>>;
  try {
    runtime = await prepareIndex(config, { buildIfNeeded: true, log: (message) => logger.info({}, message) });
    opening = await openSqliteStore(config.DATA_DIR);
  } catch (error) {
    early?.abort(error);
    throw error;
  }
  const { store, feedbackImport } = opening;
  // A curated write on this server moves the generation: the answer cache's key and every
  // answerer's curated list follow it at once.
  let curatedGeneration = 0;
  const generation = () => String(curatedGeneration);
  const threads = config.WEB_CONCURRENCY ?? 1;
  // With answer threads, this thread loads the index into shared memory and the threads open it
  // from there (src/node/shared-index.ts: one copy, not one per thread); they open and warm up
  // while this thread builds the pages.
  const pooled = early !== undefined || threads > 1;
  let opened: OpenedIndex;
  let poolStarting: Promise<AnswerPool> | undefined;
  if (pooled) {
    let loaded: ReturnType<typeof loadShared>;
    try {
      loaded = loadShared(config, runtime);
    } catch (error) {
      early?.abort(error);
      throw error;
    }
    opened = loaded.opened;
    if (early) {
      early.open(loaded.parts);
      poolStarting = early.pool.then((pool) => {
        pool.followCuratedGeneration(generation);
        return pool;
      });
    } else {
      poolStarting = AnswerPool.start(threads, config, { curatedGeneration: generation, open: Promise.resolve(loaded.parts) });
    }
    // Without a handler a failed start would be an unhandled rejection while the pages are built.
    poolStarting.catch(() => {});
  } else {
    opened = loadWithRuntime(config, runtime);
  }
  // The API does not depend on the pages: a failed web build is logged loudly, and the pages 404.
  const web = await webBuilt;
  if ("error" in web) {
    const { error } = web;
    logger.error({ err: error instanceof Error ? error.message.split("\n")[0] : String(error) }, "网页与挂件构建失败：/、/console、/widget.js 暂不可用");
  }
  const webDir = web.dir;
  if (feedbackImport.imported) logger.info({ imported: feedbackImport.imported }, "feedback.jsonl imported into the store");
  const stopRetention = scheduleRetention(store, {
    retentionDays: config.RETENTION_DAYS,
    onPurged: (result) => logger.info({ ...result }, "question log purged"),
    onError: (error) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "question-log purge failed"),
  });
  const curated = liveCuratedSource(store, { generation });
  const answererLog = (event: string, fields: Record<string, unknown>) => logger.info(fields, event);
  // Set once the index is served: the answer threads have opened it (or the in-process answerer
  // has warmed up). Until then the server already listens — /healthz answers, /readyz and the API
  // say NOT_READY (503) — so that building the app, opening the socket and the first requests'
  // set-up overlap the threads' start instead of following it.
  let pool: AnswerPool | undefined;
  let inProcess: typeof InProcessAnswerer | undefined;
  const stateFor = (o: OpenedIndex): ServingState => ({ index: o.index, retriever: o.retriever, answerer: pool ? pool.answerer() : inProcess!.createAnswerer(o, config, answererLog, curated) });
  let state: ServingState | undefined;
  const serving = (): ServingState => {
    if (!state) throw createError("NOT_READY");
    return state;
  };
  let shuttingDown = false;
  const metrics = new ServiceMetrics();
  // How long the main thread keeps requests waiting when it is busy (answers on it, GC pauses).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  let reloading: Promise<{ buildId: string; passages: number }> | undefined;
  const reload = (trigger = "admin") => {
    if (!state) return Promise.reject(createError("NOT_READY"));
    // Concurrent triggers (a watch event during an admin call) share one load.
    reloading ??= (async () => {
      try {
        let next: ServingState;
        if (pool) {
          const loaded = loadShared(config, runtime);
          next = stateFor(loaded.opened);
          await pool.reload(loaded.parts);
        } else {
          next = stateFor(loadWithRuntime(config, runtime));
        }
        const previous = serving().index.manifest.buildId;
        state = next;
        collectGarbage();
        const loaded = { buildId: next.index.manifest.buildId, passages: next.index.passages.length };
        logger.info({ trigger, previous, ...loaded }, "index reloaded");
        if (trigger !== "admin") metrics.reloads.inc({ result: "ok", trigger });
        return loaded;
      } catch (error) {
        logger.error({ trigger, err: error instanceof Error ? error.message : String(error) }, "index reload failed; still serving the previous index");
        if (trigger !== "admin") metrics.reloads.inc({ result: "failed", trigger });
        throw error;
      } finally {
        reloading = undefined;
      }
    })();
    return reloading;
  };

  const app = createApp({
    state: () => state,
    // MAX_CONCURRENT_ANSWERS is per answering thread: with a pool, the main thread admits that many per thread.
    config: { ...config, MAX_CONCURRENT_ANSWERS: config.MAX_CONCURRENT_ANSWERS * (pooled ? (early?.size ?? threads) : 1) },
    logger,
    metrics,
    feedback: store,
    cacheGeneration: generation,
    onAnswered: ({ c, question, answer, trace }) => {
      if (!config.QUESTION_LOG) return;
      store
        .logQuestion({
          time: new Date().toISOString(),
          channel: (c as Context<HttpEnv>).get("channel") ?? "api",
          question,
          // A partial reply logged as not answered (not-stated, year-not-covered) keeps its reason beside mode partial.
          mode: !answer.grounded ? "refused" : answer.partial ? "partial" : answer.mode,
          grounded: answer.grounded,
          ...(trace?.refusal ? { refusal: trace.refusal } : {}),
          ...(trace ? { confidence: Math.round(trace.confidence * 100) / 100 } : {}),
          topPassages: answer.citations.map((x) => x.passageId),
          answerId: answer.answerId,
        })
        .catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "question log write failed"));
    },
    assets: assetFolder(webDir),
    clientIp: (c) => {
      try {
        return getConnInfo(c).remote.address;
      } catch {
        return undefined;
      }
    },
    reload: () => reload("admin"),
    shuttingDown: () => shuttingDown,
    gauges: () => {
      const memory = process.memoryUsage();
      return {
        process_resident_memory_bytes: { help: "Resident set size", value: memory.rss },
        nodejs_heap_used_bytes: { help: "V8 heap used", value: memory.heapUsed },
        nodejs_eventloop_delay_p99_seconds: { help: "Event-loop delay, 99th percentile since start", value: loopDelay.percentile(99) / 1e9 },
        nodejs_eventloop_delay_max_seconds: { help: "Event-loop delay, maximum since start", value: loopDelay.max / 1e9 },
      };
    },
  });

  // Staff routes (curated answers, the question report): a successful write changes what chat may
  // answer, so it moves the generation.
  const countWrite: MiddlewareHandler = async (c, next) => {
    await next();
    if (c.req.method !== "GET" && c.res.status < 300) curatedGeneration++;
  };
  app.use("/api/curated", countWrite);
  app.use("/api/curated/*", countWrite);
  const citable = (id: string) => {
    const { index } = serving();
    const passage = index.passages.find((p) => p.id === id);
    if (!passage) return undefined;
    const year = index.docById.get(passage.docId)?.year;
    return { text: passage.text, folded: passage.folded, headingPath: passage.headingPath, ...(year !== undefined ? { year } : {}) };
  };
  app.route("/", curatedRoutes({ store, passageById: citable }));
  app.route("/", reportRoutes({ store, questionTerms: (question) => serving().retriever.analyze(question, [], { spelledOut: false }).weighted }));

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, () => resolve(s));
  });
  const http = server as Server;
  // Count requests until their response is fully written (SSE included), for a graceful drain.
  let inFlight = 0;
  http.on("request", (_req, res) => {
    inFlight++;
    res.once("close", () => inFlight--);
  });
  http.requestTimeout = Math.max(30_000, config.REQUEST_TIMEOUT_MS + 10_000);
  http.headersTimeout = 20_000;

  // Served once the threads have opened the index (this thread collects the load's garbage
  // meanwhile) or, without threads, once the in-process answerer has paid its lazy set-up.
  try {
    // The load's garbage: ≈ 90 MB at 100,000 passages, collected here while the threads open the
    // index. A small load leaves a few MB (seed corpus: heap 20 → 17.6 MB), not worth the two full
    // collections' 70–100 ms of this thread — the threads have opened the index by then, so /readyz
    // waited for them; V8's own collections (old space limited to 1.5 × the live heap) reclaim it.
    if (process.memoryUsage().heapUsed > LOAD_GARBAGE_WORTH_COLLECTING) collectGarbage();
    pool = await poolStarting;
    if (pool) logger.info({ threads: pool.size }, "answer threads ready");
    else inProcess = await import("./answerer.js");
    const first = stateFor(opened);
    // Lazy set-up paid before ready (src/node/warm-up.ts); the threads warm themselves up.
    if (!pool && shouldWarmUp(config)) await warmUp(first.answerer);
    state = first;
  } catch (error) {
    // The start failed with the socket open: close it and the store before failing.
    stopRetention();
    loopDelay.disable();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    await store.close();
    throw error;
  }

  // A re-ingest swaps index/current.json by rename: watch the folder, debounce, compare build ids.
  let watcher: FSWatcher | undefined;
  if (config.WATCH_INDEX) {
    let timer: NodeJS.Timeout | undefined;
    try {
      watcher = watch(config.INDEX_DIR, (_event, file) => {
        if (file !== "current.json") return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          let current: string | null;
          try {
            current = currentBuildDir(config.INDEX_DIR);
          } catch {
            return; // a half-written pointer: the rename that completes it fires another event
          }
          if (current && !current.endsWith(serving().index.manifest.buildId)) reload("watch").catch(() => {});
        }, 250);
      });
      watcher.on("error", () => {});
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, "cannot watch the index folder; use SIGHUP or /admin/reload after a re-ingest");
    }
  }

  // The delay gauges describe serving: start-up's loading (seconds of it) is not counted.
  loopDelay.reset();
  const port = (http.address() as AddressInfo).port;
  const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
  const url = `http://${host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000) =>
    (closing ??= new Promise<void>((resolve) => {
      shuttingDown = true;
      watcher?.close();
      loopDelay.disable();
      stopRetention();
      http.close(() => void (pool?.close() ?? Promise.resolve()).then(() => store.close()).then(() => resolve()));
      http.closeIdleConnections();
      const started = Date.now();
      const poll = setInterval(() => {
        http.closeIdleConnections();
        if (inFlight === 0 || Date.now() - started > graceMs) {
          clearInterval(poll);
          if (inFlight > 0) logger.warn({ inFlight }, "grace period over; closing the remaining connections");
          http.closeAllConnections();
        }
      }, 25);
    }));

  return { url, port, reload, close, logger };
}
