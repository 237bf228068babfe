/**
 * The question-analysis stage: question (+ history) → AnalyzedQuestion, once per request.
 *
 * Knowledge comes from the index's knowledge file (CC-CEDICT bridges pruned to the corpus, the
 * English gloss table, places, corpus-vs-general salience, the bureau profile); term weights from
 * the index statistics (scoring.ts). Nothing here is a list of words some question needed.
 */
import { isInjectionAttempt } from "./injection.js";
import type { Knowledge } from "../knowledge/knowledge.js";
import { writtenFromSpoken } from "../knowledge/cantonese.js";
import { askedDocumentFields } from "../knowledge/document-fields.js";
import { homophoneCorrections } from "../knowledge/homophones.js";
import { COMPOSED, englishTokens, SAME_THING_BRIDGE } from "../knowledge/lexicon.js";
import { englishPlacesIn, placesIn, type PlaceMention } from "../knowledge/places.js";
import { PUNCTUATION, STOP_WORDS } from "../search/stopwords.js";
import type { Tokenize } from "../search/tokenizer.js";
import { detectScript, foldForMatching } from "../text/fold.js";
import { A_NOT_A, ASKING_CLAUSE, askedStance, asksChange, asksFuture, asksLatest, chineseAttribute, speaksStance, englishAttribute, GENERAL_CLASSIFIER, type AttributeShape } from "./attribute.js";
import { askedAddress, ASKS_BESIDES, BELOW_FIGURE, institutionNames, isTestable, TESTABLE_ATTRIBUTES } from "./scoring.js";
import type { SpelledOut, SpelledOutAsk } from "./spelled-out.js";
import type { AlsoAsked, AnalyzedQuestion, AskedAttribute, ChainedClause, FollowUp, ScopeDecision, WeightedTerm } from "./types.js";

export interface ChatTurnLike {
  role: "user" | "assistant";
  content: string;
}

export interface AnalysisContext {
  tokenize: Tokenize;
  knowledge: Knowledge;
  /** Today, for 今年/去年 (defaults to the clock). */
  today?: Date;
  /** Whether a word is in the segmenter's general vocabulary (its IDF table): a known word is no typo. */
  isWord?: (word: string) => boolean;
  /** A dictionary word's IDF in the segmenter's general corpus: how specific the word is (undefined: not a dictionary word). */
  specificity?: (word: string) => number | undefined;
  /** Question words as the corpus writes them out, each by the first of its spans that it does (spelled-out.ts), where the index's passages are in memory. */
  spelledOut?: (asks: readonly SpelledOutAsk[]) => ReadonlyArray<SpelledOut | undefined>;
  /** Whether the index holds the term (its keyword vocabulary). */
  inVocabulary?: (term: string) => boolean;
  /** The newest year of the index's documents (corpus statistics): the plan in force for what comes later. */
  latestDocumentYear?: number;
}

/**
 * A question this short (folded characters) names at most its new subject (那一级园呢？): without a
 * domain word of its own it leans on the previous turn, and as a follow-up its own word is its subject.
 */
export const SHORT_FOLLOW_UP = 12;
/** Weight of a term inherited from the previous turn, against the follow-up's own words. */
const INHERITED_WEIGHT = 0.7;
/** Weight of a domain word the earlier reply's lead names (the documents' word for what was asked). */
const REPLY_WEIGHT = 0.5;
/** Weight of a lexicon bridge relative to the word it came from (times the bridge's own weight). */
const LEXICON_WEIGHT = 0.6;
const PROFILE_WEIGHT = 0.8;
/** Weight of the corpus term a homophone typo stands for (one character differs, by sound only). */
const HOMOPHONE_WEIGHT = 0.8;
/** Weight of a word of the phrase a shortened name stands for (高等教育 of 高等教育博览会 for 高博会). */
const SPELLED_OUT_WEIGHT = 0.8;
/** Weight of a document-field label (GB/T 9704) a question asks for in other words. */
const STANDARD_WEIGHT = 0.8;
/** A term ten times more frequent in the corpus than in general Chinese is domain evidence: ln 10. */
export const DOMAIN_SALIENCE = Math.log(10);
/** Bridges weaker than this do not count as domain evidence (polysemous glosses). */
const EVIDENCE_BRIDGE_WEIGHT = 0.7;
/**
 * A dictionary bridge is evidence of what a question is about when it is strong enough (`weight` at
 * least EVIDENCE_BRIDGE_WEIGHT of `full`, a whole bridge's weight) or its two words share a character.
 */
function isEvidenceBridge(from: string, target: string, weight: number, full: number): boolean {
  return weight >= EVIDENCE_BRIDGE_WEIGHT * full || [...from].some((c) => target.includes(c));
}

/** Question words and connectives: they ask, they do not name a topic (怎么办, 为什么). */
const ASKING = /^(?:多少|几|几个|几所|几名|多少个|多少所|多少名|多少人|多少钱|什么|啥|哪些|哪个|哪里|哪儿|怎么|怎么样|怎么办|为什么|为啥|咋|咋办|如何|是否|吗|呢|提供|达到|有|是|要|需要|可以|能|新增|增加|一共|共|总共|分别|具体|情况|数量|比例|占比|多|少|那|那么|这个|那个|它|它们|这|该|其|换成|换|改成|如果|的话|还有|另外|呢|请问|知道|告诉|一下|现在|时候|时间|一个|问|想|问问)$/;
const FOLLOW_UP_START = /^(?:那|那么|那个|那些|它|它们|这|这个|这些|该|其|其中|还有|另外|此外|然后|再|又|以及|和|与|换成|换到|改成|如果是|那年|当年|同年)/;
/** A question whose subject is a demonstrative pronoun: 这个/那个/这项/该政策… at its start. */
const DEMONSTRATIVE_SUBJECT = /^(?:这个|那个|这项|那项|这些|那些|该|它|它们|此项|这种|那种)(?![\u4e00-\u9fff]{0,2}(?:问题|问下|问一下))/;
const EN_FOLLOW_UP = /^(?:and|what about|how about|and what about|same for|what of)\b|\b(?:that|this|it|they|those)\b/;

/**
 * Requests to produce something (write a poem, translate, tell a joke) rather than to learn what a
 * policy says: a closed class of imperative verbs with a measure word or a genre, in both languages,
 * at the start of a clause (教师节快到了 帮我写一首…). 讲一下/说一下 ask to explain, which is what a
 * policy question does (麻烦讲一下课后服务怎么收费); a story or a joke is told, not explained.
 */
const TASK_REQUEST =
  /^(?:请|请你|帮我|帮忙|给我|麻烦|你能|能不能|可以)?(?:(?:写|作|编|创作|画|唱|生成|续写|改写)(?:一|几)?(?:首|篇|段|幅)|翻译(?:一下|成|下)|讲(?:一)?个(?:笑话|故事))|(?:写|作)(?:一)?(?:首|篇)(?:诗|词|歌|文章|作文)|讲个笑话|^(?:please\s+)?(?:write|compose|translate|draw|sing|generate)\b|\btell (?:me )?a joke\b/;

export function isTaskRequest(folded: string): boolean {
  const text = folded.trim().toLowerCase();
  // A space separates Chinese clauses typed without punctuation; in a text with English words in it, words.
  const english = (text.match(/[a-z]{2,}/g) ?? []).length >= 2;
  return text.split(english ? /[,.;!?，。；！？]+\s*/ : /[\s,，。；;！!？?]+/).some((clause) => TASK_REQUEST.test(clause.trim()));
}

/**
 * A request for a recommendation of a product, a shop or a provider (推荐个牌子, 买学习机哪个牌子好, can you
 * recommend a restaurant): the documents set policy, they recommend no brand, shop, clinic or school.
 * Asked of the assistant, not 推荐 as the documents use it: a route of admission (推荐生, 校长推荐名额,
 * 被推荐, 推荐几个学生), what a system recommends (推荐使用/下载), a nomination (推荐个人); nor 品牌 or 牌子
 * as a programme or a sign (品牌项目, 挂什么牌子) — a brand is one bought or used. Folded text: Simplified,
 * lower case (Cantonese 冇 and 边 stay as written).
 */
const RECOMMENDATION_REQUEST = new RegExp(
  [
    "推荐(?:一下|下(?!载|达|来|发)|个(?!人|数)|一个|几个|几家|一家|些|点)(?!学生|名额|人选|学校参加)",
    "有(?:什么|啥|冇|没有)(?:好的?|靠谱的?|好吃的|好玩的|好用的)?推荐(?:的)?[吗呢吧啊]?(?=[?？。!！\\s]|$)",
    "(?:买|购买|选|用)[^，。？?]{0,8}(?:哪个|哪款|啥|什么|哪|边(?:只|个|款))(?:牌子|品牌)",
    "(?:哪个|哪款|啥|什么|边(?:只|个|款))(?:牌子|品牌)(?:的)?[^，。？?]{0,3}(?:好|便宜|靠谱|划算|耐用)",
    "\\b(?:can|could|would) you (?:please )?(?:recommend|suggest) (?:a|an|some|any|me|good)\\b",
    "\\bwhich brand\\b",
  ].join("|"),
);
/** The uses of 推荐 in admission and in the documents (推荐生, 被推荐, 校长推荐): never a request. */
const POLICY_RECOMMENDATION = /被推荐|校长推荐|推荐(?:生|名额|免试|入学|表|使用|下载|用)/;

export function isRecommendationRequest(folded: string): boolean {
  return RECOMMENDATION_REQUEST.test(folded) && !POLICY_RECOMMENDATION.test(folded);
}

/**
 * A request to look up one person's records (帮我查一下邻居家孩子王某某的期末成绩和家庭住址, 把…局长的私人
 * 手机号发我): the assistant answers policy, it holds no one's scores, address, phone or ID number. Three
 * things together, closed classes of grammar and of personal information, no names: a request form
 * (帮我查, 发我); a record that is always someone's (身份证号 or the number itself, 学籍号, 手机号, 家庭住址,
 * 私人电话), a score or phone after a word for a person (某某, 邻居, 他家, 同学, 孩子, 学生 …), or the
 * admission result of the asker's own child (OWN_ADMISSION: 帮我查一下我女儿…录取了没有);
 * and no question of policy or procedure (吗, 能不能, 怎么, 哪些, 要不要, 需要, 带, 流程, 标准, 在哪 …).
 */
const PERSONAL_REQUEST = /(?:帮我|给我|替我|帮忙|麻烦)(?:查|找|搜|调)|(?:发|告诉|给)我(?:一下)?(?:[。.!！]|$)|发给我/;
const OWN_RECORD = /身份证(?:号|[:：]?\s*\d)|学籍号|(?:登记|报名|准考证|考生)编?号|手机号|私人(?:电话|手机)|家庭住址|家住哪/;

/**
 * The words a parent says for the child asked about (孩子, 娃, 宝宝, 女儿 …): a closed class of kinship
 * and everyday nouns, where the documents write 幼儿, 儿童, 学生 or 适龄儿童.
 */
