import { foldForMatching } from "../fold.js";

/**
 * Lines that belong to a web page's furniture rather than the document: captcha prompts, print and
 * share links, font-size switches, navigation. Matched on the folded line, so both scripts are caught.
 */
const CHROME_PATTERNS: RegExp[] = [
  /^请?输入验证码/,
  /^验证码[:：]?/,
  /^(打印本页|打印|关闭窗口|关闭|返回顶部|收藏本页|加入收藏)$/,
  /^分享到/,
  /^【?字[体号][:：]?\s*[【[]?大/,
  /^(上一篇|下一篇)[:：]/,
  /^扫一扫/,
  /^当前位置[:：]/,
  /^(网站地图|联系我们|网站声明|隐私声明)(\s*[|｜]\s*\S+)*$/,
  /^(版权所有|主办单位|承办单位|技术支持)[:：]/,
  /icp备\d+号/,
  /^浏览次数[:：]/,
];

/** True when a whole line is page chrome. Long lines are never chrome: they carry content. */
export function isPageChromeLine(line: string): boolean {
  const folded = foldForMatching(line.trim());
  if (!folded || folded.length > 60) return false;
  return CHROME_PATTERNS.some((pattern) => pattern.test(folded));
}

export function removePageChrome(lines: string[]): { lines: string[]; removed: string[] } {
  const removed: string[] = [];
  const kept = lines.filter((line) => {
    if (isPageChromeLine(line)) {
      removed.push(line.trim());
      return false;
    }
    return true;
  });
  return { lines: kept, removed };
}
