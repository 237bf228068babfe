import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildPlaceTable, chooseRomanisedPlaces, englishPlacesIn, placesIn, romanisation, withCorpusShortForms, type PlaceTable } from "../../src/core/knowledge/places.js";
import { loadDivisions } from "../../src/node/knowledge.js";
import { foldForMatching, foldRecurring } from "../../src/core/text/fold.js";
import { CORPUS_DIR } from "../helpers.js";

const entry = (name: string, full: string, code: string, level: "province" | "prefecture" | "county") => ({ name, full, code, level });

/** A few real divisions with their short forms, as buildPlaceTable lists them. */
function table(): PlaceTable {
  return {
    entries: [
      entry("山东省", "山东省", "370000", "province"),
      entry("山东", "山东省", "370000", "province"),
      entry("青岛市", "青岛市", "370200", "prefecture"),
      entry("青岛", "青岛市", "370200", "prefecture"),
      entry("崂山区", "崂山区", "370212", "county"),
      entry("崂山", "崂山区", "370212", "county"),
      entry("北京市", "北京市", "110000", "province"),
      entry("北京", "北京市", "110000", "province"),
    ],
    home: ["370000", "370200", "370212"],
    corpus: [],
  };
}

describe("placesIn", () => {
  it("finds the longest name at each span once, in the order of name length, and skips proper names", () => {
    const places = placesIn(foldForMatching("青岛市崂山区和北京的学校，北京外国语大学不算"), table());
    expect(places.map((p) => [p.name, p.relation])).toEqual([
      ["青岛市", "home"],
      ["崂山区", "home"],
      ["北京", "other"],
    ]);
    expect(placesIn("宁夏路小学今年招生吗", table())).toEqual([]);
  });

  it("knows a 新区 by the name people use without 新区, in the real division data", () => {
    // GB/T 2260 lists 浦东新区 (310115) among Shanghai's districts; people write 浦东.
    const places = buildPlaceTable(loadDivisions(), "370200", [], ["长宁区", "上海市"]);
    const found = placesIn(foldForMatching("浦东张江那边的公办幼儿园招生地段表有吗"), places);
    expect(found.map((p) => [p.full, p.relation])).toEqual([["浦东新区", "other"]]);
    expect(placesIn(foldForMatching("长宁 幼儿园 报名"), places).map((p) => [p.full, p.relation])).toEqual([["长宁区", "corpus"]]);
    expect(places.entries.some((e) => e.name === "浦东新")).toBe(false);
  });

  it("knows a county the corpus is about by its short form, and no other county's", () => {
    // 天河区 (440106) is a county of 广州: its short form is the ordinary word 天河 (the Milky Way) elsewhere.
    const base = buildPlaceTable(loadDivisions(), "370200", [], ["天河区", "广州市"]);
    expect(placesIn(foldForMatching("天河积分入学 初中 咨询电话"), base)).toEqual([]);
    const places = { ...base, entries: withCorpusShortForms(base.entries, base.corpus) };
    expect(placesIn(foldForMatching("天河积分入学 初中 咨询电话"), places).map((p) => [p.full, p.relation])).toEqual([["天河区", "corpus"]]);
    // 越秀区 is 广州's too, but no document is about it.
    expect(placesIn(foldForMatching("越秀积分入学"), places)).toEqual([]);
  });

  it("reads a whole document (the long-text path) as it reads each of its paragraphs", () => {
    // A real report: 青岛's districts named throughout, 北京 and 山东 in places, proper names (北京路…) among them.
    const text = foldForMatching(readFileSync(join(CORPUS_DIR, "2021-work-summary.txt"), "utf8"));
    expect(text.length).toBeGreaterThan(2000);
    const places = table();
    const whole = placesIn(text, places).map((p) => `${p.code}/${p.relation}`).sort();
    const byParagraph = new Set<string>();
    for (const paragraph of text.split("\n")) for (const p of placesIn(paragraph, places)) byParagraph.add(`${p.code}/${p.relation}`);
    expect(whole).toEqual([...byParagraph].sort());
    expect(whole).toContain("370200/home");
    // A name's span is taken once: 青岛市 is not also read as 青岛 in it, so a long text finds each place once.
    expect(placesIn(`${"教育工作。".repeat(500)}青岛市崂山区和北京的学校`, places).map((p) => p.name)).toEqual(["青岛市", "崂山区", "北京"]);
  });

  it("follows a table whose lists change after it was first searched", () => {
    const places = table();
    expect(placesIn("海淀区的学校", places)).toEqual([]);
    places.entries.push(entry("海淀区", "海淀区", "110108", "county"));
    expect(placesIn("海淀区的学校", places).map((p) => p.full)).toEqual(["海淀区"]);
    places.corpus = ["海淀区"];
    expect(placesIn("海淀区的学校", places).map((p) => p.relation)).toEqual(["corpus"]);
  });

  it("a place the asker came from is not what the question is about", () => {
    const places = table();
    for (const q of ["我们全家从北京搬来青岛，孩子上学怎么办", "我们是从北京来的，孩子在青岛能上公办园吗", "刚由北京搬嚟青岛，想问学位", "我们从北京市搬来青岛", "孩子从北京转学回青岛要办什么手续"]) {
      expect(placesIn(foldForMatching(q), places).map((p) => p.name), q).toEqual(["青岛"]);
    }
    // Going there, or its own matters, is about that place.
    expect(placesIn(foldForMatching("从青岛去北京上学要办什么手续"), places).map((p) => p.name)).toEqual(["青岛", "北京"]);
    expect(placesIn(foldForMatching("北京的中考从哪天开始"), places).map((p) => p.name)).toEqual(["北京"]);
  });

  it("searches a whole document (beyond the pair prefilter's length) the same way", () => {
    const filler = "教育工作稳步推进。".repeat(300);
    const places = placesIn(`${filler}崂山区新建学校${filler}北京市来访${filler}`, table());
    expect(places.map((p) => p.full)).toEqual(["崂山区", "北京市"]);
  });
});

