import { findRedactions } from "../text/clean/redaction.js";
import { extractFigures, type Figure } from "../text/figures.js";
import { foldRecurring } from "../text/fold.js";
import { labelledLines, splitSentences } from "../text/sentences.js";
import { addressMatch, ADDRESS_WEIGHT, answersAttribute, coverage, HEADING_FACTOR, INSTITUTION_WEIGHT, isTestable, namesInstitution, polarity, POLARITY_WEIGHT, rowColumnNames, scoringTerms, termIdf, testableWho, YEAR_TOKEN, unitStatement, type ScoringTerm, type TermStatistics } from "../question/scoring.js";
import { answersOrdinal, hasAskedUnit, ordinalUnitOf, STATES_CHANGE, standsInForCount } from "../question/attribute.js";
import { DOMAIN_SALIENCE, isTopical, namesYear, ownWordsOf, SHORT_FOLLOW_UP, writtenYearsOf } from "../question/analyze.js";
import type { AlsoAsked, AnalyzedQuestion, ChainedClause } from "../question/types.js";
import type { RetrievedPassage } from "../search/retriever.js";
import { articleOf, tableOf } from "../search/search-index.js";
import type { DocumentMeta, Passage } from "../types.js";
import { attributionPhrase, stanceOf } from "./attribution.js";
import { DOCUMENT_NUMBER } from "../knowledge/document-fields.js";

/** A sentence (or semicolon clause) of a retrieved passage, scored against the question. */
export interface ScoredUnit {
  hit: RetrievedPassage;
  hitRank: number;
  /** Original text of the unit, in the source's script. */
  text: string;
  folded: string;
  score: number;
  /** IDF-weighted share of the question's words in the unit alone (no bonuses). */
  coverage: number;
  figures: string[];
  redacted: boolean;
  /** The year the unit opens with (UnitText.leadYear). */
  leadYear?: number;
}

export interface ComposeInput {
  query: AnalyzedQuestion;
  hits: RetrievedPassage[];
  stats: TermStatistics;
  /** Domain salience of corpus terms (knowledge.json): the key term is a domain word before a rare filler. */
  salience?: Readonly<Record<string, readonly [number, number]>>;
  /**
   * The question asks for a document number that no document-info line gave (文号是多少 of a page
   * without a header): a sentence citing one (根据《…》（穗天教规字〔2024〕1号）) answers it.
   */
  numberAsked?: boolean;
  /** The document is of another place than every one the question names (Answerer.otherPlaceFor). */
  otherPlace?: (doc: DocumentMeta) => boolean;
}

/** The composed body: sentences in answer order, each pointing at the hit it came from. */
export interface ComposedBody {
  opening?: string;
  units: ScoredUnit[];
}

const MAX_SUPPORTING = 2;
const SUPPORT_RATIO = 0.6;
/** Added to a sentence's score for each further clause's attribute it also answers (half a time's or a place's bonus). */
const FURTHER_ANSWER_BONUS = 0.15;
/** The words a question asks a share by (比例, 占比). */
const SHARE_WORDS = "比例|占比";
/** A share named just before its figure (比例, 占比, …率: the words a question asks a percentage with, in their plain forms). */
const SHARE_NAMED = new RegExp(`(?:${SHARE_WORDS}|率)[^,，。；;\\d]{0,8}$`);
/** A share word of the question; a sentence naming its percentage by one (not by any …率: 入学率 is a rate of its own). */
const SHARE_WORD = new RegExp(`^(?:${SHARE_WORDS})$`);
const SHARE_WORD_BEFORE = new RegExp(`(?:${SHARE_WORDS})[^,，。；;\\d]{0,8}$`);
/** Added to a sentence that carries the document field asked (a document number for 文号), as a time or a place is for when or where. */
const ASKED_FIELD_BONUS = 0.3;
const MIN_SUPPORT_COVERAGE = 0.4;
/** A sentence of another year than the question's: weighs less, and much less when the question wrote its year out. */
const OTHER_YEAR = 0.8;
/** A sentence of a document stating the other side than the one asked (a plan's target for 实际做到多少): as one of another year. */
const OTHER_STANCE = 0.8;
const WRITTEN_YEAR_MISMATCH = 0.6;
/** A sentence of a document of another place than every one the question names: it weighs much less. */
const OTHER_PLACE = 0.6;
/** A unit that opens with a year (2021年, 截至2021年底): the year it reports on. */
const LEAD_YEAR = /^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]\s*)?(?:在|截至|截止|到)?((?:19|20)\d\d)\s*年/;
function leadYear(folded: string): number | undefined {
  const year = LEAD_YEAR.exec(folded)?.[1];
  return year ? Number(year) : undefined;
}
/** Whether a unit's lead year (LEAD_YEAR) is the year it reports on (2021年,全市…; 截至2021年底): not a target (到2025年) nor a date (2015年9月1日). */
function reportsLeadYear(folded: string): boolean {
  const lead = LEAD_YEAR.exec(folded);
  return lead !== null && !lead[0].includes("到") && !/^\s*\d{1,2}\s*月/.test(folded.slice(lead[0].length));
}
const ENUMERATOR = /^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d)|——)/;

/** What scoring reads of one unit that depends on its text alone. */
interface UnitText {
  text: string;
  folded: string;
  /** Figures of the folded text other than years. */
  figures: Figure[];
  redacted: boolean;
  /** The year a unit opens with (2021年，全市…): the year it speaks of, whatever its document's year. */
  leadYear?: number;
  /** A whole numbered line among numbered lines: a statement, not an item's title (splitUnits). */
  item: boolean;
}

/**
 * Units of the passages recent questions retrieved, by passage text (bounded, emptied when full;
 * keyed by text, not object, so passages fetched per request from a database hit it too).
 */
const PASSAGE_UNITS = 512;
const unitsByText = new Map<string, UnitText[]>();

/**
 * A passage's units with their folded text, figures and redaction flag: the same passages are
 * retrieved by question after question, and splitting and folding them is most of composing.
 */
function unitTexts(passage: Passage): UnitText[] {
  let units = unitsByText.get(passage.text);
  if (!units) {
    if (unitsByText.size >= PASSAGE_UNITS) unitsByText.clear();
    const split = splitUnits(passage.text);
    units = split.map(({ text, item }) => unitText(text, item));
    // A paragraph's account under the year that opens it (2021年,全市新投入使用学校…;…。…,全市招聘中小学
    // 教师xxxx名) speaks of that year until a sentence opens with another year or the line ends: its later
    // units are of it too (a 2022 speech reporting 2021), as retrieval reads a passage that opens a
    // sentence with the asked year (ofYear). Only a report's opener: not a target (到2025年…) nor a date
    // (2015年9月1日-2016年8月31日出生…), whose year is no account's.
    let year: number | undefined;
    units = units.map((unit, i) => {
      if (i > 0 && split[i]!.line !== split[i - 1]!.line) year = undefined;
      if (unit.leadYear !== undefined) year = reportsLeadYear(unit.folded) ? unit.leadYear : undefined;
      return unit.leadYear === undefined && year !== undefined ? { ...unit, leadYear: year } : unit;
    });
    unitsByText.set(passage.text, units);
  }
  return units;
}

function unitText(text: string, item: boolean): UnitText {
  const folded = foldRecurring(text);
  const year = leadYear(folded);
  return { text, folded, figures: extractFigures(folded).filter((f) => f.kind !== "year"), redacted: findRedactions(text).length > 0, item, ...(year ? { leadYear: year } : {}) };
}

/**
 * Splits a passage's text into answerable units: sentences, and semicolon clauses of long sentences.
 * `item`: a numbered line that is a whole statement in a run of numbered lines (3.… 4.智力有障碍的幼儿可到…登记。),
 * not a title with its body on the lines after it.
 */
function splitUnits(text: string): Array<{ text: string; item: boolean; line: number }> {
  const units: Array<{ text: string; item: boolean; line: number }> = [];
  const lines = labelledLines(text);
  // Semicolon clauses are units of their own: a clause about 配套园 should not ride along with the
  // one about new schools. Lines (table continuation rows) never join, but for a label and its line.
  lines.forEach((line, k) => {
    const numbered = (i: number) => i >= 0 && i < lines.length && ENUMERATOR.test(lines[i]!);
    const inRun = numbered(k) && (numbered(k + 1) || numbered(k - 1));
    for (const part of splitSentences(line, { semicolons: true })) {
      // A sentence that ends inside a table cell (…三项积分三选一。｜二级指标：…) leaves the next part
      // opening on the cell separator, which is no part of what it says.
      const unit = part.trim().replace(/^[｜|\s]+/, "");
      if (unit.replace(/[。；;，,\s]/g, "").length >= 6) units.push({ text: unit, item: inRun && part.trim() === line.trim(), line: k });
    }
  });
  return units;
}

/** Characters after a figure's 的 where the noun it quantifies stands (50%以上的培训机构). */
const NAMED_AFTER_SPAN = 6;

/** A placeholder's measure word, right after it (xx所, xx.xx万人), is an asked unit. */
function measuredInAskedUnit(folded: string, end: number, units: readonly string[]): boolean {
  const unit = /^(?:[万亿])?[\u4e00-\u9fff%％]/.exec(folded.slice(end))?.[0];
  return unit !== undefined && hasAskedUnit(`0${unit}`, units);
}

