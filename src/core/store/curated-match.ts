import { foldForMatching } from "../text/fold.js";
import { localDay, BUREAU_UTC_OFFSET_MINUTES } from "./date-range.js";
import type { QuestionTerms } from "./question-clusters.js";
import type { CuratedVersion } from "./types.js";

export interface CuratedMatch {
  answer: CuratedVersion;
  /** 1 for a question variant equal to the question (after folding), else the best cosine. */
  similarity: number;
  /** The question variant that matched. */
  variant: string;
}

/** Folded, with punctuation and spaces gone: 幼升小怎么报名？ and 幼升小 怎么报名 are the same question. */
function canonical(text: string): string {
  return foldForMatching(text).replace(/[\s\p{P}\p{S}]+/gu, "");
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, w] of a) {
    na += w * w;
    dot += w * (b.get(t) ?? 0);
  }
  for (const w of b.values()) nb += w * w;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * The live curated answer for a question, for the chat path: a question variant equal to the
 * question (Simplified/Traditional, width and punctuation folded), else the variant with the highest
 * cosine of weighted terms when it reaches `threshold` (calibrate it on paraphrases, precision first:
 * a wrong curated answer is worse than a composed one). Pass `liveCurated(today).live` as `live`.
 */
export function findCuratedAnswer(question: string, live: CuratedVersion[], questionTerms: QuestionTerms, threshold: number): CuratedMatch | undefined {
  const asked = canonical(question);
  for (const answer of live) {
    const variant = answer.questions.find((q) => canonical(q) === asked);
    if (variant) return { answer, similarity: 1, variant };
  }
  const terms = questionTerms(question);
  let best: CuratedMatch | undefined;
  for (const answer of live) {
    for (const variant of answer.questions) {
      const similarity = cosine(terms, questionTerms(variant));
      if (similarity >= threshold && (!best || similarity > best.similarity)) best = { answer, similarity, variant };
    }
  }
  return best;
}

/** The line a curated answer is served with: 本答案经人工审核（2026-12-04）, the day its version was approved. */
export function curatedReviewLine(answer: CuratedVersion, offsetMinutes = BUREAU_UTC_OFFSET_MINUTES): string {
  return `本答案经人工审核（${localDay(new Date(answer.time), offsetMinutes)}）`;
}
