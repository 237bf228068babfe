/**
 * A regulation is chunked per article (第N条), and a handbook cites a law by its article: an answer
 * quoting a sentence of an article names the article in its attribution and in its citation's section.
 * The text is 上海市实施《中华人民共和国义务教育法》办法's article 41 (../shared/eval/external/).
 */
import { describe, expect, it } from "vitest";
import { attribute, type ScoredUnit } from "../../src/core/answer/extractive-composer.js";
import { articleOf, sectionOf } from "../../src/core/search/search-index.js";
import type { DocumentMeta, Passage } from "../../src/core/types.js";

const ARTICLE_41 =
  "第四十一条 学校应当根据学生的身心特点和成长规律，科学合理安排学生的课业，不得占用思想品德、体育、音乐、美术、社会实践等课时。\n教师不得利用课余时间强制或者变相强制学生参加有偿补课等活动。";
const doc: DocumentMeta = { id: "law", title: "上海市实施《中华人民共和国义务教育法》办法", year: 2024, file: "law.md", script: "Hans", contentHash: "" };

function passage(text: string, headingPath = [doc.title, "第五章 素质教育"]): Passage {
  return { id: "law#p040", docId: "law", ordinal: 40, kind: "paragraph", headingPath, text, folded: text, redactions: [] };
}

function unit(p: Passage, text: string): ScoredUnit {
  return { hit: { passage: p, doc, score: 1, signals: {} }, hitRank: 0, text, folded: text, score: 1, coverage: 1, figures: [], redacted: false };
}

describe("an article's number in citations", () => {
  it("reads the article a passage opens with, and only there", () => {
    expect(articleOf(passage(ARTICLE_41))).toBe("第四十一条");
    expect(articleOf(passage("学校应当依照本办法第四十一条的规定安排课业。"))).toBeUndefined();
    expect(articleOf(passage("第三条规定的事项"))).toBeUndefined();
  });

  it("adds the article to the section, once", () => {
    expect(sectionOf(passage(ARTICLE_41))).toBe("第五章 素质教育 › 第四十一条");
    expect(sectionOf(passage(ARTICLE_41, [doc.title, "第五章 素质教育", "第四十一条"]))).toBe("第五章 素质教育 › 第四十一条");
    expect(sectionOf(passage("教师不得利用课余时间强制学生参加有偿补课。"))).toBe("第五章 素质教育");
  });

  it("attributes a sentence of the article to the article, unless the sentence names it", () => {
    const p = passage(ARTICLE_41);
    expect(attribute(unit(p, "教师不得利用课余时间强制或者变相强制学生参加有偿补课等活动。"), "教师不得利用课余时间强制或者变相强制学生参加有偿补课等活动。")).toBe(
      "据2024年《上海市实施《中华人民共和国义务教育法》办法》第四十一条，教师不得利用课余时间强制或者变相强制学生参加有偿补课等活动。",
    );
    const opening = "第四十一条 学校应当根据学生的身心特点和成长规律，科学合理安排学生的课业。";
    expect(attribute(unit(p, opening), opening)).toBe(`据2024年《上海市实施《中华人民共和国义务教育法》办法》，${opening}`);
  });
});
