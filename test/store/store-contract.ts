import { describe, expect, it } from "vitest";
import { isAppError } from "../../src/core/errors.js";
import { applyMigrations, MIGRATIONS, schemaVersion } from "../../src/core/store/migrations.js";
import type { SqlDatabase } from "../../src/core/store/sql.js";
import { createSqlStore } from "../../src/core/store/sql-store.js";
import { hashStaffToken, generateStaffToken } from "../../src/core/store/staff-token.js";
import { purgeExpired, type AssistantStore, type CuratedContent } from "../../src/core/store/types.js";

/**
 * One behaviour, every implementation: the same suite runs against better-sqlite3 (Node) and D1
 * (Miniflare's local mode). `connect()` opens a new connection to one fresh database per call of
 * `fresh()`, so persistence across connections is tested too.
 */
export interface StoreTarget {
  /** A new empty database; returns a function that opens another connection to it. */
  fresh(): Promise<() => Promise<SqlDatabase>>;
}

// Real handbook-style content: an answer quoting the 2024 summary's figures, with its passage ids.
const ANSWER: CuratedContent = {
  questions: ["2024年新增了多少公办学位？", "今年公办学位增加了多少"],
  answer: "2024年新建、改扩建中小学幼儿园，新增公办学位5800个。[1]",
  citations: ["2024-work-summary#p012"],
  reviewBy: "2027-06-30",
};
const EDIT: CuratedContent = { ...ANSWER, answer: "据2024年工作总结，全年新增公办学位5800个。[1]" };

async function open(connect: () => Promise<SqlDatabase>): Promise<AssistantStore> {
  return createSqlStore(await connect());
}

