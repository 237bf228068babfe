/**
 * A table row whose cell names the institution the question names: 金山区's 招生信息表 lists 漕泾幼儿园
 * (公办, 小班 6 个150人) and 斯育漕泾幼儿园 (民办, 小班1个23人), and 朱行幼儿园 beside 民办金工幼儿园 on
 * 朱行高林路. Real text: 12.金山政策.doc (../shared/eval/external/, copied at run time into a
 * temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { institutionNames, namesInstitution } from "../src/core/question/scoring.js";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const JINSHAN = "12.金山政策.doc";

describe("the institution a question names", () => {
  it("is some end of the words before an institution's head noun", () => {
    expect(institutionNames("金山漕泾幼儿园小班招几个")).toEqual(["金山漕泾幼儿园", "山漕泾幼儿园", "漕泾幼儿园"]);
    expect(institutionNames("孩子几岁上学")).toEqual([]);
  });

  it("is named by a cell that opens with it, not by a longer name that ends with it", () => {
    const names = institutionNames("漕泾幼儿园招几个班");
    expect(namesInstitution("地区：漕泾镇｜幼儿园地址（分等定级）：漕泾幼儿园 市一级幼儿园区示范园（漕泾中心街266号）", names)).toBe(true);
    expect(namesInstitution("地区：漕泾镇｜幼儿园地址：斯育漕泾幼儿园 三级园(漕泾花园港路58号）", names)).toBe(false);
  });
});

describe.runIf(hasExternal(JINSHAN))("answers from the row of the institution named", () => {
  const external = useExternalCorpus([JINSHAN]);

  it("漕泾幼儿园's row, not 斯育漕泾幼儿园's", async () => {
    const { answer } = await external().answerer.answer("漕泾幼儿园今年小班招几个班，多少个孩子", []);
    const lead = answer.answer.split("\n")[0]!;
    expect(lead).toContain("漕泾中心街266号");
    expect(lead).not.toMatch(/^[^。]*斯育漕泾幼儿园/);
  });

  it("朱行幼儿园's row, whose numbers are written with a space before the unit, not 民办金工幼儿园's on 朱行高林路", async () => {
    const { answer } = await external().answerer.answer("金山工业区的朱行幼儿园小班今年招几个班 一共多少人", []);
    const lead = answer.answer.split("\n")[0]!;
    expect(lead).toContain("恒康路168号");
    expect(lead.replace(/\s/g, "")).toContain("150人");
  });
});
