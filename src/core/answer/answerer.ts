import { findRedactions } from "../text/clean/redaction.js";
import { foldForMatching, foldRecurring, toScript } from "../text/fold.js";
import { askedDocumentFields, DOCUMENT_FIELDS } from "../knowledge/document-fields.js";
import type { Knowledge } from "../knowledge/knowledge.js";
import { askedPlaces, documentPlaceText, namedDocumentPlace, ofOtherPlace } from "../knowledge/places.js";
import { splitSentences } from "../text/sentences.js";
import type { DocumentMeta, Passage } from "../types.js";
import { summarizeAnalysis } from "../question/explain.js";
import { isTopical, NOT_STATED, ownWordsOf, PERIOD_WORD } from "../question/analyze.js";
import { answersOrdinal, EN_CHARGE_RATE_QUESTION, EN_RATE_QUESTION, englishAskingClauses, hasAskedUnit, ordinalUnitOf, withoutDescribedCharges } from "../question/attribute.js";
import { coverage, isTestable, polarity, scoringTerms, TIME_EXPRESSION, YEAR_EXPRESSION, YEAR_QUESTION, type TermStatistics } from "../question/scoring.js";
import { CURATED_THRESHOLD, pairSimilarity, SAME_QUESTION_MARGIN, SAME_QUESTION_THRESHOLD } from "../question/similarity.js";
import type { AnalyzedQuestion } from "../question/types.js";
import { sectionOf } from "../search/search-index.js";
import type { HybridRetriever, RetrievedPassage } from "../search/retriever.js";
import type { Tokenize } from "../search/tokenizer.js";
import { sourceLabel } from "./attribution.js";
import { attribute, chainedUnits, keyTermOf, maskRedactions, ofWrittenYear, presentUnit, redactsAsked, selectUnits, termOrExpansionIn, type ScoredUnit } from "./extractive-composer.js";
import type { LlmComposer } from "./llm-composer.js";
import { referral, refusal } from "./refusal.js";
import type { Answer, AnswerTrace, ChatTurn, Citation } from "./types.js";
import { verifyFigures, type FigureSource } from "./verify.js";

export interface AnswerThresholds {
  /** Below this IDF-weighted share of the question's words in the best passage, the answer is partial. */
  minCoverage: number;
  /** Passages retrieved for composing. */
  passages: number;
}

export const DEFAULT_THRESHOLDS: AnswerThresholds = { minCoverage: 0.3, passages: 6 };
/** Passages searched for a question's further clauses without its own clause (withFurtherClauseHits). */
const FURTHER_CLAUSE_HITS = 3;

/** A staff-curated answer as the chat path serves it. */
export interface CuratedCandidate {
  id: string;
  version: number;
  questions: string[];
  answer: string;
  citations: string[];
  /** The line the answer is served with (本答案经人工审核（2026-12-04）). */
  reviewLine: string;
}

/** Live curated answers (not retired, not past their review date), e.g. from the store. */
export type CuratedSource = () => Promise<CuratedCandidate[]>;

export interface AnswererDeps {
  retriever: HybridRetriever;
  tokenize: Tokenize;
  idf: (word: string) => number | undefined;
  llm?: LlmComposer;
  curated?: CuratedSource;
  /** Cosine above which a question reuses an official or curated answer (default SAME_QUESTION_THRESHOLD). */
  sameQuestion?: number;
  thresholds?: Partial<AnswerThresholds>;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export interface AnswerResult {
  answer: Answer;
  trace: AnswerTrace;
}

/**
 * Question (+ history) → handbook answer. The question is analysed once (src/core/question); it is
 * refused only for injection, a plainly off-domain question, another place's specifics, or when
 * retrieval finds nothing on its topic. Otherwise: hybrid retrieval on the analysis, composition
 * (LLM when configured, extractive otherwise or on any failure) and a mechanical figure check. A
 * question whose exact detail the documents do not state gets a partial answer that says so and
 * quotes what they do say. Chinese answers are in the question's script; English questions get an
 * English frame around the verbatim quotes.
 */
export class Answerer {
  readonly thresholds: AnswerThresholds;

