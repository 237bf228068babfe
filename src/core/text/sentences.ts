/**
 * Sentence splitting for Chinese text. A sentence ends at 。！？!? (with any closing quotes or
 * brackets that follow) or at a semicolon when `semicolons` is set; the terminator stays with its
 * sentence, so joining the pieces gives back the input exactly.
 */
const END = /[。！？!?]+[”’」』）)]*|[;；]/g;
const END_NO_SEMICOLON = /[。！？!?]+[”’」』）)]*/g;

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
