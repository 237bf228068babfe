import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/core/config.js";
import { createApp } from "../../src/core/http/app.js";
import { curatedRoutes } from "../../src/core/http/routes/curated.js";
import { reportRoutes } from "../../src/core/http/routes/report.js";
import type { AssistantStore } from "../../src/core/store/types.js";
import { openSqliteStore } from "../../src/node/store/open-sqlite-store.js";
import { addStaff, corpusPassages, tokenizerQuestionTerms } from "../store/fixtures.js";

// The sub-apps mounted on the service's own app, as the integrator mounts them: its body limit has
// already read POST bodies, its error handler and 404 stay in place, its security headers apply.
const dir = mkdtempSync(join(tmpdir(), "edu-curated-mounted-"));
let store: AssistantStore;
let editor: string;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ({ store } = await openSqliteStore(join(dir, "data")));
  editor = await addStaff(store, "王老师", "editor");
  const { RATE_LIMIT_PER_MIN, TRUST_PROXY, ALLOWED_ORIGINS, ADMIN_TOKEN, REQUEST_TIMEOUT_MS, MAX_CONCURRENT_ANSWERS, ANSWER_CACHE_SIZE } = loadConfig({});
  app = createApp({ state: () => undefined, config: { RATE_LIMIT_PER_MIN, TRUST_PROXY, ALLOWED_ORIGINS, ADMIN_TOKEN, REQUEST_TIMEOUT_MS, MAX_CONCURRENT_ANSWERS, ANSWER_CACHE_SIZE } });
  const passages = corpusPassages();
  app.route("/", curatedRoutes({ store, passageById: (id) => passages.get(id) }));
  app.route("/", reportRoutes({ store, questionTerms: tokenizerQuestionTerms() }));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("curated routes mounted on createApp()", () => {
  it("POST (body read by the main app's limit), PUT (read by the sub-app), 401 and 404 as problem+json with the app's headers", async () => {
    const headers = { authorization: `Bearer ${editor}`, "content-type": "application/json" };
    const body = { questions: ["2024年新增了多少公办学位？"], answer: "全市新增公办园22所，提供公办学位5800个。[1]", citations: ["2024-work-summary#p005"] };
    const created = await app.request("/api/curated", { method: "POST", headers, body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-content-type-options")).toBe("nosniff");
    const { id } = (await created.json()) as { id: string };
    expect((await app.request(`/api/curated/${id}`, { method: "PUT", headers, body: JSON.stringify({ version: 1, reviewBy: "2027-06-30" }) })).status).toBe(200);
    expect((await app.request(`/api/curated/${id}`, { method: "PUT", headers, body: JSON.stringify({ version: 1, reviewBy: "2027-06-30" }) })).status).toBe(409);
    expect((await app.request("/api/curated", { method: "POST", headers, body: "{" })).status).toBe(400);
    const tooBig = await app.request("/api/curated", { method: "POST", headers, body: JSON.stringify({ ...body, answer: "学".repeat(20_000) }) });
    expect(tooBig.status).toBe(413);
    const anonymous = await app.request("/api/report/questions");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await app.request("/api/curated/ca-zzzzzzzzzzzz/history", { headers })).status).toBe(404);
    expect((await app.request("/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: "幼升小怎么报名" }) })).status).toBe(503);
  });
});
