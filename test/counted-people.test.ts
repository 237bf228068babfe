/**
 * What a count asks is counted in its own classifier: people in 名, 人 or 人次 (a document never counts
 * them in 个), a quota (名额) in the general classifier. And a further clause whose words tell no
 * answering sentence apart (分数要够多少 beside 社保要交几年) asks about the lead's subject. Real text:
 * the seed corpus and 广州's 积分制入户 Q&A page (../shared/eval/external/, copied at run time into a
 * temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { chineseAttribute, hasAskedUnit } from "../src/core/question/attribute.js";
import { hasExternal, useExternalCorpus, useSeedCorpus } from "./external-corpus.js";

const HUKOU = "36_积分制入户2025年度热点13问.html";
// 金山's points table (此评分表…) holds 评分, the word the dictionary bridges 分数 to.
const JINSHAN = "12.金山政策.doc";

describe("a count of people", () => {
  it("多少名 / 几名 ask people; 名 of 名额, 名单, 名次 begins a noun, and a quota is counted in 个", () => {
    for (const q of ["2021年一共招聘了多少名中小学教师?", "一共有几名?", "培养了多少名骨干教师?"]) expect(chineseAttribute(q).units, q).toEqual(["人", "名", "万人", "人次"]);
    expect(chineseAttribute("广州今年积分入户有多少名额?").units).toEqual(["个"]);
    for (const q of ["录取名单多少天公示?", "名次多少能录取?"]) expect(chineseAttribute(q).units, q).not.toContain("名");
  });

  it("is not answered by a figure in 个 (3个指导意见), which still stands in for 所 or 家", () => {
    const people = chineseAttribute("多少名老师?").units;
    expect(hasAskedUnit("3个", people)).toBe(false);
    expect(hasAskedUnit("100名", people)).toBe(true);
    expect(hasAskedUnit("28个", chineseAttribute("有多少所学校?").units)).toBe(true);
  });
});

describe("a count of people the documents do not state, on the seed corpus", () => {
  const seed = useSeedCorpus();

  it("is not answered with a sentence counting guidelines and schools (3个指导意见, 10所学校)", async () => {
    const { answer } = await seed().answerer.answer("2021年全市一共招聘了多少名中小学教师？", []);
    expect(answer.answer).toMatch(/^文件中没有写明/);
    expect(answer.answer).not.toContain("3个指导意见");
  });
});

describe.runIf(hasExternal(HUKOU) && hasExternal(JINSHAN))("广州's 积分制入户 conditions, two asked in one line", () => {
  const external = useExternalCorpus([HUKOU, JINSHAN]);

  it("a further clause whose words no answering sentence holds (分数, bridged to the 评分 of another table) is answered from the lead's list", async () => {
    const { answer } = await external().answerer.answer("入户要交社保几年 分数要够多少", []);
    expect(answer.answer.split("。")[0]).toContain("缴纳社会保险满4年");
    expect(answer.answer).toContain("计算总积分满150分");
  });
});
