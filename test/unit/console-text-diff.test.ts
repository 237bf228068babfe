import { describe, expect, it } from "vitest";
import { diffList, diffText, hasChanges, type DiffSegment } from "../../src/web/console/text-diff.js";

// The history view's diff between two versions of a curated answer: Chinese text, compared by
// character, with short kept runs folded into the change around them.

const before = (segments: DiffSegment[]) => segments.filter((s) => s.kind !== "added").map((s) => s.text).join("");
const after = (segments: DiffSegment[]) => segments.filter((s) => s.kind !== "removed").map((s) => s.text).join("");

describe("diffText", () => {
  it("marks a changed figure inside an otherwise unchanged answer", () => {
    const a = "2024年全市新增公办园22所，提供公办学位5800个。[1]";
    const b = "2024年全市新增公办园22所，提供公办学位6000个。[1]";
    const diff = diffText(a, b);
    expect(before(diff)).toBe(a);
    expect(after(diff)).toBe(b);
    expect(diff.filter((s) => s.kind === "removed").map((s) => s.text)).toEqual(["58"]);
    expect(diff.filter((s) => s.kind === "added").map((s) => s.text)).toEqual(["60"]);
    expect(diff[0]).toEqual({ kind: "same", text: "2024年全市新增公办园22所，提供公办学位" });
  });

  it("shows an added sentence as one addition", () => {
    const a = "课后服务每天不少于2小时。";
    const b = "课后服务每天不少于2小时。家长可在学校公众号报名。";
    expect(diffText(a, b)).toEqual([
      { kind: "same", text: a },
      { kind: "added", text: "家长可在学校公众号报名。" },
    ]);
  });

  it("folds a one- or two-character kept run between changes into a single replacement", () => {
    // 公办 → 民办 and 学位 → 名额 share only "办": one readable replacement, not confetti.
    const diff = diffText("公办学位", "民办名额");
    expect(diff).toEqual([
      { kind: "removed", text: "公办学位" },
      { kind: "added", text: "民办名额" },
    ]);
  });

  it("keeps longer unchanged runs between two changes", () => {
    const a = "甲：全市新增公办园22所；乙";
    const b = "丙：全市新增公办园22所；丁";
    const diff = diffText(a, b);
    expect(diff.map((s) => s.kind)).toEqual(["removed", "added", "same", "removed", "added"]);
    expect(diff[2]!.text).toBe("：全市新增公办园22所；");
  });

  it("handles empty sides, identical texts and characters outside the BMP", () => {
    expect(diffText("", "新答案")).toEqual([{ kind: "added", text: "新答案" }]);
    expect(diffText("旧答案", "")).toEqual([{ kind: "removed", text: "旧答案" }]);
    expect(diffText("一样", "一样")).toEqual([{ kind: "same", text: "一样" }]);
    expect(hasChanges(diffText("一样", "一样"))).toBe(false);
    const diff = diffText("𠀀学位", "𠀁学位");
    expect(diff).toEqual([
      { kind: "removed", text: "𠀀" },
      { kind: "added", text: "𠀁" },
      { kind: "same", text: "学位" },
    ]);
  });

  it("reconstructs both sides of long rewritten answers", () => {
    const a = "根据2021年度业务目标，全市中小学课后服务覆盖率达到100%，参与学生比例不低于80%。".repeat(20);
    const b = a.replace(/80%/g, "85%").replace("2021年", "2022年") + "以上为人工审核口径。";
    const diff = diffText(a, b);
    expect(before(diff)).toBe(a);
    expect(after(diff)).toBe(b);
    expect(hasChanges(diff)).toBe(true);
  });
});

describe("diffList", () => {
  it("lists added, removed and kept variants in order", () => {
    expect(diffList(["幼升小怎么报名", "小学报名流程"], ["小学报名流程", "一年级怎么报名"])).toEqual({
      added: ["一年级怎么报名"],
      removed: ["幼升小怎么报名"],
      kept: ["小学报名流程"],
    });
  });
});
