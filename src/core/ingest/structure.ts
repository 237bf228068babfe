/**
 * Recovers a document's structure from cleaned lines: the heading hierarchy (see headings.ts), a
 * regulation's articles (one unit per 第N条), question-and-answer pairs, annexes, Markdown pipe
 * tables, and the older flattened tables (tab-prefixed cells, one row per blank-line-separated
 * group). The output is a list of blocks, each with the heading path it sits under; chunking happens
 * afterwards.
 */
import { ANNEX_RANK, isAnnexFileLine, isDateLine, matchHeading, type HeadingMatch, type HeadingStyle } from "./headings.js";
import { pipeTableAt, type PipeTable } from "./pipe-table.js";
import { ANSWER_MARKER, isQuestionText, QUESTION_MARKER, qaColumns, questionText, stripAnswerMarker } from "./qa-pairs.js";

export interface Block {
  kind: "paragraph" | "table-row" | "qa";
  headingPath: string[];
  text: string;
  /** Column name → cell text, for table rows. */
  fields?: Record<string, string>;
  /** For a Q&A pair: the question without its number. */
  question?: string;
  /** A unit that never merges with a neighbour: a 条, a Q&A pair. */
  atomic?: boolean;
  /** A size the unit may reach before it is split by sentences, instead of the chunker's default. */
  maxChars?: number;
  /** Repeated at the start of every part after the first when the unit is split (a row's first column). */
  carry?: string;
}

export interface StructureStats {
  headings: number;
  articles: number;
  tables: number;
  tableRows: number;
  qaPairs: number;
  annexes: number;
}

export interface StructuredDocument {
  /** Short title lines found at the top (e.g. 关于印发《…》的通知, a Markdown `# 标题`). */
  titleLines: string[];
  blocks: Block[];
  stats: StructureStats;
}

/** A Q&A answer stays one passage up to this size (a pair is not split for the usual 320). */
export const QA_MAX_CHARS = 1500;

const SENTENCE_END = /[。！？!?；;]/;
const MAX_HEADING_CHARS = 48;
const ARTICLE_LINE = /^第[一二三四五六七八九十百零〇\d]+条(?:[\s\u3000]|$|[^，,。])/;
const WHOLE_LINE_BOLD = /^\*\*([^*]+)\*\*$|^__([^_]+)__$/;
// Numbering styles a question line may use.
const QUESTION_STYLES = new Set<HeadingStyle>(["cn", "cn-paren", "num", "num-paren", "num-half", "circled"]);

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

/**
 * Item headings — `（1）`/`⑴`, `1）`, `①`, below the three structural levels 一、 （一） 1. — label a case
 * (`⑶上海市集体户籍适龄幼儿`, `⑷父母一方持上海市居住证但积分未达到标准分值`) that the lines under them
 * answer (`家长须携带登记表至新渔东路242号报名验证。`). Such a label stays in the text of the first passage
 * under it, as well as in the heading path, so that the sentence a quote comes from still says whom it
 * is about.
 */
const LABEL_RANK = 7;

/** A line that looks like a document title: short, no sentence punctuation, not a heading. */
function isTitleLike(line: string): boolean {
  return line.length <= 50 && !SENTENCE_END.test(line) && !/[，,:：|]/.test(line) && matchHeading(line) === null && !isDateLine(line);
}

/**
 * False headings: a numbered line that is one whole sentence (`（1）本市户籍幼儿须持有居民身份证。`) or a
 * clause running on (`…，`) is a list item inside a paragraph; a marker with nothing after it or only a
 * date is not a heading either. 章/节/编 lines are always headings.
 */
function isListItem(line: string, match: HeadingMatch): boolean {
  if (match.style === "part" || match.style === "chapter" || match.style === "section" || match.style === "markdown") return false;
  if (!match.rest || isDateLine(match.rest)) return true;
  if (/[，,、]$/.test(line)) return true;
  const end = line.search(SENTENCE_END);
  if (end < 0) return false;
  // `⑵非本市户籍：居住证；港澳…；…。`: an enumeration of clauses is an item.
  if (/[；;]/.test(line[end]!)) return true;
  // One whole sentence, or a long first sentence that runs on with commas: an item, not a title.
  return !line.slice(end + 1).trim() || (end > MAX_HEADING_CHARS && /[，,]/.test(line.slice(0, end)));
}

/**
 * A numbered line without a sentence end that continues on the next line: it ends with a word that
 * cannot end a title (的, 和, 或 …), or it is long and the next line is a short sentence end.
 */
