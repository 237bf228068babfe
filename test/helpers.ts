import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SparseVector } from "../src/core/types.js";

export const CORPUS_DIR = join(import.meta.dirname, "..", "corpus");

/** Raw text of a corpus file, exactly as committed. */
export function corpusText(file: string): string {
  return readFileSync(join(CORPUS_DIR, file), "utf8");
}

/** The first line of a corpus file that contains `needle` (a test's fixture, taken from the real text). */
export function corpusLine(file: string, needle: string): string {
  const line = corpusText(file)
    .split(/\r?\n/)
    .find((l) => l.includes(needle));
  if (line === undefined) throw new Error(`${file}: no line contains ${needle}`);
  return line;
}

export const FILES = {
  summary2021: "2021-work-summary.txt",
  summary2024: "2024-work-summary.txt",
  targets2021: "2021-business-targets.txt",
  priorities2020: "2020-work-priorities.txt",
  speech: "speech-education-forum.txt",
} as const;

/** Exact cosine of two sparse vectors in float64, independent of any index: merge of the sorted id lists. */
export function sparseCosine(a: SparseVector, b: SparseVector): number {
  let dot = 0;
  for (let i = 0, j = 0; i < a.ids.length && j < b.ids.length; ) {
    if (a.ids[i] === b.ids[j]) dot += a.weights[i++]! * b.weights[j++]!;
    else if (a.ids[i]! < b.ids[j]!) i++;
    else j++;
  }
  const norm = (v: SparseVector) => Math.sqrt(v.weights.reduce((s, w) => s + w * w, 0));
  return dot / (norm(a) * norm(b) || 1);
}

/** One earlier exchange of a conversation: the user's question and the assistant's reply. */
export function exchange(user: string, assistant: string): Array<{ role: "user" | "assistant"; content: string }> {
  return [
    { role: "user", content: user },
    { role: "assistant", content: assistant },
  ];
}

/** What an answer says before its first citation marker, on its first line: the sentence read first. */
export function leadQuote(answer: string): string {
  return answer.split("\n")[0]!.split(/\[1\]/)[0]!;
}
