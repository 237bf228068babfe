/**
 * A figure names what it counts or shares before it (新增公办园22所, 占比从去年的39%) or, in Chinese's
 * attributive order, after 的 (推动50%以上的培训机构纳入平台管理, 90%以上的中小学达到…): a share asked of
 * what follows 的 is answered by that sentence, not by another share of the same list. A share so
 * named is no count: "how many providers" is still answered by 3221家. Real text: the seed corpus.
 */
import { describe, expect, it } from "vitest";
import { leadQuote as lead } from "./helpers.js";
import { useSeedCorpus } from "./external-corpus.js";

describe("a figure that names what it quantifies after 的", () => {
  const seed = useSeedCorpus();

  it("answers a share of the 机构 with 50%以上的培训机构, not with the 优质园比例 of the same targets", async () => {
    const { answer } = await seed().answerer.answer("2021年的业务目标 校外的机构要有多大比例纳入平台", []);
    expect(lead(answer.answer)).toContain("50%以上的培训机构纳入平台管理");
    expect(lead(answer.answer)).not.toContain("优质园比例");
  });

  it("a count asked is answered by the count, not by a share named after 的", async () => {
    const { answer } = await seed().answerer.answer("In 2021, how many off-campus training institutions (校外培训机构) were put under the management platform?", []);
    expect(lead(answer.answer)).toContain("3221");
  });
});
