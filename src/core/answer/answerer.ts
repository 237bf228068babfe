import { findRedactions } from "../text/clean/redaction.js";
import { detectScript, foldForMatching, toScript } from "../text/fold.js";
import { sectionOf } from "../search/search-index.js";
import { synonymsOf } from "../search/synonyms.js";
import type { HybridRetriever, RetrievedPassage } from "../search/retriever.js";
import type { AnalyzedQuery } from "../search/query.js";
import type { Tokenize } from "../search/tokenizer.js";
import type { Script } from "../types.js";
import { sourceLabel } from "./attribution.js";
import { attribute, maskRedactions, presentUnit, selectUnits, type ScoredUnit } from "./extractive-composer.js";
import { isInjectionAttempt, mentionsEducation, mentionsPlace, otherPlacesIn } from "./guard.js";
import type { LlmComposer } from "./llm-composer.js";
import { hasAskedUnit, questionShape, type QuestionShape } from "./question-type.js";
import { refusal } from "./refusal.js";
import { rewriteFollowUp, topicTokens } from "./rewrite.js";
import type { Answer, AnswerTrace, ChatTurn, Citation } from "./types.js";
import { verifyFigures, type FigureSource } from "./verify.js";

export interface AnswerThresholds {
  /** Minimum IDF-weighted share of the question's words (or their synonyms) in the best passage. */
  minCoverage: number;
  /** Passages retrieved for composing. */
  passages: number;
}

/** Calibrated on the dev set (see README › 评测): in-scope questions score ≥ 0.45, off-topic ≤ 0.2. */
export const DEFAULT_THRESHOLDS: AnswerThresholds = { minCoverage: 0.3, passages: 6 };

/** Above this coverage the passage clearly matches, whatever one missing word suggests. */
const UNKNOWN_TERM_MAX_CONFIDENCE = 0.75;

export interface AnswererDeps {
  retriever: HybridRetriever;
  tokenize: Tokenize;
  idf: (word: string) => number | undefined;
  llm?: LlmComposer;
  thresholds?: Partial<AnswerThresholds>;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export interface AnswerResult {
  answer: Answer;
  trace: AnswerTrace;
}

/**
 * Question (+ history) → handbook answer. Guards first (injection, off-topic, other places), then
 * hybrid retrieval on the rewritten question, a calibrated confidence check, composition (LLM when
 * configured, extractive otherwise or on any failure), and a mechanical figure check before anything
 * is returned. The answer is written in the question's script; quotes keep the source's.
 */
export class Answerer {
  readonly thresholds: AnswerThresholds;

