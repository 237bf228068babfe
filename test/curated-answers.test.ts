/**
 * Curated answers in the chat path, over the real corpus and a real SQLite store: a question that
 * is one of a live answer's variants (in either script, any punctuation) or a paraphrase of one gets
 * that answer verbatim with its review line and citations; other questions do not; a retired answer
 * or a revert is served within the source's freshness window; curated beats official and composed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answerer } from "../src/core/answer/answerer.js";
import { loadConfig } from "../src/core/config.js";
import { liveCuratedSource } from "../src/core/store/curated-source.js";
import type { AssistantStore } from "../src/core/store/types.js";
import { createAnswerer } from "../src/node/answerer.js";
import { ingestCorpus } from "../src/node/ingest/build-index.js";
import { openIndex, type OpenedIndex } from "../src/node/open-index.js";
import { createNodeRuntime } from "../src/node/runtime.js";
import { openSqliteStore } from "../src/node/store/open-sqlite-store.js";
import { CORPUS_DIR } from "./helpers.js";

let tmp: string;
let opened: OpenedIndex;
let store: AssistantStore;
let answerer: Answerer;
let clock = Date.parse("2026-12-04T02:00:00Z");
let seatsId: string;

const SEATS = "2024年全市新增公办园22所，提供公办学位5800个。";

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "edu-curated-answers-"));
  const config = loadConfig({ CORPUS_DIR, INDEX_DIR: join(tmp, "index"), DATA_DIR: join(tmp, "data") });
  await ingestCorpus({ corpusDir: CORPUS_DIR, indexDir: config.INDEX_DIR, runtime: await createNodeRuntime(config) });
  opened = await openIndex(config);
  ({ store } = await openSqliteStore(config.DATA_DIR));
  const cite = opened.index.passages.find((p) => p.text.includes("新增公办园22所"))!.id;
  seatsId = (await store.createCurated({ questions: ["2024年新增了多少公办学位？"], answer: SEATS, citations: [cite] }, "王老师", new Date(clock).toISOString())).id;
  answerer = createAnswerer(opened, config, undefined, liveCuratedSource(store, { ttlMs: 1000, now: () => new Date(clock) }));
}, 120_000);

afterAll(async () => {
  await store.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("curated answers", () => {
  it("a variant, in Traditional and without punctuation, gets the curated answer with its review line and citation", async () => {
    for (const question of ["2024年新增了多少公办学位？", "2024年新增了多少公辦學位"]) {
      const { answer } = await answerer.answer(question);
      expect(answer.mode, question).toBe("curated");
      expect(answer.answer).toContain(answer.script === "Hant" ? "本答案經人工審核（2026-12-04）" : "本答案经人工审核（2026-12-04）");
      expect(answer.citations[0]!.quote).toContain("新增公办园22所");
    }
  });

  it("a paraphrase reaches it; an unrelated question does not", async () => {
    expect((await answerer.answer("2024年公办学位新增了多少个？")).answer.mode).toBe("curated");
    for (const question of ["2021年课后服务参与率是多少？", "孩子在学校被欺负了，学校有没有专门治理？"]) {
      expect((await answerer.answer(question)).answer.mode, question).not.toBe("curated");
    }
  });

  it("an edit is served after the freshness window; a retired answer no longer", async () => {
    await store.updateCurated(seatsId, 1, { questions: ["2024年新增了多少公办学位？"], answer: `${SEATS}（更新）`, citations: (await store.getCurated(seatsId))!.citations }, "李老师", new Date(clock).toISOString());
    clock += 1500;
    expect((await answerer.answer("2024年新增了多少公办学位？")).answer.answer).toContain("（更新）");
    await store.retireCurated(seatsId, 2, "李老师", new Date(clock).toISOString());
    clock += 1500;
    expect((await answerer.answer("2024年新增了多少公办学位？")).answer.mode).not.toBe("curated");
  });
});
