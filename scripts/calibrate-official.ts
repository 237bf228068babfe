/**
 * `npm run calibrate:official [-- --file test/eval/official-paraphrases.jsonl]`: precision and recall
 * of official-answer reuse per similarity threshold, on paraphrases of real Q&A pairs written by a
 * helper who never read the code (kind official: should get that pair's answer; near_miss and
 * unrelated: should get no official answer). Needs an index that holds the Q&A documents
 * (CORPUS_DIR / INDEX_DIR). Prints one line per threshold, then the chosen default's line.
 */
import { readFileSync } from "node:fs";
import { Answerer } from "../src/core/answer/answerer.js";
import { SAME_QUESTION_THRESHOLD } from "../src/core/question/similarity.js";
import { foldForMatching } from "../src/core/text/fold.js";
import { configFromEnvironment, parseArgs } from "../src/node/cli/common.js";
import { openIndex } from "../src/node/open-index.js";

interface Item {
  id: string;
  question: string;
  kind: "official" | "near_miss" | "unrelated";
  pair: string;
}

const { flags } = parseArgs(process.argv.slice(2));
const file = typeof flags.get("file") === "string" ? (flags.get("file") as string) : "test/eval/official-paraphrases.jsonl";
const items = readFileSync(file, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Item);
const opened = await openIndex(configFromEnvironment());
const canonical = (t: string) => foldForMatching(t).replace(/[\s\p{P}\p{S}]+/gu, "");
const thresholds = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];
for (const threshold of thresholds) {
  const answerer = new Answerer({ retriever: opened.retriever, tokenize: opened.runtime.tokenize, idf: opened.runtime.idf, sameQuestion: threshold });
  let served = 0;
  let right = 0;
  let officials = 0;
  let wrongOnOthers = 0;
  let others = 0;
  for (const item of items) {
    const { answer } = await answerer.answer(item.question);
    const official = answer.mode === "official";
    const passage = official ? opened.index.passages.find((p) => p.id === answer.citations[0]?.passageId) : undefined;
    const correct = official && item.kind === "official" && canonical(passage?.question ?? "") === canonical(item.pair);
    if (official) served++;
    if (correct) right++;
    if (item.kind === "official") officials++;
    else {
      others++;
      if (official) wrongOnOthers++;
    }
  }
  const precision = served ? right / served : 1;
  const recall = officials ? right / officials : 0;
  const mark = threshold === SAME_QUESTION_THRESHOLD ? "  ← 默认" : "";
  console.log(`阈值 ${threshold.toFixed(2)}：精确率 ${(precision * 100).toFixed(1)}%  召回率 ${(recall * 100).toFixed(1)}%（${right}/${officials}）  非同题误给官方答案 ${wrongOnOthers}/${others}${mark}`);
}
