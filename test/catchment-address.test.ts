/**
 * A parent gives a street and house number (武夷路200号) and asks which kindergarten it belongs to. The
 * catchment table (招生地段表) lists each street with ranges of house numbers, by side (单 odd, 双 even):
 * the row whose range holds the number answers, not every row that names the street. Real text:
 * 长宁区's 2019 kindergarten notice (../shared/eval/external/, copied at run time into a temporary
 * corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { addressMatch, askedAddress } from "../src/core/question/scoring.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const CHANGNING = "05.长宁政策.pdf";
const JINSHAN = "12.金山政策.doc";

describe("a numbered estate against a catchment list's ranges", () => {
  it("takes the estate's name and number, in Chinese numerals or digits", () => {
    expect(askedAddress("金山石化十村的孩子上哪个幼儿园")).toEqual({ street: "金山石化", low: 10, high: 10, estate: true });
    expect(askedAddress("住临潮3村")).toMatchObject({ street: "住临潮", low: 3, estate: true });
    expect(askedAddress("石化二十三村")).toMatchObject({ low: 23 });
    expect(askedAddress("我们村的孩子上哪个幼儿园")).toBeUndefined();
    // Not estates: a numeral swallowed into the name, one per village (一村一幼).
    expect(askedAddress("二十三村")).toBeUndefined();
    expect(askedAddress("推进一村一幼建设")).toBeUndefined();
  });

  it("matches a range that holds the number (石化一村 —十五村), not one that does not", () => {
    const tenth = askedAddress("金山石化十村的孩子上哪个幼儿园")!;
    expect(addressMatch("招生区域：1.临潮一村—三村 2.石化一村 —十五村 3.金一东路", tenth)).toBe(1);
    expect(addressMatch("招生区域：石化十六村—二十村", tenth)).toBe(-1);
    expect(addressMatch("招生区域：石化十村", tenth)).toBe(1);
    // Other dashes and words of a range; a longer name elsewhere in the sentence.
    for (const listing of ["石化一村——十五村", "石化一村–十五村", "石化一至十五村", "金山石化街道：石化一村—十五村"]) expect(addressMatch(listing, tenth), listing).toBe(1);
    // Another estate's range (临潮一村—三村) and a list without the name say nothing.
    expect(addressMatch("招生区域：1.临潮一村—三村 3.金一东路", tenth)).toBe(0);
  });
});

describe.runIf(hasExternal(JINSHAN))("金山: an estate inside a range of its catchment table", () => {
  const external = useExternalCorpus([JINSHAN]);

  it("answers 石化十村 with the kindergarten whose area lists 石化一村 —十五村", async () => {
    const { answer } = await external().answerer.answer("住在石化十村 孩子小班该去哪个幼儿园", []);
    expect(answer.answer.split("。")[0]).toContain("临潮幼儿园");
    expect(answer.answer.split("。")[0]).toContain("石化一村 —十五村");
  });
});

describe("a house number against a catchment list", () => {
  it("takes the street and number from the question, the side from 单号/双号 or from the number", () => {
    expect(askedAddress("我们住长宁区武夷路200号,孩子对口哪所?")).toEqual({ street: "我们住长宁区武夷路", low: 200, high: 200, parity: 0 });
    // 1300多 is 1300–1399, on no side unless the question says one.
    expect(askedAddress("我们家住愚园路1300多弄(单号那边)")).toMatchObject({ low: 1300, high: 1399, parity: 1 });
    expect(askedAddress("我们家住愚园路1300多弄")).toEqual({ street: "我们家住愚园路", low: 1300, high: 1399 });
    expect(askedAddress("孩子对口哪所幼儿园?")).toBeUndefined();
    // Not addresses: a date, a building, a document number.
    for (const q of ["报名在哪里6号开始吗", "在这里12号之前交材料吗", "我家住村里3号楼", "关于农村3号文件"]) expect(askedAddress(q)).toBeUndefined();
  });

  it("matches a range or a listed number on the right side, and tells a listing without it", () => {
    const wuyi = askedAddress("武夷路200号对口哪所")!;
    expect(addressMatch("3.武夷路:15弄-373号 4.利西路:2-307号", wuyi)).toBe(1);
    expect(addressMatch("1.武夷路(单):411-727号 武夷路(双):416-800号 2.延安西路(单):1431-1667弄", wuyi)).toBe(-1);
    // The odd side's range holds 201 but not an even 200.
    expect(addressMatch("武夷路(单):101-301号", wuyi)).toBe(-1);
    // An address that is not a catchment listing says nothing.
    expect(addressMatch("武夷路幼儿园地址:武夷路155号", wuyi)).toBe(0);
    expect(addressMatch("仙霞路:88号、133-297弄", askedAddress("我们家住仙霞路88号")!)).toBe(1);
  });

  it("does not take another street's name, list or figures for the asked street's", () => {
    const beijing = askedAddress("我住北京西路1300号")!;
    // 京西路 inside 南京西路 is another street.
    expect(addressMatch("南京西路:1000-1500号", beijing)).toBe(0);
    expect(addressMatch("北京西路:1-99号。南京西路:1000-1500号", beijing)).toBe(-1);
    const wuyi = askedAddress("武夷路500号")!;
    // The next street's numbers after a listing comma, a telephone number, a lane's houses.
    expect(addressMatch("武夷路:15弄-373号、定西路:400-600号", wuyi)).toBe(-1);
    expect(addressMatch("武夷路:15弄-373号(咨询电话:021-62345678)", wuyi)).toBe(-1);
    expect(addressMatch("武夷路:200弄1-50号", askedAddress("武夷路30号")!)).toBe(-1);
    // A side written 单号 in the list, and 1300多 against it.
    expect(addressMatch("愚园路(单号):1301-1399弄", askedAddress("愚园路1300多弄")!)).toBe(1);
  });
});

describe.runIf(hasExternal(CHANGNING))("长宁: which kindergarten a house number belongs to", () => {
  const external = useExternalCorpus([CHANGNING]);

  it.each([
    ["我们住长宁区武夷路200号，孩子上公办幼儿园小班对口的是哪所？", "园名：武夷｜"],
    ["天山五村200号的房子对口长宁哪家幼儿园", "园名：仙二｜"],
    ["我们家住愚园路1300多弄（单号那边），户口也在这，对口的公办幼儿园是哪个？", "园名：愚一｜"],
  ])("%s → %s", async (question, row) => {
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.answer.split("。")[0]).toContain(row);
  });
});
