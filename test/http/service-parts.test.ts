import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isAppError } from "../../src/core/errors.js";
import { AnswerCache } from "../../src/core/http/answer-cache.js";
import { ConcurrencyGate } from "../../src/core/http/concurrency.js";
import { ServiceMetrics } from "../../src/core/http/metrics.js";
import { RateLimiter } from "../../src/core/http/rate-limit.js";
import { answerDeltas } from "../../src/core/http/stream.js";
import { maskPersonalNumbers } from "../../src/core/text/mask-pii.js";
import { FileFeedbackStore } from "../../src/node/feedback-file-store.js";
import { deferred, seededRandom } from "./fixtures.js";

describe("RateLimiter (injected clock)", () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it("allows the burst of perMinute, then refuses with a Retry-After that is exactly long enough", () => {
    const t = clock();
    const limiter = new RateLimiter(30, 1000, t.now);
    for (let i = 0; i < 30; i++) expect(limiter.take("1.2.3.4").allowed, `request ${i + 1}`).toBe(true);
    const refused = limiter.take("1.2.3.4");
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    // 30 a minute refill one token every 2 s.
    expect(refused.retryAfterSeconds).toBe(2);
    t.advance(1999);
    expect(limiter.take("1.2.3.4").allowed).toBe(false);
    t.advance(refused.retryAfterSeconds * 1000 - 1999);
    expect(limiter.take("1.2.3.4").allowed).toBe(true);
    expect(limiter.take("1.2.3.4").allowed).toBe(false);
  });

  it("refills continuously up to the burst size, never beyond it", () => {
    const t = clock();
    const limiter = new RateLimiter(6, 1000, t.now);
    for (let i = 0; i < 6; i++) limiter.take("a");
    t.advance(30_000); // half a minute: three tokens back
    expect([1, 2, 3, 4].map(() => limiter.take("a").allowed)).toEqual([true, true, true, false]);
    t.advance(3_600_000); // an hour idle still means one burst, not sixty
    const allowed = Array.from({ length: 10 }, () => limiter.take("a").allowed).filter(Boolean).length;
    expect(allowed).toBe(6);
  });

  it("keeps one bucket per client", () => {
    const limiter = new RateLimiter(2, 1000, clock().now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")].map((d) => d.allowed)).toEqual([true, true, false]);
    expect(limiter.take("b").allowed).toBe(true);
    expect(limiter.take("b").remaining).toBe(0);
  });

  it("reports Retry-After of at least one second for slow limits and rounds up", () => {
    const t = clock();
    const limiter = new RateLimiter(1, 1000, t.now);
    limiter.take("a");
    expect(limiter.take("a").retryAfterSeconds).toBe(60);
    t.advance(59_500);
    expect(limiter.take("a").retryAfterSeconds).toBe(1);
  });

  it("0 turns the limit off and keeps no state", () => {
    const limiter = new RateLimiter(0, 10, clock().now);
    expect(limiter.enabled).toBe(false);
    for (let i = 0; i < 1000; i++) expect(limiter.take(`c${i % 3}`).allowed).toBe(true);
    expect(limiter.size).toBe(0);
  });

  it("bounds the client table under a flood of addresses", () => {
    const t = clock();
    const limiter = new RateLimiter(30, 100, t.now);
    for (let i = 0; i < 5000; i++) {
      limiter.take(`10.0.${i >> 8}.${i & 255}`);
      expect(limiter.size).toBeLessThanOrEqual(100);
    }
  });

  it("evicts idle (refilled) clients before one that is being limited", () => {
    const t = clock();
    const limiter = new RateLimiter(2, 3, t.now);
    limiter.take("idle-1");
    limiter.take("idle-2");
    t.advance(59_000);
    limiter.take("flooder");
    limiter.take("flooder");
    expect(limiter.take("flooder").allowed).toBe(false);
    t.advance(1_000); // the idle clients are full again; the flooder has earned 1/30 of a token
    limiter.take("newcomer");
    expect(limiter.size).toBeLessThanOrEqual(3);
    expect(limiter.take("flooder").allowed).toBe(false);
  });
});

