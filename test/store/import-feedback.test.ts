import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileFeedbackStore } from "../../src/node/feedback-file-store.js";
import { FEEDBACK_IMPORT_KEY } from "../../src/node/store/import-feedback-file.js";
import { openSqliteStore } from "../../src/node/store/open-sqlite-store.js";

const root = mkdtempSync(join(tmpdir(), "edu-feedback-import-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("one-time import of DATA_DIR/feedback.jsonl", () => {
  it("moves the file store's records in on first start, masks them, skips junk, never imports a line twice, and picks up lines appended later", async () => {
    const dataDir = join(root, "data");
    // Records written by the feedback store of earlier versions, as it writes them.
    const files = new FileFeedbackStore(dataDir);
    await files.append({ time: "2026-11-20T01:00:00.000Z", answerId: "ans-20261120a", rating: "down", comment: "没有回答我的问题，请回电13812345678", question: "我叫李明，外地户口怎么上学？", answer: "抱歉，资料中没有找到……", buildId: "b1" });
    await files.append({ time: "2026-11-21T01:00:00.000Z", answerId: "ans-20261121b", rating: "up" });
    appendFileSync(files.file, "not json\n{\"time\":\"2026-11-22\",\"rating\":\"meh\"}\n");
    await files.append({ time: "2026-11-23T01:00:00.000Z", answerId: "ans-20261123c", rating: "down" });
    // A line cut off by a crash mid-write: waits (it may still be completed).
    appendFileSync(files.file, '{"time":"2026-11-24T01:00:00.000Z","answerId":"ans-2026112');

    const first = await openSqliteStore(dataDir);
    expect(first.feedbackImport).toEqual({ imported: 3, skipped: 2 });
    const imported = await first.store.listFeedback();
    expect(imported.map((f) => [f.answerId, f.rating])).toEqual([
      ["ans-20261120a", "down"],
      ["ans-20261121b", "up"],
      ["ans-20261123c", "down"],
    ]);
    expect(imported[0]).toMatchObject({ comment: "没有回答我的问题，请回电138******78", question: "我叫李*，外地户口怎么上学？", answer: "抱歉，资料中没有找到……", buildId: "b1" });
    const offset = Number(await first.store.getMeta(FEEDBACK_IMPORT_KEY));
    expect(offset).toBe(Buffer.byteLength(readFileSync(files.file, "utf8")) - Buffer.byteLength('{"time":"2026-11-24T01:00:00.000Z","answerId":"ans-2026112'));
    await first.store.close();

    const second = await openSqliteStore(dataDir);
    expect(second.feedbackImport).toEqual({ imported: 0, skipped: 0 });
    await second.store.close();

    // The cut-off line completed and a new record appended (an old server still running): both come in.
    appendFileSync(files.file, '4d","rating":"up"}\n');
    await files.append({ time: "2026-11-25T01:00:00.000Z", answerId: "ans-20261125e", rating: "down" });
    const third = await openSqliteStore(dataDir);
    expect(third.feedbackImport).toEqual({ imported: 2, skipped: 0 });
    expect((await third.store.listFeedback()).map((f) => f.answerId)).toEqual(["ans-20261120a", "ans-20261121b", "ans-20261123c", "ans-20261124d", "ans-20261125e"]);
    await third.store.close();
  });

  it("does nothing without a feedback file", async () => {
    const opened = await openSqliteStore(join(root, "empty"));
    expect(opened.feedbackImport).toEqual({ imported: 0, skipped: 0 });
    expect(await opened.store.listFeedback()).toEqual([]);
    await opened.store.close();
  });
});
