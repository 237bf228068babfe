/**
 * How alike two questions are, by the one scoring module's coverage of each by the other
 * (expansions count at their weight, so 老师 meets 教师). Used to reuse an official Q&A pair's
 * answer and a staff-curated answer for a paraphrase.
 */
import { coverage, scoringTerms, type TermStatistics } from "./scoring.js";
import type { AnalyzedQuestion } from "./types.js";

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
