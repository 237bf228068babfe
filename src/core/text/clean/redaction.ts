import type { Redaction } from "../../types.js";

/**
 * Anonymised placeholders: `xx市`, `xxxx所`, `xx.xx万人`, `x.x亿元`. They look like figures to a
 * careless reader, so they are recorded as redactions and never treated as numbers downstream.
 * A run of x that is part of a Latin word (e.g. `box`, `xlsx`) is not a redaction.
 */
const REDACTION = /(?<![A-Za-z])[xX]{1,6}(?:\.[xX]{1,4})?(?![A-Za-z])/g;

export function findRedactions(text: string): Redaction[] {
  const found: Redaction[] = [];
  for (const match of text.matchAll(REDACTION)) {
    const start = match.index ?? 0;
    found.push({ start, end: start + match[0].length, text: match[0] });
  }
  return found;
}

/** True when the text contains an anonymised placeholder. */
export function hasRedaction(text: string): boolean {
  REDACTION.lastIndex = 0;
  return new RegExp(REDACTION.source).test(text);
}
