import { readFileSync } from "node:fs";
import { evidenceRank, parseEvalSet, retrievalScores } from "../../core/eval/eval-set.js";
import { openIndex } from "../open-index.js";
import { configFromEnvironment, parseArgs, runCli } from "./common.js";

const DEPTH = 10;

/** `npm run eval -- --file FILE [--json]`: retrieval (Recall@5, MRR) per question and overall. */
runCli(async () => {
  const { flags } = parseArgs(process.argv.slice(2));
  const file = typeof flags.get("file") === "string" ? (flags.get("file") as string) : "test/eval/dev.jsonl";
  const items = parseEvalSet(readFileSync(file, "utf8"));
  const { retriever } = await openIndex(configFromEnvironment());

  const perQuestion = [];
  for (const item of items) {
    const hits = await retriever.search(item.question, { k: DEPTH });
    const rank = item.evidence.length ? evidenceRank(hits.map((h) => h.passage), item.evidence) : null;
    perQuestion.push({
      id: item.id,
      kind: item.kind,
      question: item.question,
      hasEvidence: item.evidence.length > 0,
      rank,
      top: hits.slice(0, 3).map((h) => h.passage.id),
    });
  }
  const withEvidence = perQuestion.filter((q) => q.hasEvidence);
  const retrieval = retrievalScores(withEvidence.map((q) => q.rank), DEPTH);
  if (flags.has("json")) {
    console.log(JSON.stringify({ file, retrieval, questions: perQuestion }, null, 2));
    return 0;
  }
  for (const q of perQuestion) {
    const mark = !q.hasEvidence ? "－" : q.rank !== null && q.rank <= 5 ? "✔" : "✘";
    console.log(`${mark} ${q.id} rank=${q.rank ?? "-"} ${q.question}  top=${q.top.join(",")}`);
  }
  console.log(`\n检索（${retrieval.questions} 个有依据的问题）：Recall@5 = ${(retrieval.recallAt5 * 100).toFixed(1)}%  MRR = ${retrieval.mrr.toFixed(3)}`);
  return 0;
});
