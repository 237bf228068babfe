/**
 * What makes a question-and-answer pair in the handbook formats bureaus publish: `问：…` / `答：…`
 * (also `问:`, `Q:`/`A:`, `【问】`), a numbered question line (`一、……？`, `3. ……？`) followed by its answer
 * paragraphs, a wholly bold question line on a web page, and a table with 问题/答案 columns.
 */

/** `问：`, `問:`, `Q:`, `Q1.`, `【问】`, `问题：` at the start of a line. */
export const QUESTION_MARKER = /^(?:(?:问|問|提问|提問|问题|問題|Q\d{0,3})\s*[:：]|Q\d{1,3}[.．、]|【[问問]】)\s*/i;
/** `答：`, `A:`, `【答】`, `回答：`, `答复：` at the start of a line. */
export const ANSWER_MARKER = /^(?:(?:答|A\d{0,3}|回答|答复|答覆|解答)\s*[:：]|【答】)\s*/i;

/** A question is one short line ending with a question mark. */
export function isQuestionText(text: string): boolean {
  const t = text.trim();
  return t.length >= 4 && t.length <= 160 && /[？?]\s*$/.test(t);
}

export function stripAnswerMarker(line: string): string {
  return line.replace(ANSWER_MARKER, "");
}

/** The question and answer columns of a table, when it is a Q&A sheet (问题/答案, optional 来源/日期). */
export function qaColumns(columns: string[]): { question: string; answer: string } | null {
  const question = columns.find((c) => /^(?:问题|問題|问|問|提问|提問|咨询问题|常见问题|question)$/i.test(c.trim()));
  const answer = columns.find((c) => /^(?:答案|答|回答|答复|答覆|解答|回复|answer)$/i.test(c.trim()));
  return question && answer ? { question, answer } : null;
}

const NUMBERING = /^(?:\d{1,3}(?:[.．、](?!\d)|[.．](?=(?:19|20)\d{2}年)|[)）])|[（(][\d一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[①-⑳㈠-㈩⑴-⒇])\s*/;

/** The question without its numbering or 问： marker. */
export function questionText(text: string): string {
  return text.trim().replace(QUESTION_MARKER, "").replace(NUMBERING, "").trim();
}
