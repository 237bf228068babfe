/**
 * One answer thread of the pool (src/node/answer-pool.ts): opens the index the main thread loaded
 * (its shared parts, src/node/shared-index.ts) with the query runtime, answers the questions the
 * main thread sends (retrieval and composition, the CPU-bound part of an uncached chat request) and
 * opens the next index when told to. Runs in a worker_threads Worker.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import type { CuratedSource } from "../core/answer/answerer.js";
import type { Config } from "../core/config.js";
import type { ChatTurn } from "../core/answer/types.js";
import { shouldWarmUp, warmUp } from "./warm-up.js";
import { createAnswerer } from "./answerer.js";
import { collectGarbage } from "./collect-garbage.js";
import { useSharedLexicon } from "./jieba-lexicon.js";
import { createSearchRuntime, searchWith } from "./search-runtime.js";
import { openSharedIndex, type SharedIndexParts } from "./shared-index.js";
import { threadError, type ThreadError } from "./thread-entry.js";

export type ThreadRequest =
  | { kind: "open"; index: SharedIndexParts }
  | { kind: "answer"; id: number; question: string; history: ChatTurn[]; generation?: string }
  | { kind: "cancel"; id: number }
  | { kind: "reload"; id: number; index: SharedIndexParts };

export type ThreadReply =
  | { kind: "ready"; buildId: string }
  | { kind: "answer"; id: number; result: unknown }
  | { kind: "reloaded"; id: number; buildId: string }
  | { kind: "error"; id: number; error: ThreadError };

/** What the pool gives a thread: the configuration, and the packed lexicon's shared bytes. */
export interface ThreadData {
  config: Config;
  lexicon: SharedArrayBuffer;
}

const port = parentPort!;
const { config, lexicon } = workerData as ThreadData;
useSharedLexicon(lexicon);
// The pool starts this thread before the main thread has loaded the index (building a missing or
// stale one first): the modules above load and the runtime is made meanwhile, the index's shared
// parts come with "open" (the main thread has checked the index's recipe: no profile is needed here).
// `opened` is replaced on reload: nothing here keeps an old index's shared memory alive.
const runtime = await createSearchRuntime(config, { purpose: "query" });
let opened = searchWith(
  openSharedIndex(
    await new Promise<SharedIndexParts>((resolve) => {
      const onOpen = (request: ThreadRequest) => {
        if (request.kind !== "open") return;
        port.off("message", onOpen);
        resolve(request.index);
      };
      port.on("message", onOpen);
    }),
  ),
  runtime,
);
// The main thread's curated generation, as sent with the question being answered.
let generation = "";
const curated = curatedFromStore(config.DATA_DIR);
let answerer = createAnswerer(opened, config, undefined, curated);
const running = new Map<number, AbortController>();

/**
 * Curated answers from the store the main thread opened (and migrated), through a connection of
 * our own, opened on the first answer (the warm-up's): the store's modules and better-sqlite3 are
 * not needed to load the index, so a thread is ready without them. No store file yet: none.
 */
function curatedFromStore(dataDir: string): CuratedSource {
  let source: Promise<CuratedSource> | undefined;
  return async () => {
    if (!source) {
      const { STORE_FILE } = await import("./store/open-sqlite-store.js");
      const file = join(dataDir, STORE_FILE);
      if (!existsSync(file)) return [];
      source = (async () => {
        const [{ createSqlStore }, { liveCuratedSource }, { openSqliteDatabase }] = await Promise.all([
          import("../core/store/sql-store.js"),
          import("../core/store/curated-source.js"),
          import("./store/sqlite-database.js"),
        ]);
        return liveCuratedSource(await createSqlStore(openSqliteDatabase(file)), { generation: () => generation });
      })();
    }
    return (await source)();
  };
}

const fail = (id: number, error: unknown): ThreadReply => ({
  kind: "error",
  id,
  error: threadError(error),
});

port.on("message", (request: ThreadRequest) => {
  if (request.kind === "open") return;
  if (request.kind === "cancel") {
    running.get(request.id)?.abort(new Error("cancelled"));
    return;
  }
  if (request.kind === "reload") {
    try {
      opened = searchWith(openSharedIndex(request.index), runtime);
      answerer = createAnswerer(opened, config, undefined, curated);
      // The previous index is garbage now: its shared memory is freed once every thread let it go.
      collectGarbage();
      port.postMessage({ kind: "reloaded", id: request.id, buildId: opened.index.manifest.buildId } satisfies ThreadReply);
    } catch (error) {
      port.postMessage(fail(request.id, error));
    }
    return;
  }
  generation = request.generation ?? generation;
  const controller = new AbortController();
  running.set(request.id, controller);
  answerer.answer(request.question, request.history, { signal: controller.signal }).then(
    // The analysis summary (npm run ask -- --explain) is left out: the HTTP service never reads it,
    // and every reply is copied into the main thread, whose time per request bounds throughput.
    ({ answer, trace: { analysis: _analysis, ...trace } }) => port.postMessage({ kind: "answer", id: request.id, result: { answer, trace } } satisfies ThreadReply),
    (error: unknown) => port.postMessage(fail(request.id, error)),
  ).finally(() => running.delete(request.id));
});

// Ready as soon as the index is loaded; then the first answer's lazy set-up (the Simplified
// pre-check's table, JIT) is paid by a warm-up question while the server already serves. A question
// that arrives meanwhile waits for it (≈ 0.1–0.3 s), instead of every start-up waiting for it.
port.postMessage({ kind: "ready", buildId: opened.index.manifest.buildId } satisfies ThreadReply);
if (shouldWarmUp(config)) await warmUp(answerer);
