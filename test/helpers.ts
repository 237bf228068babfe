import { readFileSync } from "node:fs";
import { join } from "node:path";

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
