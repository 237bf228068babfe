/**
 * A sentence that ends inside a table cell (…1.2.3三项积分三选一。｜二级指标：…) is quoted from the cell
 * after it, not from the ｜ between them. Real text: 金山区's 2019 kindergarten notice, annex 5 (its
 * points table), from ../shared/eval/external/ (copied at run time into a temporary corpus, never into
 * the repository).
 */
import { describe, expect, it } from "vitest";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const FILE = "12.金山政策.doc";

describe.runIf(hasExternal(FILE))("a quote from a table row whose cell holds a full stop", () => {
  const external = useExternalCorpus([FILE]);

  it("opens on the cell, not on the separator", async () => {
    const { answer } = await external().answerer.answer("金山外地孩子上公办园的积分表，租房住能得几分？", []);
    expect(answer.answer).toMatch(/二级指标：\d\./);
    // No quote opens on the separator: not after the attribution (据…，｜) nor after another quote ([1]。｜). The
    // row is quoted from its first cell, with its own 。｜ between the cells as it stands.
    expect(answer.answer).not.toMatch(/，｜|\]。｜/);
    expect(answer.answer).toContain("一级指标：父母稳定居住情况（40分）1.2.3三项积分三选一。｜二级指标：");
    for (const citation of answer.citations) expect(citation.quote).not.toMatch(/^｜/);
  });
});
