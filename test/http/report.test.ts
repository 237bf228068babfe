import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_CSV_HEADERS, type QuestionCluster } from "../../src/core/store/question-clusters.js";
import type { AssistantStore, QuestionLogEntry } from "../../src/core/store/types.js";
import { openSqliteStore } from "../../src/node/store/open-sqlite-store.js";
import { addStaff, staffApp } from "../store/fixtures.js";

// A week of the hotline's questions as the chat path would log them: three people asking about
// primary-school enrolment (幼升小) in their own words, two about documents for children from
// elsewhere, after-school questions that were answered, and a few one-offs.
const dir = mkdtempSync(join(tmpdir(), "edu-report-http-"));
let store: AssistantStore;
let app: Hono;
let editor: string;

const at = (day: number, hour: number) => new Date(Date.UTC(2026, 10, day, hour)).toISOString();
const q = (time: string, question: string, fields: Partial<QuestionLogEntry> = {}): QuestionLogEntry => ({
  time,
  channel: "widget",
  question,
  mode: "refused",
  grounded: false,
  refusal: "low-coverage",
  topPassages: [],
  ...fields,
});

const LOG: QuestionLogEntry[] = [
  q(at(2, 1), "幼升小怎么报名？"),
  q(at(2, 2), "我叫李明，孩子叫王小红，幼升小报名流程是什么？电话13812345678"),
  q(at(3, 3), "幼升小怎么报名？", { channel: "api" }),
  q(at(5, 4), "幼升小报名流程是什么", { mode: "extractive", grounded: false, refusal: "unsupported-value" }),
  q(at(3, 1), "外地户口在青岛上学需要什么材料？"),
  q(at(6, 1), "外地孩子在青岛读书需要什么证明", { channel: "console" }),
  q(at(4, 5), "校园欺凌怎么处理"),
  q(at(2, 17), "孩子在学校被欺负怎么办"), // 01:00 on Nov 3 in the bureau's time (UTC+8)
  q(at(4, 6), "=HYPERLINK(\"http://evil.example\",\"点我\")"),
  // answered, one of them disliked
  q(at(2, 8), "课后服务几点结束？", { mode: "extractive", grounded: true, refusal: undefined, topPassages: ["speech-education-forum#p017"], answerId: "ans-after-1" }),
  q(at(3, 8), "课后服务收费吗", { mode: "extractive", grounded: true, refusal: undefined, answerId: "ans-after-2" }),
  q(at(4, 8), "2024年新增了多少公办学位？", { mode: "curated", grounded: true, refusal: undefined, answerId: "ans-seats-1" }),
  // December: outside the November window used below
  q(new Date(Date.UTC(2026, 11, 1, 1)).toISOString(), "幼升小怎么报名"),
];

type Report = { kind: string; questions: number; clusters: QuestionCluster[] };

