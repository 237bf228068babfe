import { cleanDocument, type CleanReport } from "../text/clean/clean-document.js";
import type { MojibakeModel } from "../text/clean/mojibake.js";
import { detectScript, foldForMatching } from "../text/fold.js";
import type { DocumentMeta, Passage } from "../types.js";
import { chunkBlocks, documentInfoPassage, type ChunkOptions, DEFAULT_CHUNK_OPTIONS } from "./chunk.js";
import { structureDocument } from "./structure.js";

/** Bump when cleaning, structure or chunking changes what passages a document yields. */
export const CHUNKER_VERSION = "chunk-3";

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
  found?: { pages?: number; tables?: number; tableRows?: number; qaPairs?: number; annexes?: number; headings?: number; metadata?: string[] };
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

/** One document through the pipeline: clean → structure → chunk, plus its metadata. */
export function processDocument(input: ProcessInput): ProcessedDocument {
  const id = documentIdFromFile(input.file);
  const cleaned = cleanDocument(input.text, { mojibake: input.mojibake });
  const body = cleaned.lines.join("\n");
  const script = detectScript(body);

  const provisional = structureDocument(cleaned.lines, "");
  const titleFromText = provisional.titleLines[provisional.titleLines.length - 1];
  const sidecar = input.sidecar ?? {};
  const title = sidecar.title ?? titleFromText ?? input.readerTitle ?? id;
  const structured = structureDocument(cleaned.lines, title);

  const publishedAt = sidecar.publishedAt ?? cleaned.header.publishedAt;
  const year = sidecar.year ?? firstYear(publishedAt) ?? firstYear(title);
  const kind = sidecar.kind ?? deriveKind(title) ?? deriveKind(structured.titleLines.join(" "));
  const meta: DocumentMeta = {
    id,
    file: input.file,
    title,
    script,
    contentHash: input.contentHash,
    ...(sidecar.issuer ?? cleaned.header.issuer ? { issuer: sidecar.issuer ?? cleaned.header.issuer } : {}),
    ...(year !== undefined ? { year } : {}),
    ...(publishedAt ? { publishedAt } : {}),
    ...(sidecar.docNumber ?? cleaned.header.docNumber ? { docNumber: sidecar.docNumber ?? cleaned.header.docNumber } : {}),
    ...(sidecar.sourceUrl ?? cleaned.header.sourceUrl ? { sourceUrl: sidecar.sourceUrl ?? cleaned.header.sourceUrl } : {}),
    ...(kind ? { kind } : {}),
    ...(cleaned.header.stages ? { stages: cleaned.header.stages } : {}),
  };

  const passages = chunkBlocks(id, structured.blocks, input.chunk ?? DEFAULT_CHUNK_OPTIONS);
  const info = documentInfoPassage(id, passages.length, title, structured.titleLines, cleaned.infoLines);
  if (info) passages.push(info);

  const warnings: string[] = [];
  if (!passages.length) warnings.push("没有切分出任何段落");
  if (!input.sidecar) warnings.push("documents.json 中没有该文件的元数据，标题和年份取自正文");
  if (year === undefined) warnings.push("无法确定文件年份");
  if (cleaned.report.mojibake.length) warnings.push(`发现 ${cleaned.report.mojibake.length} 处乱码，已从正文中剔除`);

  return {
    meta,
    passages,
    report: {
      ...cleaned.report,
      passages: passages.length,
      redactions: passages.reduce((n, p) => n + p.redactions.length, 0),
      warnings,
    },
  };
}
