import { foldForMatching } from "../text/fold.js";

/**
 * Requests for one person's private data or records — a named official's private phone or home
 * address, a pupil's own marks — rather than for what a policy says. The assistant holds no personal
 * records and gives out none: they are refused with the ordinary referral. A closed class of request
 * forms (a verb of looking up or sending, a person's own record or private contact), matched on folded
 * text so both scripts are caught; asking where or when marks are published stays a policy question.
 */
const PERSONAL: RegExp[] = [
  // Someone's private contact: 局长的私人手机号, 校长家庭住址发我.
  /(私人|个人|私家|家里|家庭)的?(手机|电话|手机号|微信|住址|地址)[^。？?！!]{0,8}(发|给|告诉|提供|查)|(发|给|告诉|提供|查)[^。？?！!]{0,12}(私人|个人|私家)的?(手机|电话|手机号|微信|住址)/,
  // Looking up one pupil's own marks or results: 帮我查一下我家孩子…期末考试的成绩.
  /(帮我|给我|替我|帮忙|麻烦)(查|查询|调|看|找)(一下|一查|下)?[^。？?！!]{0,16}(我家|我的|我儿子|我女儿|我孩子|我家孩子|孩子|学生)[^。？?！!]{0,12}(成绩|分数|排名|考试结果|录取结果)/,
  /\b(look up|check|find|tell me|send me)\b.{0,40}\b(my|our)\s+(son|daughter|child|kid)'?s?\b.{0,30}\b(marks|grades|scores|results)\b/i,
  /\b(private|personal|home)\s+(phone|mobile|number|address)\b.{0,30}\bof\b|\b(send|give|tell)\s+me\b.{0,40}\b(private|personal|home)\s+(phone|mobile|number|address)\b/i,
];

export function isPersonalRecordRequest(question: string): boolean {
  const folded = foldForMatching(question);
  return PERSONAL.some((pattern) => pattern.test(folded));
}
