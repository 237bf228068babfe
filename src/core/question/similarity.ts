/**
 * How alike two questions are, by the one scoring module's coverage of each by the other
 * (expansions count at their weight, so 老师 meets 教师). Used to reuse an official Q&A pair's
 * answer and a staff-curated answer for a paraphrase.
 */
import { CHILD_WORDS } from "./analyze.js";
import { coverage, scoringTerms, type ScoringTerm, type TermStatistics } from "./scoring.js";
import type { AnalyzedQuestion } from "./types.js";

/**
 * Above this pair similarity a question asks what a stored question asks, provided the best stored
 * question leads the next by SAME_QUESTION_MARGIN. Calibrated on paraphrases of real Q&A pairs
 * written by a helper who never read the code, precision first (a wrong official answer is worse
 * than a composed one): `npm run calibrate:official` prints precision and recall per setting.
 */
export const SAME_QUESTION_THRESHOLD = 0.45;
/**
 * A staff-curated answer's threshold (not strict): its variants are the questions staff saw people
 * ask, and a paraphrase that adds 孩子 to 转学要准备哪些材料 still asks the same.
 */
export const CURATED_THRESHOLD = 0.4;
/** Factor on a pair's similarity when the asked question names something the stored pair does not. */
const UNANSWERED_FACTOR = 0.5;
export const SAME_QUESTION_MARGIN = 0.2;

/**
 * Two questions compared: a synonym beside the word (学费 with its 学杂费) is further evidence that they
 * ask the same, so expansions add to their word here rather than standing in for it (ScoringTerm.from).
 * Measured (npm run calibrate:official, threshold 0.45): standing in, recall fell from 12 to 10 of 46
 * with no near-miss or unrelated question kept out that was not already.
 */
function alongside(terms: ScoringTerm[]): ScoringTerm[] {
  return terms.map(({ from: _from, part: _part, ...term }) => term);
}

/**
 * How well a question matches a stored question-and-answer: the harmonic mean of (a) the share of
 * the asked question's terms (IDF-weighted, expansions at their weight) that the stored question
 * and its answer hold, and (b) the share of the stored question's terms that the asked question
 * holds (with its expansions). A paraphrase scores high on both; a question that shares the topic
 * but asks something else (保育费 vs 入园) misses on (a); a broader one misses on (b).
 */
export function pairSimilarity(asked: AnalyzedQuestion, stored: AnalyzedQuestion, storedAnswerFolded: string, stats: TermStatistics, options: { strict?: boolean } = {}): number {
  const storedText = `${stored.folded} ${storedAnswerFolded}`;
  const a = coverage(storedText, alongside(scoringTerms(asked, stats, { countUnknown: true })));
  const askedText = `${asked.folded} ${[...asked.weighted.keys()].join(" ")}`;
  const b = coverage(askedText, alongside(scoringTerms(stored, stats, { countUnknown: true })));
  const similarity = a + b ? (2 * a * b) / (a + b) : 0;
  if (!options.strict) return similarity;
  // Strict (a document's own Q&A pair, which no one at the bureau chose for this question): a word
  // of the asked question that the corpus knows and the stored question and answer lack,
  // with none of its expansions either, is something asked that the stored answer does not speak of
  // (入园 vs 保育费, 幼儿园 vs 小学): such a pair is at most half as close, whatever else they share.
  // Measured on the paraphrase set (npm run calibrate:official): with the threshold at 0.45 no
  // unrelated or near-miss question gets an official answer (5 of 38 did without this), at the cost
  // of everyday paraphrases whose words the pair does not use. The parent's word for the child
  // (孩子, 宝宝 for the pair's 幼儿) is who every question here is about, not something else asked:
  // it recalls one more pair of the 46 and serves none of the 38 others (npm run calibrate:official).
  const unanswered = asked.terms.some(
    (t) =>
      t.source === "question" &&
      t.term.length >= 2 &&
      !CHILD_WORDS.includes(t.term) &&
      stats.documentFrequency(t.term) > 0 &&
      !storedText.includes(t.term) &&
      !asked.expansions.some((e) => e.from === t.term && storedText.includes(e.term)),
  );
  return unanswered ? similarity * UNANSWERED_FACTOR : similarity;
}
