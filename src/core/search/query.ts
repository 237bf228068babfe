import { foldForMatching } from "../text/fold.js";
import type { Tokenize } from "./tokenizer.js";

/** The part of an analysed question that keyword search reads: the question's terms with weights. */
export interface AnalyzedQuery {
  text: string;
  folded: string;
  tokens: string[];
  weighted: Map<string, number>;
  years: number[];
}

/** Years named as digits (2021年, 2021年度): what a benchmark's scaler rewrites. */
export function yearsIn(text: string): number[] {
  const years = new Set<number>();
  for (const match of foldForMatching(text).matchAll(/(?<!\d)((?:19|20)\d{2})(?=\s*年)/g)) years.add(Number(match[1]));
  return [...years];
}

/** Plain tokens at weight 1, no knowledge: for measuring the keyword index on its own. */
export function analyzeQuery(text: string, tokenize: Tokenize): AnalyzedQuery {
  const tokens = tokenize(text);
  return { text, folded: foldForMatching(text), tokens, weighted: new Map(tokens.map((t) => [t, 1])), years: yearsIn(text) };
}
