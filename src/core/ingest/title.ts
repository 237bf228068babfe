/**
 * The title of a document from its own text: a front-matter `title`, a Markdown `# 标题`, or the short
 * lines at the top. Multi-line titles (a PDF wraps `…关于做好 2019 年` / `学前教育…的通知`) are joined; of
 * `关于印发《X》的通知` followed by `X`, the enclosed document X is the title. A page title from the
 * reader loses its site suffix (`…热点13问-广州市人力资源和社会保障局网站`).
 */

// Words a complete title ends with; a top line that does not end with one continues on the next line.
const TITLE_END = /(?:通知|意见|办法|方案|规定|细则|决定|公告|通告|指引|要点|要點|总结|總結|报告|報告|规划|規劃|计划|計劃|条例|條例|简章|簡章|口径|口徑|问答|問答|指南|函|批复|目标|目標|发言|發言|讲话|講話|[0-9]+问|[0-9]+問|表)$/;
const MAX_JOINED = 90;

/** `2019 年松江区` → `2019年松江区`: PDF exports space out characters, titles read better without. */
export function tidyTitle(title: string): string {
  return title
    .replace(/(?<=[\u3400-\u9fff\d《》〈〉（）])[ \u3000]+(?=[\u3400-\u9fff\d《》〈〉（）])/g, "")
    .trim();
}

const compactKey = (line: string) => line.replace(/[\s\u3000]+/g, "");

/** Chooses the title among the top lines of a document (front matter and sidecar are decided elsewhere). */
export function titleFromLines(titleLines: string[]): string | undefined {
  const seen = new Set<string>();
  const lines = titleLines.map(tidyTitle).filter((line) => {
    const key = compactKey(line);
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (!lines.length) return undefined;
  for (const line of lines) {
    const enclosed = /印[发發]《(.+?)》/.exec(line)?.[1];
    const named = enclosed && lines.find((other) => other !== line && compactKey(other) === compactKey(enclosed));
    if (named) return named;
  }
  const groups: string[] = [];
  for (const line of lines) {
    const last = groups[groups.length - 1];
    if (last !== undefined && !TITLE_END.test(last) && last.length + line.length <= MAX_JOINED) groups[groups.length - 1] = tidyTitle(last + line);
    else groups.push(line);
  }
  return groups.find((g) => TITLE_END.test(g)) ?? groups[groups.length - 1];
}

/** A reader's page title without the site name it ends with; the site name is returned apart. */
export function splitPageTitle(pageTitle: string): { title: string; site?: string } {
  const parts = pageTitle.split(/\s*[-_｜|—–]\s*/).filter(Boolean);
  if (parts.length >= 2 && /网站|網站|门户|門戶|网$|網$|官网|官網/.test(parts[parts.length - 1]!)) {
    return { title: parts.slice(0, -1).join("-"), site: parts[parts.length - 1]!.replace(/(?:门户)?(?:网站|網站|官网|官網|网|網)$/, "") };
  }
  return { title: pageTitle.trim() };
}
