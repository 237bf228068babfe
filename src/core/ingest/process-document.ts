import { cleanDocument, type CleanReport } from "../text/clean/clean-document.js";
import type { MojibakeModel } from "../text/clean/mojibake.js";
import { detectScript, foldForMatching } from "../text/fold.js";
import type { DocumentMeta, Passage } from "../types.js";
import { chunkBlocks, documentInfoPassage, type ChunkOptions, DEFAULT_CHUNK_OPTIONS } from "./chunk.js";
import { structureDocument } from "./structure.js";
import { compact, extractTextMetadata, parseChineseDate } from "./text-metadata.js";
import { splitPageTitle, tidyTitle, titleFromLines } from "./title.js";

/** Bump when cleaning, structure or chunking changes what passages a document yields. */
export const CHUNKER_VERSION = "chunk-7";

/** Metadata a person supplies in corpus/documents.json because the text does not carry it. */
export interface SidecarEntry {
  title?: string;
  issuer?: string;
  year?: number;
  publishedAt?: string;
  kind?: string;
  docNumber?: string;
  sourceUrl?: string;
  note?: string;
}

export interface DocumentReport extends CleanReport {
  passages: number;
  redactions: number;
  warnings: string[];
  /** What structure recognised: counts of tables, table rows, Q&A pairs, annexes, headings; metadata fields read from the text. */
  found?: {
    pages?: number;
    tables?: number;
    tableRows?: number;
    qaPairs?: number;
    annexes?: number;
    headings?: number;
    /** 第N条 units of a regulation. */
    articles?: number;
    metadata?: string[];
  };
  /** What the reader or the cleaner removed: running headers/footers, page numbers, front matter … (kind → count). */
  dropped?: Record<string, number>;
}

export interface ProcessedDocument {
  meta: DocumentMeta;
  passages: Passage[];
  report: DocumentReport;
}

export interface ProcessInput {
  file: string;
  text: string;
  contentHash: string;
  sidecar?: SidecarEntry;
  /** Title found by the reader (an HTML <title>), used when nothing better is known. */
  readerTitle?: string;
  mojibake: MojibakeModel;
  chunk?: ChunkOptions;
}

/** `2021-work-summary.txt` → `2021-work-summary`. */
export function documentIdFromFile(file: string): string {
  const stem = file.replace(/^.*[\\/]/, "").replace(/\.[^.]+$/, "");
  return (
    stem
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "") || "document"
  );
}

function deriveKind(title: string): string | undefined {
  const folded = foldForMatching(title);
  if (/工作要点/.test(folded)) return "工作要点";
  if (/总结|以来/.test(folded)) return "工作总结";
  if (/业务目标|目标/.test(folded)) return "业务目标";
  if (/发言|讲话|致辞/.test(folded)) return "讲话";
  if (/解读/.test(folded)) return "政策解读";
  if (/通知|意见|办法|方案/.test(folded)) return "通知";
  return undefined;
}

function firstYear(text: string | undefined): number | undefined {
  const match = text ? /((?:19|20)\d{2})年/.exec(text) ?? /((?:19|20)\d{2})/.exec(text) : null;
  return match ? Number(match[1]) : undefined;
}

/** Front-matter `author`/`source` is an issuer only when it names an organisation, not a person. */
function plausibleIssuer(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v || v.length < 3 || v.length > 40) return undefined;
  return /局|委|厅|部|办|府|院|校|中心|新闻|新聞|报|報|社|网|網|台|组|組|会|會/.test(v) ? v : undefined;
}

/** A front-matter date (`2021-02-23`, `2021-02-23T10:00:00+08:00`, `2021年2月23日`) as ISO. */
function frontMatterDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const iso = /^((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})/.exec(value.trim());
  if (iso) return `${iso[1]}-${iso[2]!.padStart(2, "0")}-${iso[3]!.padStart(2, "0")}`;
  const chinese = parseChineseDate(value);
  return chinese && chinese.length === 10 ? chinese : undefined;
}

