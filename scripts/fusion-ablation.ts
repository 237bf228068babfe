// Retrieval ablation: each fusion variant on the dev and calibration sets (Recall@5, MRR).
//   npx tsx scripts/fusion-ablation.ts                                     the index in INDEX_DIR (index/)
//   INDEX_DIR=bench/.work/index-100000-s7 npx tsx scripts/fusion-ablation.ts   inside a benchmark haystack
// Passages of synthetic benchmark documents never count as evidence (as in `npm run bench`).
import { readFileSync } from "node:fs";
import { loadConfig } from "../src/core/config.js";
import { evidenceRank, parseEvalSet, retrievalScores } from "../src/core/eval/eval-set.js";
import { HybridRetriever } from "../src/core/search/retriever.js";
import { openIndex } from "../src/node/open-index.js";
import { SYNTHETIC_PREFIX } from "../bench/scale-corpus.js";
const o = await openIndex(loadConfig(process.env));
const variants: Record<string, object> = {
  "keyword only (BM25)": { vectorWeight: 0, rerankDepth: 0, yearBoost: 1 },
  "vector only (hashing)": { keywordWeight: 0, rerankDepth: 0, yearBoost: 1 },
  "RRF": { rerankDepth: 0, yearBoost: 1 },
  "RRF + year": { rerankDepth: 0 },
  "+ shallow sentence rerank (40 candidates, top 20, weight 0.6)": { candidates: 40, rerankDepth: 20, rerankWeight: 0.6, answerBonus: 0 },
  "+ deep sentence rerank (200 candidates, all, weight 3)": { answerBonus: 0 },
  "+ answer-figure bonus (default)": {},
};
for (const file of ["test/eval/dev.jsonl", "test/eval/calibration.jsonl"]) {
  const items = parseEvalSet(readFileSync(file, "utf8")).filter((i) => i.evidence.length);
  for (const [name, fusion] of Object.entries(variants)) {
    const r = new HybridRetriever({ index: o.index, tokenize: o.runtime.tokenize, embeddings: o.runtime.embeddings, idf: o.runtime.idf, fusion });
    const ranks = [];
    for (const i of items) {
      const passages = (await r.search(i.question, { k: 10 })).map((h) => (h.passage.docId.startsWith(SYNTHETIC_PREFIX) ? { ...h.passage, folded: "" } : h.passage));
      ranks.push(evidenceRank(passages, i.evidence));
    }
    const s = retrievalScores(ranks);
    console.log(`| ${file.split("/").pop()} | ${name} | ${(s.recallAt5 * 100).toFixed(1)}% | ${s.mrr.toFixed(3)} |`);
  }
}
