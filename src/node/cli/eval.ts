import { readFileSync } from "node:fs";
import { checkAnswer, answerScores, passes } from "../../core/eval/answer-metrics.js";
import { evidenceRank, parseEvalSet, retrievalScores } from "../../core/eval/eval-set.js";
import { referral } from "../../core/answer/refusal.js";
import { foldForMatching } from "../../core/text/fold.js";
import { createAnswerer } from "../answerer.js";
import { openIndex } from "../open-index.js";
import { configFromEnvironment, parseArgs, runCli } from "./common.js";

const DEPTH = 10;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * `npm run eval -- --file FILE [--json]`: retrieval (Recall@5, MRR on evidence) and answer metrics
 * (figure accuracy, faithfulness, refusal accuracy, terms, redactions, the first sentence carrying
 * the expected figure or term, every check passing), per question and overall, with the refusal
 * reasons counted so over-refusal shows at a glance. Follow-ups are asked with their history.
 * `--ablate lexicon|expansions|profile` (comma-separated) scores the same index without that knowledge.
 */
runCli(async () => {
  const { flags } = parseArgs(process.argv.slice(2));
  const file = typeof flags.get("file") === "string" ? (flags.get("file") as string) : "test/eval/dev.jsonl";
  const items = parseEvalSet(readFileSync(file, "utf8"));
  const config = configFromEnvironment();
  // Scores the corpus as it is now: an index older than the corpus or the profile is rebuilt first, as npm start does.
  const opened = await openIndex(config, { buildIfNeeded: true, log: (message) => console.error(message) });
  // Ablations (README › 评测): the same index without a part of its knowledge.
  const ablate = typeof flags.get("ablate") === "string" ? (flags.get("ablate") as string).split(",") : [];
  const knowledge = opened.index.knowledge;
  for (const part of ablate) {
    if (part === "lexicon") Object.assign(knowledge, { bridges: {}, english: {} });
    else if (part === "expansions") Object.assign(knowledge, { bridges: {}, profile: { ...knowledge.profile, glossary: [] } });
    else if (part === "profile") {
      Object.assign(knowledge, { profile: { ...knowledge.profile, glossary: [], localPlaces: [] }, places: { ...knowledge.places, home: [] } });
    } else throw new Error(`--ablate 只接受 lexicon、expansions、profile：${part}`);
  }
  const answerer = createAnswerer(opened, config);
  const byId = new Map(opened.index.passages.map((p) => [p.id, p]));

  const perQuestion = [];
  for (const item of items) {
    const history = item.history ?? [];
    const analysis = opened.retriever.analyze(item.question, history);
    const hits = await opened.retriever.search(analysis, { k: DEPTH });
    const rank = item.evidence.length ? evidenceRank(hits.map((h) => h.passage), item.evidence) : null;
    const { answer, trace } = await answerer.answer(item.question, history);
    const sources = answer.citations.map((c) => {
      const p = byId.get(c.passageId)!;
      const doc = opened.index.docById.get(p.docId);
      return { folded: `${p.folded} ${foldForMatching(p.headingPath.join(" "))} ${doc?.year ?? ""}年` };
    });
    // The referral sentence (bureau and hotline) comes from the bureau profile, not from a passage.
    sources.push({ folded: foldForMatching(referral(opened.index.knowledge.profile)) });
    const check = checkAnswer(item, answer, sources, trace.refusal !== undefined);
    const retrievalOk = !item.evidence.length || item.kind === "out_of_scope" || (rank !== null && rank <= 5);
    perQuestion.push({ id: item.id, kind: item.kind, question: item.question, hasEvidence: item.evidence.length > 0 && item.kind !== "out_of_scope", rank, answer, trace, check, allOk: retrievalOk && passes(check) });
  }
  const retrieval = retrievalScores(perQuestion.filter((q) => q.hasEvidence).map((q) => q.rank), DEPTH);
  const answers = answerScores(perQuestion.map((q) => q.check));
  const allPassed = perQuestion.filter((q) => q.allOk).length / (perQuestion.length || 1);
  const refusals = new Map<string, number>();
  for (const q of perQuestion) if (q.trace.refusal) refusals.set(q.trace.refusal, (refusals.get(q.trace.refusal) ?? 0) + 1);
  const partial = perQuestion.filter((q) => q.answer.partial).length;
  if (flags.has("json")) {
    console.log(JSON.stringify({ file, retrieval, answers: { ...answers, allPassed }, refusals: Object.fromEntries(refusals), partial, questions: perQuestion }, null, 2));
    return 0;
  }
  for (const q of perQuestion) {
    const c = q.check;
    const problems = [
      q.hasEvidence && (q.rank === null || q.rank > 5) ? `证据未进前5（rank=${q.rank ?? "-"}）` : "",
      c.figuresOk === false ? `缺数字 ${c.missingFigures.join("、")}` : "",
      c.faithful === false ? `未核实数字 ${c.unsupportedFigures.join("、")}` : "",
      c.refusalOk ? "" : q.trace.refusal ? `误拒答（${q.trace.refusal}${q.trace.partial ? `：缺${q.trace.partial.detail}，${q.trace.partial.reason}` : ""}）` : "应拒答却作答",
      c.termsOk === false ? `缺术语 ${c.missingTerms.join("、")}` : "",
      c.redactionOk === false ? "匿名数字处理不当" : "",
    ].filter(Boolean);
    const mark = q.trace.refusal ? ` [${q.answer.grounded ? "部分作答，记为未答" : "拒答"}:${q.trace.refusal}]` : q.answer.partial ? " [部分作答]" : "";
    console.log(`${problems.length ? "✘" : "✔"} ${q.id} rank=${q.rank ?? "-"} conf=${q.trace.confidence.toFixed(2)}${mark} ${q.question}${problems.length ? `\n    ${problems.join("；")}` : ""}`);
  }
  if (ablate.length) console.log(`\n消融：去掉 ${ablate.join("、")}`);
  console.log(`\n检索（${retrieval.questions} 个有依据的问题）：Recall@5 = ${pct(retrieval.recallAt5)}  MRR = ${retrieval.mrr.toFixed(3)}`);
  console.log(`拒答原因：${[...refusals].map(([r, n]) => `${r} ${n}`).join("，") || "无"}；部分作答 ${partial}`);
  console.log(
    `回答：数字准确率 ${pct(answers.figureAccuracy)}  忠实度 ${pct(answers.faithfulness)}  拒答准确率 ${pct(answers.refusalAccuracy)}  术语 ${answers.termsPassed}/${answers.termsTotal}  匿名数字 ${answers.redactionPassed}/${answers.redactionTotal}  首句命中 ${pct(answers.firstSentence)}  全部通过 ${pct(allPassed)}`,
  );
  return 0;
});
