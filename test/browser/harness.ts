import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { loadConfig } from "../../src/core/config.js";
import { startServer } from "../../src/node/server.js";
import { buildWebAssets } from "../../src/node/web-assets.js";
import { CORPUS_DIR } from "../helpers.js";

/** Debian's Chromium (apt-get install chromium); override with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = join(import.meta.dirname, "..", "..", "test-artifacts", "browser");

export interface TestServer {
  url: string;
  /** The server's private DATA_DIR (its store: staff, curated answers, question log). */
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The real server over a real socket, port 0, no rate limit, everything it writes in one private
 * temporary folder (test files run in parallel): the index (built from corpus/ at start, ~10 s),
 * feedback, and the web bundles (built fresh, so a parallel rebuild of dist/web can't interfere).
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const root = mkdtempSync(join(tmpdir(), "edu-browser-"));
  const { outDir: webDir } = await buildWebAssets({ outDir: join(root, "web") });
  const dataDir = join(root, "data");
  const config = loadConfig(
    { WATCH_INDEX: "false", ...env },
    { PORT: 0, CORPUS_DIR, INDEX_DIR: join(root, "index"), DATA_DIR: dataDir, RATE_LIMIT_PER_MIN: 0 },
  );
  const server = await startServer({ config, logLevel: "silent", webDir });
  return {
    url: server.url,
    dataDir,
    async close() {
      await server.close(1000);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** Saves a screenshot under test-artifacts/browser/ (gitignored) for a person to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Collects console errors and page errors (CSP refusals show up as console errors). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** axe-core's serious and critical violations on the page (open shadow roots included). */
export async function seriousViolations(page: Page, include?: string): Promise<{ id: string; impact: string; help: string; targets: string[] }[]> {
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]);
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact ?? "", help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
}
