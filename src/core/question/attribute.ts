import type { AskedAttribute } from "./types.js";

/**
 * The asked attribute from the question words (Chinese grammar and English wh-words): these are
 * closed-class words of the languages, not vocabulary of any document.
 */
export interface AttributeShape {
  attribute: AskedAttribute;
  units: string[];
  yesWord?: string;
}

/** Units of a length of time (社保要交满多久: 满6个月). */
export const DURATION_UNITS: readonly string[] = ["年", "个月", "月", "周", "天", "日", "小时", "分钟", "学年", "工作日"];
/** 几 asking a length (几年, 几天), not 哪几天 (which days), 好几年 (several), 这几天, nor the second 几 of 几几年 (a year). */
const JI_LENGTH = "(?<![哪好十这那几])几";
/**
 * The lengths of time a question can write, each with the units it asks in (几年 in years, 几个月 in months):
 * 社保交满几年 is answered by 满4年, not by another rule's 满6个月.
 */
const WRITTEN_DURATION: Array<[RegExp, string[]]> = [
  [new RegExp(`多少年|${JI_LENGTH}年(?!级)`), ["年", "学年"]],
  [new RegExp(`多少个月|${JI_LENGTH}个月`), ["个月", "月"]],
  [new RegExp(`多少周|${JI_LENGTH}周`), ["周"]],
  [new RegExp(`多少天|多少个工作日|${JI_LENGTH}天|${JI_LENGTH}个工作日`), ["天", "日", "工作日"]],
  [new RegExp(`多少个?小时|${JI_LENGTH}个?小时`), ["小时"]],
  [new RegExp(`多少分钟|${JI_LENGTH}分钟`), ["分钟"]],
];
/** A length of time asked without its unit: 多久, 多长时间 (any unit answers). */
const ANY_DURATION = /多久|多长时间|多长的时间/;
/** A question for a length of time: 多久, 多长时间, or one written in its unit (WRITTEN_DURATION). */
const DURATION_QUESTION = new RegExp([ANY_DURATION.source, ...WRITTEN_DURATION.map(([re]) => re.source)].join("|"));

/** Units of age (几岁, at what age), which statutes write with Chinese numerals (年满六周岁). */
export const AGE_UNITS: ReadonlySet<string> = new Set(["岁", "周岁"]);

/** The unit a question for a telephone number asks: a figure of seven or more digits (62410042, 021-57821271). */
export const PHONE_UNIT = "电话号码";
const PHONE_NUMBER = /^(?:\d{3,4}-)?\d{7,}$|^\d{5}$/;

/**
 * A charge asked by a 多少 that ends the clause a few words on (保育费多少, 保教费一个月多少钱): an amount —
 * not a waiver (免收保育费, 减免), nor 多少 of a noun after the charge (交费的人有多少, 收费项目有多少), nor of
 * a unit after it (缴费后多少时间, 收费公示多少日).
 */
const CHARGE_AMOUNT = /(?<![免减])费(?!年限|期限|人数|项目|数)(?:的?标准)?[^，,。？?；;的有\s]{0,4}多少(?:钱|元|块钱?)?(?:一个月|每月|一年|每年|一学期)?(?:呢|啊|呀|嘛|啦|哦)?(?=$|[\s，,。；;?？])/;
/** Pay, then how much (工资一个月多少, 平均工资是多少, 月薪几千): an amount, as a charge then 多少 is — not its day (工资几号发). */
const PAY_AMOUNT = /(?:工资|薪水|薪资|薪酬|月薪|年薪)[^，,。？?；;\s]{0,6}(?:多少|几(?![号月日时点天]))/;
/**
 * An age asked by size (年龄多大以内, 多大以下算未成年, 收多大的孩子): 多大 of an age word, or bounded (以内,
 * 以下, 以上), or of the child it is said of — not 多大比例 (a share) nor 面积多大.
 */
const AGE_BY_SIZE = /多大(?:以内|以下|以上|的(?:孩子|小孩|幼儿(?!园)|娃)|年龄|岁数|年纪)|(?:年龄|岁数|年纪)[^?？，,。;；\s]{0,3}多大/;

/** The duration units a question asks: those it writes, or every one when it writes none (多久) or several. */
function durationUnits(q: string): string[] {
  if (ANY_DURATION.test(q)) return [...DURATION_UNITS];
  const written = WRITTEN_DURATION.filter(([re]) => re.test(q));
  return written.length === 1 ? written[0]![1] : [...DURATION_UNITS];
}

/**
 * 几 asking a number, not the round number of 几十个孩子, 几百人, nor "several" (好几年, 十几个, 这几天,
 * 那几所), nor the second 几 of 几几年 (a year, asked by the first); 那 before 几点 is "then" (那几点开始接听), which asks.
 */