/** The placeholders of a sentence whose measure word is an asked unit. */
function askedPlaceholders(folded: string, units: readonly string[]): ReturnType<typeof findRedactions> {
  return findRedactions(folded).filter((r) => measuredInAskedUnit(folded, r.end, units));
}

/**
 * A sentence's anonymised figure is of what the question asks: one in an asked unit (配备校医xx名 for 多少名;
 * a unit of several characters read whole: 不少于x小时, xx个工作日), or any when no unit is asked (延长至xx:xx
 * for 几点). 建设幼儿园xx所 is no amount of money. (In scoring, a placeholder competes as a figure by its
 * measure word only: a real 1小时 elsewhere answers before a masked 不少于x小时.)
 */
export function redactsAsked(folded: string, units: readonly string[]): boolean {
  const whole = (end: number) => units.some((unit) => unit.length > 1 && (folded.startsWith(unit, end) || folded.startsWith(`个${unit}`, end)));
  return findRedactions(folded).some((r) => !units.length || measuredInAskedUnit(folded, r.end, units) || whole(r.end));
}

function scoreUnit(unit: UnitText, hit: RetrievedPassage, hitRank: number, input: ComposeInput, terms: ScoringTerm[]): ScoredUnit {
  const { text, folded, figures, redacted } = unit;
  // A row's column names count as context, like its caption (scoring.ts unitStatement); so do the
  // document's title and the headings it sits under: a sentence of 《…积分制入学…指引》 is about 积分入学.
  const { query } = input;
  // A sentence that names its own document (教育局向社会公示《2019年金山区幼儿园招生入园工作实施意见》) states
  // nothing of what the title's words say: the title is its context, as for every sentence of that document.
  const ownTitle = `《${foldRecurring(hit.doc.title)}》`;
  const stated = ownTitle.length > 4 && folded.includes(ownTitle) ? folded.replaceAll(ownTitle, "《》") : folded;
  const statement = unitStatement(stated, hit.passage, foldRecurring(hit.passage.headingPath.join(" ")), query.asksBesides);
  // A share asked (比例 of 好幼儿园的比例) is named by whichever share word the sentence uses (占比从去年的39%):
  // the question's share word is held by a sentence that names a percentage so.
  const shareWords = query.units.includes("%") ? terms.filter((t) => SHARE_WORD.test(t.term) && !statement.text.includes(t.term)).map((t) => t.term) : [];
  // The text just before a figure, where its name stands (占比从去年的39%).
  const before = (start: number) => folded.slice(Math.max(0, start - 10), start);
  const namesShare = shareWords.length > 0 && figures.some((f) => f.kind === "percent" && SHARE_WORD_BEFORE.test(before(f.start)));
  const unitCoverage = coverage(namesShare ? `${statement.text}\n${shareWords.join(" ")}` : statement.text, terms, { text: statement.context, factor: HEADING_FACTOR });
  let score = unitCoverage;
  if (query.attribute === "how-many" || query.attribute === "money") {
    const wanted = figures.filter((f) => hasAskedUnit(f.text, query.units) || (query.units.includes("%") && f.kind === "percent"));
    // An anonymised figure of the asked unit (xx所, xx个) answers the question as far as the source
    // allows: it competes as a figure, and the redaction penalty below keeps real figures first.
    const placeholders = redacted ? askedPlaceholders(folded, query.units) : [];
    // A rank asked (排第几) is answered by an ordinal, in Chinese numerals as often as in digits (位列全省第二).
    const rank = ordinalUnitOf(query.units);
    const ordinal = rank !== undefined && answersOrdinal(folded, rank);
    let answering = 0;
    if (figures.length || placeholders.length || ordinal) answering += 0.25;
    // A figure in the general classifier (28个 for 多少所) answers a count at half the weight of the asked unit.
    const exact = wanted.some((f) => !standsInForCount(f.text, query.units)) || placeholders.length > 0 || ordinal;
    if (query.units.length && (wanted.length || placeholders.length || ordinal)) answering += exact ? 0.3 : 0.15;
    // The asked-for quantity: a figure right after the question's own words (新增公办园22所).
    const ownWords = [...query.terms.map((t) => t.term), ...query.expansions.map((e) => e.term)].filter((t) => t.length >= 2);
    const starts = [...wanted.map((f) => f.start), ...placeholders.map((r) => r.start)];
    // A share asked (比例, 占比, 参与率 → %) is named in the sentence by any of those words (占比从去年的39% for 比例).
    // Or one that names it after 的 (50%以上的培训机构, 90%以上的中小学): the quantity of what the question names.
    const ofWhat = (f: Figure) => /^(?:以上|以下|左右)?的/.exec(folded.slice(f.end))?.[0];
    // (A share so named answers what share, not how many: 50%以上的培训机构 is no count of them.)
    const namedAfter = wanted.some((f) => {
      if (f.kind === "percent" && !query.units.includes("%")) return false;
      const of = ofWhat(f);
      if (of === undefined) return false;
      const noun = folded.slice(f.end + of.length).split(/[，。；、,;\s]/)[0]!.slice(0, NAMED_AFTER_SPAN);
      return ownWords.some((t) => noun.includes(t));
    });
    if (namedAfter || starts.some((start) => ownWords.some((t) => before(start).includes(t)) || (query.units.includes("%") && SHARE_NAMED.test(before(start))))) answering += 0.35;
    // A change asked (从多少涨到多少) is answered half by a sentence that states one level (比例达到50%以上).
    score += query.asksChange && !STATES_CHANGE.test(folded) ? answering / 2 : answering;
    if (!figures.length && !redacted && !ordinal) score *= 0.6;
  } else if (query.attribute === "when" || query.attribute === "where" || (query.attribute === "who" && testableWho(query.folded) !== undefined)) {
    // The sentence that carries a time (几点, 什么时候), a place (在哪), who said it (谁说的) or whom to turn to (找谁问) leads the answer.
    if (answersAttribute(folded, query)) score += 0.3;
    else score *= 0.8;
  }
  // 文号是多少/是什么, when no header line answered it, by a sentence citing a document number.
  if (input.numberAsked && DOCUMENT_NUMBER.test(folded)) score += ASKED_FIELD_BONUS;
  // A sentence that also answers what a further clause asks (开到几点？电话多少？: a row with both the
  // hours and the number) answers more of the question.
  for (const also of query.alsoAsked ?? []) {
    if (isTestable(also.attribute, also.clause) && answersAttribute(folded, { ...also, folded: also.clause })) score += FURTHER_ANSWER_BONUS;
  }
  // A sentence on the question's side of a negation (积分未达到 for 积分没达标) answers it; the other side does not.
  // Under a heading that negates (⑷…积分未达到标准分值), a sentence is on that heading's side.
  if (query.negated?.length) score += POLARITY_WEIGHT * polarity(`${statement.context}\n${folded}`, query.negated);
  // A catchment list holding the asked house number answers 武夷路200号对口哪所; one listing the street without it does not.
  if (query.address) score += ADDRESS_WEIGHT * addressMatch(folded, query.address);
  // A row whose cell names the institution asked (漕泾幼儿园), not one whose name only ends alike (斯育漕泾幼儿园).
  if (hit.passage.kind === "table-row" && query.institutions?.length && namesInstitution(folded, query.institutions)) score += INSTITUTION_WEIGHT;
  if (query.years.length) {
    const year = unit.leadYear ?? hit.doc.year;
    if (year !== undefined && query.years.includes(year)) score += 0.15;
    // A year written out (2021年…多少) is a condition of the question; 今年 or an inherited year asks the latest said.
    else score *= query.writtenYears?.length ? WRITTEN_YEAR_MISMATCH : OTHER_YEAR;
  }
  // A target asked (目标是多少) is stated by a plan, an outcome (实际做到多少) by a report: a sentence of a
  // document stating the other side answers as a sentence of another year does.
  if (query.stance) {
    const side = stanceOf(hit.doc);
    if (side && side !== query.stance) score *= OTHER_STANCE;
  }
  // A question that names its place (天河, 上海) is answered by that place's documents before one of another
  // place that says the same of itself (青岛's 公办园…占比 for 天河公办园…占几成), as a sentence of another year.
  if (input.otherPlace?.(hit.doc)) score *= OTHER_PLACE;
  // Placeholders are a last resort: a real figure elsewhere wins.
  if (redacted) score *= 0.75;
  // A short numbered sentence is an item's title (4．加快推进新优质学校建设。), not an answer; a
  // numbered clause cut at its semicolon (4．本区…招生咨询电话：57821271；) is the item's first statement.
  if (ENUMERATOR.test(text) && text.length < 30 && !/[；;，,]\s*$/.test(text) && !unit.item) score *= 0.5;
  // A sentence with an elided (mojibake) stretch reads badly aloud: prefer a clean one.
  if (text.includes("…")) score *= 0.85;
  score *= 1 - Math.min(hitRank, 6) * 0.06;
  return { hit, hitRank, text, folded, score, coverage: unitCoverage, figures: figures.map((f) => f.text), redacted, ...(unit.leadYear ? { leadYear: unit.leadYear } : {}) };
}

