import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/core/http/app.js";
import { LEAK, QUESTIONS, buildTestIndex, postJson, seededRandom, serviceConfig, type TestIndex } from "./fixtures.js";

/**
 * ≥ 1,000 generated bad requests (deterministic seed) against the answer and feedback endpoints:
 * every one must be a 4xx problem+json with a Chinese detail, and the server must keep answering.
 */

interface BadRequest {
  kind: string;
  path: string;
  init: RequestInit;
  /** Shown when the case fails: enough to reproduce it. */
  sample: string;
}

const ENDPOINTS = ["/api/chat", "/v1/chat/completions", "/api/feedback"] as const;
type Endpoint = (typeof ENDPOINTS)[number];
const encoder = new TextEncoder();
const SEED = 0x5eed2026;

function generateBadRequests(): BadRequest[] {
  const random = seededRandom(SEED);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const cases: BadRequest[] = [];
  const add = (kind: string, path: string, body: string | Uint8Array, headers: Record<string, string> = { "content-type": "application/json" }) => {
    const sample = typeof body === "string" ? body.slice(0, 160) : `bytes[${body.length}] ${Buffer.from(body.slice(0, 40)).toString("hex")}`;
    cases.push({ kind, path, init: { method: "POST", headers, body: body as BodyInit }, sample });
  };
  const json = (kind: string, path: Endpoint, value: unknown) => add(kind, path, JSON.stringify(value));

  // A valid body per endpoint, to break one field at a time.
  const valid: Record<Endpoint, Record<string, unknown>> = {
    "/api/chat": { question: QUESTIONS.afterSchool, history: [{ role: "user", content: "双减" }], stream: false },
    "/v1/chat/completions": { model: "edu", messages: [{ role: "user", content: QUESTIONS.afterSchool }], stream: false },
    "/api/feedback": { answerId: "a".repeat(32), rating: "up", comment: "很好" },
  };
  const wrongValues: unknown[] = [0, -1, 1.5, 1e308, true, false, null, [], {}, [[]], [{}], { "": "" }, "x".repeat(3), [1, 2, 3], { length: 5 }];

  // 1. Random bytes.
  for (let i = 0; i < 200; i++) {
    const bytes = new Uint8Array(int(3000));
    for (let j = 0; j < bytes.length; j++) bytes[j] = int(256);
    add("random bytes", pick(ENDPOINTS), bytes);
  }

  // 2. Invalid UTF-8: in structural places, or in a string of a body that is wrong anyway.
  const invalidUtf8 = [[0xc3, 0x28], [0xa0, 0xa1], [0xe2, 0x28, 0xa1], [0xf0, 0x28, 0x8c, 0x28], [0xff], [0xfe, 0xff], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80]];
  for (let i = 0; i < 100; i++) {
    const bad = Uint8Array.from(pick(invalidUtf8));
    const path = pick(ENDPOINTS);
    const [before, after] = pick([
      ['{"question":', "}"],
      ["{", ':"x"}'],
      ['{"messages":[', "]}"],
      ['{"answerId":"', `","rating":"sideways"}`],
      ['{"question":"课后服务', `","history":"not an array"}`],
      ['{"messages":[{"role":"', '","content":"x"}]}'],
      ["", ""],
    ] as const);
    add("invalid UTF-8", path, Uint8Array.from([...encoder.encode(before), ...bad, ...encoder.encode(after)]));
  }

  // 3. Deeply nested JSON where a string or a flat object is required (up to 10,000 levels).
  for (let i = 0; i < 60; i++) {
    const depth = pick([100, 1000, 5000, 10_000]);
    const array = "[".repeat(depth) + "]".repeat(depth);
    const object = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    const nested = pick([array, object]);
    const path = pick(ENDPOINTS);
    const body = pick([
      `{"question":${nested}}`,
      `{"question":"课后服务","history":${nested}}`,
      `{"question":"课后服务","history":[{"role":"user","content":${nested}}]}`,
      `{"messages":${nested}}`,
      `{"messages":[{"role":"user","content":[{"type":"text","text":${nested}}]}]}`,
      `{"answerId":${nested},"rating":"up"}`,
      `{"answerId":"${"a".repeat(32)}","rating":${nested}}`,
      nested,
    ]);
    add("deep JSON", path, body);
  }

  // 4. Huge strings: over 32 KB (413), and just under the limit but over the field limits (400).
  for (let i = 0; i < 60; i++) {
    const path = pick(ENDPOINTS);
    const field = path === "/api/chat" ? "question" : path === "/api/feedback" ? "comment" : "model";
    const over = 32 * 1024 + int(20_000);
    const under = 32 * 1024 - 100 - int(200);
    const size = i % 2 ? over : under;
    const base = { ...valid[path] };
    const skeleton = JSON.stringify({ ...base, [field]: "" });
    const filler = pick(["x", "课", "😀"]);
    const count = Math.floor((size - encoder.encode(skeleton).length) / encoder.encode(filler).length);
    json(i % 2 ? "huge string (> 32 KB)" : "huge string (just under 32 KB)", path, { ...base, [field]: filler.repeat(Math.max(count, 0)) });
  }

  // 5. Wrong types for every field.
  const fields: Record<Endpoint, string[]> = {
    "/api/chat": ["question", "history", "history.0", "history.0.role", "history.0.content", "stream"],
    "/v1/chat/completions": ["messages", "messages.0", "messages.0.role", "messages.0.content", "stream", "model"],
    "/api/feedback": ["answerId", "rating", "comment"],
  };
  const setPath = (target: Record<string, unknown>, path: string, value: unknown) => {
    const copy = JSON.parse(JSON.stringify(target)) as Record<string, unknown>;
    const keys = path.split(".");
    let node: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[keys.at(-1)!] = value;
    return copy;
  };
  for (const path of ENDPOINTS) {
    for (const field of fields[path]) {
      for (const value of wrongValues) {
        // Strings are right for string fields; an object is fine for a message (history.0 / messages.0).
        if (typeof value === "string" && !["history", "messages", "history.0", "messages.0", "stream"].includes(field)) continue;
        if (typeof value === "boolean" && field === "stream") continue;
        if (field.endsWith(".0") && value !== null && typeof value === "object" && !Array.isArray(value)) continue;
        if (field === "messages.0.content" && (value === null || (Array.isArray(value) && value.length === 0))) continue;
        if (field === "history" && Array.isArray(value) && value.length === 0) continue;
        json(`wrong type: ${path} ${field}`, path, setPath(valid[path], field, value));
      }
    }
  }
  // Wrong enum values and formats.
  for (let i = 0; i < 60; i++) {
    const path = pick(ENDPOINTS);
    const value = pick(["User", "USER", "system ", "user\u0000", "", "admin", "assistant\n", "up ", "UP", "👍", "__proto__", "constructor"]);
    const field = path === "/api/chat" ? "history.0.role" : path === "/api/feedback" ? "rating" : "messages.0.role";
    json("wrong enum", path, setPath(valid[path], field, value));
  }

  // 6. NaN, Infinity and other non-JSON tokens.
  const tokens = ["NaN", "Infinity", "-Infinity", "undefined", "0x10", ".5", "01", "+1", "'单引号'", "True", "None", "1e999999", "-", "\"\\x41\"", "\"\\u12\"", "// 注释\n1", "/* */1"];
  for (let i = 0; i < 60; i++) {
    const path = pick(ENDPOINTS);
    const token = pick(tokens);
    const field = path === "/api/chat" ? pick(["question", "stream"]) : path === "/api/feedback" ? pick(["answerId", "rating"]) : pick(["stream", "messages"]);
    const body = JSON.stringify(valid[path]).replace(new RegExp(`"${field}":(?:"[^"]*"|\\[[^\\]]*\\]|\\w+)`), `"${field}":${token}`);
    add("non-JSON token", path, body);
  }

  // 7. Duplicate keys: the last one wins, so a bad last one must be refused.
  for (let i = 0; i < 40; i++) {
    const path = pick(ENDPOINTS);
    const [key, good, bad] =
      path === "/api/chat" ? pick([["question", `"${QUESTIONS.afterSchool}"`, "123"], ["history", "[]", '"x"']] as const)
      : path === "/api/feedback" ? pick([["rating", '"up"', '"maybe"'], ["answerId", `"${"a".repeat(32)}"`, '"short"']] as const)
      : pick([["messages", `[{"role":"user","content":"课后服务"}]`, "[]"], ["stream", "true", '"yes"']] as const);
    const rest = JSON.stringify(valid[path]).slice(1, -1);
    add("duplicate keys", path, `{${rest},"${key}":${good},"${key}":${bad}}`);
  }

  // 8. Unicode control and surrogate characters where they cannot make a valid request.
  // eslint-disable-next-line no-control-regex
  const onlyControls = (text: string) => text.replace(/[^\u0000-\u001f\u007f-\u009f]/g, "") || "\u0000";
  const oddChars = ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u009b", "\ud800", "\udfff", "\ufeff", "\u202e", "\u2028"];
  for (let i = 0; i < 80; i++) {
    const path = pick(ENDPOINTS);
    const odd = Array.from({ length: 1 + int(20) }, () => pick(oddChars)).join("");
    const body =
      path === "/api/chat"
        ? pick([{ question: onlyControls(odd) }, { question: odd + "课".repeat(501) }, { question: "课后服务", history: [{ role: odd, content: "x" }] }, { [odd]: QUESTIONS.afterSchool }])
        : path === "/api/feedback"
          ? pick([{ answerId: `${"a".repeat(10)}${odd}`, rating: "up" }, { answerId: "a".repeat(32), rating: `up${odd}` }, { answerId: "a".repeat(32), rating: "up", comment: odd + "差".repeat(1001) }])
          : pick([{ messages: [{ role: `user${odd}`, content: "课后服务" }] }, { messages: [{ role: "user", content: onlyControls(odd) }] }, { [`messages${odd}`]: [] }]);
    json("control/surrogate characters", path, body);
  }

  // 9. Prototype-pollution keys.
  for (let i = 0; i < 40; i++) {
    const path = pick(ENDPOINTS);
    const inner = JSON.stringify(valid[path]);
    const body = pick([
      `{"__proto__":${inner}}`,
      `{"constructor":{"prototype":${inner}}}`,
      `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`,
      `{"question":{"__proto__":{"toString":"x"}}}`,
      `{"messages":[{"__proto__":{"role":"user","content":"课后服务"}}]}`,
      `{"answerId":"${"a".repeat(32)}","__proto__":{"rating":"up"}}`,
    ]);
    add("__proto__ keys", path, body);
  }

  // 10. Wrong content types and charsets (the body would be valid JSON).
  const types = [
    "text/plain",
    "text/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=----x",
    "application/xml",
    "application/jsonp",
    "application/json-patch",
    "application/octet-stream",
    "json",
    "*/*",
    "",
    "application/",
    "application/json\u0000".replace("\u0000", "x"),
  ];
  for (let i = 0; i < 80; i++) {
    const path = pick(ENDPOINTS);
    const type = pick(types);
    add("wrong content type", path, JSON.stringify(valid[path]), type ? { "content-type": type } : {});
  }
  for (let i = 0; i < 30; i++) {
    const path = pick(ENDPOINTS);
    const text = JSON.stringify(valid[path]);
    const utf16 = new Uint8Array(Buffer.from(text, "utf16le"));
    const utf16be = new Uint8Array(Buffer.from(text, "utf16le").swap16());
    add("UTF-16 body", path, pick([utf16, utf16be, Uint8Array.from([0xff, 0xfe, ...utf16])]), { "content-type": pick(["application/json; charset=utf-16", "application/json; charset=utf-16le", "application/json"]) });
  }

  // 11. Chunked bodies without Content-Length (a stream): bad JSON, and over 32 KB.
  for (let i = 0; i < 50; i++) {
    const path = pick(ENDPOINTS);
    const big = i % 2 === 0;
    const text = big ? JSON.stringify({ ...valid[path], pad: "x".repeat(33 * 1024 + int(50_000)) }) : pick(['{"question":', "[1,2", '{"messages":[{"role":"user"', "\u0000\u0000", '{"answerId":1,"rating":2}']);
    const bytes = encoder.encode(text);
    // Not below 512 bytes: after answering 413, the Node adapter drains an unfinished upload for only
    // 500 ms before closing the socket, and tens of thousands of tiny chunks take longer than that.
    const chunkSize = 512 + int(8192);
    const headers = { "content-type": "application/json" };
    cases.push({
      kind: big ? "chunked over 32 KB" : "chunked bad JSON",
      path,
      sample: text.slice(0, 80),
      init: {
        method: "POST",
        headers,
        duplex: "half",
        get body() {
          // A fresh stream on every read of the case, so a case can be sent twice (app.request, socket).
          return new ReadableStream<Uint8Array>({
            start(controller) {
              for (let at = 0; at < bytes.length; at += chunkSize) controller.enqueue(bytes.slice(at, at + chunkSize));
              controller.close();
            },
          });
        },
      } as RequestInit,
    });
  }
  return cases;
}

