import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, seriousViolations, snap, startTestServer, watchErrors, type TestServer } from "./harness.js";

// The widget as a citizen meets it: embedded in the demo page (same origin) and in a customer page
// on another site under a strict CSP, driven in Debian's Chromium.

const FIGURE_QUESTION = "2024年新增了多少所公办幼儿园？提供多少学位？";
const TRADITIONAL_QUESTION = "學校的校車是怎麼管理運行的？";

let server: TestServer;
let browser: Browser;
let host: Server;
let hostOrigin: string;

beforeAll(async () => {
  // The customer page is served from http://localhost:<port>, the API from http://127.0.0.1:<port>:
  // different sites, so CORS, CORP and the CSP all apply as they would for a real embedding.
  host = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/host.css") {
      response.writeHead(200, { "content-type": "text/css" });
      response.end(HOSTILE_CSS);
      return;
    }
    const api = server.url;
    response.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": `default-src 'none'; script-src ${api}; connect-src ${api}; style-src 'self'; img-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    });
    response.end(hostPage(url.searchParams.has("bare") ? "" : `<script src="${api}/widget.js" data-api="${api}" async></script>`));
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  hostOrigin = `http://localhost:${(host.address() as AddressInfo).port}`;
  [server, browser] = await Promise.all([startTestServer({ ALLOWED_ORIGINS: hostOrigin }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => host?.close(resolve));
});

/** A fresh browser context (its own sessionStorage) with clipboard access. */
async function newPage(options: { viewport?: { width: number; height: number }; isMobile?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 }, isMobile: options.isMobile ?? false, hasTouch: options.isMobile ?? false, locale: "zh-CN" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  return { context, page: await context.newPage() };
}

async function openWidget(page: Page): Promise<void> {
  await page.getByTestId("widget-launcher").click();
  await page.getByTestId("widget-input").waitFor();
}

/** Types a question, presses Enter and waits until the answer is complete (its actions appear). */
async function ask(page: Page, question: string) {
  const answers = page.getByTestId("widget-answer");
  const before = await answers.count();
  await page.getByTestId("widget-input").fill(question);
  const response = page.waitForResponse((r) => r.url().endsWith("/api/chat"));
  await page.getByTestId("widget-input").press("Enter");
  const chat = await response;
  const answer = answers.nth(before);
  await answer.getByTestId("widget-copy").waitFor({ timeout: 30_000 });
  return { answer, chat };
}

describe("widget on the demo page", () => {
  it("opens, streams an answer with the right figure, and shows the cited passage", async () => {
    const { context, page } = await newPage();
    const errors = watchErrors(page);
    await page.goto(server.url);
    await snap(page, "01-demo-page");

    await openWidget(page);
    const input = page.getByTestId("widget-input");
    expect(await input.evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    expect(await page.getByTestId("widget-example").count()).toBeGreaterThanOrEqual(3);
    await snap(page, "02-widget-open");

    // Watch the answer arrive: the typing indicator first, then text growing as deltas come in.
    await page.evaluate(() => {
      const shadow = document.querySelector("qd-edu-assistant")!.shadowRoot!;
      const seen = { typing: false, lengths: [] as number[] };
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      new MutationObserver(() => {
        if (shadow.querySelector('[data-testid="widget-typing"]')) seen.typing = true;
        const answer = shadow.querySelector('[data-testid="widget-answer"] .answer-text');
        if (answer) seen.lengths.push(answer.textContent!.length);
      }).observe(shadow, { subtree: true, childList: true, characterData: true });
    });
    const { answer, chat } = await ask(page, FIGURE_QUESTION);
    expect(chat.headers()["content-type"]).toContain("text/event-stream");
    expect(chat.request().postDataJSON()).toMatchObject({ question: FIGURE_QUESTION, stream: true });
    const seen = await page.evaluate(() => (window as unknown as { __seen: { typing: boolean; lengths: number[] } }).__seen);
    expect(seen.typing).toBe(true);
    expect(seen.lengths.length).toBeGreaterThan(0);

    const text = await answer.locator(".answer-text").innerText();
    expect(text).toContain("22所");
    expect(text).toContain("5800");
    // The widget renders its own 来源 list instead of the raw trailing line.
    expect(text).not.toMatch(/来源[:：]/);
    expect(await answer.getByTestId("widget-source").count()).toBeGreaterThan(0);
    expect(await answer.innerText()).toContain("来源");
    await snap(page, "03-answer-streamed");

    const citation = answer.getByTestId("widget-citation").first();
    expect(await citation.getAttribute("aria-label")).toContain("2024年以来青岛市教育工作总结");
    await citation.click();
    const passage = page.getByTestId("widget-passage");
    await passage.locator("mark").waitFor();
    await passage.locator(".passage-text").waitFor();
    const passageText = await passage.innerText();
    expect(passageText).toContain("《2024年以来青岛市教育工作总结》");
    expect(passageText).toContain("2024年");
    expect(passageText).toContain("加快推进新优质学校建设");
    expect(await passage.locator("mark").innerText()).toContain("22所");
    await snap(page, "04-citation-passage");

    // Esc closes the passage first (focus back on the marker), then the panel (focus on the launcher).
    await page.keyboard.press("Escape");
    expect(await passage.isHidden()).toBe(true);
    expect(await citation.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    await page.keyboard.press("Escape");
    expect(await page.getByTestId("widget-panel").isHidden()).toBe(true);
    expect(await page.getByTestId("widget-launcher").evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);

    expect(errors).toEqual([]);
    await context.close();
  });

  it("copies the answer, posts feedback, survives a reload and can be cleared", async () => {
    const { context, page } = await newPage();
    await page.goto(server.url);
    await openWidget(page);
    const { answer } = await ask(page, "2021年课后服务参与学生有多少，参与率是多少？");
    expect(await answer.locator(".answer-text").innerText()).toContain("62.7万");

    await answer.getByTestId("widget-copy").click();
    await answer.getByText("已复制").waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain("62.7万");
    expect(copied).toMatch(/来源：/);

    const feedback = page.waitForResponse((r) => r.url().endsWith("/api/feedback"));
    await answer.getByTestId("widget-feedback-up").click();
    const posted = await feedback;
    expect(posted.status()).toBe(201);
    expect(posted.request().postDataJSON()).toMatchObject({ answerId: await answer.getAttribute("data-answer-id"), rating: "up" });
    await answer.getByText("感谢您的反馈").waitFor();
    expect(await answer.getByTestId("widget-feedback-up").getAttribute("aria-pressed")).toBe("true");

    // 👎 asks for an optional comment before posting once. The follow-up carries the earlier turns.
    const { answer: second, chat } = await ask(page, "2024年有几名教师入选第十一批省特级教师？");
    const history = (chat.request().postDataJSON() as { history: { role: string; content: string }[] }).history;
    expect(history.map((t) => t.role)).toEqual(["user", "assistant"]);
    expect(history[1]!.content).toContain("62.7万");
    await second.getByTestId("widget-feedback-down").click();
    await second.getByTestId("widget-feedback-comment").fill("希望说明评选条件");
    const down = page.waitForResponse((r) => r.url().endsWith("/api/feedback"));
    await second.getByRole("button", { name: "提交反馈" }).click();
    expect((await down).request().postDataJSON()).toMatchObject({ rating: "down", comment: "希望说明评选条件" });

    await page.getByTestId("widget-input").fill("还没发出去的草稿");
    await page.reload();
    await page.getByTestId("widget-answer").nth(1).waitFor();
    expect(await page.getByTestId("widget-answer").count()).toBe(2);
    expect(await page.getByTestId("widget-panel").isVisible()).toBe(true);
    expect(await page.getByTestId("widget-input").inputValue()).toBe("还没发出去的草稿");
    expect(await page.getByTestId("widget-answer").first().getByTestId("widget-feedback-up").getAttribute("aria-pressed")).toBe("true");
    await snap(page, "05-after-reload");

    await page.getByTestId("widget-clear").click();
    expect(await page.getByTestId("widget-answer").count()).toBe(0);
    await page.reload();
    // The panel stays open across the reload, now empty.
    await page.getByTestId("widget-input").waitFor();
    expect(await page.getByTestId("widget-answer").count()).toBe(0);
    await context.close();
  });

  it("answers a Traditional question in Traditional, interface included", async () => {
    const { context, page } = await newPage();
    await page.goto(server.url);
    await openWidget(page);
    const { answer } = await ask(page, TRADITIONAL_QUESTION);
    const text = await answer.innerText();
    expect(text).toContain("國有公司運營");
    expect(text).toContain("來源");
    expect(text).not.toContain("来源");
    expect(await page.getByTestId("widget-send").innerText()).toContain("發送");
    expect(await page.getByTestId("widget-input").getAttribute("placeholder")).toContain("請輸入");
    expect(await answer.getByTestId("widget-copy").innerText()).toContain("複製回答");
    await snap(page, "06-traditional");
    await context.close();
  });

  it("Enter sends, Shift+Enter breaks the line, the counter warns near 500 and a too-long question is kept", async () => {
    const { context, page } = await newPage();
    await page.goto(server.url);
    await openWidget(page);
    const input = page.getByTestId("widget-input");
    await input.press("Shift+Enter");
    await input.type("第二行");
    expect(await input.inputValue()).toBe("\n第二行");

    const counter = page.locator("qd-edu-assistant .counter");
    await input.fill("学".repeat(300));
    expect(await counter.isHidden()).toBe(true);
    await input.fill("学".repeat(480));
    expect(await counter.innerText()).toBe("480/500");

    let chats = 0;
    page.on("request", (r) => {
      if (r.url().endsWith("/api/chat")) chats++;
    });
    await input.fill("学".repeat(501));
    expect(await counter.getAttribute("class")).toContain("over");
    await input.press("Enter");
    await page.getByText("问题过长，请控制在 500 字以内").waitFor();
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    expect(await input.inputValue()).toHaveLength(501);
    expect(chats).toBe(0);
    await snap(page, "07-too-long");
    await context.close();
  });

  it("keeps focus inside the open panel", async () => {
    const { context, page } = await newPage();
    await page.goto(server.url);
    await openWidget(page);
    const inside = () => page.evaluate(() => {
      const shadow = document.querySelector("qd-edu-assistant")!.shadowRoot!;
      return document.activeElement?.tagName === "QD-EDU-ASSISTANT" && !!shadow.activeElement?.closest('[role="dialog"]');
    });
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press("Tab");
      expect(await inside()).toBe(true);
    }
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press("Shift+Tab");
      expect(await inside()).toBe(true);
    }
    await context.close();
  });

  it("says clearly when the network fails or the rate limit is hit, and retries without losing the draft", async () => {
    const { context, page } = await newPage();
    await page.goto(server.url);
    await openWidget(page);

    await page.route("**/api/chat", (route) => route.abort("internetdisconnected"));
    await page.getByTestId("widget-input").fill(FIGURE_QUESTION);
    await page.getByTestId("widget-input").press("Enter");
    const error = page.getByTestId("widget-error");
    await error.waitFor();
    expect(await error.innerText()).toContain("网络连接失败");
    await snap(page, "08-network-error");

    await page.unroute("**/api/chat");
    await page.route("**/api/chat", (route) =>
      route.fulfill({
        status: 429,
        headers: { "content-type": "application/problem+json", "retry-after": "2", "access-control-allow-origin": "*" },
        body: JSON.stringify({ type: "about:blank#RATE_LIMITED", title: "RATE_LIMITED", status: 429, detail: "请求过于频繁" }),
      }),
    );
    await page.getByTestId("widget-retry").click();
    await page.getByText("提问过于频繁，请 2 秒后再试").waitFor();
    expect(await page.getByTestId("widget-retry").isDisabled()).toBe(true);
    await snap(page, "09-rate-limited");

    // The user starts typing something else meanwhile; a retry must not touch it.
    await page.getByTestId("widget-input").fill("另一个问题");
    await page.unroute("**/api/chat");
    await page.waitForFunction(() => !document.querySelector("qd-edu-assistant")!.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid="widget-retry"]')!.disabled, undefined, { timeout: 5000 });
    await page.getByTestId("widget-retry").click();
    const answer = page.getByTestId("widget-answer").first();
    await answer.getByTestId("widget-copy").waitFor({ timeout: 30_000 });
    expect(await answer.innerText()).toContain("22所");
    expect(await page.getByTestId("widget-error").count()).toBe(0);
    expect(await page.getByTestId("widget-input").inputValue()).toBe("另一个问题");
    await context.close();
  });

  it("reports a stream that fails midway, and gives a too-long question back for editing", async () => {
    const { context, page } = await newPage();
    await page.goto(server.url);
    await openWidget(page);

    const meta = { answerId: "a1", citations: [], mode: "extractive", script: "Hans", grounded: true };
    await page.route("**/api/chat", (route) =>
      route.fulfill({
        status: 200,
        headers: { "content-type": "text/event-stream" },
        body: `event: meta\ndata: ${JSON.stringify(meta)}\n\nevent: delta\ndata: {"text":"全市新增"}\n\nevent: error\ndata: {"type":"about:blank#TIMEOUT","title":"TIMEOUT","status":504,"detail":"回答超时"}\n\n`,
      }),
    );
    await page.getByTestId("widget-input").fill(FIGURE_QUESTION);
    await page.getByTestId("widget-input").press("Enter");
    await page.getByTestId("widget-error").getByText("回答中断了，请重试").waitFor();
    expect(await page.getByTestId("widget-answer").count()).toBe(0);

    await page.unroute("**/api/chat");
    await page.route("**/api/chat", (route) =>
      route.fulfill({
        status: 413,
        headers: { "content-type": "application/problem+json" },
        body: JSON.stringify({ type: "about:blank#PAYLOAD_TOO_LARGE", title: "PAYLOAD_TOO_LARGE", status: 413, detail: "请求内容过大（上限 32 KB）" }),
      }),
    );
    await page.getByTestId("widget-input").fill("课后服务几点结束？");
    await page.getByTestId("widget-input").press("Enter");
    await page.getByText("请求内容过大（上限 32 KB）").waitFor();
    expect(await page.getByTestId("widget-input").inputValue()).toBe("课后服务几点结束？");
    await context.close();
  });

  it("fills a phone screen", async () => {
    const { context, page } = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(server.url);
    await snap(page, "10-phone-closed");
    await openWidget(page);
    const box = await page.getByTestId("widget-panel").boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    const { answer } = await ask(page, FIGURE_QUESTION);
    expect(await answer.innerText()).toContain("22所");
    await snap(page, "11-phone-answer");
    await answer.getByTestId("widget-citation").first().click();
    await page.getByTestId("widget-passage").locator(".passage-text").waitFor();
    await snap(page, "12-phone-passage");
    await context.close();
  });

  it("has no serious or critical accessibility violations (closed, open, answered, passage)", async () => {
    const { context, page } = await newPage();
    await page.goto(server.url);
    expect(await seriousViolations(page)).toEqual([]);
    await openWidget(page);
    expect(await seriousViolations(page)).toEqual([]);
    const { answer } = await ask(page, FIGURE_QUESTION);
    expect(await seriousViolations(page)).toEqual([]);
    await answer.getByTestId("widget-citation").first().click();
    await page.getByTestId("widget-passage").locator(".passage-text").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});

describe("widget on a customer page with a strict CSP", () => {
  it("loads cross-site, styles itself through adoptedStyleSheets, answers, and leaks nothing", async () => {
    const { context, page } = await newPage();
    const errors = watchErrors(page);

    await page.goto(`${hostOrigin}/?bare`);
    const bareGlobals = await page.evaluate(() => Object.keys(window));

    await page.goto(`${hostOrigin}/`);
    const launcher = page.getByTestId("widget-launcher");
    await launcher.waitFor();
    const styling = await page.evaluate(() => {
      const host = document.querySelector("qd-edu-assistant")!;
      const shadow = host.shadowRoot!;
      const button = shadow.querySelector('[data-testid="widget-launcher"]')!;
      return {
        mode: shadow.mode,
        adopted: shadow.adoptedStyleSheets.length,
        styleElements: shadow.querySelectorAll("style").length,
        background: getComputedStyle(button).backgroundColor,
        position: getComputedStyle(button).position,
        fontSize: getComputedStyle(button).fontSize,
        hostPosition: getComputedStyle(host).position,
      };
    });
    expect(styling).toEqual({ mode: "open", adopted: 1, styleElements: 0, background: "rgb(11, 74, 143)", position: "fixed", fontSize: "16px", hostPosition: "fixed" });
    // The host page's fixed banner (z-index 99999) sits under the launcher's corner: the click must land on the widget.
    await openWidget(page);
    await snap(page, "13-strict-csp-open");

    const { answer } = await ask(page, FIGURE_QUESTION);
    expect(await answer.innerText()).toContain("22所");
    await answer.getByTestId("widget-citation").first().click();
    await page.getByTestId("widget-passage").locator(".passage-text").waitFor();
    await snap(page, "14-strict-csp-passage");

    // The widget's styles did not leak out: the host's own text keeps the host's styles.
    expect(await page.locator("h1").evaluate((el) => getComputedStyle(el).color)).toBe("rgb(128, 0, 0)");
    // Nothing added to the host's globals.
    const globals = await page.evaluate(() => Object.keys(window));
    expect(globals.filter((k) => !bareGlobals.includes(k))).toEqual([]);
    // No CSP refusal (style, script, connect) and no script error.
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** A host page whose CSS tries hard to reach into or cover the widget. */
const HOSTILE_CSS = `
* { font-size: 22px !important; letter-spacing: 3px !important; }
button { background: hotpink !important; display: block !important; }
h1 { color: rgb(128, 0, 0); }
qd-edu-assistant { display: none; position: static; }
.banner { position: fixed; right: 0; bottom: 0; width: 100%; height: 40px; z-index: 99999; background: #333; color: #fff; }
`;

function hostPage(widgetTag: string): string {
  return `<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>客户页面</title><link rel="stylesheet" href="/host.css"></head>
<body><h1>区教育和体育局 · 通知公告</h1><p>这是一个发送严格内容安全策略（CSP）的客户页面。</p><div class="banner">页面底部横幅</div>${widgetTag}</body></html>`;
}