const JI = "(?:(?<![好十这那哪几])几|(?<=[这那])几(?![天年所个位家]))(?![十百千万])";
/** 几成 asks a share in tenths; not 几 before 成年, 成绩, 成员 …, the words 成 opens. */
const SHARE_CHENG = `${JI}成(?![年员绩立功果本都熟长])`;

/**
 * People named after 多少/几 with what they are of between (中小学老师, 幼儿园老师), the noun ending the clause —
 * not a measure or a kind before them (几年级学生, 多少岁的学生, 多少个班级的学生, 几类学生): no 的 between, and no
 * measure word opening what is between.
 */
const PEOPLE_NAMED = "(?![年班所岁分钱元类种届级个名位项次])[^\\s\\d的，,。；;？?！!]{0,4}(?:学生|教师|老师)(?=$|[\\s，,。；;？?！!]|呢|吗|啊)";

/** The units a question's words ask a figure in: a fixed list, or read from the question (a length's written unit). */
const UNIT_HINTS: Array<[RegExp, readonly string[] | ((q: string) => string[])]> = [
  // The number is what is asked (电话是多少, 热线号码？, 咨询电话, 打哪个电话), not a means (电话登记要几天); 什么号码 may be
  // any number (学籍号是什么号码).
  [/(?:电话|号码|热线)[^，。,;；?？]{0,4}(?:多少|几号|什么|啥|[?？]|$)|(?:哪一?个|什么|啥)(?:电话|热线)/, [PHONE_UNIT]],
  [new RegExp(`多少钱|多少元|多少资金|多少经费|金额|钱|费用|学费|收费|${CHARGE_AMOUNT.source}|${PAY_AMOUNT.source}`), ["元", "万元", "亿元"]],
  [new RegExp(`比例|占比|百分之|${SHARE_CHENG}|覆盖率|参与率|完成率|开工率|合格率|[^\\s]率(?:是|达到|要|有)?多少|率$`), ["%"]],
  // (多少家里困难的学生, 多少名额: a noun opening with the classifier's character is counted in 个: withNounsCounted.)
  [/多少所|几所|多少家|几家|多少个学校|多少学校/, ["所", "家"]],
  // The people counted may be named with what they are of between (多少中小学老师, 几个幼儿园老师): the noun
  // ends the clause.
  [new RegExp(`多少人|多少名|几名|几位|几个人|多少位|多少学生|多少教师|多少老师|(?:多少|${JI})个?${PEOPLE_NAMED}`), ["人", "名", "万人", "人次"]],
  [/多少场|几场/, ["场"]],
  // Not 几个月, 几个小时, 几个工作日: a length of time (below); nor 个 of people named (多少个中小学老师: above).
  [new RegExp(`(?:多少|几)个(?!月|小时|工作日|${PEOPLE_NAMED})`), ["个"]],
  [/多少项|几项/, ["项"]],
  [/多少次|几次/, ["次", "人次"]],
  [new RegExp(`几岁|多少岁|几周岁|${AGE_BY_SIZE.source}`), [...AGE_UNITS]],
  // Points of a score (积分要到多少分, 总分几分); not 几分钟 (a duration) nor 几分之几 (a fraction).
  [/(?:多少|几)分(?!钟|之)/, ["分"]],
  // A score named, then how much, ending the clause (分数要够多少, 总积分要多少): points too — not 积分入学 or 积分制
  // (the scheme), nor what 多少 goes on to name (积分落户需要多少钱, 积分申请要交多少份材料).
  [/(?:分数|分值|积分(?![入制])|得分|总分)[^，。,;；?？\s]{0,4}(?:多少|几)分?(?:呢|啊|呀)?(?=[?？,，;；\s]|$)/, ["分"]],
  [DURATION_QUESTION, durationUnits],
];

/**
 * A phone number asked in English (phone number, telephone, hotline, which number do I call), as 电话/号码/热线 ask
 * it in Chinese — not the phone after a preposition of means (register on my phone, apply by phone: an instrument).
 */
const EN_PHONE_QUESTION = /(?<!\b(?:on|with|via|using|by|from) (?:(?:my|a|the|your|our) )?(?:(?:mobile|cell) )?)\b(?:tele)?phone\b|\bhotline\b|\bnumber (?:can|could|do|should|to) (?:i |we )?(?:call|ring|dial)\b/;
/** What is paid, named in English (costs, fees, tuition, salary, wages, prices). */
const EN_PAID = /\bcosts?\b|\bfees?\b|\btuition\b|\bsalar(?:y|ies)\b|\bwages?\b|\bprices?\b/;
const EN_UNIT_HINTS: Array<[RegExp, string[]]> = [
  [new RegExp(`\\bhow much\\b|\\bmoney\\b|\\bfunding\\b|\\byuan\\b|${EN_PAID.source}`), ["元", "万元", "亿元"]],
  [/\bpercent|\brate\b|\bshare\b|\bproportion\b|\bratio\b/, ["%"]],
  [/\bschools\b|\bkindergartens\b/, ["所", "家"]],
  [/\bpeople\b|\bstudents\b|\bteachers\b|\bchildren\b/, ["人", "名", "万人", "人次"]],
  [EN_PHONE_QUESTION, [PHONE_UNIT]],
];

