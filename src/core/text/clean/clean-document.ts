import { removeDocxResidue } from "./docx-residue.js";
import { extractFrontMatter, type FrontMatter } from "./front-matter.js";
import { removeMarkupResidue } from "./markup-residue.js";
import { extractIssuerLine, extractMetadataHeader, type HeaderMeta } from "./metadata-header.js";
import { findMojibakeRuns, removeMojibake, type MojibakeModel, type MojibakeRun } from "./mojibake.js";
import { removePageChrome } from "./page-chrome.js";
import { removePinyinGlosses } from "./pinyin-gloss.js";

export interface CleanReport {
  pinyinGlosses: number;
  docxResidue: number;
  pageChrome: string[];
  mojibake: Array<MojibakeRun & { line: number }>;
}

export interface CleanedDocument {
  /** Body lines, cleaned, in the source's own script. Blank lines are kept: tables use them. */
  lines: string[];
  header: HeaderMeta;
  /** Scalar fields of a leading YAML/TOML front-matter block (title, date, author …), when there is one. */
  frontMatter?: FrontMatter;
  /** What was removed besides glosses, residue and chrome: kind → count (frontMatter lines, shortcodes, htmlTags …). */
  dropped: Record<string, number>;
  /** Header lines worth keeping searchable (发文编号 …), see extractMetadataHeader. */
  infoLines: string[];
  /** The lone issuer line taken from the top (the 版头 `上海市金山区教育局`), as written: it heads the document-info passage. */
  mastheadLines: string[];
  report: CleanReport;
}

export interface CleanOptions {
  mojibake: MojibakeModel;
}

/**
 * The cleaning stage of the pipeline: raw text in, body lines plus header metadata out.
 * Order matters: front matter goes first (its `---` fences are not text), glosses, docx residue and
 * markup residue are removed before mojibake detection, so that the detector sees only what a reader
 * would see.
 */
export function cleanDocument(raw: string, options: CleanOptions): CleanedDocument {
  const text = raw.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const front = extractFrontMatter(text.split("\n"));
  const glosses = removePinyinGlosses(front.removed ? front.lines.join("\n") : text);
  const residue = removeDocxResidue(glosses.text);
  let lines = residue.text.split("\n").map((line) => line.replace(/[ \u3000]+$/, ""));

  const markup = removeMarkupResidue(lines);
  lines = markup.lines;
  const dropped: Record<string, number> = {};
  if (front.removed) dropped.frontMatter = front.removed;
  for (const [kind, n] of Object.entries(markup.counts)) if (n) dropped[kind] = n;

  const chrome = removePageChrome(lines);
  lines = chrome.lines;

  const header = extractMetadataHeader(lines);
  lines = header.lines;
  const issuerLine = extractIssuerLine(lines);
  lines = issuerLine.lines;
  if (issuerLine.issuer && !header.meta.issuer) header.meta.issuer = issuerLine.issuer;

  const mojibake: CleanReport["mojibake"] = [];
  lines = lines.map((line, index) => {
    const runs = findMojibakeRuns(line, options.mojibake);
    if (!runs.length) return line;
    for (const run of runs) mojibake.push({ ...run, line: index });
    return removeMojibake(line, runs);
  });

  return {
    lines,
    header: header.meta,
    ...(front.frontMatter ? { frontMatter: front.frontMatter } : {}),
    dropped,
    infoLines: header.infoLines,
    mastheadLines: issuerLine.issuer ? [issuerLine.issuer] : [],
    report: {
      pinyinGlosses: glosses.removed,
      docxResidue: residue.removed,
      pageChrome: chrome.removed,
      mojibake,
    },
  };
}
