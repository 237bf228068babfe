/**
 * Ingest of a folder a bureau might hand over: real documents of other bureaus (copied at run time
 * into a temporary corpus from ../shared/eval/external/, never into the repository) next to the
 * synthetic table fixtures. The broken text export is reported and skipped; every other file is
 * indexed, with what the reader found and dropped in its report.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "../src/core/config.js";
import { ingestCorpus, type IngestResult } from "../src/node/ingest/build-index.js";
import { createNodeRuntime } from "../src/node/runtime.js";

const EXTERNAL = resolve(import.meta.dirname, "..", "..", "shared", "eval", "external");
const FIXTURES = join(import.meta.dirname, "fixtures", "readers");
const EXTERNAL_FILES = ["01_招生细则_原文.txt", "2019年长宁区学前教育招生问答口径.doc", "05.长宁政策.pdf"];
/** Fixture → name in the corpus (document ids come from file stems, which must differ). */
const FIXTURE_FILES: Record<string, string> = {
  "qa-gbk.csv": "问答.csv",
  "merged.xlsx": "招生计划.xlsx",
  "merged.docx": "招生地段.docx",
  "running-header.pdf": "running-header.pdf",
  "no-text.pdf": "no-text.pdf",
};

describe.runIf(existsSync(EXTERNAL))("ingest of a folder with a broken export, a scan and good files", () => {
  let tmp: string;
  let result: IngestResult;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "edu-readers-ingest-"));
    const corpus = join(tmp, "corpus");
    mkdirSync(corpus);
    for (const name of EXTERNAL_FILES) copyFileSync(join(EXTERNAL, name), join(corpus, name));
    for (const [name, target] of Object.entries(FIXTURE_FILES)) copyFileSync(join(FIXTURES, name), join(corpus, target));
    const runtime = await createNodeRuntime(loadConfig({}));
    result = await ingestCorpus({ corpusDir: corpus, indexDir: join(tmp, "index"), runtime });
  }, 120_000);

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("skips the export with only page markers and the scan, each with its reason, and indexes the rest", () => {
    expect(result.skipped.map((s) => [s.file, s.code, s.reason]).sort()).toEqual([
      ["01_招生细则_原文.txt", "NO_TEXT_LAYER", "无文字内容（只有分页标记），需要重新导出或OCR：01_招生细则_原文.txt"],
      ["no-text.pdf", "NO_TEXT_LAYER", "无文字层，需要OCR：no-text.pdf"],
    ]);
    expect(result.documents.map((d) => d.file).sort()).toEqual(
      ["05.长宁政策.pdf", "2019年长宁区学前教育招生问答口径.doc", "招生地段.docx", "招生计划.xlsx", "问答.csv", "running-header.pdf"].sort(),
    );
    for (const d of result.documents) expect(d.report.passages, d.file).toBeGreaterThan(0);
  });

  it("reports the pages a PDF has and the page furniture its reader dropped", () => {
    const pdf = result.documents.find((d) => d.file === "05.长宁政策.pdf")!;
    expect(pdf.report.found?.pages).toBe(19);
    expect(pdf.report.dropped?.["页码"]).toBe(18);
    const synthetic = result.documents.find((d) => d.file === "running-header.pdf")!;
    expect(synthetic.report.found?.pages).toBe(3);
    expect(synthetic.report.dropped).toMatchObject({ 页眉页脚: 3, 页码: 3 });
  });
});