  constructor(private readonly deps: AnswererDeps) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...deps.thresholds };
  }

  async answer(question: string, history: ChatTurn[] = [], options: { signal?: AbortSignal } = {}): Promise<AnswerResult> {
    const script = detectScript(question);
    const trace: AnswerTrace = { rewrittenQuestion: question, confidence: 0, removedFigures: [] };
    const refuse = (reason: NonNullable<AnswerTrace["refusal"]>): AnswerResult => ({ answer: refusal(script), trace: { ...trace, refusal: reason } });

    if (isInjectionAttempt(question)) return refuse("injection");
    const rewritten = rewriteFollowUp(question, history, this.deps.tokenize);
    trace.rewrittenQuestion = rewritten;
    // A follow-up borrows its topic from the previous turn, but an off-topic turn ("写首诗吧") that
    // names its own topic is judged on its own words.
    const ownTopic = topicTokens(question, this.deps.tokenize);
    if (!mentionsEducation(rewritten) || (!mentionsEducation(question) && ownTopic.length > 0)) return refuse("off-topic");

    const hits = await this.deps.retriever.search(rewritten, { k: this.thresholds.passages });
    options.signal?.throwIfAborted();
    if (!hits.length) return refuse("no-passages");
    const top = hits.slice(0, 3);
    // Another city's figures are not in this bureau's documents. A passage that merely mentions the
    // city (赴南京、上海等先进城市…) does not count: the city must share a sentence with the question's words.
    const places = otherPlacesIn(question);
    const queryWords = topicTokens(question, this.deps.tokenize).filter((t) => t.length >= 2 && !places.some((p) => t.includes(p) || p.includes(t)));
    const placeSupported = (place: string) =>
      top.some((h) => h.passage.folded.split(/[。；;!?！？\n]/).some((s) => mentionsPlace(s, place) && queryWords.some((w) => s.includes(w))));
    if (places.some((place) => !placeSupported(place))) return refuse("other-place");

    const query = this.deps.retriever.analyze(rewritten);
    trace.confidence = Math.max(...top.map((h) => this.coverage(query, h)));
    const unknown = trace.confidence < UNKNOWN_TERM_MAX_CONFIDENCE ? this.unknownKeyTerm(query) : undefined;
    if (unknown) {
      trace.unknownTerm = unknown;
      return refuse("unknown-topic");
    }
    if (trace.confidence < this.thresholds.minCoverage) return refuse("low-confidence");

    const shape = questionShape(question);
    if (this.deps.llm) {
      try {
        const composed = await this.deps.llm.compose({ question, rewritten, hits, script, signal: options.signal });
        const verified = this.verify(composed.answer, composed.citations.map((c) => hits.find((h) => h.passage.id === c.passageId)!).filter(Boolean));
        if (verified.ok) return { answer: { ...composed, script }, trace };
        trace.fallback = `数字核验未通过：${verified.unsupported.join("、")}`;
        trace.fallbackKind = "verification";
      } catch (error) {
        options.signal?.throwIfAborted();
        trace.fallback = `大模型不可用：${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
        trace.fallbackKind = "llm-error";
      }
      this.deps.log?.("llm_fallback", { reason: trace.fallback });
    }
    const answer = this.composeExtractive(query, shape, hits, script, trace);
    return { answer, trace };
  }

  /**
   * The question's most informative dictionary word (IDF ≥ 7), when neither it nor any synonym
   * occurs anywhere in the corpus: the question is about something the documents do not cover
   * (教师资格证, 考研, 诗), however well its other words match.
   */
  unknownKeyTerm(query: AnalyzedQuery): string | undefined {
    const keyword = this.deps.retriever.index.keyword;
    const key = [...new Set(query.tokens)]
      // Segmentation leftovers with particles (结了, 好的) are not topics.
      .filter((t) => t.length >= 2 && !/\d/.test(t) && !/[了的着过吗呢么吧]/.test(t) && (this.deps.idf(t) ?? 0) >= 7)
      .sort((a, b) => (this.deps.idf(b) ?? 0) - (this.deps.idf(a) ?? 0))[0];
    if (!key || keyword.hasTerm(key)) return undefined;
    const synonymKnown = synonymsOf(key).some((s) => {
      const tokens = this.deps.tokenize(s);
      return tokens.length > 0 && tokens.every((t) => keyword.hasTerm(t));
    });
    return synonymKnown ? undefined : key;
  }

  /** Share of the question's own words (IDF-weighted) that the passage holds, synonyms included. */
  coverage(query: AnalyzedQuery, hit: RetrievedPassage): number {
    const haystack = `${hit.passage.folded} ${foldForMatching(hit.passage.headingPath.join(" "))}`;
    let total = 0;
    let matched = 0;
    for (const token of new Set(query.tokens)) {
      const weight = /\d/.test(token) ? 6 : Math.min(this.deps.idf(token) ?? 10, 12);
      total += weight;
      if (haystack.includes(token)) matched += weight;
      else if (synonymsOf(token).some((s) => haystack.includes(s))) matched += weight * 0.8;
    }
    return total ? matched / total : 0;
  }

  private composeExtractive(query: AnalyzedQuery, shape: QuestionShape, hits: RetrievedPassage[], script: Script, trace: AnswerTrace): Answer {
    let units = selectUnits({ query, shape, hits, idf: this.deps.idf });
    if (!units.length) return refusal(script);
    // The question asks for a kind of value (a count in 所, a date) that none of the chosen sentences
    // carries: say the sources do not give it, and offer the closest related sentences as such.
    const missing = missingAnswerKind(query, shape, units, hits, this.deps.idf);
    // Related content: for a missing figure, sentences that do carry figures come first.
    if (missing) units = [...units].sort((a, b) => Number(b.figures.length > 0) - Number(a.figures.length > 0)).slice(0, 2);

    const citations: Citation[] = [];
    const citationFor = (unit: ScoredUnit): number => {
      const existing = citations.find((c) => c.passageId === unit.hit.passage.id);
      if (existing) {
        if (!existing.quote.includes(unit.text)) existing.quote = `${existing.quote}${unit.text}`;
        return existing.n;
      }
      const n = citations.length + 1;
      citations.push({
        n,
        passageId: unit.hit.passage.id,
        docId: unit.hit.doc.id,
        title: unit.hit.doc.title,
        year: unit.hit.doc.year ?? null,
        section: sectionOf(unit.hit.passage),
        quote: unit.text,
      });
      return n;
    };

    const sentences: string[] = [];
    const redacted = units.some((u) => u.redacted);
    units.forEach((unit, i) => {
      const n = citationFor(unit);
      let text = presentUnit(unit.text);
      if (findRedactions(text).length) text = maskRedactions(text);
      text = attribute(unit, text);
      sentences.push(`${text.replace(/([。！？!?])([”」』）)]*)$/, `$2[${n}]$1`)}`);
      if (i === 0 && shape.type === "yes-no" && shape.yesWord && unit.score >= 0.45) sentences.unshift(`${shape.yesWord}。`);
    });
    if (redacted && shape.type === "quantity") sentences.push("原文对相关数字作了匿名处理，具体数值未公开。");

    const sourceLines = citations.map((c) => {
      const hit = hits.find((h) => h.passage.id === c.passageId)!;
      return `[${c.n}] ${sourceLabel(hit.doc, hit.passage)}`;
    });
    const body = missing ? `现有资料中没有找到您所问的具体${missing}。以下是资料中的相关内容，供参考：${sentences.join("")}` : sentences.join("");
    let text = toScript(`${body}\n来源：${sourceLines.join("；")}`, script);

    // The mechanical check. Extractive sentences are verbatim, so a failure can only come from the
    // added attribution: drop the offending figure rather than send it.
    const cited = citations.map((c) => hits.find((h) => h.passage.id === c.passageId)!);
    const result = this.verify(text, cited);
    if (!result.ok) {
      for (const figure of result.unsupported) {
        trace.removedFigures.push(figure);
        text = text.split(figure).join("");
      }
    }
    // Added after the check: the hotline number is the bureau's own, not a figure from a source.
    if (missing) text = text.replace(/\n(來源|来源)：/, `${toScript(MISSING_ADVICE, script)}\n$1：`);
    return { answer: text, grounded: !missing, citations, mode: "extractive", script };
  }

  private verify(text: string, cited: RetrievedPassage[]): { ok: boolean; unsupported: string[] } {
    const sources: FigureSource[] = cited.map((h) => ({
      // A cited passage with its heading path (the document title among them) and its year.
      folded: `${h.passage.folded} ${foldForMatching(h.passage.headingPath.join(" "))} ${h.doc.year ?? ""}年`,
    }));
    const result = verifyFigures(text, sources);
    return { ok: result.ok, unsupported: result.unsupported.map((f) => f.text) };
  }
}

const MISSING_ADVICE = "如需准确信息，请咨询市教育局或拨打12345政务服务便民热线。";
const TIME_QUESTION = /什么时候|什么时间|何时|哪天|哪一天|几月|几号|几点|日期|截止时间|开始时间/;
// Dates and periods; not 春季/秋季, which name things (春季高考).
const TIME_EXPRESSION = /\d{1,2}月|\d{1,2}日|[一二三四五六七八九十]+月|月底|月初|上旬|中旬|下旬|寒假|暑假|年底|年初|之前|以前|截至|截止/;
const RATE_QUESTION = /每(?:个)?(?:月|年|学期|天|人|生|名|位)|标准|收费|费用/;
const RATE_EXPRESSION = /每|\/|标准/;

/**
 * "数字" or "时间" when the question wants one and no chosen sentence has it (nor a redacted one):
 * a count in 所 when the sentences only have 人, a per-month fee when they only have a total, a date,
 * or a figure about something else than the question's key term (招聘 vs 入选特级教师).
 */
export function missingAnswerKind(
  query: AnalyzedQuery,
  shape: QuestionShape,
  units: ScoredUnit[],
  hits: RetrievedPassage[],
  idf: (word: string) => number | undefined,
): string | undefined {
  if (units.some((u) => u.redacted)) return undefined;
  if (shape.type === "quantity") {
    const wanted = (f: string) => hasAskedUnit(f, shape);
    const withFigure = units.filter((u) => u.figures.some(wanted));
    if (shape.units.length && !withFigure.length) return "数字";
    if (RATE_QUESTION.test(query.folded) && !withFigure.some((u) => RATE_EXPRESSION.test(u.folded))) return "数字";
    // The question's most informative word that the retrieved passages know: search-mode compounds
    // (新建改扩建, 安全隐患) give way to their parts, and words no passage has (结了) are ignored.
    const words = query.tokens.filter((t) => t.length >= 2 && !/\d/.test(t));
    const keyTerm = words
      .filter((t) => !words.some((w) => w !== t && w.length < t.length && t.includes(w)))
      .filter((t) => hits.some((h) => h.passage.folded.includes(t)))
      .sort((a, b) => (idf(b) ?? 10) - (idf(a) ?? 10))[0];
    // The sentence, or the title and headings it sits under (发文编号 under the 工作要点's title).
    const context = (u: ScoredUnit) => `${u.folded} ${foldForMatching([u.hit.doc.title, ...u.hit.passage.headingPath].join(" "))}`;
    const about = (u: ScoredUnit) => [keyTerm!, ...synonymsOf(keyTerm!)].some((w) => context(u).includes(w));
    if (keyTerm && withFigure.length && !withFigure.some(about)) return "数字";
  }
  if (TIME_QUESTION.test(query.folded) && !units.some((u) => TIME_EXPRESSION.test(u.folded))) return "时间";
  return undefined;
}
