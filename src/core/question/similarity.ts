/**
 * How alike two questions are: the cosine of their analysed terms, each weighted by the index's
 * IDF times its weight in the question (expansions count at their weight, so 老师 meets 教师).
 * Used to reuse an official Q&A pair's answer and a staff-curated answer for a paraphrase.
 */
import { coverage, scoringTerms, termIdf, type TermStatistics } from "./scoring.js";
import type { AnalyzedQuestion } from "./types.js";

const YEAR_TOKEN = /^(?:19|20)\d{2}年?$/;

/** The question as a weighted term vector. Years are left out: they are checked separately. */
export function questionVector(question: Pick<AnalyzedQuestion, "weighted">, stats: TermStatistics): Map<string, number> {
  const vector = new Map<string, number>();
  for (const [term, weight] of question.weighted) {
    if (YEAR_TOKEN.test(term)) continue;
    vector.set(term, termIdf(stats, term) * weight);
  }
  return vector;
}

export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
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
 * Above this pair similarity a question asks what a stored question asks, provided the best stored
 * question leads the next by SAME_QUESTION_MARGIN. Calibrated on paraphrases of real Q&A pairs
 * written by a helper who never read the code, precision first (a wrong official answer is worse
 * than a composed one): `npm run calibrate:official` prints precision and recall per setting.
 */
export const SAME_QUESTION_THRESHOLD = 0.4;
export const SAME_QUESTION_MARGIN = 0.2;

/**
 * How well a question matches a stored question-and-answer: the harmonic mean of (a) the share of
 * the asked question's terms (IDF-weighted, expansions at their weight) that the stored question
 * and its answer hold, and (b) the share of the stored question's terms that the asked question
 * holds (with its expansions). A paraphrase scores high on both; a question that shares the topic
 * but asks something else (保育费 vs 入园) misses on (a); a broader one misses on (b).
 */
export function pairSimilarity(asked: AnalyzedQuestion, stored: AnalyzedQuestion, storedAnswerFolded: string, stats: TermStatistics): number {
  const a = coverage(`${stored.folded} ${storedAnswerFolded}`, scoringTerms(asked, stats, { countUnknown: true }));
  const askedText = `${asked.folded} ${[...asked.weighted.keys()].join(" ")}`;
  const b = coverage(askedText, scoringTerms(stored, stats, { countUnknown: true }));
  return a + b ? (2 * a * b) / (a + b) : 0;
}
