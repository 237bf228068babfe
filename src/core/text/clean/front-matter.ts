/**
 * YAML (`---` … `---`) and TOML (`+++` … `+++`) front matter at the top of a Markdown document
 * (Hugo, Jekyll, archive exports): read as metadata and removed from the body, so a document is not
 * titled `---` and `author: "…"` is not indexed as text.
 */

/** The flat `key: value` / `key = value` pairs of a front-matter block; lists and tables are skipped. */
export type FrontMatter = Record<string, string>;

export interface FrontMatterResult {
  /** Present only when the document starts with a front-matter block. */
  frontMatter?: FrontMatter;
  lines: string[];
  /** Lines removed (the block with its fences), 0 when there was none. */
  removed: number;
}

const FENCES: Array<{ open: RegExp; close: RegExp; pair: RegExp }> = [
  { open: /^---\s*$/, close: /^(---|\.\.\.)\s*$/, pair: /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/ },
  { open: /^\+\+\+\s*$/, close: /^\+\+\+\s*$/, pair: /^([A-Za-z_][\w-]*)\s*=\s*(.*)$/ },
];

// A real front-matter block is short; a `---` rule followed by prose is not one.
const MAX_LINES = 60;

function unquote(value: string): string {
  const v = value.trim();
  if (/^"(.*)"$/.test(v)) return v.slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, "\\");
  if (/^'(.*)'$/.test(v)) return v.slice(1, -1).replace(/''/g, "'");
  return v;
}

/** Removes a leading front-matter block and returns its scalar fields. */
export function extractFrontMatter(lines: string[]): FrontMatterResult {
  const start = lines.findIndex((line) => line.trim() !== "");
  if (start < 0) return { lines, removed: 0 };
  const fence = FENCES.find((f) => f.open.test(lines[start]!));
  if (!fence) return { lines, removed: 0 };
  const fields: FrontMatter = {};
  let pairs = 0;
  for (let i = start + 1; i < lines.length && i <= start + MAX_LINES; i++) {
    const line = lines[i]!;
    if (fence.close.test(line)) {
      // At least one key: a bare `---` … `---` pair around prose is two rules, not front matter.
      if (!pairs) return { lines, removed: 0 };
      return { frontMatter: fields, lines: [...lines.slice(0, start), ...lines.slice(i + 1)], removed: i + 1 - start };
    }
    const pair = fence.pair.exec(line);
    if (pair) {
      pairs++;
      const value = unquote(pair[2]!);
      // `tags:` followed by `- item` lines, or `[section]` tables: not a scalar, skipped.
      if (value && !/^[[{]/.test(value)) fields[pair[1]!.toLowerCase()] = value;
    } else if (line.trim() && !/^\s+|^\s*-\s|^\[/.test(line)) {
      return { lines, removed: 0 };
    }
  }
  return { lines, removed: 0 };
}
