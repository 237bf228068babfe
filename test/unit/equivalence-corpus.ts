/**
 * Real text for the ingest-equivalence tests (test/unit/*-equivalence.test.ts): every line of every
 * corpus file, the eval questions, and the passages ingest makes of the corpus.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as OpenCC from "opencc-js";
import { join } from "node:path";
import { processDocument, type SidecarEntry } from "../../src/core/ingest/process-document.js";
import type { DocumentMeta, Passage, Script } from "../../src/core/types.js";
import { createMojibakeModel } from "../../src/node/jieba-segmenter.js";
import { readDocument } from "../../src/node/readers/read-document.js";
import { CORPUS_DIR, FILES } from "../helpers.js";

/** The corpus documents (the .txt files), sorted by name. */
export const CORPUS_FILES: string[] = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith(".txt"))
  .sort();

if (CORPUS_FILES.length !== Object.keys(FILES).length) throw new Error(`corpus/ holds ${CORPUS_FILES.length} documents, helpers.ts names ${Object.keys(FILES).length}`);

/** Every line of every corpus document, as committed (blank lines included). */
export const CORPUS_LINES: string[] = CORPUS_FILES.flatMap((f) => readFileSync(join(CORPUS_DIR, f), "utf8").split(/\r?\n/));

/** The questions of test/eval/dev.jsonl and calibration.jsonl. */
export const EVAL_QUESTIONS: string[] = ["dev.jsonl", "calibration.jsonl"].flatMap((f) =>
  readFileSync(join(import.meta.dirname, "..", "eval", f), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { question: string }).question),
);

/** The corpus documents' text through readDocument (encoding detection), in CORPUS_FILES order. */
export async function readCorpusDocuments(): Promise<Array<{ file: string; text: string; encoding: string | undefined }>> {
  const out = [];
  for (const file of CORPUS_FILES) {
    const read = await readDocument(file, new Uint8Array(readFileSync(join(CORPUS_DIR, file))));
    out.push({ file, text: read.text, encoding: read.encoding });
  }
  return out;
}

/** Every passage of the corpus as ingest makes it (read → clean → structure → chunk), with its document. */
export async function corpusPassages(): Promise<Array<{ passage: Passage; doc: DocumentMeta }>> {
  const sidecar = (JSON.parse(readFileSync(join(CORPUS_DIR, "documents.json"), "utf8")) as { documents: Record<string, SidecarEntry> }).documents;
  const mojibake = createMojibakeModel();
  const out: Array<{ passage: Passage; doc: DocumentMeta }> = [];
  for (const { file, text } of await readCorpusDocuments()) {
    const entry = sidecar[file];
    const processed = processDocument({ file, text, contentHash: file, mojibake, ...(entry ? { sidecar: entry } : {}) });
    for (const passage of processed.passages) out.push({ passage, doc: processed.meta });
  }
  return out;
}

/** The plain OpenCC converters, without fold.ts's pre-checks: the reference the fast paths must match. */
export const plainToSimplified = OpenCC.Converter({ from: "tw", to: "cn" });
export const plainToTraditional = OpenCC.Converter({ from: "cn", to: "tw" });

export const hanOf = (text: string) => text.replace(/[^\u3400-\u9fff]/g, "");

/** Characters of a text's Han that each conversion changes (every character, no sampling). */
export function scriptCounts(text: string): { hant: number; hans: number; han: number } {
  const han = hanOf(text);
  const simplified = plainToSimplified(han);
  const traditional = plainToTraditional(han);
  let hant = 0;
  let hans = 0;
  for (let i = 0; i < han.length; i++) {
    if (simplified[i] !== han[i]) hant++;
    if (traditional[i] !== han[i]) hans++;
  }
  return { hant, hans, han: han.length };
}

/** detectScript as it was before sampling: judged on every Han character. */
export function wholeTextScript(text: string): Script {
  const { hant, hans } = scriptCounts(text);
  return hant > hans ? "Hant" : "Hans";
}
