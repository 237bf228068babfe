/**
 * A follow-up with no topic of its own (实际做到了多少？) leans on the earlier turn; the earlier reply's lead
 * names the documents' own word for what that turn asked in everyday words (优质园 for 好的幼儿园: a 园,
 * as 幼儿园 is), and the follow-up inherits it. Real text: the seed corpus (2021年度业务目标: 全市优质园比例达到50%以上; 2021年
 * 工作总结: 优质园占比从去年的39%提升至60%).
 */
import { describe, expect, it } from "vitest";
import { useSeedCorpus } from "./external-corpus.js";

const asked = { role: "user" as const, content: "2021年目标里好的幼儿园要占到多少" };
const replied = { role: "assistant" as const, content: "2021年度业务目标提出：全市优质园比例达到50%以上。" };

describe("the documents' word in the earlier reply, on the seed corpus", () => {
  const seed = useSeedCorpus();

  it("is inherited by a follow-up with no domain word of its own, and its answer is the year's outcome", async () => {
    const analysis = seed().opened.retriever.analyze("实际做到了多少", [asked, replied]);
    expect(analysis.terms.find((t) => t.term === "优质园")?.source).toBe("history");
    const { answer } = await seed().answerer.answer("实际做到了多少", [asked, replied]);
    expect(answer.answer.split("。")[0]).toContain("优质园占比从去年的39%提升至60%");
  });

  it("only a word with the head of a word the earlier question named (优质园 as 幼儿园, a 园), not the told sentence's other words (大力, 创建)", () => {
    const told = { role: "assistant" as const, content: "2021年度市直单位业务目标提出：大力创建优质园，全市优质园比例达到50%以上。" };
    const words = seed().opened.retriever.analyze("实际做到了多少", [asked, told]).terms.map((t) => t.term);
    expect(words).toContain("优质园");
    expect(words).not.toContain("大力");
    expect(words).not.toContain("创建");
  });

  it("none where the reply holds the earlier question's own word (职业教育 beside 基础教育, 智慧教育), nor from a reply saying the documents do not state it", () => {
    const vocational = [
      { role: "user" as const, content: "2024年职业教育有什么成绩" },
      { role: "assistant" as const, content: "据2024年工作总结，基础教育扩优提质、学生体质健康提升、智慧教育赋能等近十项工作经验在全国、全省推广，职业教育、艺术教育等工作被中央媒体报道。" },
    ];
    const words = seed().opened.retriever.analyze("具体有多少个", vocational).terms.map((t) => t.term);
    expect(words).not.toContain("基础教育");
    expect(words).not.toContain("智慧教育");
    const unstated = { role: "assistant" as const, content: "文件中没有写明您所问的具体数字；与此相关的规定是：全市优质园比例达到50%以上。" };
    expect(seed().opened.retriever.analyze("实际做到了多少", [asked, unstated]).terms.map((t) => t.term)).not.toContain("优质园");
  });

  it("not by a follow-up naming a topic of its own, nor from a reply in English", () => {
    const own = seed().opened.retriever.analyze("那公办园占比呢", [asked, replied]).terms.map((t) => t.term);
    expect(own).not.toContain("优质园");
    const english = { role: "assistant" as const, content: "The 2021 targets aimed for good-quality kindergartens to reach 50% or more." };
    const fromEnglish = seed().opened.retriever.analyze("实际做到了多少", [asked, english]).terms.filter((t) => t.source === "history").map((t) => t.term);
    expect(fromEnglish).not.toContain("优质园");
  });
});