/**
 * A rate asked in English, as 每年/每月/每生 ask it in Chinese (answerer.ts › RATE_QUESTION): by its period or
 * head (per year, a month, each student), or a period's adjective before a charge or pay (annual tuition,
 * monthly fee, yearly salary) — not before anything else (annual targets, daily life: 年度, 日常), nor a
 * duration (lived there over a year, for a year). Read in the sentences that ask (englishAskingClauses).
 */
export const EN_RATE_QUESTION = /\b(?:per|each|every|(?<!\b(?:over|than|about|least|nearly|almost|under|within|half) )a)\s+(?:year|month|semester|term|week|day|student|child|kid|pupil|person|head)\b|\b(?:annual|yearly|monthly|weekly|daily)\s+(?:[a-z-]+\s+)?(?:tuition|fees?|costs?|charges?|salary|salaries|pay|wages?|subsid(?:y|ies)|allowances?|rent)\b/;
/** The sentences of an English question that ask a figure (how much, how many, what …), or the whole question when none does. */
export function englishAskingClauses(folded: string): string {
  const asking = folded.split(/[.?!;]+/).filter((c) => /\bhow (?:much|many)\b|\bwhat\b|\bwhich\b|\bcosts?\b|\bfees?\b/.test(c));
  return asking.length ? asking.join(". ") : folded;
}
/** With an amount asked, a fee or charge or its standard, as 收费/费用/标准 (answerer.ts › CHARGE_RATE_QUESTION). */
export const EN_CHARGE_RATE_QUESTION = /\bfees?\b|\bcharges?\b|\bstandard\b/;

/** An age asked in English (at what age, how old, age limit): years of age, before anything it counts. */
const EN_AGE = /\b(?:what|which) age\b|\bhow old\b|\bage (?:limit|requirement)\b|\bminimum age\b|\bmaximum age\b/;

/** Classifiers of counted things, for which the general classifier 个 stands in both ways. */
const COUNT_CLASSIFIERS = new Set(["所", "家", "人", "名", "场", "项", "次", "人次"]);

/** Whether asked units are counts of things (so a figure in 个 answers them). */
export function asksCount(units: readonly string[]): boolean {
  return units.some((unit) => COUNT_CLASSIFIERS.has(unit));
}

/** Classifiers of people: documents count people in 名, 人, 人次, never in 个 (6个重点项目 counts no one). */
const PERSON_CLASSIFIERS = new Set(["人", "名", "万人", "人次"]);

/** A figure in the general classifier 个 standing in for an asked count of things (28个 for 多少所): half an answer. */
export function standsInForCount(figure: string, units: readonly string[]): boolean {
  return figure.endsWith(GENERAL_CLASSIFIER) && !units.includes(GENERAL_CLASSIFIER) && units.some((unit) => COUNT_CLASSIFIERS.has(unit) && !PERSON_CLASSIFIERS.has(unit));
}

/** Whether a figure carries one of the asked units (any figure does when none is asked). */
export function hasAskedUnit(figure: string, units: readonly string[]): boolean {
  // 个 is the general classifier: 多少个保安 is answered by 2000名, 多少个学校 by 50所, and
  // 多少所学校 by 28个 (职业院校达到28个).
  if (!units.length) return true;
  if (units.includes(PHONE_UNIT) && PHONE_NUMBER.test(figure)) return true;
  // A rank is judged on the sentence (answersOrdinal): a figure read without its 第 is no rank.
  if (ordinalUnitOf(units)) return false;
  if (standsInForCount(figure, units)) return true;
  // A date or a document number (5月19日, 〔2024〕1号) counts nothing, whatever 个 asks; nor does a
  // measure (150分, 2万元, 6岁, 30天): 几个指标 is answered by 1.6万个, not by 总积分满150分.
  return units.some(
    (unit) =>
      figure.endsWith(unit) ||
      (unit === "%" && /[%％]$/.test(figure)) ||
      (unit === GENERAL_CLASSIFIER && /[\u4e00-\u9fff]$/.test(figure) && !/[号年月日]$/.test(figure) && !MEASURE_UNITS.some((m) => figure.endsWith(m))),
  );
}

