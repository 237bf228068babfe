import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDevSet } from "./dev-set.js";
import { describeHttpContract } from "./http-contract.js";
import { startNodeTarget, startWranglerTarget, type RunningTarget } from "./targets.js";

// One `wrangler dev` (workerd, offline) for the whole file: the contract, then the dev-set comparison.
let worker: RunningTarget;
let node: RunningTarget;
beforeAll(async () => {
  [worker, node] = await Promise.all([startWranglerTarget(), startNodeTarget()]);
  console.log(`wrangler dev ready in ${(worker.startupMs / 1000).toFixed(1)} s (custom build, bundling, workerd start, first index load)`);
}, 240_000);
afterAll(async () => {
  await Promise.all([worker?.stop(), node?.stop()]);
});

describeHttpContract("Worker (wrangler dev, workerd)", () => worker);

describe("dev set: Worker against the Node server", () => {
  it("Worker Recall@5 is within 5 points of the Node server's, and every answer passes the figure check", async () => {
    const [onNode, onWorker] = [await runDevSet(node), await runDevSet(worker)];
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(
      `dev set (${onNode.retrieval.questions} questions with evidence): Node Recall@5 ${pct(onNode.retrieval.recallAt5)} MRR ${onNode.retrieval.mrr.toFixed(3)}; ` +
        `Worker Recall@5 ${pct(onWorker.retrieval.recallAt5)} MRR ${onWorker.retrieval.mrr.toFixed(3)}; grounded answers Node ${onNode.grounded}, Worker ${onWorker.grounded}`,
    );
    expect(Math.abs(onWorker.retrieval.recallAt5 - onNode.retrieval.recallAt5)).toBeLessThanOrEqual(0.05);
    expect(onWorker.unverified).toEqual([]);
    expect(onNode.unverified).toEqual([]);
    expect(onWorker.grounded).toBeGreaterThan(0);
  }, 240_000);
});
