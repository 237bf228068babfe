import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { buildWebAssets, ensureWebAssets } from "../src/node/web-assets.js";

// The browser bundles: what dist/web holds, the widget's size budget, and when a rebuild happens.

const dirs: string[] = [];
const tempOut = () => {
  const dir = mkdtempSync(join(tmpdir(), "edu-web-"));
  dirs.push(dir);
  return join(dir, "web");
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("buildWebAssets", () => {
  it("bundles the widget and console and copies the pages and style sheets", async () => {
    const { outDir, files } = await buildWebAssets({ outDir: tempOut() });
    expect(Object.keys(files).sort()).toEqual(["console.html", "console.js", "index.html", "static/console.css", "static/demo.css", "widget.js"]);
    const widget = readFileSync(join(outDir, "widget.js"));
    // The budget: ≤ 30 KB gzipped.
    expect(gzipSync(widget).length).toBeLessThanOrEqual(30 * 1024);
    // Nothing a strict CSP (no 'unsafe-eval') would refuse.
    expect(widget.toString()).not.toMatch(/\beval\(|new Function\(/);
    // The demo page embeds the widget exactly as a customer would; the pages carry no inline script or style.
    const demo = readFileSync(join(outDir, "index.html"), "utf8");
    expect(demo).toMatch(/<script src="\/widget\.js" data-api="[^"]*" async><\/script>/);
    for (const page of ["index.html", "console.html"]) {
      const html = readFileSync(join(outDir, page), "utf8");
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
  });
});

describe("ensureWebAssets", () => {
  it("builds when missing, keeps a fresh build, rebuilds when older than the sources", async () => {
    const outDir = tempOut();
    await ensureWebAssets(outDir);
    const widget = join(outDir, "widget.js");
    const first = statSync(widget).mtimeMs;
    await ensureWebAssets(outDir);
    expect(statSync(widget).mtimeMs).toBe(first);
    const longAgo = new Date("2000-01-01T00:00:00Z");
    utimesSync(widget, longAgo, longAgo);
    await ensureWebAssets(outDir);
    expect(statSync(widget).mtimeMs).toBeGreaterThan(longAgo.getTime());
  });
});
