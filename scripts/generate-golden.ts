/**
 * Writes the golden outputs under test/golden/ that the equivalence tests compare against
 * (test/unit/{tokenizer,keyword-index,mojibake-ranks}-equivalence.test.ts).
 *
 * Each speed-up of ingest (one segmenter call per passage, the vocabulary-id keyword build, the
 * typed-array character ranks) was checked against the code it replaced while that code still existed; these files keep what that code produced on the real
 * corpus, so the tests need neither git history nor a copy of the old code. Run it again
 * (`npm run golden`) only when an output changes on purpose (a new tokenizer version, a new corpus
 * file), and review the diff of test/golden/ like code.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Bm25KeywordIndex, type KeywordDocument } from "../src/core/search/keyword-index.js";
import { analyzeQuery } from "../src/core/search/query.js";
import { embeddingHeading, sectionOf } from "../src/core/search/search-index.js";
import { TOKENIZER_VERSION, createTokenizer, foldedTokenizer } from "../src/core/search/tokenizer.js";
import { findMojibakeRuns } from "../src/core/text/clean/mojibake.js";
import { foldForMatching } from "../src/core/text/fold.js";
import { createJiebaSegmenter, createMojibakeModel } from "../src/node/jieba-segmenter.js";
import { CORPUS_LINES, EVAL_QUESTIONS, corpusPassages, readCorpusDocuments } from "../test/unit/equivalence-corpus.js";
import { FOLDED_EDGES, FOLDED_WITH_TABS, RAW_EDGES, RARE_RANK } from "../test/golden/inputs.js";

const GOLDEN_DIR = join(import.meta.dirname, "..", "test", "golden");
const write = (name: string, value: unknown) => {
  const file = join(GOLDEN_DIR, name);
  // One entry per line: small diffs when an output changes on purpose.
  const lines = (v: unknown): string => (Array.isArray(v) ? `[\n${v.map((e) => JSON.stringify(e)).join(",\n")}\n]` : JSON.stringify(v));
  const body =
    value && typeof value === "object" && !Array.isArray(value)
      ? `{\n${Object.entries(value)
          .map(([k, v]) => `${JSON.stringify(k)}: ${lines(v)}`)
          .join(",\n")}\n}`
      : lines(value);
  writeFileSync(file, `${body}\n`);
  console.log(`${file}: ${readFileSync(file).length} bytes`);
};
const unique = (texts: string[]) => [...new Set(texts)];

mkdirSync(GOLDEN_DIR, { recursive: true });
const tokenize = createTokenizer({ segmenter: createJiebaSegmenter() });
const tokenizeFolded = foldedTokenizer(tokenize);
const passages = await corpusPassages();
const documents = (await readCorpusDocuments()).map((d) => foldForMatching(d.text));

// Tokens: folded inputs through `.folded`, raw inputs through the folding tokenizer.
const headings = unique(passages.flatMap(({ passage, doc }) => [doc.title, sectionOf(passage), embeddingHeading(passage)]));
const folded = unique([
  ...CORPUS_LINES.map(foldForMatching),
  "新建学校\n50所",
  "50所\n",
  "\n50所\n3.86万个\n",
  ...FOLDED_EDGES,
  ...FOLDED_WITH_TABS,
]);
const raw = unique([...CORPUS_LINES, ...EVAL_QUESTIONS, ...headings, ...RAW_EDGES]);
write("tokens.json", {
  tokenizerVersion: TOKENIZER_VERSION,
  folded: folded.map((text) => [text, tokenize.folded(text)]),
  // Passages and whole documents by position (corpusPassages / CORPUS_FILES order), not by text.
  passages: passages.map(({ passage }) => [passage.id, tokenize.folded(passage.folded)]),
  documents: documents.map((text) => tokenize.folded(text)),
  raw: raw.map((text) => [text, tokenize(text)]),
});

// Keyword index: what the string build serializes to, and every eval question's hits, plain and filtered.
const stringDocuments: KeywordDocument[] = passages.map(({ passage, doc }, i) => ({
  id: i,
  title: tokenize(doc.title).join(" "),
  section: tokenize(sectionOf(passage)).join(" "),
  text: tokenizeFolded(passage.folded).join(" "),
}));
const index = Bm25KeywordIndex.build(stringDocuments);
const yearOf = (label: number) => passages[label]!.doc.year;
write("keyword-index.json", {
  serializedSha256: createHash("sha256").update(index.serialize()).digest("hex"),
  hits: EVAL_QUESTIONS.map((question) => {
    const { weighted } = analyzeQuery(question, tokenize);
    return {
      question,
      top10: index.searchWeighted(weighted, 10),
      year2021: index.searchWeighted(weighted, 8, (label) => yearOf(label) === 2021),
      everyThird: index.searchWeighted(weighted, 8, (label) => label % 3 === 1),
      lists2024: index.searchWeightedLists(weighted, 8, [undefined, (label) => yearOf(label) === 2024]),
    };
  }),
});

// Character ranks: the common characters (rank ≤ RARE_RANK) by a plain count over cppjieba's
// dictionary — frequency summed per character, ties in order of first appearance — and the two
// characters either side of the boundary, which tie in frequency.
const require = createRequire(import.meta.url);
const jiebaDict = require.resolve("nodejieba/package.json").replace(/package\.json$/, "submodules/cppjieba/dict/jieba.dict.utf8");
const freq = new Map<string, number>();
for (const line of readFileSync(jiebaDict, "utf8").split("\n")) {
  const [word, count] = line.split(" ");
  if (!word || !count) continue;
  for (const ch of word) freq.set(ch, (freq.get(ch) ?? 0) + Number(count));
}
const ranked = [...freq.entries()].sort((a, b) => b[1] - a[1]).map(([ch]) => ch);
const model = createMojibakeModel();
write("mojibake.json", {
  common: ranked
    .slice(0, RARE_RANK + 1)
    .sort()
    .join(""),
  boundary: [ranked[RARE_RANK], ranked[RARE_RANK + 1]],
  runs: CORPUS_LINES.flatMap((line, i) => {
    const runs = findMojibakeRuns(line, model);
    return runs.length ? [[i, runs]] : [];
  }),
});