function bigrams(s: string): Set<string> {
  const set = new Set<string>();
  const han = s.replace(/[^\u3400-\u9fff\d]/g, "");
  for (let i = 0; i + 2 <= han.length; i++) set.add(han.slice(i, i + 2));
  return set;
}

/** Share of one character-pair set's pairs that the other holds, over `of` of the two sizes (0 when either is empty). */
function pairOverlap(a: string, b: string, of: (x: number, y: number) => number): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (!x.size || !y.size) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / of(x.size, y.size);
}

/** Most of a sentence's character pairs are in the text: the text quotes it (not merely a shorter sentence inside it). */
function containedIn(sentence: string, text: string): boolean {
  return pairOverlap(sentence, text, (own) => own) > 0.6;
}

function nearDuplicate(a: string, b: string): boolean {
  return pairOverlap(a, b, Math.min) > 0.6;
}

/** Picks the direct answer and at most a few supporting units, best first, without repeats. */
export function selectUnits(input: ComposeInput): ScoredUnit[] {
  const terms = scoringTerms(input.query, input.stats);
  const scored = input.hits.flatMap((hit, rank) => unitTexts(hit.passage).map((u) => scoreUnit(u, hit, rank, input, terms)));
  scored.sort((a, b) => b.score - a.score);
  // The question's most informative word (known to the corpus): the answer is about it, and so is
  // its support (or about its expansions).
  const keyTerm = keyTermOf(input.query, input.stats, (t) => input.stats.documentFrequency(t) > 0, input.salience);
  const aboutKeyTerm = (u: ScoredUnit) => !keyTerm || termOrExpansionIn(u.folded, keyTerm, input.query);
  let best = scored[0];
  if (!best) return [];
  // A short follow-up that names something of its own (那二级园呢？ after 示范性幼儿园) is about that: a
  // sentence holding it leads, not one about the earlier turn's words.
  const followUpLead = keyTerm !== undefined && keyTerm === followUpSubject(input.query, input.stats);
  if (followUpLead && !aboutKeyTerm(best)) best = scored.find(aboutKeyTerm) ?? best;
  // A row chosen for what a follow-up names (那二级园呢？) stays; otherwise a row tied with its table's rows gives way.
  if (!followUpLead) best = unlessTiedRow(best, scored, aboutKeyTerm, input.query);
  // (A follow-up's own subject, 那二级园呢？, leads with a sentence the reply did not quote: unlessTold keeps it.)
  best = unlessTold(best, scored, input, aboutKeyTerm);
  const chosen = [best];
  const broad = input.query.attribute === "list" || input.query.attribute === "how";
  const limit = broad ? MAX_SUPPORTING + 1 : MAX_SUPPORTING;
  for (const unit of scored) {
    if (unit === best) continue;
    if (chosen.length > limit) break;
    if (unit.score < best.score * SUPPORT_RATIO) break;
    // Support beside a lead of the place the question names is of that place too (not 青岛's 62% beside 天河's 90%).
    if (input.otherPlace?.(unit.hit.doc) && !input.otherPlace(best.hit.doc)) continue;
    // Support must be about the question on its own merits, not only carry a figure.
    if (unit.coverage < Math.max(MIN_SUPPORT_COVERAGE, best.coverage * SUPPORT_RATIO)) continue;
    if (!broad && !aboutKeyTerm(unit)) continue;
    if (chosen.some((c) => nearDuplicate(c.text, unit.text))) continue;
    // A supporting unit must add something: a figure the answer lacks, or a new passage.
    const newFigures = unit.figures.some((f) => !chosen.some((c) => c.figures.includes(f)));
    const newPassage = !chosen.some((c) => c.hit.passage.id === unit.hit.passage.id);
    if (!newFigures && !newPassage) continue;
    chosen.push(unit);
  }
  withTiedRows(chosen, scored, input.query);
  withAttributeAnswer(chosen, scored, input.query, terms, input.otherPlace);
  answerOtherClauses(chosen, scored, input.query, terms, input.otherPlace);
  const ordered = withContinuedItems(withRowCells(withAnnouncedItems(withAntecedents(leadWithAttribute(orderByYear(chosen, input.query.years), input.query), input, terms), input, terms), input, terms), input, terms);
  return withNamedRows(withReferencedRows(ordered, input, terms), scored, input.query);
}

/** A request to hear again what was said (a closed class). */
const REPEAT_REQUEST = /来着|再说一遍|再说一次|重复一下|刚才说|刚说的/;

/**
 * A follow-up that asks for a figure again (那实际做到了多少？ after the reply 全市优质园比例达到50%以上) asks
 * for another one than the reply gave. The lead gives way only when the reply told it already (quoted
 * the sentence, or gave each of its figures in other words), the follow-up does not ask to hear it
 * again (多少来着？) and names no domain word the told sentence holds (那联盟办园参与率呢？ asks another
 * figure of that very sentence): then the best sentence about the key term, of the asked year, with a
 * figure the reply's figures do not include, leads if it scores as support would beside it.
 */
function unlessTold(best: ScoredUnit, scored: readonly ScoredUnit[], input: ComposeInput, about: (u: ScoredUnit) => boolean): ScoredUnit {
  const { query } = input;
  const told = query.followUp?.answered;
  if (!told || (query.attribute !== "how-many" && query.attribute !== "money")) return best;
  // The figures the reply led with (its first sentence, read aloud): one it gave only in support (60% beside
  // the target's 50%以上) is still what a follow-up asking again (那最后实际达到了多少？) wants.
  const toldLead = told.split(/\[\d+\]|[。！？!?]/)[0] ?? told;
  const toldFigures = new Set(extractFigures(toldLead).map((f) => f.text));
  // The figures a sentence answers with: a year alone (2017 of 行动计划(2017-2020年)) names a plan, not a value.
  const valuesOf = (u: ScoredUnit) => u.figures.filter((f) => /\d/.test(f) && !YEAR_TOKEN.test(f));
  const numbers = valuesOf(best);
  // Told: the reply led with the sentence, or gave every figure it holds (a reply in other words); a
  // sentence it quoted only in support is still news to a follow-up asking again.
  const quoted = containedIn(best.folded, toldLead);
  if (!quoted && !(numbers.length > 0 && numbers.every((f) => toldFigures.has(f)))) return best;
  // Asked to repeat (多少来着？, 再说一遍): the told figure is the answer.
  if (REPEAT_REQUEST.test(query.folded)) return best;
  // The follow-up names something the told sentence holds (那联盟办园参与率呢？): that sentence answers it.
  const named = query.terms.filter((t) => t.source === "question" && isTopical(t.term) && (input.salience?.[t.term]?.[0] ?? 0) >= DOMAIN_SALIENCE);
  if (named.some((t) => best.folded.includes(t.term))) return best;
  const inYear = (u: ScoredUnit) => !query.years.length || query.years.includes(u.leadYear ?? u.hit.doc.year ?? 0);
  // New: a figure the reply did not give, or the same figure of something the follow-up names that the
  // told sentence does not (那中小学呢？…高水平现代化学校 after 普惠性幼儿园覆盖率达到90%: 90%以上的中小学 is news).
  const namesAsked = (u: ScoredUnit) => named.some((t) => u.folded.includes(t.term));
  const news = (u: ScoredUnit) => {
    const values = valuesOf(u);
    return values.some((f) => !toldFigures.has(f)) || (values.length > 0 && !containedIn(u.folded, told) && namesAsked(u));
  };
  // About the key term, or about what the follow-up itself names (the key term may be the earlier turn's).
  return scored.find((u) => u !== best && news(u) && (about(u) || namesAsked(u)) && inYear(u) && u.score >= best.score * SUPPORT_RATIO) ?? best;
}

/** Further rows a question can name beside its lead's (二级园和示范园, …？三级园呢？). */
const MAX_NAMED_ROWS = 2;
/** A question that asks of several things: a coordination, a listing comma, 分别, a second question, or keywords typed apart. */
const SEVERAL_ASKED = /[和与及、]|还有|以及|分别|[?][^?]*[\u3400-\u9fff]|[\u3400-\u9fff]\s+[\u3400-\u9fff]/;

/**
 * A question that names several rows of one table (那二级园和示范园每个月多少钱？, 那示范园一个月多少钱？三级园呢？)
 * gets each: when the lead is a row, a retrieved row of the same table whose first cell — the row's
 * name (等级：三级幼儿园) — holds a word of the question that the lead lacks follows the lead.
 */
function withNamedRows(units: ScoredUnit[], scored: readonly ScoredUnit[], query: AnalyzedQuestion): ScoredUnit[] {
  const lead = units[0];
  const table = lead ? tableOf(lead.hit.passage) : undefined;
  // Several things are asked of only with a coordination (和, 与, 、), a further question (…？三级园呢？) or 分别.
  if (!lead || table === undefined || !SEVERAL_ASKED.test(query.folded)) return units;
  const nameOf = (u: ScoredUnit) => foldRecurring(Object.values(u.hit.passage.fields ?? {})[0] ?? "");
  // A word of the table's caption or document title (浦东新区 of 浦东新区…一览表) names the table, not a row.
  const caption = foldRecurring(lead.hit.passage.headingPath.join(" "));
  const words = query.terms
    .filter((t) => t.source === "question" && t.term.length >= 2 && !lead.folded.includes(t.term) && !caption.includes(t.term))
    .map((t) => t.term);
  const added: ScoredUnit[] = [];
  for (const word of words) {
    if (added.length >= MAX_NAMED_ROWS) break;
    const row = scored.find((u) => tableOf(u.hit.passage) === table && nameOf(u).includes(word) && u.hit.passage.id !== lead.hit.passage.id);
    if (row && !units.includes(row) && !added.includes(row)) added.push(row);
  }
  if (!added.length) return units;
  return [lead, ...added, ...units.slice(1).filter((u) => !added.includes(u))];
}

