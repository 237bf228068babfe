import { readFileSync } from "node:fs";
import { join } from "node:path";
import cliProgress from "cli-progress";
import type { DocumentReport } from "../../core/ingest/process-document.js";
import { ingestCorpus, listCorpusFiles, type IngestResult } from "../ingest/build-index.js";
import { createDocumentReader, readInThread, type DocumentReader } from "../readers/document-reader.js";
import { formatOf } from "../readers/read-document.js";
import { createNodeRuntime } from "../runtime.js";
import { configFromEnvironment, parseArgs, runCli } from "./common.js";

/** Bytes of documents read ahead while the segmenter loads, at most: a bureau's folder of PDFs is not held in memory. */
const PREFETCH_BYTES = 64 * 1024 * 1024;

/** `npm run ingest [-- --json]`: corpus/ → index/, with a progress bar and a report per document. */
runCli(async () => {
  const { flags } = parseArgs(process.argv.slice(2));
  const config = configFromEnvironment();
  // The reader threads load the readers of the corpus's formats (pdf.js, mammoth …) and read its
  // first documents while this thread loads the segmenter.
  const files = corpusFiles(config.CORPUS_DIR);
  const reader = createDocumentReader({ preload: files.flatMap((file) => formatOf(file) ?? []) });
  prefetchDocuments(reader, config.CORPUS_DIR, files);
  let runtime: Awaited<ReturnType<typeof createNodeRuntime>>;
  try {
    runtime = await createNodeRuntime(config);
  } catch (error) {
    // The ingest, which closes the reader, never started: its threads must not keep the process up.
    reader.close();
    throw error;
  }
  const bar = process.stderr.isTTY && !flags.has("json")
    ? new cliProgress.SingleBar({ format: "{phase} [{bar}] {value}/{total} {file}", stream: process.stderr }, cliProgress.Presets.shades_classic)
    : undefined;
  let phase = "";
  const result = await ingestCorpus({
    corpusDir: config.CORPUS_DIR,
    indexDir: config.INDEX_DIR,
    runtime,
    reader,
    onProgress: (e) => {
      if (!bar) return;
      const label = e.phase === "read" ? "读取" : "向量";
      if (label !== phase) {
        if (phase) bar.stop();
        phase = label;
        bar.start(e.total, e.done, { phase: label, file: "" });
      }
      bar.update(e.done, { phase: label, file: e.file ?? "" });
    },
  });
  bar?.stop();
  if (flags.has("json")) console.log(JSON.stringify(result, null, 2));
  else printReport(result);
  return 0;
});

/** The corpus's files in ingest order (none when the folder is missing: the ingest reports that). */
function corpusFiles(corpusDir: string): string[] {
  try {
    return listCorpusFiles(corpusDir);
  } catch {
    return [];
  }
}

/** Starts reading the corpus's PDFs, Word files, pages and spreadsheets, in ingest order, up to PREFETCH_BYTES. */
function prefetchDocuments(reader: DocumentReader, corpusDir: string, files: readonly string[]): void {
  let budget = PREFETCH_BYTES;
  try {
    for (const file of files) {
      if (!readInThread(file)) continue;
      const bytes = readFileSync(join(corpusDir, file));
      if (bytes.length > budget) break;
      budget -= bytes.length;
      reader.prefetch(file, new Uint8Array(bytes));
    }
  } catch {
    // A file that cannot be read now is reported by the ingest itself.
  }
}

/** Chinese names of the metadata fields and dropped kinds the structure stage and the readers report. */
const LABELS: Record<string, string> = {
  title: "标题",
  docNumber: "文号",
  issuer: "发文机关",
  publishedAt: "发布日期",
  year: "年份",
  effective: "施行日期",
  history: "修订记录",
  sourceUrl: "来源网址",
  stages: "学段",
  printed: "印发日期",
  frontMatter: "文件头元数据",
  shortcodes: "短代码",
  htmlTags: "HTML 标签",
  htmlComments: "HTML 注释",
  images: "图片",
  linkLines: "链接行",
  rules: "分隔线",
  footerLines: "页脚行",
};
const label = (key: string) => LABELS[key] ?? key;

/** "页数 19｜表格 4（表格行 120）｜问答 10｜附件 3｜小标题 35｜元数据 标题、文号" — what structure and the reader recognised. */
function foundSummary(report: DocumentReport): string {
  const f = report.found;
  if (!f) return "";
  const parts: string[] = [];
  if (f.pages !== undefined) parts.push(`页数 ${f.pages}`);
  if (f.tables !== undefined) parts.push(`表格 ${f.tables}${f.tableRows !== undefined ? `（表格行 ${f.tableRows}）` : ""}`);
  if (f.qaPairs !== undefined) parts.push(`问答 ${f.qaPairs}`);
  if (f.annexes !== undefined) parts.push(`附件 ${f.annexes}`);
  if (f.headings !== undefined) parts.push(`小标题 ${f.headings}`);
  parts.push(`元数据 ${f.metadata?.length ? f.metadata.map(label).join("、") : "无"}`);
  return parts.join("｜");
}

function printReport(result: IngestResult): void {
  const lines: string[] = [];
  lines.push(`索引已生成：${result.buildDir}`);
  lines.push(`文件 ${result.documents.length} 个，段落 ${result.manifest.counts.passages} 个（新计算向量 ${result.embedded}，复用 ${result.reusedPassages}），${result.characters.toLocaleString("en-US")} 字，用时 ${result.seconds.toFixed(1)} 秒（${Math.round(result.characters / result.seconds / 1000).toLocaleString("en-US")} 千字/秒）`);
  lines.push("");
  for (const d of result.documents) {
    const r = d.report;
    lines.push(`✔ ${d.file} → ${d.title}${d.year ? `（${d.year}）` : ""}${d.reused ? " [未变化，复用]" : ""}`);
    lines.push(
      `    段落 ${r.passages}｜匿名占位 ${r.redactions}｜乱码 ${r.mojibake.length}｜拼音注音 ${r.pinyinGlosses}｜文档残留标记 ${r.docxResidue}｜网页杂项 ${r.pageChrome.length}`,
    );
    const found = foundSummary(r);
    if (found) lines.push(`    识别：${found}`);
    const dropped = Object.entries(r.dropped ?? {}).filter(([, n]) => n > 0);
    if (dropped.length) lines.push(`    剔除：${dropped.map(([kind, n]) => `${label(kind)} ${n}`).join("｜")}`);
    for (const m of r.mojibake) lines.push(`    乱码（第 ${m.line + 1} 行，已剔除）：${m.text}`);
    for (const w of r.warnings) lines.push(`    注意：${w}`);
  }
  for (const s of result.skipped) lines.push(`✘ ${s.file}：已跳过 [${s.code}] ${s.reason}`);
  console.log(lines.join("\n"));
}
