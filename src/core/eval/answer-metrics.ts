import { findRedactions } from "../text/clean/redaction.js";
import { foldForMatching } from "../text/fold.js";
import type { Answer } from "../answer/types.js";
import { verifyFigures, type FigureSource } from "../answer/verify.js";
import type { EvalItem } from "./eval-set.js";

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
}

/** Scores one answer against one evaluation item. `sources` are the cited passages (folded). */
export function checkAnswer(item: EvalItem, answer: Answer, sources: FigureSource[]): AnswerCheck {
  const folded = foldForMatching(answer.answer);
  const missingFigures = item.figures.filter((f) => !folded.includes(foldForMatching(f)));
  const verification = answer.grounded ? verifyFigures(answer.answer, sources) : null;
  const missingTerms = (item.terms ?? []).filter((t) => !answer.answer.includes(t));
  const expectGrounded = item.kind !== "out_of_scope";
  return {
    figuresOk: item.figures.length ? missingFigures.length === 0 : null,
    missingFigures,
    faithful: verification ? verification.ok : null,
    unsupportedFigures: verification ? verification.unsupported.map((f) => f.text) : [],
    refusalOk: answer.grounded === expectGrounded,
    termsOk: item.terms?.length ? missingTerms.length === 0 : null,
    missingTerms,
    redactionOk: item.kind === "redacted" ? answer.grounded && answer.answer.includes("未公开") && findRedactions(answer.answer).length === 0 : null,
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
  };
}