/**
 * A numbered item named in a sentence: a noun of two or more characters and its number, as 纳入
 * “信息验证点6”的范围 names row 6 of the table whose column is 信息验证点.
 */
const NUMBERED_ITEM = /([\u3400-\u9fff]{2,12}?)[\s“"「]*(\d{1,3})(?=[”"」』）)]|的|[，。；、,;]|$)/g;

/**
 * The table row a sentence points at by a numbered item (纳入“信息验证点6”的范围 → the row 序号：6｜信息验证点：
 * 白云幼儿园…｜范围：…, under the same heading as the sentence), quoted right after it: the sentence says
 * where to go only through that row. The row must be a retrieved row of the same document and heading
 * path, with the item's noun ending with one of its column names and the item's number as its first cell.
 */
function withReferencedRows(units: ScoredUnit[], input: ComposeInput, terms: ScoringTerm[]): ScoredUnit[] {
  const lead = units[0];
  if (!lead || lead.hit.passage.kind === "table-row") return units;
  const rows = input.hits.filter((h) => h.passage.kind === "table-row" && h.passage.fields && h.passage.docId === lead.hit.passage.docId && sameHeadings(h.passage.headingPath, lead.hit.passage.headingPath));
  if (!rows.length) return units;
  for (const [, noun, number] of lead.text.matchAll(NUMBERED_ITEM)) {
    // The item's number is the row's number: its first cell (序号：6), not any cell that reads 6.
    const row = rows.find((h) => {
      const fields = Object.entries(h.passage.fields!);
      return fields.some(([name]) => name.length >= 2 && noun!.endsWith(name)) && fields[0]![1].trim() === number;
    });
    if (!row || units.some((u) => u.hit.passage.id === row.passage.id)) continue;
    const [unit] = unitTexts(row.passage);
    if (!unit) continue;
    return [lead, scoreUnit(unit, row, input.hits.indexOf(row), input, terms), ...units.slice(1)];
  }
  return units;
}

function sameHeadings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((h, i) => h === b[i]);
}

/** Rows of one table as well covered as the best one: the question names none of them (unlessTiedRow). */
const TIED_ROWS = 2;

/** The rows of the lead's table that cover the question exactly as the lead does (other passages than the lead's). */
function tiedRows(best: ScoredUnit, scored: readonly ScoredUnit[]): ScoredUnit[] {
  const table = tableOf(best.hit.passage);
  if (table === undefined) return [];
  return scored.filter((u) => u.hit.passage.id !== best.hit.passage.id && tableOf(u.hit.passage) === table && Math.abs(u.coverage - best.coverage) < 1e-9);
}

/**
 * The lead, unless it is one of several rows of a table that cover the question exactly alike: then
 * the question matched only what those rows share (松江区…幼儿园, the column 招生咨询电话), singles out
 * none of them, and the best unit that is not such a row and covers as much leads instead (本区学前教育
 * 阶段招生咨询电话：57821271) — when it carries a figure asked as the row does: a list of annexes that
 * names the fee table (4.金山区公办幼儿园分等定级保育教育费收费标准) answers no 每个月多少钱 its rows answer.
 * (An address or a date asked is the office's, which a further sentence gives: withAttributeAnswer.)
 * The rows can still follow as support.
 */
function unlessTiedRow(best: ScoredUnit, scored: readonly ScoredUnit[], about: (u: ScoredUnit) => boolean, query: AnalyzedQuestion): ScoredUnit {
  const tied = new Set(tiedRows(best, scored).map((u) => u.hit.passage.id));
  if (tied.size < TIED_ROWS) return best;
  const table = tableOf(best.hit.passage);
  const valued = (query.attribute === "how-many" || query.attribute === "money") && answersAttribute(best.folded, query);
  return scored.find((u) => tableOf(u.hit.passage) !== table && u.coverage >= best.coverage && about(u) && (!valued || answersAttribute(u.folded, query))) ?? best;
}

/** The stretches of three to eight Han characters of a question that a text holds (天山苑 of 天山苑几点关门). */
function sharedStretches(question: string, text: string): string[] {
  const found = new Set<string>();
  for (const run of question.match(/[\u3400-\u9fff]{3,}/g) ?? []) {
    for (let i = 0; i + 3 <= run.length; i++) {
      for (let len = 3; len <= 8 && i + len <= run.length; len++) {
        const stretch = run.slice(i, i + len);
        if (!text.includes(stretch)) break;
        found.add(stretch);
      }
    }
  }
  return [...found];
}

/** The most rows of one table an answer lists when the question singles out none of them. */
const MAX_TIED_LISTED = 6;
/**
 * Rows listed from this many (the lead's among them): two rows carrying the figure asked already say it
 * differs by what they name, while a lead gives way (unlessTiedRow) only to rows tied with it beside it.
 */
const MIN_TIED_LISTED = 2;

/**
 * A lead that is one of several rows covering the question alike, each carrying the figure asked (the
 * fee of each grade of kindergarten, for 公办幼儿园保育费每个月多少钱) and no question word the lead holds
 * missing: the question singles out none, so the answer lists them, in the table's order, up to MAX_TIED_LISTED. Only for a figure: a table's rows
 * break a figure down by what they name, while an address or a date asked of no row in particular (地址在哪
 * after 咨询电话) is the office's, which no row gives.
 */
function withTiedRows(chosen: ScoredUnit[], scored: readonly ScoredUnit[], query: AnalyzedQuestion): void {
  const lead = chosen[0]!;
  // A follow-up's subject is the earlier turn's (电话呢？ after 岳阳幼儿园在什么地方): the rows are not its to list.
  if ((query.attribute !== "how-many" && query.attribute !== "money") || query.followUp || !answersAttribute(lead.folded, query)) return;
  // Every tied row that carries the figure, chosen as support already or not; the lead and the best
  // scored of the others when there are too many; then in the table's order.
  // A row the question singles out (天山苑's of the 信息苑 table, for 天山苑几点关门 电话多少) shares words with the
  // question the other rows lack: only rows holding every question word, and every stretch of three Han
  // characters or more of the question, that the lead holds are listed beside it.
  const words = query.terms.filter((t) => t.source === "question" && t.term.length >= 2 && isTopical(t.term) && lead.folded.includes(t.term)).map((t) => t.term);
  const spans = sharedStretches(query.folded, lead.folded);
  const rows = tiedRows(lead, scored).filter((u) => answersAttribute(u.folded, query) && [...words, ...spans].every((w) => u.folded.includes(w)));
  if (rows.length + 1 < MIN_TIED_LISTED) return;
  const listed = [lead, ...[...rows].sort((a, b) => b.score - a.score).slice(0, MAX_TIED_LISTED - 1)].sort((a, b) => a.hit.passage.ordinal - b.hit.passage.ordinal);
  chosen.splice(0, chosen.length, ...listed, ...chosen.filter((c) => !listed.includes(c)));
}

/** The shortest name an answer can pass on to a referring clause (虹古路第三幼儿园, not 幼儿园), and the longest. */
const MIN_CHAINED_NAME = 4;
const MAX_CHAINED_NAME = 24;

/**
 * The name an earlier answer passes on to a referring clause: the longest stretch of Han characters
 * and digits that the lead sentence and a candidate share and the question does not hold, ending
 * with the referring clause's noun when it has one (那个园 → …园).
 */
function sharedName(lead: string, candidate: string, question: string, head: string, isCommon: (name: string) => boolean): string {
  let best = "";
  const a = lead.replace(/[^\u3400-\u9fff\d]+/g, "|");
  // Names end with the noun: only stretches ending where the lead has it are tried.
  for (let end = a.indexOf(head); end >= 0; end = a.indexOf(head, end + 1)) {
    const stop = end + head.length;
    for (let start = stop - MIN_CHAINED_NAME; start >= Math.max(0, stop - MAX_CHAINED_NAME); start--) {
      const name = a.slice(start, stop);
      if (name.includes("|") || !candidate.includes(name)) break;
      if (name.length > best.length && !question.includes(name) && !isCommon(name)) best = name;
    }
  }
  return best;
}

/**
 * A column that names what its row is about: a name (园名, 校名, 名称, 单位名称) or the institution itself
 * (单位, 学校, 幼儿园, 机构) — a closed class of table headings; not 报名登记地址, 名额 or 排名.
 */
const NAME_COLUMN = /^(?:(?:园|校|学校|单位|机构|幼儿园)?名称?|园名|校名|单位|学校|幼儿园|机构)$/;

/** The cells of a table row's name columns (NAME_COLUMN), folded: what the row is about. */
function rowNameCells(passage: Passage): Array<{ column: string; value: string }> {
  if (passage.kind !== "table-row" || !passage.fields) return [];
  return Object.entries(passage.fields)
    .filter(([column, value]) => NAME_COLUMN.test(column.trim()) && value.trim().length >= 2)
    .map(([column, value]) => ({ column: foldRecurring(column.trim()), value: foldRecurring(value.trim()) }));
}