export const CHILD_WORDS: readonly string[] = ["女儿", "儿子", "孩子", "小孩", "娃", "闺女", "宝宝"];
const CHILD = CHILD_WORDS.join("|");
const OTHERS_RECORD = new RegExp(`(?:某某|邻居|他家|她家|他的|她的|同学|学生|${CHILD})[^?。]{0,16}(?:成绩|分数|电话|住址)`);
/** The asker's own child's score or rank (我儿子期末考了多少分, 我家孩子积分排第几): not a cut-off (录取的学生考了多少分). */
const OWN_SCORE = new RegExp(`我(?:家)?的?(?:${CHILD})[^?。]{0,16}(?:考了多少分|排(?:在)?第几)`);
/**
 * One child's admission result, asked as the asker's own (我女儿…录取了没有, 我儿子被分到哪个学校) or as
 * whether a child got in (孩子录取了没有): not 孩子/学生 in general (孩子录取结果在哪个网站看 asks where
 * results are published).
 */
const OWN_ADMISSION = new RegExp(`我(?:家)?的?(?:${CHILD})[^?。]{0,16}(?:录取|派位结果|分到)|(?:${CHILD}|学生)[^?。]{0,16}(?:录取|录上|录到|考上|派上|(?:验证|审核)通过)了?(?:没有?|没)(?=[?？。!！,，\\s]|呢|啊|$)`);
const POLICY_SHAPE = /吗|能不能|可不可以|可以|怎么|怎样|如何|哪些|要不要|需要|带|提供|流程|办法|标准|证明|规定|政策|在哪(?![个所家间])|哪里|什么时候|啥时候|网站|平台|条件|规则|名单|人数|公示|公布|几号|几天|时间|什么意思|咋办|区别|多久|几位|填/;
export function isPersonalLookup(folded: string): boolean {
  return (
    PERSONAL_REQUEST.test(folded) &&
    (OWN_RECORD.test(folded) || OTHERS_RECORD.test(folded) || OWN_ADMISSION.test(folded) || OWN_SCORE.test(folded)) &&
    !POLICY_SHAPE.test(folded)
  );
}

/** A date within a year: the month (lunar, in digits or numerals) with its day or part, a season, a half. */
const DATE_IN_YEAR = String.raw`(?:(?:农历|阴历)?(?:\d{1,2}|[一二三四五六七八九十]{1,2})月份?(?:\d{1,2}[日号])?(?:[初底中]|上旬|中旬|下旬)?|[春夏秋冬](?:天|季)|年[初底中]|[上下]半年)`;
/**
 * What follows a year of birth: 年 (for a bare 1979), the date, the end of a range of dates, 以后/前,
 * then 出生 / 生的 / 生人 / a bare 生 — not 出生人口, 出生人数, 出生证明 …, a statistic or a procedure of that year.
 */
const BIRTH_AFTER_YEAR = new RegExp(
  String.raw`^\s*年?${DATE_IN_YEAR}?(?:[至到~\-—－]+(?:\d{2,4}年)?${DATE_IN_YEAR}?)?(?:[以之]?[前后])?的?(?:出生(?!人口|人数|率|数|量|证|医学|登记|婴儿|缺陷|高峰)|生的|生人|出世|生(?=[,，。;；\s]|$))`,
);
/** What comes before a year of birth said first: 出生于 / 生于. */
const BIRTH_BEFORE_YEAR = /(?:出)?生于\s*$/;
/** Whether the year spanning [start, end) of the text is a year of birth (after it from `after`: 年 for a short year). */
function bornIn(folded: string, start: number, after: number): boolean {
  return BIRTH_AFTER_YEAR.test(folded.slice(after)) || BIRTH_BEFORE_YEAR.test(folded.slice(0, start));
}
/** Two years joined as a range (2020到2022年, 2020—2022年, 2020至2022). */
const YEAR_RANGE = /(?:19|20)\d{2}\s*年?\s*(?:到|至|-|—|－|~|～)\s*(?:19|20)\d{2}/;
/** Whether a text writes the year out as a year (2023年, 2023 年, 2023学年), not as an amount (2000元) or in a number's 〔2024〕. */
export function namesYear(text: string, year: number): boolean {
  return new RegExp(`(?<!\\d)${year}\\s*(?:年|学年)`).test(text);
}

/**
 * The years a question writes out as years (AnalyzedQuestion.writtenYears); none for a range
 * (2020到2022年 asks about the years between, which this does not tell apart).
 */
export function writtenYearsOf(folded: string, years: readonly number[]): number[] {
  return YEAR_RANGE.test(folded) ? [] : years.filter((y) => namesYear(folded, y));
}

/** Years a question names: 2021年 / 2021年度 / 二〇二一年, and 今年/去年/前年 relative to today. */
const SHORT_YEAR = /(?<![\d.年满缴交纳近第了过续共约计整足够差去来这经作龄])(\d{2})年(?![级龄制代以内后前来多半期间度时]|义务|免费|教育|的(?:时间|工作|教龄|社保)|[零一二两三四五六七八九十]|\d(?!\d?月))/g;
export function yearsIn(folded: string, today: Date): number[] {
  const years = new Set<number>();
  // A year someone was born in (1979年3月出生, 16年10月生的) is a date of the asker's, not a year the
  // question asks about: the documents' rules name birth dates, not documents of that year.
  const born = (m: RegExpMatchArray) => bornIn(folded, m.index!, m.index! + m[0].length);
  for (const m of folded.matchAll(/(?<!\d)((?:19|20)\d{2})(?=\s*年|\b)/g)) if (!born(m)) years.add(Number(m[1]));
  const digits: Record<string, string> = { "〇": "0", 零: "0", 一: "1", 二: "2", 三: "3", 四: "4", 五: "5", 六: "6", 七: "7", 八: "8", 九: "9" };
  for (const m of folded.matchAll(/([〇零一二三四五六七八九]{4})年/g)) if (!born(m)) years.add(Number([...m[1]!].map((c) => digits[c]).join("")));
  const now = today.getFullYear();
  // A year said with two digits (松江19年新开的园, 24年新增学位), not a length of time (交了15年, 满10年,
  // 近10年, 10年以上): a closed class of the words that make it one.
  for (const { digits, born } of shortYears(folded)) {
    const year = 2000 + digits;
    if (year <= now + 1 && !born) years.add(year);
  }
  if (/今年|本年度|this year/.test(folded)) years.add(now);
  if (/去年|上一年|上年度|last year/.test(folded)) years.add(now - 1);
  if (/前年/.test(folded)) years.add(now - 2);
  return [...years].filter((y) => y >= 1949 && y <= now + 10);
}

/** Years said with two digits (19年, 16年10月生的): the digits, and whether a birth date follows. */
function* shortYears(folded: string): Generator<{ digits: number; born: boolean }> {
  for (const m of folded.matchAll(SHORT_YEAR)) yield { digits: Number(m[1]), born: bornIn(folded, m.index!, m.index! + m[0].length - 1) };
}

/** Years of birth said with two digits (16年10月生的, 79年2月出生的), in full (2016, 1979): the documents write birth dates in full. */
function shortBirthYears(folded: string, today: Date): string[] {
  const out: string[] = [];
  for (const { digits, born } of shortYears(folded)) if (born) out.push(String(2000 + digits <= today.getFullYear() ? 2000 + digits : 1900 + digits));
  return out;
}

function isLatinQuestion(text: string): boolean {
  const han = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  // A question of English words alone, however short (And in 2024?), is English: two words at least
  // (ok, thanks, STEM, WiFi alone are no sentence, and an acronym stays a search word).
  if (!han) return (text.match(/[A-Za-z]{2,}/g) ?? []).length >= 2;
  if (latin < 6) return false;
  // An English sentence may carry the bureau's own term in Chinese (a points-based place (积分入学),
  // start 小班): it is English while its English words outnumber those characters.
  const words = (text.match(/[A-Za-z]{2,}/g) ?? []).length;
  return han <= 2 || (words >= MIN_ENGLISH_WORDS && han <= words);
}

/** English words an English question with Chinese terms in it has at least. */
const MIN_ENGLISH_WORDS = 5;

/** Search terms of a Chinese question: its tokens minus stop words, figures and years (searched as tokens). */
function contentTokens(tokens: string[]): string[] {
  return [...new Set(tokens.filter((t) => !/^\d/.test(t) && !STOP_WORDS.has(t) && !PUNCTUATION.test(t) && !WHICH_WORD.test(t)))];
}

/** 哪 with one character after it (哪条, 哪所, 哪天, 哪些) asks which: a question word, not a word of the topic. */
const WHICH_WORD = /^哪[\u3400-\u9fff]$/;

/** The shortest and longest corpus name looked for in a question's text (新泾苑, 程家桥苑), in characters. */
const MIN_GLUED_NAME = 3;
const MAX_GLUED_NAME = 8;

/**
 * Question tokens with the corpus's names the segmenter did not cut out. Jieba's HMM cuts a word its
 * dictionary lacks by its neighbours: 新泾苑 of a table (门店：新泾苑) is one word there, but in
 * 那新泾苑在哪 the demonstrative sticks to it (那新 | 泾苑), and in 去新泾苑 it falls apart (新 | 泾苑). A
 * stretch of the question's Han text that is a corpus term the general dictionary does not know (a
 * name: its salience entry, from the index), of three or more characters and not inside a longer
 * one, joins the tokens; a token that neither the corpus nor the dictionary knows and that such a
 * name cuts across (那新) was a mis-cut and leaves. Statistics of the corpus itself, no list.
 */
function withCorpusNames(tokens: string[], folded: string, corpus: Readonly<Record<string, unknown>>, isWord?: (word: string) => boolean): string[] {
  if (!isWord) return tokens;
  const names: Array<{ name: string; start: number }> = [];
  for (const run of folded.matchAll(/[\u3400-\u9fff]{3,}/g)) {
    const text = run[0];
    for (let i = 0; i + MIN_GLUED_NAME <= text.length; i++) {
      for (let len = Math.min(MAX_GLUED_NAME, text.length - i); len >= MIN_GLUED_NAME; len--) {
        const name = text.slice(i, i + len);
        if (!(name in corpus) || isWord(name)) continue;
        const start = run.index + i;
        // Maximal: not inside a name found already (names are found left to right, longest first).
        if (!names.some((n) => n.start <= start && start + len <= n.start + n.name.length)) names.push({ name, start });
        break;
      }
    }
  }
  const fresh = names.filter((n) => !tokens.some((t) => t.includes(n.name)));
  if (!fresh.length) return tokens;
  const miscut = (token: string) => {
    if (token.length < 2 || token in corpus || isWord(token) || !/^[\u3400-\u9fff]+$/.test(token)) return false;
    const at = folded.indexOf(token);
    const end = at + token.length;
    // The name starts inside the token and runs past it, or starts before it and ends inside it.
    return at >= 0 && fresh.some(({ name, start }) => (start > at && start < end && start + name.length > end) || (start < at && start + name.length > at && start + name.length < end));
  };
  return [...tokens.filter((t) => !miscut(t)), ...fresh.map((n) => n.name)];
}

/** A count before a classifier: digits, a Chinese numeral, or 多少/几 asking for one. */
const COUNT_BEFORE = /(?:多少|几|\d|[零一二两三四五六七八九十百千万])$/;