/** Units that measure rather than count (money, points, age, time, length, area, weight, ratio): the general classifier stands in for none of them. */
const MEASURE_UNITS: readonly string[] = ["元", "分", "时", "米", "公里", "亩", "公顷", "吨", "克", "公斤", "百分点", "倍", ...AGE_UNITS, ...DURATION_UNITS];

/** The general classifier, which stands in for any specific one. */
export const GENERAL_CLASSIFIER = "个";
/** The unit a question for a rank asks: an ordinal, 第 with a numeral (第二, 第56届, 第一名). */
export const ORDINAL_UNIT = "第";
/** A rank asked, with the measure after 第几 (届, 批, 年 …) when there is one. */
const ORDINAL_QUESTION = /第几([届批名位次年周期轮个天条章节款]?)|名次|排名多少|排在多少/;
const NUMERALS = "[一二三四五六七八九十百零〇两\\d]+";
/** A place in a ranking: after a verb of ranking (位列全省第二, 居全省首位), or the words for the first places. */
const RANK_PLACE = new RegExp(`(?:位列|位居|居|排名?|名列|列|获得?|荣获)[^，。；,;]{0,6}第${NUMERALS}|冠军|亚军|季军|首位|榜首`);

/** The ordinal unit a question asks (第 with its measure: 第届 for 第几届), if it asks a rank. */
export function ordinalUnitOf(units: readonly string[]): string | undefined {
  return units.find((u) => u.startsWith(ORDINAL_UNIT));
}

/**
 * Whether a sentence answers a rank asked: 第N with the asked measure (第56届 for 第几届), or, for a place
 * in a ranking (排第几, 第几名), a 第N after a verb of ranking or 冠军/亚军/首位 — not any 第N (第1名的志愿,
 * 第十四届 for 排第几).
 */
export function answersOrdinal(sentence: string, unit: string): boolean {
  const measure = unit.slice(ORDINAL_UNIT.length);
  if (measure && measure !== "名" && measure !== "位") return new RegExp(`第${NUMERALS}${measure}`).test(sentence);
  return RANK_PLACE.test(sentence);
}

/** The verb and negation of an A-not-A question (是不 of 是不是, 可不 of 可不可以, 有没 of 有没有, 有沒 of 有沒有). */
export const A_NOT_A = /([\u4e00-\u9fff])[不没沒](?=\1)/g;
/**
 * A verb with a final 不 (明天下雨不, 要带伞不, 行不): spoken Chinese asks yes or no so, as with 吗. Not
 * a clause cut before what 不 negates (如果不, 要不, 也不, 但他不, 差不, 老师说不).
 */
const FINAL_NOT = /(?<=[\u4e00-\u9fff])(?<![果是若也都要但就还却并差说他她])不\s*$/;
/** A clause that asks: a question word, a final particle, a question mark, or an A-not-A verb. */
export const ASKING_CLAUSE = new RegExp(`[?？吗呢嘛]|多少|${JI}|哪|什么|啥|谁|怎么|怎样|如何|咋|是否|能否|何时|${ANY_DURATION.source}|${AGE_BY_SIZE.source}|${A_NOT_A.source}|${FINAL_NOT.source}`);
/** A question word that says what is asked (not only that something is: 能告诉我吗, 请问呢). */
const ASKING_WORD = new RegExp(`多少|${JI}|哪|什么|啥|谁|怎么|怎样|如何|咋|何时|${ANY_DURATION.source}|${AGE_BY_SIZE.source}`);

/**
 * The asked attribute of a folded Chinese question, read from its asking clauses: what a question
 * tells before it asks (我家在…，房产证也是这个地址，…去哪个幼儿园？) says who asks, not what. Asking
 * clauses without a question word of their own (幼儿园收费标准，能告诉我吗？) ask what the question names:
 * the whole is read, and a fee named anywhere makes 多少 a money question (学费，请问是多少).
 */
export function chineseAttribute(text: string, isWord?: (word: string) => boolean): AttributeShape {
  const question = isWord ? withNounsCounted(text, isWord) : text;
  const clauses = question.split(/[,，;；。]/).filter((c) => c.trim());
  const asking = clauses.filter((c) => ASKING_CLAUSE.test(c));
  if (!asking.length || asking.length === clauses.length || !asking.some((c) => ASKING_WORD.test(c))) return attributeOf(question);
  const own = attributeOf(asking.join("，"));
  const whole = attributeOf(question);
  if (own.attribute === "how-many" && whole.attribute === "money") return whole;
  // 多少 with no measure in the asking part (…占的比例，2021年提到多少了) counts what the told part names as a quantity.
  if (own.attribute === "how-many" && !own.units.length) {
    const told = attributeOf(clauses.filter((c) => !asking.includes(c)).join("，"));
    if (told.attribute === "how-many" && told.units.length) return { ...own, units: told.units };
  }
  return own;
}