/** One document through the pipeline: clean → metadata → structure → chunk, plus its metadata. */
export function processDocument(input: ProcessInput): ProcessedDocument {
  const id = documentIdFromFile(input.file);
  const cleaned = cleanDocument(input.text, { mojibake: input.mojibake });
  const body = cleaned.lines.join("\n");
  const script = detectScript(body);
  const front = cleaned.frontMatter ?? {};
  const fromText = extractTextMetadata(cleaned.lines);

  const structured = structureDocument(fromText.lines, "");
  const page = input.readerTitle ? splitPageTitle(input.readerTitle) : undefined;
  const titleFromText = front.title ? tidyTitle(front.title) : titleFromLines(structured.titleLines);
  const sidecar = input.sidecar ?? {};
  const title = sidecar.title ?? titleFromText ?? page?.title ?? id;
  const blocks = structured.blocks.map((block) => ({ ...block, headingPath: [title, ...block.headingPath.slice(1)] }));

  const frontDate = frontMatterDate(front.date);
  const textDate = fromText.meta.issuedAt?.length === 10 ? fromText.meta.issuedAt : undefined;
  const publishedAt = sidecar.publishedAt ?? cleaned.header.publishedAt ?? frontDate ?? textDate;
  const year = sidecar.year ?? firstYear(publishedAt) ?? fromText.meta.year ?? firstYear(title);
  const issuer =
    sidecar.issuer ??
    fromText.meta.issuer ??
    cleaned.header.issuer ??
    plausibleIssuer(front.author ?? front.source) ??
    (page?.site && /局|委|厅|府|办/.test(page.site) ? compact(page.site) : undefined);
  const docNumber = sidecar.docNumber ?? cleaned.header.docNumber ?? fromText.meta.docNumber;
  // A header that says there is no stated validity (無具體說明的有效期) says nothing.
  const effective = fromText.meta.effective ?? (cleaned.header.validity && !/^[无無]/.test(cleaned.header.validity) ? cleaned.header.validity : undefined);
  // A text chunked by 第N条 is a regulation, whatever its title ends with (办法, 条例, 规定).
  const kind = sidecar.kind ?? (structured.stats.articles ? "法规" : undefined) ?? deriveKind(title) ?? deriveKind(structured.titleLines.join(" "));
  const meta: DocumentMeta = {
    id,
    file: input.file,
    title,
    script,
    contentHash: input.contentHash,
    ...(issuer ? { issuer } : {}),
    ...(year !== undefined ? { year } : {}),
    ...(publishedAt ? { publishedAt } : {}),
    ...(docNumber ? { docNumber } : {}),
    ...(sidecar.sourceUrl ?? cleaned.header.sourceUrl ? { sourceUrl: sidecar.sourceUrl ?? cleaned.header.sourceUrl } : {}),
    ...(kind ? { kind } : {}),
    ...(cleaned.header.stages ? { stages: cleaned.header.stages } : {}),
    ...(effective ? { effective } : {}),
  };

  // Which metadata fields came from the document's own text (not documents.json).
  const metadataFound = [
    !sidecar.title && titleFromText ? "title" : "",
    !sidecar.docNumber && docNumber ? "docNumber" : "",
    !sidecar.issuer && issuer ? "issuer" : "",
    !sidecar.publishedAt && publishedAt ? "publishedAt" : "",
    sidecar.year === undefined && year !== undefined && (publishedAt || fromText.meta.year) ? "year" : "",
    effective ? "effective" : "",
    fromText.meta.printed ? "printed" : "",
    fromText.meta.history.length ? "history" : "",
  ].filter(Boolean);

  const passages = chunkBlocks(id, blocks, input.chunk ?? DEFAULT_CHUNK_OPTIONS);
  const infoLines = [...cleaned.infoLines, ...fromText.infoLines];
  // The 版头 (a lone issuer line or a 红头) heads the passage as written, so no line of the source goes unindexed.
  const headLines = [...cleaned.mastheadLines, ...fromText.mastheadLines, ...structured.titleLines];
  const titleLines = headLines.filter((line, i, all) => all.findIndex((other) => compact(other) === compact(line)) === i);
  const info = documentInfoPassage(id, passages.length, title, titleLines, infoLines);
  if (info) passages.push(info);

  const warnings: string[] = [];
  if (!passages.length) warnings.push("没有切分出任何段落");
  if (!input.sidecar) warnings.push("documents.json 中没有该文件的元数据，标题和年份取自正文");
  if (year === undefined) warnings.push("无法确定文件年份");
  if (cleaned.report.mojibake.length) warnings.push(`发现 ${cleaned.report.mojibake.length} 处乱码，已从正文中剔除`);

  const stats = structured.stats;
  const dropped = cleaned.dropped;
  return {
    meta,
    passages,
    report: {
      ...cleaned.report,
      passages: passages.length,
      redactions: passages.reduce((n, p) => n + p.redactions.length, 0),
      warnings,
      found: {
        tables: stats.tables,
        tableRows: stats.tableRows,
        qaPairs: stats.qaPairs,
        annexes: stats.annexes,
        headings: stats.headings,
        ...(stats.articles ? { articles: stats.articles } : {}),
        metadata: metadataFound,
      },
      ...(Object.keys(dropped).length ? { dropped } : {}),
    },
  };
}
