import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { findMojibakeRuns } from "../../src/core/text/clean/mojibake.js";
import { createMojibakeModel } from "../../src/node/jieba-segmenter.js";
import { CORPUS_LINES } from "./equivalence-corpus.js";

/** mojibake.ts's RARE_RANK: a Han character ranked above it counts as rare. */
const RARE_RANK = 1500;

const require = createRequire(import.meta.url);
const jiebaDict = require.resolve("nodejieba/package.json").replace(/package\.json$/, "submodules/cppjieba/dict/jieba.dict.utf8");

/** The ranks as counted before the typed array (`git show HEAD~2:src/node/jieba-segmenter.ts`). */
function previousCharRanks(): Map<string, number> {
  const freq = new Map<string, number>();
  for (const line of readFileSync(jiebaDict, "utf8").split("\n")) {
    const [word, count] = line.split(" ");
    if (!word || !count) continue;
    const n = Number(count);
    for (const ch of word) freq.set(ch, (freq.get(ch) ?? 0) + n);
  }
  return new Map([...freq.entries()].sort((a, b) => b[1] - a[1]).map(([ch], rank) => [ch, rank]));
}

const previous = previousCharRanks();
const previousRank = (ch: string) => previous.get(ch) ?? Number.POSITIVE_INFINITY;
const model = createMojibakeModel();

describe("createMojibakeModel: character ranks counted in a typed array", () => {
  it("classifies every BMP code unit as common (rank ≤ 1500) exactly as the Map-based count did", () => {
    const differing: string[] = [];
    let common = 0;
    for (let code = 0; code <= 0xffff; code++) {
      const ch = String.fromCharCode(code);
      const now = model.charRank(ch) <= RARE_RANK;
      if (now !== previousRank(ch) <= RARE_RANK) differing.push(`U+${code.toString(16).padStart(4, "0")} ${ch}: ${model.charRank(ch)} vs ${previousRank(ch)}`);
      if (now) common++;
    }
    expect(differing).toEqual([]);
    expect(common).toBe(RARE_RANK + 1);
  });

  it("is discriminating at the boundary: characters of equal frequency sit at ranks 1500 and 1501", () => {
    // Frequencies tie across the boundary, so the order among equals decides the classification
    // there; the two counts must break that tie the same way.
    const ranked = [...previous.entries()].sort((a, b) => a[1] - b[1]).map(([ch]) => ch);
    const atBoundary = ranked[RARE_RANK]!;
    const justRare = ranked[RARE_RANK + 1]!;
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
    for (const ch of ["的", "学", "校"]) {
      expect(model.charRank(ch)).toBe(previousRank(ch));
      expect(model.charRank(ch)).toBeLessThan(500);
    }
    expect(model.charRank("的")).toBeLessThan(model.charRank("校"));
    for (const ch of ["饕", "鬻", "彘"]) {
      expect(previous.has(ch)).toBe(true);
      expect(model.charRank(ch)).toBeGreaterThan(RARE_RANK);
    }
    // Not in the dictionary at all: infinitely rare, as before.
    expect(model.charRank("\u0000")).toBe(Number.POSITIVE_INFINITY);
    // Ranks among equal frequencies may be ordered differently (by code unit now, by first
    // appearance before); only the classification is used, and it agrees (first test).
  });

  it("finds the same mojibake runs in the corpus with either ranking", () => {
    const previousModel = { cut: model.cut, charRank: previousRank };
    const runs = (m: typeof model) => CORPUS_LINES.map((line) => JSON.stringify(findMojibakeRuns(line, m)));
    expect(runs(model)).toEqual(runs(previousModel));
    // The corpus holds a real mojibake run (2020 priorities: ?!耙恍R黄贰秉h).
    expect(runs(model).filter((r) => r !== "[]").length).toBeGreaterThan(0);
  });
});
