import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, seriousViolations, snap, startTestServer, watchErrors, type TestServer } from "./harness.js";

// The hotline console as staff use it: keyboard first, answer beside ranked passages, copy to read aloud.

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openConsole(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/console`);
  // The filters come from /api/documents.
  await page.locator("#year option[value='2024']").waitFor({ state: "attached" });
  return { context, page, errors };
}

async function search(page: Page, question: string): Promise<void> {
  await page.keyboard.type(question);
  await page.keyboard.press("Enter");
  await page.getByTestId("console-answer").waitFor({ timeout: 30_000 });
  await page.getByTestId("console-passage").first().waitFor();
}

describe("hotline console", () => {
  it("is keyboard-first: focused on load, / focuses search, Enter shows the answer beside highlighted passages", async () => {
    const { context, page, errors } = await openConsole();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("q");
    await snap(page, "20-console-empty");

    // The question log records where a question was asked: the hotline console says so.
    const chatRequest = page.waitForRequest((r) => r.url().endsWith("/api/chat"));
    await search(page, "2024年新增了多少所公办幼儿园？");
    expect((await chatRequest).postDataJSON()).toMatchObject({ channel: "console" });
    expect(await page.getByTestId("console-answer").innerText()).toContain("22所");
    const first = page.getByTestId("console-passage").first();
    expect(await first.locator("mark").count()).toBeGreaterThan(0);
    const marked = await page.locator("[data-testid='console-passage'] mark").allInnerTexts();
    expect(marked).toEqual(expect.arrayContaining(["公办"]));
    await snap(page, "21-console-answer");

    // "/" from anywhere outside a field jumps back to the search box.
    await page.locator("h1").click();
    expect(await page.evaluate(() => document.activeElement?.id)).not.toBe("q");
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("q");
    expect(await page.locator("#q").inputValue()).toBe("2024年新增了多少所公办幼儿园？");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("filters passages by year and document kind", async () => {
    const { context, page } = await openConsole();
    await search(page, "课后服务");
    const searched = page.waitForResponse((r) => r.url().includes("/api/search") && r.url().includes("year=2021"));
    await page.locator("#year").selectOption("2021");
    await searched;
    await page.locator("#status").getByText("2021年").waitFor();
    const years = await page.locator("[data-testid='console-passage'] .tag").allInnerTexts();
    expect(years.length).toBeGreaterThan(0);
    expect(new Set(years)).toEqual(new Set(["2021年"]));

    const kinds = await page.locator("#kind option").allInnerTexts();
    expect(kinds).toContain("业务目标");
    const byKind = page.waitForResponse((r) => r.url().includes("kind="));
    await page.locator("#kind").selectOption("业务目标");
    await byKind;
    await page.locator("#status").getByText("业务目标").waitFor();
    const titles = await page.locator("[data-testid='console-passage'] .passage-title").allInnerTexts();
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(title).toContain("2021年度市直单位业务目标");
    await snap(page, "22-console-filtered");
    await context.close();
  });

  it("copies the answer with its sources, formatted for reading aloud", async () => {
    const { context, page } = await openConsole();
    await search(page, "家庭经济困难学生的助学金2024年发了多少钱？");
    await page.getByTestId("console-copy").click();
    await page.getByText("已复制").waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^问：家庭经济困难学生的助学金2024年发了多少钱？\n答：/);
    expect(copied).toContain("6100万元");
    expect(copied).toMatch(/以上内容依据《2024年以来青岛市教育工作总结》（2024年）“/);
    expect(copied).not.toMatch(/\[\d\]/);
    expect(copied).not.toContain("来源：");
    await snap(page, "23-console-copied");

    // Keyboard: C (outside the search box) copies too.
    await page.evaluate(() => navigator.clipboard.writeText(""));
    await page.locator("h1").click();
    await page.keyboard.press("c");
    await page.waitForFunction(async () => (await navigator.clipboard.readText()).startsWith("问："));
    await context.close();
  });

  it("has no serious or critical accessibility violations", async () => {
    const { context, page } = await openConsole();
    expect(await seriousViolations(page)).toEqual([]);
    await search(page, "2021年课后服务参与学生有多少？");
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
