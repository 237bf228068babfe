import { foldForMatching } from "../text/fold.js";

/**
 * Requests for one person's private data or records — a named official's private phone or home
 * address, a pupil's own marks looked up — rather than for what a policy says. The assistant holds no
 * personal records and gives out none: they are refused with the ordinary referral. A closed class of
 * request forms (a third person's private contact; looking up one's own child's marks), matched on
 * folded text so both scripts are caught. An applicant's own address or phone in an enrolment
 * question (家庭住址变了，需要提供什么证明？), and asking when, where or how marks are published or count,
 * stay policy questions.
 */
const OFFICIAL = "(?:局长|校长|园长|老师|主任|书记|处长|科长|班主任)";
const PERSONAL: RegExp[] = [
  // A third person's private contact: 局长的私人手机号, 校长家住哪.
  new RegExp(`${OFFICIAL}[^。？?！!]{0,6}(?:私人|私家)的?(?:手机|手机号|电话|号码|微信|住址)|${OFFICIAL}[^。？?！!]{0,8}(?:家庭住址|家住哪|住在哪|住哪儿)`),
  /\b(principal|director|head ?teacher|teacher|official|minister)'?s?\b.{0,30}\b(private|personal|home)\s+(phone|mobile|number|address)\b|\b(private|personal)\s+(phone|mobile)(\s+number)?\s+of\s+(the\s+)?\w+/i,
];
/** Looking up one's own child's marks: 帮我查一下我家孩子…期末考试的成绩. */
const OWN_MARKS = /(帮我|给我|替我|帮忙|麻烦)(查|查询)(一下|一查|下)?[^。？?！!]{0,4}(我家孩子|我家|我孩子|我儿子|我女儿|我的)[^。？?！!]{0,14}(成绩|分数|排名)/;
const OWN_MARKS_EN = /\b(look up|find|send me|get me)\b.{0,30}\b(my|our)\s+(son|daughter|child|kid)'?s?\b.{0,30}\b(marks|grades|scores|results)\b/i;
/** When, where, how marks are published or count, or what they admit to: a policy question. */
const ABOUT_MARKS = /什么时候|何时|几号|怎么|怎样|如何|哪里|在哪|公布|计入|分数线|能上|\b(when|where|how|released|published|online)\b/i;

export function isPersonalRecordRequest(question: string): boolean {
  const folded = foldForMatching(question);
  if (PERSONAL.some((pattern) => pattern.test(folded))) return true;
  return (OWN_MARKS.test(folded) || OWN_MARKS_EN.test(folded)) && !ABOUT_MARKS.test(folded);
}