/** A name the corpus uses in more passages than this is a kind of thing (公办幼儿园), not one thing. */
const MAX_NAME_PASSAGES = 3;

/**
 * A referring clause (…要到哪里登记？那个园的电话是多少？) asks about what the earlier clauses' answer
 * names. `first` is the composition input of those clauses as a question of their own; `hops` what
 * retrieval found for the lead's words with the referring clause's. The answer is the lead, then the
 * sentence that carries what the clause asks and names what the lead names (序号：19｜单位：虹古路第三幼儿园｜…｜电话：62424309),
 * then the lead's support. Undefined when no sentence names it.
 */
export function chainedUnits(first: ComposeInput, units: ScoredUnit[], hops: RetrievedPassage[], chain: ChainedClause, question: string): ScoredUnit[] | undefined {
  const lead = units[0];
  if (!lead) return undefined;
  const asked = { attribute: chain.attribute, units: chain.units, folded: chain.clause };
  if (answersAttribute(lead.folded, asked)) return undefined;
  const terms = scoringTerms(first.query, first.stats);
  const isCommon = (n: string) => (first.salience?.[n]?.[1] ?? 0) > MAX_NAME_PASSAGES;
  // A row that names its place in a name column (园名：建青｜招生地段：…) names it by that cell, however short
  // or often its words recur in addresses (武夷 of 武夷路): the hop is a row whose own name cell opens with it.
  const rowNames = rowNameCells(lead.hit.passage).map((c) => c.value).filter((n) => !question.includes(n));
  let best: { unit: ScoredUnit; name: string } | undefined;
  hops.forEach((hit, rank) => {
    const names = rowNameCells(hit.passage);
    for (const unit of unitTexts(hit.passage)) {
      if (unit.text === lead.text || !answersAttribute(unit.folded, asked)) continue;
      let name = sharedName(lead.folded, unit.folded, question, chain.head, isCommon);
      if (name.length < MIN_CHAINED_NAME) name = rowNames.find((n) => names.some((c) => c.value.startsWith(n) && unit.folded.includes(`${c.column}:${c.value}`))) ?? "";
      if (name && (!best || name.length > best.name.length)) best = { unit: scoreUnit(unit, hit, rank, first, terms), name };
    }
  });
  if (!best) return undefined;
  return [lead, best.unit, ...units.slice(1).filter((u) => u.text !== best!.unit.text)];
}

/**
 * Whether a sentence can be of a year the question writes out (2020年…多少): it opens with it, stands in
 * a document of it or names it. A document whose year is unknown may be of it, and a standing rule (a
 * regulation with its 施行 date) holds in the years after it. Any sentence is when no year is written.
 * `written`: the years to hold it to (a clause's own, else the question's).
 */
export function ofWrittenYear(u: ScoredUnit, query: AnalyzedQuestion, written: readonly number[] = query.writtenYears ?? []): boolean {
  if (!written.length) return true;
  const year = u.leadYear ?? u.hit.doc.year;
  if (u.hit.doc.effective !== undefined && year !== undefined && written.every((y) => y >= year)) return true;
  return year === undefined || written.includes(year) || written.some((y) => namesYear(u.folded, y));
}

/**
 * A question of several clauses (咨询电话是多少？在哪里可以当面咨询？) is answered clause by clause: when
 * no chosen sentence carries what a further clause asks (a place, a time, a figure), the sentence that
 * does and holds most of that clause's own words joins the answer — each quoted as it stands.
 */
function answerOtherClauses(chosen: ScoredUnit[], scored: ScoredUnit[], query: AnalyzedQuestion, terms: ScoringTerm[], otherPlace?: (doc: DocumentMeta) => boolean): void {
  // The question's own clause first: with the further clauses' words beside it, the best sentence
  // overall can be the answer to one of those (录取通知书 … 6月12日前) and not to it (集中报名 … 6月2日至6月4日).
  const own: AlsoAsked[] = query.alsoAsked && query.askedClause !== undefined && isTestable(query.attribute, query.askedClause) ? [{ attribute: query.attribute, units: query.askedUnits ?? query.units, clause: query.askedClause }] : [];
  for (const also of [...own, ...(query.alsoAsked ?? [])]) {
    const isOwn = own.length > 0 && also === own[0];
    // A time asked of the most recent of several (最近一次修改是哪天): of the sentences that answer it, the
    // one with the latest date, not the nearest nor the one holding most of the clause's words.
    const latestWords = isOwn ? query.asksLatest : also.latest;
    const latest = latestWords !== undefined;
    // The clause's words and what the analysis bridged them to (社保 → 社会保险). In a further clause, a
    // word none of the retrieved sentences holds (去 of 想当面去问的话) cannot tell them apart: it neither
    // adds to nor takes from a sentence's share against the support bar, as a word the index lacks does not.
    // A clause asking whether is tested by its own words: those the question's own clause also has
    // (孩子 of 孩子几岁上学？孩子能插班吗？) chose the answer already and tell nothing.
    const byWords = !isOwn && also.attribute === "whether";
    // A clause is tested as its own question: 几点到几点打得通 asks a time of day, not a date.
    const asked = { ...also, folded: also.clause };
    // The question's written years this clause writes (2020年计划开工多少所), else all of them: …？2021年呢 holds
    // its clause to 2021.
    const ownYears = writtenYearsOf(also.clause, query.writtenYears ?? []);
    const clauseYears = ownYears.length ? ownYears : (query.writtenYears ?? []);
    const ownUnanswered = isOwn && !chosen.some((c) => answersAttribute(c.folded, asked));
    const held = (word: string) => scored.some((u) => u.folded.includes(word));
    // The clause's words the analysis bridged a term from (社保 for 社会保险).
    const bridgedFrom = (term: string) => query.expansions.filter((e) => e.term === term && e.from !== undefined && also.clause.includes(e.from)).map((e) => e.from!);
    const clauseTerms = terms
      .filter((t) => also.clause.includes(t.term) || bridgedFrom(t.term).length > 0)
      .filter((t) => !byWords || query.askedClause === undefined || !query.askedClause.includes(t.term))
      // The words asking for the most recent (最近一次) say nothing of what is asked: 一次 is not 第一次修正.
      .filter((t) => latestWords === undefined || !latestWords.includes(t.term))
      .map((t) => (!isOwn && t.counts && !held(t.term) ? { ...t, counts: false } : t))
      // A further clause's word that no retrieved sentence holds, written there as the analysis bridged
      // it (社保 as 社会保险): the bridged word counts in its stead. So in the question's own clause when
      // no chosen sentence carries what it asks (年纪要多少岁以下 beside 积分要多少分 answered with 150分:
      // 年纪 as 年龄 finds 年龄在45周岁以下); a chosen sentence that does answer it is not second-guessed
      // by a bridged word alone.
      .map((t) => ((!isOwn || ownUnanswered) && !t.counts && held(t.term) && bridgedFrom(t.term).some((w) => !held(w)) ? { ...t, counts: true } : t));
    // In the question's own clause, the word a switched-on stand-in speaks for no longer counts beside it
    // (a further clause's unheld words count for nothing already): the clause can be held whole.
    if (ownUnanswered) {
      const spokenFor = new Set(clauseTerms.filter((t) => t.counts && t.from !== undefined && !held(t.from)).map((t) => t.from!));
      for (let i = 0; i < clauseTerms.length; i++) if (spokenFor.has(clauseTerms[i]!.term) && clauseTerms[i]!.counts) clauseTerms[i] = { ...clauseTerms[i]!, counts: false };
    }
    if (!clauseTerms.some((t) => t.counts)) {
      if (!isOwn && !byWords) answerFromLeadPassage(chosen, scored, asked, latest);
      continue;
    }
    const shareOf = (unit: ScoredUnit) => {
      // A list's sentence is read under its headings (⑶香港、澳门、外籍人士子女 › 所需材料：…), as units are scored.
      const statement = unitStatement(unit.folded, unit.hit.passage, also.attribute === "list" ? foldRecurring(unit.hit.passage.headingPath.slice(1).join(" ")) : "");
      return coverage(statement.text, clauseTerms, { text: statement.context, factor: HEADING_FACTOR });
    };
    if (byWords && chosen.some((c) => shareOf(c) >= MIN_SUPPORT_COVERAGE)) continue;
    const quoted = (unit: ScoredUnit) => chosen.some((c) => c.hit.passage.id === unit.hit.passage.id);
    // The question's own clause is answered already unless a sentence that carries what it asks
    // holds more of its words than every chosen one (a further clause's words can have chosen the
    // lead); a further clause needs the support's coverage.
    if (isOwn) {
      // A lead that carries what the clause asks and holds each of its words, in its text or under
      // its column names (电话多少 of …在哪 电话多少 and the row 门店：新泾苑｜…｜电话：62396174), answers it.
      const lead = chosen[0]!;
      const read = unitStatement(lead.folded, lead.hit.passage, foldRecurring(lead.hit.passage.headingPath.slice(1).join(" ")));
      if (answersAttribute(lead.folded, asked) && clauseTerms.every((t) => !t.counts || read.text.includes(t.term) || read.context.includes(t.term))) continue;
      // The own clause's answer, chosen already as support behind a further clause's, moves to the
      // front when the lead holds much less of the own clause (as support is judged: SUPPORT_RATIO).
      const answering = chosen.filter((c) => answersAttribute(c.folded, asked)).sort((a, b) => shareOf(b) - shareOf(a))[0];
      if (answering && answering !== chosen[0] && shareOf(chosen[0]!) < shareOf(answering) * SUPPORT_RATIO) chosen.unshift(...chosen.splice(chosen.indexOf(answering), 1));
    }
    // A list clause's sentence must name what is listed (its head noun): that is most of the test,
    // so it needs support's bar as support is judged beside a lead (× SUPPORT_RATIO).
    const bar = isOwn ? Math.max(0, ...chosen.filter((c) => answersAttribute(c.folded, asked)).map(shareOf)) : also.head ? MIN_SUPPORT_COVERAGE * SUPPORT_RATIO : MIN_SUPPORT_COVERAGE;
    // Of sentences holding as much of the clause, one on the question's side of a negation (under
    // ⑷…积分未达到标准分值 for 积分没到标准分 …在哪报名验证), not one stating the other case plainly.
    const side = (unit: ScoredUnit) => (query.negated?.length ? polarity(`${foldRecurring(unit.hit.passage.headingPath.join(" "))}\n${unit.folded}`, query.negated) : 0);
    let best: { unit: ScoredUnit; share: number; label: number; side: number; date: number } | undefined;
    for (const unit of scored) {
      const share = shareOf(unit);
      // A clause of a question that writes its year out is answered by a sentence of that year, or by none
      // (2020年计划开工多少所…: not another year's plan that holds more of its words).
      if (!answersAttribute(unit.folded, asked) || !ofWrittenYear(unit, query, clauseYears)) continue;
      // Nor by a sentence of another place's document than the one the question names (青岛's 公办园…占比 for 天河…占几成).
      if (otherPlace?.(unit.hit.doc)) continue;
      // A change asked (原来是多少，后来提到了多少) is answered by a sentence stating one (从39%提升至60%), not
      // by one level that holds more of the clause's words (比例达到50%以上).
      if (isOwn && query.asksChange && !STATES_CHANGE.test(unit.folded)) continue;
      // A further clause names the field it asks (现场咨询地址): a sentence labelled with more of that
      // name (咨询地址：中山二路590号) answers it before one labelled with less (地址：…) or with none,
      // and the share of the clause its label spells out counts as the clause's words it holds.
      // Otherwise, scored is best first: a later unit must hold more of the clause's words to win.
      const label = isOwn ? 0 : labelMatch(unit, also.clause);
      const held = Math.max(share, label / Math.max(1, also.clause.replace(/[^\u3400-\u9fff]/g, "").length));
      if (!(isOwn ? held > bar : held >= bar)) continue;
      // Of sentences holding as much of a further clause's words, one of a passage the answer quotes
      // already stays on its subject (年龄在45周岁以下 beside 缴纳社会保险满4年, not another answer's 年龄;
      // 咨询地址：中山二路590号 beside 咨询电话：57821271, not a kindergarten's row with its 地址).
      const tie = best !== undefined && label === best.label && share === best.share;
      const onSide = side(unit);
      const date = latest ? latestDate(unit.folded) : 0;
      if (best && date !== best.date) {
        if (date > best.date) best = { unit, share, label, side: onSide, date };
        continue;
      }
      if (!best || label > best.label || (label === best.label && share > best.share) || (tie && onSide > best.side) || (!isOwn && tie && onSide === best.side && quoted(unit) && !quoted(best.unit))) best = { unit, share, label, side: onSide, date };
    }
    // Rows of one table read alike (等级：二级幼儿园｜…175元/月 and 等级：示范性幼儿园｜…600元/月): a
    // clause's sentence repeats a chosen one only if it carries no figure of its own.
    const repeats = (c: ScoredUnit) => nearDuplicate(c.text, best!.unit.text) && best!.unit.figures.every((f) => c.figures.includes(f));
    // A further clause that no sentence answers by its own words asks about the lead's subject: its words
    // are held by no retrieved sentence (打得通), or bring no answering sentence to the bar (分数 of 社保要交几年
    // 分数要够多少: the 分 asked is 总积分满150分 of the lead's list of conditions).
    if (!best && !isOwn) answerFromLeadPassage(chosen, scored, asked, latest);
    if (!best || chosen.includes(best.unit) || chosen.some(repeats)) continue;
    // The answer to the question's own clause leads; a further clause's follows.
    if (isOwn) chosen.unshift(best.unit);
    else chosen.push(best.unit);
  }
}

