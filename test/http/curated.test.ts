import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CURATED_ANSWER_MAX } from "../../src/core/http/routes/curated.js";
import type { AssistantStore } from "../../src/core/store/types.js";
import { openSqliteStore } from "../../src/node/store/open-sqlite-store.js";
import { addStaff, staffApp } from "../store/fixtures.js";

// Every status of the curated-answer API through app.request(), on a real SQLite store and real
// corpus passages: 全市新增公办园22所，提供公办学位5800个 (2024 summary) is the cited passage.
const dir = mkdtempSync(join(tmpdir(), "edu-curated-http-"));
let store: AssistantStore;
let app: Hono;
let editor: string;
let admin: string;
let revoked: string;
let clock = new Date("2026-12-04T01:00:00.000Z");

const P2024 = "2024-work-summary#p005";
const PTARGETS = "2021-business-targets#p031";
const ANSWER = {
  questions: ["2024年新增了多少公办学位？", "去年公办学位增加了多少"],
  answer: "据2024年工作总结，全市新增公办园22所，提供公办学位5800个。[1]",
  citations: [P2024],
  reviewBy: "2027-06-30",
};

function call(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  return app.request(path, init);
}

async function problemOf(res: Response) {
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as { title: string; status: number; detail: string };
  expect(body.status).toBe(res.status);
  expect(body.detail).toMatch(/[\u4e00-\u9fff]/);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:|node_modules|SQLITE|Error:/);
  return body;
}

async function create(body: unknown = ANSWER, token = editor) {
  const res = await call("POST", "/api/curated", token, body);
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; version: number };
}

/** Everything that a rejected request must not have touched. */
async function snapshot() {
  return { answers: await store.listCurated(), audit: (await store.listAudit()).length };
}

