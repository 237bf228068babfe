/**
 * The one scoring module: term weights (one IDF, from the index statistics), coverage of a text by
 * the question's terms, and the figure test of the asked attribute. The retriever's reranker, the
 * answerer's confidence and the composer's sentence choice all call these functions, so a change of
 * weighting is one change.
 */
import { findRedactions } from "../text/clean/redaction.js";
import { foldRecurring } from "../text/fold.js";
import { extractFigures } from "../text/figures.js";
import { hanNumber } from "../text/numerals.js";
import type { Passage } from "../types.js";
import { AGE_UNITS, answersOrdinal, asksCount, GENERAL_CLASSIFIER, hasAskedUnit, HOUSE_NUMBER, ordinalUnitOf, PHONE_UNIT, SPEAKER_QUESTION, standsInForCount } from "./attribute.js";

export { SPEAKER_QUESTION };
import type { AnalyzedQuestion } from "./types.js";

/** What the index knows about a term: in how many passages it occurs, out of how many. */
export interface TermStatistics {
  passages: number;
  documentFrequency(term: string): number;
  /** Passages whose text holds a one-character term anywhere (Knowledge.characters), where known. */
  containing?(term: string): number | undefined;
}

/**
 * BM25's IDF over the index, the weight the keyword index gives a word — except that a one-character
 * word weighs by the passages holding its character (it is matched inside words), and a figure no
 * passage holds weighs as the rarest word (it names one fact).
 */
