import { stripSourcesLine } from "../widget/answer-text.js";

export interface SourceRef {
  n: number;
  title: string;
  year: number | null;
  section: string;
}

/**
 * The answer as a hotline operator reads it to a caller: citation markers dropped, the source list
 * turned into a sentence naming each document, its year and section (› read as 「中的」).
 */
export function formatForReadingAloud(question: string, answer: string, citations: SourceRef[]): string {
  const body = stripSourcesLine(answer)
    .replace(/\s*\[\d{1,2}\]/g, "")
    .trim();
  const seen = new Set<string>();
  const sources: string[] = [];
  for (const c of citations) {
    const key = `${c.title}|${c.section}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const section = c.section ? `“${c.section.split(/\s*›\s*/).join("”中的“")}”部分` : "";
    sources.push(`《${c.title}》${c.year ? `（${c.year}年）` : ""}${section}`);
  }
  const lines = [`问：${question.trim()}`, `答：${body}`];
  if (sources.length) lines.push(`以上内容依据${sources.join("；")}。`);
  return lines.join("\n");
}