/**
 * A question for a change, the value before and after (从多少涨到多少, 之前是多少…提到多少了): answered by a
 * sentence that states both (占比从去年的39%提升至60%), not by one that states a level.
 */
export function asksChange(folded: string): boolean {
  // From a figure to a figure, both asked (从多少涨到多少): not 从几岁开始 nor 从几号到几号 (a time).
  if (/从(?:多少|百分之几|几(?![号点时月日天岁]))[^?;,。]{0,8}(?:涨|提|升|增|降|减|到|至|变)[^?;,。]{0,3}(?:多少|百分之几|几)/.test(folded)) return true;
  return /(?:之前|原来|以前|此前|前一年|上一年)[^?;,。]{0,4}多少/.test(folded) && /(?:涨|提|升|增|降|减|到|至)[^?;,。]{0,3}多少/.test(folded);
}

/**
 * Whether a clause asks for the most recent of several (最近一次修改是哪天, 最新一批, 最后一次, the latest,
 * most recently, last amended; not 上一次, the one before, nor "at the latest", a deadline): a regulation's header lists every amendment with its date, a notice
 * every round with its own; the clause asks for the last of them, not the first or the nearest. A
 * closed class of the language's words for recency, like the question words above.
 */
const LATEST = /最近(?:的)?一[次批轮回]|最新(?:的)?(?:一[次批轮回版])?|最后(?:的)?一[次批轮回]|(?<!\bat the )\b(?:latest|most recent(?:ly)?)\b(?!\s+(?:date|time|deadline|by)\b)|\blast (?:amended|revised|updated|changed|modified|amendment|revision|update|change)\b/i;
/** The words that ask for the most recent (最近一次), or undefined. */
export function asksLatest(clause: string): string | undefined {
  return LATEST.exec(clause)?.[0];
}

/**
 * Whether a question asks about what comes after the time it speaks of (往后, 今后, 接下来, 下一步, next,
 * going forward): a target set for later, which a later plan or a report's closing part (下一步，…)
 * states — not the earlier turn's year again. A closed class of the language's words for later.
 */
const FUTURE = /往后|今后|(?:^|[\s，,。？?年那])以后|接下来|下一步|下一阶段|将来|\b(?:next (?:stage|phase|goals?|targets?|period)|going forward|in (?:the )?future|from here on)\b/i;
export function asksFuture(folded: string): boolean {
  return FUTURE.test(folded);
}

/**
 * Whether a question asks what was planned or what came of it: the target (目标, 计划, 原定, target,
 * goal) or the outcome (实际, 最终, 做到, actually, achieved). Work plans and target lists state the
 * one, work reports the other, and the same figure's name stands in both (优质园比例达到50%以上 in the
 * 2021 targets, 优质园占比…提升至60% in the 2021 report). A closed class of the language's words for
 * intention and realisation, like the question words above; both or neither: no stance.
 */
export type Stance = "plan" | "outcome";
/**
 * The stance words, read whole as a term (PLAN_WORD) and inside a question (PLAN_WORDS). Not a stance
 * inside a question: a target school (目标学校), an admission quota (招生计划), where one really lives
 * (实际居住地), the actual situation (实际情况), a deadline (最后一天, 最后截止时间).
 */
const PLAN_ZH = "原定|原本|本来|预计|预期|力争";
const PLAN_EN = "targets?|goals?|plan(?:ned|s)?|aim(?:ed|s)?";
const OUTCOME_ZH = "最终|做到";
const OUTCOME_EN = "actual(?:ly)?|achieved?";
const PLAN_WORDS = new RegExp(`目标(?!学校|院校|人群|群体)|(?<!招生)计划|${PLAN_ZH}|\\b(?:${PLAN_EN}|supposed to|meant to|expected to)\\b`);
const OUTCOME_WORDS = new RegExp(`实际(?!居住|住址|情况|需要|年龄|出生)|最后(?![一几期天日的]|截止|时间)|落实了|${OUTCOME_ZH}|\\b(?:${OUTCOME_EN}|in the end|ended up|in (?:reality|practice)|turned out)\\b`);
/** The stance words themselves, whole (a term 强基计划 or 行动计划 names a programme, not a stance). */
const PLAN_WORD = new RegExp(`^(?:目标|计划|${PLAN_ZH}|${PLAN_EN})$`);
const OUTCOME_WORD = new RegExp(`^(?:实际|实际上|最后|${OUTCOME_ZH}|${OUTCOME_EN})$`);

