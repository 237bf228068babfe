import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEvalSet, retrievalScores, type RetrievalScores } from "../../src/core/eval/eval-set.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import { verifyAnswerFigures, type ContractTarget } from "./http-contract.js";

export const DEV_SET = parseEvalSet(readFileSync(join(import.meta.dirname, "..", "eval", "dev.jsonl"), "utf8"));

export interface DevSetRun {
  retrieval: RetrievalScores;
  /** Grounded answers whose figures are not all in their cited passages (must stay empty). */
  unverified: Array<{ id: string; unsupported: string[] }>;
  grounded: number;
  /** Evidence rank per question id (null = not in the top 10). */
  ranks: Record<string, number | null>;
}

/**
 * The dev set over HTTP: Recall@5 and MRR from /api/search (k = 10, as `npm run eval`), and the
 * figure check of every /api/chat answer against the passages it cites.
 */
export async function runDevSet(target: ContractTarget): Promise<DevSetRun> {
  const ranks: Record<string, number | null> = {};
  const unverified: DevSetRun["unverified"] = [];
  let grounded = 0;
  for (const item of DEV_SET) {
    if (item.evidence.length) {
      const { results } = (await (await target.fetch(`${target.baseUrl}/api/search?q=${encodeURIComponent(item.question)}&k=10`)).json()) as { results: Array<{ text: string }> };
      const needles = item.evidence.map(foldForMatching);
      const at = results.findIndex((r) => needles.some((n) => foldForMatching(r.text).includes(n)));
      ranks[item.id] = at < 0 ? null : at + 1;
    }
    const response = await target.fetch(`${target.baseUrl}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: item.question }) });
    if (response.status !== 200) throw new Error(`${item.id}: /api/chat answered ${response.status} ${await response.text()}`);
    const answer = (await response.json()) as Parameters<typeof verifyAnswerFigures>[1];
    if (!answer.grounded) continue;
    grounded++;
    const check = await verifyAnswerFigures(target, answer);
    if (!check.ok) unverified.push({ id: item.id, unsupported: check.unsupported });
  }
  return { retrieval: retrievalScores(Object.values(ranks), 10), unverified, grounded, ranks };
}
