import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { PurgeResult } from "../../src/core/store/types.js";
import { openSqliteStore } from "../../src/node/store/open-sqlite-store.js";
import { scheduleRetention } from "../../src/node/store/retention.js";

const root = mkdtempSync(join(tmpdir(), "edu-retention-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("scheduleRetention", () => {
  it("purges questions and feedback past the configured retention at start, keeping the recent ones", async () => {
    const { store } = await openSqliteStore(root);
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    await store.logQuestion({ time: daysAgo(31), channel: "widget", question: "幼升小怎么报名？", mode: "refused", grounded: false, topPassages: [] });
    await store.logQuestion({ time: daysAgo(29), channel: "widget", question: "课后服务收费吗", mode: "extractive", grounded: true, topPassages: [] });
    await store.append({ time: daysAgo(45), answerId: "ans-old00001", rating: "down" });
    const purged = await new Promise<PurgeResult>((resolve) => {
      const stop = scheduleRetention(store, { retentionDays: 30, onPurged: (r) => (stop(), resolve(r)) });
    });
    expect(purged).toEqual({ questions: 1, feedback: 1 });
    expect((await store.listQuestions()).map((q) => q.question)).toEqual(["课后服务收费吗"]);
    await store.close();
  });
});
