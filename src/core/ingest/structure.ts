/**
 * Recovers a document's structure from cleaned lines: the heading hierarchy (一、 / （一） / 1. / ——)
 * and flattened tables (tab-prefixed cells, one row per blank-line-separated group). The output is a
 * list of blocks, each with the heading path it sits under; chunking happens afterwards.
 */

export interface Block {
  kind: "paragraph" | "table-row";
  headingPath: string[];
  text: string;
  /** Column name → cell text, for table rows. */
  fields?: Record<string, string>;
}

export interface StructuredDocument {
  /** Short title lines found at the top (e.g. 关于印发《…》的通知). */
  titleLines: string[];
  blocks: Block[];
}

interface HeadingRule {
  level: number;
  pattern: RegExp;
}

const HEADINGS: HeadingRule[] = [
  { level: 1, pattern: /^[一二三四五六七八九十百]+[、.．]/ },
  { level: 1, pattern: /^——/ },
  { level: 1, pattern: /^第[一二三四五六七八九十百]+[章部分节]/ },
  { level: 2, pattern: /^[（(][一二三四五六七八九十百]+[)）]/ },
  { level: 3, pattern: /^\d{1,2}[.．、](?!\d)/ },
  { level: 4, pattern: /^[（(]\d{1,2}[)）]/ },
];

const SENTENCE_END = /[。！？!?；;]/;
const MAX_HEADING_CHARS = 48;

function headingLevel(line: string): number {
  for (const rule of HEADINGS) if (rule.pattern.test(line)) return rule.level;
  return 0;
}

/**
 * Splits a heading line into its heading and any body that follows on the same line:
 * `1.加快推进新优质学校建设。统筹…` → heading `1.加快推进新优质学校建设`, body `统筹…`.
 * A heading line without a sentence end is a heading only.
 */
export function splitHeadingLine(line: string): { heading: string; body: string } {
  const end = line.search(SENTENCE_END);
  if (end < 0) {
    if (line.length <= MAX_HEADING_CHARS * 2) return { heading: line, body: "" };
    return { heading: line.slice(0, MAX_HEADING_CHARS) + "…", body: line };
  }
  const heading = line.slice(0, end);
  if (heading.length > MAX_HEADING_CHARS) {
    // A long first sentence is content, not a title: keep it in the body, shorten the label.
    return { heading: heading.slice(0, MAX_HEADING_CHARS) + "…", body: line };
  }
  return { heading, body: line.slice(end + 1).trim() ? line : "" };
}

/** A line that looks like a document title: short, no sentence punctuation, not a heading. */
function isTitleLike(line: string): boolean {
  return line.length <= 50 && !SENTENCE_END.test(line) && !/[，,:：]/.test(line) && headingLevel(line) === 0;
}

const CELL = /^\t/;

/** Detects the header row of a flattened table: ≥ 3 consecutive short tab-prefixed lines. */
function tableHeaderAt(lines: string[], i: number): string[] | null {
  const cells: string[] = [];
  for (let j = i; j < lines.length && CELL.test(lines[j]!); j++) {
    const cell = lines[j]!.slice(1).trim();
    if (!cell || cell.length > 8) return null;
    cells.push(cell);
  }
  return cells.length >= 3 ? cells : null;
}

function parseTable(
  lines: string[],
  start: number,
  columns: string[],
  basePath: string[],
): { blocks: Block[]; end: number } {
  const blocks: Block[] = [];
  let i = start + columns.length;
  const carried: Record<string, string> = {};
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.trim() === "" && !CELL.test(lines[i]!)) i++;
    if (i >= lines.length || !CELL.test(lines[i]!)) break;
    const cells: string[] = [];
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (CELL.test(line)) cells.push(line.slice(1).trim());
      else if (line.trim() === "") break;
      // A continuation line (标杆城市：…) belongs to the last cell of the row.
      else cells[cells.length - 1] = `${cells[cells.length - 1] ?? ""}\n${line.trim()}`;
    }
    // Merged cells leave the leading columns empty: carry them down from the row above.
    const offset = columns.length - cells.length;
    const fields: Record<string, string> = {};
    columns.forEach((column, c) => {
      const cell = c - offset >= 0 ? cells[c - offset] ?? "" : "";
      fields[column] = cell || (c < columns.length - 1 ? carried[column] ?? "" : "");
      if (cell) carried[column] = cell;
    });
    const content = fields[columns[columns.length - 1]!] ?? "";
    if (!content.trim()) continue;
    const labels = columns.slice(0, -1).map((c) => fields[c]).filter((v): v is string => Boolean(v));
    // Heading path: category, then "序号.目标名称" when the table has both.
    const [category, ...rest] = labels;
    const rowLabel = rest.length >= 2 && /^\d+$/.test(rest[0]!) ? `${rest[0]}.${rest.slice(1).join(" ")}` : rest.join(" ");
    const headingPath = [...basePath, ...(category ? [category] : []), ...(rowLabel ? [rowLabel] : [])];
    blocks.push({ kind: "table-row", headingPath, text: content.replace(/\s*\n\s*/g, "\n"), fields });
  }
  return { blocks, end: i };
}

/** Builds blocks with heading paths from cleaned body lines. `title` roots every heading path. */
export function structureDocument(lines: string[], title: string): StructuredDocument {
  const titleLines: string[] = [];
  const blocks: Block[] = [];
  const stack: Array<{ level: number; heading: string }> = [];
  const path = () => [title, ...stack.map((s) => s.heading)];
  let seenBody = false;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const header = CELL.test(raw) ? tableHeaderAt(lines, i) : null;
    if (header) {
      const table = parseTable(lines, i, header, path());
      blocks.push(...table.blocks);
      i = table.end - 1;
      seenBody = true;
      continue;
    }
    const line = raw.trim();
    if (!line) continue;
    const level = headingLevel(line);
    if (level === 0 && !seenBody && isTitleLike(line)) {
      titleLines.push(line);
      continue;
    }
    seenBody = true;
    if (level > 0) {
      while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
      const { heading, body } = splitHeadingLine(line);
      stack.push({ level, heading });
      if (body) blocks.push({ kind: "paragraph", headingPath: path(), text: body });
      continue;
    }
    blocks.push({ kind: "paragraph", headingPath: path(), text: line });
  }
  return { titleLines, blocks };
}