/**
 * The segmenter's guesses that glue a count's classifier to the noun after it (个学位 and 个学 of
 * 多少个学位): a token that is no dictionary word nor a word of the documents, opening with a classifier
 * (Knowledge.classifiers) that stands right after a count in the text, is grammar and a noun, not a
 * word of its own — searched, it only brings in look-alikes (个学 → 各学 by sound). The token goes; the
 * noun after the classifier stays a term when it is a word of two characters or more.
 */
function withoutGluedClassifiers(tokens: string[], text: string, ctx: AnalysisContext): string[] {
  const classifiers = ctx.knowledge.classifiers;
  const isWord = ctx.isWord;
  if (!classifiers || !isWord) return tokens;
  const known = (t: string) => isWord(t) || t in ctx.knowledge.salience;
  const glued = (t: string) => {
    if (t.length < 2 || !classifiers.includes(t[0]!) || known(t) || !/^[\u3400-\u9fff]+$/.test(t)) return false;
    // Every place the token stands in the text follows a count.
    let at = text.indexOf(t);
    if (at < 0) return false;
    for (; at >= 0; at = text.indexOf(t, at + 1)) if (!COUNT_BEFORE.test(text.slice(0, at))) return false;
    return true;
  };
  const dropped = tokens.filter(glued);
  if (!dropped.length) return tokens;
  const nouns = dropped.map((t) => t.slice(1)).filter((n) => n.length >= 2 && known(n) && !tokens.includes(n));
  return [...tokens.filter((t) => !dropped.includes(t)), ...new Set(nouns)];
}

/** A term that names a topic: not a question word or connective (多少, 新增, 那, 换成 …). */
export const isTopical = (term: string) => !ASKING.test(term) && !/^\d/.test(term);

/** The question's own words of two characters or more that name no place it mentions. */
export function ownWordsOf(query: Pick<AnalyzedQuestion, "terms" | "places">): string[] {
  return query.terms.filter((t) => t.source === "question" && t.term.length >= 2 && !query.places.some((p) => p.name.includes(t.term) || t.term.includes(p.name))).map((t) => t.term);
}

/**
 * The head noun of what a list clause asks for (要带哪些证件材料呢 → 材料, 哪些幼儿园有特教班 → 儿园 of 幼儿园):
 * the words after the question word up to a verb, connective or final particle, whose last two
 * characters are the head (Chinese compounds are head-final); undefined when fewer than two remain.
 */
export function listHead(clause: string): string | undefined {
  const after = /(?:哪些|什么|啥)([\u4e00-\u9fff]{2,8})/.exec(clause)?.[1];
  const noun = after?.split(/有|是|在|可|能|需|才|和|及|或|都|呢|吗|嘛|啊|呀|了|要(?![求点素件])/)[0];
  return noun && noun.length >= 2 ? noun.slice(-2) : undefined;
}

interface OwnAnalysis {
  folded: string;
  language: "zh" | "en";
  tokens: string[];
  /** Content terms with their weights (English: each word's best translation). */
  terms: WeightedTerm[];
  /** English: the other translations of the question's words. */
  alternatives?: WeightedTerm[];
  places: PlaceMention[];
  years: number[];
}

/** Tokens and content terms of one question, without history. */
function analyzeOwn(question: string, ctx: AnalysisContext, today: Date): OwnAnalysis {
  const folded = foldForMatching(question);
  const { knowledge } = ctx;
  const places = isLatinQuestion(question) ? [...placesIn(folded, knowledge.places), ...englishPlacesIn(question, knowledge.places)] : placesIn(folded, knowledge.places);
  const years = yearsIn(folded.toLowerCase(), today);
  if (isLatinQuestion(question)) {
    // English: figures through the tokenizer, words through the gloss table (phrases of three and two words first).
    const figures = ctx.tokenize(question).filter((t) => /\d/.test(t));
    const words = englishTokens(question, knowledge.englishLemmas);
    // Each English word (or two-word phrase) becomes its best Chinese term, a content term of the
    // question; its other translations search as alternatives (expansions), so a word with five
    // glosses weighs once in coverage, not five times.
    const terms = new Map<string, WeightedTerm>();
    // beside: the key's terms are all alternatives (a composed compound beside its words' readings).
    const take = (key: string, factor: number, from: string, beside = false) => {
      const targets = knowledge.english[key];
      if (!targets?.length) return false;
      const best = targets[0]![1];
      // The reading the corpus uses most (招生 of "enrol" in admission notices) is searched too, as an
      // alternative, however weak its gloss: which reading is meant is what the corpus is about.
      const passages = (term: string) => knowledge.salience[term]?.[1] ?? 0;
      const used = targets.reduce((a, b) => (passages(b[0]) > passages(a[0]) ? b : a))[0];
      targets.forEach(([term, w], i) => {
        if (term === used && w < best * 0.5) w = best * 0.5;
        if (w < best * 0.5) return;
        // The table's weight is absolute (a sole, first-sense gloss is ≈ 0.9): kept as it is, so a
        // word whose glosses are all late senses of many terms stays weak.
        const weight = Math.min(1, w * factor * 1.1);
        const existing = terms.get(term);
        const alternative = i > 0 || beside;
        // A word's main reading stays main: an alternative reading of the same term (a phrase's word
        // read alone: soccer → 足球 beside "soccer ball" → 足球) only raises its weight.
        if (existing && !existing.alternative && alternative) existing.weight = Math.max(existing.weight, weight);
        else if (!existing || existing.weight < weight) terms.set(term, { term, weight, source: "english", from, ...(alternative ? { alternative: true } : {}) });
      });
      return true;
    };
    // A phrase of three words before one of two, before single words; a phrase holds a word
    // searched on its own (not "so on"), and function words are searched only in a phrase.
    const covered = new Set<number>();
    for (const size of [3, 2]) {
      for (let i = 0; i + size <= words.length; i++) {
        const span = words.slice(i, i + size);
        if (span.some((_, j) => covered.has(i + j)) || !span.some((t) => t.alone)) continue;
        const phrase = span.map((t) => t.key).join(" ");
        if (take(phrase, 1, phrase)) for (let j = 0; j < size; j++) covered.add(i + j);
      }
    }
    words.forEach((w, i) => {
      // A word read inside a phrase ("sports field" → 运动场) is searched on its own readings too, as
      // alternatives (体育, 场地): the corpus may say the thing in words, not as the phrase's compound.
      if (w.alone) take(w.key, 0.9, w.key, covered.has(i));
    });
    // A corpus compound the dictionary lacks, read from two adjacent words (高水平 "high level"),
    // is searched beside what those words read.
    for (let i = 0; i + 1 < words.length; i++) {
      if (!words[i]!.alone || !words[i + 1]!.alone) continue;
      const phrase = `${words[i]!.key} ${words[i + 1]!.key}`;
      take(`${COMPOSED}${phrase}`, 1, phrase, true);
    }
    // Chinese terms the English sentence carries (积分入学, 小班) are the question's own words.
    for (const span of question.match(/[\u3400-\u9fff]+/g) ?? []) {
      for (const term of contentTokens(withCorpusNames(ctx.tokenize(span), span, knowledge.salience, ctx.isWord))) {
        if (!terms.has(term) || terms.get(term)!.weight < 1) terms.set(term, { term, weight: 1, source: "question" });
      }
    }
    const list = [...terms.values()];
    const main = list.filter((t) => !t.alternative);
    const alternatives = list.filter((t) => t.alternative).map(({ alternative: _alternative, ...t }) => t);
    return { folded: folded.toLowerCase(), language: "en", tokens: [...figures, ...main.map((t) => t.term)], terms: main, alternatives, places, years };
  }
  // Written Cantonese asks with its own grammar words (幾多, 邊度, 係咪): read as their standard counterparts.
  // 哪一条 asks "which": its 一 is no numeral of the topic (一条 would find 第一条 of every regulation).
  const written = writtenFromSpoken(folded).replace(WHICH_ONE, "哪");
  // The segmenter's tokens with the corpus's names whole and no classifier glued to its noun.
  const tokensOf = (text: string) => withoutGluedClassifiers(withCorpusNames(ctx.tokenize(text), text, knowledge.salience, ctx.isWord), text, ctx);
  const tokens = tokensOf(written);
  // An A-not-A question (是不是, 能不能, 可不可以, 有没有) asks yes or no with its verb once: its
  // negated half (不是, 不能, 没有) is grammar, not a word of the topic.
  const affirmed = written.replace(A_NOT_A, "");
  const terms = contentTokens(affirmed === written ? tokens : tokensOf(affirmed)).map<WeightedTerm>((term) => ({ term, weight: 1, source: "question" }));
  return { folded: written, language: "zh", tokens, terms, places, years };
}

/**
 * The question's words that the corpus's vocabulary lacks (博会 of 高博会), each with the characters
 * beside it (the segmenter cuts a shortened name apart), as the documents write them out
 * (spelled-out.ts): the longest span found first, one per word. Only a phrase that is evidence of the
 * documents' domain stands for the span (spelledEvidence); its salience is that evidence.
 */
function spelledOutSpans(own: OwnAnalysis, ctx: AnalysisContext, places: PlaceMention[]): SpelledOut[] {
  const asks = shortenedAsks(own, ctx, places);
  return foundSpellings(asks.length ? ctx.spelledOut!(asks) : [], ctx.knowledge);
}

/**
 * The question's words the vocabulary lacks (Han, two to six characters, topical, no place), each with
 * the spans around it that may be a shortened name (AnalyzedQuestion.shortened).
 */
function shortenedAsks(own: OwnAnalysis, ctx: AnalysisContext, places: PlaceMention[], options: { known?: boolean } = {}): SpelledOutAsk[] {
  const han = (c: string | undefined) => c !== undefined && /[\u3400-\u9fff]/.test(c) && !NOT_OF_A_NAME.test(c) && !STOP_WORDS.has(c);
  const shaped = (token: string) => /^[\u3400-\u9fff]{2,6}$/.test(token) && isTopical(token) && !isPlaceTerm(token, places, ctx.knowledge);
  const isUnknown = (token: string) => !ctx.knowledge.salience[token] && !ctx.inVocabulary?.(token);
  // With `known`: also a word of the corpus that no dictionary has (产证), which another document can write out.
  const unknown = new Set(own.tokens.filter((token) => shaped(token) && (isUnknown(token) || (options.known === true && !ctx.isWord?.(token)))));
  const asks: SpelledOutAsk[] = [];
  for (const word of unknown) {
    const at = own.folded.indexOf(word);
    if (at < 0) continue;
    const before = own.folded[at - 1];
    const after = own.folded[at + word.length];
    // A dictionary word (平米, 考研) is a word of its own, bridged by the lexicon if at all: no shortening.
    const spans = [han(before) && han(after) ? `${before}${word}${after}` : "", han(before) ? `${before}${word}` : "", han(after) ? `${word}${after}` : "", word].filter((span) => span && !ctx.isWord?.(span));
    if (spans.length) asks.push({ word, spans, ...(isUnknown(word) ? {} : { known: true as const }) });
  }
  return asks;
}

