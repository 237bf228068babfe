import { describe, expect, it } from "vitest";
import { highlightSegments, matchedTerms } from "../../src/web/console/highlight.js";
import { formatForReadingAloud } from "../../src/web/console/read-aloud.js";
import { splitCitations, stripSourcesLine } from "../../src/web/widget/answer-text.js";
import { detectScript, scriptFromAnswer, scriptFromLang } from "../../src/web/widget/script-detect.js";
import { SseParser } from "../../src/web/widget/sse.js";

// The browser code's pure pieces: the SSE parser, script detection, answer text and console helpers.

const ANSWER =
  "据2024年工作总结，全市新增公办园22所，提供公办学位5800个[1]。\n来源：[1] 《2024年以来青岛市教育工作总结》 一、突出扩优提质，在“上好学”上取得新进展 › 1.加快推进新优质学校建设";

describe("SseParser", () => {
  const stream = [
    'event: meta\ndata: {"answerId":"a1","citations":[]}\n\n',
    'event: delta\ndata: {"text":"全市新增公办园22所，"}\n\n',
    'event: delta\ndata: {"text":"提供公办学位5800个[1]。"}\n\n',
    'event: done\ndata: {"answerId":"a1"}\n\n',
  ].join("");

  it("yields the same events however the network splits the bytes", () => {
    const whole = new SseParser().push(stream);
    expect(whole.map((e) => e.event)).toEqual(["meta", "delta", "delta", "done"]);
    expect(JSON.parse(whole[2]!.data)).toEqual({ text: "提供公办学位5800个[1]。" });
    for (const size of [1, 2, 3, 7, 50]) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < stream.length; i += size) events.push(...parser.push(stream.slice(i, i + size)));
      expect(events).toEqual(whole);
    }
  });

  it("handles CRLF split across chunks, comments, multi-line data and a missing space", () => {
    const parser = new SseParser();
    const events = [...parser.push(": keep-alive\r\nevent:delta\r"), ...parser.push("\ndata: 第一行\r\ndata:第二行\r\n\r\n")];
    expect(events).toEqual([{ event: "delta", data: "第一行\n第二行" }]);
  });

  it("drops an event whose closing blank line never came", () => {
    const parser = new SseParser();
    expect(parser.push('event: delta\ndata: {"text":"半"}\n')).toEqual([]);
    parser.end();
    expect(parser.push("\n")).toEqual([]);
  });
});

describe("detectScript", () => {
  it("tells Traditional from Simplified questions in the corpus's vocabulary", () => {
    expect(detectScript("學校的校車是怎麼管理運行的？")).toBe("traditional");
    expect(detectScript("全國青少年校園足球特色學校現在有多少所？")).toBe("traditional");
    expect(detectScript("2024年新增了多少所公办幼儿园？")).toBe("simplified");
    expect(detectScript("孩子放学太早没人接，学校能多管一会儿吗？")).toBe("simplified");
  });

  it("abstains when nothing differs between the scripts", () => {
    expect(detectScript("你好")).toBeUndefined();
    expect(detectScript("2024")).toBeUndefined();
  });

  it("reads the answer's script field and the page's lang", () => {
    expect(scriptFromAnswer("traditional")).toBe("traditional");
    expect(scriptFromAnswer("Hant")).toBe("traditional");
    expect(scriptFromAnswer("simplified")).toBe("simplified");
    expect(scriptFromAnswer(undefined)).toBeUndefined();
    expect(scriptFromLang("zh-TW")).toBe("traditional");
    expect(scriptFromLang("zh-Hant-HK")).toBe("traditional");
    expect(scriptFromLang("zh-CN")).toBe("simplified");
    expect(scriptFromLang("en")).toBeUndefined();
  });
});

describe("answer text", () => {
  it("strips the trailing 来源/來源 line, and a half-arrived one while streaming", () => {
    expect(stripSourcesLine(ANSWER)).toBe("据2024年工作总结，全市新增公办园22所，提供公办学位5800个[1]。");
    expect(stripSourcesLine("校車管理[1]。\n來源：[1] 《發言》")).toBe("校車管理[1]。");
    expect(stripSourcesLine("提供公办学位5800个[1]。\n来", true)).toBe("提供公办学位5800个[1]。");
    expect(stripSourcesLine("提供公办学位5800个[1]。\n来源", true)).toBe("提供公办学位5800个[1]。");
    expect(stripSourcesLine("未来的来源不在行首")).toBe("未来的来源不在行首");
  });

  it("turns known markers into citations and leaves unknown ones as text", () => {
    expect(splitCitations("学位5800个[1]，另见[3]。", new Set([1]))).toEqual([
      { kind: "text", text: "学位5800个" },
      { kind: "cite", n: 1 },
      { kind: "text", text: "，另见[3]。" },
    ]);
  });
});

describe("console helpers", () => {
  const passage = "全市新增公办园22所，提供公办学位5800个；新增省级特色高中4所";

  it("finds the query's words in a passage without a tokenizer, figures kept apart", () => {
    const terms = matchedTerms("2024年新增了多少所公办幼儿园？", "2024年新建学校100%纳入集团化办学，" + passage);
    expect(terms).toContain("2024年");
    expect(terms).toContain("新增");
    expect(terms).toContain("公办");
    expect(terms).not.toContain("多少");
    expect(terms.some((t) => t.includes("年新"))).toBe(false);
  });

  it("marks every occurrence, longest term first", () => {
    const segments = highlightSegments(passage, ["公办", "公办园"]);
    expect(segments.filter((s) => s.hit).map((s) => s.text)).toEqual(["公办园", "公办"]);
    expect(segments.map((s) => s.text).join("")).toBe(passage);
  });

  it("formats an answer for reading aloud: no markers, sources as a sentence", () => {
    const text = formatForReadingAloud("2024年新增了多少所公办幼儿园？", ANSWER, [
      { n: 1, title: "2024年以来青岛市教育工作总结", year: 2024, section: "一、突出扩优提质，在“上好学”上取得新进展 › 1.加快推进新优质学校建设" },
    ]);
    expect(text).toBe(
      "问：2024年新增了多少所公办幼儿园？\n答：据2024年工作总结，全市新增公办园22所，提供公办学位5800个。\n" +
        "以上内容依据《2024年以来青岛市教育工作总结》（2024年）“一、突出扩优提质，在“上好学”上取得新进展”中的“1.加快推进新优质学校建设”部分。",
    );
  });
});
