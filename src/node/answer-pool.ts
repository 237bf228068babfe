import { Worker } from "node:worker_threads";
import type { AnswerResult } from "../core/answer/answerer.js";
import type { ChatTurn } from "../core/answer/types.js";
import type { Config } from "../core/config.js";
import type { ServingState } from "../core/http/deps.js";
import type { ThreadData, ThreadReply, ThreadRequest } from "./answer-thread.js";
import { sharedLexiconBuffer } from "./jieba-lexicon.js";
import type { SharedIndexParts } from "./shared-index.js";
import { reviveThreadError, threadEntry } from "./thread-entry.js";

/**
 * Young-generation limit of an answer thread, MB. V8 sizes a fresh isolate's young generation up to
 * 48 MB on a large machine and keeps it once grown (the warm-up grows it): ≈ 25 MB of RSS per thread
 * beyond what answers need. 12 MB (4 MB semi-spaces) holds an answer's short-lived allocations;
 * measured with 2 threads, idle RSS 235 → 197 MB.
 */
const THREAD_YOUNG_GENERATION_MB = 12;

interface Pending {
  resolve(result: AnswerResult): void;
  reject(error: unknown): void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Answer threads for uncached chat: each searches the index the main thread loaded, through its
 * shared arrays and text store (src/node/shared-index.ts; the segmenter's dictionary is shared
 * too), and answers one question at a time from its queue, so every core computes answers while
 * the main thread keeps parsing HTTP, rate-limiting, caching and counting (those stay in one
 * place: nothing to share or add up across processes). A question goes to the thread with the fewest answers in flight.
 */
export class AnswerPool {
  private nextId = 1;

  private constructor(private readonly threads: Thread[]) {}

  /**
   * Starts `size` threads and waits until each has opened the index. The threads load their modules
   * at once but open the index only when `open` resolves to the main thread's shared parts (the
   * index is current, built first if it was missing or stale, and loaded); when it rejects, they
   * end and so does the start.
   */
  static async start(size: number, config: Config, options: { curatedGeneration?: () => string; open: Promise<SharedIndexParts> }): Promise<AnswerPool> {
    const { open } = options;
    // From dist/ the thread is compiled JavaScript; from src/ (npm run dev, tests) it registers tsx's
    // loader first (thread-entry.ts). execArgv stays empty: V8 flags (--heap-growing-percent) are
    // process-wide already, and a Worker refuses them there.
    const { entry, eval: fromSource } = threadEntry(import.meta.url, "answer-thread");
    // The segmenter's packed dictionary, read once and shared by every thread (not a copy each).
    const lexicon = sharedLexiconBuffer();
    const threads = await Promise.all(
      Array.from({ length: size }, async () => {
        const worker = new Worker(entry, { workerData: { config, lexicon } satisfies ThreadData, execArgv: [], eval: fromSource, resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB } });
        const thread: Thread = { worker, pending: new Map() };
        await new Promise<void>((resolve, reject) => {
          const onReady = (reply: ThreadReply) => {
            if (reply.kind !== "ready") return;
            worker.off("message", onReady);
            worker.off("error", reject);
            resolve();
          };
          worker.on("message", onReady);
          worker.once("error", reject);
          open.then(
            (index) => worker.postMessage({ kind: "open", index } satisfies ThreadRequest),
            (error: unknown) => {
              void worker.terminate();
              reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
        });
        worker.on("message", (reply: ThreadReply) => {
          if (reply.kind === "ready") return;
          const pending = thread.pending.get(reply.id);
          if (!pending) return;
          thread.pending.delete(reply.id);
          if (reply.kind === "answer") pending.resolve(reply.result as AnswerResult);
          else if (reply.kind === "error") pending.reject(reviveThreadError(reply.error));
          else pending.resolve(reply as unknown as AnswerResult);
        });
        worker.on("error", (error) => {
          for (const p of thread.pending.values()) p.reject(error);
          thread.pending.clear();
        });
        worker.unref();
        return thread;
      }),
    );
    const pool = new AnswerPool(threads);
    if (options.curatedGeneration) pool.curatedGeneration = options.curatedGeneration;
    return pool;
  }

  /** Sent with every question: a thread re-reads the curated answers when it changed. */
  private curatedGeneration: () => string = () => "";

  /** Follows this generation of curated answers from now on (a pool started before the server that owns it). */
  followCuratedGeneration(generation: () => string): void {
    this.curatedGeneration = generation;
  }

  get size(): number {
    return this.threads.length;
  }

  /** The answerer a ServingState holds: the same call as the core Answerer's, answered by a thread. */
  answerer(): ServingState["answerer"] {
    return { answer: (question, history = [], options = {}) => this.answer(question, history, options.signal) };
  }

  private send(thread: Thread, request: Extract<ThreadRequest, { id: number }>): Promise<AnswerResult> {
    return new Promise((resolve, reject) => {
      thread.pending.set(request.id, { resolve, reject });
      thread.worker.postMessage(request);
    });
  }

  private answer(question: string, history: ChatTurn[], signal?: AbortSignal): Promise<AnswerResult> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    let thread = this.threads[0]!;
    for (const t of this.threads) if (t.pending.size < thread.pending.size) thread = t;
    const id = this.nextId++;
    const onAbort = () => thread.worker.postMessage({ kind: "cancel", id } satisfies ThreadRequest);
    signal?.addEventListener("abort", onAbort, { once: true });
    return this.send(thread, { kind: "answer", id, question, history, generation: this.curatedGeneration() }).finally(() => signal?.removeEventListener("abort", onAbort));
  }

  /** Every thread opens the index the main thread has just loaded (without error) from its shared parts. */
  async reload(index: SharedIndexParts): Promise<void> {
    await Promise.all(this.threads.map((thread) => this.send(thread, { kind: "reload", id: this.nextId++, index })));
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}

/** Answer threads started before the server that uses them (`npm start`), told to open the index later. */
export interface EarlyPool {
  /** How many threads. */
  size: number;
  pool: Promise<AnswerPool>;
  /** The main thread has loaded the current index (built first if it was missing or stale) and the store exists: the threads open it from these parts. */
  open(index: SharedIndexParts): void;
  /** Start-up failed: the threads end. */
  abort(reason: unknown): void;
}

/**
 * Starts the threads at once, so that their module graphs load while the main thread loads its own
 * (on a two-core machine the second core is otherwise idle until then); they open the index on `open`.
 */
export function startEarlyPool(size: number, config: Config): EarlyPool {
  // Settled once, then forgotten: the promise holds the first index's parts, and the EarlyPool lives
  // as long as the server, so after a reload it would keep that index's shared memory alive.
  let settle: { resolve(index: SharedIndexParts): void; reject(reason: unknown): void } | undefined;
  const opened = new Promise<SharedIndexParts>((resolve, reject) => {
    settle = { resolve, reject };
  });
  opened.catch(() => {});
  const pool = AnswerPool.start(size, config, { open: opened });
  pool.catch(() => {});
  return {
    size,
    pool,
    open: (index) => {
      settle?.resolve(index);
      settle = undefined;
    },
    abort: (reason) => {
      settle?.reject(reason);
      settle = undefined;
    },
  };
}
