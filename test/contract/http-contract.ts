import type { PassageBody } from "../../src/core/http/schemas.js";
import { describe, expect, it } from "vitest";
import { passageFigureSource, verifyFigures } from "../../src/core/answer/verify.js";

/** Where the contract runs: a base URL and the fetch that reaches it (a socket, or an in-process app). */
export interface ContractTarget {
  baseUrl: string;
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
}

interface ChatAnswer {
  answer: string;
  grounded: boolean;
  mode: string;
  citations: Array<{ n: number; passageId: string; docId: string; title: string; year: number | null; section: string; quote: string }>;
}

type PassageView = PassageBody;

/** The text a cited passage offers the figure check: body, title and section, and its year. */
export const figureSource = (p: PassageView) => passageFigureSource(p);

/** Fetches each cited passage and checks every figure of the answer against them. */
export async function verifyAnswerFigures(target: ContractTarget, answer: ChatAnswer): Promise<{ ok: boolean; unsupported: string[] }> {
  const sources = await Promise.all(
    answer.citations.map(async (c) => figureSource((await (await target.fetch(`${target.baseUrl}/api/passages/${encodeURIComponent(c.passageId)}`)).json()) as PassageView)),
  );
  const result = verifyFigures(answer.answer, sources);
  return { ok: result.ok, unsupported: result.unsupported.map((f) => f.text) };
}

const CORPUS_QUESTION = "2021年课后服务参与学生有多少，参与率是多少？";

async function expectProblem(response: Response, status: number): Promise<{ detail: string; title: string }> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as { detail: string; title: string; status: number };
  expect(body.status).toBe(status);
  // Details are written for the bureau's users: Chinese, never a stack trace.
  expect(body.detail).toMatch(/[\u4e00-\u9fff]/);
  expect(JSON.stringify(body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
  return body;
}

/** Parses a text/event-stream body into its events, in order. */
function parseSse(text: string): Array<{ event: string; data: string }> {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split(/\r?\n/);
      return {
        event: lines.find((l) => l.startsWith("event:"))?.slice(6).trim() ?? "message",
        data: lines
          .filter((l) => l.startsWith("data:"))
          .map((l) => l.slice(5).replace(/^ /, ""))
          .join("\n"),
      };
    });
}

/**
 * The public HTTP contract, registered as vitest tests against any running implementation: the
 * Node server, `wrangler dev` (workerd), or the Worker entry in-process with binding stand-ins.
 * `target` is read when the tests run, so callers can start their server in beforeAll.
 */
export function describeHttpContract(name: string, target: () => ContractTarget): void {
  const get = (path: string, init?: RequestInit) => target().fetch(`${target().baseUrl}${path}`, init);
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    get(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

  describe(`HTTP contract: ${name}`, () => {
    it("GET /healthz and /readyz report a live, loaded index", async () => {
      expect(await (await get("/healthz")).json()).toEqual({ status: "ok" });
      const ready = (await (await get("/readyz")).json()) as { status: string; build: string; passages: number };
      expect(ready.status).toBe("ready");
      expect(ready.passages).toBeGreaterThan(50);
    });

    it("POST /api/chat answers a corpus question with its figures, citations and a passing figure check", async () => {
      const response = await postJson("/api/chat", { question: CORPUS_QUESTION });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as ChatAnswer;
      expect(answer.grounded).toBe(true);
      expect(answer.answer).toContain("62.7万");
      expect(answer.answer).toContain("72.9%");
      expect(answer.citations.length).toBeGreaterThan(0);
      expect(answer.citations[0]).toMatchObject({ docId: "2021-work-summary", year: 2021 });
      expect(await verifyAnswerFigures(target(), answer)).toEqual({ ok: true, unsupported: [] });
    });

    it("POST /api/chat refuses an out-of-scope question without inventing figures", async () => {
      const answer = (await (await postJson("/api/chat", { question: "帮我写一首关于春天的诗" })).json()) as ChatAnswer;
      expect(answer.grounded).toBe(false);
      expect(answer.citations).toEqual([]);
    });

    it("streams SSE events in the order meta → delta… → done, and the deltas make the answer", async () => {
      const response = await postJson("/api/chat", { question: CORPUS_QUESTION }, { accept: "text/event-stream" });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const events = parseSse(await response.text());
      const kinds = events.map((e) => e.event);
      expect(kinds[0]).toBe("meta");
      expect(kinds.at(-1)).toBe("done");
      expect(kinds.slice(1, -1).length).toBeGreaterThan(0);
      expect(kinds.slice(1, -1).every((k) => k === "delta")).toBe(true);
      const text = events
        .filter((e) => e.event === "delta")
        .map((e) => (JSON.parse(e.data) as { text: string }).text)
        .join("");
      expect(text).toContain("62.7万");
    });

    it("GET /api/search returns ranked passages with their documents", async () => {
      const response = await get(`/api/search?q=${encodeURIComponent("公办幼儿园 新增 学位")}&k=3`);
      expect(response.status).toBe(200);
      const { results } = (await response.json()) as { results: Array<{ passageId: string; docId: string; title: string; text: string; score: number }> };
      expect(results).toHaveLength(3);
      expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((a, b) => b - a));
      expect(results.some((r) => r.text.includes("公办园") || r.text.includes("公辦園"))).toBe(true);
    });

    it("GET /api/passages/:id returns a passage, and 404 problem+json for an unknown one", async () => {
      const [hit] = ((await (await get(`/api/search?q=${encodeURIComponent("助学金")}&k=1`)).json()) as { results: Array<{ passageId: string }> }).results;
      const passage = (await (await get(`/api/passages/${encodeURIComponent(hit!.passageId)}`)).json()) as PassageView;
      expect(passage.passageId).toBe(hit!.passageId);
      expect(passage.text.length).toBeGreaterThan(0);
      const missing = await expectProblem(await get("/api/passages/no-such-doc%23p999"), 404);
      expect(missing.detail).toContain("未找到");
    });

    it("GET /api/documents lists the corpus; /api/documents/:id describes one", async () => {
      const { documents } = (await (await get("/api/documents")).json()) as { documents: Array<{ id: string; title: string; passages: number }> };
      expect(documents.map((d) => d.id)).toEqual(expect.arrayContaining(["2021-work-summary", "2024-work-summary", "2020-work-priorities"]));
      expect(JSON.stringify(documents)).not.toContain("contentHash");
      const one = (await (await get("/api/documents/2024-work-summary")).json()) as { id: string; year: number; passages: number };
      expect(one).toMatchObject({ id: "2024-work-summary", year: 2024 });
      expect(one.passages).toBeGreaterThan(0);
      await expectProblem(await get("/api/documents/no-such-doc"), 404);
    });

    it("bad input gets a 4xx problem+json with a Chinese detail", async () => {
      await expectProblem(await postJson("/api/chat", { question: "" }), 400);
      await expectProblem(await postJson("/api/chat", { question: "学".repeat(5000) }), 400);
      await expectProblem(await get("/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" }), 400);
      await expectProblem(await get("/api/chat", { method: "POST", headers: { "content-type": "text/plain" }, body: "你好" }), 415);
      await expectProblem(await get(`/api/search?q=${encodeURIComponent("学位")}&k=999`), 400);
      await expectProblem(await get("/no/such/route"), 404);
    });
  });
}
