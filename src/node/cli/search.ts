import { toSearchResult } from "../../core/search/search-result.js";
import { openIndex } from "../open-index.js";
import { configFromEnvironment, parseArgs, runCli } from "./common.js";

/** `npm run search -- "问题" [--k 5] [--year 2021] [--kind 工作总结] [--json]` */
runCli(async () => {
  const { flags, positional } = parseArgs(process.argv.slice(2));
  const question = positional.join(" ").trim();
  if (!question) {
    console.error('用法：npm run search -- "问题" [--k 5] [--year 2021] [--kind 工作总结] [--json]');
    return 2;
  }
  const { retriever } = await openIndex(configFromEnvironment());
  const k = Number(flags.get("k") ?? 5);
  const year = flags.has("year") ? Number(flags.get("year")) : undefined;
  const kind = typeof flags.get("kind") === "string" ? (flags.get("kind") as string) : undefined;
  const hits = await retriever.search(question, { k, ...(year !== undefined ? { year } : {}), ...(kind ? { kind } : {}) });
  const results = hits.map(toSearchResult);
  if (flags.has("json")) {
    console.log(JSON.stringify({ results }));
    return 0;
  }
  if (!results.length) console.log("没有找到相关段落。");
  results.forEach((r, i) => {
    console.log(`[${i + 1}] ${r.title}${r.year ? `（${r.year}）` : ""}  得分 ${r.score.toFixed(4)}  ${r.passageId}`);
    if (r.section) console.log(`    ${r.section}`);
    console.log(`    ${r.text.replace(/\n/g, "\n    ")}\n`);
  });
  return 0;
});
