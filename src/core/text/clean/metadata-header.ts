import { foldForMatching } from "../fold.js";

/** Metadata found in a document's header lines (values in the source's own script). */
export interface HeaderMeta {
  sourceUrl?: string;
  issuer?: string;
  docNumber?: string;
  stages?: string[];
  publishedAt?: string;
  postedAt?: string;
  validity?: string;
}

export interface HeaderResult {
  meta: HeaderMeta;
  /** The lines that remain as document body. */
  lines: string[];
  /** `key：value` lines worth keeping searchable (document number, issuer, dates, stages). */
  infoLines: string[];
}

// Keys are matched on the folded line so 發文編號 and 发文编号 are the same key.
const KEYS: Array<{ key: RegExp; field: keyof HeaderMeta; label: string }> = [
  { key: /^来源$/, field: "sourceUrl", label: "来源" },
  { key: /^(发证机关|发文机关|发布机关|发布机构)$/, field: "issuer", label: "发文机关" },
  { key: /^(发文编号|发文字号|文号)$/, field: "docNumber", label: "发文编号" },
  { key: /^学段$/, field: "stages", label: "学段" },
  { key: /^(政策发布日期|发布日期|成文日期)$/, field: "publishedAt", label: "发布日期" },
];

const BULLET = /^\s*[-•·*]\s*/;
const KEY_VALUE = /^([^:：]{2,8})[:：]\s*(.+)$/;
const DATE_TIME = /^(\d{4}-\d{1,2}-\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/;
const VALIDITY = /有效期/;
// A short personal name line (the web editor), 2–4 Han characters.
const PERSON = /^[\u3400-\u9fff]{2,4}$/;

function toIsoDate(value: string): string | undefined {
  const match = /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(value);
  if (!match) return undefined;
  const [, y, m, d] = match;
  return `${y}-${m!.padStart(2, "0")}-${d!.padStart(2, "0")}`;
}

/**
 * Turns a block of bulleted header lines near the top of a document (a bureau web page's
 * 来源 / 发证机关 / 发文编号 / 学段 / 政策发布日期 block) into metadata, removing it from the body.
 * Only a block within the first lines is considered, so list items in the body are untouched.
 */
export function extractMetadataHeader(lines: string[], searchWithin = 6): HeaderResult {
  const meta: HeaderMeta = {};
  const infoLines: string[] = [];
  const start = lines.findIndex((line, i) => i < searchWithin && BULLET.test(line));
  if (start < 0) return { meta, lines, infoLines };

  let end = start;
  let recognised = 0;
  for (; end < lines.length; end++) {
    const raw = lines[end]!;
    if (!BULLET.test(raw)) break;
    const body = raw.replace(BULLET, "").trim();
    const folded = foldForMatching(body);
    const dateTime = DATE_TIME.exec(folded);
    const keyValue = KEY_VALUE.exec(body);
    if (dateTime) {
      meta.postedAt = toIsoDate(dateTime[1]!);
      recognised++;
    } else if (keyValue) {
      const key = foldForMatching(keyValue[1]!.trim());
      const value = keyValue[2]!.trim();
      const spec = KEYS.find((k) => k.key.test(key));
      if (spec) {
        recognised++;
        if (spec.field === "stages") meta.stages = value.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
        else if (spec.field === "publishedAt") meta.publishedAt = toIsoDate(value) ?? value;
        else meta[spec.field] = value;
        if (spec.field !== "sourceUrl") infoLines.push(`${keyValue[1]!.trim()}：${value}`);
      }
    } else if (VALIDITY.test(folded)) {
      meta.validity = body;
      recognised++;
    } else if (!PERSON.test(body)) {
      break;
    }
  }
  // A bulleted block with no recognised metadata is body text (a list), not a header.
  if (recognised < 2) return { meta: {}, lines, infoLines: [] };
  return { meta, lines: [...lines.slice(0, start), ...lines.slice(end)], infoLines };
}

const ISSUER_LINE = /^[\u3400-\u9fff]{2,20}(局|委|厅|委员会|政府|办公室|办公厅|中心)$/;

/** A lone organisation name on the first line (" 市教育局") is the issuer, not body text. */
export function extractIssuerLine(lines: string[]): { issuer?: string; lines: string[] } {
  const first = lines.findIndex((line) => line.trim() !== "");
  if (first < 0 || first > 2) return { lines };
  const candidate = lines[first]!.trim();
  if (!ISSUER_LINE.test(candidate)) return { lines };
  return { issuer: candidate, lines: lines.filter((_, i) => i !== first) };
}
