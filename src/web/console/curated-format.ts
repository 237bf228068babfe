// Pure helpers of the console's staff views (no DOM): labels, times, the draft of a curated answer
// and its checks before it is sent. Limits mirror src/core/http/routes/curated.ts; the server still
// checks everything, these only spare the editor a round trip.

import type { QuestionCluster } from "../../core/store/question-clusters.js";

export const ANSWER_MAX = 2000;
export const QUESTION_MAX = 200;
export const QUESTIONS_MAX = 20;
export const CITATIONS_MAX = 10;
/** The bureau's clock (UTC+8, no daylight saving), as the server's reports use it. */
export const BUREAU_OFFSET_MINUTES = 480;

export type ReportKind = "unanswered" | "disliked" | "all";

export const REPORT_KINDS: { kind: ReportKind; label: string }[] = [
  { kind: "unanswered", label: "未答出" },
  { kind: "disliked", label: "被点踩" },
  { kind: "all", label: "全部" },
];

const MODE_LABELS: Record<string, string> = {
  extractive: "摘录生成",
  llm: "模型生成",
  official: "官方问答",
  partial: "部分答出",
  curated: "人工答案",
  refused: "拒答",
};

/** The answer mode of a logged question in words staff use (an unknown mode is shown as is). */
export function modeLabel(mode: string): string {
  return MODE_LABELS[mode] ?? mode;
}

/** An ISO time as the bureau's local "YYYY-MM-DD HH:mm" (an unparsable value is shown as is). */
export function formatLocalTime(iso: string, offsetMinutes = BUREAU_OFFSET_MINUTES): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 16).replace("T", " ");
}

/** Trimmed, non-empty, distinct lines: the question variants as typed one per line. */
export function parseQuestionLines(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean))];
}

/**
 * The question variants a report cluster suggests: its representative first, then its examples,
 * distinct, within the server's limits (a variant over the length limit is left out, not cut).
 */
export function questionsFromCluster(cluster: Pick<QuestionCluster, "representative" | "examples">): string[] {
  const all = [cluster.representative, ...cluster.examples].map((q) => q.trim()).filter((q) => q && [...q].length <= QUESTION_MAX);
  return [...new Set(all)].slice(0, QUESTIONS_MAX);
}

export interface CuratedDraft {
  questions: string[];
  answer: string;
  citations: string[];
  /** YYYY-MM-DD or "" for none. */
  reviewBy: string;
}

/** The first reason the draft cannot be saved, in Chinese, or undefined when it may be sent. */
export function draftProblem(draft: CuratedDraft, today?: string): string | undefined {
  if (!draft.questions.length) return "请至少填写一个问题问法";
  if (draft.questions.length > QUESTIONS_MAX) return `问题问法最多 ${QUESTIONS_MAX} 个，现有 ${draft.questions.length} 个`;
  const long = draft.questions.find((q) => [...q].length > QUESTION_MAX);
  if (long) return `问法“${[...long].slice(0, 20).join("")}…”超过 ${QUESTION_MAX} 字`;
  if (!draft.answer.trim()) return "请填写答案";
  if ([...draft.answer].length > ANSWER_MAX) return `答案过长，请控制在 ${ANSWER_MAX} 字以内`;
  if (!draft.citations.length) return "请至少勾选一个引用段落";
  if (draft.citations.length > CITATIONS_MAX) return `引用最多 ${CITATIONS_MAX} 个段落`;
  if (draft.reviewBy && !/^\d{4}-\d{2}-\d{2}$/.test(draft.reviewBy)) return "复核日期格式不正确，应为 YYYY-MM-DD";
  if (draft.reviewBy && today && draft.reviewBy < today) return `复核日期 ${draft.reviewBy} 已过，请选择今天或以后的日期`;
  return undefined;
}

/** Result of POST /api/curated/check. */
export interface FigureCheckResult {
  missingCitations: string[];
  unsupported: string[];
  checked: number;
}

/** The figure check in one sentence for the editor, and whether the draft passes it. */
export function describeFigureCheck(result: FigureCheckResult): { ok: boolean; text: string } {
  if (result.missingCitations.length) return { ok: false, text: `以下引用段落在当前资料中不存在：${result.missingCitations.join("、")}，请重新选择引用。` };
  if (result.unsupported.length) return { ok: false, text: `数字核对未通过：${result.unsupported.map((f) => `“${f}”`).join("、")}不在任何引用段落中，请核对数字或补充引用。` };
  if (result.checked === 0) return { ok: true, text: "数字核对通过：答案中没有需要核对的数字。" };
  return { ok: true, text: `数字核对通过：答案中的 ${result.checked} 个数字都能在引用段落中找到。` };
}

export interface AnswerState {
  status: "live" | "retired";
  needsReview?: boolean;
}

/** How an answer stands, as a short label and a tone for its badge. */
export function answerStateLabel(answer: AnswerState): { label: string; tone: "ok" | "warn" | "off" } {
  if (answer.status === "retired") return { label: "已停用", tone: "off" };
  if (answer.needsReview) return { label: "待复核", tone: "warn" };
  return { label: "生效中", tone: "ok" };
}

/** Query string of the question report. */
export function reportQuery(kind: ReportKind, from: string, to: string, format: "json" | "csv" = "json"): string {
  const params = new URLSearchParams({ kind });
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  if (format === "csv") params.set("format", "csv");
  return params.toString();
}

/** The file name of a CSV download: the server's Content-Disposition name, else one built from the query. */
export function csvFileName(disposition: string | null, kind: ReportKind): string {
  const match = disposition && /filename="?([^";]+)"?/i.exec(disposition);
  return match ? match[1]! : `questions-${kind}.csv`;
}
