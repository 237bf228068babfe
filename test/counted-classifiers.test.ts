/**
 * 名 asks a count of people only as a classifier (多少名学生), not where it begins a noun (名额, 名单, 名次);
 * a quota (多少名额) is counted in the general classifier. And a further clause whose words no answering
 * sentence holds (分数要够多少 beside 社保要交几年) asks about the lead's subject. Real text: 广州's 积分制入户
 * Q&A page and 金山's notice (../shared/eval/external/, copied at run time into a temporary corpus,
 * never into the repository).
 */
import { describe, expect, it } from "vitest";
import { chineseAttribute, hasAskedUnit } from "../src/core/question/attribute.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const HUKOU = "36_积分制入户2025年度热点13问.html";
// 金山's points table (此评分表…) holds 评分, the word the dictionary bridges 分数 to.
const JINSHAN = "12.金山政策.doc";

describe("the classifier of people", () => {
  it("is 名 of 多少名 / 几名, not the 名 that begins a noun (名额, 名单, 名次); a quota is counted in 个", () => {
    for (const q of ["2021年一共招聘了多少名中小学教师?", "一共有几名?", "培养了多少名骨干教师?"]) expect(chineseAttribute(q).units, q).toEqual(["人", "名", "万人", "人次"]);
    expect(chineseAttribute("广州今年积分入户有多少名额?").units).toEqual(["个"]);
    for (const q of ["公示了多少名单?", "排了几名次?"]) expect(chineseAttribute(q).units, q).not.toContain("名");
  });

  it("a figure in 个 still stands in for a count of people, half an answer (招生计划…1023个 for 招多少人)", () => {
    const people = chineseAttribute("天河积分入学一共招多少名学生?").units;
    expect(hasAskedUnit("1023个", people)).toBe(true);
    expect(hasAskedUnit("100名", people)).toBe(true);
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
