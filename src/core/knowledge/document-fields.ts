/**
 * The fields of an official document's own header and signature (版头 and 版记), as citizens ask for
 * them and as documents label them. Data from the national standard for official documents, not
 * from any question: GB/T 9704—2012《党政机关公文格式》 defines 发文字号 (7.2.4), 发文机关署名 and
 * 成文日期 (7.3.5); a regulation states its own 施行 date (《中华人民共和国立法法》第六十一条).
 */
export interface DocumentField {
  field: "docNumber" | "issuer" | "date" | "effective" | "amended";
  /** How a question asks for it (folded Chinese, or lower-case English). */
  asked: string[];
  /** The same question in the grammar of its words (a question word before the verb of issuing). */
  askedPattern?: RegExp;
  /**
   * Asked only of a document the question names as such (…通知什么时候发布的, not 高考成绩什么时候公布):
   * the words are those of any event otherwise.
   */
  ofDocument?: true;
  /**
   * Further wording that asks the field only of a rule the question names (…办法从哪天开始实行的, RULE_NOUN),
   * when the field's other words ask it of anything (施行, 生效): 课后服务什么时候开始实行 asks when a service starts.
   */
  askedOfRule?: RegExp;
  /** How a document-info passage or a document labels it. */
  labels: string[];
  note: string;
}

export const DOCUMENT_FIELDS: readonly DocumentField[] = [
  {
    field: "docNumber",
    asked: ["文号", "字号", "发文编号", "文件编号", "发文字号", "document number"],
    labels: ["发文字号", "发文编号", "文号"],
    note: "GB/T 9704—2012 7.2.4 发文字号：发文机关代字、年份、发文顺序号",
  },
  {
    field: "issuer",
    asked: ["谁发布", "谁印发", "谁发的", "哪个部门发", "哪个单位发", "发文机关", "发证机关", "印发单位", "发布单位", "who issued", "which body", "which department issued"],
    askedPattern: /(?:谁|哪个(?:部门|单位|机关)|哪家单位)[^。？?，,]{0,3}(?:发布|印发|下发|发的|出台|制定|公布)/,
    labels: ["落款", "发文机关", "发证机关"],
    note: "GB/T 9704—2012 7.3.5 发文机关署名",
  },
  {
    field: "date",
    asked: ["印发日期", "发布日期", "成文日期", "哪天印发", "哪天发布", "什么时候印发", "什么时候发布", "何时印发", "何时发布", "哪天发的", "date of issue", "when was it issued", "when was the notice issued"],
    // The same in English: when was (the plan) issued / released / published, its release date.
    askedPattern: /(?:哪一?天|什么时候|啥时候|何时|几月几[号日]|什么日期|哪一?年哪一?天)[^。？?，,]{0,3}(?:印发|发布|下发|发的|出台|公布|出的)|(?:印发|发布|下发|出台|公布)(?:的)?(?:日期|时间)|\b(?:when|what date|which date|which day)\b[^.?!]{0,80}?\b(?:was|were)\b[^.?!]{0,60}?\b(?:issued|released|published)\b|\b(?:issue|release|publication) date\b/,
    ofDocument: true,
    labels: ["成文日期", "落款", "政策发布日期", "印发日期"],
    note: "GB/T 9704—2012 7.3.5.1 成文日期; 7.4.2 印发日期",
  },
  {
    field: "effective",
    asked: ["施行", "生效", "有效期", "开始实施", "take effect", "took effect", "in force", "effective"],
    askedOfRule: /(?:哪一?天|什么时候|啥时候|何时|几时|几月几[号日]|什么日期)[^。？?，,]{0,2}(?:开始|起)(?:实行|执行)|(?:实行|执行)(?:的)?(?:日期|时间)/,
    labels: ["起施行", "有效期"],
    note: "《中华人民共和国立法法》第六十一条：法律应当明确规定施行日期. 实行 and 执行 are read as 施行 when asked of a rule the question names (RULE_NOUN): CC-CEDICT glosses 施行 and 实行 alike 'to put into practice', 实行 and 执行 alike 'to implement; to carry out'",
  },
  {
    field: "amended",
    asked: ["修正", "修订", "修改", "amended", "revised", "amendment"],
    labels: ["修正", "修订", "通过"],
    note: "地方性法规的通过、修正、修订记载于其题注",
  },
];

/**
 * A document number as GB/T 9704—2012 7.2.4 writes it (发文机关代字、〔年份〕、序号号: 穗天教规字〔2024〕1号,
 * 长教〔2019〕15号), anywhere in a text: a sentence that cites one answers 文号是多少 when no header line does.
 */
export const DOCUMENT_NUMBER = /[\u3400-\u9fff]{1,12}[〔[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,4}\s*号/;

/**
 * The names of rules that state their own 施行 date (《中华人民共和国立法法》第六十一条: laws, regulations and rules —
 * 条例、办法、细则), or a title in 《》: the words 实行 and 执行 ask that date only of one of these (a 规定, 政策 or
 * 通知 may be a school's timetable or a measure, 学校规定的新作息时间从哪天开始执行).
 */
const RULE_NOUN = /条例|办法|细则|法规|《|regulation|measures/;

/**
 * The names of documents: the kinds of official documents (《党政机关公文处理工作条例》第八条: 决议、决定、
 * 命令、公报、公告、通告、意见、通知、通报、报告、请示、批复、议案、函、纪要), the forms of rules (条例、规定、
 * 办法、细则) and of plans (方案、要点、规划、指引、简章、总结), and the general words for them.
 */
const DOCUMENT_NOUN = /决议|决定|命令|公报|公告|通告|意见|通知|通报|报告|请示|批复|议案|纪要|条例|规定|办法|细则|方案|要点|规划|指引|简章|总结|文件|政策|《|notice|document|policy|regulation|measures|plan/;

/**
 * The document fields a folded question (or one clause of it) asks for. `question`: the whole question,
 * where a clause is read (…入园通知，文号是多少？是哪天印发的？ names its document in another clause).
 */
export function askedDocumentFields(folded: string, question: string = folded): DocumentField[] {
  const text = folded.toLowerCase();
  const ownNoun = DOCUMENT_NOUN.test(text);
  const namesDocument = ownNoun || DOCUMENT_NOUN.test(question.toLowerCase());
  return DOCUMENT_FIELDS.filter((f) => {
    const asked = f.asked.find((a) => text.includes(a)) ?? f.askedPattern?.exec(text)?.[0];
    if (asked === undefined) {
      const further = f.askedOfRule?.exec(text)?.[0];
      return further !== undefined && RULE_NOUN.test(question.toLowerCase()) && leansNoFurther(further);
    }
    if (f.ofDocument && !namesDocument) return false;
    return !f.ofDocument || leansNoFurther(asked);
  });
  /**
   * A clause that leans on a document named elsewhere asks the field only if it asks nothing else:
   * 是哪天印发的 does, 派位结果什么时候公布 asks when results are published.
   */
  function leansNoFurther(asked: string): boolean {
    return ownNoun || !/[\u4e00-\u9fff]{2}/.test(text.replace(asked, "").replace(LEANING_WORDS, ""));
  }
}

/** What a clause that leans on an earlier one says beside its field: particles, a copula, a pronoun, 请问/具体. */
const LEANING_WORDS = /请问|具体|到底|究竟|[是的了吗呢啊呀么那这它其该份个]/g;
