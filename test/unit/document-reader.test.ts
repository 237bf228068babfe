/**
 * The reader thread reads PDFs, Word files, saved pages and spreadsheets beside the ingest: what it
 * returns, and the errors it reports, are readDocument's own, in the order asked. Real documents of
 * other bureaus (../shared/eval/external/, read from there) and the synthetic fixtures.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isAppError } from "../../src/core/errors.js";
import { createDocumentReader, type DocumentReader } from "../../src/node/readers/document-reader.js";
import { readDocument } from "../../src/node/readers/read-document.js";

const EXTERNAL = resolve(import.meta.dirname, "..", "..", "..", "shared", "eval", "external");
const FIXTURES = resolve(import.meta.dirname, "..", "fixtures", "readers");

const files: Array<[string, string]> = [
  [EXTERNAL, "05.长宁政策.pdf"],
  [EXTERNAL, "2019年长宁区学前教育招生问答口径.doc"],
  [EXTERNAL, "02_积分入学指引_2026.html"],
  [FIXTURES, "merged.xlsx"],
  [FIXTURES, "sample.docx"],
  [FIXTURES, "qa-gbk.csv"],
];

let reader: DocumentReader | undefined;
afterEach(() => reader?.close());

describe.runIf(existsSync(EXTERNAL))("the document reader", () => {
  it("reads in its thread exactly what readDocument reads, in the order asked", async () => {
    reader = createDocumentReader({ threads: 2 });
    const bytes = files.map(([dir, name]) => new Uint8Array(readFileSync(join(dir, name))));
    // All asked at once, as the ingest asks a few ahead.
    const threaded = await Promise.all(files.map(([, name], i) => reader!.read(name, bytes[i]!)));
    expect(reader.threads).toBeGreaterThan(0);
    for (const [i, [, name]] of files.entries()) expect(threaded[i], name).toEqual(await readDocument(name, bytes[i]!));
    expect(threaded[0]!.pages).toBe(19);
    expect(threaded[1]!.text).toContain("区指定报名验证点");
  });

  it("reports a catalog error with its code, and goes on reading", async () => {
    reader = createDocumentReader();
    const broken = reader.read("01_招生细则_原文.txt", new Uint8Array(readFileSync(join(EXTERNAL, "01_招生细则_原文.txt"))));
    const scan = reader.read("no-text.pdf", new Uint8Array(readFileSync(join(FIXTURES, "no-text.pdf"))));
    const good = reader.read("05.长宁政策.pdf", new Uint8Array(readFileSync(join(EXTERNAL, "05.长宁政策.pdf"))));
    for (const failed of [broken, scan]) {
      const error = await failed.then(() => undefined, (e: unknown) => e);
      expect(isAppError(error)).toBe(true);
      expect((error as { code: string }).code).toBe("NO_TEXT_LAYER");
    }
    expect((await good).text).toContain("长教〔2019〕15号");
  });

  it("decodes plain text in place and starts no thread for it", async () => {
    reader = createDocumentReader();
    const result = await reader.read("qa.csv", new Uint8Array(readFileSync(join(FIXTURES, "qa-gbk.csv"))));
    expect(result.encoding).toBe("gb18030");
    expect(reader.threads).toBe(0);
  });

  it("a prefetched reading is what a later read of the same bytes gets; other bytes are read again", async () => {
    reader = createDocumentReader({ threads: 1 });
    const pdf = new Uint8Array(readFileSync(join(EXTERNAL, "05.长宁政策.pdf")));
    const page = new Uint8Array(readFileSync(join(EXTERNAL, "02_积分入学指引_2026.html")));
    const other = new Uint8Array(readFileSync(join(EXTERNAL, "05_幼儿园招生方案_2026.html")));
    reader.prefetch("05.长宁政策.pdf", pdf);
    reader.prefetch("page.html", page);
    // Text is decoded in place when asked: nothing to start ahead.
    reader.prefetch("notes.txt", new TextEncoder().encode("入园登记"));
    expect((await reader.read("05.长宁政策.pdf", pdf)).pages).toBe(19);
    // The folder changed between the prefetch and the ingest's turn: the new bytes are read.
    expect(await reader.read("page.html", other)).toEqual(await readDocument("page.html", other));
    expect((await reader.read("notes.txt", new TextEncoder().encode("入园登记"))).text).toBe("入园登记");
  });

  it("reads in this thread when asked to, with the same result", async () => {
    reader = createDocumentReader({ threads: 0 });
    const bytes = new Uint8Array(readFileSync(join(EXTERNAL, "05.长宁政策.pdf")));
    const result = await reader.read("05.长宁政策.pdf", bytes);
    expect(reader.threads).toBe(0);
    expect(result).toEqual(await readDocument("05.长宁政策.pdf", bytes));
  });
});
