import cliProgress from "cli-progress";
import { ingestCorpus, type IngestResult } from "../ingest/build-index.js";
import { createNodeRuntime } from "../runtime.js";
import { configFromEnvironment, parseArgs, runCli } from "./common.js";

/** `npm run ingest [-- --json]`: corpus/ → index/, with a progress bar and a report per document. */
runCli(async () => {
  const { flags } = parseArgs(process.argv.slice(2));
  const config = configFromEnvironment();
  const runtime = await createNodeRuntime(config);
  const bar = process.stderr.isTTY && !flags.has("json")
    ? new cliProgress.SingleBar({ format: "{phase} [{bar}] {value}/{total} {file}", stream: process.stderr }, cliProgress.Presets.shades_classic)
    : undefined;
  let phase = "";
  const result = await ingestCorpus({
    corpusDir: config.CORPUS_DIR,
    indexDir: config.INDEX_DIR,
    runtime,
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

function printReport(result: IngestResult): void {
  const lines: string[] = [];
  lines.push(`索引已生成：${result.buildDir}`);
  lines.push(`文件 ${result.documents.length} 个，段落 ${result.manifest.counts.passages} 个（新计算向量 ${result.embedded}，复用 ${result.reusedPassages}），用时 ${result.seconds.toFixed(1)} 秒`);
  lines.push("");
  for (const d of result.documents) {
    const r = d.report;
    lines.push(`✔ ${d.file} → ${d.title}${d.year ? `（${d.year}）` : ""}${d.reused ? " [未变化，复用]" : ""}`);
    lines.push(
      `    段落 ${r.passages}｜匿名占位 ${r.redactions}｜乱码 ${r.mojibake.length}｜拼音注音 ${r.pinyinGlosses}｜文档残留标记 ${r.docxResidue}｜网页杂项 ${r.pageChrome.length}`,
    );
    for (const m of r.mojibake) lines.push(`    乱码（第 ${m.line + 1} 行，已剔除）：${m.text}`);
    for (const w of r.warnings) lines.push(`    注意：${w}`);
  }
  for (const s of result.skipped) lines.push(`✘ ${s.file}：已跳过 [${s.code}] ${s.reason}`);
  console.log(lines.join("\n"));
}