describe("romanised place names", () => {
  const divisions: PlaceTable = {
    entries: [
      entry("上海市", "上海市", "310000", "province"),
      entry("长宁区", "长宁区", "310105", "prefecture"),
      entry("长宁县", "长宁县", "511524", "county"),
      entry("湖口县", "湖口县", "360429", "county"),
      entry("广州市", "广州市", "440100", "prefecture"),
    ],
    home: [],
    corpus: ["上海市", "长宁区"],
  };
  const candidates = {
    changning: { fulls: ["长宁区", "长宁县"], common: [] },
    hukou: { fulls: ["湖口县"], common: ["户口", "虎口"] },
    guangzhou: { fulls: ["广州市"], common: [] },
    shanghai: { fulls: ["上海市"], common: ["伤害"] },
  };

  it("romanises pinyin as English writes it", () => {
    expect(romanisation("Xi1 an1")).toBe("xian");
    expect(romanisation("nu:3 er2")).toBe("nver");
    expect(romanisation("Ke1 la1 ·")).toBeUndefined();
  });

  it("a name two divisions share stands for the one the corpus is about; a county read as a corpus word is no place", () => {
    const names = chooseRomanisedPlaces(candidates, divisions, new Set(["户口", "伤害"]));
    expect(names).toEqual({ changning: "长宁区", guangzhou: "广州市", shanghai: "上海市" });
    // Without 户口 in the corpus the county keeps its name; without the corpus, 长宁 is ambiguous.
    expect(chooseRomanisedPlaces(candidates, { ...divisions, corpus: [] }, new Set())).toEqual({ hukou: "湖口县", guangzhou: "广州市", shanghai: "上海市" });
  });

  it("finds the names in English text, possessives and apostrophes included", () => {
    const table = { ...divisions, english: chooseRomanisedPlaces(candidates, divisions, new Set(["户口"])) };
    const found = englishPlacesIn("For Guangzhou's 2025 points-based hukou application, and Changning’s kindergartens?", table);
    expect(found.map((p) => [p.full, p.relation])).toEqual([
      ["广州市", "other"],
      ["长宁区", "corpus"],
    ]);
  });

  it("a municipality's district read as a name the corpus uses is no place (hongqiao: 虹桥, not 天津's 红桥区); a common word does not unmake it (minhang: 民航)", () => {
    const districts: PlaceTable = { ...divisions, entries: [...divisions.entries, entry("红桥区", "红桥区", "120106", "prefecture"), entry("闵行区", "闵行区", "310112", "prefecture")] };
    const candidates = { hongqiao: { fulls: ["红桥区"], common: ["虹桥"] }, minhang: { fulls: ["闵行区"], common: ["民航"] } };
    // 虹桥 is a proper noun of the dictionary (Hong2 qiao2); 民航 "civil aviation" is not.
    const proper = new Set(["虹桥"]);
    expect(chooseRomanisedPlaces(candidates, districts, new Set(["虹桥", "民航"]), proper)).toEqual({ minhang: "闵行区" });
    // Without 虹桥 in the corpus the district keeps its name.
    expect(chooseRomanisedPlaces(candidates, districts, new Set(), proper)).toEqual({ hongqiao: "红桥区", minhang: "闵行区" });
  });

  it("a name before a road, a compass word between, names the road (Xinyu East Rd is 新渔东路), not the city", () => {
    const withXinyu: PlaceTable = { ...divisions, entries: [...divisions.entries, entry("新余市", "新余市", "360500", "prefecture")], english: { xinyu: "新余市", changning: "长宁区" } };
    expect(englishPlacesIn("the check point at xinyu east rd 242 changning", withXinyu).map((p) => p.full)).toEqual(["长宁区"]);
    expect(englishPlacesIn("the school on Xinyu Road", withXinyu).map((p) => p.full)).toEqual([]);
    expect(englishPlacesIn("kindergartens in Xinyu, east of Changsha", withXinyu).map((p) => p.full)).toEqual(["新余市"]);
    // A compass word not before a road, and an ordinal's letters, leave the place a place.
    expect(englishPlacesIn("kindergartens in Changning east no longer take transfers", withXinyu).map((p) => p.full)).toEqual(["长宁区"]);
    expect(englishPlacesIn("enrolment opens in Changning 1st of May", withXinyu).map((p) => p.full)).toEqual(["长宁区"]);
    expect(englishPlacesIn("the school on Xinyu St", withXinyu).map((p) => p.full)).toEqual([]);
    expect(englishPlacesIn("the check point at Xinyu East Rd. 242", withXinyu).map((p) => p.full)).toEqual([]);
  });

  it("a place someone moved or came from is not the question's place", () => {
    const table = { ...divisions, english: chooseRomanisedPlaces(candidates, divisions, new Set(["户口"])) };
    expect(englishPlacesIn("We just moved from Guangzhou to Changning. Which kindergarten is ours?", table).map((p) => p.full)).toEqual(["长宁区"]);
    expect(englishPlacesIn("When do kindergartens in Guangzhou open registration?", table).map((p) => p.full)).toEqual(["广州市"]);
    // The verb must be the one "from" belongs to, not one in another clause.
    expect(englishPlacesIn("We came to Changning last year. Can records from Guangzhou be used?", table).map((p) => p.full)).toEqual(["长宁区", "广州市"]);
  });
});

describe("foldRecurring", () => {
  it("folds as foldForMatching does, on the first call and from its cache", () => {
    for (const text of ["學校的校車是怎麼管理運行的？", "ＲＣＥＰ　２０２４年", "新增公办幼儿园22所"]) {
      expect(foldRecurring(text)).toBe(foldForMatching(text));
      expect(foldRecurring(text)).toBe(foldForMatching(text));
    }
  });
});
