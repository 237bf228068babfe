import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/node/store/open-sqlite-store.js";
import { addStaff } from "../store/fixtures.js";
import { launchChromium, seriousViolations, snap, startTestServer, watchErrors, type TestServer } from "./harness.js";

// The curated-answer loop in Debian's Chromium: citizens ask what the documents do not answer, an
// editor signs in to the console, opens 待补充的问题, writes an answer for that cluster with two
// citations, a citizen asks a paraphrase in the widget and gets that answer with its review line;
// the editor reverts to the earlier version and the widget follows. Signed out, nothing can write.

// In-domain questions the documents do not answer (refused as ungrounded), so they land in the report.
const UNANSWERED = ["转学需要什么材料", "转学要准备哪些材料？", "转学要带什么材料"];
const PARAPHRASE = "孩子转学要准备什么材料？";
const MARKUP = '<img src=x onerror="document.title=1">校服一套多少钱';

// Two passages, and a figure (2021年) the first of them holds: the server's figure check must pass.
const CITED = ["2021-business-targets#p008", "speech-education-forum#p016"];
const FIRST = "转学手续由转入学校所在区（市）教育部门办理，所需材料以当地公布的要求为准。2021年起，全市义务教育招生实现“一网通办”[1]；教育服务高频事项可通过手机“网上办、掌上办”[2]。";
const SECOND = `${FIRST}如有疑问，可向转入学校咨询。`;
const UNSUPPORTED = FIRST.replace("2021年", "2019年");

// The chat path reads live curated answers at most once a second (src/core/store/curated-source.ts:
// "an edit is served within that time"); questions after a write wait that long.
const CURATED_FRESHNESS_MS = 1000;
const afterFreshness = () => new Promise((resolve) => setTimeout(resolve, CURATED_FRESHNESS_MS + 200));

let server: TestServer;
let browser: Browser;
let token: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
  // `npm run staff -- add` does the same: a member with a hashed token in DATA_DIR's database.
  const { store } = await openSqliteStore(server.dataDir);
  token = await addStaff(store, "王老师", "editor");
  await store.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN" });
  return { context, page: await context.newPage() };
}

async function chat(question: string): Promise<{ answer: string; mode: string; grounded: boolean }> {
  const response = await fetch(`${server.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
  expect(response.status).toBe(200);
  return (await response.json()) as { answer: string; mode: string; grounded: boolean };
}

/** A citizen on the demo page: opens the widget, asks, and returns the completed answer's text. */
async function askWidget(question: string): Promise<string> {
  const { context, page } = await newPage();
  await page.goto(server.url);
  await page.getByTestId("widget-launcher").click();
  await page.getByTestId("widget-input").fill(question);
  await page.getByTestId("widget-input").press("Enter");
  const answer = page.getByTestId("widget-answer").first();
  await answer.getByTestId("widget-copy").waitFor({ timeout: 30_000 });
  const text = await answer.innerText();
  await snap(page, "41-curated-widget");
  await context.close();
  return text;
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${server.url}/console`);
  await page.getByRole("link", { name: "工作人员登录" }).click();
  await page.getByLabel("工作人员令牌").fill(token);
  await page.getByLabel("工作人员令牌").press("Enter");
  await page.getByRole("heading", { name: "待补充的问题" }).waitFor();
}