function wrapsOnto(line: string, next: string | undefined): boolean {
  const following = next?.trim();
  if (!following || SENTENCE_END.test(line) || matchHeading(following) || following.includes("|")) return false;
  if (/[的和或与及并、，,]$/.test(line)) return true;
  return line.length >= 22 && following.length <= 30 && /[。；;]$/.test(following) && !SENTENCE_END.test(following.slice(0, -1));
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

/** The old flattened-table convention (2021 targets): the row's last column is the text. */
function parseTabTable(
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

/**
 * A pipe table's rows as blocks: each row repeats its column names (`学校：…｜招生范围：…`) so a
 * question naming a school finds its row; a 问题/答案 table yields Q&A pairs.
 */
function pipeTableBlocks(table: PipeTable, basePath: string[]): Block[] {
  const across = acrossTableBlocks(table, basePath);
  if (across) return across;
  const qa = qaColumns(table.columns);
  const blocks: Block[] = [];
  for (const cells of table.rows) {
    const fields: Record<string, string> = {};
    table.columns.forEach((column, c) => (fields[column] = cells[c] ?? ""));
    if (cells.length > table.columns.length) fields[table.columns[table.columns.length - 1]!] = cells.slice(table.columns.length - 1).join(" ");
    if (!Object.values(fields).some((v) => v.trim())) continue;
    if (qa) {
      const question = questionText(fields[qa.question] ?? "");
      const answer = stripAnswerMarker(fields[qa.answer] ?? "").trim();
      if (question && answer) {
        const extra = Object.fromEntries(Object.entries(fields).filter(([k, v]) => k !== qa.question && k !== qa.answer && v));
        blocks.push({
          kind: "qa",
          headingPath: [...basePath, question],
          text: answer,
          question,
          atomic: true,
          maxChars: QA_MAX_CHARS,
          ...(Object.keys(extra).length ? { fields: extra } : {}),
        });
        continue;
      }
    }
    const named = Object.entries(fields)
      .filter(([, v]) => v.trim())
      .map(([k, v]) => `${k}：${v}`);
    // A long row (a catchment list) stays whole up to the Q&A limit; split, each part keeps the row's first cell.
    blocks.push({ kind: "table-row", headingPath: [...basePath], text: named.join("｜"), fields, atomic: true, maxChars: QA_MAX_CHARS, carry: named[0]! });
  }
  return blocks;
}

/**
 * A table laid out across, in blocks: the first column names the rows (幼儿园 / 招生区域 / …), each
 * other column is one record, and every block starts again with a row of the records' names under
 * the header's first cell (`| 幼儿园 | 金悦幼儿园 | 豪庭幼儿园 |`). Catchment tables are printed so. Each
 * record becomes a row passage — `幼儿园：豪庭幼儿园｜招生区域：1.金山豪庭 2.宝华海湾城；2个小班（50人）` — so a
 * question naming a housing estate finds the kindergarten in the same passage; a row name merged
 * down over several rows joins their values. Null when the table is not of that shape: its first
 * column names no row twice, or no block starts again under the header's first cell.
 */
function acrossTableBlocks(table: PipeTable, basePath: string[]): Block[] | null {
  const [key, ...names] = table.columns;
  if (!key || names.length < 2) return null;
  // Each row's name: its first cell, or the name above it when that cell is merged down.
  const rows: Array<{ restart: boolean; name: string; cells: string[] }> = [];
  let name = "";
  for (const row of table.rows) {
    const first = (row[0] ?? "").trim();
    const restart = first === key;
    name = restart ? "" : first || name;
    rows.push({ restart, name, cells: row.slice(1).map((cell) => cell.trim()) });
  }
  const named = rows.filter((r) => !r.restart && r.cells.some(Boolean)).map((r) => r.name);
  if (!rows.some((r) => r.restart) || !named.length || named.some((n) => !n) || new Set(named).size === named.length) return null;

  const blocks: Block[] = [];
  // An empty header cell was named 列N: it names no record.
  let recordNames = names.map((column) => (/^列\d+$/.test(column) ? "" : column));
  let records: Array<Record<string, string>> = [];
  const flush = () => {
    records.forEach((fields, c) => {
      const record = recordNames[c];
      if (!record) return;
      const all = { [key]: record, ...fields };
      const text = Object.entries(all).map(([k, v]) => `${k}：${v}`);
      blocks.push({ kind: "table-row", headingPath: [...basePath], text: text.join("｜"), fields: all, atomic: true, maxChars: QA_MAX_CHARS, carry: text[0]! });
    });
    records = [];
  };
  for (const row of rows) {
    if (row.restart) {
      flush();
      recordNames = row.cells;
      continue;
    }
    row.cells.forEach((value, c) => {
      if (!value || c >= names.length) return;
      const fields = (records[c] ??= {});
      fields[row.name] = fields[row.name] ? `${fields[row.name]}；${value}` : value;
    });
  }
  flush();
  return blocks.length ? blocks : null;
}

interface OpenUnit {
  type: "article" | "qa";
  path: string[];
  lines: string[];
  question?: string;
  /** The heading rank of a numbered question: a heading at this rank or above ends its answer. */
  rank: number;
  /** The original question line, used when no answer follows. */
  line?: string;
}

/** The numbering style used by ≥ 2 question lines (`一、……？`), or null. */
function numberedQuestionStyle(lines: string[]): HeadingStyle | null {
  const counts = new Map<HeadingStyle, number>();
  for (const line of lines) {
    const match = matchHeading(line.trim());
    if (match && QUESTION_STYLES.has(match.style) && isQuestionText(match.rest)) counts.set(match.style, (counts.get(match.style) ?? 0) + 1);
  }
  let best: HeadingStyle | null = null;
  for (const [style, n] of counts) if (n >= 2 && (!best || n > counts.get(best)!)) best = style;
  return best;
}

const INLINE_ANSWER = /^(.{4,160}?[？?])\s*((?:答|A)\s*[:：].+)$/;

/** `问：…？答：…` or `3.…？答：…` on one line becomes a question line and an answer line. */
function splitInlineAnswers(lines: string[]): string[] {
  if (!lines.some((line) => /[？?]\s*(?:答|A)\s*[:：]/.test(line))) return lines;
  return lines.flatMap((line) => {
    const inline = INLINE_ANSWER.exec(line.trim());
    if (!inline || !(QUESTION_MARKER.test(inline[1]!) || matchHeading(inline[1]!))) return [line];
    return [inline[1]!, inline[2]!];
  });
}

/** Builds blocks with heading paths from cleaned body lines. `title` roots every heading path. */
export function structureDocument(bodyLines: string[], title: string): StructuredDocument {
  const lines = splitInlineAnswers(bodyLines);
  const titleLines: string[] = [];
  const blocks: Block[] = [];
  const stats: StructureStats = { headings: 0, articles: 0, tables: 0, tableRows: 0, qaPairs: 0, annexes: 0 };
  // `label`: the line of an item heading not yet written into a passage (see LABEL_RANK).
  const stack: Array<{ style: HeadingStyle; rank: number; heading: string; label?: string | undefined }> = [];
  const path = () => [title, ...stack.map((s) => s.heading)];
  /** A paragraph's text after the item labels of its open headings that no passage holds yet. */
  const labelled = (text: string) => {
    const labels: string[] = [];
    for (const s of stack) {
      if (s.label) labels.push(s.label);
      s.label = undefined;
    }
    return labels.length ? [...labels, text].join("\n") : text;
  };
  /** A table or a Q&A pair under an item heading: the heading path carries the label. */
  const consumeLabels = () => {
    for (const s of stack) s.label = undefined;
  };
  let seenBody = false;
  let open: OpenUnit | null = null;

  // 关于印发《X》的通知 … X: the enclosed document's title opens its own top-level section.
  const enclosed = lines
    .slice(0, 8)
    .map((line) => /印[发發]《(.+?)》/.exec(line)?.[1])
    .find((x): x is string => Boolean(x));
  const enclosedKey = enclosed?.replace(/\s+/g, "");
  const isRegulation = lines.filter((line) => ARTICLE_LINE.test(line.trim())).length >= 3;
  const questionStyle = numberedQuestionStyle(lines);
  const nextNonEmpty = (from: number) => {
    let j = from;
    while (j < lines.length && !lines[j]!.trim()) j++;
    return j;
  };

  const close = () => {
    if (!open) return;
    const unit = open;
    open = null;
    if (unit.type === "article") {
      blocks.push({ kind: "paragraph", headingPath: unit.path, text: unit.lines.join("\n"), atomic: true });
    } else if (unit.lines.length) {
      blocks.push({ kind: "qa", headingPath: unit.path, text: unit.lines.join("\n"), question: unit.question!, atomic: true, maxChars: QA_MAX_CHARS });
    } else {
      // A question line with no answer after it is an ordinary line.
      stats.qaPairs--;
      blocks.push({ kind: "paragraph", headingPath: unit.path.slice(0, -1), text: unit.line ?? unit.question! });
    }
  };

  /** Pops open headings that the new one closes: the same style, or an equal or lower rank. */
  const popFor = (style: HeadingStyle, rank: number) => {
    const same = stack.findIndex((s) => s.style === style && style !== "markdown");
    if (same >= 0) stack.length = same;
    while (stack.length && stack[stack.length - 1]!.rank >= rank) stack.pop();
  };

  const openQuestion = (question: string, rank: number, line: string) => {
    close();
    consumeLabels();
    stats.qaPairs++;
    open = { type: "qa", path: [...path(), question], lines: [], question, rank, line };
  };

  // Caption candidates: the line just before a pipe table.
  const captionAt = new Set<number>();
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.includes("|") || !pipeTableAt(lines, i)) continue;
    let p = i - 1;
    while (p >= 0 && !lines[p]!.trim()) p--;
    if (p >= 0) {
      const candidate = lines[p]!.trim();
      // A form line (`幼儿姓名     出生年月`) spaces out blanks to fill in: not a caption.
      if (candidate.length <= 60 && !SENTENCE_END.test(candidate) && !/[|:：]|\s{3,}/.test(candidate) && matchHeading(candidate) === null) captionAt.add(p);
    }
  }
  let caption: string | undefined;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const header = CELL.test(raw) ? tableHeaderAt(lines, i) : null;
    if (header) {
      close();
      consumeLabels();
      const table = parseTabTable(lines, i, header, path());
      blocks.push(...table.blocks);
      stats.tables++;
      stats.tableRows += table.blocks.length;
      i = table.end - 1;
      seenBody = true;
      continue;
    }
    let line = raw.trim();
    if (!line) continue;

    if (line.includes("|")) {
      const table = pipeTableAt(lines, i);
      if (table) {
        close();
        consumeLabels();
        const base = path();
        if (caption && base[base.length - 1] !== caption) base.push(caption);
        caption = undefined;
        const rows = pipeTableBlocks(table, base);
        blocks.push(...rows);
        stats.tables++;
        stats.tableRows += rows.filter((b) => b.kind === "table-row").length;
        stats.qaPairs += rows.filter((b) => b.kind === "qa").length;
        i = table.end - 1;
        seenBody = true;
        continue;
      }
    }
    if (captionAt.has(i) && !open) {
      caption = line;
      seenBody = true;
      continue;
    }
    if (caption) {
      // The caption did not head a table after all: it is text.
      blocks.push({ kind: "paragraph", headingPath: path(), text: labelled(caption) });
      caption = undefined;
    }

    const bold = WHOLE_LINE_BOLD.exec(line);
    if (bold) line = (bold[1] ?? bold[2]!).trim();
    const match = matchHeading(line);

    // Title lines: a Markdown `# 标题` or short lines before the body.
    if (!seenBody && !open) {
      if (match?.style === "markdown" && match.marker === "#" && !titleLines.length) {
        titleLines.push(match.rest);
        continue;
      }
      if (!match && !bold && isTitleLike(line)) {
        titleLines.push(line);
        continue;
      }
    }
    seenBody = true;

    // Q&A: explicit markers, a numbered question line, a bold question line, a question before 答：.
    if (open?.type === "qa" && !open.lines.length && open.rank === Number.POSITIVE_INFINITY && !/[？?]$/.test(open.question!) && /[？?]$/.test(line) && !ANSWER_MARKER.test(line) && !QUESTION_MARKER.test(line)) {
      // `问：` followed by a question that runs over two lines before its `答：`.
      open.question = `${open.question}${line}`;
      open.path = [...open.path.slice(0, -1), open.question];
      continue;
    }
    if (QUESTION_MARKER.test(line)) {
      openQuestion(questionText(line), Number.POSITIVE_INFINITY, line);
      continue;
    }
    const numberedQuestion = match && questionStyle === match.style && isQuestionText(match.rest);
    const answerFollows = isQuestionText(line) && ANSWER_MARKER.test(lines[nextNonEmpty(i + 1)]?.trim() ?? "");
    if (numberedQuestion || ((bold || answerFollows) && isQuestionText(line) && (!match || QUESTION_STYLES.has(match.style)))) {
      const rank = match ? match.rank : Number.POSITIVE_INFINITY;
      if (match) popFor(match.style, match.rank);
      openQuestion(match ? match.rest : line, rank, line);
      continue;
    }
    if (open?.type === "qa") {
      const qa: OpenUnit = open;
      const ends =
        match &&
        (match.style === "markdown" ||
          match.style === "annex" ||
          match.rank <= qa.rank ||
          // After 问：/答： pairs, a heading-only line starts a new section.
          (qa.rank === Number.POSITIVE_INFINITY && !isListItem(line, match) && !SENTENCE_END.test(line)));
      if (!ends) {
        qa.lines.push(qa.lines.length ? line : stripAnswerMarker(line));
        continue;
      }
      close();
    }

    // A regulation: one unit per 条, under its 章 and 节.
    if (isRegulation && match?.style === "article") {
      close();
      stats.articles++;
      open = { type: "article", path: path(), lines: [line], rank: match.rank };
      continue;
    }
    if (open?.type === "article") {
      if (!match || (match.rank > 3 && match.style !== "annex")) {
        open.lines.push(line);
        continue;
      }
      close();
    }

    // The annex list in the body (`附件：1.…一览表` then `2. …`): one paragraph, not headings.
    if (/^附\s*件\s*[:：]\s*\S/.test(line)) {
      const items = [line];
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j]!.trim();
        if (!next) continue;
        const item = matchHeading(next);
        if (next.length > 60 || SENTENCE_END.test(next) || !item || !["num", "annex", "num-paren"].includes(item.style)) break;
        if (item.style === "annex" && !item.rest) break;
        items.push(next);
        i = j;
      }
      blocks.push({ kind: "paragraph", headingPath: path(), text: labelled(items.join("\n")) });
      continue;
    }

    if (enclosedKey && seenBody && line.replace(/\s+/g, "") === enclosedKey && !stack.length) {
      close();
      stack.push({ style: "document", rank: ANNEX_RANK - 0.1, heading: line });
      stats.headings++;
      continue;
    }

    if (match?.style === "annex" && !isAnnexFileLine(line)) {
      let label = match.rest ? `${match.marker} ${match.rest}` : match.marker;
      if (!match.rest && match.marker !== "附件") {
        // `附件1` alone: the next short line is the annex's title.
        const j = nextNonEmpty(i + 1);
        const next = lines[j]?.trim() ?? "";
        if (next && isTitleLike(next) && !(next.includes("|") && pipeTableAt(lines, j))) {
          label = `${match.marker} ${next}`;
          captionAt.delete(j);
          i = j;
        }
      }
      while (stack.length && stack[stack.length - 1]!.rank >= ANNEX_RANK) stack.pop();
      stack.push({ style: "annex", rank: ANNEX_RANK, heading: label });
      stats.annexes++;
      stats.headings++;
      continue;
    }

    if (match && match.style !== "annex" && match.style !== "article" && match.style !== "markdown" && wrapsOnto(line, lines[nextNonEmpty(i + 1)])) {
      // `2.职业资格…期间取得的` / `书、专业技术类职业资格证书。`: an item wrapped by hand, not a heading.
      const j = nextNonEmpty(i + 1);
      if (stack.some((s) => s.style === match.style)) popFor(match.style, match.rank);
      blocks.push({ kind: "paragraph", headingPath: path(), text: labelled(`${line}${lines[j]!.trim()}`) });
      i = j;
      continue;
    }
    if (match && match.style !== "annex" && match.style !== "article" && isListItem(line, match)) {
      // A list item closes the open headings of its own level (a sibling `（五）…。` ends `（三）`), then is text.
      if (stack.some((s) => s.style === match.style)) popFor(match.style, match.rank);
    } else if (match && match.style !== "annex" && match.style !== "article") {
      if (match.style === "markdown") {
        popFor("markdown", match.rank);
        stack.push({ style: "markdown", rank: match.rank, heading: match.rest });
        stats.headings++;
        continue;
      }
      popFor(match.style, match.rank);
      const { heading, body } = splitHeadingLine(line.replace(/[:：]$/, ""));
      stack.push({ style: match.style, rank: match.rank, heading, label: !body && match.rank >= LABEL_RANK ? line : undefined });
      stats.headings++;
      if (body) blocks.push({ kind: "paragraph", headingPath: path(), text: labelled(body) });
      continue;
    }
    blocks.push({ kind: "paragraph", headingPath: path(), text: labelled(line) });
  }
  close();
  if (caption) blocks.push({ kind: "paragraph", headingPath: path(), text: caption });
  return { titleLines, blocks, stats };
}