/** The spellings found that say the question is the documents' (spelledEvidence), each span once. */
export function foundSpellings(found: ReadonlyArray<SpelledOut | undefined>, knowledge: Knowledge): SpelledOut[] {
  const kept = found.flatMap((s) => {
    const evidence = s ? spelledEvidence(s, knowledge) : 0;
    return s && evidence >= DOMAIN_SALIENCE ? [{ ...s, salience: evidence }] : [];
  });
  // A span found around one word that holds another's (高博会 of 博会 and 高博) is said once.
  return kept.filter((s, i) => !kept.some((o, j) => j < i && o.span.includes(s.span)));
}

/** The question with a shortened name's written-out words searched beside it (as the analysis adds them). */
export function withSpellings(query: AnalyzedQuestion, spellings: readonly SpelledOut[]): AnalyzedQuestion {
  if (!spellings.length) return query;
  const expansions = [...query.expansions];
  const added = addSpellings(expansions, query.terms, spellings);
  const weighted = new Map(query.weighted);
  for (const e of added) if (!weighted.has(e.term)) weighted.set(e.term, e.weight);
  return { ...query, expansions, weighted };
}

/** Adds a spelling's written-out words to the expansions (none the question has already): what was added. */
function addSpellings(expansions: WeightedTerm[], terms: readonly WeightedTerm[], spellings: readonly SpelledOut[]): WeightedTerm[] {
  const added: WeightedTerm[] = [];
  for (const spelled of spellings) {
    for (const word of spelled.words) {
      if (expansions.some((e) => e.term === word) || terms.some((t) => t.term === word)) continue;
      const expansion: WeightedTerm = { term: word, weight: SPELLED_OUT_WEIGHT, source: "spelled-out", from: spelled.span };
      expansions.push(expansion);
      added.push(expansion);
    }
  }
  return added;
}

/**
 * How much a phrase the question's span stands for says the question is the documents': the question's
 * own word as they write it (优课, no dictionary word: rare in general Chinese) by the phrase's salience;
 * a shortening (高博会 → 高等教育博览会) by its most salient word seen in two passages or more (高等教育), as a
 * bridge target seen once is no evidence — not by the whole phrase, which general Chinese never writes.
 */
function spelledEvidence(spelled: SpelledOut, knowledge: Knowledge): number {
  if (spelled.phrase === spelled.span) return spelled.salience;
  return Math.max(0, ...spelled.words.map((w) => ((knowledge.salience[w]?.[1] ?? 0) >= 2 ? knowledge.salience[w]![0] : 0)));
}

/** 哪一 before a measure or noun (哪一条, 哪一所, 哪一年): "which", as 哪 alone asks it. */
const WHICH_ONE = /哪一(?=[\u3400-\u9fff])/g;

/** A character beside a question word that a shortened name does not hold: a numeral, a stop word, a question particle. */
const NOT_OF_A_NAME = /[零〇一二两三四五六七八九十百千万几多哪啥谁吗呢吧啊呀么嘛了的是在和与及]/;

/** Whether a term names a place (places are not topics). */
function isPlaceTerm(term: string, places: PlaceMention[], knowledge: Knowledge): boolean {
  return places.some((p) => p.name.includes(term) || term.includes(p.name)) || knowledge.profile.city.name.startsWith(term);
}

/**
 * Expansions of the question's terms: CC-CEDICT bridges (kept at index time only when the target
 * is a corpus term) and the profile's glossary aliases.
 */
function expansionsOf(terms: WeightedTerm[], folded: string, knowledge: Knowledge): WeightedTerm[] {
  const out = new Map<string, WeightedTerm>();
  const own = new Set(terms.map((t) => t.term));
  const add = (term: string, weight: number, source: WeightedTerm["source"], from: string) => {
    if (own.has(term)) return;
    const existing = out.get(term);
    if (!existing || existing.weight < weight) out.set(term, { term, weight: Math.round(weight * 1000) / 1000, source, from });
  };
  for (const t of terms) {
    if (t.source === "english") continue;
    // An abbreviation's full form (社保 → 社会保险) is the word itself, written out: it searches as the word.
    for (const [target, w] of knowledge.bridges[t.term] ?? []) add(target, w >= SAME_THING_BRIDGE ? t.weight : t.weight * LEXICON_WEIGHT * w, "lexicon", t.term);
  }
  for (const entry of knowledge.profile.glossary) {
    const hit = entry.aliases.find((a) => containsAlias(folded, foldForMatching(a)));
    if (hit && !folded.includes(foldForMatching(entry.term))) add(foldForMatching(entry.term), PROFILE_WEIGHT, "profile", hit);
  }
  return [...out.values()];
}

/**
 * A modifier the question writes in everyday words, with its head, as the documents shorten the pair
 * (公立幼儿园, 公家办的幼儿园 → 公办园 through the profile's 公立/公家办 → 公办): Chinese shortens such a name by
 * keeping the modifier whole and the last character of the head. Read only where the corpus's vocabulary
 * holds the short form (Knowledge.salience), as a word that stands in for the head (it counts at most the
 * head's weight). Not for a modifier the question writes as the documents do (公办幼儿园): passages that
 * write the pair out hold both its words already, and the short form only made others their equal
 * (measured at half weight over the evaluation sets: 6 more questions answered, 2 lost).
 */
function shortForms(terms: readonly WeightedTerm[], expansions: readonly WeightedTerm[], folded: string, knowledge: Knowledge): WeightedTerm[] {
  const han = (t: string) => t.length >= 2 && /^[\u3400-\u9fff]+$/.test(t);
  // A head shortened to its last character is a word of three or more (幼儿园 → 园), one the documents use in
  // two passages or more: not a word that is its last character's own compound (公园, 校园), nor a fragment.
  const heads = terms.filter((t) => t.source === "question" && han(t.term) && t.term.length >= 3 && (knowledge.salience[t.term]?.[1] ?? 0) >= 2);
  const modifiers = expansions.filter((e) => e.source === "profile" && e.from && han(e.term)).map((e) => ({ written: e.from!, term: e.term }));
  const out: WeightedTerm[] = [];
  for (const m of modifiers) {
    for (let at = folded.indexOf(m.written); at >= 0; at = folded.indexOf(m.written, at + 1)) {
      const next = at + m.written.length + (folded[at + m.written.length] === "的" ? 1 : 0);
      for (const head of heads) {
        if (head.term === m.term || !folded.startsWith(head.term, next)) continue;
        const short = `${m.term}${head.term.at(-1)}`;
        if (knowledge.salience[short] === undefined || [...terms, ...expansions, ...out].some((t) => t.term === short)) continue;
        out.push({ term: short, weight: head.weight, source: "short-form", from: head.term });
      }
    }
  }
  return out;
}

/** 1–99 in Chinese numerals as ages are written (六, 十二, 二十); undefined outside that range. */
export function chineseNumeral(n: number): string | undefined {
  const digits = "零一二三四五六七八九";
  if (!Number.isInteger(n) || n < 1 || n > 99) return undefined;
  if (n < 10) return digits[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens > 1 ? digits[tens] : ""}十${ones ? digits[ones] : ""}`;
}

/**
 * Whether a folded question holds a profile alias: a Latin alias as a whole word (AI is no alias
 * inside "Haier" or "paid"), a Chinese one anywhere.
 */
function containsAlias(folded: string, alias: string): boolean {
  if (!/[a-z0-9]/i.test(alias)) return folded.includes(alias);
  const escaped = alias.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![a-z0-9])${escaped}(?![a-z0-9])`, "i").test(folded);
}

/** Whether the rest of a compound holds a Han character no passage of the corpus holds (Knowledge.characters). */
function foreignRest(rest: string, knowledge: Knowledge): boolean {
  const characters = knowledge.characters;
  return characters !== undefined && [...rest].some((c) => c >= "\u3400" && c <= "\u9fff" && !characters[c]);
}

/** How strongly the question's words point at the corpus's domain: the best salience among them. */
function domainScore(terms: WeightedTerm[], expansions: WeightedTerm[], places: PlaceMention[], knowledge: Knowledge, words: readonly string[] = [], guessed: readonly string[] = []): { score: number; reasons: string[]; bridgedOnly: boolean } {
  let score = 0;
  const reasons: string[] = [];
  for (const t of terms) {
    if (!isTopical(t.term) || isPlaceTerm(t.term, places, knowledge)) continue;
    // A character pair of a word the dictionary does not know (能入 of 能入学, the tokenizer's pairs) is
    // no word of the question, whatever its statistics.
    if (guessed.some((g) => g !== t.term && g.includes(t.term)) && !words.includes(t.term)) continue;
    // A part of a word the question says whose rest no passage holds (人民 of 人民币: no passage has
    // 币; 定期 of 定期存款: none has 款) is not what the question is about — the documents never say
    // that word; 篮球 of 篮球队 still is (队 is the corpus's).
    if (t.source === "question" && words.some((word) => word !== t.term && word.includes(t.term) && foreignRest(word.replace(t.term, ""), knowledge))) continue;
    // An English word's mapped term is evidence at its mapping's strength: the gloss table's weight
    // already divides a word's reading among its translations, so one gloss of a polysemous word
    // ("recommend" → 引进) stays weak evidence of what the question is about.
    const strength = t.source === "english" ? t.weight : Math.min(1, t.weight);
    const [salience = 0, passages = 0] = knowledge.salience[t.term] ?? [];
    // A translation seen in one passage only is no evidence, as for lexicon bridges (weather → 天候 of 全天候).
    if (t.source === "english" && passages < 2) continue;
    const s = salience * strength;
    if (s > score) {
      score = s;
      reasons.unshift(`“${t.term}”在文件中的频率是一般语料的 ${Math.exp(s).toFixed(0)} 倍`);
    }
  }
  // An English question's words reach the corpus through glosses, each a share of the word's
  // readings (school → 学校 0.29 of its senses): a share is weak evidence alone, so one word's
  // top reading never counts fully (recommend → 引进). Two different words whose top readings are
  // each domain words are evidence together, at the weaker of the two.
  const english = new Map<string, { best: number; salience: number; term: string }>();
  for (const t of terms) {
    if (t.source !== "english" || !t.from || !isTopical(t.term) || isPlaceTerm(t.term, places, knowledge)) continue;
    const word = english.get(t.from) ?? { best: 0, salience: 0, term: "" };
    word.best = Math.max(word.best, t.weight);
    english.set(t.from, word);
  }
  for (const t of terms) {
    const word = t.source === "english" && t.from ? english.get(t.from) : undefined;
    const [salience = 0, passages = 0] = knowledge.salience[t.term] ?? [];
    if (!word || passages < 2) continue;
    const s = salience * (t.weight / word.best);
    if (s > word.salience) Object.assign(word, { salience: s, term: t.term });
  }
  const [first, second] = [...english.entries()].sort((a, b) => b[1].salience - a[1].salience);
  if (first && second && second[1].salience > score) {
    score = second[1].salience;
    reasons.unshift(`英文词“${first[0]}”“${second[0]}”都对应到文件用语（${first[1].term}、${second[1].term}）`);
  }
  const own = score;
  for (const e of expansions) {
    // An English word's other readings were weighed with its terms above.
    if (e.source === "english") continue;
    // A short form is read through a profile alias, which is the evidence.
    if (e.source === "short-form") continue;
    if (e.source === "lexicon" && !isEvidenceBridge(e.from ?? "", e.term, e.weight, LEXICON_WEIGHT)) continue;
    // A bridge target seen once is no evidence (全天候 once does not make 天气 an education word).
    const [salience = 0, passages = 0] = knowledge.salience[e.term] ?? [];
    if (passages < 2) continue;
    const s = salience * Math.min(1, e.weight / LEXICON_WEIGHT);
    if (s > score) {
      score = s;
      reasons.unshift(`“${e.from}”经${e.source === "profile" ? "机构词表" : "词典"}对应到文件用语“${e.term}”`);
    }
  }
  return { score, reasons: reasons.slice(0, 2), bridgedOnly: own < DOMAIN_SALIENCE && score >= DOMAIN_SALIENCE };
}

