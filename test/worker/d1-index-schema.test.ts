import { describe, expect, it } from "vitest";
import { NO_YEAR } from "../../src/core/search/keyword-source.js";
import { PostingsCache } from "../../src/worker/d1-search-index.js";
import { sparseVector } from "../../src/core/search/sparse-vector-index.js";
import {
  decodeFacets,
  decodeFeaturePostings,
  decodeFeatureScales,
  decodeFieldLengths,
  decodeTermPostings,
  encodeFacets,
  encodeFeaturePostings,
  encodeFeatureScales,
  encodeFieldLengths,
  encodeTermPostings,
  featureScales,
  fromBase64,
  headOfFeatureList,
  headOfTermField,
  parsePassageRow,
  passageRow,
  toBase64,
} from "../../src/worker/d1-index-schema.js";

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
    expect(() => fromBase64("abc\u00e9")).toThrow(/base64/);
    expect(() => fromBase64("abcdab$")).toThrow(/base64/);
  });

  it("round-trips term postings with large gaps and tfs, runs of consecutive labels, and a cut list", () => {
    const fields = [
      { count: 5, labels: Uint32Array.from([0, 1, 200, 70_000, 4_000_000_000]), tfs: Uint16Array.from([1, 2, 300, 65_535, 1]) },
      // A title's postings: a document's passages in a row, one tf — stored as runs.
      { count: 9, labels: Uint32Array.from([3, 4, 5, 6, 7, 8, 20, 21, 22]), tfs: Uint16Array.from([2, 2, 2, 2, 1, 1, 1, 1, 3]) },
      // A cut list: 12,000 passages hold the term, one is stored.
      { count: 12_000, labels: Uint32Array.from([7]), tfs: Uint16Array.from([4]) },
    ];
    const bytes = encodeTermPostings({ fields });
    expect(decodeTermPostings(fromBase64(toBase64(bytes)), 4_000_000_001)).toEqual({ fields });
    expect(() => decodeTermPostings(bytes.subarray(0, bytes.length - 1), 4_000_000_001)).toThrow();
    // A label past the build's passages is refused.
    expect(() => decodeTermPostings(bytes, 4_000_000_000)).toThrow(/passages/);
    // A text field's postings (far apart, tf 1) take one byte each beside the counts and modes.
    const text = { count: 100, labels: Uint32Array.from({ length: 100 }, (_, i) => i * 40 + 3), tfs: new Uint16Array(100).fill(1) };
    const empty = { count: 0, labels: new Uint32Array(0), tfs: new Uint16Array(0) };
    expect(encodeTermPostings({ fields: [empty, empty, text] }).byteLength).toBeLessThan(110);
  });

  it("round-trips the passages' field lengths (runs for a title or a section, one value a passage for text)", () => {
    const title = new Uint16Array(1000).fill(9, 0, 600).fill(14, 600);
    const section = Uint16Array.from({ length: 1000 }, (_, i) => Math.floor(i / 50) % 7);
    const text = Uint16Array.from({ length: 1000 }, (_, i) => (i * 37) % 500);
    const bytes = encodeFieldLengths([title, section, text]);
    expect(decodeFieldLengths(fromBase64(toBase64(bytes)))).toEqual([title, section, text]);
    expect(bytes.byteLength).toBeLessThan(1000 * 2 + 100);
    expect(() => decodeFieldLengths(bytes.subarray(0, bytes.length - 1))).toThrow();
  });

  it("round-trips the hashing model's feature weights bit for bit in about two bytes a posting", () => {
    // Passages as the hashing model makes them: raw weights (1 + ln tf) × IDF for words and × 1.2
    // for Han bigrams, normalised per passage by sparseVector; then inverted into feature lists.
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const idfs = [5.2, 7.9, 9.31, 11, 12];
    const passages = 2000;
    const lists = new Map<number, Array<[number, number]>>();
    for (let p = 0; p < passages; p++) {
      const ids: number[] = [];
      const raw: number[] = [];
      for (let f = 0; f < 40; f++) {
        const feature = Math.floor(random() * 300);
        if (ids.includes(feature)) continue;
        const tf = random() < 0.8 ? 1 : 1 + Math.floor(random() * 4);
        ids.push(feature);
        raw.push((1 + Math.log(tf)) * (feature < 200 ? 1.2 : idfs[feature % idfs.length]!));
      }
      const vector = sparseVector(ids, raw);
      vector.ids.forEach((feature, i) => {
        let list = lists.get(feature);
        if (!list) lists.set(feature, (list = []));
        list.push([p, vector.weights[i]!]);
      });
    }
    const all = [...lists.values()].flat();
    const scales = featureScales(passages, Uint32Array.from(all, ([p]) => p), Float32Array.from(all, ([, w]) => w));
    expect(decodeFeatureScales(fromBase64(toBase64(encodeFeatureScales(scales))))).toEqual(scales);
    let bytes = 0;
    for (const list of lists.values()) {
      const rows = Uint32Array.from(list, ([p]) => p);
      const weights = Float32Array.from(list, ([, w]) => w);
      const encoded = encodeFeaturePostings(rows, weights, scales);
      bytes += encoded.byteLength;
      const decoded = decodeFeaturePostings(fromBase64(toBase64(encoded)), scales);
      expect(decoded.rows).toEqual(rows);
      expect(new Uint32Array(decoded.weights.buffer)).toEqual(new Uint32Array(weights.buffer));
    }
    // Raw float32 weights took 4 bytes a posting, before the row gaps.
    expect(bytes / all.length).toBeLessThan(2.5);
  });

  it("round-trips any float32 weights bit for bit, whatever the scales, and refuses a cut blob", () => {
    const rows = Uint32Array.from([2, 3, 5, 6, 7, 99_999]);
    const weights = Float32Array.from([0.1, -1e-30, 3.4e38, 0, 1e-45, 0.25]);
    const scales = new Float32Array(100_000).fill(3.7);
    scales[6] = 1e-40;
    scales[99_999] = 1;
    const encoded = encodeFeaturePostings(rows, weights, scales);
    const decoded = decodeFeaturePostings(encoded, scales);
    expect(decoded.rows).toEqual(rows);
    expect(new Uint32Array(decoded.weights.buffer)).toEqual(new Uint32Array(weights.buffer));
    expect(() => decodeFeaturePostings(encoded.subarray(0, encoded.length - 1), scales)).toThrow();
    expect(() => decodeFeaturePostings(encoded, scales.subarray(0, 10))).toThrow(/row 99999 of 10/);
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

describe("passage rows", () => {
  // A passage of the 2020 work priorities (Traditional text, so its folded form differs) and a table row.
  const title = "2020年全市教育工作要点";
  const paragraph = {
    id: "2020-work-priorities#p005",
    docId: "2020-work-priorities",
    ordinal: 5,
    kind: "paragraph",
    headingPath: [title, "一、加強黨的領導,提升教育治理水平", "4.提升區域教育依法治理水平"],
    text: "加強法治宣傳教育。推進憲法及教育法律法規學習常態化機制建設。",
    folded: "加强法治宣传教育。推进宪法及教育法律法规学习常态化机制建设。",
    redactions: [],
  };
  const context = { id: paragraph.id, docId: paragraph.docId, label: 5, title, firstPassage: 0 };

  it("leaves out what the columns and the document say, and gives the passage back field for field", () => {
    const row = passageRow(paragraph, context);
    expect(JSON.parse(row)).toEqual({ sections: paragraph.headingPath.slice(1), text: paragraph.text, folded: paragraph.folded });
    const back = parsePassageRow(row, context);
    expect(JSON.stringify(back)).toBe(JSON.stringify(paragraph));
    // Simplified text: folded is the text and is not stored twice.
    const simplified = { ...paragraph, text: paragraph.folded };
    expect(JSON.parse(passageRow(simplified, context))).not.toHaveProperty("folded");
    expect(parsePassageRow(passageRow(simplified, context), context)).toEqual(simplified);
  });

  it("keeps a field that cannot be derived: another ordinal, a heading path without the title, a table row's cells", () => {
    const row = { ...paragraph, ordinal: 9, kind: "table-row", headingPath: ["附件1"], redactions: [{ start: 0, end: 2, text: "××" }], fields: { 序号: "1", 名称: "市南区实验小学" } };
    const stored = JSON.parse(passageRow(row, context)) as Record<string, unknown>;
    expect(stored).toMatchObject({ ordinal: 9, kind: "table-row", headingPath: ["附件1"], fields: row.fields });
    expect(JSON.stringify(parsePassageRow(passageRow(row, context), context))).toBe(JSON.stringify(row));
  });
});

describe("the head of a long postings list", () => {
  it("keeps a term's highest-impact postings (high tf, short field) in label order, with the list's full count", () => {
    // Six passages hold the term; the head of 3 keeps the largest tf / (tf + norm(length)).
    const field = { labels: Uint32Array.from([2, 5, 9, 11, 40, 41]), tfs: Uint16Array.from([1, 3, 1, 2, 1, 3]), lengths: Uint16Array.from([10, 10, 80, 5, 10, 200]) };
    const head = headOfTermField(field, 20, 3);
    expect(head.count).toBe(6);
    // 5 (tf 3, length 10) and 11 (tf 2, length 5) first; 2 and 40 tie (tf 1, length 10): the lower label stays.
    expect([...head.labels]).toEqual([2, 5, 11]);
    expect([...head.tfs]).toEqual([1, 3, 2]);
    // A list within the head is kept whole.
    expect(headOfTermField(field, 20, 6)).toEqual({ count: 6, labels: field.labels, tfs: field.tfs });
  });

  it("keeps a feature's largest weights in row order, ties to the lower row", () => {
    const rows = Uint32Array.from([1, 4, 6, 8, 9]);
    const weights = Float32Array.from([0.1, 0.5, 0.2, 0.5, 0.05]);
    const head = headOfFeatureList(rows, weights, 3);
    expect([...head.rows]).toEqual([4, 6, 8]);
    expect([...head.weights]).toEqual([0.5, Math.fround(0.2), 0.5]);
    expect(headOfFeatureList(rows, weights, 2).rows).toEqual(Uint32Array.from([4, 8]));
    expect(headOfFeatureList(rows, weights, 5)).toEqual({ rows, weights });
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

  it("keeps the lists that searches share while a round of terms asked once passes through", () => {
    const cache = new PostingsCache<string, number>(100);
    // 教育 and 学生 are asked by two searches: protected.
    for (const term of ["教育", "学生"]) {
      cache.set(term, 1, 25);
      cache.get(term);
    }
    // A round of other questions' terms, each asked once (a plain LRU would lose 教育 and 学生 here).
    for (const term of ["课后", "服务", "入园", "报名", "转学", "材料"]) {
      if (cache.get(term) === undefined) cache.set(term, 2, 25);
    }
    expect(cache.get("教育")).toBe(1);
    expect(cache.get("学生")).toBe(1);
    expect(cache.get("课后")).toBeUndefined();
    expect(cache.bytes).toBeLessThanOrEqual(100);
  });
});
