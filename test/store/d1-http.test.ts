import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AssistantStore } from "../../src/core/store/types.js";
import { openD1Store, type D1Binding } from "../../src/worker/d1-store.js";
import { addStaff, staffApp } from "./fixtures.js";
import { localD1 } from "../local-d1.js";

// The same sub-apps on the Worker's store: D1 in Miniflare's local mode.
const persist = mkdtempSync(join(tmpdir(), "edu-d1-http-"));
let disposeD1: () => Promise<void>;
let store: AssistantStore;
let editor: string;

beforeAll(async () => {
  const local = await localD1<D1Binding>(persist, "curated");
  disposeD1 = local.dispose;
  store = await openD1Store(local.db);
  editor = await addStaff(store, "王老师", "editor");
});
afterAll(async () => {
  await disposeD1();
  rmSync(persist, { recursive: true, force: true });
});

describe("curated answers on D1", () => {
  it("create, stale edit, revert and report behave as on SQLite", async () => {
    const app = staffApp(store);
    const headers = { authorization: `Bearer ${editor}`, "content-type": "application/json" };
    const body = { questions: ["2024年新增了多少公办学位？"], answer: "全市新增公办园22所，提供公办学位5800个。[1]", citations: ["2024-work-summary#p005"] };
    expect((await app.request("/api/curated", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).status).toBe(401);
    const created = await app.request("/api/curated", { method: "POST", headers, body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await app.request("/api/curated", { method: "POST", headers, body: JSON.stringify({ ...body, answer: "新增公办学位6000个" }) })).status).toBe(422);
    const [a, b] = await Promise.all([
      app.request(`/api/curated/${id}`, { method: "PUT", headers, body: JSON.stringify({ version: 1, questions: ["今年新增多少公办学位"] }) }),
      app.request(`/api/curated/${id}`, { method: "PUT", headers, body: JSON.stringify({ version: 1, questions: ["去年新增多少公办学位"] }) }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((await app.request(`/api/curated/${id}/revert`, { method: "POST", headers, body: JSON.stringify({ version: 1 }) })).status).toBe(200);
    const history = (await (await app.request(`/api/curated/${id}/history`, { headers })).json()) as { versions: { questions: string[] }[] };
    expect(history.versions.map((v) => v.questions[0])).toEqual(["2024年新增了多少公办学位？", expect.stringMatching(/^(今年|去年)新增多少公办学位$/), "2024年新增了多少公办学位？"]);

    await store.logQuestion({ time: "2026-12-04T01:00:00.000Z", channel: "widget", question: "幼升小怎么报名？", mode: "refused", grounded: false, topPassages: [] });
    await store.logQuestion({ time: "2026-12-04T02:00:00.000Z", channel: "widget", question: "幼升小报名流程是什么", mode: "refused", grounded: false, topPassages: [] });
    const report = (await (await app.request("/api/report/questions?kind=unanswered", { headers })).json()) as { clusters: { count: number }[] };
    expect(report.clusters.map((c) => c.count)).toEqual([2]);
  });
});
