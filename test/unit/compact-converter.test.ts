import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as OpenCC from "opencc-js";
import { describe, expect, it } from "vitest";
import { compactConverter } from "../../src/core/text/compact-converter.js";
import { CORPUS_DIR } from "../helpers.js";

// opencc-js's own converters are the reference: the compact tables must give the same text.
const plain: Record<"s2tw" | "tw2s", (text: string) => string> = { s2tw: OpenCC.Converter({ from: "cn", to: "tw" }), tw2s: OpenCC.Converter({ from: "tw", to: "cn" }) };

/** Every key and value string of a locale config's dictionaries. */
function configStrings(node: unknown, out: Set<string>): Set<string> {
  if (typeof node === "string") {
    for (const entry of node.split("|")) for (const part of entry.split(" ")) if (part) out.add(part);
  } else if (node && typeof node === "object") {
    for (const item of Object.values(node)) configStrings(item, out);
  }
  return out;
}

const lines = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith(".txt"))
  .flatMap((f) => readFileSync(join(CORPUS_DIR, f), "utf8").split(/\r?\n/));
const dictionaryStrings = [...configStrings(OpenCC.Locale.configs.s2tw, configStrings(OpenCC.Locale.configs.tw2s, new Set()))];
const edges = ["", " ", "⿰才木", "⿱群⿰才核", "⿰", "群⿰", "𠀀才𪚥群", "\ud840才", "才\udc00", "\udc00\ud840", "纔", "羣眾", "答覆", "反覆", "乾隆", "乾净", "么", "什么", "李秘书", "ＲＣＥＰ　３所"];

function mismatches(name: "s2tw" | "tw2s", strings: Iterable<string>): string[] {
  const compact = compactConverter(name)!;
  const bad: string[] = [];
  for (const s of strings) if (compact(s) !== plain[name](s)) bad.push(s);
  return bad;
}

describe("compactConverter gives opencc-js's output", () => {
  it("reads both configs this package ships", () => {
    expect(compactConverter("s2tw")).toBeTypeOf("function");
    expect(compactConverter("tw2s")).toBeTypeOf("function");
    expect(compactConverter("no-such-config")).toBeNull();
  });

  it("on every corpus line, in both directions and after a round trip", () => {
    expect(lines.length).toBeGreaterThan(100);
    const traditional = lines.map(plain.s2tw);
    expect(traditional.filter((t, i) => t !== lines[i]).length).toBeGreaterThan(40);
    expect(mismatches("s2tw", lines)).toEqual([]);
    expect(mismatches("tw2s", [...lines, ...traditional])).toEqual([]);
    expect(mismatches("s2tw", traditional)).toEqual([]);
  });

  it("on every dictionary key and value, alone, framed and doubled (longest-match boundaries)", () => {
    expect(dictionaryStrings.length).toBeGreaterThan(50_000);
    const framed = dictionaryStrings.flatMap((s) => [s, `在${s}中`, `${s}${s}`]);
    expect(mismatches("s2tw", framed)).toEqual([]);
    expect(mismatches("tw2s", framed)).toEqual([]);
  });

  it("on ideographic description sequences, surrogates, astral characters and empty text", () => {
    expect(mismatches("s2tw", edges)).toEqual([]);
    expect(mismatches("tw2s", edges)).toEqual([]);
  });
});