let idx: TestIndex;
const cases = generateBadRequests();

beforeAll(async () => {
  idx = await buildTestIndex("edu-http-fuzz-");
});
afterAll(() => idx?.cleanup());

const buildApp = () =>
  createApp({
    state: () => idx.state,
    config: serviceConfig({ RATE_LIMIT_PER_MIN: 0 }),
    feedback: { append: async () => {} },
    clientIp: (c) => {
      try {
        return getConnInfo(c).remote.address;
      } catch {
        return "app.request";
      }
    },
  });

/** Checks one response; returns a description of what is wrong, or undefined. */
async function problemWith(res: Response): Promise<string | undefined> {
  const text = await res.text();
  if (res.status < 400 || res.status > 499) return `status ${res.status}: ${text.slice(0, 200)}`;
  if (!/^application\/problem\+json/.test(res.headers.get("content-type") ?? "")) return `content-type ${res.headers.get("content-type")}`;
  let body: { status?: number; detail?: string };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `not JSON: ${text.slice(0, 200)}`;
  }
  if (body.status !== res.status) return `body status ${body.status} ≠ ${res.status}`;
  if (!/[\u3400-\u9fff]/.test(body.detail ?? "")) return `detail not Chinese: ${body.detail}`;
  if (LEAK.test(text)) return `leaks internals: ${text.slice(0, 200)}`;
  return undefined;
}