describe("curated answers from the console to the widget", () => {
  it("an editor answers a cluster of the report with two citations; the widget serves it, then the reverted version", async () => {
    for (const question of UNANSWERED) expect((await chat(question)).grounded, question).toBe(false);
    // Markup in a citizen's question is text to the console, never HTML.
    expect((await chat(MARKUP)).grounded).toBe(false);

    const { context, page } = await newPage();
    const errors = watchErrors(page);
    await signIn(page);
    // The token is kept for the browser session only, and no cookie is set.
    expect(await page.evaluate(() => sessionStorage.getItem("edu-console-staff-token"))).toBe(token);
    expect(await context.cookies()).toEqual([]);

    // 待补充的问题: the three questions are one cluster.
    const cluster = page.getByTestId("report-cluster").filter({ hasText: "转学" }).first();
    await cluster.waitFor();
    expect(await cluster.locator("td.num").innerText()).toBe("3");
    const markup = page.getByTestId("report-cluster").filter({ hasText: "校服一套多少钱" });
    expect(await markup.locator(".representative").innerText()).toBe(MARKUP);
    expect(await page.locator("[data-testid='report-cluster'] img").count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await snap(page, "40-console-report");

    // CSV for Excel: fetched with the token, saved under the server's file name, UTF-8 with a BOM.
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: /下载 CSV/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("questions-unanswered.csv");
    const csv = readFileSync((await file.path())!, "utf8");
    expect(csv.startsWith("\uFEFF代表问题,次数")).toBe(true);
    expect(csv).toContain("转学");

    // One click: a new answer with the cluster's questions as its variants.
    await cluster.getByRole("button", { name: "撰写人工答案" }).click();
    await page.getByRole("heading", { name: "新建人工答案" }).waitFor();
    const variants = (await page.getByLabel("问题问法").inputValue()).split("\n");
    expect(variants.sort()).toEqual([...UNANSWERED].sort());

    // Passage picker: search, tick the two passages to cite.
    for (const [query, id] of [["义务教育招生 一网通办", CITED[0]!], ["网上办 掌上办", CITED[1]!]] as const) {
      await page.getByLabel("检索原文").fill(query);
      await page.getByLabel("检索原文").press("Enter");
      const result = page.locator(`[data-testid='picker-result'][data-passage-id='${id}']`);
      await result.waitFor();
      await result.getByRole("checkbox").check();
    }
    expect(await page.locator("[data-testid='curated-citations'] li").evaluateAll((items) => items.map((li) => li.getAttribute("data-passage-id")))).toEqual(CITED);

    // The figure check is shown before saving: a figure no cited passage holds is named.
    await page.getByLabel("答案", { exact: true }).fill(UNSUPPORTED);
    await page.getByRole("button", { name: "核对数字" }).click();
    await page.getByTestId("figure-check").getByText("“2019年”").waitFor();
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByTestId("figure-check").getByText("数字核对未通过").waitFor();
    expect(await page.getByRole("heading", { name: "新建人工答案" }).count()).toBe(1);

    await page.getByLabel("答案", { exact: true }).fill(FIRST);
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByTestId("editor-message").getByText("已保存（第 1 版）").waitFor();

    // A second version, then the citizen's paraphrase gets it verbatim with the review line.
    await page.getByLabel("答案", { exact: true }).fill(SECOND);
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByTestId("editor-message").getByText("已保存（第 2 版）").waitFor();
    const diff = page.locator("[data-testid='history-version'][data-version='2'] ins");
    expect(await diff.innerText()).toContain("如有疑问，可向转入学校咨询");
    expect(await seriousViolations(page)).toEqual([]);
    await snap(page, "42-console-history");

    await afterFreshness();
    const served = await chat(PARAPHRASE);
    expect(served.mode).toBe("curated");
    const today = /本答案经人工审核（(\d{4}-\d{2}-\d{2})）/.exec(served.answer)?.[1];
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const second = await askWidget(PARAPHRASE);
    expect(second).toContain("如有疑问，可向转入学校咨询");
    expect(second).toContain(`本答案经人工审核（${today}）`);

    // Revert to version 1: a new version 3 equal to it; the widget shows the previous text.
    await page.getByRole("button", { name: "恢复为第 1 版" }).click();
    await page.getByTestId("editor-message").getByText("已恢复为第 1 版的内容（现为第 3 版）").waitFor();
    expect(await page.getByLabel("答案", { exact: true }).inputValue()).toBe(FIRST);
    await afterFreshness();
    const first = await askWidget(PARAPHRASE);
    expect(first).toContain("教育服务高频事项可通过手机");
    expect(first).not.toContain("如有疑问，可向转入学校咨询");
    expect(first).toContain("本答案经人工审核（");

    // Another editor saves meanwhile: this editor's save meets a newer version (409), is told so,
    // and gets the latest version loaded with the unsaved text kept beside it.
    const id = /#\/answers\/(ca-[a-z0-9]{12})$/.exec(page.url())![1]!;
    const other = await fetch(`${server.url}/api/curated/${id}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ version: 3, answer: SECOND }),
    });
    expect(other.status).toBe(200);
    await page.getByLabel("答案", { exact: true }).fill(`${FIRST}（本人修改）`);
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByTestId("editor-message").getByText("已被他人修改").waitFor();
    expect(await page.getByLabel("答案", { exact: true }).inputValue()).toBe(SECOND);
    expect(await page.getByTestId("editor-message").innerText()).toContain("（本人修改）");
    expect(await page.locator("[data-testid='history-version']").count()).toBe(4);

    // Retire: the chat stops serving it; the list shows it as 已停用.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "停用此答案" }).click();
    await page.getByTestId("editor-message").getByText("已停用（第 5 版）").waitFor();
    await afterFreshness();
    expect((await chat(PARAPHRASE)).mode).not.toBe("curated");

    // An answer past its review date (written straight through the API) is flagged 待复核.
    const overdue = await fetch(`${server.url}/api/curated`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ questions: ["义务教育招生怎么报名"], answer: "2021年起，全市义务教育招生实现“一网通办”[1]。", citations: [CITED[0]], reviewBy: "2025-01-31" }),
    });
    expect(overdue.status).toBe(201);
    await page.getByRole("link", { name: "人工答案", exact: true }).click();
    const row = page.locator(`[data-testid='answer-row'][data-answer-id='${id}']`);
    await row.waitFor();
    expect(await row.innerText()).toContain("第 5 版");
    expect(await row.getByTestId("answer-state").innerText()).toBe("已停用");
    const due = page.getByTestId("answer-row").filter({ hasText: "义务教育招生怎么报名" });
    expect(await due.getByTestId("answer-state").innerText()).toBe("待复核");
    await page.getByText("其中 1 条待复核").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await snap(page, "43-console-answers");

    // Signing out forgets the token.
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.getByLabel("工作人员令牌").waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("edu-console-staff-token"))).toBeNull();
    // The only console error is the browser's own line for the expected 409 response.
    expect(errors.filter((e) => !e.includes("409"))).toEqual([]);
    await context.close();
  });

  it("an unsigned visitor finds no write control and every write over HTTP is refused with 401", async () => {
    const { context, page } = await newPage();
    for (const route of ["#/report", "#/answers", "#/answers/new"]) {
      await page.goto(`${server.url}/console${route}`);
      await page.getByLabel("工作人员令牌").waitFor();
      expect(await page.locator("textarea, [data-testid='save-answer'], [data-testid='write-answer'], [data-testid='revert-version'], [data-testid='retire-answer']").count()).toBe(0);
    }
    expect(await seriousViolations(page)).toEqual([]);

    // A wrong token is refused and not kept.
    await page.getByLabel("工作人员令牌").fill("not-a-real-token");
    await page.getByLabel("工作人员令牌").press("Enter");
    await page.getByRole("alert").getByText("令牌无效").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    // Straight to the API from the page, without a token: nothing is written, nothing is read.
    const statuses = await page.evaluate(async () => {
      const json = { "content-type": "application/json" };
      const body = JSON.stringify({ questions: ["转学需要什么材料"], answer: "测试", citations: ["2024-work-summary#p002"] });
      const calls: [string, RequestInit][] = [
        ["/api/curated", { method: "POST", headers: json, body }],
        ["/api/curated/ca-aaaaaaaaaaaa", { method: "PUT", headers: json, body: JSON.stringify({ version: 1, answer: "测试" }) }],
        ["/api/curated/ca-aaaaaaaaaaaa", { method: "DELETE" }],
        ["/api/curated/ca-aaaaaaaaaaaa/revert", { method: "POST", headers: json, body: JSON.stringify({ version: 1 }) }],
        ["/api/curated/check", { method: "POST", headers: json, body: JSON.stringify({ answer: "测试", citations: ["x"] }) }],
        ["/api/curated", { method: "GET" }],
        ["/api/report/questions", { method: "GET" }],
      ];
      return Promise.all(calls.map(async ([url, init]) => (await fetch(url, init)).status));
    });
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401]);

    // Signing in from a staff link opens what the link pointed at (#/answers/new here).
    await page.getByLabel("工作人员令牌").fill(token);
    await page.getByLabel("工作人员令牌").press("Enter");
    await page.getByRole("heading", { name: "新建人工答案" }).waitFor();
    await context.close();
  });
});
