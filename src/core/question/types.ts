import type { Stance } from "./attribute.js";
import type { AskedAddress } from "./scoring.js";
import type { DocumentField } from "../knowledge/document-fields.js";
import type { PlaceMention } from "../knowledge/places.js";
import type { Script } from "../types.js";
import type { SpelledOutAsk } from "./spelled-out.js";

/** What the question asks for: the answer leads with a sentence that carries it. */
export type AskedAttribute = "how-many" | "money" | "when" | "where" | "who" | "how" | "whether" | "list" | "what";

/** Where a search term came from. */
export type TermSource = "question" | "history" | "english" | "lexicon" | "profile" | "standard" | "homophone" | "spelled-out" | "short-form";

export interface WeightedTerm {
  term: string;
  /** Relative weight in search: 1 for the question's own words, less for inherited and expanded ones. */
  weight: number;
  source: TermSource;
  /** The question word an expansion came from (欺负 for 欺凌). */
  from?: string;
  /** An English word's second-best translation: searched, but not a term of its own in coverage. */
  alternative?: boolean;
}

export type ScopeDecision = "in-domain" | "off-domain" | "injection" | "other-place";

export interface FollowUp {
  /** Index of the history turn inherited from. */
  turn: number;
  question: string;
  /** Terms taken over from that turn. */
  inherited: string[];
  /** attribute-only / year-only / anaphor / english-anaphor / elliptical / context */
  reason: string;
  /** The assistant's reply to that turn, when the history holds it (what the user has been told already). */
  answered?: string;
}

/**
 * A question analysed once, before anything else runs; retrieval, rerank, guard and composer read
 * it and never re-fold or re-tokenize the question. Extends the search layer's query shape.
 */
export interface AlsoAsked {
  attribute: AskedAttribute;
  units: string[];
  /** The clause that asks it (folded): its words say which sentence answers it. */
  clause: string;
  /** For a list (要带哪些证件材料): the head noun of what is listed (材料), which an answering sentence names. */
  head?: string;
  /**
   * A time asked of the most recent of several (最近一次修改是哪天): the words asking it (最近一次), which
   * say nothing of what is asked; the sentence with the latest date answers it.
   */
  latest?: string;
}

