import type { AnalysisSummary } from "../question/explain.js";
import type { Script } from "../types.js";

export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}

export interface Citation {
  n: number;
  passageId: string;
  docId: string;
  title: string;
  year: number | null;
  section: string;
  /** The cited sentence(s), in the source's cleaned original text and script. */
  quote: string;
}

/** The answer contract shared by the CLI, the HTTP API and the widget. */
export interface Answer {
  answer: string;
  grounded: boolean;
  citations: Citation[];
  /** extractive / llm: composed; official: a Q&A pair's own answer; curated: a hotline staff answer. */
  mode: "extractive" | "llm" | "official" | "curated";
  script: Script;
  /** The documents do not state the asked detail: the answer says so and quotes what they do say. */
  partial?: boolean;
  /** Set for an English question: the frame is English around the verbatim Chinese quotes. */
  language?: "en";
}

/** Why an answer looks the way it does: logged and used by the evaluation, never shown to users. */
export interface AnswerTrace {
  rewrittenQuestion: string;
  /**
   * Why the question was refused or went unanswered: the scope decision's (injection, off-domain,
   * other-place), nothing retrieved on its topic, a figure the documents do not state (not-stated: a
   * charge they never name is refused outright; otherwise the reply is a partial answer quoting the
   * related sentences), or a year they do not cover (year-not-covered: the reply still quotes what they
   * say of other years).
   */
  refusal?: "injection" | "off-domain" | "other-place" | "no-topic" | "no-passages" | "not-stated" | "year-not-covered";
  /**
   * What the documents lack of what was asked (数字, 时间, 内容, a year) and why, as the trace prints it: the
   * reply is a partial answer, or a refusal naming the word when the asked charge is one they never use.
   */
  partial?: { detail: string; reason: string };
  /** The analysed question, as the trace (--explain, ?debug=1) prints it. */
  analysis?: AnalysisSummary;
  confidence: number;
  fallback?: string;
  /** The fallback's cause as a bounded label (metrics). */
  fallbackKind?: "verification" | "llm-error";
  removedFigures: string[];
}