/**
 * `tokens`: the question's tokens; a stance word inside a longer one (计划 of 强基计划 or 行动计划, 实际 of
 * 结合实际) is part of a name or a phrase, not the question's stance.
 */
export function askedStance(folded: string, tokens: readonly string[] = []): Stance | undefined {
  let text = folded.toLowerCase();
  for (const token of tokens) {
    if (token.length > 2 && !PLAN_WORD.test(token) && !OUTCOME_WORD.test(token) && (PLAN_WORDS.test(token) || OUTCOME_WORDS.test(token))) text = text.split(token).join("□");
  }
  const plan = PLAN_WORDS.test(text);
  const outcome = OUTCOME_WORDS.test(text);
  return plan === outcome ? undefined : plan ? "plan" : "outcome";
}
/** A stance word itself (目标 of an earlier turn, beside a follow-up asking 实际做到多少) — not a name that holds one (强基计划). */
export function speaksStance(word: string, stance: Stance): boolean {
  return (stance === "plan" ? PLAN_WORD : OUTCOME_WORD).test(word.toLowerCase());
}

/**
 * A sentence stating a change from one figure to another by a verb of change (从去年的39%提升至60%, 由每生每年
 * 800元提高至1000元) — not a span of dates or ages (从9月1日至9月30日, 从3岁到6岁).
 */
export const STATES_CHANGE = /[从由][^，。；;,]{0,15}?\d[\d.]*[^，。；;,\d]{0,10}?(?:提升|提高|增长|增加|上升|扩大|下降|降低|减少|缩小|升|降|增|减|涨)(?:至|到)[^，。；;,]{0,3}?\d/;

/** The verbs a yes/no question asks with, echoed as the reply's yes. */
const YES_VERB = /(可以|能够|能|有没有|(?<![没沒])有|是否|是不是|是|会不会|要不要)/;
/** The forms that can only ask (A-not-A, 是否). */
const EXPLICIT_YES_VERB = /(有没有|是否|是不是|会不会|要不要|能不能|可不可以|能否)/;

/** A yes/no question's grammar: A-not-A, 能否/是否/可否, a modal verb, or a final 吗. */
const ASKS_WHETHER = new RegExp(`${A_NOT_A.source}|能否|是否|可否|可以|能|吗[?？]?$`);
/** A question for a count (多少, 几所, 比例, 电话 …); 几 as JI reads it (好几年 is no question). */
const COUNT_QUESTION = new RegExp(`${AGE_BY_SIZE.source}|多少|${JI}[个所名位场项次家年岁分]|${SHARE_CHENG}|${JI}周岁|${JI}$|比例|占比|数量|编号|电话|号码|分数线|率$|率[是呢吗?？]`);

/**
 * A question for who said something, as a completed saying (是哪位官员在记者会上讲的, 讲话的官员是谁, 谁说的),
 * or an official who says what follows (哪位官员讲不准…, 哪个领导说要…: a title of office, a closed class),
 * or the official of a saying asked after it (讲不准家长改功课那个官员是哪个, 讲…那个是教育部哪个官员) —
 * not 谁说了算, 谁可以提出复核, 哪位老师讲课, nor a lecture's or a briefing's organiser (讲座的负责人是谁, 说明会).
 */
/** A verb of saying that says nothing here: a lecture (讲座), a briefing (说明), a lesson (讲课, 讲解), a request to tell (说一下, 讲讲). */
const SAYING = "(?:讲话|发言|讲|说)(?![座明课解说讲]|一下)";
/** Titles of office, a closed class. */
const OFFICIAL = "(?:官员|领导|负责人|发言人|部长|司长|厅长|局长|主任)";
export const SPEAKER_QUESTION = new RegExp(
  `(?:谁|哪位|哪一位|哪个)[^?;,。]{0,10}(?:说|讲|表示|提出|发言|讲话)的|${SAYING}[^?;,。]{0,10}(?:是谁|是哪位|是哪一位)|(?:哪位|哪一位|哪个)${OFFICIAL}[^?;,。]{0,6}(?:说|讲|表示|强调|指出|重申)(?![课座解明话讲]|了算|一下)|${SAYING}[^?;,。\\s]{1,16}(?:${OFFICIAL}(?:是|就是)?(?:谁|哪位|哪一位|哪个)|(?:是|系|就是)[^?;,。\\s]{0,4}(?:哪位|哪一位|哪个)${OFFICIAL})`,
);

/**
 * 几号 right after a road, street, lane or 门牌, ending the clause or a range (仙霞路是哪几号到哪几号, 在哪条路几号):
 * a house number asked — not 中山路报名是几号 nor 农村几号开学, a date.
 */