beforeAll(async () => {
  ({ store } = await openSqliteStore(join(dir, "data")));
  editor = await addStaff(store, "王老师", "editor");
  admin = await addStaff(store, "admin-li", "admin");
  revoked = await addStaff(store, "离职-张", "editor");
  await store.revokeStaff("离职-张", new Date().toISOString());
  app = staffApp(store, { now: () => clock });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("staff sign-in", () => {
  const routes: [string, string, unknown?][] = [
    ["POST", "/api/curated", ANSWER],
    ["POST", "/api/curated/check", { answer: ANSWER.answer, citations: ANSWER.citations }],
    ["GET", "/api/curated"],
    ["GET", "/api/curated/ca-aaaaaaaaaaaa"],
    ["PUT", "/api/curated/ca-aaaaaaaaaaaa", { version: 1 }],
    ["GET", "/api/curated/ca-aaaaaaaaaaaa/history"],
    ["POST", "/api/curated/ca-aaaaaaaaaaaa/revert", { version: 1 }],
    ["DELETE", "/api/curated/ca-aaaaaaaaaaaa"],
    ["GET", "/api/audit"],
    ["GET", "/api/report/questions"],
  ];

  it.each(routes)("%s %s: no token, a malformed header, an unknown token and a revoked token are 401", async (method, path, body) => {
    const before = await snapshot();
    for (const auth of [undefined, `Basic ${btoa("wang:x")}`, "Bearer", `Bearer ${editor}x`, `Bearer ${revoked}`]) {
      const res = await call(method, path, undefined, body, auth ? { authorization: auth } : {});
      expect(res.status, `${auth}`).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await problemOf(res)).title).toBe("STAFF_UNAUTHORIZED");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("an editor reading the audit log is 403; an admin may do what an editor may", async () => {
    const res = await call("GET", "/api/audit", editor);
    expect(res.status).toBe(403);
    expect((await problemOf(res)).detail).toContain("管理员");
    expect((await call("GET", "/api/curated", admin)).status).toBe(200);
    expect((await call("GET", "/api/report/questions", admin)).status).toBe(200);
  });
});

describe("POST /api/curated", () => {
  it("201 with {id, version: 1}; the answer is stored with its author, and markup is kept as text", async () => {
    const { id, version } = await create();
    expect(version).toBe(1);
    const stored = (await (await call("GET", `/api/curated/${id}`, editor)).json()) as Record<string, unknown>;
    expect(stored).toMatchObject({ id, version: 1, status: "live", author: "王老师", ...ANSWER, needsReview: false });

    const markup = { ...ANSWER, answer: '<script>alert("x")</script><b>提供公办学位5800个</b>' };
    const created = await create(markup);
    const res = await call("GET", `/api/curated/${created.id}`, editor);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await res.json()) as { answer: string }).answer).toBe(markup.answer);
  });

  it("422 naming the figure that no cited passage holds, and naming a citation that does not exist; nothing written", async () => {
    const before = await snapshot();
    const wrongFigure = await call("POST", "/api/curated", editor, { ...ANSWER, answer: "2024年全市新增公办学位6000个。" });
    expect(wrongFigure.status).toBe(422);
    const figure = await problemOf(wrongFigure);
    expect(figure.title).toBe("FIGURE_UNSUPPORTED");
    expect(figure.detail).toContain("6000个");

    // 5800个 is in the 2024 summary, not in the 2021 targets it now cites.
    const wrongSource = await call("POST", "/api/curated", editor, { ...ANSWER, citations: [PTARGETS] });
    expect(wrongSource.status).toBe(422);
    expect((await problemOf(wrongSource)).detail).toContain("5800个");

    const unknown = await call("POST", "/api/curated", editor, { ...ANSWER, citations: [P2024, "2024-work-summary#p999"] });
    expect(unknown.status).toBe(422);
    const citation = await problemOf(unknown);
    expect(citation.title).toBe("CITATION_UNKNOWN");
    expect(citation.detail).toContain("2024-work-summary#p999");
    expect(await snapshot()).toEqual(before);
  });

  it("the check route reports the same verdict without writing", async () => {
    const before = await snapshot();
    const res = await call("POST", "/api/curated/check", editor, { answer: "新增公办园22所，公办学位6000个", citations: [P2024, "x#p1"] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ missingCitations: ["x#p1"], unsupported: ["6000个"], checked: 2 });
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["an oversize answer", { ...ANSWER, answer: "提供公办学位5800个。" + "说明".repeat(CURATED_ANSWER_MAX) }, "答案过长"],
    ["an empty answer", { ...ANSWER, answer: "   " }, "答案不能为空"],
    ["no questions", { ...ANSWER, questions: [] }, "至少需要一个问题"],
    ["no citations", { ...ANSWER, citations: [] }, "至少需要引用一个段落"],
    ["citations as a string", { ...ANSWER, citations: P2024 }, "citations"],
    ["a month 13", { ...ANSWER, reviewBy: "2026-13-01" }, "reviewBy"],
    ["February 30th", { ...ANSWER, reviewBy: "2027-02-30" }, "reviewBy"],
    ["a slashed date", { ...ANSWER, reviewBy: "2027/06/30" }, "reviewBy"],
    ["a date as a number", { ...ANSWER, reviewBy: 20270630 }, "reviewBy"],
    ["an unknown field", { ...ANSWER, status: "retired" }, "格式"],
    ["an array body", [ANSWER], "对象"],
  ])("400 for %s, with a Chinese message and nothing written", async (_name, body, message) => {
    const before = await snapshot();
    const res = await call("POST", "/api/curated", editor, body);
    expect(res.status).toBe(400);
    expect((await problemOf(res)).detail).toContain(message);
    expect(await snapshot()).toEqual(before);
  });

  it("400 for malformed JSON, 415 for a non-JSON body, 413 for a body over 32 KB", async () => {
    const before = await snapshot();
    expect((await call("POST", "/api/curated", editor, '{"questions": [')).status).toBe(400);
    const form = await call("POST", "/api/curated", editor, undefined, { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    await problemOf(form);
    const huge = await call("POST", "/api/curated", editor, { ...ANSWER, questions: ["问".repeat(40_000)] });
    expect(huge.status).toBe(413);
    await problemOf(huge);
    expect(await snapshot()).toEqual(before);
  });
});

describe("PUT /api/curated/:id", () => {
  it("200 with the next version; 409 for a stale version; 404 for an unknown id; 422 leaves the answer as it was", async () => {
    const { id } = await create();
    const edit = await call("PUT", `/api/curated/${id}`, editor, { version: 1, answer: "全市新增公办园22所、公办学位5800个。[1]" });
    expect(edit.status).toBe(200);
    expect(await edit.json()).toEqual({ id, version: 2 });

    const stale = await call("PUT", `/api/curated/${id}`, admin, { version: 1, answer: "提供公办学位5800个" });
    expect(stale.status).toBe(409);
    const conflict = await problemOf(stale);
    expect(conflict.title).toBe("VERSION_CONFLICT");
    expect(conflict.detail).toContain("2");

    const before = await snapshot();
    const figure = await call("PUT", `/api/curated/${id}`, editor, { version: 2, answer: "新增公办学位58000个" });
    expect(figure.status).toBe(422);
    expect((await problemOf(figure)).detail).toContain("58000个");
    expect((await call("PUT", `/api/curated/${id}`, editor, { version: 2, reviewBy: "2027-13-01" })).status).toBe(400);
    expect((await call("PUT", `/api/curated/${id}`, editor, { answer: "提供公办学位5800个" })).status).toBe(400);
    expect(await snapshot()).toEqual(before);

    expect((await call("PUT", "/api/curated/ca-zzzzzzzzzzzz", editor, { version: 1 })).status).toBe(404);
    expect((await call("PUT", "/api/curated/../../etc", editor, { version: 1 })).status).toBe(404);

    // Fields left out keep their value; reviewBy: null clears the review date.
    expect((await call("PUT", `/api/curated/${id}`, editor, { version: 2, reviewBy: null })).status).toBe(200);
    const latest = (await (await call("GET", `/api/curated/${id}`, editor)).json()) as Record<string, unknown>;
    expect(latest).toMatchObject({ version: 3, answer: "全市新增公办园22所、公办学位5800个。[1]", questions: ANSWER.questions });
    expect(latest.reviewBy).toBeUndefined();
  });

  it("two operators saving the same version at once: one 200, one 409, both edits never silently merged", async () => {
    const { id } = await create();
    const [a, b] = await Promise.all([
      call("PUT", `/api/curated/${id}`, editor, { version: 1, answer: "甲：提供公办学位5800个。" }),
      call("PUT", `/api/curated/${id}`, admin, { version: 1, answer: "乙：提供公办学位5800个。" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const history = await store.curatedHistory(id);
    expect(history).toHaveLength(2);
    expect(history[1]!.answer).toBe(a.status === 200 ? "甲：提供公办学位5800个。" : "乙：提供公办学位5800个。");
  });
});

describe("history, revert, retire, list", () => {
  it("history lists every version with author, time and content; revert makes a new version equal to an old one; DELETE retires and keeps the history", async () => {
    clock = new Date("2026-12-04T02:00:00.000Z");
    const { id } = await create();
    clock = new Date("2026-12-04T03:00:00.000Z");
    expect((await call("PUT", `/api/curated/${id}`, admin, { version: 1, questions: ["今年新增了多少公办学位"], answer: "新增公办学位5800个。[1]" })).status).toBe(200);

    const history = await call("GET", `/api/curated/${id}/history`, editor);
    expect(history.status).toBe(200);
    const { versions } = (await history.json()) as { versions: Record<string, unknown>[] };
    expect(versions.map((v) => [v.version, v.author, v.time, v.answer])).toEqual([
      [1, "王老师", "2026-12-04T02:00:00.000Z", ANSWER.answer],
      [2, "admin-li", "2026-12-04T03:00:00.000Z", "新增公办学位5800个。[1]"],
    ]);

    const revert = await call("POST", `/api/curated/${id}/revert`, editor, { version: 1 });
    expect(revert.status).toBe(200);
    expect(await revert.json()).toEqual({ id, version: 3 });
    expect(await store.getCurated(id)).toMatchObject({ version: 3, answer: ANSWER.answer, questions: ANSWER.questions, author: "王老师" });
    expect((await call("POST", `/api/curated/${id}/revert`, editor, { version: 7 })).status).toBe(404);
    expect((await call("POST", `/api/curated/${id}/revert`, editor, { version: "1" })).status).toBe(400);
    expect((await call("POST", "/api/curated/ca-zzzzzzzzzzzz/revert", editor, { version: 1 })).status).toBe(404);

    const retire = await call("DELETE", `/api/curated/${id}`, editor);
    expect(retire.status).toBe(200);
    expect(await retire.json()).toEqual({ id, version: 4 });
    expect((await call("DELETE", `/api/curated/${id}`, editor)).status).toBe(200);
    expect((await store.curatedHistory(id)).map((v) => v.status)).toEqual(["live", "live", "live", "retired"]);
    expect((await store.liveCurated("2026-12-04")).live.map((v) => v.id)).not.toContain(id);
    expect((await call("DELETE", "/api/curated/ca-zzzzzzzzzzzz", editor)).status).toBe(404);
    expect((await call("GET", "/api/curated/ca-zzzzzzzzzzzz/history", editor)).status).toBe(404);
  });

  it("GET /api/curated lists the latest versions and flags those past their review date (bureau local date)", async () => {
    const { id } = await create({ ...ANSWER, reviewBy: "2026-12-10" });
    clock = new Date("2026-12-10T15:59:00.000Z"); // 23:59 on the 10th in UTC+8: still within review
    let listed = (await (await call("GET", "/api/curated", editor)).json()) as { today: string; answers: { id: string; needsReview: boolean }[] };
    expect(listed.today).toBe("2026-12-10");
    expect(listed.answers.find((a) => a.id === id)?.needsReview).toBe(false);
    clock = new Date("2026-12-10T16:00:00.000Z"); // midnight of the 11th in UTC+8
    listed = (await (await call("GET", "/api/curated", editor)).json()) as typeof listed;
    expect(listed.answers.find((a) => a.id === id)?.needsReview).toBe(true);
    expect((await store.liveCurated("2026-12-11")).needsReview.map((v) => v.id)).toContain(id);
    // Re-approving (a new reviewBy) brings it back.
    expect((await call("PUT", `/api/curated/${id}`, editor, { version: 1, reviewBy: "2027-12-31" })).status).toBe(200);
    expect((await store.liveCurated("2026-12-11")).live.map((v) => v.id)).toContain(id);
  });
});

describe("GET /api/audit (admin)", () => {
  it("lists who did what, newest first, filtered by local day; a malformed date is 400", async () => {
    const res = await call("GET", "/api/audit?limit=500", admin);
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as { entries: { actor: string; action: string; target: string }[] };
    expect(entries.some((e) => e.action === "curated.revert" && e.actor === "王老师")).toBe(true);
    expect(entries.some((e) => e.action === "staff.revoke" && e.target === "离职-张")).toBe(true);
    expect(new Set(entries.map((e) => e.action))).toEqual(new Set(["staff.add", "staff.revoke", "curated.create", "curated.update", "curated.revert", "curated.retire"]));

    const day = (await (await call("GET", "/api/audit?from=2026-12-04&to=2026-12-04", admin)).json()) as { entries: { time: string }[] };
    expect(day.entries.length).toBeGreaterThan(0);
    expect(day.entries.every((e) => e.time >= "2026-12-03T16:00:00.000Z" && e.time < "2026-12-04T16:00:00.000Z")).toBe(true);
    for (const bad of ["from=2026-12-40", "to=yesterday", "limit=0"]) {
      const r = await call("GET", `/api/audit?${bad}`, admin);
      expect(r.status, bad).toBe(400);
      await problemOf(r);
    }
  });
});
