import { afterAll, beforeAll } from "vitest";
import { describeHttpContract } from "./http-contract.js";
import { startNodeTarget, type RunningTarget } from "./targets.js";

let target: RunningTarget;
beforeAll(async () => {
  target = await startNodeTarget();
});
afterAll(async () => {
  await target?.stop();
});

describeHttpContract("Node server", () => target);
