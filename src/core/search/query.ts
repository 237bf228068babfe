import { foldForMatching } from "../text/fold.js";
import { conceptsIn, SYNONYM_GROUPS, synonymsOf } from "./synonyms.js";
import type { Tokenize } from "./tokenizer.js";

export interface AnalyzedQuery {
  text: string;
  folded: string;
  /** The question's own tokens. */
  tokens: string[];
  /** Tokens plus synonym expansions, with weights (1 for own tokens). */
  weighted: Map<string, number>;
  /** Years the question names (2021年, 2024年度). */
  years: number[];
}

export const SYNONYM_WEIGHT = 0.5;

/** Years named in a question: 2021年, 2021年度, 二〇二一年 is rare in questions and not handled. */
export function yearsIn(text: string): number[] {
  const years = new Set<number>();
  for (const match of foldForMatching(text).matchAll(/(?<!\d)((?:19|20)\d{2})(?=\s*年)/g)) years.add(Number(match[1]));
  return [...years];
}

/** Tokenize a question and expand it with the domain synonym table. */
export function analyzeQuery(text: string, tokenize: Tokenize): AnalyzedQuery {
  const folded = foldForMatching(text);
  const tokens = tokenize(text);
  const weighted = new Map<string, number>();
  for (const token of tokens) weighted.set(token, 1);
  const expand = (term: string) => {
    for (const synonym of synonymsOf(term)) {
      for (const t of tokenize(synonym)) if (!weighted.has(t)) weighted.set(t, SYNONYM_WEIGHT);
    }
  };
  for (const token of tokens) expand(token);
  for (const concept of conceptsIn(folded)) {
    const group = SYNONYM_GROUPS.find((g) => g[0] === concept);
    if (group) for (const term of group) expand(term);
  }
  return { text, folded, tokens, weighted, years: yearsIn(text) };
}
