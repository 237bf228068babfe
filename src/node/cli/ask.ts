import { createAnswerer } from "../answerer.js";
import { openIndex } from "../open-index.js";
import { configFromEnvironment, parseArgs, runCli } from "./common.js";

/** `npm run ask -- "问题" [--json]`: the answer and its sources; --json prints the answer object. */
runCli(async () => {
  const { flags, positional } = parseArgs(process.argv.slice(2));
  const question = positional.join(" ").trim();
  if (!question) {
    console.error('用法：npm run ask -- "问题" [--json]');
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
  if (flags.has("trace")) console.error(JSON.stringify(trace));
  return 0;
});
