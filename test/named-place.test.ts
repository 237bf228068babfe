/**
 * A question that names its place is answered from that place's documents; a charge that a sentence
 * waives is answered by it; a share asked as 几成 and a number asked as 打哪个电话 are what they ask.
 * Real text: the seed corpus (Qingdao) beside other bureaus' documents (../shared/eval/external/,
 * copied at run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { waivesAskedCharge } from "../src/core/answer/answerer.js";
import { chineseAttribute, PHONE_UNIT } from "../src/core/question/attribute.js";
import { askedPlaces, namedDocumentPlace, ofOtherPlace, OWN_SCOPE, placeScope, placesIn } from "../src/core/knowledge/places.js";
import { foldForMatching } from "../src/core/text/fold.js";
import { hasExternal, useExternalCorpus, useSeedCorpus } from "./external-corpus.js";

const REGULATION = "上海市实施《义务教育法》办法(2024-09-27).md";
const TIANHE = "05_幼儿园招生方案_2026.html";

describe("what a question asks", () => {
  it("打哪个电话 / 什么号码 ask a phone number, as 电话多少 does", () => {
    for (const q of ["有问题打哪个电话，几点能打通", "举报打什么电话，要实名吗", "招生咨询电话多少"]) expect(chineseAttribute(q).units, q).toContain(PHONE_UNIT);
    expect(chineseAttribute("电话登记要几天?").units).not.toContain(PHONE_UNIT);
    expect(chineseAttribute("学籍号要填什么号码段，去哪查").units).not.toContain(PHONE_UNIT);
  });

  it("几成 asks a share, as 比例 does", () => {
    const shape = chineseAttribute("中小学要有几成达到标准?");
    expect(shape.attribute).toBe("how-many");
    expect(shape.units).toContain("%");
    expect(chineseAttribute("几成?").units).toContain("%");
    // Not 成年, 成绩 … after 几, nor 几 of 十几.
    expect(chineseAttribute("几成年人可以报名?").units).not.toContain("%");
    expect(chineseAttribute("十几成年学生怎么报名?").units).not.toContain("%");
  });
});

describe("a waiver of the charge asked", () => {
  it("is a waiver of that charge, with no amount after it, for everyone, and not one lifted", () => {
    const waived: Array<[string, string[]]> = [
      ["第五条 本市实施义务教育，不收学费、杂费、教科书费、作业本费。", ["学费"]],
      ["为全市学生免收保育费。", ["保育费"]],
      // The charge written in full (学杂费, 保育教育费), after what it is of; 免学费; any charge at all.
      ["免除城乡义务教育学生学杂费。", ["学费"]],
      ["对在园幼儿免收保育教育费。", ["保育费"]],
      ["中职学校免学费。", ["学费"]],
      ["除保育教育费外不收取任何费用。", ["伙食费"]],
      // A year is no amount.
      ["免收2024年秋季学期保育费。", ["保育费"]],
    ];
    const notWaived: Array<[string, string[]]> = [
      // A total waived for some, a charge not named, one for some only, one lifted, none asked.
      ["共计发放奖助学金1.26亿元、免除学费985万元;", ["学费"]],
      ["除收取保育教育费外，不收取其他费用。", ["保育费"]],
      ["对家庭经济困难幼儿免收保育费。", ["保育费"]],
      ["今年起不再免收保育费。", ["保育费"]],
      ["不收学费、杂费。", []],
      // For some only, however said; the charges other than one; another charge that opens alike.
      ["为家庭经济困难幼儿免收保育费。", ["保育费"]],
      ["免除家庭经济困难学生学费。", ["学费"]],
      ["对家庭经济困难幼儿，免收保育费。", ["保育费"]],
      ["不收取学费以外的其他费用。", ["学费"]],
      ["免收学生餐费。", ["学费"]],
    ];
    for (const [sentence, charges] of waived) expect(waivesAskedCharge(sentence, charges), sentence).toBe(true);
    for (const [sentence, charges] of notWaived) expect(waivesAskedCharge(sentence, charges), sentence).toBe(false);
  });
});

describe.runIf(hasExternal(REGULATION, TIANHE))("a question that names its place", () => {
  const external = useExternalCorpus([REGULATION, TIANHE], 180_000, true);

  it("reads a document's place from its title and issuer: another place's, the bureau's own city, or none", () => {
    const { places } = external().opened.index.knowledge;
    const qingdao = namedDocumentPlace(foldForMatching("2024年以来青岛市教育工作总结"), places);
    const shanghai = namedDocumentPlace(foldForMatching("上海市实施《中华人民共和国义务教育法》办法"), places);
    const tianhe = namedDocumentPlace(foldForMatching("2026年广州市天河区幼儿园招生工作方案"), places);
    expect(qingdao).toBeDefined();
    expect(namedDocumentPlace(foldForMatching("教育局党组书记、局长在教育工作论坛上的研讨发言"), places)).toBeUndefined();
    const asked = (q: string) => placeScope(placesIn(foldForMatching(q), places));
    // A question about 上海 is not the home city's; one naming no place is the bureau's own.
    expect(ofOtherPlace(asked("在上海读小学要交学费吗"), qingdao)).toBe(true);
    expect(ofOtherPlace(asked("在上海读小学要交学费吗"), shanghai)).toBe(false);
    expect(ofOtherPlace(asked("天河公办园电脑派位占多少比例"), tianhe)).toBe(false);
    expect(ofOtherPlace(asked("天河公办园电脑派位占多少比例"), qingdao)).toBe(true);
    expect(asked("公办园占比是多少")).toBe(OWN_SCOPE);
    expect(ofOtherPlace(asked("公办园占比是多少"), shanghai)).toBe(false);
    // The places asked: each named place that holds no other named one.
    const leaves = (q: string) => askedPlaces(placesIn(foldForMatching(q), places));
    expect(leaves("广州天河区幼儿园怎么报名")).toEqual(leaves("天河区幼儿园怎么报名"));
    expect(leaves("青岛和上海读小学都要交学费吗")).toHaveLength(2);
    expect(leaves("青岛读小学要交学费吗").every((code) => !ofOtherPlace(code, qingdao))).toBe(true);
    expect(leaves("青岛读小学要交学费吗").every((code) => ofOtherPlace(code, shanghai))).toBe(true);
  });

  it("quotes the named place's document, not the home city's sentence that says the same of itself", async () => {
    const fees = await external().answerer.answer("在上海读小学初中要交学费和书本费吗", []);
    expect(fees.trace.refusal).toBeUndefined();
    expect(fees.answer.citations[0]!.title).toContain("上海");
    expect(fees.answer.answer.split("\n")[0]).toContain("不收学费");
    const share = await external().answerer.answer("天河公办园电脑排位的名额占多少比例", []);
    expect(share.answer.citations[0]!.title).toContain("天河");
    expect(share.answer.answer).toContain("90%");
    expect(share.answer.answer).not.toContain("62%");
  });

  it("a lead of another place is related content only, and support beside the named place's lead is of that place", async () => {
    const share = await external().answerer.answer("天河公办园占几成", []);
    expect(share.answer.partial).toBe(true);
    const tianhe = await external().answerer.answer("天河公办园电脑排位的名额占多少比例", []);
    expect(tianhe.answer.citations.every((c) => c.title.includes("天河"))).toBe(true);
  });

  it("a follow-up that names a place of its own asks about it, and the home city named beside another place is asked about too", async () => {
    const history = [
      { role: "user" as const, content: "在上海读小学要交学费吗" },
      { role: "assistant" as const, content: "根据《上海市实施〈中华人民共和国义务教育法〉办法》第五条，本市实施义务教育，不收学费、杂费。" },
    ];
    expect(external().opened.retriever.analyze("那青岛呢", history).places.map((p) => p.name)).not.toContain("上海");
    expect(external().opened.retriever.analyze("那要交书本费吗", history).places.map((p) => p.name)).toContain("上海");
    // A place among other words of the follow-up is asked within the earlier turn's.
    expect(external().opened.retriever.analyze("那户口在山东的孩子呢", history).places.map((p) => p.name)).toContain("上海");
    const followUp = await external().answerer.answer("那青岛呢", history);
    expect(followUp.answer.citations.length).toBeGreaterThan(0);
    expect(followUp.answer.citations.every((c) => !c.title.includes("上海"))).toBe(true);
    const both = await external().answerer.answer("青岛和上海读小学都要交学费吗", []);
    expect(both.answer.partial).toBeUndefined();
  });

  it("a charge a sentence waives (不收学费) answers a question about paying it, instead of refusing it as unstated", async () => {
    const { answer, trace } = await external().answerer.answer("上海读公办小学要交学费吗？书本费作业本费呢？", []);
    expect(trace.refusal).toBeUndefined();
    expect(answer.partial).toBeUndefined();
    expect(answer.answer).toContain("不收学费、杂费、教科书费、作业本费");
  });
});

describe("a share asked as 几成 in a further clause", () => {
  const seed = useSeedCorpus();

  it("is a clause of its own: both shares are quoted, and 标准 of 建设标准 asks no rate", async () => {
    const { answer } = await seed().answerer.answer("2020年普惠性幼儿园覆盖率的目标是多少？中小学要有几成达到高水平现代化学校标准？", []);
    expect(answer.partial).toBeUndefined();
    expect(answer.answer).toContain("普惠性幼儿园覆盖率达到90%");
    expect(answer.answer).toContain("90%以上的中小学");
  });
});
