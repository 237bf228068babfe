import { withoutMaskedData } from "../text/mask-pii.js";
import type { LoggedQuestion } from "./types.js";

/** Weighted terms of a question, from the question analysis (term → weight). */
export type QuestionTerms = (question: string) => Map<string, number>;

export interface QuestionCluster {
  /** The member question closest to the cluster's centre. */
  representative: string;
  count: number;
  /** Distinct member questions, most frequent first (at most `maxExamples`). */
  examples: string[];
  firstSeen: string;
  lastSeen: string;
  /** Mode of the most recent answer in the cluster (refused, extractive, curated …). */
  lastAnswerMode: string;
}

export interface ClusterOptions {
  /** Cosine similarity to a cluster's centre at which a question joins it. */
  threshold?: number;
  maxExamples?: number;
}

/**
 * Chosen on hotline-style paraphrase pairs with IDF-weighted tokenizer terms (test/store/question-clusters.test.ts):
 * same-intent pairs sharing their key words score 0.50–0.88, different questions on neighbouring
 * topics 0.32–0.39. Terms with synonym expansions score paraphrases higher: re-check it with them.
 */
export const DEFAULT_CLUSTER_THRESHOLD = 0.45;

type Vector = Map<string, number>;

function normalised(terms: Vector): Vector {
  let norm = 0;
  for (const w of terms.values()) norm += w * w;
  norm = Math.sqrt(norm);
  const out: Vector = new Map();
  if (norm === 0) return out;
  for (const [t, w] of terms) if (w > 0) out.set(t, w / norm);
  return out;
}

function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [t, w] of small) sum += w * (large.get(t) ?? 0);
  return sum;
}

interface Building {
  /** Sum of the members' unit vectors; its direction is the centre. */
  sum: Vector;
  members: { question: LoggedQuestion; vector: Vector }[];
}

function centreSimilarity(cluster: Building, vector: Vector): number {
  let norm = 0;
  for (const w of cluster.sum.values()) norm += w * w;
  return norm === 0 ? 0 : dot(cluster.sum, vector) / Math.sqrt(norm);
}

/**
 * Greedy single-pass clustering of questions by the cosine of their weighted terms: each question
 * (oldest first) joins the cluster whose centre it is most similar to when that similarity reaches
 * the threshold, otherwise it starts a new cluster. Identical questions always share a cluster, also
 * when analysis leaves them no terms (all stop words). Largest clusters first, then most recent.
 * Greedy is O(questions × clusters), plenty for a log of months; no embedding service is needed.
 */
export function clusterQuestions(questions: LoggedQuestion[], questionTerms: QuestionTerms, options: ClusterOptions = {}): QuestionCluster[] {
  const threshold = options.threshold ?? DEFAULT_CLUSTER_THRESHOLD;
  const maxExamples = options.maxExamples ?? 5;
  const clusters: Building[] = [];
  const byText = new Map<string, Building>();
  const vectors = new Map<string, Vector>();
  const ordered = [...questions].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.seq - b.seq));

  for (const question of ordered) {
    const text = question.question.trim();
    let vector = vectors.get(text);
    if (!vector) {
      // Masked names and numbers (and their 我叫 / 电话 cues) say nothing about what was asked.
      vector = normalised(questionTerms(withoutMaskedData(text)));
      vectors.set(text, vector);
    }
    let target = byText.get(text);
    if (!target && vector.size) {
      let best = threshold;
      for (const cluster of clusters) {
        const similarity = centreSimilarity(cluster, vector);
        if (similarity >= best) {
          best = similarity;
          target = cluster;
        }
      }
    }
    if (!target) {
      target = { sum: new Map(), members: [] };
      clusters.push(target);
    }
    byText.set(text, target);
    target.members.push({ question, vector });
    for (const [t, w] of vector) target.sum.set(t, (target.sum.get(t) ?? 0) + w);
  }

  const result = clusters.map((cluster): QuestionCluster => {
    const counts = new Map<string, number>();
    for (const m of cluster.members) counts.set(m.question.question.trim(), (counts.get(m.question.question.trim()) ?? 0) + 1);
    let representative = cluster.members[0]!.question.question.trim();
    let bestScore = -1;
    for (const [text] of counts) {
      // Closest to the centre; among equals, the most asked wording.
      const score = centreSimilarity(cluster, vectors.get(text)!) + counts.get(text)! * 1e-6;
      if (score > bestScore) {
        bestScore = score;
        representative = text;
      }
    }
    const last = cluster.members[cluster.members.length - 1]!.question;
    return {
      representative,
      count: cluster.members.length,
      examples: [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, maxExamples).map(([text]) => text),
      firstSeen: cluster.members[0]!.question.time,
      lastSeen: last.time,
      lastAnswerMode: last.mode,
    };
  });
  return result.sort((a, b) => b.count - a.count || (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0));
}

export type ReportKind = "unanswered" | "disliked" | "all";

/** Which logged questions a report kind covers: not grounded (refused or unsupported) / rated 👎 / all. */
export function selectQuestions(questions: LoggedQuestion[], kind: ReportKind): LoggedQuestion[] {
  // Unanswered: refused, or answered only in part (文件中没有写明…): both are what staff should cover.
  if (kind === "unanswered") return questions.filter((q) => !q.grounded || q.mode === "partial" || q.mode === "refused");
  if (kind === "disliked") return questions.filter((q) => q.ratings.down > 0);
  return questions;
}

export const REPORT_CSV_HEADERS = ["代表问题", "次数", "相似问法", "首次提问时间", "最近提问时间", "最近回答方式"];

/** One CSV cell: quoted when needed; a leading = + - @ is defused so Excel never runs a citizen's text as a formula. */
function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV for Excel: UTF-8 with a BOM (Excel guesses GBK without it), CRLF, Chinese headers. */
export function clustersToCsv(clusters: QuestionCluster[], formatTime: (iso: string) => string = (iso) => iso): string {
  const rows = [REPORT_CSV_HEADERS, ...clusters.map((c) => [c.representative, c.count, c.examples.join("；"), formatTime(c.firstSeen), formatTime(c.lastSeen), c.lastAnswerMode])];
  return "\uFEFF" + rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
