import { describe, expect, it } from "vitest";
import { TopK } from "../../src/core/search/top-k.js";

/** The rule TopK replaces: insertion into a sorted array, higher score first, smaller key first among equals. */
function sortedInsertion(entries: Array<{ score: number; key: number }>, k: number): Array<{ score: number; key: number }> {
  const best: Array<{ score: number; key: number }> = [];
  for (const e of entries) {
    let at = best.length;
    while (at > 0 && (best[at - 1]!.score < e.score || (best[at - 1]!.score === e.score && best[at - 1]!.key > e.key))) at--;
    best.splice(at, 0, e);
    if (best.length > k) best.pop();
  }
  return best;
}

describe("TopK", () => {
  it("keeps exactly what a sorted insertion keeps, ties broken by the smaller key, for streams with many equal scores", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const k of [1, 2, 5, 40, 400]) {
      // Scores from a small set, so that ties at the k-th place are common; keys in shuffled order.
      const keys = Array.from({ length: 3000 }, (_, i) => i).sort(() => random() - 0.5);
      const entries = keys.map((key) => ({ score: Math.floor(random() * 50) / 10, key }));
      const top = new TopK(k);
      for (const e of entries) top.push(e.score, e.key);
      expect(top.drain()).toEqual(sortedInsertion(entries, k));
    }
  });

  it("admits only what push would keep, so a caller can test its filter after it", () => {
    const top = new TopK(2);
    top.push(3, 10);
    top.push(5, 11);
    expect(top.admits(2, 0)).toBe(false);
    expect(top.admits(3, 12)).toBe(false);
    expect(top.admits(3, 9)).toBe(true);
    expect(top.admits(4, 99)).toBe(true);
    top.push(3, 9);
    expect(top.drain()).toEqual([
      { score: 5, key: 11 },
      { score: 3, key: 9 },
    ]);
  });

  it("keeps at most the whole part of a fractional k", () => {
    const top = new TopK(2.5);
    for (let i = 0; i < 5; i++) top.push(i, i);
    expect(top.drain()).toEqual([
      { score: 4, key: 4 },
      { score: 3, key: 3 },
    ]);
  });

  it("keeps nothing with k = 0 and is empty after drain", () => {
    const none = new TopK(0);
    none.push(1, 1);
    expect(none.drain()).toEqual([]);
    const one = new TopK(3);
    one.push(1, 1);
    expect(one.drain()).toHaveLength(1);
    expect(one.drain()).toEqual([]);
  });
});