export function storeContract(name: string, target: StoreTarget): void {
  describe(`${name}: schema migrations`, () => {
    it("are applied once, recorded with their version, and a second connection finds them applied", async () => {
      const connect = await target.fresh();
      const db = await connect();
      expect(await applyMigrations(db)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await applyMigrations(db)).toEqual([]);
      expect(await schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
      const other = await connect();
      expect(await applyMigrations(other)).toEqual([]);
      await other.close();
      await db.close();
    });

    it("two connections opening a new database at once both end up on the current schema", async () => {
      const connect = await target.fresh();
      const [a, b] = await Promise.all([connect(), connect()]);
      const applied = await Promise.all([applyMigrations(a), applyMigrations(b)]);
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await schemaVersion(a)).toBe(MIGRATIONS.at(-1)!.version);
      await a.close();
      await b.close();
    });
  });

  describe(`${name}: staff`, () => {
    it("finds an active member by token hash only, refuses a duplicate name, and revocation is final for that token", async () => {
      const store = await open(await target.fresh());
      const token = generateStaffToken();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const hash = await hashStaffToken(token);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      await store.addStaff({ name: "王老师", role: "editor", tokenHash: hash, time: "2026-12-01T08:00:00.000Z" });
      await store.addStaff({ name: "admin-li", role: "admin", tokenHash: await hashStaffToken(generateStaffToken()), time: "2026-12-01T08:01:00.000Z" });

      expect(await store.staffByTokenHash(hash)).toEqual({ name: "王老师", role: "editor", created: "2026-12-01T08:00:00.000Z" });
      expect(await store.staffByTokenHash(await hashStaffToken(token + "x"))).toBeUndefined();
      const duplicate = await store.addStaff({ name: "王老师", role: "admin", tokenHash: await hashStaffToken(generateStaffToken()), time: "2026-12-02T00:00:00.000Z" }).catch((e: unknown) => e);
      expect(isAppError(duplicate) && duplicate.code).toBe("STAFF_EXISTS");
      expect((await store.listStaff()).map((s) => [s.name, s.role])).toEqual([
        ["admin-li", "admin"],
        ["王老师", "editor"],
      ]);

      expect(await store.revokeStaff("王老师", "2026-12-03T00:00:00.000Z")).toBe(true);
      expect(await store.revokeStaff("王老师", "2026-12-03T00:00:01.000Z")).toBe(false);
      expect(await store.revokeStaff("无此人", "2026-12-03T00:00:01.000Z")).toBe(false);
      expect(await store.staffByTokenHash(hash)).toBeUndefined();
      expect((await store.listStaff()).find((s) => s.name === "王老师")?.revoked).toBe("2026-12-03T00:00:00.000Z");

      // A revoked name can be issued a new token; the old one stays dead.
      const fresh = await hashStaffToken(generateStaffToken());
      await store.addStaff({ name: "王老师", role: "editor", tokenHash: fresh, time: "2026-12-04T00:00:00.000Z" });
      expect((await store.staffByTokenHash(fresh))?.name).toBe("王老师");
      expect(await store.staffByTokenHash(hash)).toBeUndefined();

      const audit = await store.listAudit();
      expect(audit.map((a) => [a.action, a.target])).toEqual([
        ["staff.add", "王老师"],
        ["staff.revoke", "王老师"],
        ["staff.add", "admin-li"],
        ["staff.add", "王老师"],
      ]);
      await store.close();
    });
  });

  describe(`${name}: curated answers`, () => {
    it("version on every write, refuse a stale version, revert and retire as new versions, keep the whole history", async () => {
      const store = await open(await target.fresh());
      const ref = await store.createCurated(ANSWER, "王老师", "2026-12-04T01:00:00.000Z");
      expect(ref).toEqual({ id: expect.stringMatching(/^ca-[a-z0-9]{12}$/), version: 1 });
      expect(await store.getCurated(ref.id)).toEqual({ ...ANSWER, id: ref.id, version: 1, status: "live", author: "王老师", time: "2026-12-04T01:00:00.000Z" });

      expect(await store.updateCurated(ref.id, 1, EDIT, "张老师", "2026-12-04T02:00:00.000Z")).toEqual({ ok: true, ref: { id: ref.id, version: 2 } });
      // The same stale version again: nothing written.
      expect(await store.updateCurated(ref.id, 1, { ...EDIT, answer: "覆盖" }, "王老师", "2026-12-04T02:00:01.000Z")).toEqual({ ok: false, reason: "conflict", latest: 2 });
      expect(await store.updateCurated("ca-unknown00000", 1, EDIT, "王老师", "2026-12-04T02:00:02.000Z")).toEqual({ ok: false, reason: "not-found" });
      expect((await store.getCurated(ref.id))?.answer).toBe(EDIT.answer);

      expect(await store.revertCurated(ref.id, 1, 2, "王老师", "2026-12-04T03:00:00.000Z")).toEqual({ ok: true, ref: { id: ref.id, version: 3 } });
      expect(await store.revertCurated(ref.id, 9, 3, "王老师", "2026-12-04T03:00:01.000Z")).toEqual({ ok: false, reason: "not-found" });
      expect((await store.getCurated(ref.id))?.answer).toBe(ANSWER.answer);

      expect(await store.retireCurated(ref.id, 3, "admin-li", "2026-12-04T04:00:00.000Z")).toEqual({ ok: true, ref: { id: ref.id, version: 4 } });
      const history = await store.curatedHistory(ref.id);
      expect(history.map((v) => [v.version, v.status, v.author, v.answer])).toEqual([
        [1, "live", "王老师", ANSWER.answer],
        [2, "live", "张老师", EDIT.answer],
        [3, "live", "王老师", ANSWER.answer],
        [4, "retired", "admin-li", ANSWER.answer],
      ]);
      expect(await store.curatedHistory("ca-unknown00000")).toEqual([]);
      expect(await store.getCuratedVersion(ref.id, 2)).toMatchObject({ version: 2, answer: EDIT.answer, questions: ANSWER.questions });

      const audit = (await store.listAudit()).filter((a) => a.target === ref.id);
      expect(audit.map((a) => [a.action, a.actor, a.detail.version])).toEqual([
        ["curated.retire", "admin-li", 4],
        ["curated.revert", "王老师", 3],
        ["curated.update", "张老师", 2],
        ["curated.create", "王老师", 1],
      ]);
      await store.close();
    });

    it("two writers holding the same version: exactly one wins, the other sees a conflict, nothing is lost", async () => {
      const connect = await target.fresh();
      const a = await open(connect);
      const b = await open(connect);
      const { id } = await a.createCurated(ANSWER, "王老师", "2026-12-04T01:00:00.000Z");
      const results = await Promise.all([
        a.updateCurated(id, 1, { ...ANSWER, answer: "甲：新增公办学位5800个。" }, "甲", "2026-12-04T01:00:01.000Z"),
        b.updateCurated(id, 1, { ...ANSWER, answer: "乙：新增公办学位5800个。" }, "乙", "2026-12-04T01:00:01.000Z"),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "conflict", latest: 2 }]);
      const history = await b.curatedHistory(id);
      expect(history).toHaveLength(2);
      const winner = results[0]!.ok ? "甲" : "乙";
      expect(history[1]!.author).toBe(winner);
      expect((await a.listAudit()).filter((e) => e.action === "curated.update")).toHaveLength(1);
      await a.close();
      await b.close();
    });

    it("store answers as text (markup included), list the latest of each, and serve only live answers within their review date", async () => {
      const store = await open(await target.fresh());
      const html = { ...ANSWER, answer: '<script>alert("x")</script>请拨打招生咨询电话。', reviewBy: undefined };
      const kept = await store.createCurated(html, "王老师", "2026-12-04T01:00:00.000Z");
      const expired = await store.createCurated({ ...ANSWER, reviewBy: "2026-12-03" }, "王老师", "2026-12-04T01:00:01.000Z");
      const today = await store.createCurated({ ...ANSWER, reviewBy: "2026-12-04" }, "王老师", "2026-12-04T01:00:02.000Z");
      const retired = await store.createCurated(ANSWER, "王老师", "2026-12-04T01:00:03.000Z");
      expect((await store.retireCurated(retired.id, 1, "王老师", "2026-12-04T01:00:04.000Z")).ok).toBe(true);

      expect((await store.getCurated(kept.id))?.answer).toBe(html.answer);
      expect((await store.getCurated(kept.id))?.reviewBy).toBeUndefined();
      const listed = await store.listCurated();
      expect(listed.map((v) => [v.id, v.version, v.status])).toEqual([
        [retired.id, 2, "retired"],
        [today.id, 1, "live"],
        [expired.id, 1, "live"],
        [kept.id, 1, "live"],
      ]);
      const live = await store.liveCurated("2026-12-04");
      expect(live.live.map((v) => v.id).sort()).toEqual([kept.id, today.id].sort());
      expect(live.needsReview.map((v) => v.id)).toEqual([expired.id]);
      // The day after, the answer reviewed "by 2026-12-04" needs review too.
      expect((await store.liveCurated("2026-12-05")).needsReview.map((v) => v.id).sort()).toEqual([expired.id, today.id].sort());
      await store.close();
    });
  });

  describe(`${name}: question log and feedback`, () => {
    it("mask personal data, join the ratings of each answer, filter by time and purge past the retention", async () => {
      const connect = await target.fresh();
      const store = await open(connect);
      await Promise.all([
        store.logQuestion({ time: "2026-06-01T02:00:00.000Z", channel: "widget", question: "我叫张伟，电话13812345678，孩子幼升小怎么报名？", mode: "extractive", grounded: true, confidence: 0.82, topPassages: ["2021-work-summary#p003"], answerId: "ans-0000001" }),
        store.logQuestion({ time: "2026-12-01T02:00:00.000Z", channel: "api", question: "外地户口在青岛上学需要什么材料？", mode: "refused", grounded: false, refusal: "low-coverage", topPassages: [], answerId: "ans-0000002" }),
        store.logQuestion({ time: "2026-12-02T02:00:00.000Z", channel: "console", question: "课后服务参与率是多少？", mode: "extractive", grounded: true, topPassages: ["2021-business-targets#p040", "2024-work-summary#p020"] }),
      ]);
      await store.append({ time: "2026-12-01T03:00:00.000Z", answerId: "ans-0000002", rating: "down", comment: "没有回答，我的邮箱是parent.zhang@example.com", question: "外地户口在青岛上学需要什么材料？" });
      await store.append({ time: "2026-12-01T03:01:00.000Z", answerId: "ans-0000002", rating: "down" });
      await store.append({ time: "2026-06-01T03:00:00.000Z", answerId: "ans-0000001", rating: "up" });

      const all = await store.listQuestions();
      expect(all).toHaveLength(3);
      expect(all[0]).toMatchObject({ channel: "widget", question: "我叫张*，电话138******78，孩子幼升小怎么报名？", grounded: true, confidence: 0.82, topPassages: ["2021-work-summary#p003"], ratings: { up: 1, down: 0 } });
      expect(all[1]).toMatchObject({ channel: "api", mode: "refused", grounded: false, refusal: "low-coverage", ratings: { up: 0, down: 2 } });
      expect(all[2]).toMatchObject({ channel: "console", ratings: { up: 0, down: 0 } });
      expect(all[2]!.answerId).toBeUndefined();
      expect((await store.listQuestions({ from: "2026-12-01T00:00:00.000Z", to: "2026-12-02T00:00:00.000Z" })).map((q) => q.question)).toEqual(["外地户口在青岛上学需要什么材料？"]);
      expect((await store.listFeedback()).find((f) => f.comment)?.comment).toBe("没有回答，我的邮箱是p***@example.com");

      // 180 days before 2026-12-04 is 2026-06-07: the June question and its rating go, the rest stay.
      expect(await purgeExpired(store, new Date("2026-12-04T00:00:00.000Z"))).toEqual({ questions: 1, feedback: 1 });
      expect((await store.listQuestions()).map((q) => q.channel)).toEqual(["api", "console"]);
      expect(await store.listFeedback()).toHaveLength(2);
      await store.close();

      // Durable across connections.
      const again = await open(connect);
      expect(await again.listQuestions()).toHaveLength(2);
      await again.close();
    });

    it("commit a burst of concurrent questions, each promise resolving once its row is stored", async () => {
      const store = await open(await target.fresh());
      const times = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 11, 4, 1, 0, i)).toISOString());
      await Promise.all(times.map((time, i) => store.logQuestion({ time, channel: "widget", question: `第${i}个问题：义务教育阶段招生政策`, mode: "extractive", grounded: true, topPassages: [] })));
      const logged = await store.listQuestions();
      expect(logged.map((q) => q.time)).toEqual(times);
      await store.close();
    });

    it("import feedback records and the import marker in one transaction", async () => {
      const store = await open(await target.fresh());
      expect(await store.getMeta("import:feedback.jsonl")).toBeUndefined();
      await store.importFeedback(
        [
          { time: "2026-11-30T01:00:00.000Z", answerId: "ans-0000009", rating: "down", comment: "联系我 0532-85912345" },
          { time: "2026-11-30T01:01:00.000Z", answerId: "ans-0000010", rating: "up" },
        ],
        "import:feedback.jsonl",
        "512",
      );
      expect(await store.getMeta("import:feedback.jsonl")).toBe("512");
      const imported = await store.listFeedback();
      expect(imported.map((f) => f.rating)).toEqual(["down", "up"]);
      expect(imported[0]!.comment).toBe("联系我 053*-******45");
      // A failing record rolls the marker back with it.
      const failed = await store.importFeedback([{ time: "2026-11-30T02:00:00.000Z", answerId: "ans-0000011", rating: "meh" as "up" }], "import:feedback.jsonl", "900").catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(Error);
      expect(await store.getMeta("import:feedback.jsonl")).toBe("512");
      expect(await store.listFeedback()).toHaveLength(2);
      await store.close();
    });
  });
}