/**
 * When a dictionary bridge is a question's only link to the documents (孩子 → 儿童): its own words of
 * two or more characters that are neither corpus words more frequent there than in general Chinese
 * (Knowledge.salience, in two passages or more) nor bridged to one, places and question words aside —
 * what it is about. Empty when another of its words is linked too (上学 → 就读): then the bridge is not alone.
 */
function nonDomainWords(terms: WeightedTerm[], places: PlaceMention[], knowledge: Knowledge): string[] {
  const own = terms.filter((t) => t.source === "question" && t.term.length >= 2 && isTopical(t.term) && !isPlaceTerm(t.term, places, knowledge));
  // A corpus word seen in one passage only is no link, as a bridge target seen once is no evidence (domainScore).
  const corpusWord = (term: string) => (knowledge.salience[term]?.[1] ?? 0) >= 2;
  // A bridge links as it is evidence in domainScore (一般 → 普通 at a third of a reading links nothing).
  const linked = (t: WeightedTerm) => corpusWord(t.term) || (knowledge.bridges[t.term] ?? []).some(([target, w]) => corpusWord(target) && isEvidenceBridge(t.term, target, t.weight * w, 1));
  if (own.filter(linked).length > 1) return [];
  // A word's parts (家附近 of 附近) are one word: only the longest of overlapping terms counts.
  const outside = own.filter((t) => !linked(t)).map((t) => t.term);
  return outside.filter((w) => !outside.some((o) => o !== w && o.includes(w)));
}

/** What is left of a follow-up that is a place alone once the place is taken out (那…呢, …的呢, …怎么样). */
const BARE_PLACE_FOLLOW_UP = /^(?:那|那么|那在|在)?(?:的)?(?:呢|吗|怎么样|如何|的话呢|那边呢|这边呢)?[?？。!！]*$/;

/** Words outside the domain that make a question about something else when its only link to the documents is a dictionary bridge. */
const OFF_TOPIC_WORDS = 2;

/** A word far more frequent in the documents than in general Chinese (Knowledge.salience): the domain's. */
const isDomainWord = (term: string, knowledge: Knowledge) => (knowledge.salience[term]?.[0] ?? 0) >= DOMAIN_SALIENCE;

/** Short clauses a question of no domain word may ask at once and still follow up (实际做到了多少 花了多少钱). */
const MAX_SHORT_CLAUSES = 2;
/** The question words of a quantity (a closed class): 多少, 几 (not 几点, a time). */
const QUANTITY_ASKED = /多少|几(?!点)/;

/** Follow-up resolution: which earlier user turn this question leans on, and whether it does. */
function resolveFollowUp(own: OwnAnalysis, question: string, history: ChatTurnLike[], knowledge: Knowledge): { index: number; reason: string } | undefined {
  const turns = history.map((t, i) => ({ ...t, i })).filter((t) => t.role === "user" && t.content.trim() && t.content.trim() !== question.trim());
  const previous = turns[turns.length - 1];
  if (!previous) return undefined;
  const topical = own.terms.filter((t) => isTopical(t.term) && !own.places.some((p) => p.name.includes(t.term) || t.term.includes(p.name)));
  if (own.language === "en") {
    if (!topical.length) return { index: previous.i, reason: "attribute-only" };
    return EN_FOLLOW_UP.test(own.folded) && topical.length <= 3 ? { index: previous.i, reason: "english-anaphor" } : undefined;
  }
  if (!topical.length) return { index: previous.i, reason: own.years.length ? "year-only" : "attribute-only" };
  if (FOLLOW_UP_START.test(own.folded) && topical.length <= 2) return { index: previous.i, reason: "anaphor" };
  // A demonstrative as the subject (这个具体怎么弄，家长要去哪报名？) points back whatever else is asked.
  if (DEMONSTRATIVE_SUBJECT.test(own.folded)) return { index: previous.i, reason: "anaphor" };
  // Elliptical "and X?" (覆盖率呢？): a short question ending in 呢 asks about the previous topic.
  if (/呢[?？]?$/.test(own.folded) && own.folded.length <= 10 && topical.length <= 2) return { index: previous.i, reason: "elliptical" };
  if (/这个|那个|它|该项|这项|这些/.test(own.folded) && topical.length <= 2) return { index: previous.i, reason: "anaphor" };
  // A question that opens as a follow-up (那二级园和示范园每个月多少钱？) but names its own topic still
  // speaks of the same place, year and topic: they carry over beside its own words (which keep
  // their full weight), and it asks its own attribute.
  if (FOLLOW_UP_START.test(own.folded)) return { index: previous.i, reason: "context" };
  // A short question with no domain word of its own (比上一届多了几个？) asks on about the earlier topic.
  if (topical.some((t) => isDomainWord(t.term, knowledge))) return undefined;
  if (own.folded.length <= SHORT_FOLLOW_UP) return { index: previous.i, reason: "elliptical" };
  // So do two such asked at once (实际做到了多少 花了多少钱), each short and each asking a quantity (多少,
  // 几): clauses that ask other things (明天会下雨吗，要不要带伞) are a question of their own.
  const clauses = own.folded.split(/[\s,，;；。?？!！]+/).filter(Boolean);
  if (clauses.length <= MAX_SHORT_CLAUSES && clauses.every((c) => c.length <= SHORT_FOLLOW_UP && QUANTITY_ASKED.test(c))) return { index: previous.i, reason: "elliptical" };
  return undefined;
}

/**
 * A year said relative to the earlier turn's (And the year after? 第二年呢？ the year before): the
 * closed class of the languages' words for the next and the previous year, read only in a follow-up
 * that names no year of its own. 明年 and 去年 are said relative to today and are read as years. The
 * previous year keeps the earlier turn's year beside it: a year's report states the year before's
 * figure as its starting point (占比从去年的39%提升至60%).
 */
// Said as the clause's subject (那第二年呢, 前一年是多少), not inside another phrase (提前一年上学, 最后一年,
// 入学第二年, 次年8月31日前出生). 上一年 is read against today (yearsIn), as 去年 is.
const NEXT_YEAR = /(?:^|[\s，,。？?])(?:那|那么|而|再)?(?:第二年|次年|下一年|后一年|翌年)(?![\d〇零一二三四五六七八九十]+月)|\bthe (?:year|one) after\b|\bthe following year\b|\bthe next year\b|\ba year later\b/;
const PREVIOUS_YEAR = /(?:^|[\s，,。？?])(?:那|那么|而|再)?(?:前一年|头一年)|\bthe (?:year|one) before\b|\bthe previous year\b|\bthe prior year\b|\ba year (?:earlier|before)\b/;
export function shiftedYears(folded: string, inherited: readonly number[]): number[] {
  if (inherited.length !== 1) return [...inherited];
  const year = inherited[0]!;
  if (NEXT_YEAR.test(folded)) return [year + 1];
  if (PREVIOUS_YEAR.test(folded)) return [year - 1, year];
  return [year];
}

/**
 * The years a question about what comes after `years` asks: the newest documents' year when it is
 * not earlier (a report closes on its 下一步); else, or when the index does not say (a D1 Worker's
 * documents are not in memory), `years` as they are.
 */
function laterYears(years: readonly number[], latest: number | undefined): number[] {
  return latest !== undefined && years.every((y) => latest >= y) ? [latest] : [...years];
}

/** A word of neither side a follow-up may ask (目标, 实际): what a plan or an outcome is of. */
const sideless = (term: string) => !speaksStance(term, "plan") && !speaksStance(term, "outcome");

/** A question's own domain word, other than a word of the side it asks: a topic of its own. */
function hasOwnTopic(own: OwnAnalysis, knowledge: Knowledge): boolean {
  return own.terms.some((t) => t.source === "question" && isTopical(t.term) && sideless(t.term) && isDomainWord(t.term, knowledge));
}

/** How a reply names its source before quoting it (据2021年工作总结，, 按《…》：): not the quote's words. */
const REPLY_ATTRIBUTION = /^(?:据|按|根据|依据)[^，,：:]{0,80}[，,：:]/;
/**
 * The words with which a reply says it did not answer: a partial answer opens with NOT_STATED (文件中没有写明您
 * 所问的具体数字；与此相关的规定是…), a refusal says NO_ANSWER (…暂未找到可靠依据，无法给出准确答复). The composer
 * writes them; a follow-up reads them back (replyWords), so they are defined once, here.
 */
export const NOT_STATED = "文件中没有写明";
export const NO_ANSWER = "无法给出准确答复";

/**
 * The documents' own words for what the earlier turn asked in everyday ones, as the reply's lead quotes
 * them (优质园 for 好的幼儿园): for each domain word of the earlier question that the reply does not hold,
 * the reply's domain words (corpus statistics) with the same head — the last character, a Chinese
 * compound's head (优质园 is a 园 as 幼儿园 is) — that neither question holds. A word the reply holds
 * itself (职业教育 beside 基础教育) needs no other name. Only for a follow-up with no topic of its own
 * (实际做到了多少, 占比多少), from a Chinese reply that answered (an English one translates the
 * documents' words; one that says they do not state it quotes related content).
 */
function replyWords(own: OwnAnalysis, previous: OwnAnalysis, reply: ChatTurnLike | undefined, have: ReadonlySet<string>, ctx: AnalysisContext, today: Date): string[] {
  const { knowledge } = ctx;
  if (reply?.role !== "assistant" || !reply.content.trim() || hasOwnTopic(own, knowledge)) return [];
  const lead = foldForMatching(reply.content.split(/[。！？!?\n]/)[0] ?? "").replace(REPLY_ATTRIBUTION, "");
  if (lead.includes(NOT_STATED) || lead.includes(NO_ANSWER)) return [];
  const told = analyzeOwn(lead, ctx, today);
  if (told.language !== "zh") return [];
  const heads = new Set(previous.terms.filter((t) => t.term.length >= 2 && isTopical(t.term) && isDomainWord(t.term, knowledge) && !lead.includes(t.term)).map((t) => t.term.slice(-1)));
  const words = told.terms.map((t) => t.term).filter((t) => t.length >= 2 && !have.has(t) && isTopical(t) && !/\d/.test(t) && isDomainWord(t, knowledge) && sideless(t) && heads.has(t.slice(-1)));
  return [...new Set(words)];
}

