/**
 * The bureau's own answers on real documents other bureaus published (../shared/eval/external,
 * read from there, never copied into the project): a paraphrase of a handbook question gets the
 * handbook's answer verbatim (mode official) with its citation; an unrelated question does not; a
 * question about a document's own number or date is answered from its header and signature.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answerer } from "../src/core/answer/answerer.js";
import { loadConfig } from "../src/core/config.js";
import { createAnswerer } from "../src/node/answerer.js";
import { ingestCorpus } from "../src/node/ingest/build-index.js";
import { openIndex, type OpenedIndex } from "../src/node/open-index.js";
import { createNodeRuntime } from "../src/node/runtime.js";
import { CORPUS_DIR } from "./helpers.js";

const EXTERNAL = join(import.meta.dirname, "..", "..", "shared", "eval", "external");
const FILES = ["2019年长宁区学前教育招生问答口径.doc", "36_积分制入户2025年度热点13问.html", "05.长宁政策.pdf"];

let tmp: string;
let opened: OpenedIndex;
let answerer: Answerer;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "edu-official-"));
  const corpus = join(tmp, "corpus");
  const indexDir = join(tmp, "index");
  mkdirSync(corpus);
  for (const file of readdirSync(CORPUS_DIR)) copyFileSync(join(CORPUS_DIR, file), join(corpus, file));
  for (const file of FILES) copyFileSync(join(EXTERNAL, file), join(corpus, file));
  const config = loadConfig({ CORPUS_DIR: corpus, INDEX_DIR: indexDir });
  const result = await ingestCorpus({ corpusDir: corpus, indexDir, runtime: await createNodeRuntime(config) });
  expect(result.skipped).toEqual([]);
  opened = await openIndex(config);
  answerer = createAnswerer(opened, config);
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("official answers", () => {
  it("the external documents are there", () => {
    for (const file of FILES) expect(existsSync(join(EXTERNAL, file)), file).toBe(true);
    expect(opened.index.passages.filter((p) => p.kind === "qa").length).toBe(23);
  });

  it("a handbook question asked in the handbook's words gets the handbook's answer verbatim, cited", async () => {
    const pair = opened.index.passages.find((p) => p.kind === "qa" && p.question?.startsWith("中班、大班年龄的幼儿是否可以插班"))!;
    expect(pair).toBeDefined();
    const { answer } = await answerer.answer("中班、大班年龄的幼儿是否可以插班？");
    expect(answer.mode).toBe("official");
    expect(answer.answer.startsWith(pair.text)).toBe(true);
    expect(answer.citations).toEqual([expect.objectContaining({ passageId: pair.id, quote: pair.text })]);
  });

  it("a paraphrase in everyday words reaches the same pair", async () => {
    const { answer } = await answerer.answer("积分入户的排名分是怎么算出来得？");
    expect(answer.mode).toBe("official");
    expect(answer.citations[0]!.quote).toContain("排名分是指基础指");
  });

  it("the parent's word for the child (孩子 for the pair's 幼儿) is no other thing asked: the pair is reused", async () => {
    const pair = opened.index.passages.find((p) => p.kind === "qa" && p.question?.startsWith("幼儿是2016年10月出生的"))!;
    expect(pair).toBeDefined();
    const { answer } = await answerer.answer("孩子是2016年10月出生的，今年是否可以报名上幼儿园？");
    expect(answer.mode).toBe("official");
    expect(answer.citations[0]!.passageId).toBe(pair.id);
  });

  it("a paraphrase that asks for something the pair does not speak of gets no official answer", async () => {
    // Precision first: a pair is not reused for a question that asks what it does not speak of (保育费, 小学).
    for (const question of ["今年幼儿园的保育费收费标准和往年相比有何不同？", "幼儿是非本市户籍，在长宁区上小学需要什么条件？"]) {
      const { answer } = await answerer.answer(question);
      expect(answer.mode, question).not.toBe("official");
    }
  });

  it("a composed sentence that points back (可到上述地点) is preceded by the sentence it points at, each verbatim", async () => {
    const { answer } = await answerer.answer("我们是上海集体户口，住长宁，孩子入园报名验证要去哪里？");
    expect(answer.grounded).toBe(true);
    const at = answer.answer.indexOf("新渔东路242号");
    expect(at).toBeGreaterThanOrEqual(0);
    expect(answer.answer.indexOf("上述地点")).toBeGreaterThan(at);
    // Under one attribution: the sentence that points back comes from the same document, with no
    // other document's attribution between them (another document's sentence may follow).
    expect(answer.answer.slice(at, answer.answer.indexOf("上述地点"))).not.toContain("据");
  });

  it("a Traditional question gets the official answer in Traditional, figures still verified", async () => {
    const { answer } = await answerer.answer("中班、大班年齡的幼兒是否可以插班？");
    expect(answer.mode).toBe("official");
    expect(answer.script).toBe("Hant");
    expect(answer.answer).toContain("插班的前提是要有空餘學額");
  });

  it("questions that only share words with a pair get no official answer", async () => {
    for (const question of ["2024年新增了多少所公办幼儿园？", "孩子在学校被欺负了，学校有没有专门治理？", "幼儿园的保育费一个月多少钱？"]) {
      const { answer } = await answerer.answer(question);
      expect(answer.mode, question).not.toBe("official");
    }
  });
});

describe("document header and signature questions", () => {
  it("文号: answered from the notice's 发文字号, cited to its document-info passage", async () => {
    const { answer } = await answerer.answer("长宁区2019年那个幼儿入园工作的通知，文号是多少？");
    expect(answer.answer).toContain("长教〔2019〕15号");
    expect(answer.citations[0]!.section).toBe("文件信息");
  });

  it("印发日期: the 落款 date", async () => {
    const { answer } = await answerer.answer("长宁区关于做好2019年学前教育阶段适龄幼儿入园工作的通知是哪天印发的？");
    expect(answer.answer).toContain("2019年4月15日");
  });

  it("文号 asked beside something else: the field's line joins the composed answer, each cited", async () => {
    const { answer } = await answerer.answer("长宁2019入园工作通知的文号是什么？区教育局监督举报电话多少？");
    expect(answer.answer).toContain("长教〔2019〕15号");
    expect(answer.answer).toContain("22050723");
    // Asked first, the field comes first; both sources are listed.
    expect(answer.answer.indexOf("长教〔2019〕15号")).toBeLessThan(answer.answer.indexOf("22050723"));
    expect(answer.citations.map((c) => c.section)).toContain("文件信息");
    expect(answer.citations.length).toBeGreaterThanOrEqual(2);
  });

  it("a keyword look-up that names the notice and asks only its 文号: the header alone answers", async () => {
    const { answer } = await answerer.answer("长宁 2019 入园通知 文号");
    expect(answer.answer).toContain("长教〔2019〕15号");
    expect(answer.citations.every((c) => c.section === "文件信息")).toBe(true);
  });

  it("two fields asked in clauses of their own, the notice named in another: the header alone answers, each line once", async () => {
    const { answer } = await answerer.answer("长宁区2019年那个幼儿入园通知，文号是多少？是哪天印发的？");
    expect(answer.answer).toContain("长教〔2019〕15号");
    expect(answer.answer.split("2019年4月15日").length).toBe(2);
    expect(answer.citations.every((c) => c.section === "文件信息")).toBe(true);
  });

  it("two header lines cited beside another answer keep their line break in the quote", async () => {
    const { answer } = await answerer.answer("长宁2019入园工作通知的文号是什么？哪天印发的？区教育局监督举报电话多少？");
    expect(answer.answer).toContain("22050723");
    const header = answer.citations.find((c) => c.section === "文件信息")!;
    expect(header.quote).toMatch(/长教〔2019〕15\s?号\n落款/);
  });

  it("two fields and nothing else: the header alone answers", async () => {
    const { answer } = await answerer.answer("长宁入园通知是哪天印发的，文号是什么");
    expect(answer.answer).toContain("长教〔2019〕15号");
    expect(answer.answer).toContain("2019年4月15日");
    expect(answer.citations.every((c) => c.section === "文件信息")).toBe(true);
  });
});
