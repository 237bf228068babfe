import type { DocumentMeta } from "../types.js";
import type { Stance } from "../question/attribute.js";
import { foldForMatching } from "../text/fold.js";
import { sectionOf } from "../search/search-index.js";
import type { Passage } from "../types.js";

/** How an answer names its source document in running text: 据2024年工作总结 / 据2021年度业务目标. */
export function attributionPhrase(doc: DocumentMeta): string {
  const year = doc.year;
  switch (doc.kind) {
    case "工作总结":
      return year ? `据${year}年工作总结` : "据工作总结";
    case "业务目标":
      return year ? `按${year}年度业务目标` : "按业务目标";
    case "工作要点":
      return year ? `按${year}年工作要点` : "按工作要点";
    case "讲话":
      return "据教育局负责人发言";
    default:
      return year ? `据${year}年《${doc.title}》` : `据《${doc.title}》`;
  }
}

/**
 * What a document's kind states: a work plan, its key points or a list of targets (工作要点, 业务目标, 工作计划)
 * what was planned; a work report (工作总结, 工作报告) what came of it. Read from the kind's words, in
 * either script, so a kind the document list gives (工作總結) states its side too.
 */
export function stanceOf(doc: DocumentMeta): Stance | undefined {
  const kind = doc.kind ?? "";
  if (!stanceOfKind.has(kind)) {
    const folded = foldForMatching(kind);
    stanceOfKind.set(kind, /要点|目标|计划/.test(folded) ? "plan" : /总结|报告/.test(folded) ? "outcome" : undefined);
  }
  return stanceOfKind.get(kind);
}
/** Each kind string read once: scoreUnit asks for every sentence of every retrieved passage. */
const stanceOfKind = new Map<string, Stance | undefined>();

const shorten = (heading: string, max: number) => (heading.length > max ? `${heading.slice(0, max)}…` : heading);
/** Longest heading quoted whole: the section's own (an annex's or a table's title, a Q&A's question); those above it are cut sooner. */
const OWN_HEADING_CHARS = 48;
const OUTER_HEADING_CHARS = 26;

/**
 * `《title》（2024年）一、突出扩优提质… › 1.加快推进新优质学校建设`. The passage's own heading names what it
 * is (附件5 金山区来沪人员随迁子女申请就读公办幼儿园积分表): it is cut later than the headings above it.
 */
export function sourceLabel(doc: DocumentMeta, passage: Passage): string {
  const yearPart = doc.year && !doc.title.includes(String(doc.year)) ? `（${doc.year}年）` : "";
  const headings = sectionOf(passage).split(" › ").filter(Boolean);
  const section = headings.map((h, i) => shorten(h, i === headings.length - 1 ? OWN_HEADING_CHARS : OUTER_HEADING_CHARS)).join(" › ");
  return `《${doc.title}》${yearPart}${section ? ` ${section}` : ""}`;
}
