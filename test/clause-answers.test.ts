/**
 * A question of several clauses is answered clause by clause, the question's own clause first: with
 * the further clause's words beside it, the best sentence overall can answer that clause and not the
 * first. Real text: 天河区's 2026 kindergarten admission plan (../shared/eval/external/, copied at run
 * time into a temporary corpus, never into the repository).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answerer } from "../src/core/answer/answerer.js";
import { loadConfig } from "../src/core/config.js";
import { chineseAttribute } from "../src/core/question/attribute.js";
import { createAnswerer } from "../src/node/answerer.js";
import { ingestCorpus } from "../src/node/ingest/build-index.js";
import { openIndex, type OpenedIndex } from "../src/node/open-index.js";
import { createNodeRuntime } from "../src/node/runtime.js";
import { CORPUS_DIR } from "./helpers.js";

const EXTERNAL = resolve(import.meta.dirname, "..", "..", "shared", "eval", "external");
const FILE = "05_幼儿园招生方案_2026.html";

describe("which days", () => {
  it("哪几天 / 哪两天 ask a time, as 哪天 does", () => {
    expect(chineseAttribute("民办幼儿园一般哪几天集中报名?").attribute).toBe("when");
    expect(chineseAttribute("报名验证是哪两天?").attribute).toBe("when");
    expect(chineseAttribute("要准备哪几样材料?").attribute).toBe("list");
  });
});

describe.runIf(existsSync(join(EXTERNAL, FILE)))("天河's plan: registration days, then the admission letters", () => {
  let tmp: string;
  let opened: OpenedIndex;
  let answerer: Answerer;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "edu-clauses-"));
    const corpus = join(tmp, "corpus");
    mkdirSync(corpus);
    copyFileSync(join(EXTERNAL, FILE), join(corpus, FILE));
    copyFileSync(join(CORPUS_DIR, "profile.json"), join(corpus, "profile.json"));
    const runtime = await createNodeRuntime(loadConfig({}));
    await ingestCorpus({ corpusDir: corpus, indexDir: join(tmp, "index"), runtime });
    const config = loadConfig({ INDEX_DIR: join(tmp, "index"), CORPUS_DIR: corpus, DATA_DIR: join(tmp, "data") });
    opened = await openIndex(config);
    answerer = createAnswerer(opened, config);
  }, 120_000);

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("leads with the first clause's answer and adds the second's", async () => {
    const question = "天河的民办幼儿园一般哪几天集中报名？录取通知书最晚什么时候发？";
    const analysis = opened.retriever.analyze(question);
    expect(analysis.askedClause).toContain("集中报名");
    expect(analysis.alsoAsked?.map((a) => a.clause)).toEqual(["录取通知书最晚什么时候发"]);
    const { answer } = await answerer.answer(question, []);
    expect(answer.answer.split("。")[0]).toContain("集中报名时间原则上为6月2日至6月4日");
    expect(answer.answer).toContain("民办幼儿园于6月12日前发出《新生录取通知书》");
  });
});

describe.runIf(existsSync(join(EXTERNAL, "12.金山政策.doc")))("金山's fee table: the asked row, then the other row asked", () => {
  let tmp: string;
  let answerer: Answerer;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "edu-clauses-fees-"));
    const corpus = join(tmp, "corpus");
    mkdirSync(corpus);
    copyFileSync(join(EXTERNAL, "12.金山政策.doc"), join(corpus, "12.金山政策.doc"));
    copyFileSync(join(CORPUS_DIR, "profile.json"), join(corpus, "profile.json"));
    const runtime = await createNodeRuntime(loadConfig({}));
    await ingestCorpus({ corpusDir: corpus, indexDir: join(tmp, "index"), runtime });
    const config = loadConfig({ INDEX_DIR: join(tmp, "index"), CORPUS_DIR: corpus, DATA_DIR: join(tmp, "data") });
    answerer = createAnswerer(await openIndex(config), config);
  }, 120_000);

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("a row of the same table as the further clause's answer still answers the question's own clause", async () => {
    // The table's rows read alike; 示范性 (the further clause) had ranked first and 二级 (the question's own) was dropped.
    const { answer } = await answerer.answer("金山二级公办幼儿园一个月保育教育费多少钱？示范性幼儿园又是多少？", []);
    expect(answer.answer.split("。")[0]).toContain("二级幼儿园｜保育教育费收费标准：175元/月");
    expect(answer.answer).toContain("示范性幼儿园｜保育教育费收费标准：600元/月");
  });
});