  constructor(private readonly deps: AnswererDeps) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...deps.thresholds };
  }

  private get knowledge(): Knowledge {
    return this.deps.retriever.index.knowledge;
  }

  async answer(question: string, history: ChatTurn[] = [], options: { signal?: AbortSignal } = {}): Promise<AnswerResult> {
    let analysis = this.deps.retriever.analyze(question, history);
    const { script, language } = analysis;
    const rewritten = analysis.followUp ? `${analysis.followUp.question} ${question}` : question;
    const trace: AnswerTrace = { rewrittenQuestion: rewritten, confidence: 0, removedFigures: [], analysis: summarizeAnalysis(analysis) };
    const refuse = (reason: NonNullable<AnswerTrace["refusal"]>): AnswerResult => ({
      answer: { ...refusal(script, this.knowledge.profile, language), ...(language === "en" ? { language: "en" as const } : {}) },
      trace: { ...trace, refusal: reason },
    });

    if (analysis.scope.decision === "injection") return refuse("injection");
    const stats = this.deps.retriever.statistics;
    // Curated beats official beats composed: the hotline staff's answer, then the handbook's own.
    const curated = await this.curatedAnswer(analysis, stats);
    if (curated) return { answer: curated.answer, trace: { ...trace, confidence: curated.similarity } };
    if (analysis.scope.decision === "off-domain") return refuse("off-domain");

    // Retrieval reads shortened names in its candidates (保教费 → 保育教育费): the stages after it read the question so.
    const retrieved = await this.deps.retriever.retrieve(analysis, { k: this.thresholds.passages });
    let hits = retrieved.hits;
    const searched = retrieved.query;
    if (searched !== analysis) trace.analysis = summarizeAnalysis(searched);
    analysis = searched;
    options.signal?.throwIfAborted();
    if (!hits.length) return refuse("no-passages");
    const top = hits.slice(0, 3);
    // Another place's specifics are not in this bureau's documents. A passage that states the place
    // with the question's words (赴南京、上海等先进城市学习…) is the corpus's own content, though.
    if (analysis.scope.decision === "other-place" && !analysis.places.filter((p) => p.relation === "other").every((p) => placeSupported(p.name, top, analysis, stats))) {
      return refuse("other-place");
    }
    // Nothing retrieved shares the question's topic at all: refusing beats an unrelated quote.
    if (!hits.some((h) => sharesTopic(h, analysis))) return refuse("no-topic");
    // The clause asked first is about something the documents never speak of (明天上海会下雨吗？要不要给孩子
    // 带伞去幼儿园…): the school words of a later clause do not make it a question about education policy.
    if (firstClauseOutside(analysis, stats)) return refuse("off-domain");

    const official = this.officialAnswer(analysis, hits, stats);
    if (official) return { answer: official.answer, trace: { ...trace, confidence: official.similarity } };
    // A question that asks a document field beside something else (文号 咨询电话): the field's line
    // joins the composed answer instead of answering alone.
    const beside = asksBesideFields(analysis) ? this.documentFieldQuotes(analysis, hits)[0] : undefined;
    const fields = beside ? undefined : this.documentFieldAnswer(analysis, hits);
    if (fields) return { answer: fields, trace: { ...trace, confidence: 1 } };
    // A document's header and signature (文号, 落款 and its date) say nothing of what the document rules:
    // they answer only a question about the document itself (above), never when a rule's deadline is
    // (户口和房子要在哪天之前落好) — its title's words make that passage look relevant to every such question.
    hits = bodyHits(hits, analysis);

    const terms = scoringTerms(analysis, stats);
    trace.confidence = Math.max(...hits.slice(0, 3).map((h) => coverage(h.passage.folded, terms, { text: foldRecurring(h.passage.headingPath.join(" ")), factor: 1 })));

    if (this.deps.llm && language === "zh") {
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
    const chained = analysis.chain ? await this.chained(analysis, stats, options.signal) : undefined;
    // A chained answer is as sure as its lead answers the earlier clauses.
    if (chained) trace.confidence = Math.max(trace.confidence, chained.confidence);
    if (beside) {
      const units = fieldUnits(beside);
      const composed = this.composeExtractive(analysis, [...hits, ...units.map((u) => u.hit)], stats, trace, undefined, { units, first: fieldAskedFirst(analysis) });
      return { answer: composed, trace };
    }
    const answer = chained ? this.composeExtractive(analysis, chained.hits, stats, trace, chained.units) : this.composeExtractive(analysis, await this.withFurtherClauseHits(analysis, hits, options.signal), stats, trace);
    return { answer, trace };
  }

  /**
   * A further clause (…居住证积分要够多少分 证件啥时候截止) can be answered by a passage that the whole
   * question does not rank among its first few (the sentence on the documents' deadline, under the
   * first clause's table rows): the question without its own clause (its context and the further
   * clauses) is searched too, and passages of the hits' documents it finds first follow the hits.
   */
  private async withFurtherClauseHits(query: AnalyzedQuestion, hits: RetrievedPassage[], signal?: AbortSignal): Promise<RetrievedPassage[]> {
    const further = (query.alsoAsked ?? []).filter((a) => isTestable(a.attribute, a.clause));
    if (!further.length || query.askedClause === undefined || query.language !== "zh") return hits;
    const rest = query.folded.replace(query.askedClause, " ").trim();
    if (rest.length < 4) return hits;
    const found = await this.deps.retriever.search(this.deps.retriever.analyze(rest), { k: FURTHER_CLAUSE_HITS });
    signal?.throwIfAborted();
    // From the documents the question found (the clause alone, 在哪里可以当面咨询, could be any district's).
    const added = bodyHits(found, query).filter((h) => !hits.some((x) => x.passage.id === h.passage.id) && hits.some((x) => x.doc.id === h.doc.id));
    return added.length ? [...hits, ...added] : hits;
  }

  /**
   * A referring clause (…要到哪里登记？那个园的电话是多少？): the earlier clauses are answered as a question
   * of their own, then retrieval runs on that answer's lead with the referring clause, for the sentence
   * that names what the lead names and carries what the clause asks. Undefined when there is none
   * (the question is then answered as one).
   */
  private async chained(query: AnalyzedQuestion, stats: TermStatistics, signal?: AbortSignal): Promise<{ hits: RetrievedPassage[]; units: ScoredUnit[]; confidence: number } | undefined> {
    const chain = query.chain!;
    const asked = this.deps.retriever.analyze(chain.antecedent);
    if (asked.scope.decision !== "in-domain") return undefined;
    const { hits: firstHits, query: first } = await this.deps.retriever.retrieve(asked, { k: this.thresholds.passages });
    const input = { query: first, hits: firstHits, stats, salience: this.knowledge.salience };
    const firstUnits = selectUnits(input);
    const lead = firstUnits[0];
    if (!lead) return undefined;
    const hops = await this.deps.retriever.search(this.deps.retriever.analyze(`${lead.text}${chain.clause}?`), { k: this.thresholds.passages });
    signal?.throwIfAborted();
    const units = chainedUnits(input, firstUnits, hops, chain, query.folded);
    if (!units) return undefined;
    const terms = scoringTerms(first, stats);
    const confidence = coverage(lead.hit.passage.folded, terms, { text: foldRecurring(lead.hit.passage.headingPath.join(" ")), factor: 1 });
    return { hits: [...firstHits, ...hops.filter((h) => !firstHits.some((f) => f.passage.id === h.passage.id))], units, confidence };
  }

  /** Analysed questions of the Q&A pairs and curated variants met so far (bounded). */
  private readonly stored = new Map<string, AnalyzedQuestion>();
  /** Each document's named place (namedDocumentPlace), read once from its title and issuer. */
  private readonly namedPlaces = new Map<string, string | undefined>();

  /**
   * Whether a document is of another place than every one the question names (askedPlaces: 天河 of
   * 广州天河, each of 青岛和上海, the bureau's own city when it is the one named); undefined when it names none.
   */
  private otherPlaceFor(query: AnalyzedQuestion): ((doc: DocumentMeta) => boolean) | undefined {
    const asked = askedPlaces(query.places);
    if (!asked.length) return undefined;
    return (doc) => {
      if (!this.namedPlaces.has(doc.id)) {
        if (this.namedPlaces.size > 10_000) this.namedPlaces.clear();
        this.namedPlaces.set(doc.id, namedDocumentPlace(documentPlaceText(doc), this.knowledge.places));
      }
      const named = this.namedPlaces.get(doc.id);
      return asked.every((place) => ofOtherPlace(place, named));
    };
  }

  private storedQuestion(key: string, question: string): AnalyzedQuestion {
    let analysis = this.stored.get(key);
    if (!analysis) {
      if (this.stored.size >= 4096) this.stored.clear();
      this.stored.set(key, (analysis = this.deps.retriever.analyze(question)));
    }
    return analysis;
  }

  private get sameQuestion(): number {
    return this.deps.sameQuestion ?? SAME_QUESTION_THRESHOLD;
  }

  /**
   * The official answer: a retrieved Q&A pair (kind qa) whose question asks what this question asks,
   * above the calibrated threshold; its answer verbatim, cited to its document and date.
   */
  private officialAnswer(query: AnalyzedQuestion, hits: RetrievedPassage[], stats: TermStatistics): { answer: Answer; similarity: number } | undefined {
    if (query.followUp) return undefined;
    const scored = hits
      .filter((hit) => hit.passage.kind === "qa" && hit.passage.question)
      .map((hit) => ({ hit, similarity: pairSimilarity(query, this.storedQuestion(`qa:${hit.passage.id}`, hit.passage.question!), hit.passage.folded, stats, { strict: true }) }))
      .sort((a, b) => b.similarity - a.similarity);
    const best = scored[0];
    // Two stored questions nearly as close: the question could be either, so neither is reused.
    if (!best || best.similarity < this.sameQuestion || best.similarity - (scored[1]?.similarity ?? 0) < SAME_QUESTION_MARGIN) return undefined;
    const { hit } = best;
    const citation: Citation = { n: 1, passageId: hit.passage.id, docId: hit.doc.id, title: hit.doc.title, year: hit.doc.year ?? null, section: sectionOf(hit.passage), quote: hit.passage.text };
    const date = hit.doc.publishedAt ?? (hit.doc.year ? `${hit.doc.year}年` : "");
    const label = sourceLabel(hit.doc, hit.passage);
    const source = `[1] ${label}${date && !label.includes(date) ? `（${date}）` : ""}`;
    const text =
      query.language === "en"
        ? `The bureau's official answer (《${hit.doc.title}》${hit.doc.year ? `, ${hit.doc.year}` : ""}): “${hit.passage.text}” [1]\nSources: ${source}`
        : toScript(`${hit.passage.text}[1]\n来源：${source}`, query.script);
    if (!this.verify(text, [hit]).ok) return undefined;
    return {
      answer: { answer: text, grounded: true, citations: [citation], mode: "official", script: query.script, ...(query.language === "en" ? { language: "en" as const } : {}) },
      similarity: best.similarity,
    };
  }

  /**
   * A question about a document's own header or signature (文号, 发文机关, 成文日期, 施行): the
   * labelled lines of the document-info passage (or the sentence stating its 施行) of the best
   * retrieved document that has them, quoted verbatim.
   */
  private documentFieldAnswer(query: AnalyzedQuestion, hits: RetrievedPassage[]): Answer | undefined {
    for (const { doc, passages, quotes } of this.documentFieldQuotes(query, hits)) {
      const citations: Citation[] = [];
      const body = quotes
        .map(({ passage, line }) => {
          let citation = citations.find((c) => c.passageId === passage.id);
          if (!citation) {
            citation = { n: citations.length + 1, passageId: passage.id, docId: doc.id, title: doc.title, year: doc.year ?? null, section: sectionOf(passage), quote: "" };
            citations.push(citation);
          }
          // The citation quotes the passage from its first line to its last, as it stands (發證機關 before 發文編號).
          citation.quote = citation.quote ? quotedSpan(`${citation.quote}\n${line}`, passage.text) : line;
          return `${line.replace(/[。；;，,]$/, "")}[${citation.n}]`;
        })
        .join("；");
      const sources = citations.map((c) => `[${c.n}] ${sourceLabel(doc, passages.find((p) => p.id === c.passageId)!)}`).join("；");
      const text =
        query.language === "en"
          ? `According to 《${doc.title}》: ${body}.\nSources: ${sources}`
          : toScript(`《${doc.title}》：${body}。\n来源：${sources}`, query.script);
      const cited = citations.map((c) => ({ passage: passages.find((p) => p.id === c.passageId)!, doc, score: 0, signals: {} }));
      if (!this.verify(text, cited).ok) continue;
      return { answer: text, grounded: true, citations, mode: "extractive", script: query.script, ...(query.language === "en" ? { language: "en" as const } : {}) };
    }
    return undefined;
  }

  /**
   * The asked document fields' lines of each of the best three retrieved documents that has them:
   * the labelled lines of its document-info passage, or the sentence stating its 施行.
   */
  private documentFieldQuotes(query: AnalyzedQuestion, hits: RetrievedPassage[]): FieldQuotes[] {
    if (!query.documentFields.length) return [];
    const fields = DOCUMENT_FIELDS.filter((f) => query.documentFields.includes(f.field));
    const index = this.deps.retriever.index;
    const docs = [...new Map(hits.map((h) => [h.doc.id, h.doc])).values()].slice(0, 3);
    const out: FieldQuotes[] = [];
    for (const doc of docs) {
      const entry = index.manifest.documents.find((d) => d.id === doc.id);
      const passages = entry ? index.passages.slice(entry.firstPassage, entry.firstPassage + entry.passages) : [];
      const info = passages.find((p) => p.kind === "document-info");
      const quotes: Array<{ passage: Passage; line: string }> = [];
      const infoLines = (info?.text.split("\n") ?? []).map((line) => ({ line, folded: foldRecurring(line) }));
      for (const field of fields) {
        // Labels are read on the folded line (a Traditional header's 發文編號 is 发文编号); the quote is the line as written.
        const lines = infoLines.filter((l) => field.labels.some((label) => l.folded.includes(label))).map((l) => l.line);
        // The latest amendment or adoption note, not the whole history.
        for (const line of field.field === "amended" ? lines.slice(-1) : lines) if (!quotes.some((q) => q.line === line)) quotes.push({ passage: info!, line });
        if (field.field === "effective" && doc.effective) {
          // The text that states it (第五十二条 本办法自2009年6月1日起施行。), rather than the info line
          // the ingest derived from it (施行：自2009年6月1日起施行).
          const stating = passages.find((p) => p !== info && p.text.includes(doc.effective!)) ?? passages.find((p) => p.text.includes(doc.effective!));
          const line = splitSentences(stating?.text ?? "").find((s) => s.includes(doc.effective!))?.trim() ?? doc.effective;
          if (stating && stating !== info) {
            for (let i = quotes.length - 1; i >= 0; i--) if (quotes[i]!.passage === info && quotes[i]!.line.includes(doc.effective)) quotes.splice(i, 1);
          }
          if (stating && !quotes.some((q) => q.line.includes(doc.effective!))) quotes.push({ passage: stating, line });
        }
      }
      if (quotes.length) out.push({ doc, passages, quotes });
    }
    return out;
  }

  /** A live curated answer for the question: one of its variants or a paraphrase above the threshold. */
  private async curatedAnswer(query: AnalyzedQuestion, stats: TermStatistics): Promise<{ answer: Answer; similarity: number } | undefined> {
    if (!this.deps.curated || query.followUp) return undefined;
    const live = await this.deps.curated();
    if (!live.length) return undefined;
    const canonical = (t: string) => foldForMatching(t).replace(/[\s\p{P}\p{S}]+/gu, "");
    let best: { candidate: CuratedCandidate; similarity: number } | undefined;
    for (const candidate of live) {
      for (const variant of candidate.questions) {
        const similarity = canonical(variant) === canonical(query.text) ? 1 : pairSimilarity(query, this.storedQuestion(`cu:${variant}`, variant), foldForMatching(candidate.answer), stats);
        if (similarity >= (this.deps.sameQuestion ?? CURATED_THRESHOLD) && (!best || similarity > best.similarity)) best = { candidate, similarity };
      }
    }
    if (!best) return undefined;
    const { candidate } = best;
    // A curated answer cites a few passages: look those up, not the whole index.
    const { index } = this.deps.retriever;
    const cited = candidate.citations.flatMap((id) => {
      const passage = index.passages.find((p) => p.id === id);
      const doc = passage && index.docById.get(passage.docId);
      return passage && doc ? [{ passage, doc }] : [];
    });
    const citations: Citation[] = cited.map(({ passage, doc }, i) => ({ n: i + 1, passageId: passage.id, docId: doc.id, title: doc.title, year: doc.year ?? null, section: sectionOf(passage), quote: passage.text }));
    const sources = cited.map(({ passage, doc }, i) => `[${i + 1}] ${sourceLabel(doc, passage)}`);
    const text = toScript(`${candidate.answer}\n${candidate.reviewLine}${sources.length ? `\n来源：${sources.join("；")}` : ""}`, query.script);
    return { answer: { answer: text, grounded: true, citations, mode: "curated", script: query.script }, similarity: best.similarity };
  }

  /** `fields`: a document field's lines asked beside the composed answer, before it when asked first. */
  private composeExtractive(query: AnalyzedQuestion, hits: RetrievedPassage[], stats: TermStatistics, trace: AnswerTrace, chosen?: ScoredUnit[], fields?: { units: ScoredUnit[]; first: boolean }): Answer {
    const { script, language } = query;
    const profile = this.knowledge.profile;
    // A document number asked and not found in a header (documentFieldAnswer gave none, nor the lines beside): a citing sentence answers.
    const numberAsked = !fields && query.documentFields.includes("docNumber");
    const otherPlace = this.otherPlaceFor(query);
    let units = chosen ?? selectUnits({ query, hits, stats, salience: this.knowledge.salience, ...(numberAsked ? { numberAsked } : {}), ...(otherPlace ? { otherPlace } : {}) });
    if (!units.length) return refusal(script, profile, language);
    // The documents do not state the asked value (a count in 所, a date …), or nothing covers the
    // question well: say so, and offer the closest related sentences as such.
    // A chained answer's figure is about what its lead names, not about the question's key term.
    // A lead of another place than the one the question names (青岛's 公办园占比 for 天河…占几成) is related content only.
    const lacking =
      (chosen ? undefined : missingDetail(query, units, hits, stats, this.knowledge.salience)) ??
      (trace.confidence < this.thresholds.minCoverage
        ? { detail: "内容", reason: `最相关段落只含问题的${Math.round(trace.confidence * 100)}%（低于${Math.round(this.thresholds.minCoverage * 100)}%）` }
        : otherPlace?.(units[0]!.hit.doc)
          ? { detail: "内容", reason: `首句出自另一地方的文件《${units[0]!.hit.doc.title}》` }
          : undefined);
    if (lacking) trace.partial = lacking;
    const missing = lacking?.detail;
    // The asked value is not stated and what it is asked of is a word the documents never use (每个月的保育费
    // when no passage speaks of 保育费): the closest sentences are about something else, so none are offered —
    // unless another clause asks of something else the documents speak of (工资多少？青岛招聘教师待遇怎么样:
    // 招聘教师), which the related sentences then answer as far as they go.
    if (missing === "数字" && query.attribute === "money" && query.askedSubject && !knownInPart(query.askedSubject, query, stats) && !asksOfOtherKnownThing(query, stats)) {
      trace.refusal = "not-stated";
      return refusal(script, profile, language, query.askedSubject);
    }
    // A year the question writes out (2023年…多少) that no chosen sentence is of: the documents have
    // nothing of that year, so the question goes unanswered (logged as refused, for the bureau to read)
    // while the reply still quotes what they say of other years.
    if (missing === YEAR_MISSING) trace.refusal = "year-not-covered";
    // Likewise a figure asked that no chosen sentence states (none in the asked unit, or none of what the
    // question names): the reply says so and quotes the related sentences, and the question is logged as
    // not answered. A missing time or a weak cover stays a partial answer only: a time may be written in
    // words (秋季开学前), and a weak cover is no proof the documents lack what was asked.
    else if (missing === "数字") trace.refusal = "not-stated";
    // Related content: for a missing figure, sentences that do carry figures come first.
    if (missing) units = [...units].sort((a, b) => Number(b.figures.length > 0) - Number(a.figures.length > 0)).slice(0, 2);
    if (fields) {
      // A field's line the composed sentences hold already (落款 chosen for 哪天印发的) is said once.
      const own = fields.units.filter((f) => !units.some((u) => u.text === f.text));
      units = fields.first ? [...own, ...units] : [...units, ...own];
    }

    const citations: Citation[] = [];
    const citationFor = (unit: ScoredUnit): number => {
      const existing = citations.find((c) => c.passageId === unit.hit.passage.id);
      if (existing) {
        // A line without an end (发文字号：… then 落款：…) keeps its line break, so two lines never read as one.
        if (!existing.quote.includes(unit.text)) existing.quote = `${existing.quote}${/[。！？!?；;”」』）)]$/.test(existing.quote) ? "" : "\n"}${unit.text}`;
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
    const redacted = units.some((u) => u.redacted && redactsAsked(u.folded, query.units));
    units.forEach((unit, i) => {
      const n = citationFor(unit);
      let text = presentUnit(unit.text);
      if (findRedactions(text).length) text = maskRedactions(text);
      if (language === "en") {
        const doc = unit.hit.doc;
        sentences.push(`According to 《${doc.title}》${doc.year ? ` (${doc.year})` : ""}: “${text}” [${n}]`);
        return;
      }
      // A sentence from the same document as the one before it needs no second attribution.
      if (i === 0 || units[i - 1]!.hit.doc.id !== unit.hit.doc.id) text = attribute(unit, text);
      sentences.push(`${text.replace(/([。！？!?])([”」』）)]*)$/, `$2[${n}]$1`)}`);
      // A question that negates a condition (父母没有居住证，能报名吗？) gets no yes from a lead that states
      // that condition plainly (…持有效居住证…): the lead answers the other case, and is quoted, not affirmed.
      const otherCase = query.negated?.length ? polarity(`${sectionOf(unit.hit.passage)}\n${unit.folded}`, query.negated) < 0 : false;
      const verdict = i === 0 && query.attribute === "whether" && query.yesWord && unit.score >= 0.45 && !missing && !otherCase ? yesOrNo(unit.folded, query.yesWord, ownWordsOf(query)) : undefined;
      if (verdict) sentences.unshift(`${verdict}。`);
    });
    const quantity = query.attribute === "how-many" || query.attribute === "money";
    if (redacted && quantity) sentences.push(language === "en" ? "The source does not publish the exact figure (anonymised)." : "原文对相关数字作了匿名处理，具体数值未公开。");
    // The asked figure is only ever the anonymised one (…配备校医（未公开）名): the question is not answered, and
    // the bureau's list of unanswered questions shows it, as it shows one the documents leave unstated.
    const undisclosed = redacted && quantity && !units.some((u) => !u.redacted && u.figures.some((f) => hasAskedUnit(f, query.units)));

    const sourceLines = citations.map((c) => {
      const hit = hits.find((h) => h.passage.id === c.passageId)!;
      return `[${c.n}] ${sourceLabel(hit.doc, hit.passage)}`;
    });
    let text: string;
    if (language === "en") {
      const what = missing === YEAR_MISSING ? "situation in the year" : `exact ${EN_MISSING[missing!] ?? "detail"}`;
      const body = missing ? `The documents do not state the ${what} you asked about. Related provisions: ${sentences.join(" ")}` : sentences.join(" ");
      text = `${body}\nSources: ${sourceLines.join("; ")}`;
    } else {
      const asked = missing === YEAR_MISSING ? missing : `所问的具体${missing}`;
      const body = missing ? `${NOT_STATED}您${asked}；与此相关的规定是：${sentences.join("")}` : sentences.join("");
      text = toScript(`${body}\n来源：${sourceLines.join("；")}`, script);
    }

    // The mechanical check. Extractive sentences are verbatim, so a failure can only come from the
    // added attribution: drop the offending figure from the attribution, never from a quote.
    const cited = citations.map((c) => hits.find((h) => h.passage.id === c.passageId)!);
    const result = this.verify(text, cited);
    if (!result.ok) {
      const quotes = citations.map((c) => c.quote);
      for (const figure of result.unsupported) {
        if (quotes.some((q) => q.includes(figure))) continue;
        trace.removedFigures.push(figure);
        text = text.split(figure).join("");
      }
    }
    // Added after the check: the hotline number is the bureau's own, not a figure from a source.
    if (missing) {
      const advice = language === "en" ? ` ${referral(profile, "en")}` : toScript(`如需准确信息，${referral(profile).replace(/^建议您/, "请")}`, script);
      text = text.replace(/\n(來源|来源|Sources)：?:?/, (m) => `${advice}${m}`);
    }
    return {
      answer: text,
      grounded: true,
      citations,
      mode: "extractive",
      script,
      ...(missing || undisclosed ? { partial: true } : {}),
      ...(language === "en" ? { language: "en" as const } : {}),
    };
  }

  private verify(text: string, cited: RetrievedPassage[]): { ok: boolean; unsupported: string[] } {
    const sources: FigureSource[] = cited.map((h) => ({
      // A cited passage with its heading path (the document title among them) and its year.
      folded: `${h.passage.folded} ${foldRecurring(h.passage.headingPath.join(" "))} ${h.doc.year ?? ""}年`,
    }));
    const result = verifyFigures(text, sources);
    return { ok: result.ok, unsupported: result.unsupported.map((f) => f.text) };
  }
}

/** A missing detail that is a year's (askedYearsUnstated). */
const YEAR_MISSING = "所问年份的情况";
const EN_MISSING: Record<string, string> = { 数字: "figure", 时间: "date or time", 内容: "detail" };
/**
 * A waiver (a closed class of the words for it) and the first words of what it waives: 不收学费、杂费…,
 * 免收保育教育费, 免学费. Not 不再免收 or 取消免收 (the charge is made again).
 */
const WAIVER = /(?<!不再|取消)(?:不收取?|免收|免交|免缴|免除|无需缴纳|无需交纳|不需缴纳|不需要缴纳|(?=免学费))([^，。；,;：:]{0,24})/g;
/** A waiver for some only (对家庭经济困难幼儿免收…, 免除建档立卡学生学费): the charge stands for the rest. */
const FOR_SOME = /(?:困难|低保|残疾|特困|孤儿|优抚|烈士|建档立卡|符合条件|经认定)/;
/** An amount (985万元): what was waived in total for some, not a price of nothing. */
const AMOUNT = /\d[\d.,]*\s*(?:万|亿)?元|[零一二三四五六七八九十百千万亿]+元/;

/**
 * Whether a charge the question names is one a waived item stands for: the same word, or one written
 * in full (学费 of 学杂费, 保育费 of 保育教育费: the named word's characters in order, its first first and
 * its 费 last), at the item's end.
 */
function standsFor(item: string, charge: string): boolean {
  if (item.includes(charge)) return true;
  if (!item.endsWith("费") || !charge.endsWith("费")) return false;
  // The charge's noun ends the item (城乡义务教育学生学杂费): an ending that opens as the named word does,
  // holds its characters in order, and adds no more than it has beside its 费 (学杂费, not 学生餐费).
  for (let k = item.indexOf(charge[0]!); k >= 0; k = item.indexOf(charge[0]!, k + 1)) {
    const tail = item.slice(k);
    if (tail.length <= 2 * charge.length - 1 && inOrder(tail, charge)) return true;
  }
  return false;
}

/** Whether a text holds a word's characters in their order, others between them allowed. */
function inOrder(text: string, word: string): boolean {
  let at = 0;
  for (const c of word) {
    at = text.indexOf(c, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/**
 * Whether a sentence waives a charge the question names (学费 of 要交学费吗 in 不收学费、杂费…; 任何费用 waives
 * every charge): not an amount waived, not a waiver for some only, not one of the charges other than a named one
 * (…以外的其他费用).
 */
export function waivesAskedCharge(sentence: string, charges: readonly string[]): boolean {
  if (!charges.length) return false;
  for (const m of sentence.matchAll(WAIVER)) {
    const waived = m[1]!;
    if (AMOUNT.test(waived) || /以外|之外|其他|其它/.test(waived)) continue;
    if (FOR_SOME.test(waived) || FOR_SOME.test(sentence.slice(0, m.index))) continue;
    if (/任何费用|一切费用/.test(waived)) return true;
    const items = waived.split(/[、和及与]/).map((w) => w.trim()).filter(Boolean);
    if (charges.some((c) => items.some((item) => standsFor(item, c)))) return true;
  }
  return false;
}

/**
 * A clause that asks something else (not the amount) of what the documents speak of: one of its own
 * words of two characters or more, neither a place nor a period, that a passage holds, while it does not
 * name what the amount is of.
 */
function asksOfOtherKnownThing(query: AnalyzedQuestion, stats: TermStatistics): boolean {
  const known = (t: string, clause: string) => t.length >= 2 && clause.includes(t) && isTopical(t) && !PERIOD_WORD.test(t) && stats.documentFrequency(t) > 0 && !query.places.some((p) => p.name.includes(t));
  return (query.clauses ?? []).some(({ clause, attribute }) => attribute !== query.attribute && !clause.includes(query.askedSubject ?? "") && query.terms.some((t) => known(t.term, clause)));
}

/** The charges a question names (学费, 书本费 …: its own words ending in 费). */
function askedCharges(query: AnalyzedQuestion): string[] {
  return query.terms.filter((t) => t.source === "question" && t.term.length >= 2 && t.term.endsWith("费")).map((t) => t.term);
}
/**
 * The sentences of a question that hold a question word of a figure (多少, 几, 标准, a charge), or the whole
 * question when none does: 每天接送两个地方 of a story told in a sentence before the question is no rate
 * asked, while 幼儿园每个月的学费，大概要交多少 asks one across its comma.
 */
function askingClauses(folded: string): string {
  const asking = folded.split(/[。！？；!?;]+/).filter((c) => /多少|几|标准|收费|费用/.test(c));
  return asking.length ? asking.join("。") : folded;
}

/** A rate asked by its period or head (每月, 每生); any figure question may ask one. */
const RATE_QUESTION = /每(?:个)?(?:月|年|学期|天|人|生|名|位)/;
/**
 * A charge or its standard (收费标准, 补助标准): a rate only when an amount is asked — 多少学校达到…标准 counts schools
 * that meet a standard, and 标准分 is a score threshold.
 */
const CHARGE_RATE_QUESTION = /标准(?!分)|收费|费用/;
const RATE_EXPRESSION = /每|\/|标准/;

/**
 * The place as the corpus's own content: a top passage's sentence names it and holds most of the
 * question (赴南京、上海等先进城市学习… answers a question about that study trip, not 上海's school hours).
 */
function placeSupported(place: string, top: RetrievedPassage[], query: AnalyzedQuestion, stats: TermStatistics): boolean {
  const terms = scoringTerms(query, stats, { countUnknown: true }).filter((t) => !t.term.includes(place) && !place.includes(t.term));
  return top.some((h) => h.passage.folded.split(/[。；;!?！？\n]/).some((s) => s.includes(place) && coverage(s, terms) >= PLACE_SUPPORT));
}

/** Share of the question a sentence naming another place must hold to be the corpus's own content. */
const PLACE_SUPPORT = 0.6;

/** A retrieved passage holds one of the question's topical words (own, inherited or expanded), places aside. */
function sharesTopic(hit: RetrievedPassage, query: AnalyzedQuestion): boolean {
  const text = `${hit.passage.folded} ${foldRecurring(hit.passage.headingPath.join(" "))}`;
  const isPlace = (t: string) => query.places.some((p) => p.name.includes(t) || t.includes(p.name));
  const words = [...query.terms, ...query.expansions].map((t) => t.term).filter((t) => !/^\d/.test(t) && !isPlace(t));
  return words.some((w) => text.includes(w));
}

/** A figure's sentence that holds this share of the question's words (a majority) answers it without the key word. */
const MOST_OF_QUESTION = 0.5;

/** What the answer lacks, and why (the trace prints it: a hotline operator sees why an answer is partial). */
export interface MissingDetail {
  detail: string;
  reason: string;
}

/**
 * What the chosen sentences lack, with the reason: first a year written out that no sentence is of;
 * then "数字" or "时间" when the question wants one and no chosen sentence has it (nor a redacted one):
 * a count in 所 when the sentences only have 人, a per-month fee when they only have a total, a date,
 * or a figure whose sentence does not name what the question names (华港 of 天河华港幼儿园…招几个班: the
 * figures beside it are other kindergartens').
 */
export function missingDetail(query: AnalyzedQuestion, units: ScoredUnit[], hits: RetrievedPassage[], stats: TermStatistics, salience?: Knowledge["salience"]): MissingDetail | undefined {
  // A year written out (2023年) that no chosen sentence is of: what they state is of another year.
  const unstated = askedYearsUnstated(query, units);
  if (unstated) return { detail: unstated, reason: `所选句子都不是${query.writtenYears!.join("、")}年的` };
  if (units.some((u) => u.redacted && redactsAsked(u.folded, query.units))) return undefined;
  // A charge the question names (要交学费吗) that the lead waives (不收学费、杂费…) is answered: it costs nothing.
  if (query.attribute === "money" && units[0] && waivesAskedCharge(units[0].folded, askedCharges(query))) return undefined;
  if (query.attribute === "how-many" || query.attribute === "money") {
    const wanted = (f: string) => hasAskedUnit(f, query.units);
    // A rank (排第几) is an ordinal, which the figure reader does not take for a figure in Chinese numerals (第二).
    const rank = ordinalUnitOf(query.units);
    const withFigure = units.filter((u) => u.figures.some(wanted) || (rank !== undefined && answersOrdinal(u.folded, rank)));
    if (query.units.length && !withFigure.length) return { detail: "数字", reason: `所选句子没有以${query.units.join("/")}为单位的数字` };
    // A rate asked (每月多少, 收费标准) — by the clause asking the figure: 积分没到标准分 of …社保要交多久 is a condition.
    const asking = withoutDescribedCharges(query.askedClause ?? askingClauses(query.folded));
    const englishAsking = query.language === "en" ? englishAskingClauses(query.folded) : "";
    const rateAsked =
      query.language === "en"
        ? EN_RATE_QUESTION.test(englishAsking) || (query.attribute === "money" && EN_CHARGE_RATE_QUESTION.test(englishAsking))
        : RATE_QUESTION.test(asking) || (query.attribute === "money" && CHARGE_RATE_QUESTION.test(asking));
    if (rateAsked && !withFigure.some((u) => RATE_EXPRESSION.test(u.folded))) return { detail: "数字", reason: "问的是标准或每期的数额，带数字的句子没有“每”或“标准”" };
    // The question's most informative name that the retrieved passages know — of the clause that
    // asks for the figure, when another clause asks something else (…电话多少，上午几点开始接听？: not 上午).
    // Only a name of an institution the question names tells (华港 of 天河华港幼儿园): a dictionary word the
    // figure's sentence lacks (托管, 户口) is one the documents often write otherwise (课后服务, 户籍), which says
    // nothing of whether they state the figure. So an English question (no names) and a follow-up's
    // subject that is no such name (二级 of 那二级园呢) are not checked so. A category before 幼儿园 that
    // the dictionary lacks (普惠性 of 普惠性幼儿园) counts as a name: its figures' sentences name it.
    const isName = (t: string) => query.names === undefined || query.names.includes(t);
    const keyTerm = keyTermOf(query, stats, (t) => isName(t) && (query.askedClause === undefined || query.askedClause.includes(t)) && hits.some((h) => h.passage.folded.includes(t)), salience);
    // The sentence, or the title and headings it sits under (发文编号 under the 工作要点's title).
    const context = (u: ScoredUnit) => `${u.folded} ${foldRecurring([u.hit.doc.title, ...u.hit.passage.headingPath].join(" "))}`;
    // A sentence that holds most of the question's words (启动80所中小学、幼儿园新建、改扩建 for 2020年计划开工新建改扩建的
    // 中小学幼儿园有多少所) answers it without the key word (开工).
    if (keyTerm && withFigure.length && !withFigure.some((u) => termOrExpansionIn(context(u), keyTerm, query) || u.coverage >= MOST_OF_QUESTION)) return { detail: "数字", reason: `带数字的句子都不含所问的“${keyTerm}”` };
  }
  // A year asked (哪年发布的) is answered by a sentence of a document of a year, which the reply names (据2021年工作总结).
  const yearAsked = YEAR_QUESTION.test(query.folded);
  if (query.attribute === "when" && !units.some((u) => TIME_EXPRESSION.test(u.folded) || (yearAsked && (YEAR_EXPRESSION.test(u.folded) || typeof u.hit.doc.year === "number"))))
    return { detail: "时间", reason: "所选句子没有时间或日期" };
  return undefined;
}

/**
 * The asked year as a missing detail when the question writes one out (2023年, 2023学年) and none of the
 * chosen sentences is of it: neither opens with it nor stands in a document of it nor names it. A
 * document whose year is unknown may be of it: then nothing is said. 今年 and 去年 ask about the
 * latest the documents say, and the answer does not repeat the year (no source holds it).
 */
function askedYearsUnstated(query: AnalyzedQuestion, units: readonly ScoredUnit[]): string | undefined {
  if (!query.writtenYears?.length || !units.length) return undefined;
  return units.some((u) => ofWrittenYear(u, query)) ? undefined : YEAR_MISSING;
}

/** The passage's text from the first of a quote's lines to the last, as it stands (lines between included). */
function quotedSpan(quote: string, text: string): string {
  const lines = quote.split("\n").map((line) => ({ at: text.indexOf(line), line })).filter((l) => l.at >= 0);
  if (!lines.length) return quote;
  const start = Math.min(...lines.map((l) => l.at));
  const end = Math.max(...lines.map((l) => l.at + l.line.length));
  return text.slice(start, end);
}

/** The asked fields' lines of one document (Answerer.documentFieldQuotes). */
interface FieldQuotes {
  doc: DocumentMeta;
  passages: readonly Passage[];
  quotes: Array<{ passage: Passage; line: string }>;
}

/**
 * The no a whether question's answer opens with (能不能 → 不能。), from the lead sentence's own words:
 * the verdict is the answerer's, so the sentence must say it plainly — it forbids or waives (不得劝退
 * → 不能; 无需带幼儿 → 不需要), with no exception or condition that lets it happen (除…外, 未经…核准,
 * 强制…: 未经核准不得跨学区 allows it with approval), and no word that says the yes beside it. A yes
 * is never said: whether a sentence says 能 or 有 is not read from its characters (赋能, 所有, 要求
 * hold them and say nothing of it), so the quote answers alone.
 */
const YES_FORMS: Record<string, RegExp> = {
  能: /能|可|允许|准予/,
  可以: /可|能|允许|准予/,
  要: /要|须|需|应/,
};
/** The no of each yes word, and the words a sentence says it with. */
const NO_FORMS: Record<string, { no: string; says: RegExp }> = {
  能: { no: "不能", says: /不得|不能|不可|不准|禁止|严禁/ },
  可以: { no: "不可以", says: /不得|不能|不可|不准|禁止|严禁/ },
  要: { no: "不需要", says: /无需|不需要|不用|不必|无须/ },
};
/** An exception or a condition under which a prohibition lifts, or a manner it is limited to. */
const EXCEPTION = /(?<!开)除[^，。；,;]{1,40}(?:外|以外|之外)|除非|未经|非经|不经|擅自|强制|无正当理由|非法|违规|违法/;

/**
 * `asked`: the question's own words; the prohibition must be of one of them, right after it (不得劝退或者开除
 * for 能不能开除), not of something else the sentence also forbids.
 */
export function yesOrNo(sentence: string, yesWord: string, asked: readonly string[] = []): string | undefined {
  const no = NO_FORMS[yesWord];
  if (!no?.says.test(sentence) || EXCEPTION.test(sentence)) return undefined;
  if (asked.length) {
    const after = [...sentence.matchAll(new RegExp(`(?:${no.says.source})([^，。；,;]{0,24})`, "g"))].map((m) => m[1]!);
    if (!after.some((span) => asked.some((w) => span.includes(w)))) return undefined;
  }
  return YES_FORMS[yesWord]!.test(sentence.replace(new RegExp(no.says.source, "g"), "")) ? undefined : no.no;
}

/** Whether a clause of the question asks for a document field (the document named anywhere in the question). */
const asksField = (clause: string, query: AnalyzedQuestion) => askedDocumentFields(clause, query.folded).length > 0;

/**
 * A question that asks for a document field and, in a clause of its own, for something else (长宁 2019
 * 入园通知 文号 咨询电话 监督举报电话): a clause that asks something (a keyword that only names, 长宁 or
 * 入园通知, asks nothing) and no field.
 */
function asksBesideFields(query: AnalyzedQuestion): boolean {
  return query.documentFields.length > 0 && (query.clauses ?? []).some((c) => c.attribute !== "what" && !asksField(c.clause, query));
}

/** Whether the first clause that asks anything asks for a document field. */
function fieldAskedFirst(query: AnalyzedQuestion): boolean {
  const first = (query.clauses ?? []).find((c) => asksField(c.clause, query) || c.attribute !== "what");
  return first !== undefined && asksField(first.clause, query);
}

/** A document field's lines as units of a composed answer, quoted as they stand. */
function fieldUnits({ doc, quotes }: FieldQuotes): ScoredUnit[] {
  return quotes.map(({ passage, line }) => ({
    hit: { passage, doc, score: 0, signals: {} },
    hitRank: 0,
    text: line,
    folded: foldRecurring(line),
    score: 0,
    coverage: 0,
    figures: [],
    redacted: false,
  }));
}

/**
 * Every content word of the clause asked first is a word of the general dictionary that no passage
 * holds and that bridges to none that two passages hold (明天, 下雨, 天气): it asks about something else.
 */
function firstClauseOutside(query: AnalyzedQuestion, stats: TermStatistics): boolean {
  const words = query.firstClauseWords;
  if (!words?.length) return false;
  // A word the dictionary does not know (多效 of 一长多效) may be a typo or a name the documents spell
  // otherwise: the clause is not known to be about something else.
  return words.every((w) => w.general && !knownToDocuments(w.term, query, stats));
}

/**
 * A word the documents know, whole or by a part of two characters or more (交学费 by 学费, 保育费 by the
 * 保育 of 保育教育费): the documents speak of what it names.
 */
function knownInPart(term: string, query: AnalyzedQuestion, stats: TermStatistics): boolean {
  for (let length = term.length; length >= 2; length--) {
    for (let start = 0; start + length <= term.length; start++) if (knownToDocuments(term.slice(start, start + length), query, stats)) return true;
  }
  return false;
}

/**
 * A word some passage holds, or that bridges to a word two passages hold. A bridge target seen once is
 * no link (明天 → 明日 of one passage), as in the analysis's domain test.
 */
function knownToDocuments(term: string, query: AnalyzedQuestion, stats: TermStatistics): boolean {
  return stats.documentFrequency(term) > 0 || query.expansions.some((e) => e.from === term && stats.documentFrequency(e.term) >= 2);
}

/**
 * The hits without document-info passages (a document's header and signature), unless the question asks a
 * document field, names a header line (沪松教2019 50号 是什么文件; the release date of …: 政策发布日期), or nothing
 * else left shares the question's topic (that passage is then all the documents have on it).
 */
function bodyHits(hits: RetrievedPassage[], query: AnalyzedQuestion): RetrievedPassage[] {
  if (query.documentFields.length) return hits;
  const body = hits.filter((h) => h.passage.kind !== "document-info" || namesHeaderLine(h.passage, query));
  return body.some((h) => sharesTopic(h, query)) ? body : hits;
}

/** How a header labels its document number (发文字号, 发文编号, 文号). */
const DOCUMENT_NUMBER_LABELS = DOCUMENT_FIELDS.find((f) => f.field === "docNumber")!.labels;

/**
 * Whether one of the question's own content words is a header line's label (发布日期 of 政策发布日期) or its
 * document number's value (沪松教 of 发文字号：沪松教〔2019〕50号): the question asks about that line, or names the
 * document by its number. The other lines' values (落款：金山区教育局, a page's 学段) hold words any question
 * about the document says.
 */
function namesHeaderLine(passage: Passage, query: AnalyzedQuestion): boolean {
  const said: string[] = [];
  for (const line of passage.text.split("\n")) {
    const labelled = /^([^：:]{2,12})[：:](.+)$/.exec(foldRecurring(line));
    if (!labelled) continue;
    said.push(labelled[1]!);
    if (DOCUMENT_NUMBER_LABELS.some((label) => labelled[1]!.includes(label))) said.push(labelled[2]!);
  }
  const text = said.join("\n");
  return query.terms.some((t) => t.term.length >= 2 && !/^\d+年?$/.test(t.term) && text.includes(t.term));
}
