import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { convertToTraditional, detectScript, foldToSimplified } from "../../src/core/text/fold.js";
import { readDocument } from "../../src/node/readers/read-document.js";
import { CORPUS_LINES, hanOf, readCorpusDocuments, scriptCounts, wholeTextScript } from "./equivalence-corpus.js";

// The whole-text method (before sampling) is `wholeTextScript` in equivalence-corpus.ts.

/** The sample covers 8 runs of 512 Han characters: up to that many, the whole text is judged. */
const SAMPLED_ABOVE = 8 * 512;

function mismatches(texts: Array<[label: string, text: string]>): string[] {
  return texts.flatMap(([label, text]) => {
    const expected = wholeTextScript(text);
    const actual = detectScript(text);
    return actual === expected ? [] : [`${label} (${hanOf(text).length} Han characters, ${JSON.stringify(scriptCounts(text))}): ${actual}, whole text ${expected}`];
  });
}

let documents: Array<{ file: string; text: string }> = [];

beforeAll(async () => {
  documents = await readCorpusDocuments();
});

describe("detectScript on a sample gives the whole-text script", () => {
  it("every corpus document, read as UTF-8 and as GB18030 bytes through readDocument", async () => {
    expect(documents.length).toBe(5);
    const gb: Array<[string, string]> = [];
    for (const { file, text } of documents) {
      const read = await readDocument(file, new Uint8Array(iconv.encode(text, "gb18030")));
      expect(read.encoding).toBe("gb18030");
      expect(read.text).toBe(text);
      gb.push([`${file} (gb18030)`, read.text]);
    }
    expect(mismatches([...documents.map((d): [string, string] => [d.file, d.text]), ...gb])).toEqual([]);
    // The corpus has both scripts, and a document long enough to be sampled.
    expect(new Set(documents.map((d) => wholeTextScript(d.text)))).toEqual(new Set(["Hans", "Hant"]));
    expect(documents.some((d) => hanOf(d.text).length > SAMPLED_ABOVE)).toBe(true);
  });

  it("long concatenations of the documents, each as written or converted to Traditional, in both orders", () => {
    const traditional = documents.map((d) => convertToTraditional(d.text));
    const texts: Array<[string, string]> = [];
    for (let mask = 0; mask < 1 << documents.length; mask++) {
      const parts = documents.map((d, i) => ((mask >> i) & 1 ? traditional[i]! : d.text));
      texts.push([`mask ${mask}`, parts.join("\n")], [`mask ${mask} reversed`, [...parts].reverse().join("\n")]);
    }
    expect(mismatches(texts)).toEqual([]);
    expect(texts.filter(([, t]) => hanOf(t).length > SAMPLED_ABOVE).length).toBe(64);
    expect(new Set(texts.map(([, t]) => wholeTextScript(t)))).toEqual(new Set(["Hans", "Hant"]));
  });

  it("the whole corpus in one script, repeated, and mixed with one script clearly ahead", () => {
    const traditional = documents.map((d) => convertToTraditional(d.text));
    const simplified = documents.map((d) => foldToSimplified(d.text));
    const texts: Array<[string, string]> = [];
    for (const times of [1, 2, 3, 5]) {
      texts.push([`Simplified corpus ×${times}`, Array(times).fill(simplified.join("\n")).join("\n")]);
      texts.push([`Traditional corpus ×${times}`, Array(times).fill(traditional.join("\n")).join("\n")]);
    }
    // Mixed, with one script clearly ahead (the corpus in one script, a third of it in the other).
    // Only a long text close to a tie can be judged otherwise on the sample than on every
    // character: the same content in both halves differs by a few characters in 30,000.
    const third = Math.ceil(documents.length / 3);
    texts.push(["Traditional, then a third Simplified", [...traditional, ...simplified.slice(0, third)].join("\n")]);
    texts.push(["Simplified, then a third Traditional", [...simplified, ...traditional.slice(0, third)].join("\n")]);
    texts.push(["a third Simplified, then Traditional", [...simplified.slice(0, third), ...traditional].join("\n")]);
    expect(texts.every(([, t]) => hanOf(t).length > SAMPLED_ABOVE)).toBe(true);
    expect(mismatches(texts)).toEqual([]);
  });

  it("short texts are unaffected: every corpus line, and every line converted to Traditional", () => {
    const lines = CORPUS_LINES.filter((l) => hanOf(l));
    expect(mismatches([...lines, ...lines.map(convertToTraditional)].map((l): [string, string] => [l.slice(0, 30), l]))).toEqual([]);
  });

  it("texts of up to 8 × 512 Han characters are judged on every character: a decisive Traditional passage counts wherever it sits", () => {
    // Real text balanced to one character: a Traditional passage (corpus lines converted) and a
    // Simplified stretch of the corpus with exactly one script-specific character fewer. Judged
    // on every character the text is Traditional; a sample that leaves any part out may not be.
    const simplified = documents.map((d) => foldToSimplified(d.text)).join("\n");
    const lines = simplified.split("\n").filter((l) => hanOf(l).length > 20);
    const texts: Array<[string, string]> = [];
    for (const size of [300, 1000, 1800]) {
      let passage = "";
      for (const line of [...lines].reverse()) {
        if (hanOf(passage).length >= size) break;
        passage += `${convertToTraditional(line)}\n`;
      }
      const target = scriptCounts(passage).hant - 1;
      let lo = 0;
      let hi = simplified.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (scriptCounts(simplified.slice(0, mid)).hans >= target) hi = mid;
        else lo = mid + 1;
      }
      const stretch = simplified.slice(0, lo);
      const cuts = [0, ...[1, 2, 3, 4, 5].map((k) => stretch.indexOf("\n", Math.floor((stretch.length * k) / 6))), stretch.length];
      for (const cut of new Set(cuts.filter((c) => c >= 0))) {
        const text = `${stretch.slice(0, cut)}\n${passage}${stretch.slice(cut)}`;
        const counts = scriptCounts(text);
        expect(counts.han).toBeLessThanOrEqual(SAMPLED_ABOVE);
        expect(counts.hant - counts.hans).toBe(1);
        texts.push([`${size}-character passage at ${cut}`, text]);
      }
    }
    expect(texts.length).toBeGreaterThan(15);
    expect(mismatches(texts)).toEqual([]);
    expect(texts.every(([, t]) => detectScript(t) === "Hant")).toBe(true);
  });
});