export const HOUSE_NUMBER = /(?:路|街|弄|巷|门牌)(?:的|是)?哪?几号(?=到|楼|门|[?？,，。;；\s]|$)/;

/**
 * A charge described, not asked: 收费便宜的普惠园 (the kind of kindergarten whose coverage is asked), 学费不贵的
 * — a charge word with an adjective of price after it (a closed class of the language), said of what follows
 * (的, or the noun itself: 收费平价园). 学费贵不贵 and 收费最高多少 ask the amount.
 */
const CHARGE_DESCRIBED = /(?:收费|费用|学费|价格|价钱)(?:不|很|较|比较|更|都)?(?:便宜|贵|高|低|平价|合理|实惠|低廉)(?=的|嘅|[园校所])/g;

/** The characters the unit hints read as a classifier right after 多少/几 (多少家, 几名, 多少所 …). */
const HINTED_CLASSIFIER = /(多少|几)([家名所位场项次])/g;

/**
 * 多少 before a noun that opens with a classifier's character (多少家里困难的学生, 多少名额): the dictionary has
 * the longer word there (家里, 名额) and none after the character (里困, 额), so the character is the
 * noun's, and the noun is counted in the general classifier — read as 多少个家里…, 多少个名额. Where a word
 * also follows the character (几名校医: 校医), it is the classifier, as the segmenter cuts it.
 */
function withNounsCounted(text: string, isWord: (word: string) => boolean): string {
  const opensWord = (at: number) => [2, 3].some((n) => text.length - at >= n && isWord(text.slice(at, at + n)));
  return text.replace(HINTED_CLASSIFIER, (m: string, asked: string, classifier: string, at: number) => {
    const c = at + asked.length;
    return opensWord(c) && !opensWord(c + 1) ? `${asked}${GENERAL_CLASSIFIER}${classifier}` : m;
  });
}

/** The text with described charges blanked, for reading what a question asks (a figure in 元 or not). */
export function withoutDescribedCharges(text: string): string {
  return text.replace(CHARGE_DESCRIBED, (m) => "　".repeat(m.length));
}

function attributeOf(question: string): AttributeShape {
  const q = withoutDescribedCharges(question);
  // A rank asked (排第几, 第几名, 第几届) is answered by an ordinal (位列全省第二), not by a count.
  const rank = ORDINAL_QUESTION.exec(q);
  if (rank) return { attribute: "how-many", units: [`${ORDINAL_UNIT}${rank[1] ?? ""}`] };
  const units = [...new Set(UNIT_HINTS.filter(([re]) => re.test(q)).flatMap(([, u]) => (typeof u === "function" ? u(q) : u)))];
  // A clause that ends with the charge (每月收费？, 保育教育费, a keyword typed alone) asks the amount, as
  // one that ends with 时间 asks the time — unless it asks whether (能不能延长时间, 可以减免保育费吗).
  const endsAsking = !ASKS_WHETHER.test(q);
  // A fee only named (学费) asks its amount unless the question asks whether it is charged (要交学费吗, 收不收学费).
  if (/多少钱|多少元|多少经费|多少资金|什么价|收费标准|费用是/.test(q) || CHARGE_AMOUNT.test(q) || PAY_AMOUNT.test(q) || (endsAsking && (/学费/.test(q) || /(?:收费|费用|(?<!免)费)(?:呢)?[?？]?$/.test(q)))) return { attribute: "money", units };
  if (COUNT_QUESTION.test(q) || DURATION_QUESTION.test(q)) return { attribute: "how-many", units };
  // 几号 of a road or a lane (仙霞路是哪几号到哪几号, 在哪条路几号) asks a house number: a place, not a date.
  if (HOUSE_NUMBER.test(q)) return { attribute: "where", units };
  // Which day, year or month (哪天, 哪一日, 哪几天, 哪个月, 哪年: 哪, a quantifier, a unit of the calendar) asks a time.
  if (/什么时候|什么时间|何时|几时|哪(?:一|几|两|些|个)?(?:天|日(?!报)|年(?![级龄])|月)|几几年|几月|几号|几点|啥时候|时间是|日期|截止|开始报名/.test(q) || (endsAsking && /时间(?:呢)?[?？]?$/.test(q))) return { attribute: "when", units };
  // 去哪/到哪/上哪 (a verb of going before 哪) asks a place, as 在哪 does — not before a measure word
  // (去哪个园, 上哪年级, 到哪一步: which one) nor in 到哪了/到哪为止 (how far).
  if (/哪里|在哪|哪儿|什么地方|地点|地址|[去到上]哪(?![个些所家一种类位年门条项次级届批段间天周月步了为])/.test(q)) return { attribute: "where", units };
  if (/哪些|哪几|有什么|包括什么|都有|是什么措施|哪方面|有啥/.test(q)) return { attribute: "list", units };
  // 哪个官员讲的, 边个讲嘅 (哪个讲的): which one said it asks who.
  if (/谁|哪位|哪一位|哪个部门|什么人|哪些人|对象是/.test(q) || SPEAKER_QUESTION.test(q)) return { attribute: "who", units };
  // 办法 asks how when it is asked for (有什么办法, 有没有办法), not as a regulation's name (实施办法, 管理办法).
  if (/怎么|如何|怎样|咋|什么流程|哪里办|途径|(?:什么|啥|有没有|没有|有)办法|流程|步骤|手续/.test(q)) {
    const yes = /(可以|能|能否|能不能)/.exec(q);
    if (yes && /吗[?？]?$/.test(q)) return { attribute: "whether", units, yesWord: yes[1] === "能否" || yes[1] === "能不能" ? "能" : yes[1]! };
    return { attribute: "how", units };
  }
  // The asking verb is in the clause that asks (父母没有居住证，孩子能报名吗？ asks 能, not the 有 of 没有).
  const asking = q.split(/[，,；;]/).filter((c) => c.trim()).pop() ?? q;
  // An A-not-A form or 是否 asks where there is one (有没有能问技术问题的QQ号 asks 有); else the verb
  // nearest the question's end (娃是2016年10月生的 今年能报吗 asks 能, not the 是 of the date).
  const lastOf = (pattern: RegExp, text: string) => [...text.matchAll(new RegExp(pattern.source, "g"))].pop() ?? null;
  const yes = lastOf(EXPLICIT_YES_VERB, asking) ?? lastOf(EXPLICIT_YES_VERB, q) ?? lastOf(YES_VERB, asking) ?? lastOf(YES_VERB, q);
  if (yes && (/[吗嘛][?？]?$|呢[?？]?$/.test(q) || /有没有|是否|是不是|能否|能不能|可不可以|会不会|要不要/.test(q))) {
    const word = yes[1]!;
    const yesWord = word === "有没有" || word === "有" ? "有" : word === "是否" || word === "是不是" || word === "是" ? "是" : word === "能够" || word === "能" || word === "能不能" || word === "能否" ? "能" : word === "会不会" ? "会" : word === "要不要" ? "要" : "可以";
    return { attribute: "whether", units, yesWord };
  }
  return { attribute: "what", units };
}

