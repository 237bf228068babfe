import { describe, expect, it } from "vitest";
import { processDocument } from "../../src/core/ingest/process-document.js";
import { structureDocument } from "../../src/core/ingest/structure.js";
import { createMojibakeModel } from "../../src/node/jieba-segmenter.js";

const mojibake = createMojibakeModel();
const qaBlocks = (lines: string[]) => structureDocument(lines, "问答").blocks.filter((b) => b.kind === "qa");

describe("Q&A pairs in text", () => {
  it("pairs 问：/答： lines, also 问: Q: and 【问】, with multi-line answers", () => {
    const pairs = qaBlocks([
      "问：孩子几岁可以上小学？",
      "答：年满6周岁的儿童可以入学。",
      "户籍不在本区的，持居住证办理。",
      "问:学校提供课后服务吗？",
      "答:提供，时间为放学后至18:00。",
      "Q: 校车怎么收费？",
      "A: 校车服务免费。",
      "【问】午餐有人陪餐吗？",
      "【答】学校领导每天陪餐。",
    ]);
    expect(pairs.map((p) => p.question)).toEqual(["孩子几岁可以上小学？", "学校提供课后服务吗？", "校车怎么收费？", "午餐有人陪餐吗？"]);
    expect(pairs[0]!.text).toBe("年满6周岁的儿童可以入学。\n户籍不在本区的，持居住证办理。");
    expect(pairs[2]!.text).toBe("校车服务免费。");
    expect(pairs[3]!.headingPath).toEqual(["问答", "午餐有人陪餐吗？"]);
  });

  it("pairs numbered question lines with the paragraphs up to the next question, sub-items included", () => {
    const lines = [
      "2024年课后服务政策问答",
      "（一）课后服务什么时候开始？",
      "每学期开学第一周开始。",
      "1. 小学放学后开展；",
      "2. 初中晚自习前开展。",
      "（二）课后服务收费吗？",
      "答：课后服务不收费，所需经费由财政保障。",
      "（三）家长如何报名？",
      "通过学校公众号报名。",
      "一、其他说明",
      "本问答由区教育局负责解释。",
    ];
    const { blocks, stats, titleLines } = structureDocument(lines, "课后服务问答");
    expect(titleLines).toEqual(["2024年课后服务政策问答"]);
    expect(stats.qaPairs).toBe(3);
    const qa = blocks.filter((b) => b.kind === "qa");
    expect(qa[0]).toMatchObject({ question: "课后服务什么时候开始？", text: "每学期开学第一周开始。\n1. 小学放学后开展；\n2. 初中晚自习前开展。" });
    expect(qa[1]!.text).toBe("课后服务不收费，所需经费由财政保障。");
    // A heading of a higher level ends the last answer.
    expect(qa[2]!.text).toBe("通过学校公众号报名。");
    expect(blocks.at(-1)).toMatchObject({ kind: "paragraph", headingPath: ["课后服务问答", "一、其他说明"] });
  });

  it("splits a question and its answer written on one line, and joins a question wrapped over two lines", () => {
    const pairs = qaBlocks(["1.课后服务收费吗？答：不收费。", "2.课后服务几点结束？答：18:00结束。", "问：随迁子女在本区就读，", "需要哪些材料？", "答：居住证和社保缴纳证明。"]);
    expect(pairs.map((p) => [p.question, p.text])).toEqual([
      ["课后服务收费吗？", "不收费。"],
      ["课后服务几点结束？", "18:00结束。"],
      ["随迁子女在本区就读，需要哪些材料？", "居住证和社保缴纳证明。"],
    ]);
    expect(pairs[2]!.headingPath).toEqual(["问答", "随迁子女在本区就读，需要哪些材料？"]);
  });

  it("reads a wholly bold question line from a web page", () => {
    const pairs = qaBlocks(["政策解读正文。", "**积分入学怎么申请？**", "登录申请系统填报志愿。"]);
    expect(pairs).toEqual([expect.objectContaining({ question: "积分入学怎么申请？", text: "登录申请系统填报志愿。" })]);
  });

  it("leaves a lone question line in prose as text", () => {
    const { blocks, stats } = structureDocument(["一、为什么要改革？", "因为学位紧张。", "二、改革内容", "扩大学位供给。"], "T");
    expect(stats.qaPairs).toBe(0);
    expect(blocks.some((b) => b.kind === "qa")).toBe(false);
  });
});

describe("Q&A tables", () => {
  it("turns a 问题/答案 table into pairs and keeps 来源/日期 as fields", () => {
    const lines = [
      "| 问题 | 答案 | 来源 | 日期 |",
      "| --- | --- | --- | --- |",
      "| 1. 幼儿园几岁入园？ | 答：小班入园年龄为3周岁。 | 招生方案 | 2026-04-20 |",
      "| 民办园收费标准在哪里查？ | 见各园招生简章，收费项目须公示。 | 招生方案 |  |",
    ];
    const pairs = qaBlocks(lines);
    expect(pairs).toHaveLength(2);
    expect(pairs[0]).toMatchObject({ question: "幼儿园几岁入园？", text: "小班入园年龄为3周岁。", fields: { 来源: "招生方案", 日期: "2026-04-20" } });
    expect(pairs[1]!.headingPath).toEqual(["问答", "民办园收费标准在哪里查？"]);
  });
});

describe("Q&A passages", () => {
  const answerSentence = "符合条件的适龄儿童按照户籍和房产情况依次安排入学，具体以区教育局公布的招生地段为准。";

  it("keeps an answer of several paragraphs as one passage of kind qa", () => {
    const text = ["热点问答", "1.如何报名？", answerSentence.repeat(6), answerSentence.repeat(6), "2.何时公布结果？", "7月2日公布。"].join("\n");
    const { passages, report } = processDocument({ file: "qa.txt", text, contentHash: "t", mojibake });
    const qa = passages.filter((p) => p.kind === "qa");
    expect(report.found?.qaPairs).toBe(2);
    expect(qa).toHaveLength(2);
    expect(qa[0]!.text.length).toBeGreaterThan(500);
    expect(qa[0]!.question).toBe("如何报名？");
    expect(qa[1]).toMatchObject({ question: "何时公布结果？", text: "7月2日公布。", headingPath: ["热点问答", "何时公布结果？"] });
  });

  it("splits an answer over 1,500 characters by sentences, the question in every part's path", () => {
    const text = ["热点问答", "1.如何报名？", answerSentence.repeat(40), "2.何时公布结果？", "7月2日公布。"].join("\n");
    const qa = processDocument({ file: "qa.txt", text, contentHash: "t", mojibake }).passages.filter((p) => p.question === "如何报名？");
    expect(qa.length).toBe(2);
    for (const part of qa) {
      expect(part.text.length).toBeLessThanOrEqual(1500);
      expect(part.text.endsWith("为准。")).toBe(true);
      expect(part.headingPath).toEqual(["热点问答", "如何报名？"]);
    }
    expect(qa.map((p) => p.text).join("")).toBe(answerSentence.repeat(40));
  });
});
