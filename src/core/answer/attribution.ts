import type { DocumentMeta } from "../types.js";
import type { Stance } from "../question/attribute.js";
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

/** What a document's kind states: a work plan or a list of targets what was planned, a work report what came of it. */
export function stanceOf(doc: DocumentMeta): Stance | undefined {
  switch (doc.kind) {
    case "工作要点":
    case "业务目标":
      return "plan";
    case "工作总结":
      return "outcome";
    default:
      return undefined;
  }
}

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
