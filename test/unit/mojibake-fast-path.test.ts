import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as OpenCC from "opencc-js";
import { beforeAll, describe, expect, it } from "vitest";
import { removeDocxResidue } from "../../src/core/text/clean/docx-residue.js";
import { findMojibakeRuns, findMojibakeRunsSlow, type MojibakeModel } from "../../src/core/text/clean/mojibake.js";
import { removePinyinGlosses } from "../../src/core/text/clean/pinyin-gloss.js";
import { convertToTraditional } from "../../src/core/text/fold.js";
import { createMojibakeModel } from "../../src/node/jieba-segmenter.js";
import { formatOf, readDocument } from "../../src/node/readers/read-document.js";
import { CORPUS_DIR } from "../helpers.js";

const model = createMojibakeModel();
/** Characters an oddity token (the only thing that lets the segmentation pass report a run) is made of. */
const ODDITY_CHAR = /[A-Za-z?!@#$^&*~`|\\]/;

// Mojibake and near-mojibake examples: those of test/unit/cleaning.test.ts and variations of them.
const EXAMPLES = [
  "10所學校被命名為全省中小學?!耙恍R黄贰秉h建品牌示范校,20所學校被確定為全市高水平海洋教育特色校。",
  "10所学校被命名为全省中小学?!耙恍R黄贰秉h建品牌示范校,20所学校被确定为全市高水平海洋教育特色校。",
  "全省中小学耙恍黄贰秉建品牌示范校",
  "全省中小学耙恍R黄贰秉h建品牌示范校",
  "发布时间 æ•™è‚²å±€ 通知",
  "发布时间 æ•™è‚²å±€?!耙恍R黄贰 通知",
  "全市新增公办园\uFFFD\uFFFD所",
  "全市新增公办园\uFFFD\uFFFD所?!耙恍R黄贰秉h",
  "æ•™è‚²å±€\uFFFD\uFFFD所",
  "\uFFFD",
  "",
  "xx市现有各级各类学校、幼儿园xxxx所,在校生xx.xx万人",
  "全国首个RCEP(RCEP)产教协同联盟",
  "学校 A 类 B 类",
  "鍥藉鏁欒偛閮ㄥ叧浜庡嵃鍙戙婁箟鍔℃暀鑲茶绋嬫柟妗",
  "鍥藉鏁欒偛閮?ㄥ叧浜庡嵃鍙戙婁箟鍔?暀鑲茶绋嬫柟妗",
];

function expectSame(lines: string[], m: MojibakeModel = model): void {
  const differing = lines.filter((line) => JSON.stringify(findMojibakeRuns(line, m)) !== JSON.stringify(findMojibakeRunsSlow(line, m)));
  expect(differing).toEqual([]);
}

let rawLines: string[] = [];
let cleanedLines: string[] = [];

beforeAll(async () => {
  for (const file of readdirSync(CORPUS_DIR).sort()) {
    const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, file)));
    const text = formatOf(file) ? (await readDocument(file, bytes)).text : new TextDecoder().decode(bytes);
    rawLines.push(...text.split(/\r?\n/));
    // What cleanDocument hands the detector: glosses and docx residue already removed.
    cleanedLines.push(...removeDocxResidue(removePinyinGlosses(text).text).text.split(/\r?\n/));
  }
  rawLines = [...new Set(rawLines)];
  cleanedLines = [...new Set(cleanedLines)];
});

describe("findMojibakeRuns pre-check (exact fast path)", () => {
  it("finds exactly what the full detector finds on every corpus line, raw and cleaned", () => {
    expect(rawLines.length).toBeGreaterThan(100);
    expectSame(rawLines);
    expectSame(cleanedLines);
    // The pre-check does skip most cleaned lines.
    const skipped = cleanedLines.filter((line) => !ODDITY_CHAR.test(line));
    expect(skipped.length).toBeGreaterThan(cleanedLines.length / 2);
  });

  it("finds exactly what the full detector finds on mojibake examples, in both scripts and pieces", () => {
    const lines = [...EXAMPLES, ...EXAMPLES.map(convertToTraditional)];
    const pieces = lines.flatMap((line) => [...line.split(/[,，。]/), line.replace(/[?!A-Za-z]/g, ""), line.replace(/[?!]/g, "")]);
    expectSame([...lines, ...pieces]);
    expectSame([...rawLines, ...cleanedLines].map(convertToTraditional));
  });

  it("never calls the segmenter for a line without an oddity character", () => {
    let cuts = 0;
    const counting: MojibakeModel = { cut: (text) => (cuts++, model.cut(text)), charRank: model.charRank };
    const plain = cleanedLines.filter((line) => !ODDITY_CHAR.test(line));
    for (const line of plain) findMojibakeRuns(line, counting);
    expect(cuts).toBe(0);
    findMojibakeRuns("全省中小学?!耙恍R黄贰秉h建品牌示范校", counting);
    expect(cuts).toBe(1);
  });

  it("still detects the real GBK/UTF-8 mix-up of the corpus (2021 summary), and Latin-1 and U+FFFD runs", () => {
    const line = cleanedLines.find((l) => l.includes("耙恍"));
    expect(line).toBeDefined();
    expect(rawLines.some((l) => l.includes("?!耙恍R黄贰秉h"))).toBe(true);
    expect(findMojibakeRuns(line!, model).map((r) => r.text)).toEqual(["?!耙恍R黄贰秉h"]);
    // Lines without oddity characters take the fast path and still get the regex runs.
    expect(findMojibakeRuns("发布时间 æ•™è‚²å±€ 通知", model).map((r) => r.text)).toEqual(["æ•™è‚²å±€"]);
    expect(findMojibakeRuns("全市新增公办园\uFFFD\uFFFD所", model)).toHaveLength(1);
  });

  it("rests on the Simplified fold never writing an oddity character", () => {
    const bad: string[] = [];
    const visit = (node: unknown): void => {
      if (typeof node === "string") {
        for (const entry of node.split("|")) if (ODDITY_CHAR.test(entry)) bad.push(entry);
      } else if (node && typeof node === "object") {
        for (const item of Object.values(node)) visit(item);
      }
    };
    visit(OpenCC.Locale.configs.tw2s);
    expect(bad).toEqual([]);
  });
});
