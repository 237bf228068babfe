import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "../src/core/config.js";
import { HybridRetriever } from "../src/core/search/retriever.js";
import type { SearchIndex } from "../src/core/search/search-index.js";
import type { SparseVectorIndex } from "../src/core/search/sparse-vector-index.js";
import type { Passage } from "../src/core/types.js";
import { loadIndex } from "../src/node/index-store.js";
import { ingestCorpus } from "../src/node/ingest/build-index.js";
import { createNodeRuntime, type NodeRuntime } from "../src/node/runtime.js";
import { openSharedIndex, shareIndex, type SharedIndexParts } from "../src/node/shared-index.js";
import { CORPUS_DIR } from "./helpers.js";

let tmp: string;
let indexDir: string;
let runtime: NodeRuntime;
let plain: SearchIndex;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "edu-shared-index-"));
  indexDir = join(tmp, "index");
  await ingestCorpus({ corpusDir: CORPUS_DIR, indexDir, runtime: await createNodeRuntime(loadConfig({})) });
  runtime = await createNodeRuntime(loadConfig({ INDEX_DIR: indexDir }), { purpose: "query" });
  plain = loadIndex(indexDir, runtime.recipe);
}, 120_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** What an answer thread receives: the parts as postMessage clones them (shared memory stays shared). */
const posted = (parts: SharedIndexParts): SharedIndexParts => structuredClone(parts);

/** Every way a passage leaves the index: its JSON, a spread copy, a structured clone, and its fields read one by one. */
function expectSamePassages(actual: readonly Passage[], expected: readonly Passage[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((want, label) => {
    const got = actual[label]!;
    expect(JSON.stringify(got)).toBe(JSON.stringify(want));
    expect(JSON.stringify({ ...got })).toBe(JSON.stringify(want));
    expect(structuredClone(got)).toEqual(want);
    expect(Object.keys(got)).toEqual(Object.keys(want));
    for (const key of Object.keys(want) as Array<keyof Passage>) expect(got[key]).toEqual(want[key]);
  });
}

describe("an index shared with answer threads (src/node/shared-index.ts)", () => {
  it("gives the main thread and a thread the same passages, documents and knowledge as the JSON-parsed index", () => {
    const { index, parts } = shareIndex(loadIndex(indexDir, runtime.recipe, { shared: true }));
    expect(plain.passages.some((p) => p.folded !== p.text)).toBe(true);
    expectSamePassages(index.passages, plain.passages);
    const opened = openSharedIndex(posted(parts));
    expectSamePassages(opened.passages, plain.passages);
    expect(opened.knowledge).toEqual(plain.knowledge);
    expect(opened.documents).toEqual(plain.documents);
  });

  it("keeps unusual passages whole: a lone surrogate, an empty text, table fields, a Q&A question, another key order", () => {
    const shared = loadIndex(indexDir, runtime.recipe, { shared: true });
    const base = plain.passages[0]!;
    const unusual: Passage[] = [
      { ...base, text: "半个代理对\ud800在此", folded: "半个代理对\ud800在此" },
      { ...base, text: "", folded: "" },
      { ...base, text: "課後服務", folded: "课后服务", fields: { 类别: "课后服务", 序号: "1" } },
      { ...base, kind: "qa", question: "课后服务几点结束？" },
      { folded: base.folded, text: base.text, id: base.id, docId: base.docId, ordinal: base.ordinal, kind: base.kind, headingPath: ["另一个标题"], redactions: [{ start: 0, end: 2, text: "某某" }] },
    ];
    const { index, parts } = shareIndex({ ...shared, passages: unusual });
    expectSamePassages(index.passages, unusual);
    expectSamePassages(openSharedIndex(posted(parts)).passages, unusual);
  });

  it("hands the postings over by reference: a thread's arrays are the main thread's memory", () => {
    const { index, parts } = shareIndex(loadIndex(indexDir, runtime.recipe, { shared: true }));
    const thread = openSharedIndex(posted(parts));
    const mainWeights = (index.vectors as SparseVectorIndex).parts().weights;
    const threadWeights = (thread.vectors as SparseVectorIndex).parts().weights;
    expect(threadWeights.buffer).toBeInstanceOf(SharedArrayBuffer);
    const before = threadWeights[0]!;
    mainWeights[0] = before === 0.5 ? 0.25 : 0.5;
    expect(threadWeights[0]).toBe(mainWeights[0]);
    mainWeights[0] = before;
    const keyword = thread.keyword.parts();
    expect(keyword.ids.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(keyword.fields.every((f) => f.docs.buffer instanceof SharedArrayBuffer && f.starts.buffer instanceof SharedArrayBuffer && f.norms.buffer instanceof SharedArrayBuffer)).toBe(true);
  });

  it("refuses an index whose postings are not in shared memory", () => {
    expect(() => shareIndex(plain)).toThrow(/shared memory/);
  });

  it("searches and ranks as the JSON-parsed index, in the main thread and in a thread", async () => {
    const { index, parts } = shareIndex(loadIndex(indexDir, runtime.recipe, { shared: true }));
    const retriever = (i: SearchIndex) => new HybridRetriever({ index: i, tokenize: runtime.tokenize, embeddings: runtime.embeddings, idf: runtime.idf });
    const [want, main, thread] = [retriever(plain), retriever(index), retriever(openSharedIndex(posted(parts)))];
    const questions = ["课后服务参与率是多少？", "2024年新增了多少公办学位？", "課後服務參與率是多少？", "学生资助有哪些政策？", "2021年全市新建、改扩建了多少所中小学和幼儿园？"];
    for (const question of questions) {
      const expected = JSON.stringify(await want.search(question, { k: 10 }));
      expect(JSON.stringify(await main.search(question, { k: 10 }))).toBe(expected);
      expect(JSON.stringify(await thread.search(question, { k: 10 }))).toBe(expected);
    }
  });
});
