import { findRedactions } from "../text/clean/redaction.js";
import { foldForMatching } from "../text/fold.js";
import type { Answer } from "../answer/types.js";
import { verifyFigures, type FigureSource } from "../answer/verify.js";
import { squeezeForMatching, type EvalItem } from "./eval-set.js";

export interface AnswerCheck {
  /** null when the item lists no figures. */
  figuresOk: boolean | null;
  missingFigures: string[];
  /** null for refusals (faithfulness is measured on grounded answers). */
  faithful: boolean | null;
  unsupportedFigures: string[];
  refusalOk: boolean;
  /** null when the item lists no terms. */
  termsOk: boolean | null;
  missingTerms: string[];
  /** null unless the item is a redaction question. */
  redactionOk: boolean | null;
  /** null when the item lists neither figures nor terms: the answer's first sentence carries one of them. */
  firstSentenceOk: boolean | null;
}

/** The answer's first sentence (up to the first 。！？ or line end), where the hotline operator starts reading. */
export function firstSentence(answer: string): string {
  const body = answer.split("\n")[0] ?? "";
  // A bare yes/no lead (可以。) belongs with the sentence after it.
  const match = /^(?:[^。！？!?]{0,4}[。！？!?])?[^。！？!?]*[。！？!?]?/.exec(body);
  return match?.[0] ?? body;
}

/**
 * Whether an answer says that a figure is not public: 未公开 in either script (a Traditional
 * question's answer says 未公開), or the English frame's "does not publish".
 */
export function statesUndisclosed(answer: string): boolean {
  return foldForMatching(answer).includes("未公开") || /\bdoes not publish\b/i.test(answer);
}

/** Scores one answer against one evaluation item. `sources` are the cited passages (folded). */
export function checkAnswer(item: EvalItem, answer: Answer, sources: FigureSource[], refused = !answer.grounded): AnswerCheck {
  // Spaces inside a quoted figure are the source's own (2026年 4月 20 日): compared without them.
  const folded = squeezeForMatching(answer.answer);
  const missingFigures = item.figures.filter((f) => !folded.includes(squeezeForMatching(f)));
  const verification = answer.grounded ? verifyFigures(answer.answer, sources) : null;
  const missingTerms = (item.terms ?? []).filter((t) => !folded.includes(squeezeForMatching(t)));
  const expectRefusal = item.kind === "out_of_scope";
  const lead = foldForMatching(firstSentence(answer.answer));
  const expected = [...item.figures, ...(item.terms ?? [])].map(foldForMatching);
  return {
    figuresOk: item.figures.length ? missingFigures.length === 0 : null,
    missingFigures,
    faithful: verification ? verification.ok : null,
    unsupportedFigures: verification ? verification.unsupported.map((f) => f.text) : [],
    // A partial item (an in-domain question whose detail the documents lack) expects a reply that quotes
    // the related passages, not a bare refusal; it may be logged as unanswered (not-stated) all the same.
    refusalOk: item.kind === "partial" ? answer.grounded : refused === expectRefusal,
    // An item that expects a refusal is judged by the refusal alone: terms some set writers put on
    // out-of-scope items name the topic refused (系统提示词, 预防接种), not words an answer must carry.
    termsOk: item.terms?.length && !expectRefusal ? missingTerms.length === 0 : null,
    missingTerms,
    redactionOk: item.kind === "redacted" ? answer.grounded && statesUndisclosed(answer.answer) && findRedactions(answer.answer).length === 0 : null,
    firstSentenceOk: expected.length && !refused ? expected.some((e) => lead.includes(e)) : null,
  };
}

export interface AnswerScores {
  figureAccuracy: number;
  faithfulness: number;
  refusalAccuracy: number;
  termsPassed: number;
  termsTotal: number;
  redactionPassed: number;
  redactionTotal: number;
  /** Share of answers whose first sentence carries an expected figure or term. */
  firstSentence: number;
  /** Share of questions for which every check passes. */
  allPassed: number;
}

const share = (values: Array<boolean | null>) => {
  const counted = values.filter((v): v is boolean => v !== null);
  return counted.length ? counted.filter(Boolean).length / counted.length : 1;
};

export function answerScores(checks: AnswerCheck[]): AnswerScores {
  const terms = checks.map((c) => c.termsOk).filter((v): v is boolean => v !== null);
  const redaction = checks.map((c) => c.redactionOk).filter((v): v is boolean => v !== null);
  return {
    figureAccuracy: share(checks.map((c) => c.figuresOk)),
    faithfulness: share(checks.map((c) => c.faithful)),
    refusalAccuracy: share(checks.map((c) => c.refusalOk)),
    termsPassed: terms.filter(Boolean).length,
    termsTotal: terms.length,
    redactionPassed: redaction.filter(Boolean).length,
    redactionTotal: redaction.length,
    firstSentence: share(checks.map((c) => c.firstSentenceOk)),
    allPassed: checks.length ? checks.filter((c) => passes(c)).length / checks.length : 1,
  };
}

/** Every answer check of one question passes (the first-sentence measure is reported, not required). */
export function passes(c: AnswerCheck): boolean {
  return c.figuresOk !== false && c.faithful !== false && c.refusalOk && c.termsOk !== false && c.redactionOk !== false;
}
