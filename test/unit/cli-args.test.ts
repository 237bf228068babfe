import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/node/cli/common.js";

describe("parseArgs", () => {
  it("reads the benches' numeric flags with a separate value, as with =", () => {
    const spaced = parseArgs(["--only-distinct", "--connections", "100", "--client", "wrk", "--modes", "1,cluster", "--rounds", "3", "--warm-up", "500"]);
    const joined = parseArgs(["--only-distinct", "--connections=100", "--client=wrk", "--modes=1,cluster", "--rounds=3", "--warm-up=500"]);
    for (const { flags, positional } of [spaced, joined]) {
      expect(positional).toEqual([]);
      expect(Object.fromEntries(flags)).toEqual({ "only-distinct": true, connections: "100", client: "wrk", modes: "1,cluster", rounds: "3", "warm-up": "500" });
    }
  });

  it("keeps a word after a switch positional", () => {
    expect(parseArgs(["--json", "课后服务"])).toEqual({ flags: new Map([["json", true]]), positional: ["课后服务"] });
  });
});
