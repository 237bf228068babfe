// Question words that match everywhere and say nothing about the topic.
const FILLER = new Set(["多少", "什么", "怎么", "怎样", "如何", "哪些", "是否", "可以", "能否", "有没有", "是不是", "请问", "一下", "我们", "孩子", "学校", "全市", "青岛", "青岛市"]);

/**
 * The query's substrings (≥ 2 characters) that occur in the text, longest first: a tokenizer-free
 * way to show staff why a passage matched (the browser has no jieba). Greedy from each position.
 */
export function matchedTerms(query: string, text: string): string[] {
  const q = [...query.replace(/\s+/g, "")];
  const terms = new Set<string>();
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
    if (best && !FILLER.has(best) && !/^[\p{P}\p{S}]+$/u.test(best)) {
      terms.add(best);
      i += [...best].length;
    } else i++;
  }
  return [...terms].sort((a, b) => b.length - a.length);
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
