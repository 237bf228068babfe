import { describe, expect, it } from "vitest";
import { statesUndisclosed } from "../../src/core/eval/answer-metrics.js";

describe("redaction check of the evaluation", () => {
  it("reads 未公开 in either script and the English frame's wording, never a bare placeholder", () => {
    // The speech's sentence on school doctors, as answers in each script quote it.
    expect(statesUndisclosed("为中小学配备校医（未公开）名。")).toBe(true);
    expect(statesUndisclosed("為中小學配備校醫（未公開）名。")).toBe(true);
    expect(statesUndisclosed("The source does not publish the exact figure (anonymised). 为中小学配备校医（未公开）名。")).toBe(true);
    expect(statesUndisclosed("为中小学配备校医xxx名。")).toBe(false);
  });
});
