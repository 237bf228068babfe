/**
 * createMojibakeModel's character ranks (counted in a typed array) pinned against a plain count.
 *
 * test/golden/mojibake.json was written by scripts/generate-golden.ts (`npm run golden`), which
 * counts cppjieba's dictionary the plain way (frequency summed per character in a Map, ranked by
 * frequency, ties in order of first appearance): the common characters (rank ≤ 1500), the two
 * characters either side of that boundary, and the mojibake runs found in every corpus line.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findMojibakeRuns, type MojibakeRun } from "../../src/core/text/clean/mojibake.js";
import { createMojibakeModel } from "../../src/node/jieba-segmenter.js";
import { RARE_RANK } from "../golden/inputs.js";
import { CORPUS_LINES } from "./equivalence-corpus.js";

interface MojibakeGolden {
  common: string;
  boundary: [string, string];
  runs: Array<[number, MojibakeRun[]]>;
}
const golden = JSON.parse(readFileSync(join(import.meta.dirname, "..", "golden", "mojibake.json"), "utf8")) as MojibakeGolden;
const common = new Set(golden.common);

const require = createRequire(import.meta.url);
const jiebaDict = require.resolve("nodejieba/package.json").replace(/package\.json$/, "submodules/cppjieba/dict/jieba.dict.utf8");
const model = createMojibakeModel();

describe("createMojibakeModel: character ranks counted in a typed array", () => {
  it("classifies every BMP code unit as common (rank ≤ 1500) exactly as the plain count did", () => {
    const differing: string[] = [];
    let commonNow = 0;
    for (let code = 0; code <= 0xffff; code++) {
      const ch = String.fromCharCode(code);
      const now = model.charRank(ch) <= RARE_RANK;
      if (now !== common.has(ch)) differing.push(`U+${code.toString(16).padStart(4, "0")} ${ch}: rank ${model.charRank(ch)}`);
      if (now) commonNow++;
    }
    expect(differing).toEqual([]);
    expect(commonNow).toBe(RARE_RANK + 1);
    expect(common.size).toBe(RARE_RANK + 1);
  });

  it("is discriminating at the boundary: characters of equal frequency sit at ranks 1500 and 1501", () => {
    // Frequencies tie across the boundary, so the order among equals decides the classification
    // there; the two counts must break that tie the same way.
    const [atBoundary, justRare] = golden.boundary;
    expect(model.charRank(atBoundary)).toBeLessThanOrEqual(RARE_RANK);
    expect(model.charRank(justRare)).toBeGreaterThan(RARE_RANK);
    const freq = (target: string) => {
      let sum = 0;
      for (const line of readFileSync(jiebaDict, "utf8").split("\n")) {
        const [word, count] = line.split(" ");
        if (word && count && word.includes(target)) sum += Number(count) * [...word].filter((c) => c === target).length;
      }
      return sum;
    };
    expect(freq(atBoundary)).toBe(freq(justRare));
  });

  it("ranks common characters low and rare ones high", () => {
    for (const ch of ["的", "学", "校"]) expect(model.charRank(ch)).toBeLessThan(500);
    expect(model.charRank("的")).toBeLessThan(model.charRank("校"));
    for (const ch of ["饕", "鬻", "彘"]) {
      expect(Number.isFinite(model.charRank(ch))).toBe(true);
      expect(model.charRank(ch)).toBeGreaterThan(RARE_RANK);
    }
    // Not in the dictionary at all: infinitely rare.
    expect(model.charRank("\u0000")).toBe(Number.POSITIVE_INFINITY);
  });

  it("finds the same mojibake runs in the corpus", () => {
    const runs = CORPUS_LINES.flatMap((line, i): Array<[number, MojibakeRun[]]> => {
      const found = findMojibakeRuns(line, model);
      return found.length ? [[i, found]] : [];
    });
    expect(runs).toEqual(golden.runs);
    // The corpus holds a real mojibake run (2020 priorities: ?!耙恍R黄贰秉h).
    expect(runs.length).toBeGreaterThan(0);
  });
});