/** A label that opens a sentence (4．本区学前教育阶段招生咨询电话：…, 咨询地址：…), after its item number. */
const OPENING_LABEL = /^(?:[(（]?[\d一二三四五六七八九十]{1,3}[)）.．、]\s*)?([\u3400-\u9fff]{2,16})[：:]/;

/**
 * How much of a clause a unit's labels name: the longest run of characters one of them shares with
 * the clause (咨询地址 of 现场咨询地址: 4), its row's column names and the label opening it counted; 0
 * for two characters or fewer.
 */
function labelMatch(unit: ScoredUnit, clause: string): number {
  const labels = Object.keys(unit.hit.passage.fields ?? {}).map(foldRecurring);
  const opening = OPENING_LABEL.exec(unit.folded)?.[1];
  if (opening) labels.push(opening);
  let best = 0;
  for (const label of labels) best = Math.max(best, longestSharedRun(label, clause));
  // One word in common (地址 of 报名地址: any address) the clause's words count already; a label names
  // the field asked when it shares more than one word's characters (咨询地址 of 现场咨询地址).
  return best > 2 ? best : 0;
}

/** Length of the longest run of characters two texts share. */
function longestSharedRun(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k > best) best = k;
    }
  }
  return best;
}

/**
 * A further clause with no subject of its own (电话是多少？几点到几点打得通？) asks about the lead's: the
 * sentence of the lead's passage nearest to the lead that carries what the clause asks joins the answer.
 */
function answerFromLeadPassage(chosen: ScoredUnit[], scored: ScoredUnit[], asked: Pick<AnalyzedQuestion, "attribute" | "units"> & { folded: string }, latest = false): void {
  const lead = chosen[0];
  // The most recent of several asked (最近一次修改是哪天) with no word of its own to tell the sentences apart:
  // of the sentences of the passages quoted that carry what it asks, the one with the latest date,
  // when it is later than every date quoted (a regulation's header lists each amendment on its line).
  if (latest) {
    const quoted = new Set(chosen.map((c) => c.hit.passage.id));
    let latestUnit: { unit: ScoredUnit; date: number } | undefined;
    for (const unit of scored) {
      if (!quoted.has(unit.hit.passage.id) || chosen.includes(unit) || !answersAttribute(unit.folded, asked)) continue;
      const date = latestDate(unit.folded);
      if (!latestUnit || date > latestUnit.date) latestUnit = { unit, date };
    }
    if (latestUnit && latestUnit.date > Math.max(0, ...chosen.map((c) => latestDate(c.folded)))) {
      chosen.push(latestUnit.unit);
      return;
    }
  }
  // Answered already (the lead's passage holds the hours among the chosen: a row of another passage
  // with its own 地址 is about something else), or the lead is not the passage's text as written.
  if (!lead || chosen.some((c) => c.hit.passage.id === lead.hit.passage.id && answersAttribute(c.folded, asked))) return;
  const text = lead.hit.passage.text;
  const at = text.indexOf(lead.text);
  if (at < 0) return;
  let best: { unit: ScoredUnit; distance: number } | undefined;
  for (const unit of scored) {
    if (unit.hit.passage.id !== lead.hit.passage.id || chosen.includes(unit) || !answersAttribute(unit.folded, asked)) continue;
    const position = text.indexOf(unit.text);
    if (position < 0) continue;
    const distance = Math.abs(position - at);
    if (!best || distance < best.distance) best = { unit, distance };
  }
  // It continues the lead's passage, so it follows the lead.
  if (best && !chosen.some((c) => c.text === best!.unit.text)) chosen.splice(1, 0, best.unit);
}

/**
 * The latest date a sentence writes (2024年9月27日 → 20240927, 2020-02-27; a year alone counts as its
 * start), 0 for none. A figure is no date (总投资2050.8万元, a phone number 021-2024-1234).
 */
