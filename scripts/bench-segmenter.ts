/**
 * `npm run bench:segmenter`: nodejieba (ingest's segmenter) against the pure-JS port over the same
 * dictionary (the query segmenter on Node, and the Worker's): load time, RSS added, and the query
 * tokenizer's speed over every eval question (µs per question, after a warm-up pass). Each is
 * measured in a fresh process so one's dictionaries do not count against the other.
 * Flags: --rounds N (passes over the questions, default 20), --json.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "../src/node/cli/common.js";

const { flags } = parseArgs(process.argv.slice(2));
const rounds = Number(flags.get("rounds") ?? 20);
const json = flags.has("json");

interface Measure {
  segmenter: string;
  loadMs: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  usPerQuestion: number;
  questions: number;
}

async function measure(which: "nodejieba" | "js"): Promise<Measure> {
  const { createTokenizer } = await import("../src/core/search/tokenizer.js");
  const { foldForMatching } = await import("../src/core/text/fold.js");
  const questions = readdirQuestions();
  foldForMatching("預熱"); // OpenCC's tables are not the segmenter's: load them before measuring
  const mb = () => Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;
  const rssBeforeMB = mb();
  const started = performance.now();
  const jieba = await import("../src/node/jieba-segmenter.js");
  const segmenter = which === "nodejieba" ? jieba.createJiebaSegmenter() : jieba.createQuerySegmenter();
  const tokenize = createTokenizer({ segmenter });
  tokenize(questions[0]!);
  const loadMs = Math.round(performance.now() - started);
  for (const q of questions) tokenize(q);
  const t = performance.now();
  for (let r = 0; r < rounds; r++) for (const q of questions) tokenize(q);
  const usPerQuestion = Math.round(((performance.now() - t) * 1000) / (rounds * questions.length));
  return { segmenter: which === "nodejieba" ? "nodejieba" : "pure-JS port", loadMs, rssBeforeMB, rssAfterMB: mb(), usPerQuestion, questions: questions.length };
}

function readdirQuestions(): string[] {
  return ["dev.jsonl", "calibration.jsonl", "everyday.jsonl", "external.jsonl", "official-paraphrases.jsonl"].flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(`test/eval/${file}`, "utf8");
    } catch {
      return [];
    }
    return text
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { question: string }).question);
  });
}

const child = process.argv.indexOf("--child");
if (child >= 0) {
  console.log(JSON.stringify(await measure(process.argv[child + 1] as "nodejieba" | "js")));
} else {
  const rows = (["nodejieba", "js"] as const).map((which) => {
    const run = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "--child", which, `--rounds=${rounds}`], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout.trim().split("\n").pop()!) as Measure;
  });
  if (json) console.log(JSON.stringify(rows));
  else {
    console.log(`${"segmenter".padEnd(14)}${"load ms".padStart(9)}${"RSS added MB".padStart(14)}${"µs/question".padStart(13)}  (${rows[0]!.questions} eval questions × ${rounds})`);
    for (const r of rows) console.log(`${r.segmenter.padEnd(14)}${String(r.loadMs).padStart(9)}${String(Math.round((r.rssAfterMB - r.rssBeforeMB) * 10) / 10).padStart(14)}${String(r.usPerQuestion).padStart(13)}`);
  }
}
