import { describe, expect, it } from "vitest";
import { NO_YEAR } from "../../src/core/search/keyword-source.js";
import { PostingsCache } from "../../src/worker/d1-search-index.js";
import { decodeFacets, decodeFeaturePostings, decodeTermPostings, encodeFacets, encodeFeaturePostings, encodeTermPostings, fromBase64, toBase64 } from "../../src/worker/d1-index-schema.js";

// The D1 blobs' encodings must give back exactly what was written: labels, tfs, field lengths, the
// float32 weights bit for bit, the per-passage facets (runs), and any byte sequence through base64.
describe("D1 index encodings", () => {
  it("round-trips any bytes through base64 (every padding case)", () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 151 + n * 7) & 0xff);
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString("base64"));
      expect(fromBase64(text)).toEqual(bytes);
    }
    expect(() => fromBase64("ab$d")).toThrow(/base64/);
  });

  it("round-trips term postings with large gaps, tfs and lengths", () => {
    const fields = [
      { labels: Uint32Array.from([0, 1, 200, 70_000, 4_000_000_000]), tfs: Uint16Array.from([1, 2, 300, 65_535, 1]), lengths: Uint16Array.from([3, 128, 16_384, 65_535, 0]) },
      { labels: new Uint32Array(0), tfs: new Uint16Array(0), lengths: new Uint16Array(0) },
      { labels: Uint32Array.from([7]), tfs: Uint16Array.from([4]), lengths: Uint16Array.from([90]) },
    ];
    const bytes = encodeTermPostings({ fields });
    expect(decodeTermPostings(fromBase64(toBase64(bytes)))).toEqual({ fields });
    expect(() => decodeTermPostings(bytes.subarray(0, bytes.length - 1))).toThrow();
  });

  it("round-trips feature postings with float32 weights bit for bit", () => {
    const rows = Uint32Array.from([2, 3, 99_999]);
    const weights = Float32Array.from([0.1, -1e-30, 3.4e38]);
    const decoded = decodeFeaturePostings(fromBase64(toBase64(encodeFeaturePostings(rows, weights))));
    expect(decoded.rows).toEqual(rows);
    expect(new Uint32Array(decoded.weights.buffer)).toEqual(new Uint32Array(weights.buffer));
  });

  it("round-trips facets as runs, with no year and no document", () => {
    const years = Int32Array.from([2021, 2021, 2021, NO_YEAR, NO_YEAR, 2024, 2021]);
    const kinds = Int32Array.from([0, 0, 1, 1, -1, 2, 0]);
    const scopes = Int32Array.from([0, 0, 0, 3, -1, 0, 0]);
    const bytes = encodeFacets(years, kinds, scopes);
    expect(decodeFacets(bytes)).toEqual({ years, kinds, scopes });
    const many = 100_000;
    const runs = encodeFacets(new Int32Array(many).fill(2023), new Int32Array(many), new Int32Array(many));
    expect(runs.byteLength).toBeLessThan(16);
  });
});

describe("the per-isolate postings cache", () => {
  it("keeps the most recently used lists within its byte budget and refuses a list over a quarter of it", () => {
    const cache = new PostingsCache<string, number>(100);
    cache.set("教育", 1, 25);
    cache.set("学校", 2, 25);
    cache.set("学生", 3, 25);
    cache.set("课后", 4, 25);
    expect(cache.get("教育")).toBe(1); // now the most recent
    cache.set("服务", 5, 25); // over budget: the least recently used (学校) goes
    expect(cache.get("学校")).toBeUndefined();
    expect([cache.get("教育"), cache.get("学生"), cache.get("课后"), cache.get("服务")]).toEqual([1, 3, 4, 5]);
    expect(cache.bytes).toBe(100);
    cache.set("公办", 6, 26);
    expect(cache.get("公办")).toBeUndefined();
  });
});
