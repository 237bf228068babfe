/**
 * Sentence splitting for Chinese text. A sentence ends at 。！？!? (with any closing quotes or
 * brackets that follow) or at a semicolon when `semicolons` is set; the terminator stays with its
 * sentence, so joining the pieces gives back the input exactly.
 */
/**
 * A bracketed note right after a sentence's end annotates that sentence: "…可到松江区辅读学校咨询或登记。
 * （地址：松江区小昆山镇大港浦港路108号）" — the address is the sentence's, not a sentence of its own.
 * Only a note that ends its line: one followed by more text on the line (可以登记。（外省市户籍）幼儿家长须…)
 * labels what follows. Not an enumerator (（二）…), which opens the next sentence.
 */
const NOTE = String.raw`(?:[ \t\u3000]*[（(](?![一二三四五六七八九十\d]{1,3}[）)])[^（）()。！？!?\n]{2,80}[）)](?=[ \t\u3000]*(?:\n|$)))?`;
const END = new RegExp(String.raw`[。！？!?]+[”’」』）)]*${NOTE}|[;；]`, "g");
const END_NO_SEMICOLON = new RegExp(String.raw`[。！？!?]+[”’」』）)]*${NOTE}`, "g");

export function splitSentences(text: string, options: { semicolons?: boolean } = {}): string[] {
  const pattern = options.semicolons ? END : END_NO_SEMICOLON;
  const sentences: string[] = [];
  let cursor = 0;
  for (const match of text.matchAll(pattern)) {
    const end = (match.index ?? 0) + match[0].length;
    // A decimal point or an abbreviation never ends a sentence: only CJK/ASCII terminators are matched.
    sentences.push(text.slice(cursor, end));
    cursor = end;
  }
  if (cursor < text.length) sentences.push(text.slice(cursor));
  return sentences.filter((s) => s.trim() !== "");
}

/** A line this short that ends in no punctuation can be a label of the line after it. */
const LABEL_LINE = 40;
/** Punctuation a statement (not a label) ends with. */
const STATEMENT_END = /[。；;!?！？：:，,、」』”]$/;
/** A line that opens with its own label (发文字号：…, 落款：…), not with a time (8:30). */
const KEY_VALUE = /^[^，。；：:]{1,12}[：:](?!\d)/;

/**
 * A passage's lines, a label line joined to the line it labels: in "阶段二：报名验证（5月11日-5月12日）"
 * followed by "上午8:30-11:30，下午12:30-15:30。" the times belong to the stage, and read apart, the
 * second line says nothing of what it is about. A label is short and ends in no punctuation; a line
 * with a label of its own (落款：…) or a table row (｜) is never another line's item, nor a label.
 * The two keep their line break between them, so the joined text is still the source's.
 */
export function labelledLines(text: string): string[] {
  const out: string[] = [];
  let label: string | undefined;
  for (const line of text.split("\n")) {
    const row = line.includes("｜");
    if (label !== undefined) {
      if (!row && !KEY_VALUE.test(line) && line.trim()) {
        out.push(`${label}\n${line}`);
        label = undefined;
        continue;
      }
      out.push(label);
      label = undefined;
    }
    const trimmed = line.trim();
    if (!row && trimmed.length > 0 && trimmed.length <= LABEL_LINE && !STATEMENT_END.test(trimmed) && !/[。！？!?；;]/.test(trimmed)) {
      label = line;
      continue;
    }
    out.push(line);
  }
  if (label !== undefined) out.push(label);
  return out;
}
