/**
 * Markup that survives into text documents exported from a website or a static-site generator:
 * Hugo/Jekyll shortcodes (`{{< video … >}}`, `{{% note %}}`), leftover HTML tags (`<figure>`,
 * `<img …>`, `<br>`, `<p>`), HTML comments, Markdown images, link markup, horizontal rules and a short
 * subscription footer after the last rule. Each is removed; link markup keeps its text, a figure keeps
 * its caption. Counts are returned for the ingest report.
 */

export interface MarkupCounts {
  shortcodes: number;
  htmlTags: number;
  htmlComments: number;
  images: number;
  rules: number;
  linkLines: number;
  footerLines: number;
}

export interface MarkupResult {
  lines: string[];
  counts: MarkupCounts;
}

const SHORTCODE = /\{\{<[^{}]*?>\}\}|\{\{%[^{}]*?%\}\}/g;
const HTML_COMMENT = /<!--[\s\S]*?-->/g;
// Named tags only, so that "<2岁" or "a<b" in prose is never taken for markup.
const HTML_TAG =
  /<\/?(?:figure|figcaption|img|br|p|div|span|a|center|font|b|strong|i|em|u|s|sup|sub|small|big|hr|iframe|video|audio|source|picture|section|article|header|footer|nav|aside|blockquote|ul|ol|li|h[1-6]|table|thead|tbody|tfoot|tr|td|th|caption|col|colgroup|o:p)\b[^<>]*\/?>/gi;
const MD_IMAGE = /!\[[^\]]*\]\([^)]*\)/g;
const MD_LINK = /\[([^\]]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)/g;
const AUTOLINK = /<(https?:\/\/[^>\s]+)>/g;
const RULE = /^\s*([-*_])(?:\s*\1){2,}\s*$/;
const EMPHASIS = /\*\*([^*\n]+?)\*\*|__([^_\n]+?)__/g;
const WHOLE_LINE_BOLD = /^\s*\*\*[^*\n]+\*\*\s*$/;
const ENTITIES: Record<string, string> = { "&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

// Words of a subscription / follow-us footer, in both scripts (matched on the raw line).
const FOOTER_WORDS = /订户|訂戶|订阅|訂閱|关注我们|關注我們|支持我们|支持我們|扫码关注|掃碼關注|subscribe|newsletter|版权所有|版權所有/i;
const MAX_FOOTER_LINES = 4;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** A line whose only content is one or more links (Markdown or autolinks): navigation, not text. */
function isLinkOnly(line: string): boolean {
  if (!/\]\(|<https?:/.test(line)) return false;
  return line.replace(MD_LINK, "").replace(AUTOLINK, "").replace(/[\s|｜·•,，、]+/g, "") === "";
}

/** Removes markup residue line by line; blank lines are kept (tables and paragraphs use them). */
export function removeMarkupResidue(lines: string[]): MarkupResult {
  const counts: MarkupCounts = { shortcodes: 0, htmlTags: 0, htmlComments: 0, images: 0, rules: 0, linkLines: 0, footerLines: 0 };

  // Multi-line HTML comments are joined first so that their inner lines go too.
  const joined = lines.join("\n");
  counts.htmlComments = count(joined, HTML_COMMENT);
  let work = counts.htmlComments ? joined.replace(HTML_COMMENT, (m) => "\n".repeat(m.split("\n").length - 1)).split("\n") : lines;

  // A short footer after the last horizontal rule, when it asks for subscriptions or is only links.
  const lastRule = work.reduce((at, line, i) => (RULE.test(line) ? i : at), -1);
  if (lastRule >= 0) {
    const tail = work.slice(lastRule + 1).filter((line) => line.trim());
    if (tail.length && tail.length <= MAX_FOOTER_LINES && tail.some((line) => FOOTER_WORDS.test(line) || isLinkOnly(line))) {
      counts.footerLines = tail.length;
      work = work.slice(0, lastRule + 1);
    }
  }

  const out: string[] = [];
  for (const raw of work) {
    if (RULE.test(raw)) {
      counts.rules++;
      continue;
    }
    if (isLinkOnly(raw)) {
      counts.linkLines++;
      continue;
    }
    let line = raw;
    const shortcodes = count(line, SHORTCODE);
    const tags = count(line, HTML_TAG);
    const images = count(line, MD_IMAGE);
    if (shortcodes) line = line.replace(SHORTCODE, "");
    if (images) line = line.replace(MD_IMAGE, "");
    // A line break inside a table cell or a paragraph separates words: it becomes a space.
    if (tags) line = line.replace(HTML_TAG, (tag) => (/^<br\b/i.test(tag) ? " " : ""));
    line = line.replace(MD_LINK, (_, text: string) => text).replace(AUTOLINK, "$1");
    // A wholly bold line stays marked: structure reads it as a heading or a question line.
    if (!WHOLE_LINE_BOLD.test(line)) line = line.replace(EMPHASIS, (_, a?: string, b?: string) => a ?? b ?? "");
    line = line.replace(/&(?:nbsp|amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);
    counts.shortcodes += shortcodes;
    counts.htmlTags += tags;
    counts.images += images;
    // A line that held only markup disappears instead of leaving a blank that splits a paragraph.
    if ((shortcodes || tags || images) && !line.trim()) continue;
    out.push(shortcodes || tags || images ? line.trim() : line);
  }
  return { lines: out, counts };
}