describe("ConcurrencyGate", () => {
  const blocked = (gate: ConcurrencyGate, release: Promise<void>, signal?: AbortSignal) => gate.run(() => release.then(() => "done"), signal);

  it("runs up to the limit at once, queues 4× the limit, and turns the rest away with BUSY", async () => {
    const gate = new ConcurrencyGate(2);
    const release = deferred();
    const running = Array.from({ length: 10 }, () => blocked(gate, release.promise));
    expect(gate.stats).toEqual({ active: 2, waiting: 8 });
    const refused = await blocked(gate, release.promise).catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe("BUSY");
    expect(isAppError(refused) && refused.status).toBe(503);
    release.resolve();
    expect(await Promise.all(running)).toEqual(Array(10).fill("done"));
    expect(gate.stats).toEqual({ active: 0, waiting: 0 });
  });

  it("hands a freed slot to the longest waiter, and never runs more than the limit", async () => {
    const gate = new ConcurrencyGate(1, 3);
    const order: number[] = [];
    let active = 0;
    let peak = 0;
    const job = (n: number) =>
      gate.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        order.push(n);
        active--;
      });
    await Promise.all([job(1), job(2), job(3), job(4)]);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(peak).toBe(1);
  });

  it("releases the slot when the work throws", async () => {
    const gate = new ConcurrencyGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(gate.stats).toEqual({ active: 0, waiting: 0 });
    await expect(gate.run(() => Promise.resolve(1))).resolves.toBe(1);
  });

  it("an aborted waiter leaves the queue with its signal's reason and never runs", async () => {
    const gate = new ConcurrencyGate(1, 2);
    const release = deferred();
    const first = blocked(gate, release.promise);
    const abort = new AbortController();
    let ran = false;
    const waiter = gate.run(async () => void (ran = true), abort.signal);
    expect(gate.stats.waiting).toBe(1);
    abort.abort(new Error("client left"));
    await expect(waiter).rejects.toThrow("client left");
    expect(gate.stats).toEqual({ active: 1, waiting: 0 });
    release.resolve();
    await first;
    expect(ran).toBe(false);
    expect(gate.stats).toEqual({ active: 0, waiting: 0 });
  });
});

describe("AnswerCache", () => {
  it("evicts the least recently used entry; get refreshes recency", () => {
    const cache = new AnswerCache<string>(2);
    cache.set("幼升小什么时候报名", "a");
    cache.set("课后服务参与率是多少？", "b");
    expect(cache.get("幼升小什么时候报名")).toBe("a");
    cache.set("2024年新增了多少公办学位？", "c");
    expect(cache.get("课后服务参与率是多少？")).toBeUndefined();
    expect(cache.get("幼升小什么时候报名")).toBe("a");
    expect(cache.get("2024年新增了多少公办学位？")).toBe("c");
    expect(cache.size).toBe(2);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 3, misses: 1 });
  });

  it("overwriting a key keeps one entry with the new value", () => {
    const cache = new AnswerCache<number>(3);
    cache.set("k", 1);
    cache.set("k", 2);
    expect(cache.size).toBe(1);
    expect(cache.get("k")).toBe(2);
  });

  it("capacity 0 disables it", () => {
    const cache = new AnswerCache<string>(0);
    cache.set("k", "v");
    expect(cache.get("k")).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

/** Real answers of the extractive answerer (corpus text), with [n] markers and a 来源 line. */
const REAL_ANSWERS = [
  "据2021年工作总结，全面推行义务教育学校课后服务“5+2”模式,参与学生达到62.7万人,参与率72.9%[1]。\n来源：[1] 《2021年青岛市教育工作总结》 三、立足教育良好生态,切实抓好“双减”政策落实",
  "据2024年工作总结，全市新增公办园22所，提供公办学位5800个[1]。\n来源：[1] 《2024年以来青岛市教育工作总结》 一、突出扩优提质，在“上好学”上取得新进展 › 1.加快推进新优质学校建设",
  "據教育局負責人發言，在全省率先建立起“政府主導、部門監管、國有公司運營”的校車管理運行模式,實現了城區和農村校車接送服務全覆蓋,方便學生上下學[1]。按2021年度業務目標，開展校園周邊交通環境綜合治理，保障學生上下學交通便利和安全[2]。\n來源：[1] 《教育局黨組書記、局長在教育工作論壇上的研討發言》（2022年） ——聚焦家長需求全時段解決家長後顧之憂；[2] 《2021年度市直單位業務目標（市教育局）》 重點目標 › 7.提升全市中小學校幼兒園安全治理水平",
];

/** Each [n] marker of `text` lies inside one piece. */
function expectMarkersWhole(text: string, pieces: string[]): void {
  const bounds = new Set<number>();
  let at = 0;
  for (const p of pieces) bounds.add((at += p.length));
  for (const m of text.matchAll(/\[\d+\]/g)) {
    for (let i = m.index + 1; i < m.index + m[0].length; i++) expect(bounds.has(i), `marker ${m[0]} split at ${i} in ${JSON.stringify(pieces)}`).toBe(false);
  }
}

describe("answerDeltas", () => {
  it.each(REAL_ANSWERS.map((a) => [a.slice(0, 16), a]))("real answer %s…: pieces concatenate exactly, markers whole, several pieces", (_label, text) => {
    const pieces = answerDeltas(text);
    expect(pieces.join("")).toBe(text);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.every((p) => p.length > 0)).toBe(true);
    expectMarkersWhole(text, pieces);
  });

  it("a clause boundary right before a marker does not split the marker from its clause", () => {
    const text = "参与学生达到62.7万人，参与率72.9%，[1][2]。全市新增公办园22所，[3]提供公办学位5800个[12]。";
    const pieces = answerDeltas(text, 4);
    expect(pieces.join("")).toBe(text);
    expectMarkersWhole(text, pieces);
    expect(pieces.some((p) => /^\[\d+\]/.test(p))).toBe(false);
  });

  it("generated texts (markers, punctuation, emoji, CJK): exact concatenation, markers and surrogate pairs whole", () => {
    const random = seededRandom(20260601);
    const alphabet = ["课", "后", "服", "务", "，", "。", "；", "\n", "[1]", "[23]", "[", "]", "7", "2.9%", "😀", "𠮷", " ", ",", "x"];
    for (let round = 0; round < 500; round++) {
      const length = Math.floor(random() * 200);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      const target = 1 + Math.floor(random() * 40);
      const pieces = answerDeltas(text, target);
      expect(pieces.join("")).toBe(text);
      expectMarkersWhole(text, pieces);
      for (const p of pieces) expect(/[\ud800-\udbff]$/.test(p), JSON.stringify(p)).toBe(false);
    }
  });

  it("an empty answer has no pieces", () => {
    expect(answerDeltas("")).toEqual([]);
  });
});

describe("maskPersonalNumbers", () => {
  it.each([
    ["我家孩子身份证370202201501011234，能报哪个学校？", "我家孩子身份证370*************34，能报哪个学校？"],
    ["身份证号37020220150101123X，户口在市南区", "身份证号370*************3X，户口在市南区"],
    ["身份证号37020220150101123x", "身份证号370*************3x"],
    ["老身份证370202150101123还能用吗", "老身份证370**********23还能用吗"],
    ["身份证３７０２０２２０１５０１０１１２３４", "身份证３７０*************３４"],
    ["电话 138-1234-5678，请回电", "电话 138-****-**78，请回电"],
    ["联系电话13812345678谢谢", "联系电话138******78谢谢"],
    ["手机１３８１２３４５６７８", "手机１３８******７８"],
    ["+86 138 1234 5678", "+86 138 **** **78"],
    ["＋８６－１３８－１２３４－５６７８", "＋８６－１３８－****－**７８"],
    ["孩子身份证370202201501011234，我的手机15966668888，能报名吗", "孩子身份证370*************34，我的手机159******88，能报名吗"],
  ])("%s", (input, masked) => {
    expect(maskPersonalNumbers(input)).toBe(masked);
  });

  it.each([
    "教育经费预算2021万元",
    "参与学生达到62.7万人，参与率72.9%",
    "2024年新增了多少公办学位？提供公办学位5800个",
    "新建、改扩建中小学幼儿园50所，新增学位3.86万个",
    "拨打12345政务服务便民热线",
    "招生办电话0532-85912345",
    "孩子2015年1月1日出生，学号20240901001",
    "安排1585万元对215所农村小规模学校食堂",
    "2020—2024年",
  ])("leaves figures, years and public numbers alone: %s", (text) => {
    expect(maskPersonalNumbers(text)).toBe(text);
  });
});

describe("FileFeedbackStore", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("the record is in the file when append resolves; concurrent appends never interleave", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edu-feedback-"));
    dirs.push(dir);
    const store = new FileFeedbackStore(join(dir, "nested", "data"));
    await store.append({ time: new Date().toISOString(), answerId: "a".repeat(32), rating: "up", question: "课后服务参与率是多少？" });
    const first = readFileSync(store.file, "utf8").trim().split("\n");
    expect(first.map((l) => JSON.parse(l) as { answerId: string })).toEqual([expect.objectContaining({ answerId: "a".repeat(32), question: "课后服务参与率是多少？" })]);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);

    const comment = "说明".repeat(400);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.append({ time: "t", answerId: `answer${String(i).padStart(4, "0")}`, rating: i % 2 ? "up" : "down", comment })));
    const lines = readFileSync(store.file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(51);
    const ids = lines.slice(1).map((l) => (JSON.parse(l) as { answerId: string; comment: string }).answerId);
    expect(new Set(ids).size).toBe(50);
  });
});

