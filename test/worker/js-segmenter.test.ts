import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JiebaLexicon } from "../../src/core/search/jieba-lexicon.js";
import { createJsSegmenter } from "../../src/core/search/js-segmenter.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import { packCppjiebaLexicon } from "../../src/node/jieba-lexicon.js";
import { createJiebaSegmenter, loadJiebaIdf } from "../../src/node/jieba-segmenter.js";
import { CORPUS_DIR } from "../helpers.js";

const blob = packCppjiebaLexicon();
const lexicon = JiebaLexicon.decode(blob);
const js = createJsSegmenter({ lexicon });
const native = createJiebaSegmenter();

const corpusLines = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith(".txt"))
  .flatMap((f) => readFileSync(join(CORPUS_DIR, f), "utf8").split("\n"))
  .filter((l) => l.trim());
const questions = ["dev.jsonl", "calibration.jsonl"].flatMap((f) =>
  readFileSync(join(import.meta.dirname, "..", "eval", f), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { question: string }).question),
);

describe("pure-JS jieba segmenter", () => {
  it("cuts every corpus line and eval question exactly like nodejieba (search mode, HMM)", () => {
    const differing = [...corpusLines, ...questions]
      .map(foldForMatching)
      .filter((line) => js.cutForSearch(line).join("|") !== native.cutForSearch(line).join("|"));
    expect(differing).toEqual([]);
    expect(corpusLines.length).toBeGreaterThan(100);
  });

  it("matches nodejieba on mixed scripts, ASCII runs, figures and unknown words", () => {
    for (const text of ["iphone15 pro与c#课程3.86万个", "放学没人接怎么办？幼升小一网通办", "教师资格证怎么考，考研呢", "𠀀生僻字🎉表情 ＡＢＣ"]) {
      const folded = foldForMatching(text);
      expect(js.cutForSearch(folded)).toEqual(native.cutForSearch(folded));
      expect(js.cut(folded)).toEqual(native.cut(folded));
    }
  });

  it("keeps the domain words whole, as nodejieba.insertWord does", () => {
    expect(js.cutForSearch("幼升小招生报名")).toContain("幼升小");
    expect(js.cutForSearch("课后服务参与率")).toContain("课后服务");
  });

  it("names its lexicon and domain dictionary in its id, so an index made with another is refused", () => {
    expect(js.id).toMatch(/^jsjieba-search-[0-9a-f]+\+domain-[0-9a-f]+$/);
    expect(createJsSegmenter({ lexicon, userWords: ["另一个词"] }).id).not.toBe(js.id);
  });
});

describe("packed jieba lexicon", () => {
  it("round-trips the IDF table exactly", () => {
    const idf = loadJiebaIdf();
    for (const word of ["课后服务", "幼儿园", "助学金", "劳动防护", "学位"]) expect(lexicon.idf(word)).toBe(idf.get(word));
    expect(lexicon.idf("并不存在的词语")).toBeUndefined();
  });

  it("decodes from an unaligned copy and refuses a truncated blob", () => {
    const shifted = new Uint8Array(blob.length + 3);
    shifted.set(blob, 3);
    expect(JiebaLexicon.decode(shifted.subarray(3)).version).toBe(lexicon.version);
    expect(() => JiebaLexicon.decode(blob.subarray(0, blob.length - 100))).toThrow(/truncated/);
  });

  it("gives the same lexicon back from its compact form (the copy D1 holds), and refuses a truncated one", () => {
    const compact = lexicon.encodeCompact();
    expect(compact.length).toBeLessThan(blob.length * 0.6);
    const back = JiebaLexicon.decodeCompact(compact);
    expect(back.version).toBe(lexicon.version);
    expect(back.size).toBe(lexicon.size);
    for (const word of ["课后服务", "幼儿园", "助学金", "劳动防护", "学位", "的", "并不存在的词语"]) {
      expect(back.idf(word)).toBe(lexicon.idf(word));
      expect(back.freq(word)).toBe(lexicon.freq(word));
    }
    const segment = createJsSegmenter({ lexicon: back });
    expect(segment.id).toBe(js.id);
    for (const text of ["2021年全市义务教育阶段学校课后服务参与学生达到12.3万人", "区教育局关于做好幼儿园招生入学工作的通知"]) {
      expect(segment.cut(text)).toEqual(js.cut(text));
      expect(segment.cutForSearch(text)).toEqual(js.cutForSearch(text));
    }
    expect(() => JiebaLexicon.decodeCompact(compact.subarray(0, compact.length - 100))).toThrow(/truncated/);
    expect(() => JiebaLexicon.decodeCompact(blob)).toThrow(/format/);
  });
});
