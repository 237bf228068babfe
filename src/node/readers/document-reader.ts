/**
 * Reading documents beside the ingest. pdf.js, mammoth, word-extractor, linkedom and exceljs take
 * most of a real folder's ingest (a PDF's fonts and text items, a Word file's pieces, a saved page's
 * DOM), and their modules ≈ 1 s to load; the cleaning, chunking and tokenizing of the documents
 * before it need none of them. So files of those formats are read in reader threads (one per core,
 * up to four: two PDFs are read at once) while the main thread prepares the files before them; plain
 * text, Markdown and CSV are decoded in place (a thread would only copy them twice). The threads
 * start at the first such file; if one cannot be started, or dies, files are read in this thread. Results are the same either way:
 * `readDocument`'s, in the order asked.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { reviveThreadError, threadEntry, type ThreadError } from "../thread-entry.js";
import { formatOf, readDocument, type DocumentFormat, type ReadResult } from "./read-document.js";

export interface ReaderThreadRequest {
  id: number;
  file: string;
  bytes: Uint8Array;
}
export interface ReaderThreadData {
  preload: DocumentFormat[];
}
export type ReaderThreadReply = { id: number; ok: true; result: ReadResult } | { id: number; ok: false; error: ThreadError };

/** Formats whose readers are worth a thread: a library parses them. */
const THREADED: ReadonlySet<DocumentFormat> = new Set(["pdf", "doc", "docx", "html", "xlsx"]);

export interface DocumentReader {
  /** Starts reading a file; the promise settles as `readDocument` would. */
  read(file: string, bytes: Uint8Array): Promise<ReadResult>;
  /**
   * Starts reading a file before it is asked for (the ingest CLI: while the segmenter loads); a later
   * `read` of the same file with the same bytes takes that reading. Files of formats read in place are ignored.
   */
  prefetch(file: string, bytes: Uint8Array): void;
  /** Reader threads reading (0 before the first file of a threaded format, and after a fallback). */
  readonly threads: number;
  close(): void;
}

interface Pending {
  file: string;
  bytes: Uint8Array;
  resolve(result: ReadResult): void;
  reject(error: Error): void;
}

/** Reader threads at most: a real folder's time is in its PDFs, a few at a time keep the cores busy. */
const MAX_THREADS = 4;

/** How many reader threads a machine gets: its cores (the main thread mostly waits for them), up to MAX_THREADS. */
export function readerThreadCount(): number {
  return Math.max(1, Math.min(MAX_THREADS, availableParallelism()));
}

/**
 * `threads`: how many reader threads (default readerThreadCount(); 0: read in this thread).
 * `preload`: the formats of the files to come; when any needs a library, the threads start now and
 * load those readers while the caller does other work (the ingest CLI: loading its segmenter).
 */
export function createDocumentReader(options: { threads?: number; preload?: readonly DocumentFormat[] } = {}): DocumentReader {
  const preload = [...new Set(options.preload ?? [])].filter((format) => THREADED.has(format));
  const size = options.threads ?? readerThreadCount();
  /** Each thread with its reads waiting and their bytes: a PDF costs by its size, a saved page little. */
  const workers: Array<{ worker: Worker; pending: Map<number, number>; bytes: number }> = [];
  /** No threads: none asked for, one could not start, or one died (the pending reads were read here). */
  let inProcess = size < 1;
  let nextId = 0;
  const pending = new Map<number, Pending>();

  const stop = () => {
    for (const { worker } of workers.splice(0)) void worker.terminate();
  };

  const fallBack = () => {
    if (inProcess) return;
    inProcess = true;
    const left = [...pending.entries()].sort(([a], [b]) => a - b).map(([, p]) => p);
    pending.clear();
    stop();
    // What the threads had not answered is read here, in the order it was asked.
    for (const p of left) readDocument(p.file, p.bytes).then(p.resolve, p.reject);
  };

  const start = (): boolean => {
    if (inProcess) return false;
    if (workers.length) return true;
    try {
      const { entry, eval: fromSource } = threadEntry(import.meta.url, "reader-thread");
      for (let i = 0; i < size; i++) {
        const worker = new Worker(entry, { workerData: { preload } satisfies ReaderThreadData, execArgv: [], eval: fromSource });
        const slot = { worker, pending: new Map<number, number>(), bytes: 0 };
        workers.push(slot);
        worker.unref();
        worker.on("message", (reply: ReaderThreadReply) => {
          slot.bytes -= slot.pending.get(reply.id) ?? 0;
          slot.pending.delete(reply.id);
          const p = pending.get(reply.id);
          if (!p) return;
          pending.delete(reply.id);
          if (reply.ok) p.resolve(reply.result);
          else p.reject(reviveThreadError(reply.error));
        });
        worker.once("error", fallBack);
        worker.once("exit", fallBack);
      }
    } catch {
      stop();
      inProcess = true;
      return false;
    }
    return true;
  };

  if (preload.length) start();
  /** Readings started by prefetch, by file, with the bytes they read. */
  const early = new Map<string, { bytes: Uint8Array; result: Promise<ReadResult> }>();
  const reader: DocumentReader = {
    prefetch(file, bytes) {
      if (!readInThread(file) || early.has(file)) return;
      const result = reader.read(file, bytes);
      // Settled when the file's turn comes; until then its failure is not unhandled.
      result.catch(() => undefined);
      early.set(file, { bytes, result });
    },
    read(file, bytes) {
      const started = early.get(file);
      if (started) {
        early.delete(file);
        if (Buffer.from(started.bytes.buffer, started.bytes.byteOffset, started.bytes.byteLength).equals(bytes)) return started.result;
      }
      if (!readInThread(file) || !start()) return readDocument(file, bytes);
      return new Promise<ReadResult>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { file, bytes, resolve, reject });
        // The thread with the fewest bytes waiting takes it (two PDFs go to two threads).
        const slot = workers.reduce((a, b) => (b.bytes < a.bytes ? b : a));
        slot.pending.set(id, bytes.length);
        slot.bytes += bytes.length;
        // A copy goes to the thread (a Buffer's bytes may share a pool with others); the original
        // stays for a fallback read.
        const copy = bytes.slice();
        slot.worker.postMessage({ id, file, bytes: copy } satisfies ReaderThreadRequest, [copy.buffer]);
      });
    },
    get threads() {
      return inProcess ? 0 : workers.length;
    },
    close() {
      inProcess = true;
      // Reads still pending when the ingest is done with the reader are nobody's to answer.
      pending.clear();
      early.clear();
      stop();
    },
  };
  return reader;
}

/** Whether a file's format is read in a reader thread (a library parses it); text, Markdown and CSV are decoded in place. */
export function readInThread(file: string): boolean {
  const format = formatOf(file);
  return format !== null && THREADED.has(format);
}