async function report(query: string, token: string | null = editor) {
  return app.request(`/api/report/questions${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

beforeAll(async () => {
  ({ store } = await openSqliteStore(join(dir, "data")));
  editor = await addStaff(store, "王老师", "editor");
  await Promise.all(LOG.map((entry) => store.logQuestion(entry)));
  await store.append({ time: at(3, 9), answerId: "ans-after-2", rating: "down", comment: "没说多少钱" });
  await store.append({ time: at(4, 9), answerId: "ans-seats-1", rating: "up" });
  app = staffApp(store);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("GET /api/report/questions", () => {
  it("needs a staff token", async () => {
    const res = await report("", null);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toContain("工作人员令牌");
  });

  it("clusters the unanswered questions of a period by their terms, largest first, with masked examples", async () => {
    const res = await report("?kind=unanswered&from=2026-11-01&to=2026-11-30");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Report;
    expect(body.questions).toBe(9);
    const [enrolment, documents, ...rest] = body.clusters;
    expect(enrolment).toEqual({
      representative: expect.stringMatching(/^幼升小/),
      count: 4,
      examples: ["幼升小怎么报名？", expect.any(String), expect.any(String)],
      firstSeen: at(2, 1),
      lastSeen: at(5, 4),
      lastAnswerMode: "extractive",
    });
    expect(enrolment!.examples).toContain("我叫李*，孩子叫王**，幼升小报名流程是什么？电话138******78");
    expect(enrolment!.examples.join()).not.toMatch(/李明|王小红|13812345678/);
    expect(documents).toMatchObject({ count: 2, firstSeen: at(3, 1), lastSeen: at(6, 1), lastAnswerMode: "refused" });
    expect(documents!.examples.sort()).toEqual(["外地孩子在青岛读书需要什么证明", "外地户口在青岛上学需要什么材料？"]);
    expect(rest.map((c) => c.count)).toEqual([1, 1, 1]);
    expect(body.clusters.flatMap((c) => c.examples)).not.toContain("课后服务几点结束？");
  });

  it("kind=disliked covers the answers rated 👎, kind=all every question; the day range is inclusive", async () => {
    const disliked = (await (await report("?kind=disliked&from=2026-11-01&to=2026-11-30")).json()) as Report;
    expect(disliked.clusters).toEqual([{ representative: "课后服务收费吗", count: 1, examples: ["课后服务收费吗"], firstSeen: at(3, 8), lastSeen: at(3, 8), lastAnswerMode: "extractive" }]);
    const all = (await (await report("?kind=all")).json()) as Report;
    expect(all.questions).toBe(LOG.length);
    expect(all.clusters[0]).toMatchObject({ count: 5, lastAnswerMode: "refused" });
    // One local day (UTC+8): Nov 3 covers 2026-11-02T16:00Z … 2026-11-03T16:00Z.
    const day = (await (await report("?kind=all&from=2026-11-03&to=2026-11-03")).json()) as Report;
    expect(day.questions).toBe(4);
  });

  it("format=csv: UTF-8 with BOM, Chinese headers, CRLF, quoted cells, and a formula in a question defused", async () => {
    const res = await report("?kind=unanswered&from=2026-11-01&to=2026-11-30&format=csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="questions-unanswered-2026-11-01-2026-11-30.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    const lines = text.slice(1).split("\r\n");
    expect(lines[0]).toBe(REPORT_CSV_HEADERS.join(","));
    expect(lines[0]).toBe("代表问题,次数,相似问法,首次提问时间,最近提问时间,最近回答方式");
    expect(lines[1]).toMatch(/^幼升小[^,]*,4,/);
    expect(lines[1]).toContain("2026-11-02 09:00"); // firstSeen in local time
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(lines.at(-1)).toBe("");
  });

  it("GET /api/report/log lists the masked questions with their ratings, and needs a token", async () => {
    expect((await app.request("/api/report/log")).status).toBe(401);
    const res = await app.request("/api/report/log?from=2026-11-01&to=2026-11-30&limit=3", { headers: { authorization: `Bearer ${editor}` } });
    expect(res.status).toBe(200);
    const { questions } = (await res.json()) as { questions: { time: string; question: string; ratings: { up: number; down: number } }[] };
    expect(questions.map((x) => x.time)).toEqual([at(5, 4), at(6, 1), at(4, 8)].sort());
    const all = (await (await app.request("/api/report/log?limit=100", { headers: { authorization: `Bearer ${editor}` } })).json()) as { questions: { question: string; ratings: { down: number } }[] };
    expect(all.questions.map((x) => x.question).join()).not.toMatch(/李明|13812345678/);
    expect(all.questions.find((x) => x.question === "课后服务收费吗")?.ratings.down).toBe(1);
    expect((await app.request("/api/report/log?limit=0", { headers: { authorization: `Bearer ${editor}` } })).status).toBe(400);
  });

  it.each(["?kind=everything", "?format=xlsx", "?from=2026-11-31", "?to=11/30/2026", "?from=2026-11-30&to=2026-11-01"])("400 with a Chinese message for %s", async (query) => {
    const res = await report(query);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/[\u4e00-\u9fff]/);
  });
});
