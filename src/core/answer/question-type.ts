import { foldForMatching } from "../text/fold.js";

export type QuestionType = "quantity" | "list" | "yes-no" | "how" | "what";

export interface QuestionShape {
  type: QuestionType;
  /** Units the answer's figure should carry: 所, 个, 人, 元, % … (empty = any). */
  units: string[];
  /** The verb a yes/no question uses, echoed in the reply (可以 / 有 / 是 / 能). */
  yesWord?: string;
}

const UNIT_HINTS: Array<[RegExp, string[]]> = [
  [/多少钱|多少元|多少资金|多少经费|金额|钱/, ["元", "万元", "亿元"]],
  [/比例|占比|百分之|覆盖率|参与率|[^\s]率(?:是|达到|要|有)?多少|率$/, ["%"]],
  [/多少所|几所|多少家|几家|多少个学校|多少学校/, ["所", "家"]],
  [/多少人|多少名|几名|几位|几个人|多少位|多少学生|多少教师/, ["人", "名", "万人", "人次"]],
  [/多少场|几场/, ["场"]],
  [/多少个|几个/, ["个"]],
  [/多少项|几项/, ["项"]],
  [/多少次|几次/, ["次", "人次"]],
];

/** Whether a figure (its text) carries a unit the question asks for; any figure does when it names none. */
export function hasAskedUnit(figure: string, shape: QuestionShape): boolean {
  return !shape.units.length || shape.units.some((unit) => figure.endsWith(unit) || (unit === "%" && /[%％]$/.test(figure)));
}

/** What kind of reply a question wants, from its question words. */
export function questionShape(question: string): QuestionShape {
  const q = foldForMatching(question);
  const units = UNIT_HINTS.filter(([re]) => re.test(q)).flatMap(([, u]) => u);
  if (/多少|几[个所名位场项次家年]|几$|比例|占比|金额|数量|编号|电话|号码|分数线/.test(q)) return { type: "quantity", units };
  if (/哪些|哪几|有什么|包括什么|都有|是什么措施|哪方面/.test(q)) return { type: "list", units };
  if (/怎么|如何|怎样|什么流程|哪里办|在哪|途径|办法/.test(q)) {
    const yes = /(可以|能|能否|能不能)/.exec(q);
    if (yes && /吗[?？]?$/.test(q)) return { type: "yes-no", units, yesWord: yes[1] === "能否" || yes[1] === "能不能" ? "能" : yes[1]! };
    return { type: "how", units };
  }
  const yes = /(可以|能够|能|有没有|有|是否|是不是|是)/.exec(q);
  if (yes && (/吗[?？]?$|呢[?？]?$/.test(q) || /有没有|是否|是不是|能否|能不能|可不可以/.test(q))) {
    const word = yes[1]!;
    const yesWord = word === "有没有" || word === "有" ? "有" : word === "是否" || word === "是不是" || word === "是" ? "是" : word === "能够" || word === "能" ? "能" : "可以";
    return { type: "yes-no", units, yesWord };
  }
  return { type: "what", units };
}