function latestDate(folded: string): number {
  let latest = 0;
  const add = (year: string, month = "0", day = "0") => {
    const m = Number(month);
    const d = Number(day);
    if (m <= 12 && d <= 31) latest = Math.max(latest, Number(year) * 10000 + m * 100 + d);
  };
  for (const m of folded.matchAll(/(?<![\d.])((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?/g)) add(m[1]!, m[2], m[3]);
  for (const m of folded.matchAll(/(?<![\d.\-/])((?:19|20)\d{2})([-./])(\d{1,2})\2(\d{1,2})(?![\d.\-/])/g)) add(m[1]!, m[3], m[4]);
  return latest;
}

/** The longest run of a row's first cells quoted before a later cell (withRowCells), in characters. */
const MAX_ROW_HEAD = 120;

/**
 * A chosen semicolon clause of a table row that opens inside a cell (中级10分、初级得5分｜分值：20 after
 * 二级指标：…得20分；, ②父母一方持…积分达120分 of 分类说明：①…；) says what it says only of that row: of
 * its 项目 and 一级指标, of its 类别 (a full sentence of a cell stands on its own). The row's clause that
 * opens the cells before it in the same sentence (项目：加分条件60分｜一级指标：技术职称…) is quoted right
 * before it, as it stands — joined to it when it comes right before, so the sentence read first holds
 * both — and the answer names whom or what the clause is about. A cell opens on one of the row's
 * column names (scoring.ts rowColumnNames). A later cell of a row cut off from the row's first cells where a
 * cell's sentence ends (…1.2.3三项积分三选一。｜二级指标：2.持有…公租房…20分｜分值：20) is quoted as the whole row up
 * to it: that 二级指标 is one of three under its 一级指标, and says so only with it.
 */
function withRowCells(units: ScoredUnit[], input: ComposeInput, terms: ScoringTerm[]): ScoredUnit[] {
  const out: ScoredUnit[] = [];
  for (const unit of units) {
    const names = rowColumnNames(unit.hit.passage);
    const text = unit.hit.passage.text;
    const to = text.indexOf(unit.text);
    // A later cell of a row cut off from the row's first cells where a cell's sentence ends (…三选一。｜二级指标：…):
    // the row (a table-row passage is one row) from its first cell, as it stands, unless what comes before is long.
    const head = to > 0 ? text.slice(0, to) : "";
    if (names.length && head && head.length <= MAX_ROW_HEAD && names.some((n) => unit.folded.startsWith(n)) && !unit.folded.startsWith(names[0]!) && foldRecurring(head).startsWith(names[0]!) && /[。！？!?]\s*[｜|]\s*$/.test(head)) {
      const row = text.slice(0, to + unit.text.length);
      if (!out.some((u) => u.text === row)) out.push(scoreUnit(unitText(row, false), unit.hit, input.hits.indexOf(unit.hit), input, terms));
      continue;
    }
    // A semicolon clause (what comes right before it ends with ；) that opens no cell of its own.
    if (names.length && to > 0 && /[；;]\s*$/.test(text.slice(Math.max(0, to - 4), to)) && !names.some((n) => unit.folded.startsWith(n))) {
      const siblings = unitTexts(unit.hit.passage);
      const at = siblings.findIndex((u) => u.text === unit.text);
      const found = at > 0 ? siblings.slice(0, at).findLast((u) => names.some((n) => u.folded.startsWith(n) || u.folded.includes(`|${n}`))) : undefined;
      const from = found ? text.indexOf(found.text) : -1;
      // Of the same sentence only: no full stop between the cell's opening and the clause.
      const opening = found && from >= 0 && from < to && !/[。！？!?]/.test(text.slice(from, to)) ? found : undefined;
      if (opening && siblings[at - 1] === opening && /^[；;]?\s*$/.test(text.slice(from + opening.text.length, to))) {
        if (!out.some((u) => u.text === opening.text)) {
          out.push(scoreUnit(unitText(text.slice(from, to + unit.text.length), false), unit.hit, input.hits.indexOf(unit.hit), input, terms));
          continue;
        }
      } else if (opening && !out.some((u) => u.text === opening.text)) {
        out.push(units.find((u) => u.text === opening.text) ?? scoreUnit(opening, unit.hit, input.hits.indexOf(unit.hit), input, terms));
      }
    }
    if (!out.some((u) => u.text === unit.text)) out.push(unit);
  }
  // A unit quoted inside a joined one (the opening, chosen as support too) is not quoted again.
  return out.filter((u) => !out.some((o) => o !== u && o.hit.passage.id === u.hit.passage.id && o.text.length > u.text.length && o.text.includes(u.text)));
}

/**
 * The closed class of words by which a sentence refers to what came before instead of repeating it; 其中
 * does so only opening the sentence (其中，公办学校志愿最多14个: of the 19 the sentence before names).
 */
const BACK_REFERENCE = /上述|前述|上列|^\s*其中/;

/**
 * A chosen sentence that points back (可到上述地点进行报名验证) is preceded by the sentence it points
 * at (报名验证点安排在新渔东路242号), each quoted as it stands.
 */
function withAntecedents(units: ScoredUnit[], input: ComposeInput, terms: ScoringTerm[]): ScoredUnit[] {
  if (!units.some((u) => BACK_REFERENCE.test(u.text))) return units;
  const out: ScoredUnit[] = [];
  for (const unit of units) {
    if (BACK_REFERENCE.test(unit.text)) {
      const siblings = unitTexts(unit.hit.passage);
      const at = siblings.findIndex((u) => u.text === unit.text);
      const antecedent = at > 0 ? siblings[at - 1]! : undefined;
      if (antecedent && !units.some((u) => u.text === antecedent.text) && !out.some((u) => u.text === antecedent.text)) {
        out.push(scoreUnit(antecedent, unit.hit, input.hits.indexOf(unit.hit), input, terms));
      }
    }
    out.push(unit);
  }
  return out;
}

/**
 * The closed class of words by which a sentence announces what follows (以下两种方式, 如下, 下列材料):
 * the forward counterpart of BACK_REFERENCE. After a figure or a unit 以下 means "or less" (6周岁以下,
 * 二级以下), and 以下简称 names a term: neither announces a list. The numeral, if any, is the list's length.
 */
const FORWARD_REFERENCE = /(?<![\d〇零一二两三四五六七八九十百千万岁元分级人年月日周天米名所个%％])(?:以下|如下|下列)(?!简称)([两二三四五六七八九]|[2-9](?!\d))?/;
/** An item of an announced list: a list number, an ordinal (第二种, 第三步), a circled number or 一是/二是. */
const ITEM_START = new RegExp(`${ENUMERATOR.source}|^\\s*(?:第[一二三四五六七八九十]+[种类步项条个点]|[①-⑳]|[一二三四五六七八九十]是)`);
const LIST_NUMERALS: Record<string, number> = { 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** Whether a sentence announces a list (and how long, when it says). */
export function announcedList(sentence: string): { count?: number } | undefined {
  const announced = FORWARD_REFERENCE.exec(sentence);
  if (!announced) return undefined;
  return announced[1] ? { count: LIST_NUMERALS[announced[1]] ?? Number(announced[1]) } : {};
}

/** At most this many items of an announced list are quoted. */
const MAX_ANNOUNCED_ITEMS = 6;

/**
 * A chosen sentence that announces a list (可在以下两种方式中任选其一) is followed by the list's items
 * from its passage (第一种方式为…；第二种方式为…), each quoted as it stands: the answer names every
 * option, not the first one alone. An item chosen already stays where it is.
 */
function withAnnouncedItems(units: ScoredUnit[], input: ComposeInput, terms: ScoringTerm[]): ScoredUnit[] {
  const lists = new Map<ScoredUnit, UnitText[]>();
  for (const unit of units) {
    const announced = announcedList(unit.text);
    if (!announced) continue;
    const siblings = unitTexts(unit.hit.passage);
    const at = siblings.findIndex((u) => u.text === unit.text);
    if (at < 0) continue;
    const { count } = announced;
    const items: UnitText[] = [];
    for (const sibling of siblings.slice(at + 1)) {
      if (!ITEM_START.test(sibling.text) || items.length >= Math.min(count ?? MAX_ANNOUNCED_ITEMS, MAX_ANNOUNCED_ITEMS)) break;
      items.push(sibling);
    }
    if (items.length) lists.set(unit, items);
  }
  if (!lists.size) return units;
  // Chosen units keep their order (the lead carries what was asked); an announcement's missing items follow it.
  const out: ScoredUnit[] = [];
  for (const unit of units) {
    out.push(unit);
    const rank = input.hits.indexOf(unit.hit);
    for (const item of lists.get(unit) ?? []) {
      if (!units.some((u) => u.text === item.text) && !out.some((u) => u.text === item.text)) out.push(scoreUnit(item, unit.hit, rank, input, terms));
    }
  }
  return out;
}

/** Circled item numbers (①–⑳) and their value. */
const CIRCLED = /[\u2460-\u2473]/g;
const circledValue = (c: string) => c.codePointAt(0)! - 0x2460 + 1;

/**
 * A chosen unit that holds a circled item number (…｜分类说明：①幼儿持《上海市居住证》…；) is followed by
 * the enumeration's next items from its passage (②父母一方…；③持有…), each quoted as it stands: a
 * list of conditions cut at its first item reads as if that were the only one. The items are the
 * passage's units that open with the next numbers in order; one chosen already moves up beside them.
 */
function withContinuedItems(units: ScoredUnit[], input: ComposeInput, terms: ScoringTerm[]): ScoredUnit[] {
  const out: ScoredUnit[] = [];
  for (const unit of units) {
    if (out.some((u) => u.text === unit.text)) continue;
    out.push(unit);
    const marks = unit.text.match(CIRCLED);
    if (!marks) continue;
    let next = circledValue(marks[marks.length - 1]!) + 1;
    const siblings = unitTexts(unit.hit.passage);
    // A unit joined of clauses (withRowCells) continues after its last one.
    const at = siblings.findLastIndex((u) => unit.text === u.text || unit.text.endsWith(u.text));
    if (at < 0) continue;
    const rank = input.hits.indexOf(unit.hit);
    for (const sibling of siblings.slice(at + 1, at + 1 + MAX_ANNOUNCED_ITEMS)) {
      const first = /^\s*([\u2460-\u2473])/.exec(sibling.text)?.[1];
      if (!first || circledValue(first) !== next) break;
      next++;
      if (out.some((u) => u.text === sibling.text)) continue;
      // An item chosen already for a later place moves here, so the list reads in order.
      out.push(units.find((u) => u.text === sibling.text) ?? scoreUnit(sibling, unit.hit, rank, input, terms));
    }
  }
  return out;
}

/**
 * The own subject of a short anaphoric or elliptical follow-up (二级 of 那二级园呢？): its most
 * informative own word the corpus holds, not a place (places name where, not what).
 */
function followUpSubject(query: AnalyzedQuestion, stats: TermStatistics): string | undefined {
  if ((query.followUp?.reason !== "anaphor" && query.followUp?.reason !== "elliptical") || query.folded.length > SHORT_FOLLOW_UP) return undefined;
  const own = topicWords(query, query.terms.filter((t) => t.source === "question")).filter((t) => stats.documentFrequency(t) > 0);
  return mostInformative(own, stats);
}

/**
 * The words of a question's terms that can name its topic: two characters or more, no figure, no
 * place (places name where, not what: 青岛 is never the key term of a question about 青岛's schools).
 */
function topicWords(query: AnalyzedQuestion, terms: AnalyzedQuestion["terms"] = query.terms): string[] {
  const isPlace = (t: string) => query.places.some((p) => p.name.includes(t) || t.includes(p.name));
  return terms.map((t) => t.term).filter((t) => t.length >= 2 && !/\d/.test(t) && !isPlace(t));
}

/** The most informative of the words by the index's IDF (after `rank`), a word's parts standing for it; `known` filters after that. */
function mostInformative(words: string[], stats: TermStatistics, rank: (t: string) => number = () => 0, known?: (term: string) => boolean): string | undefined {
  return words
    .filter((t) => !words.some((w) => w !== t && w.length < t.length && t.includes(w)))
    .filter((t) => !known || known(t))
    .sort((a, b) => rank(b) - rank(a) || termIdf(stats, b) - termIdf(stats, a))[0];
}

/** The question's most informative own word (by the index's IDF), whole words before their parts. */
export function keyTermOf(query: AnalyzedQuestion, stats: TermStatistics, known?: (term: string) => boolean, salience?: ComposeInput["salience"]): string | undefined {
  // A short follow-up's own subject (二级 of 那二级园呢？) is its key term, not the earlier turn's words.
  const subject = followUpSubject(query, stats);
  if (subject && (!known || known(subject))) return subject;
  // A domain word (ten times more frequent in the corpus than in general Chinese, as the analysis
  // judges domain evidence) before a rare everyday word (好一点, 参加), then by IDF.
  const domain = (t: string) => (salience ? Number((salience[t]?.[0] ?? 0) >= DOMAIN_SALIENCE) : 0);
  return mostInformative(topicWords(query), stats, domain, known);
}

/** The term, or one of the expansions the analysis derived from it, occurs in the text. */
export function termOrExpansionIn(text: string, term: string, query: AnalyzedQuestion): boolean {
  // An expansion of the term, or of a phrase holding it (外国孩子 → 国际学生 for 外国).
  if (text.includes(term) || query.expansions.some((e) => e.from !== undefined && (e.from === term || e.from.includes(term)) && text.includes(e.term))) return true;
  // A term read from an English word stands for that word: any of its readings says it ("qualified" is
  // 合格 or 资格, "migrant" 外来人 or 随迁), the best gloss being no more the word than the others.
  const english = query.terms.find((t) => t.term === term && t.source === "english")?.from;
  return english !== undefined && [...query.terms, ...query.expansions].some((t) => t.source === "english" && t.from === english && text.includes(t.term));
}

/**
 * A question that asks for a value (几点关门, 电话多少) gets a sentence that carries one when no chosen
 * sentence does: of those that score within support's ratio of the lead, the one that holds most of
 * the asking clause's words (by weight, its headings counting as context, as units are scored). A row
 * of the named place (门店：天山苑｜…｜营业时间：9:00~20:00) holds fewer of the question's words than a
 * sentence about what the asker means to do there (想去那上网登记), and is still the answer: it holds
 * the clause's rarest word. leadWithAttribute puts it first.
 */
function withAttributeAnswer(chosen: ScoredUnit[], scored: readonly ScoredUnit[], query: AnalyzedQuestion, terms: ScoringTerm[], otherPlace?: (doc: DocumentMeta) => boolean): void {
  const clause = query.askedClause ?? query.clauses?.find((c) => c.attribute === query.attribute)?.clause ?? query.folded;
  if (!isTestable(query.attribute, clause) || chosen.some((c) => answersAttribute(c.folded, query))) return;
  const clauseTerms = terms.filter((t) => clause.includes(t.term) || query.expansions.some((e) => e.term === t.term && e.from !== undefined && clause.includes(e.from)));
  const read = (u: ScoredUnit) => {
    const statement = unitStatement(u.folded, u.hit.passage, foldRecurring(u.hit.passage.headingPath.join(" ")));
    return { text: statement.text, share: coverage(statement.text, clauseTerms, { text: statement.context, factor: HEADING_FACTOR }) };
  };
  const lead = chosen[0]!;
  // It must hold the clause's words as support holds the lead's, or state one the lead lacks, no place
  // (天山苑 of the row): a row that shares only the district and its column's 电话 (松江区托幼办电话 →
  // one private kindergarten's number) is no answer.
  const own = ownWordsOf(query).filter((w) => isTopical(w) && clause.includes(w) && !lead.folded.includes(w));
  const bar = read(lead).share * SUPPORT_RATIO;
  let best: { unit: ScoredUnit; share: number } | undefined;
  for (const unit of scored) {
    if (chosen.includes(unit) || unit.score < lead.score * SUPPORT_RATIO || !answersAttribute(unit.folded, query)) continue;
    // Not of another place than the lead's, when the lead is of the place the question names.
    if (otherPlace?.(unit.hit.doc) && !otherPlace(lead.hit.doc)) continue;
    const { text, share } = read(unit);
    if (share < bar && !own.some((w) => text.includes(w))) continue;
    if (share > 0 && (!best || share > best.share)) best = { unit, share };
  }
  if (best) chosen.push(best.unit);
}

/**
 * The hotline operator reads the first sentence aloud: it must carry what was asked (a figure for
 * 多少, a time for 几点, a place for 在哪). The first chosen unit that does moves to the front.
 */
function leadWithAttribute(units: ScoredUnit[], query: AnalyzedQuestion): ScoredUnit[] {
  if (units.length < 2 || answersAttribute(units[0]!.folded, query)) return units;
  const at = units.findIndex((u) => answersAttribute(u.folded, query));
  return at > 0 ? [units[at]!, ...units.slice(0, at), ...units.slice(at + 1)] : units;
}

/**
 * When units come from documents of different years, the asked-for year goes first; the direct
 * answer otherwise stays first and the rest follow newest first, each carrying its own year.
 */
function orderByYear(units: ScoredUnit[], years: number[]): ScoredUnit[] {
  if (units.length < 2) return units;
  const [first, ...rest] = units;
  const yearOf = (u: ScoredUnit) => u.leadYear ?? u.hit.doc.year ?? 0;
  rest.sort((a, b) => yearOf(b) - yearOf(a));
  const ordered = [first!, ...rest];
  if (!years.length) return ordered;
  return [...ordered.filter((u) => years.includes(yearOf(u))), ...ordered.filter((u) => !years.includes(yearOf(u)))];
}

/** Replaces anonymised placeholders so they are never read as numbers. */
export function maskRedactions(text: string): string {
  return text.replace(/(?<![A-Za-z])[xX]{1,6}(?:\.[xX]{1,4})?(?![A-Za-z])/g, "（未公开）");
}

/** Strips a leading list number and turns a trailing semicolon or comma into a full stop. */
export function presentUnit(text: string): string {
  // A label and the line it labels (labelledLines) read as one sentence, a space for the line break.
  let t = text.replace(ENUMERATOR, "").trim().replace(/\s*\n\s*/g, " ");
  // A numbered item's title sentence (加快推进新优质学校建设。) reads as a heading, not an answer.
  t = t.replace(/[；;，,、]$/, "");
  // A closing bracket or quote ends a sentence only after a full stop inside it (…周五上午） goes on: 。 follows).
  if (!/[。！？!?][”」』）)]*$/.test(t)) t += "。";
  return t;
}

/** Adds the document attribution unless the sentence already starts with a year or place-time phrase. */
export function attribute(unit: ScoredUnit, text: string): string {
  if (/^(?:19|20)\d{2}年/.test(text)) return text;
  // A sentence of a regulation's article is attributed to the article (据…办法第四十一条), unless it names it itself.
  const article = articleOf(unit.hit.passage);
  return `${attributionPhrase(unit.hit.doc)}${article && !text.startsWith(article) ? article : ""}，${text}`;
}