/** Analyses a question once: everything the later stages read. */
export function analyzeQuestion(question: string, history: ChatTurnLike[] = [], ctx: AnalysisContext): AnalyzedQuestion {
  const today = ctx.today ?? new Date();
  const own = analyzeOwn(question, ctx, today);
  const { knowledge } = ctx;
  const script = detectScript(question);

  let terms = [...own.terms];
  const stance = askedStance(own.folded, own.tokens);
  let years = own.years;
  let places = own.places;
  let followUp: FollowUp | undefined;
  /** The domain evidence of the turn a follow-up leans on: its topic is this question's too. */
  let previousDomain: { score: number; reasons: string[]; bridgedOnly: boolean } | undefined;
  const resolved = resolveFollowUp(own, question, history, knowledge);
  const zhShape = (text: string) => withClassifierUnit(chineseAttribute(text, ctx.isWord), text, ctx);
  let shape = own.language === "en" ? englishShape(own.folded) : zhShape(own.folded);
  // A target asked for what comes later, of no year (What are the city's next goals? 往后的目标是多少): the
  // plan in force, the newest documents'.
  if (!resolved && !years.length && stance === "plan" && asksFuture(own.folded)) years = laterYears([], ctx.latestDocumentYear);
  if (resolved) {
    const previousText = history[resolved.index]!.content;
    const previous = analyzeOwn(previousText, ctx, today);
    const mine = new Set(terms.map((t) => t.term));
    // A follow-up that asks the other side of the earlier turn (那实际做到多少了？ after …比例目标是多少？)
    // does not search that turn's word for its side.
    const inherited = previous.terms.filter((t) => !mine.has(t.term) && !(stance && speaksStance(t.term, stance === "plan" ? "outcome" : "plan")));
    terms = [...terms, ...inherited.map((t) => ({ ...t, weight: t.weight * INHERITED_WEIGHT, source: "history" as const }))];
    const reply = history[resolved.index + 1];
    const fromReply = replyWords(own, previous, reply, new Set(terms.map((t) => t.term)), ctx, today);
    terms = [...terms, ...fromReply.map((term) => ({ term, weight: REPLY_WEIGHT, source: "history" as const }))];
    // A follow-up for a target or a figure set for later (那往后的目标呢, 那往后优质园比例要达到多少) asks
    // beyond the earlier turn's year, not of it: the newest documents' (the plan in force, a report's
    // closing 下一步). What comes after a step (那报名以后多久出结果, 接下来要准备什么材料) is no target.
    const laterTarget = asksFuture(own.folded) && (stance === "plan" || shape.attribute === "how-many");
    if (!years.length) years = laterTarget ? laterYears(previous.years, ctx.latestDocumentYear) : shiftedYears(own.folded, previous.years);
    // A follow-up that is a place alone (那青岛呢, 上海的呢) asks about that place, not the earlier turn's; one
    // that names a place among other words (那户口在山东的孩子呢) still asks within the earlier turn's.
    const barePlace = places.length > 0 && own.folded.replace(/\s+/g, "").length <= SHORT_FOLLOW_UP && BARE_PLACE_FOLLOW_UP.test(places.reduce((t, p) => t.split(p.name).join(""), own.folded.replace(/\s+/g, "")));
    if (!barePlace) places = [...places, ...previous.places.filter((p) => !places.some((q) => q.code === p.code))];
    // An attribute-only follow-up asks its own attribute; a pronoun follow-up may only point.
    const before = () => (previous.language === "en" ? englishShape(previous.folded) : zhShape(previous.folded));
    // Its own topic: a domain word of its own, other than a word of the side it asks (目标, 实际).
    const ownTopic = hasOwnTopic(own, knowledge);
    if (shape.attribute === "what" && resolved.reason !== "context") shape = before();
    else if (shape.attribute === "how-many" && !shape.units.length && !ownTopic) {
      // 多少 with no measure (实际做到了多少？) asks the quantity the earlier turn asked (占多少比例: a share),
      // as within one question the told part's measure is the asking part's (chineseAttribute); not
      // when it names a topic of its own (那全市新建了多少幼儿园？ counts schools, whatever was asked before).
      const earlier = before();
      if (earlier.attribute === "how-many" && earlier.units.length) shape = { ...shape, units: earlier.units };
    }
    followUp = { turn: resolved.index, question: previousText, inherited: [...inherited.map((t) => t.term), ...fromReply], reason: resolved.reason, ...(reply?.role === "assistant" && reply.content.trim() ? { answered: foldForMatching(reply.content) } : {}) };
    previousDomain = domainScore(previous.terms, [...(previous.alternatives ?? []), ...expansionsOf(previous.terms, previous.folded, knowledge)], previous.places, knowledge);
  }

  // Each clause's fields, read against the whole question (a clause that leans on a document named in
  // another asks a field only if it asks nothing else: 文号是多少？录取结果什么时候公布？ asks no issue date).
  const clauseTexts = own.folded.split(/[?;,。，？；]/).filter((c) => c.trim());
  const fields = [...new Set((clauseTexts.length > 1 ? clauseTexts : [own.folded]).flatMap((c) => askedDocumentFields(c, own.folded)))];
  const expansions = [...(own.alternatives ?? []), ...expansionsOf(terms, own.folded, knowledge)];
  if (own.language === "zh") expansions.push(...shortForms(terms, expansions, own.folded, knowledge));
  // A homophone typo (家仿 → 家访) searches as the corpus term it sounds like.
  if (own.language === "zh" && knowledge.homophones) {
    for (const { from, term } of homophoneCorrections(own.tokens, knowledge.homophones, knowledge.salience, ctx.isWord)) {
      if (expansions.some((e) => e.term === term) || terms.some((t) => t.term === term)) continue;
      expansions.push({ term, weight: HOMOPHONE_WEIGHT, source: "homophone", from });
      // The word meant is bridged as if it were written (社宝 → 社保 → 社会保险), for the typo it stands for.
      for (const bridged of expansionsOf([{ term, weight: HOMOPHONE_WEIGHT, source: "question" }], "", knowledge)) {
        if (bridged.source !== "lexicon" || expansions.some((e) => e.term === bridged.term) || terms.some((t) => t.term === bridged.term)) continue;
        expansions.push({ ...bridged, from });
      }
    }
  }
  // A document field is searched under the labels documents give it (文号 → 发文字号).
  for (const field of fields) {
    for (const label of field.labels) if (!expansions.some((e) => e.term === label) && !terms.some((t) => t.term === label)) expansions.push({ term: label, weight: STANDARD_WEIGHT, source: "standard", from: field.field });
  }
  // An age in digits is written in Chinese numerals by statutes and notices (满6岁 → 年满六周岁).
  for (const token of own.tokens) {
    const age = /^(\d{1,2})(?:周)?岁$/.exec(token);
    const numeral = age ? chineseNumeral(Number(age[1])) : undefined;
    if (!numeral) continue;
    for (const form of [`${numeral}周岁`, `${age![1]}周岁`]) {
      if (form !== token && !expansions.some((e) => e.term === form)) expansions.push({ term: form, weight: STANDARD_WEIGHT, source: "standard", from: token });
    }
  }
  // The question's own general words (人民币, 定期存款), whose parts the domain test reads.
  const words = ctx.isWord ? terms.filter((t) => t.source === "question" && t.term.length >= 2 && ctx.isWord!(t.term)).map((t) => t.term) : [];
  // Its words of three or more characters the dictionary does not know (the tokenizer adds their pairs).
  const guessed = ctx.isWord ? terms.filter((t) => t.source === "question" && t.term.length >= 3 && !ctx.isWord!(t.term)).map((t) => t.term) : [];
  let domain = domainScore(terms, expansions, places, knowledge, words, guessed);
  // A word the documents' vocabulary lacks may be a shortened name (高博会) they write out
  // (高等教育博览会), or a word the segmenter cut otherwise in them (优课): before the question is taken
  // for one outside their domain (or linked to it by a dictionary bridge alone), the written-out
  // words are searched beside it, and the phrase is its evidence (spelledEvidence).
  // (Not for a question refused whatever its words: an injection, a task, a recommendation, a personal look-up, another place.)
  const injection = isInjectionAttempt(question);
  const task = isTaskRequest(own.folded);
  const recommendation = isRecommendationRequest(own.folded);
  const personal = isPersonalLookup(own.folded);
  const otherPlaces = places.filter((p) => p.relation === "other");
  // Looked up in every passage here, for a question that would otherwise be refused; an in-domain
  // question's words are looked up in its retrieved candidates (AnalyzedQuestion.shortened).
  const spellAll = (domain.score < DOMAIN_SALIENCE || domain.bridgedOnly) && own.language === "zh" && ctx.spelledOut !== undefined && !injection && !task && !recommendation && !personal && !otherPlaces.length;
  if (spellAll) {
    const spellings = spelledOutSpans(own, ctx, places);
    addSpellings(expansions, terms, spellings);
    for (const spelled of spellings) {
      if (spelled.salience > domain.score) domain = { score: spelled.salience, reasons: [`“${spelled.span}”在文件中写作“${spelled.phrase}”`], bridgedOnly: false };
    }
  }
  const weighted = new Map<string, number>();
  // Figures and years of the question itself search as they are.
  for (const token of own.tokens) if (/\d/.test(token)) weighted.set(token, 1);
  for (const year of shortBirthYears(own.folded, today)) weighted.set(year, 1);
  for (const t of terms) weighted.set(t.term, Math.max(weighted.get(t.term) ?? 0, t.weight));
  for (const e of expansions) if (!weighted.has(e.term)) weighted.set(e.term, e.weight);

  // Scope: injection, another place, outside the domain; the answerer adds "nothing on topic" after retrieval.
  let decision: ScopeDecision = "in-domain";
  const reasons: string[] = [];
  // A follow-up asks about the topic of the turn it leans on (And what about 2024?): that turn's
  // evidence counts, read from its own words rather than from the weaker inherited ones.
  if (previousDomain && previousDomain.score > domain.score) domain = { score: previousDomain.score, reasons: previousDomain.reasons.map((r) => `上一问：${r}`), bridgedOnly: previousDomain.bridgedOnly };
  const offTopic = !followUp && own.language === "zh" && domain.bridgedOnly ? nonDomainWords(own.terms, places, knowledge) : [];
  if (injection) {
    decision = "injection";
    reasons.push("试图改变或套取系统指令");
  } else if (recommendation) {
    decision = "off-domain";
    reasons.push("这是请求推荐商品、店铺或机构，不是政策咨询");
  } else if (task) {
    decision = "off-domain";
    reasons.push("这是创作、翻译或闲聊请求，不是政策咨询");
  } else if (personal) {
    decision = "off-domain";
    reasons.push("这是查询个人信息（成绩、住址、电话、证件号）的请求，不是政策咨询");
  } else if (otherPlaces.length) {
    decision = "other-place";
    reasons.push(`提到的地方（${otherPlaces.map((p) => p.name).join("、")}）不是${knowledge.profile.city.name}，文件也没有专门涉及`);
  } else if (domain.score < DOMAIN_SALIENCE) {
    decision = "off-domain";
    reasons.push(terms.length ? `问题中的词在教育文件中并不比一般语料更常见（最高 ${domain.score.toFixed(1)}）` : "问题没有可检索的实词");
  } else if (offTopic.length >= OFF_TOPIC_WORDS) {
    // Only a dictionary bridge (孩子 → 儿童) links it to the documents, while what it is about (发烧、急诊) is not theirs.
    decision = "off-domain";
    reasons.push(`问题说的是“${offTopic.join("、")}”，文件中很少或没有提到；只有${domain.reasons[0] ?? "个别词语经词典对应到文件用语"}`);
  } else {
    reasons.push(...domain.reasons);
  }

  const clauseShapes = clauseShapesOf(own.folded, own.language, (clause, s) => withClassifierUnit(s, clause, ctx), ctx.isWord);
  const shortened = own.language === "zh" && decision === "in-domain" && !spellAll && ctx.spelledOut && ctx.inVocabulary ? shortenedAsks(own, ctx, places, { known: true }) : [];
  const institutions = own.language === "zh" ? institutionNames(own.folded) : [];
  return {
    text: question,
    script,
    language: own.language,
    folded: own.folded,
    tokens: own.tokens,
    terms,
    expansions,
    weighted,
    attribute: shape.attribute,
    units: shape.units,
    ...(shape.yesWord ? { yesWord: shape.yesWord } : {}),
    years,
    places,
    documentFields: fields.map((f) => f.field),
    ...alsoAskedOf(clauseShapes, shape.attribute),
    ...firstClauseWordsOf(own, ctx, followUp !== undefined, clauseShapes),
    ...askedSubjectOf(own, ctx, clauseShapes, shape.attribute),
    ...(own.language === "zh" ? (followUp ? followUpChainOf(own.folded, followUp.question) : chainOf(own.folded)) : {}),
    ...(followUp ? { followUp } : {}),
    ...negatedOf(own.folded, own.terms),
    ...addressOf(own.folded, own.language),
    writtenYears: writtenYearsOf(own.folded, years),
    ...(own.language === "zh" && asksChange(own.folded) ? { asksChange: true as const } : {}),
    ...(ASKS_BESIDES.test(own.folded) ? { asksBesides: true as const } : {}),
    ...(stance ? { stance } : {}),
    ...(shortened.length ? { shortened } : {}),
    ...namesOf(own, ctx, institutions),
    institutions,
    scope: { decision, reasons, domainScore: Math.round(domain.score * 100) / 100 },
  };
}

