// Question words that match everywhere and say nothing about the topic.
const FILLER = new Set(["多少", "什么", "怎么", "怎样", "如何", "哪些", "是否", "可以", "能否", "有没有", "是不是", "请问", "一下", "我们", "孩子", "学校", "全市"]);

/**
 * The query's substrings (≥ 2 characters) that occur in the text, longest first: a tokenizer-free
 * way to show staff why a passage matched (the browser has no jieba). Greedy from each position.
 */
export function matchedTerms(query: string, text: string): string[] {
  const terms = new Set<string>();
  // A figure with its unit (2024年, 22所) is one chunk, so a match never runs on into the next word.
  for (const chunk of query.match(/\d+(?:\.\d+)?[%年月日所个万元名项]?|[^\d\s\p{P}]+/gu) ?? []) addMatches([...chunk], text, terms);
  return [...terms].sort((a, b) => b.length - a.length);
}

function addMatches(q: string[], text: string, terms: Set<string>): void {
  let i = 0;
  while (i < q.length) {
    let best = "";
    for (let j = q.length; j >= i + 2; j--) {
      const candidate = q.slice(i, j).join("");
      if (text.includes(candidate)) {
        best = candidate;
        break;
      }
    }
    if (best && !FILLER.has(best)) {
      terms.add(best);
      i += [...best].length;
    } else i++;
  }
}

export type Segment = { text: string; hit: boolean };

/** Splits text into plain and highlighted runs for the given terms (longest match wins at each point). */
export function highlightSegments(text: string, terms: string[]): Segment[] {
  if (!terms.length) return [{ text, hit: false }];
  const escaped = [...terms].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(escaped.join("|"), "g");
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) segments.push({ text: text.slice(last, match.index), hit: false });
    segments.push({ text: match[0], hit: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), hit: false });
  return segments;
}
