import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as OpenCC from "opencc-js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  convertToTraditional,
  detectScript,
  foldForMatching,
  foldToSimplified,
  simplifiedMayDiffer,
  toScript,
} from "../../src/core/text/fold.js";
import { formatOf, readDocument } from "../../src/node/readers/read-document.js";
import { CORPUS_DIR } from "../helpers.js";
import { plainToSimplified, plainToTraditional, wholeTextScript } from "./equivalence-corpus.js";

// The converters exactly as fold.ts built them before the pre-check: the reference.
const plainFold = (text: string) => plainToSimplified(text.normalize("NFKC")).toLowerCase().replace(/[ \t\u3000]+/g, " ");

/** The plain converters' script detection, on every character. */
const plainDetectScript = wholeTextScript;

/** Every file of corpus/ as text: documents through readDocument (it detects GB18030), the rest as UTF-8. */
async function corpusDocuments(): Promise<string[]> {
  const texts: string[] = [];
  for (const file of readdirSync(CORPUS_DIR).sort()) {
    const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, file)));
    texts.push(formatOf(file) ? (await readDocument(file, bytes)).text : new TextDecoder().decode(bytes));
  }
  return texts;
}

/** Every [key, value] string of the dictionaries of a locale config (strings "k v|k v" or [k, v] pairs). */
function configStrings(node: unknown, out: Set<string>): Set<string> {
  if (typeof node === "string") {
    for (const entry of node.split("|")) for (const part of entry.split(" ")) if (part) out.add(part);
  } else if (Array.isArray(node) || (node && typeof node === "object")) {
    for (const item of Object.values(node)) configStrings(item, out);
  }
  return out;
}

/** The [key, value] entries of a dictionary group (strings "k v|k v" or [k, v] pairs). */
function pairs(group: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const dict of group as unknown[]) {
    if (typeof dict === "string") for (const entry of dict.split("|")) out.push(entry.split(" ") as [string, string]);
    else for (const pair of dict as Array<[string, string]>) out.push([pair[0], pair[1]]);
  }
  return out;
}

function mismatches(strings: Iterable<string>): string[] {
  const bad: string[] = [];
  for (const s of strings) {
    if (foldToSimplified(s) !== plainToSimplified(s)) bad.push(`foldToSimplified: ${s}`);
    if (foldForMatching(s) !== plainFold(s)) bad.push(`foldForMatching: ${s}`);
    if (toScript(s, "Hans") !== plainToSimplified(s)) bad.push(`toScript: ${s}`);
  }
  return bad;
}

let documents: string[] = [];
let lines: string[] = [];
let traditional: string[] = [];

beforeAll(async () => {
  documents = await corpusDocuments();
  lines = documents.flatMap((text) => text.split(/\r?\n/));
  // Traditional text as ingest meets it: corpus sentences (mostly Simplified) and lines converted.
  const pieces = [...new Set(documents.flatMap((text) => text.split(/[\n。；;]/)).map((s) => s.trim()).filter((s) => /[\u3400-\u9fff]/.test(s)))];
  traditional = pieces.map(convertToTraditional);
});