/** An English yes/no question: opened by an auxiliary. */
const EN_YES_NO = /^\s*(?:can|could|is|are|do|does|did|will|may|should|has|have)\b/;

/** The asked attribute of an English question (lower case). */
export function englishAttribute(q: string): AttributeShape {
  if (EN_AGE.test(q)) return { attribute: "how-many", units: [...AGE_UNITS] };
  // What "how many" counts is the noun after it (how many talks … at schools counts talks, not schools).
  const counted = /\bhow many ((?:(?!(?:are|is|were|was|did|do|does|have|has|had|will|can|could|in|at|of|for|on|to|from|by|with|the|there)\b)[a-z-]+\s*)+)/.exec(q)?.[1];
  const units = EN_UNIT_HINTS.filter(([re]) => re.test(counted ?? q)).flatMap(([, u]) => u);
  if (/\bhow much\b|\bcost\b|\bfee\b/.test(q)) return { attribute: "money", units };
  // An amount named by what is paid, in a clause that asks what it is (what is the tuition, what are the
  // fees?, the average salary), as 学费/工资 + 多少 asks it — not who sets the fees, when tuition is due, nor
  // whether a school charges tuition.
  if (q.split(/[.?!;,]+/).some((clause) => /^\s*what\b/.test(clause) && EN_PAID.test(clause))) return { attribute: "money", units };
  if (/\bhow many\b|\bwhat (?:percentage|share|proportion|rate|number)\b|\bnumber of\b/.test(q) || EN_PHONE_QUESTION.test(q)) return { attribute: "how-many", units };
  if (/\bwhen\b|\b(?:what|which) (?:time|times|dates?|days?|hours|months?)\b|\bdeadline\b/.test(q)) return { attribute: "when", units };
  if (/\bwhere\b/.test(q)) return { attribute: "where", units };
  if (/\bwho\b|\bwhich (?:department|office)\b/.test(q)) return { attribute: "who", units };
  if (/\bhow (?:do|can|should|to|does)\b|\bsteps?\b|\bprocedure\b|\bapply\b/.test(q)) return { attribute: "how", units };
  if (/\bwhat (?:are|kinds?|types?)\b|\bwhich\b|\blist\b/.test(q)) return { attribute: "list", units };
  if (EN_YES_NO.test(q)) return { attribute: "whether", units, yesWord: "是" };
  return { attribute: "what", units };
}
