/**
 * The reader thread: reads documents (pdf.js, mammoth, word-extractor, linkedom, exceljs) while the
 * ingest's main thread cleans, chunks and indexes the documents before them. Runs in a
 * worker_threads Worker started by document-reader.ts; one request at a time, in the order sent.
 */
import { parentPort, workerData } from "node:worker_threads";
import { threadError } from "../thread-entry.js";
import type { ReaderThreadData, ReaderThreadReply, ReaderThreadRequest } from "./document-reader.js";
import { loadReader, readDocument } from "./read-document.js";

const port = parentPort!;

// Requests are read one after another: the thread's one core is the point, and a reply's order is
// the request's.
// The readers of the corpus's formats load first, while the main thread loads its segmenter; a
// reader that fails to load fails again, with its error, on its first file.
let queue: Promise<void> = Promise.all(((workerData as ReaderThreadData | undefined)?.preload ?? []).map((format) => loadReader(format).catch(() => undefined))).then(() => undefined);
port.on("message", (request: ReaderThreadRequest) => {
  queue = queue.then(async () => {
    let reply: ReaderThreadReply;
    try {
      reply = { id: request.id, ok: true, result: await readDocument(request.file, request.bytes) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: threadError(error) };
    }
    port.postMessage(reply);
  });
});