describe("foldToSimplified pre-check (exact fast path)", () => {
  it("gives the plain converter's output for every line, sentence and whole file of corpus/", () => {
    expect(lines.length).toBeGreaterThan(100);
    const sentences = lines.flatMap((line) => line.split(/[。；;，,]/));
    expect(mismatches([...documents, ...lines, ...sentences])).toEqual([]);
  });

  it("gives the plain converter's output for hundreds of Traditional strings", () => {
    expect(traditional.length).toBeGreaterThan(300);
    expect(traditional.filter((s) => plainToSimplified(s) !== s).length).toBeGreaterThan(300);
    expect(mismatches(traditional)).toEqual([]);
    // Traditional text always takes the converter.
    expect(traditional.filter((s) => /[\u3400-\u9fff]/.test(s) && plainToSimplified(s) !== s && !simplifiedMayDiffer(s))).toEqual([]);
  });

  it("gives the plain converter's output for every key and value of the tw→cn and cn→tw dictionaries", () => {
    const strings = configStrings(OpenCC.Locale.configs.tw2s, new Set());
    configStrings(OpenCC.Locale.configs.s2tw, strings);
    expect(strings.size).toBeGreaterThan(50_000);
    // Also each string with the tw group's variants (祕, 纔, 羣 …) turned back into what the tw group
    // turns into them (秘, 才, 群 …): 李秘 must come out as 李祕, as the converter has it.
    const back = new Map<string, string>();
    for (const [from, to] of pairs(OpenCC.Locale.configs.tw2s.conversionChain[0])) {
      if ([...from].length === 1 && [...to].length === 1 && from !== to) back.set(to, from);
    }
    expect(back.get("祕")).toBe("秘");
    const reverted = [...strings].map((s) => Array.from(s, (ch) => back.get(ch) ?? ch).join(""));
    const framed = [...strings, ...reverted].flatMap((s) => [s, `在${s}中`, `${s}${s}`]);
    expect(framed.filter((s) => foldToSimplified(s) !== plainToSimplified(s))).toEqual([]);
    expect(foldToSimplified("李秘书")).toBe("李祕书");
  });

  it("skips no code point the converter would change (BMP and the CJK extension planes)", () => {
    const bad: string[] = [];
    for (let point = 0; point < 0x40000; point++) {
      if (point >= 0xd800 && point <= 0xdfff) continue;
      const ch = String.fromCodePoint(point);
      if (!simplifiedMayDiffer(ch) && plainToSimplified(ch) !== ch) bad.push(ch);
    }
    expect(bad).toEqual([]);
  });

  it("handles round-trip characters, ideographic description sequences and surrogates like the converter", () => {
    const strings = [
      "才", "群众才能核心", "一表人才", "人才辈出", "秀才不出门", "吃口饭", "一口吃成胖子", "高峰床位灶台痴迷皂角粽子唇舌",
      "⿰才木", "⿱群⿰才核", "⿰", "群⿰", "𠀀才𪚥群", "\ud840才", "才\udc00", "纔", "羣眾", "覆盖", "答覆", "反覆",
      "", " ", "ＲＣＥＰ　３所", "乾隆", "乾净", "么", "什么",
    ];
    expect(mismatches(strings)).toEqual([]);
  });

  it("actually skips the converter for plain Simplified text, never for Traditional", () => {
    expect(simplifiedMayDiffer("全市新增公办园22所，提供公办学位5800个")).toBe(false);
    // 才 → 纔 → 才 and 群 → 羣 → 群 are round trips: no reason to convert.
    expect(simplifiedMayDiffer("人才队伍建设，群众满意，核心素养")).toBe(false);
    expect(simplifiedMayDiffer("學校")).toBe(true);
    expect(simplifiedMayDiffer("答覆")).toBe(true);
    const simplifiedLines = lines.filter((line) => /[\u3400-\u9fff]/.test(line) && plainToSimplified(line) === line);
    const skipped = simplifiedLines.filter((line) => !simplifiedMayDiffer(line));
    expect(skipped.length / simplifiedLines.length).toBeGreaterThan(0.9);
  });
});

describe("convertToTraditional and detectScript stay as they were", () => {
  it("convertToTraditional and toScript(…, Hant) match the plain cn→tw converter", () => {
    for (const line of lines) {
      expect(convertToTraditional(line)).toBe(plainToTraditional(line));
      expect(toScript(line, "Hant")).toBe(plainToTraditional(line));
    }
  });

  it("detectScript matches the plain-converter detection on every file, line and converted line", () => {
    for (const text of [...documents, ...lines, ...traditional]) expect(detectScript(text), text).toBe(plainDetectScript(text));
    expect(detectScript("新建、改擴建中小學幼兒園50所")).toBe("Hant");
    expect(detectScript("新建、改扩建中小学幼儿园50所")).toBe("Hans");
  });
});