describe("ServiceMetrics", () => {
  it("renders Prometheus text: escaped labels, cumulative histogram buckets, gauges", () => {
    const metrics = new ServiceMetrics();
    metrics.requests.inc({ route: '/a"b\\c\nd', method: "GET", status: "200" });
    metrics.latency.observe({ route: "/api/chat" }, 0.003);
    metrics.latency.observe({ route: "/api/chat" }, 40);
    const text = metrics.render({ edu_index_passages: { help: "Passages", value: 84 } });
    expect(text).toContain('edu_http_requests_total{route="/a\\"b\\\\c\\nd",method="GET",status="200"} 1');
    expect(text).toContain('edu_http_request_duration_seconds_bucket{route="/api/chat",le="0.0025"} 0');
    expect(text).toContain('edu_http_request_duration_seconds_bucket{route="/api/chat",le="0.005"} 1');
    expect(text).toContain('edu_http_request_duration_seconds_bucket{route="/api/chat",le="30"} 1');
    expect(text).toContain('edu_http_request_duration_seconds_bucket{route="/api/chat",le="+Inf"} 2');
    expect(text).toContain('edu_http_request_duration_seconds_count{route="/api/chat"} 2');
    expect(text).toMatch(/# TYPE edu_index_passages gauge\nedu_index_passages 84\n/);
    expect(text.endsWith("\n")).toBe(true);
  });
});