const expectAnswers = async (fetcher: (path: string, init?: RequestInit) => Promise<Response>) => {
  expect((await fetcher("/healthz")).status).toBe(200);
  const res = await fetcher("/api/chat", postJson({ question: QUESTIONS.afterSchool }));
  expect(res.status).toBe(200);
  expect(((await res.json()) as { answer: string }).answer).toContain("72.9%");
};

describe(`fuzz: ${cases.length} generated bad bodies (seed ${SEED.toString(16)})`, () => {
  it("covers every kind with at least 1,000 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    const kinds = new Set(cases.map((c) => c.kind.replace(/:.*/, "")));
    for (const kind of ["random bytes", "invalid UTF-8", "deep JSON", "huge string (> 32 KB)", "huge string (just under 32 KB)", "wrong type", "wrong enum", "non-JSON token", "duplicate keys", "control/surrogate characters", "__proto__ keys", "wrong content type", "UTF-16 body", "chunked over 32 KB", "chunked bad JSON"]) {
      expect(kinds.has(kind), kind).toBe(true);
    }
  });

  it("through app.request: every answer is a 4xx problem+json with a Chinese detail; the app still answers", async () => {
    const app = buildApp();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const c of cases) {
      const res = await app.request(c.path, c.init);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const wrong = await problemWith(res);
      if (wrong) failures.push(`${c.kind} → ${c.path}: ${wrong}\n    body: ${JSON.stringify(c.sample)}`);
    }
    expect(failures.slice(0, 20).join("\n"), `${failures.length} of ${cases.length} failed`).toBe("");
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    expect(statuses.get(413)).toBeGreaterThan(0);
    expect(statuses.get(415)).toBeGreaterThan(0);
    // Nothing leaked onto Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).question).toBeUndefined();
    await expectAnswers(async (path, init) => app.request(path, init));
  });

  it("odd but valid questions (control characters, lone surrogates, invalid UTF-8 inside the string) never give a 5xx", async () => {
    const app = buildApp();
    const random = seededRandom(SEED + 1);
    const odd = ["\u0000", "\ud800", "\udfff", "\ufeff", "\u202e", "\u2028", "\ufffd", "𠮷", "😀", "\u0301"];
    for (let i = 0; i < 60; i++) {
      const noise = Array.from({ length: 1 + Math.floor(random() * 8) }, () => odd[Math.floor(random() * odd.length)]).join("");
      const question = i % 2 ? `${noise}课后服务参与率${noise}是多少？` : `${QUESTIONS.publicPlaces2024}${noise}`;
      const res = await app.request("/api/chat", postJson({ question, history: [{ role: "user", content: noise + "双减" }] }));
      expect(res.status, JSON.stringify(question)).toBeLessThan(500);
      await res.body?.cancel();
    }
    const bytes = Uint8Array.from([...encoder.encode('{"question":"课后服务'), 0xff, 0xc3, 0x28, ...encoder.encode('参与率是多少？"}')]);
    const res = await app.request("/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: bytes });
    expect(res.status).toBeLessThan(500);
  });

  describe("over a real socket", () => {
    let server: ServerType;
    let base: string;
    beforeAll(async () => {
      const app = buildApp();
      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
      });
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("a sample of the cases (every 5th) gets the same 4xx problems", async () => {
      const failures: string[] = [];
      const sample = cases.filter((_, i) => i % 5 === 0);
      expect(sample.length).toBeGreaterThanOrEqual(200);
      for (const c of sample) {
        let res: Response;
        try {
          res = await fetch(base + c.path, c.init);
        } catch (error) {
          failures.push(`${c.kind} → ${c.path}: fetch failed (${String((error as Error).cause ?? error)})\n    body: ${JSON.stringify(c.sample)}`);
          continue;
        }
        const wrong = await problemWith(res);
        if (wrong) failures.push(`${c.kind} → ${c.path}: ${wrong}\n    body: ${JSON.stringify(c.sample)}`);
      }
      expect(failures.slice(0, 20).join("\n"), `${failures.length} of ${sample.length} failed`).toBe("");
      await expectAnswers((path, init) => fetch(base + path, init));
    });

    /** Sends raw bytes and returns the status line of the reply. */
    const raw = (payload: Buffer | string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
        let reply = "";
        socket.on("data", (d) => (reply += d.toString("latin1")));
        socket.on("end", () => resolve(reply));
        socket.on("close", () => resolve(reply));
        socket.on("error", reject);
        socket.setTimeout(5000, () => socket.destroy());
        socket.write(payload);
        socket.end();
      });

    it("raw HTTP: chunked transfer over 32 KB → 413, broken chunking and garbage → 400; still serving", async () => {
      const chunk = "x".repeat(8192);
      const chunks = Array.from({ length: 6 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join("");
      const big = `POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunks}0\r\n\r\n`;
      expect(await raw(big)).toMatch(/^HTTP\/1\.1 413 /);
      const broken = `POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`;
      expect(await raw(broken)).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(await raw(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01, 0x00, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]))).toMatch(/^(HTTP\/1\.1 4\d\d |$)/);
      const badLength = `POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\nConnection: close\r\n\r\n{}`;
      expect(await raw(badLength)).toMatch(/^HTTP\/1\.1 4\d\d /);
      await expectAnswers((path, init) => fetch(base + path, init));
    });
  });
});
