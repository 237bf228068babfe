/**
 * A sentence that opens with 其中 (其中，公办学校志愿最多14个、民办学校志愿最多5个) counts within the set the
 * sentence before it names (最多填报19个志愿): quoted, it comes after that sentence, as 上述 does. Real
 * text: 天河区's 2026 points-based admission guide, from ../shared/eval/external/ (copied at run time
 * into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const FILE = "02_积分入学指引_2026.html";

describe.runIf(hasExternal(FILE))("a sentence opening with 其中", () => {
  const external = useExternalCorpus([FILE], 120_000, true);

  it("follows the sentence that names the whole, so the answer gives the total and its parts", async () => {
    const { answer } = await external().answerer.answer("天河2026积分入学 学校最多能填几个 公办民办各能填几个", []);
    const total = answer.answer.indexOf("最多填报19个志愿");
    const parts = answer.answer.indexOf("其中，公办学校志愿最多14个");
    expect(total).toBeGreaterThanOrEqual(0);
    expect(parts).toBeGreaterThan(total);
  });

  it("其中 inside a sentence (…563个，其中公办小学315个) points back to nothing before it", async () => {
    const { answer } = await external().answerer.answer("天河2026年积分入学小学一年级有多少个计划 公办几个", []);
    expect(answer.answer.split("。")[0]).toContain("设置积分入学计划563个，其中公办小学315个");
  });
});