/**
 * The words of an institution's name the question gives (华港 of 天河华港幼儿园) that the general dictionary
 * does not know (AnalyzedQuestion.names). Not a corpus word outside a name (办园, 派位: the documents also
 * write 办幼儿园, 电脑派位招生), nor anything of an English question (its terms are the dictionary's
 * translations).
 */
function namesOf(own: OwnAnalysis, ctx: AnalysisContext, institutions: readonly string[]): Pick<AnalyzedQuestion, "names"> {
  if (!ctx.isWord) return {};
  const named = (t: string) => t.length >= 2 && /^[\u3400-\u9fff]+$/.test(t) && !ctx.isWord!(t) && institutions.some((name) => name.includes(t));
  return { names: own.language === "zh" ? own.terms.map((t) => t.term).filter(named) : [] };
}

/** Asking what to do (a closed class of the language). */
const WHAT_TO_DO = /怎么办|咋办|怎么弄|如何是好|该怎么/;

/** The fewest content words by which the clause asked first can tell it is about something else. */
const MIN_FIRST_CLAUSE_WORDS = 2;

/**
 * The content words of the clause asked first (AnalyzedQuestion.firstClauseWords), no place among them,
 * when the question asks in two clauses or more (split at question marks and asking commas; keywords
 * typed apart are a look-up, not clauses), none after the first asks for a value (a figure, a time, a
 * place), and it is not a follow-up (its words lean on the earlier turn).
 */
function firstClauseWordsOf(own: OwnAnalysis, ctx: AnalysisContext, followUp: boolean, { shapes, typedApart }: ClauseShapes): Pick<AnalyzedQuestion, "firstClauseWords"> {
  if (own.language !== "zh" || followUp || !ctx.isWord || typedApart || shapes.length < 2) return {};
  // A later clause that asks for a value (…？另外幼儿园几号报名？) is a question of its own, answered whatever the first asks.
  if (shapes.slice(1).some(({ clause, shape }) => isTestable(shape.attribute, clause))) return {};
  const first = shapes[0]!.clause;
  // 怎么办 asks what to do in the asker's situation (爸妈都出差了怎么办), which the clauses after it
  // name (幼儿园报名能让爷爷去吗): the situation is context, not a question about something else.
  if (WHAT_TO_DO.test(first)) return {};
  const words = clauseWords(own, ctx, first);
  // One word (你好？, 暴雨怎么办？, 工资多少？) is too little to say what the clause is about.
  return words.length >= MIN_FIRST_CLAUSE_WORDS ? { firstClauseWords: words.map((term) => ({ term, general: ctx.isWord!(term) })) } : {};
}

/** The question's content words of two characters or more that a clause holds, no place among them. */
function clauseWords(own: OwnAnalysis, ctx: AnalysisContext, clause: string): string[] {
  return own.terms.map((t) => t.term).filter((t) => t.length >= 2 && isTopical(t) && clause.includes(t) && !isPlaceTerm(t, own.places, ctx.knowledge));
}

/** A period a value is counted in (一年, 一个月, 每学期, 本学期, 全年, 年度): no subject of what is asked. */
export const PERIOD_WORD = /^(?:[一二两三半每这那本上下全今明]|多少|几)?个?(?:年|月|日|天|周|星期|学期|学年|季度|年度)$/;

/**
 * The most specific word of the clause that asks for a value (AnalyzedQuestion.askedSubject): the content
 * word, no place, with the highest IDF in the segmenter's general corpus (保育费 of 公办幼儿园每个月的保育费是多少钱).
 * None when a word of the clause is not in the dictionary: a name or a typo is then the most specific,
 * and nothing is known of it.
 */
function askedSubjectOf(own: OwnAnalysis, ctx: AnalysisContext, { shapes }: ClauseShapes, attribute: AskedAttribute): Pick<AnalyzedQuestion, "askedSubject"> {
  const { specificity } = ctx;
  if (own.language !== "zh" || !specificity) return {};
  const clause = shapes.find((s) => s.shape.attribute === attribute)?.clause ?? own.folded;
  // A period (一年, 一个月, 每学期) says when the value is counted, not what it is of; a clause left with no
  // word of its own (…医保在哪交 一年交多少钱) asks of what the question names before it.
  const ofClause = clauseWords(own, ctx, clause).filter((w) => !PERIOD_WORD.test(w));
  // What the question's other asking clauses name (孩子的少儿医保在哪交 beside 一年交多少钱); a clause that asks
  // nothing (小朋友上天河区的公办幼儿园) only sets the scene.
  const asking = shapes.filter((s) => s.clause !== clause && s.shape.attribute !== "what").map((s) => s.clause);
  const named = asking.flatMap((c) => clauseWords(own, ctx, c)).filter((w) => !PERIOD_WORD.test(w));
  // Of those, a word the corpus never uses is what it asks of — the last of them, the head of what it
  // names (医保 of 少儿医保: Chinese puts the head last).
  const unknown = named.filter((w) => ctx.knowledge.salience[w] === undefined);
  const head = unknown.sort((a, b) => own.folded.lastIndexOf(a) - own.folded.lastIndexOf(b)).slice(-1);
  const words = ofClause.length ? ofClause : head;
  if (!words.length || words.some((w) => specificity(w) === undefined)) return {};
  const subject = words.reduce((best, w) => (specificity(w)! > specificity(best)! ? w : best));
  return { askedSubject: subject };
}

/**
 * A further clause whose subject is a demonstrative with a noun (那个园的电话, 这所学校在哪, 该园几点开门):
 * it asks about the thing an earlier clause's answer names. Grammar (demonstrative + measure word),
 * not vocabulary: the noun is whatever follows.
 */
const REFERRING_CLAUSE = /^(?:那个|这个|那家|这家|那所|这所|那间|这间|该)([\u4e00-\u9fff]{0,3}?)(?:的|在|有|是|几|多|电话|地址|怎么|什么|哪)/;

/**
 * A space or comma before a referring demonstrative (REFERRING_CLAUSE's openings) — 该 only before the noun
 * it refers by (该园, 该校), not the modal 该 (该去哪报名).
 */
const BEFORE_REFERRING = /[\s,，]+(?=(?:那个|这个|那家|这家|那所|这所|那间|这间|该(?=[园校所]))[\u4e00-\u9fff])/;
/**
 * A demonstrative's word that names nothing an answer names: a measure word alone (这个是几号开始) or a time
 * (这个月, 这个学期, 这个周末).
 */
const NO_HEAD = /^(?:个|家|所|间|月|学期|星期|周|周末|礼拜|时候|年|阶段|时间)$/;

/** A folded question's clauses, split at question marks and semicolons. */
function clausesOf(folded: string): string[] {
  return folded
    .split(/[?;]/)
    .flatMap((c) => c.split(EN_SECOND_QUESTION))
    .map((c) => c.trim())
    .filter((c) => c.length >= 2);
}

/**
 * What an English question asks: what its first asking clause asks, when it asks two questions (where
 * do we go, and on which days? asks a place first), else what the whole asks.
 */
function englishShape(folded: string): ReturnType<typeof englishAttribute> {
  const clauses = clausesOf(folded);
  const first = clauses.length > 1 ? clauses.map(englishAttribute).find((s) => s.attribute !== "what") : undefined;
  // Only a value a sentence can be tested for (a place, a time, a figure): "which kindergarten …, and what
  // number" asks the number, not a list.
  return first && TESTABLE_ATTRIBUTES.has(first.attribute) ? first : englishAttribute(folded);
}

/**
 * Where an English sentence asks a second question: "and" (or "also", "plus"), after a comma or not,
 * before a wh-word, a preposition leading one (…where do we go, and on which days?), or "is there" /
 * "are there" (what is the age limit, and is there a cap…). Not "and" inside a noun phrase (primary
 * and junior high schools).
 */
