import { explainLines } from "../../core/question/explain.js";
import { createAnswerer } from "../answerer.js";
import { openIndex } from "../open-index.js";
import { configFromEnvironment, parseArgs, runCli } from "./common.js";

/**
 * `npm run ask -- "问题" [--json] [--explain]`: the answer and its sources; --json prints the answer
 * object; --explain prints the analysed question (terms, expansions and their sources, attribute,
 * years, places, follow-up, scope and its reasons) and why the answer was chosen or refused.
 */
runCli(async () => {
  const { flags, positional } = parseArgs(process.argv.slice(2));
  const question = positional.join(" ").trim();
  if (!question) {
    console.error('用法：npm run ask -- "问题" [--json] [--explain]');
    return 2;
  }
  const config = configFromEnvironment();
  const opened = await openIndex(config);
  const answerer = createAnswerer(opened, config, (event, fields) => console.error(`[${event}] ${JSON.stringify(fields)}`));
  const { answer, trace } = await answerer.answer(question);
  if (flags.has("json")) {
    console.log(JSON.stringify(answer, null, 2));
    return 0;
  }
  console.log(answer.answer);
  if (answer.citations.length) {
    console.log("\n引文：");
    for (const c of answer.citations) console.log(`[${c.n}] 《${c.title}》${c.year ? `（${c.year}）` : ""} ${c.section}\n    “${c.quote}”`);
  }
  if (flags.has("explain") && trace.analysis) {
    console.log("\n分析：");
    for (const line of explainLines(trace.analysis)) console.log(`  ${line}`);
    // A partial answer without a missing detail is one whose asked figure the source anonymised.
    const lacking = trace.partial ? `缺${trace.partial.detail}：${trace.partial.reason}` : "所问数字在原文中作了匿名处理";
    const outcome = !answer.grounded ? `拒答（${trace.refusal ?? "无相关段落"}）` : answer.partial ? `部分作答${trace.refusal ? `，记为未答（${trace.refusal}）` : ""}（${lacking}）` : `作答（${answer.mode}）`;
    console.log(`  结果：${outcome}，覆盖度 ${trace.confidence.toFixed(2)}`);
  }
  if (flags.has("trace")) console.error(JSON.stringify(trace));
  return 0;
});