export function termIdf(stats: TermStatistics, term: string): number {
  const n = stats.passages;
  let df = stats.documentFrequency(term);
  if (/\d/.test(term) && df === 0) return Math.log(1 + (n + 0.5) / 0.5);
  // Sentences are scored by substring (住 in 居住证): a one-character word weighs as its character.
  if (term.length === 1 && stats.containing) df = Math.max(df, stats.containing(term) ?? 0);
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

export interface ScoringTerm {
  term: string;
  weight: number;
  /** Own (and inherited) terms make up the total; expansions only add when they match. */
  counts: boolean;
  /**
   * An expansion's source: the question's own word it stands in for (产权证 for 产证, 招生地段 for 对口),
   * when that word is one of the terms. It counts at most that word's weight, and not again beside it.
   */
  from?: string;
  /** With `from`: one of the words a shortened name is written out in (保育 of 保教费's 保育教育费), which count together. */
  part?: true;
}

/** A year written alone (2020, 2020年): a search token, or a figure that names a year rather than a value. */
export const YEAR_TOKEN = /^(?:19|20)\d{2}年?$/;

/** The question's terms with one weight each: IDF × the term's relative weight in the question. */
export function scoringTerms(question: Pick<AnalyzedQuestion, "weighted" | "terms" | "years"> & { expansions?: AnalyzedQuestion["expansions"] }, stats: TermStatistics, options: { countUnknown?: boolean } = {}): ScoringTerm[] {
  const own = new Set(question.terms.map((t) => t.term));
  const sourceOf = new Map<string, { from: string; part: boolean; weight?: number }>();
  for (const e of question.expansions ?? []) if (e.from !== undefined && own.has(e.from) && !own.has(e.term) && !sourceOf.has(e.term)) sourceOf.set(e.term, { from: e.from, part: e.source === "spelled-out" });
  // An English word's other readings (age → 年龄 beside "age limit" → 年限) stand in for its main reading:
  // the word is found when any of its readings is. A reading found counts as the main reading's relative
  // weight (times its own IDF), in the main reading's slot, capped at the main reading's weight when the
  // corpus knows that reading (coverage's plan). A word read inside a phrase stands in for the phrase's
  // reading (the first main reading whose phrase holds the word).
  for (const e of question.expansions ?? []) {
    if (e.source !== "english" || e.from === undefined || own.has(e.term) || sourceOf.has(e.term)) continue;
    const main = question.terms.find((t) => t.source === "english" && t.from !== undefined && (t.from === e.from || t.from.split(" ").includes(e.from!)));
    if (main) sourceOf.set(e.term, { from: main.term, part: false, weight: main.weight });
  }
  const out: ScoringTerm[] = [];
  for (const [term, weight] of question.weighted) {
    // Years asked about are matched through the document's year, not as words; a year the question
    // names but does not ask about (1979年3月出生) is a date the text states, matched as written.
    if (YEAR_TOKEN.test(term) && question.years.includes(Number(term.slice(0, 4)))) continue;
    // A word no passage holds cannot tell passages apart, nor be answered: it neither adds to nor
    // takes from coverage (its expansions, if any, still count when they match) — unless asked to
    // count (comparing two questions: a word one asks and the other lacks is a difference).
    const known = options.countUnknown || stats.documentFrequency(term) > 0;
    const source = sourceOf.get(term);
    out.push({ term, weight: termIdf(stats, term) * (source?.weight ?? weight), counts: known && (own.has(term) || (/\d/.test(term) && weight === 1)), ...(source ? { from: source.from, ...(source.part ? { part: true as const } : {}) } : {}) });
  }
  return out;
}

/**
 * Weight of a term found only in the headings a sentence sits under (a table row's caption, a
 * section's title) rather than in the sentence: context, not statement.
 */
export const HEADING_FACTOR = 0.4;

/** A passage as the scorers read it: what it states, and the context its words count in at HEADING_FACTOR. */
export interface UnitStatement {
  text: string;
  context: string;
}

/** A passage's statement, and for a Q&A pair the question it answers. */
export interface PassageStatement extends UnitStatement {
  /** A Q&A pair's question, folded: the subject of each sentence of its answer (none for other passages). */
  question?: string;
}

/**
 * Statements of the passages recent questions scored: bounded (a fresh map after STATEMENTS
 * entries, as foldRecurring's folds are emptied when full) and weak (a replaced index's passages are
 * not kept). Unbounded, the map lived as long as the index, and over an index in shared memory
 * (answer threads, src/node/shared-index.ts) each entry held its own decoded copy of the folded
 * text: ≈ 20 MB more per answer thread after 1,000 distinct questions at 100,000 passages, growing
 * with every new one.
 */
const STATEMENTS = 4096;
let statements = new WeakMap<Passage, PassageStatement>();
let statementCount = 0;
const columnNames = new WeakMap<Passage, string[]>();

/** A named-column table row's column names, folded, each with its separator (`园名:`); none for other passages. */
export function rowColumnNames(passage: Passage): string[] {
  if (passage.kind !== "table-row" || !passage.fields) return [];
  let names = columnNames.get(passage);
  if (!names) columnNames.set(passage, (names = Object.keys(passage.fields).map((name) => `${foldRecurring(name)}:`)));
  return names;
}

/** A folded text of a row (or part of it) split into its cell values and the column names they stand under. */
function splitColumnNames(folded: string, names: readonly string[]): { text: string; labels: string[] } {
  const values: string[] = [];
  const labels: string[] = [];
  for (const cell of folded.split("|")) {
    const name = names.find((n) => cell.startsWith(n));
    if (name) labels.push(name.slice(0, -1));
    values.push(name ? cell.slice(name.length) : cell);
  }
  return { text: values.join("|"), labels };
}

/**
 * What a passage states and its context. The context is the heading path under the document title
 * (a table row's caption, a section's title) and, for a row of a named-column table
 * (`园名：…｜地址：…｜招生咨询电话：…`), its column names: they repeat in every row of the table, so
 * like the caption they say what the row is about, not what it states. A question's 咨询电话 found
 * only in a column name is context; found in a sentence, it is statement.
 */
export function passageStatement(passage: Passage): PassageStatement {
  let statement = statements.get(passage);
  if (statement) return statement;
  const heading = passage.headingPath.length > 1 ? foldRecurring(passage.headingPath.slice(1).join(" ")) : "";
  statement = unitStatement(passage.folded, passage, heading);
  if (passage.kind === "qa" && passage.question) statement = { ...statement, question: foldRecurring(passage.question) };
  if (++statementCount > STATEMENTS) {
    statements = new WeakMap();
    statementCount = 1;
  }
  statements.set(passage, statement);
  return statement;
}

/** The same for one unit (a sentence, a row or part of one) of a passage, with the passage's heading context. */
export function unitStatement(folded: string, passage: Passage, heading: string, asksBesides?: boolean): UnitStatement {
  const given = asksBesides ? null : ADDITIVE_BESIDES.exec(folded);
  if (given) return { text: folded.slice(given[0].length), context: [heading, given[1]!].filter(Boolean).join(" ") };
  const names = rowColumnNames(passage);
  if (!names.length) return { text: folded, context: heading };
  const { text, labels } = splitColumnNames(folded, names);
  return labels.length ? { text, context: [heading, ...labels].filter(Boolean).join(" ") } : { text: folded, context: heading };
}

/**
 * An additive 除了 clause opening a sentence (除了不准叫家长做功课，教育部亦要求…): "besides X, Y also" takes X
 * as said already and states Y, so X is read as the sentence's context, as a heading is, not as what it
 * states. Only with the additive word in the clause right after it (亦, 也, 还, 更, 同时; not 还是 "still"):
 * 除了本市户籍幼儿，其他幼儿一律不得报名，也不予登记 excludes instead. A question that itself asks what
 * comes besides X (除了…还有什么要求, ASKS_BESIDES) wants that very sentence: it is read whole then.
 */
const ADDITIVE_BESIDES = /^除了([^,;。]{2,40}),(?=[^,;。]{0,20}?(?:亦|也|还(?!是)|更|同时))/;

/** A question asking what comes besides something (除了…还有什么, 不准…之外还有别的规定吗, what else): ADDITIVE_BESIDES. */
export const ASKS_BESIDES = /除了|除去|之外|以外|besides|apart from|other than|\belse\b/;

/**
 * How coverage adds a list of terms up, read once per list: each term's slot (-1: added as it is) and
 * each slot's cap (the counted word's weight; Infinity for an uncounted word's stand-ins).
 */
interface CoveragePlan {
  slot: Int32Array;
  caps: number[];
  /** Scratch sums per slot, reset on each call (coverage is not re-entered). */
  best: Float64Array;
  parts: Float64Array;
}
/** Lists without stand-ins map to null: read once, then skipped. */
const plans = new WeakMap<readonly ScoringTerm[], CoveragePlan | null>();

function planOf(terms: readonly ScoringTerm[]): CoveragePlan | undefined {
  const known = plans.get(terms);
  if (known !== undefined) return known ?? undefined;
  if (!terms.some((t) => t.from !== undefined)) {
    plans.set(terms, null);
    return undefined;
  }
  const slots = new Map<string, number>();
  const caps: number[] = [];
  const slotOf = (key: string) => {
    let at = slots.get(key);
    if (at === undefined) {
      slots.set(key, (at = caps.length));
      caps.push(Infinity);
    }
    return at;
  };
  const slot = new Int32Array(terms.length).fill(-1);
  terms.forEach((t, i) => {
    if (t.from !== undefined) slot[i] = slotOf(t.from);
    else if (t.counts && terms.some((o) => o.from === t.term)) caps[(slot[i] = slotOf(t.term))] = t.weight;
  });
  const plan = { slot, caps, best: new Float64Array(caps.length), parts: new Float64Array(caps.length) };
  plans.set(terms, plan);
  return plan;
}

/**
 * IDF-weighted share of the question's terms a text holds (expansions at their weight), in [0, 1].
 * An expansion stands in for the question's word it came from (ScoringTerm.from): a word and its
 * stand-ins give the best of them (the written-out words of a shortened name together), at most the
 * word's weight.
 */
export function coverage(text: string, terms: readonly ScoringTerm[], context?: { text: string; factor: number }): number {
  const plan = planOf(terms);
  let total = 0;
  let matched = 0;
  if (plan) {
    plan.best.fill(0);
    plan.parts.fill(0);
  }
  for (let i = 0; i < terms.length; i++) {
    const { term, weight, counts, part } = terms[i]!;
    if (counts) total += weight;
    const found = text.includes(term) ? weight : context?.text.includes(term) ? weight * context.factor : 0;
    const at = plan ? plan.slot[i]! : -1;
    if (at < 0) matched += found;
    else if (part) plan!.parts[at] = plan!.parts[at]! + found;
    else if (found > plan!.best[at]!) plan!.best[at] = found;
  }
  if (plan) for (let at = 0; at < plan.caps.length; at++) matched += Math.min(plan.caps[at]!, Math.max(plan.best[at]!, plan.parts[at]!));
  return total ? Math.min(matched / total, 1) : 0;
}

/**
 * How well a sentence's figures answer the asked units: 1 when one carries an asked unit (or, with
 * none asked, any count, amount or share), 0.5 when only the general classifier 个 stands in for an
 * asked count (28个 for 多少所), 0 when none does.
 */
export function answerFigureStrength(sentence: string, units: readonly string[]): number {
  // A rank is an ordinal, in Chinese numerals as often as in digits (位列全省第二).
  const rank = ordinalUnitOf(units);
  if (rank) return answersOrdinal(sentence, rank) ? 1 : 0;
  // An anonymised figure in the asked unit (新增学位x.xx万个) is the answer, withheld: the composer says so.
  if (units.length && /x/i.test(sentence) && anonymisedInUnit(sentence, units)) return 1;
  // Digits, or an age in Chinese numerals (年满六周岁 for 几岁).
  const ages = units.some((u) => AGE_UNITS.has(u));
  if (!/\d/.test(sentence) && !(ages && /[零〇一二两三四五六七八九十百千]/.test(sentence))) return 0;
  const general = asksCount(units) && sentence.includes(GENERAL_CLASSIFIER);
  // Cheap test before the figure patterns: the sentence must hold one of the asked units at all.
  if (units.length && !units.includes(GENERAL_CLASSIFIER) && !units.includes(PHONE_UNIT) && !general && !units.some((unit) => sentence.includes(unit))) return 0;
  const figures = extractFigures(sentence);
  if (!units.length) return figures.some((f) => f.kind === "count" || f.kind === "amount" || f.kind === "percent") ? 1 : 0;
  let best = 0;
  for (const f of figures) {
    // A date or a year is no count, however it ends (9月30日 is no number of days, 2025年 no number of years).
    if (f.kind === "date" || f.kind === "year" || f.kind === "doc-number") continue;
    // A Chinese-numeral figure answers only an age (statutes write 六周岁, 十八周岁); elsewhere it is
    // mostly a name (三名工程, 五年制).
    if (f.kind === "chinese" ? !units.some((u) => AGE_UNITS.has(u) && f.text.endsWith(u)) : !hasAskedUnit(f.text, units)) continue;
    best = Math.max(best, standsInForCount(f.text, units) ? 0.5 : 1);
    if (best === 1) break;
  }
  return best;
}

/** Whether an anonymised placeholder (findRedactions) stands before an asked unit, past any 万/亿: xx所, x.xx万个. */
function anonymisedInUnit(sentence: string, units: readonly string[]): boolean {
  return findRedactions(sentence).some(({ end }) => {
    const unit = sentence.slice(end).replace(/^[万亿]/, "");
    return units.some((u) => unit.startsWith(u)) || (asksCount(units) && unit.startsWith(GENERAL_CLASSIFIER));
  });
}

/** Dates and periods a "when" answer carries; not 春季/秋季, which name things (春季高考). */
export const TIME_EXPRESSION = /\d{4}-\d{1,2}-\d{1,2}|\d{1,2}月|\d{1,2}日|[一二三四五六七八九十]+月|月底|月初|上旬|中旬|下旬|寒假|暑假|年底|年初|之前|以前|截至|截止|\d{1,2}[:：]\d{2}/;
/**
 * What a "where" answer carries: an address (路…号, a house number), a venue one goes to (可到…幼儿园
 * 特教班登记, 到…服务中心), a website or a channel — not any 号 (登记编号, 文号).
 */
export const PLACE_EXPRESSION = /地址|地点|路\d|\d+号|网站|网址|平台|窗口|服务中心|办事处|现场|http|www\.|公众号|app|小程序|(?:到|去|至|前往)[^，。；,;]{1,24}(?:幼儿园|托儿所|学校|小学|中学|中心|班|站|点|处|室|馆|局|院|所)/i;

/**
 * A "where" clause that asks a street address (在啥路几号, 地址在哪, 哪条路, 门牌号, 仙霞路几号) — not one that
 * only names an address (户籍地址和居住地址不一致 去哪里登记), nor a bus route (坐啥路公交): answered by a
 * sentence that gives one (地址：仙霞路700弄43号, 新渔东路242号), not by a venue (可到…幼儿园特教班登记).
 */
const ADDRESS_QUESTION = new RegExp(`地址(?:是|在)?(?:哪|啥|什么|多少)|地址(?:呢|啊)?[?？]?$|门牌|(?:啥|什么|哪)(?:个|条)?路(?!公交|车|线)|${HOUSE_NUMBER.source}`);
/**
 * A street address given or pointed at: 地址 (地址：…, 房产证地址所对应的幼儿园), or a road, street or lane with its
 * number (not 3月5号, 〔2024〕5号).
 */
const STREET_ADDRESS = /地址|[路街道巷弄村里]\d/;

/** The attributes a sentence can be tested for (answersAttribute): a figure, an amount, a time, a place. */
export const TESTABLE_ATTRIBUTES: ReadonlySet<AnalyzedQuestion["attribute"]> = new Set(["how-many", "money", "when", "where"]);

/** A sentence that reports what someone said: a reporting verb (a closed class; not the bare 说 of 说实在的). */
const REPORTING = /表示|指出|强调|重申|介绍(?!信)|透露|回应|讲话|发言|宣布/;
/**
 * A question for whom to turn to (系统出问题了找谁问, 问谁, 联系哪个部门, 谁负责解答) — not for who does
 * something (找谁批 asks who approves) — answered by a sentence that gives a contact: where to consult,
 * a phone, a hotline, a QQ number, a mailbox. Closed classes.
 */
export const CONTACT_QUESTION = /(?:(?:找|问|联系|咨询|打给|求助)谁|(?:找|问|联系|咨询)哪个(?:部门|单位|机构|科室))(?:问|咨询|反映)?(?:呢|啊|呀)?[?？]?$|谁(?:来)?(?:负责解答|解答|答复)/;
const CONTACT = /咨询|联系|热线|电话|qq|邮箱|信箱|微信/;

/** A who-question a sentence can be tested for: who said it, or whom to turn to. */
export function testableWho(clause: string): "speaker" | "contact" | undefined {
  return SPEAKER_QUESTION.test(clause) ? "speaker" : CONTACT_QUESTION.test(clause) ? "contact" : undefined;
}

/**
 * Whether a clause asks something a sentence can be tested for: a TESTABLE_ATTRIBUTES attribute,
 * who said something (answered by a sentence that reports it), or whom to turn to (by a contact).
 */
export function isTestable(attribute: AnalyzedQuestion["attribute"], clause: string): boolean {
  return TESTABLE_ATTRIBUTES.has(attribute) || (attribute === "who" && testableWho(clause) !== undefined);
}

/** A question for a year: 哪年, 哪一年, 几几年, 年份, 起止年份, what/which year. */
export const YEAR_QUESTION = /哪一?年(?![级龄])|几几年|年份|\b(?:what|which) year\b/;
/** A year written out (2019年, 2017-2020年). */
export const YEAR_EXPRESSION = /(?:19|20)\d{2}\s*(?:年|-\s*(?:19|20)\d{2})/;

/** A time of day (8:30, 15：30). */
export const CLOCK_TIME = /\d{1,2}[:：]\d{2}/;
/** A question for a time of day: 几点, 几点钟, 什么时段, 营业/开放时间 … */
export const CLOCK_QUESTION = /几点|什么时段|哪个时段|时间段|开门|关门|营业时间|开放时间|办公时间|上班时间|下班时间/;

/** Whether a sentence carries the kind of value the attribute asks for (a time of day when 几点 is asked). */
export function answersAttribute(sentence: string, question: Pick<AnalyzedQuestion, "attribute" | "units"> & { folded?: string; head?: string; chain?: { clause: string } }): boolean {
  switch (question.attribute) {
    case "list":
      return question.head === undefined || sentence.includes(question.head);
    case "how-many":
    case "money":
      return answerFigureStrength(sentence, question.units) > 0;
    case "when":
      // 几点 is answered by a time of day, not by the day alone; 哪年 by a year as well as by a date.
      if (question.folded !== undefined && CLOCK_QUESTION.test(question.folded)) return CLOCK_TIME.test(sentence);
      return TIME_EXPRESSION.test(sentence) || (question.folded !== undefined && YEAR_QUESTION.test(question.folded) && YEAR_EXPRESSION.test(sentence));
    case "where":
    {
      // A referring clause's address (…去哪个幼儿园登记 那个园地址在哪) is asked of what the answer names, not of
      // the question. The chain's clause is the folded text's own (chainOf cuts it from it), so it is found in it
      // as it stands. (Not askedClause: a further clause's test spreads the question's, with its own folded.)
      const own = question.folded !== undefined && question.chain ? question.folded.replace(question.chain.clause, "") : question.folded;
      return own !== undefined && ADDRESS_QUESTION.test(own) ? STREET_ADDRESS.test(sentence) : PLACE_EXPRESSION.test(sentence);
    }
    case "who":
    {
      // Who said it is answered by the sentence that reports the saying (…司长吕玉刚…重申…); whom to
      // turn to by one that gives a contact (可加QQ号码（3821143037）进行咨询).
      const who = question.folded === undefined ? undefined : testableWho(question.folded);
      return who === "speaker" ? REPORTING.test(sentence) : who === "contact" ? CONTACT.test(sentence) : true;
    }
    default:
      return true;
  }
}

/** What a sentence's coverage gains when it negates what the question negates, or loses when it states it plainly. */
export const POLARITY_WEIGHT = 0.3;

/**
 * A character of negation right before a word, or two before it with 能/曾/再/得/够 between (未能达到),
 * or with a verb of reaching between (未达到标准分值, 没有达到, 未能达到, 不满六周岁; 不到 is "cannot"
 * after a verb: 找不到学习资料 negates nothing), or 非 before the 本 of the place it excludes (非本市户籍).
 */
const NEGATED_AT = /[未不没无非]$|[未不没][能曾再得够]$|(?:没有?|未)(?:能|曾)?(?:达到|达|到|满|足|够)$|不(?:满|足|够)$|非本[市区省县镇]$/;
/**
 * A threshold fallen short of, as questions and sentences say it (a closed class): a negation with a
 * verb of reaching (没到, 不满, 未达, 没有达到, 不够, 不足) or 低于/少于 (not 不低于/不少于: "at least")
 * before the figure, or 以下/以内 after it (120分以下). The figure keeps its unit (120分, 6个月), so a
 * sentence's 9月6日 is no 6个月.
 */
const BELOW_BEFORE = "(?:(?:没有?|未|不|无)(?:达到|到|达|满|够|足)|(?<!不)(?:低于|少于))";
const BELOW_FIGURE_UNIT = "\\d+(?:\\.\\d+)?(?:分|个月|年|周岁|岁|天|个|人|名|%)?";
export const BELOW_FIGURE = new RegExp(`${BELOW_BEFORE}(${BELOW_FIGURE_UNIT})(?![\\d.])|(?<![\\d.])(${BELOW_FIGURE_UNIT})(?:以下|以内)`, "g");
const BELOW_AT = new RegExp(`${BELOW_BEFORE}$`);
const BELOW_AFTER = /^(?:以下|以内)/;
/** Compiled matchers of negated figures (few per question, met by every sentence scored). */
const FIGURE_MATCHERS = new Map<string, RegExp>();
function figureMatcher(figure: string): RegExp {
  let re = FIGURE_MATCHERS.get(figure);
  if (!re) {
    if (FIGURE_MATCHERS.size >= 256) FIGURE_MATCHERS.clear();
    // A unitless figure must not run on into a date or a longer number (9月6日 is no 6).
    re = new RegExp(`(?<![\\d.])${figure.replace(/[.%]/g, "\\$&")}${/\d$/.test(figure) ? "(?![\\d.月日号])" : ""}`, "g");
    FIGURE_MATCHERS.set(figure, re);
  }
  re.lastIndex = 0;
  return re;
}

/**
 * Whether a sentence agrees with the question's negations (AnalyzedQuestion.negated): +1 when it
 * negates a negated word too — by the word's first character, the verb of most two-character
 * predicates (未达到 for 没达标) — −1 when it holds the whole word only plainly (达标准), 0 when it
 * does neither (电话 is not 电脑) or the question negates nothing.
 */
export function polarity(sentence: string, negated: readonly string[] | undefined): number {
  if (!negated?.length) return 0;
  let plain = false;
  for (const word of negated) {
    if (/^\d/.test(word)) {
      // A negated figure (积分不到120分): the sentence falls short of the same figure (未达120分,
      // 120分以下), or states it plainly (达120分).
      for (const match of sentence.matchAll(figureMatcher(word))) {
        const end = match.index + match[0].length;
        if (BELOW_AT.test(sentence.slice(Math.max(0, match.index - 5), match.index)) || BELOW_AFTER.test(sentence.slice(end, end + 2))) return 1;
        plain = true;
      }
      continue;
    }
    const head = word[0]!;
    for (let at = sentence.indexOf(head); at >= 0; at = sentence.indexOf(head, at + 1)) {
      const negatedHere = NEGATED_AT.test(sentence.slice(Math.max(0, at - 5), at));
      if (negatedHere) return 1;
      if (sentence.startsWith(word, at)) plain = true;
    }
  }
  return plain ? -1 : 0;
}

/** A house number the question gives on a street (天山五村200号, 愚园路1300多弄（单号那边）). */
export interface AskedAddress {
  street: string;
  /** The number, or the numbers 1300多 can be: [1300, 1400). */
  low: number;
  high: number;
  /** 1: odd side (单号), 0: even side (双号); from the question's words, else from an exact number; absent for 1300多. */
  parity?: 0 | 1;
  /**
   * A numbered estate (石化十村: `street` 石化, number 10), as catchment tables list them in ranges
   * (石化一村—十五村), rather than a house number on a street.
   */
  estate?: true;
}

/** What a sentence's coverage gains when it lists the asked house number on its street, or loses when it lists the street without it. */
export const ADDRESS_WEIGHT = 0.5;

/** Where a street name ends; 村 and 里 not after 哪/这/那/家/城/乡/农 (在这里12号, 农村3号文件). */
const STREET_END = "(?:路|街|巷|(?<![哪这那家城乡农])村|苑|坊|(?<![哪这那家城乡农])里)";
const STREET_NUMBER = new RegExp(`([\u4e00-\u9fff]{2,12}?${STREET_END})(\\d{1,5})(多|余)?(?:号|弄)(?![楼线文令院室])`);

/** A number of an estate, in digits or Chinese numerals (1–99): 十五, 二十三, 15. */
const ESTATE_NUMERAL = "(?:[一二三四五六七八九十]{1,3}|\\d{1,2})";
/**
 * A numbered estate a question names (石化十村, 临潮3村): its name before the number (ending in no
 * numeral: 二十三村 is no estate 二十's 3), the number, 村 — not 一村一幼 (one per village), and not
 * followed by another number.
 */
const ESTATE_NUMBER = new RegExp(`([\u4e00-\u9fff]{1,3}[^\\s\\d一二三四五六七八九十百千万两几每个])(${ESTATE_NUMERAL})村(?![一二三四五六七八九十\\d])`);
/** The dashes and words of a range (一村—十五村, 一村——十五村, 一村–十五村, 一至十五村). */
const ESTATE_RANGE = "\\s*(?:—{1,2}|–|[-－~～至到])\\s*";
/** 1–99 written in digits or Chinese numerals (十五 = 15, 二十 = 20, 二十三 = 23); NaN otherwise. */
function estateNumber(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  return /^(?:[一二三四五六七八九]|[一二三四五六七八九]?十[一二三四五六七八九]?)$/.test(text) ? hanNumber(text) : NaN;
}

/** The street and house number a question gives, if any, or the numbered estate it names. */
export function askedAddress(folded: string): AskedAddress | undefined {
  const match = STREET_NUMBER.exec(folded);
  if (!match) {
    const estate = ESTATE_NUMBER.exec(folded);
    const number = estate ? estateNumber(estate[2]!) : NaN;
    return estate && number > 0 ? { street: estate[1]!, low: number, high: number, estate: true } : undefined;
  }
  const number = Number(match[2]);
  // 1300多 is 1300 to 1399: up to the next round number of its last non-zero place.
  const step = match[3] ? 10 ** Math.max(1, String(number).length - String(number).replace(/0+$/, "").length) : 1;
  const parity = /单号|\(单\)/.test(folded) ? 1 : /双号|\(双\)/.test(folded) ? 0 : step === 1 ? ((number % 2) as 0 | 1) : undefined;
  return { street: match[1]!, low: number, high: number + step - 1, ...(parity !== undefined ? { parity } : {}) };
}

/** Where one street's entry in a catchment list ends: the next numbered item, the next street with its colon, a cell or sentence end. */
const SEGMENT_END = new RegExp(`\\s\\d{1,2}\\.|(?=[\u4e00-\u9fff]{1,8}${STREET_END}(?:\\([单双]号?\\))?:)|[｜|;。]`);
/** A range of house numbers (15弄-373号; 号 or 弄 on one end at least; not a lane's houses 200弄1-50号) or one number (88号). */
const RANGE = /(?<![\d弄])([1-9]\d{0,3})(弄|号)?\s*[-－~—至到]\s*([1-9]\d{0,3})(弄|号)?(?!\d)|(?<!\d)([1-9]\d{0,3})(?:弄|号)/g;

/**
 * Whether a sentence's catchment list holds the asked house number (scoring a 招生地段 table): +1
 * when the asked street is listed with a range or number that holds it (on its side: (单) odd, (双)
 * even), −1 when the street is listed only with others, 0 when the street is not listed with numbers.
 * A question's 武夷路200号 is then answered by 武夷路:15弄-373号, not by 武夷路(单):411-727号.
 */
export function addressMatch(sentence: string, address: AskedAddress | undefined): number {
  if (!address) return 0;
  if (address.estate) return estateMatch(sentence, address);
  // The street is the longest end of the words before the number that the sentence names as a street
  // of its own (我们住长宁区武夷路 → 武夷路): not inside a longer name (京西路 of 南京西路), and no shorter
  // end once a longer one is in the sentence at all.
  for (let length = Math.min(address.street.length, 8); length >= 3; length--) {
    const street = address.street.slice(-length);
    if (!sentence.includes(street)) continue;
    return streetMatch(sentence, street, address);
  }
  return 0;
}

/**
 * An institution's name as a question gives it: the words before a head noun of the closed class of
 * institutions (漕泾幼儿园 of 金山漕泾幼儿园今年…, 建青实验学校). The name is some end of those words,
 * which run no further back than a particle or a verb of motion no name holds (了 的 到 在 把 被 让 给 吗 呢 是:
 * 录到天河区民办小学 names 天河区民办小学, not 入学录到…).
 */
const INSTITUTION_NAME = /((?:(?![了的到在把被让给吗呢是])[\u4e00-\u9fff]){2,10}?)(幼儿园|托儿所|小学|中学|学校)/g;

/** Ends of the named institutions (longest first, two characters or more before the head). */
export function institutionNames(question: string): string[] {
  const names: string[] = [];
  for (const m of question.matchAll(INSTITUTION_NAME)) {
    const [, before, head] = m;
    for (let length = before!.length; length >= 2; length--) names.push(`${before!.slice(-length)}${head!}`);
  }
  return names;
}

/**
 * Whether a table row's cell names the institution the question names, whole (漕泾幼儿园 opening a
 * cell, not inside 斯育漕泾幼儿园): the longest end of the question's name that the row holds at all
 * decides. A row is about the institution its cell names; another whose name only ends alike is not.
 */
export function namesInstitution(row: string, names: readonly string[]): boolean {
  const name = names.find((n) => row.includes(n));
  if (!name) return false;
  for (let at = row.indexOf(name); at >= 0; at = row.indexOf(name, at + 1)) {
    if (at === 0 || !/[\u3400-\u9fff]/.test(row[at - 1]!)) return true;
  }
  return false;
}

/** Added to a table row whose cell names the institution the question names (namesInstitution). */
export const INSTITUTION_WEIGHT = 0.3;

/** The end of an asked street or estate name a text must hold to list it (the bound of addressMatch). */
export function addressCue(address: AskedAddress): string {
  return address.street.slice(address.estate ? -2 : -3);
}

/**
 * addressMatch for a numbered estate: +1 when the sentence lists the estate's name with a range of
 * numbers that holds the asked one (石化一村 —十五村 for 石化十村) or the number itself, −1 when it lists
 * the name with other numbers only, 0 when it does not list the name with numbers. The name is the
 * longest end of the words before the number that the sentence holds (金山石化十村 → 石化).
 */
function estateMatch(sentence: string, address: AskedAddress): number {
  // The longest end of the name the sentence lists with numbers (金山石化 → 石化 in 石化一村—十五村).
  for (let length = Math.min(address.street.length, 6); length >= 2; length--) {
    const name = address.street.slice(-length).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (!sentence.includes(address.street.slice(-length))) continue;
    const listed = new RegExp(`${name}(${ESTATE_NUMERAL})(?:村)?(?:${ESTATE_RANGE}(?:${name})?(${ESTATE_NUMERAL}))?村`, "g");
    let seen = false;
    for (const m of sentence.matchAll(listed)) {
      const low = estateNumber(m[1]!);
      const high = m[2] === undefined ? low : estateNumber(m[2]);
      if (Number.isNaN(low) || Number.isNaN(high)) continue;
      seen = true;
      if (Math.min(low, high) <= address.low && address.low <= Math.max(low, high)) return 1;
    }
    if (seen) return -1;
  }
  return 0;
}

/** addressMatch for the street's spelling the sentence uses. */
function streetMatch(sentence: string, street: string, address: AskedAddress): number {
  let listed = false;
  for (let at = sentence.indexOf(street); at >= 0; at = sentence.indexOf(street, at + 1)) {
    // Not inside a longer name: a character before it that the question does not have there (南 of
    // 南京西路 for 北京西路's 京西路) starts another street.
    const before = sentence[at - 1];
    const asked = address.street[address.street.length - street.length - 1];
    if (before !== undefined && asked !== undefined && before !== asked && /[\u4e00-\u9fff]/.test(before)) continue;
    let rest = sentence.slice(at + street.length);
    const side = /^\(([单双])号?\)/.exec(rest);
    if (side) rest = rest.slice(side[0].length);
    if (!/^[:：]/.test(rest)) continue;
    rest = rest.slice(1);
    const end = SEGMENT_END.exec(rest);
    const segment = end ? rest.slice(0, end.index) : rest;
    listed = true;
    if (side && address.parity !== undefined && (side[1] === "单" ? 1 : 0) !== address.parity) continue;
    for (const m of segment.matchAll(RANGE)) {
      if (m[5] === undefined && !m[2] && !m[4]) continue;
      const [low, high] = m[5] !== undefined ? [Number(m[5]), Number(m[5])] : [Number(m[1]), Number(m[3])];
      // Some number of the asked ones in the range, on the side if the question says it (a list
      // marked 单/双 is that side already; two numbers or more are one on each side).
      const from = Math.max(Math.min(low, high), address.low);
      const to = Math.min(Math.max(low, high), address.high);
      if (from <= to && (address.parity === undefined || side || to > from || from % 2 === address.parity)) return 1;
    }
  }
  return listed ? -1 : 0;
}