const EN_SECOND_QUESTION = /,?\s+(?:and|also|plus)\s+(?=(?:(?:on|at|in|from|by|for|to|until|till)\s+)?(?:what|what's|when|where|which|who|whom|whose|how)\b|(?:is|are)\s+there\b)/;

/**
 * A folded question's clauses, split at question marks, semicolons and commas, each comma part that
 * asks nothing (ASKING_CLAUSE) joined to the part after it: 初中毕业想读五年制大专,青岛有几所中职能办 is one
 * clause, …电话多少,上午几点开始接听 two.
 */
function askingClauses(folded: string): string[] {
  const out: string[] = [];
  for (const clause of folded.split(/[?;]/)) {
    const start = out.length;
    let pending = "";
    for (const part of clause.split(",")) {
      pending = pending ? `${pending},${part}` : part;
      if (ASKING_CLAUSE.test(part)) {
        out.push(pending.trim());
        pending = "";
      }
    }
    // What asks nothing after the last asking part of this clause stays with it (…多少人,谢谢).
    if (pending.trim()) {
      if (out.length > start) out[out.length - 1] = `${out[out.length - 1]},${pending}`.trim();
      else out.push(pending.trim());
    }
  }
  return out.filter((c) => c.length >= 2);
}

function chainOf(folded: string): { chain?: ChainedClause } {
  // A question typed without punctuation (去哪个幼儿园登记 那个园在啥路几号) parts its clauses by a space or a
  // comma: a part that opens on a demonstrative is a clause of its own.
  const clauses = clausesOf(folded).flatMap((c) => c.split(BEFORE_REFERRING)).filter((c) => c.trim().length >= 2);
  for (let i = 1; i < clauses.length; i++) {
    const clause = clauses[i]!.split(/[,，]/)[0]!.trim();
    const referring = REFERRING_CLAUSE.exec(clause);
    if (!referring) continue;
    const shape = chineseAttribute(`${clause}?`);
    if (!TESTABLE_ATTRIBUTES.has(shape.attribute)) continue;
    // The noun says what the earlier answer names (那个园 → a kindergarten); without one (这个是几号开始) it may point anywhere.
    const head = referring[1] && !NO_HEAD.test(referring[1]) ? referring[1] : undefined;
    if (!head) continue;
    return { chain: { antecedent: `${clauses.slice(0, i).join("?")}?`, clause, attribute: shape.attribute, units: shape.units, head } };
  }
  return implicitChainOf(folded);
}

/**
 * A last clause that names nothing but a contact field (电话多少, 地址在哪) right after one that asks which
 * place (对口哪个公办园, 去哪个幼儿园登记): it asks that field of the place the answer names, as 那个园的电话多少
 * would. Not after a clause that names a place of its own between them (…哪个幼儿园 区教育局招生办 电话多少).
 */
const WHICH_PLACE = /哪(?:一)?(?:个|家|所|间)[\u4e00-\u9fff]{0,4}?(幼儿园|园|小学|中学|初中|高中|学校|校|机构|中心)/;
const BARE_FIELD_CLAUSE = /[\s,，?;]+((?:(?:联系|咨询|招生)?电话(?:号码)?|地址)(?:是|在)?(?:多少|几号|哪里|哪儿|哪|啥|什么)?)(?:呢|啊|呀)?[?？\s]*$/;
function implicitChainOf(folded: string): { chain?: ChainedClause } {
  const bare = BARE_FIELD_CLAUSE.exec(folded);
  if (!bare) return {};
  const antecedent = folded.slice(0, bare.index).trim();
  const which = WHICH_PLACE.exec(antecedent.split(/[\s,，?;]+/).pop() ?? "");
  if (!which) return {};
  const clause = bare[1]!;
  const shape = chineseAttribute(`${clause}?`);
  if (!TESTABLE_ATTRIBUTES.has(shape.attribute)) return {};
  return { chain: { antecedent: `${antecedent}?`, clause, attribute: shape.attribute, units: shape.units, head: which[1]! } };
}

/**
 * A follow-up that refers to what the answer to the earlier turn names (那这个园的电话多少 地址在哪 after
 * 孩子智力有障碍 在长宁上幼儿园可以去哪里登记): chained to that turn's question as a referring clause
 * after it in one question would be (chainOf). A leading 那/那么 is the follow-up's connective.
 */
function followUpChainOf(folded: string, previous: string): { chain?: ChainedClause } {
  const own = folded.trim().replace(/^(?:那么|那)(?=这|那|该)/, "");
  const { chain } = chainOf(`${foldForMatching(previous).replace(/[?？\s]+$/, "")}?${own}`);
  return chain && own.startsWith(chain.clause) ? { chain: { ...chain, clause: own.replace(/\s+/g, " ") } } : {};
}

/** A word of negation right before a word (没 达标, 没有 房产证, 未 满, 不 符合): grammar, a closed class. */
/**
 * A word of negation, or one with a verb of reaching (没到标准分, 未达到标准分值, 不满六周岁: the closed
 * class of BELOW_BEFORE). 不到 and 不达 only at the start of a clause or after a noun: after a verb, 不到
 * is "cannot" (找不到学校, 收不到通知), no negated condition.
 */
const NEGATION_BEFORE = /(?:没有?|未|不|无)$|(?:没有?|未)(?:达到|到|达|满|够|足)$|不(?:满|足|够)$/;
/** Questions that ask with a negation and negate nothing: 有无 (有没有 is A_NOT_A), 可否, 与否, 是否. */
const ASKING_NEGATION = /有无|可否|与否|是否/g;
/**
 * Verbs of the speaker's stance or manner that a negation makes a hedge, not a condition of the case
 * (不好意思, 不知道, 不清楚, 不确定, 不太懂): a closed class.
 */
const STANCE = /^(?:好意思|知道|清楚|确定|了解|明白|太懂|太清楚|太了解|懂)/;

/**
 * The question's words that come right after a word of negation (AnalyzedQuestion.negated), read
 * on the folded text: the tokenizer drops 没有 as a stop word.
 */
function negatedOf(question: string, terms: readonly WeightedTerm[]): Pick<AnalyzedQuestion, "negated"> {
  // An A-not-A question's negation (有没有名额, 有无户籍要求) asks; it negates nothing.
  const folded = question.replace(A_NOT_A, "").replace(ASKING_NEGATION, "");
  const words = new Set<string>();
  for (const { term } of terms) {
    if (!/^[\u3400-\u9fff]{2,}$/.test(term)) continue;
    for (let at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) {
      if (NEGATION_BEFORE.test(folded.slice(Math.max(0, at - 4), at)) && !STANCE.test(folded.slice(at))) words.add(term);
    }
  }
  // A threshold the question falls short of (积分不到120分, 社保没满6个月, 不足3周岁): the figure is negated.
  for (const [, before, after] of folded.matchAll(BELOW_FIGURE)) words.add((before ?? after)!);
  return words.size ? { negated: [...words] } : {};
}

/** The street and house number a Chinese question gives (AnalyzedQuestion.address). */
function addressOf(folded: string, language: "zh" | "en"): Pick<AnalyzedQuestion, "address"> {
  const address = language === "zh" ? askedAddress(folded) : undefined;
  return address ? { address } : {};
}

/** A question's clauses, each with what it asks; `typedApart`: keywords typed apart, not asking clauses. */
interface ClauseShapes {
  shapes: Array<{ clause: string; shape: AttributeShape }>;
  typedApart: boolean;
}

/** The characters a dictionary word opening at a character may take: two or three (成员, 成绩单). */
const WORD_LENGTHS = [2, 3];

/** Whether the general dictionary has a word of two or three characters opening at `at` (本市 of 多少本市…). */
function wordOpensAt(text: string, at: number, ctx: AnalysisContext): boolean {
  return WORD_LENGTHS.some((n) => text.length - at >= n && ctx.isWord?.(text.slice(at, at + n)) === true);
}

/**
 * A count asked in a classifier the unit hints do not name (多少对, 几节课, 几册): the character right after
 * 多少/几 is a dictionary classifier (Knowledge.classifiers), and the figure is asked in it. A word that only
 * opens with one (多少本市…, 多少支持) is no classifier there: the dictionary has the longer word.
 */
function withClassifierUnit<T extends { attribute: AskedAttribute; units: string[] }>(shape: T, clause: string, ctx: AnalysisContext): T {
  const classifiers = ctx.knowledge.classifiers;
  if (!classifiers || shape.units.length || (shape.attribute !== "how-many" && shape.attribute !== "what")) return shape;
  for (const m of clause.matchAll(/(?:多少|几)([\u3400-\u9fff])/g)) {
    const asked = m[1]!;
    if (asked === GENERAL_CLASSIFIER || !classifiers.includes(asked)) continue;
    // The dictionary's words only (本市, 期间, 支持): the segmenter joins a classifier to its noun (节课 of 几节课).
    if (wordOpensAt(clause, m.index + m[0].length - 1, ctx)) continue;
    return { ...shape, attribute: "how-many", units: [asked] };
  }
  return shape;
}

/**
 * The clauses of a question, read once for alsoAskedOf and firstClauseWordsOf. A clause after a comma
 * asks of its own too (…电话多少，上午几点开始接听？); one that asks nothing (初中毕业想读五年制大专，) belongs
 * to the clause after it. A Chinese question of one asking clause with keywords typed apart (松江 学前招生
 * 咨询电话 咨询地址) asks one thing per keyword.
 */
function clauseShapesOf(
  folded: string,
  language: "zh" | "en",
  refine: (clause: string, shape: ReturnType<typeof chineseAttribute>) => ReturnType<typeof chineseAttribute>,
  isWord?: (word: string) => boolean,
): ClauseShapes {
  const asked = language === "zh" ? askingClauses(folded) : clausesOf(folded);
  const pieces = language === "zh" && asked.length < 2 ? folded.split(/\s+/).filter((k) => k.length >= 2) : [];
  // Pieces that each ask (明天下雨吗 孩子运动会要不要带伞) are sentences typed without punctuation, not keywords.
  const typedApart = pieces.length > 0 && !(pieces.length >= 2 && pieces.every((p) => ASKING_CLAUSE.test(p)));
  const clauses = pieces.length ? pieces : asked;
  return { shapes: clauses.map((clause) => ({ clause, shape: language === "en" ? englishAttribute(clause) : refine(clause, chineseAttribute(`${clause}?`, isWord)) })), typedApart };
}

/**
 * What the question's other clauses ask (askingClauses: split at question marks, semicolons and
 * asking commas; keywords typed apart): every clause but the first that asks the question's own
 * attribute, when a sentence can be tested for what it asks — another attribute (在哪里可以当面咨询),
 * or the same of another thing (示范性幼儿园又是多少).
 */
function alsoAskedOf({ shapes }: ClauseShapes, main: AskedAttribute): Pick<AnalyzedQuestion, "alsoAsked" | "askedClause" | "askedUnits" | "asksLatest" | "clauses"> {
  if (shapes.length < 2) return {};
  const also: AlsoAsked[] = [];
  const typed = shapes.map(({ clause, shape }) => ({ clause, attribute: shape.attribute }));
  let mainClause: string | undefined;
  let mainUnits: string[] = [];
  for (const { clause, shape } of shapes) {
    if (shape.attribute === main && mainClause === undefined) {
      mainClause = clause;
      mainUnits = shape.units;
      continue;
    }
    // A clause asking for a list of things (要带哪些证件材料) is answered by a sentence naming them (所需材料：…):
    // the head of a Chinese compound is its end, so the last two characters of what is asked.
    const head = shape.attribute === "list" ? listHead(clause) : undefined;
    // A clause asking whether (年龄有限制吗) is answered by a sentence holding its words (年龄不超过45周岁).
    if (!isTestable(shape.attribute, clause) && !head && shape.attribute !== "whether") continue;
    const latest = shape.attribute === "when" ? asksLatest(clause) : undefined;
    also.push({ attribute: shape.attribute, units: shape.units, clause, ...(head ? { head } : {}), ...(latest ? { latest } : {}) });
  }
  if (!also.length) return { clauses: typed };
  // The words with which the question's own clause asks a time of the most recent of several (最近一次),
  // read as each further clause's are: the composer answers the clauses one by one.
  const latest = main === "when" && mainClause !== undefined ? asksLatest(mainClause) : undefined;
  return { alsoAsked: also, clauses: typed, ...(mainClause !== undefined ? { askedClause: mainClause, askedUnits: mainUnits } : {}), ...(latest ? { asksLatest: latest } : {}) };
}
