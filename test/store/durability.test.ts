import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/node/store/open-sqlite-store.js";
import { addStaff } from "./fixtures.js";

// Each write is told apart by its question variants (an answer's digits would meet the figure check).
// Real processes on a real socket: acknowledged writes survive SIGKILL, and two processes editing
// one answer never both win.
const root = mkdtempSync(join(tmpdir(), "edu-store-durability-"));
const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
}

function startServer(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "serve-store.ts")], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  running.add(child);
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /LISTENING (\d+)/.exec(out)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}`, exited });
    });
    child.once("exit", (code) => reject(new Error(`server exited early (${code}): ${out}`)));
  });
}

async function setUp(name: string) {
  const dataDir = join(root, name);
  const { store } = await openSqliteStore(dataDir);
  const token = await addStaff(store, "王老师", "editor");
  await store.close();
  return { dataDir, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } };
}

const answer = (i: number) => ({
  questions: [`第${i}位家长：2024年新增了多少公办学位？`],
  answer: "据2024年工作总结，全市新增公办园22所，提供公办学位5800个。[1]",
  citations: ["2024-work-summary#p005"],
});

describe("durability over a real socket", () => {
  it("SIGKILL in the middle of a burst of writes loses none that got a 2xx", async () => {
    const { dataDir, headers } = await setUp("sigkill");
    const server = await startServer(dataDir);
    const acknowledgedAnswers = new Map<string, number>();
    const acknowledgedQuestions: string[] = [];
    let failed = 0;
    let killed = false;
    const killAfter = 150;

    // 8 concurrent clients, each alternating an answer and a logged question, until the server dies.
    const client = async (worker: number) => {
      for (let n = 0; n < 200; n++) {
        const i = worker * 1000 + n;
        try {
          const res = await fetch(`${server.url}/api/curated`, { method: "POST", headers, body: JSON.stringify(answer(i)) });
          if (res.status === 201) acknowledgedAnswers.set(((await res.json()) as { id: string }).id, i);
          else throw new Error(`unexpected ${res.status}`);
          const question = `第${i}个问题：课后服务几点结束？`;
          const logged = await fetch(`${server.url}/test/question`, { method: "POST", headers, body: JSON.stringify({ question }) });
          if (logged.status === 201) acknowledgedQuestions.push(question);
        } catch (error) {
          if (!killed) throw error;
          failed++;
          return;
        }
        if (!killed && acknowledgedAnswers.size + acknowledgedQuestions.length >= killAfter) {
          killed = true;
          server.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => client(w)));
    expect(await server.exited).toBe("SIGKILL");
    expect(killed).toBe(true);
    expect(failed).toBeGreaterThan(0); // requests were still in flight when it died
    expect(acknowledgedAnswers.size).toBeGreaterThanOrEqual(60);

    const restarted = await startServer(dataDir);
    const listed = (await (await fetch(`${restarted.url}/api/curated`, { headers })).json()) as { answers: { id: string; questions: string[] }[] };
    const stored = new Map(listed.answers.map((a) => [a.id, a.questions]));
    for (const [id, i] of acknowledgedAnswers) expect(stored.get(id), id).toEqual(answer(i).questions);
    restarted.child.kill("SIGTERM");
    expect(await restarted.exited).toBe(0);

    const { store } = await openSqliteStore(dataDir);
    const questions = new Set((await store.listQuestions()).map((q) => q.question));
    for (const q of acknowledgedQuestions) expect(questions.has(q), q).toBe(true);
    await store.close();
    console.log(`SIGKILL after ${acknowledgedAnswers.size} answers and ${acknowledgedQuestions.length} questions acknowledged (${failed} requests cut off): all found after restart; ${stored.size} answers stored`);
  });

  it("two processes saving the same version of one answer: one 200 and one 409 every time, no lost update", async () => {
    const { dataDir, headers } = await setUp("two-processes");
    const [a, b] = await Promise.all([startServer(dataDir), startServer(dataDir)]);
    const created = await fetch(`${a.url}/api/curated`, { method: "POST", headers, body: JSON.stringify(answer(0)) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const rounds = 25;
    const winners: string[] = [];
    for (let version = 1; version <= rounds; version++) {
      const edit = (server: Server, who: string) =>
        fetch(`${server.url}/api/curated/${id}`, { method: "PUT", headers, body: JSON.stringify({ version, questions: [`${who}第${version}次修改：今年新增多少公办学位？`] }) });
      const [ra, rb] = await Promise.all([edit(a, "甲"), edit(b, "乙")]);
      expect([ra.status, rb.status].sort(), `round ${version}`).toEqual([200, 409]);
      const winner = ra.status === 200 ? ra : rb;
      expect(await winner.json()).toEqual({ id, version: version + 1 });
      winners.push(`${ra.status === 200 ? "甲" : "乙"}第${version}次修改：今年新增多少公办学位？`);
    }
    const history = (await (await fetch(`${b.url}/api/curated/${id}/history`, { headers })).json()) as { versions: { version: number; questions: string[] }[] };
    expect(history.versions.map((v) => v.version)).toEqual(Array.from({ length: rounds + 1 }, (_, i) => i + 1));
    expect(history.versions.slice(1).map((v) => v.questions[0])).toEqual(winners);
  });
});