export interface AnalyzedQuestion {
  text: string;
  script: Script;
  language: "zh" | "en";
  folded: string;
  /** The question's own search tokens (for English: the Chinese terms its words map to, and its figures). */
  tokens: string[];
  /** Content terms (own and inherited) with their weights and sources. */
  terms: WeightedTerm[];
  /** Expansions from the lexicon and the profile, with the word each came from. */
  expansions: WeightedTerm[];
  /** Every search term → weight (own 1, inherited and expansions less): what the keyword index is asked. */
  weighted: Map<string, number>;
  attribute: AskedAttribute;
  /** Units the answer's figure should carry (所, 人, 元, % …; empty = any). */
  units: string[];
  /** The verb a yes/no question uses, echoed in the reply (可以 / 有 / 是 / 能). */
  yesWord?: string;
  years: number[];
  places: PlaceMention[];
  /** Fields of a document's own header or signature the question asks for (文号, 发文机关, 成文日期, 施行). */
  documentFields: Array<DocumentField["field"]>;
  /**
   * What a question of several clauses asks besides `attribute` (咨询电话是多少？在哪里可以当面咨询？ asks
   * a number and a place): each clause's own attribute, when a sentence can be tested for it (a figure,
   * a time, a place) and it differs from the question's.
   */
  alsoAsked?: AlsoAsked[];
  /** Beside further clauses, the question's own clause asks a time of the most recent of several: the words asking it (attribute.ts asksLatest). */
  asksLatest?: string;
  /** With `alsoAsked`: the (folded) clause that asks `attribute` itself. */
  askedClause?: string;
  /** With `askedClause`: the units that clause asks for (几年 asks a duration, while 多少分 beside it asks points). */
  askedUnits?: string[];
  /**
   * The (folded) clauses of a question that asks several things (…是什么文号？咨询电话多少？), in order,
   * each with what it asks; keywords typed apart are clauses too (长宁 → what, 咨询电话 → how-many).
   */
  clauses?: Array<{ clause: string; attribute: AskedAttribute }>;
  /**
   * Words the index's vocabulary lacks that may be shortened names (保教费 for 保育教育费), and corpus
   * words no dictionary has (产证 of one notice, `known`: looked for only where the candidates do not
   * write them, as another notice's 产权证), with the spans around each: looked up in the retrieved
   * candidates' text by the retriever, which reranks with the written-out words beside them (source
   * "spelled-out") and hands the question so read to the stages after it. Only where the passages are in memory (an index queried per request, D1,
   * has no analysis-time vocabulary look-up).
   */
  shortened?: SpelledOutAsk[];
  /**
   * The content words of the clause asked first (明天上海会下雨吗 → 明天, 下雨), when no later clause asks a value, each
   * with whether the general dictionary knows it — what the answerer reads against the index to tell
   * a question about something else that mentions school words later (…要不要给孩子带伞去幼儿园).
   */
  firstClauseWords?: Array<{ term: string; general: boolean }>;
  /**
   * The most specific dictionary word of the clause that asks the question's value (保育费 of 每个月的保育费是多少钱):
   * when the documents state no such value and never use this word, what they say is about something else.
   */
  askedSubject?: string;
  /**
   * The years the question writes out as years (2023年, 2023 学年): a condition a sentence of another
   * year does not meet. Not 今年/去年 (the latest the documents say), none for a range (2020到2022年).
   */
  writtenYears?: number[];
  /**
   * The question asks what was planned (目标, 计划) or what came of it (实际, 最终): attribute.ts askedStance,
   * read from the question's own words (a follow-up's, not the turn it leans on).
   */
  stance?: Stance;
  /** The question asks a change, the value before and after (从多少涨到多少, 之前是多少…提到多少了): attribute.ts asksChange. */
  asksChange?: true;
  /** The question asks what comes besides something (除了…还有什么要求): scoring.ts ASKS_BESIDES. */
  asksBesides?: true;
  /**
   * The words of an institution's name the question gives that the general dictionary does not know
   * (华港 of 天河华港幼儿园, 英慈): the 'not stated' check takes its key term among them (answerer.ts ›
   * missingDetail): a figure whose sentence lacks it is not that institution's; a
   * dictionary word the sentence lacks (托管, 户口) the documents often say otherwise (课后服务, 户籍), and a
   * corpus word outside a name (办园) they also write apart (办幼儿园). None for an English question;
   * absent where no dictionary is loaded.
   */
  names?: string[];
  /** The institution the question names, as the ends of its name (漕泾幼儿园 of 金山漕泾幼儿园…), longest first. */
  institutions?: string[];
  followUp?: FollowUp;
  /**
   * The question words the question negates (积分没达标 → 达标, 没有房产证 → 房产证; not a hedge such as
   * 不知道, nor an asking 有无): a sentence that negates it too (积分未达到标准分值) states the question's
   * case, one that states it plainly (积分达标准分值) the opposite one (scoring.ts › polarity).
   */
  negated?: string[];
  /** A street and house number the question gives (武夷路200号): catchment lists are read for it (scoring.ts › addressMatch). */
  address?: AskedAddress;
  /**
   * A further clause about what an earlier clause's answer names (…要到哪里登记？那个园的电话是多少？):
   * the earlier clauses are answered first, then this clause about the place or thing that answer names.
   */
  chain?: ChainedClause;
  scope: { decision: ScopeDecision; reasons: string[]; domainScore: number };
}

export interface ChainedClause {
  /** The clauses before it, as a question of their own (folded). */
  antecedent: string;
  /** The referring clause (folded), and what it asks. */
  clause: string;
  attribute: AskedAttribute;
  units: string[];
  /** The noun after the demonstrative (那个园 → 园), which the thing named in the earlier answer ends with. */
  head: string;
}
