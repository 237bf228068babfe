/**
 * The knowledge build's thread (startKnowledgeBuild in knowledge.ts): loads what no corpus
 * changes as soon as it starts, takes each document as the ingest reads it, and answers the
 * corpus's tables once it gets the vocabulary. Runs in a worker_threads Worker.
 */
import { parentPort, workerData } from "node:worker_threads";
import { CorpusKnowledgeBuilder } from "../core/knowledge/corpus-knowledge.js";
import { loadKnowledgeResources, type KnowledgeThreadData, type KnowledgeThreadReply, type KnowledgeThreadRequest } from "./knowledge.js";
import { threadError } from "./thread-entry.js";

const port = parentPort!;
const { profile } = workerData as KnowledgeThreadData;
const builder = loadKnowledgeResources(profile).then((resources) => new CorpusKnowledgeBuilder(resources));
builder.catch(() => undefined);
// Messages are handled one after another, in order, once the resources are loaded.
let queue: Promise<void> = Promise.resolve();
let failed = false;

port.on("message", (request: KnowledgeThreadRequest) => {
  queue = queue.then(async () => {
    if (failed) return;
    try {
      const b = await builder;
      if (request.kind === "document") b.addDocument(request.title, request.folded);
      else port.postMessage({ kind: "done", knowledge: b.finish(request.terms) } satisfies KnowledgeThreadReply);
    } catch (error) {
      failed = true;
      port.postMessage({ kind: "error", error: threadError(error) } satisfies KnowledgeThreadReply);
    }
  });
});
