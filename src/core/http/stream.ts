import type { Answer } from "../answer/types.js";

/** The answer object of the HTTP API: the answerer's answer plus an id that feedback refers to. */
export type ApiAnswer = Answer & { answerId: string };

/**
 * Splits an answer into streaming deltas at clause boundaries, so a widget can render it as it
 * arrives. Citation markers ([1]) are never split, and the pieces concatenate to the exact text.
 */
export function answerDeltas(text: string, target = 24): string[] {
  const pieces: string[] = [];
  let current = "";
  const tokens = text.match(/\[\d+\]|[\s\S]/gu) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    current += tokens[i];
    const next = tokens[i + 1];
    const boundary = /[，。；：！？,;\n]$/.test(current) && !(next && /^\[\d+\]$/.test(next));
    if ((boundary && current.length >= target / 2) || current.length >= target * 2) {
      pieces.push(current);
      current = "";
    }
  }
  if (current) pieces.push(current);
  return pieces;
}
