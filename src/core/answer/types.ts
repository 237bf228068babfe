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
  mode: "extractive" | "llm";
  script: Script;
}

/** Why an answer looks the way it does: logged and used by the evaluation, never shown to users. */
export interface AnswerTrace {
  rewrittenQuestion: string;
  refusal?: "injection" | "off-topic" | "low-confidence" | "no-passages" | "other-place" | "unknown-topic";
  /** The informative word the corpus never mentions, for unknown-topic refusals. */
  unknownTerm?: string;
  confidence: number;
  fallback?: string;
  /** The fallback's cause as a bounded label (metrics). */
  fallbackKind?: "verification" | "llm-error";
  removedFigures: string[];
}
