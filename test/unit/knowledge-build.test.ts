import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildKnowledge, loadProfile, startKnowledgeBuild } from "../../src/node/knowledge.js";
import { createQuerySegmenter, queryIdf } from "../../src/node/jieba-segmenter.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import { characterFrequencies } from "../../src/core/knowledge/knowledge.js";
import { CORPUS_DIR } from "../helpers.js";

/** The seed corpus's documents (title = first line) with their vocabulary's passage counts, a paragraph per passage. */
function seedCorpus() {
  const segmenter = createQuerySegmenter();
  const frequencies = new Map<string, number>();
  let passages = 0;
  const documents = readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((file) => {
      const text = readFileSync(join(CORPUS_DIR, file), "utf8");
      const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim());
      for (const paragraph of paragraphs) {
        passages++;
        for (const term of new Set(segmenter.cutForSearch(paragraph))) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      }
      return { title: text.split("\n")[0]!.trim(), folded: paragraphs.map((p) => foldForMatching(p)).join("\n") };
    });
  return { documents, documentFrequencies: [...frequencies], passages, characters: characterFrequencies(documents.flatMap((d) => d.folded.split("\n"))) };
}

describe("the knowledge build beside an ingest (its own thread)", () => {
  const profile = loadProfile(join(CORPUS_DIR, "profile.json"));

  it("gives the knowledge the in-thread build gives, document by document", async () => {
    const corpus = seedCorpus();
    const generalIdf = queryIdf();
    const build = startKnowledgeBuild(profile);
    for (const doc of corpus.documents) build.addDocument(doc.title, doc.folded);
    const threaded = await build.finish({ documentFrequencies: corpus.documentFrequencies, passages: corpus.passages, generalIdf, characters: corpus.characters });
    const inThread = await buildKnowledge({ profile, ...corpus, generalIdf });
    expect(threaded).toEqual(inThread);
    // Not two empty tables: the seed corpus's words reach dictionary neighbours, and its terms have salience.
    expect(Object.keys(threaded.bridges).length).toBeGreaterThan(50);
    expect(threaded.salience["招生"]?.[1]).toBeGreaterThan(0);
    // 学 is seldom a word of its own, but nearly every passage holds it (学校, 教学): the character count says so.
    expect(threaded.characters?.["学"]).toBe(corpus.documents.flatMap((d) => d.folded.split("\n")).filter((p) => p.includes("学")).length);
    expect(threaded.characters?.["学"]).toBeGreaterThan(corpus.documentFrequencies.find(([t]) => t === "学")?.[1] ?? 0);
    expect(Object.keys(threaded.places.english ?? {}).length).toBeGreaterThan(100);
  }, 60_000);

  it("ends its thread when cancelled: a finish after that fails instead of waiting", async () => {
    const build = startKnowledgeBuild(profile);
    build.cancel();
    await expect(build.finish({ documentFrequencies: [["招生", 1]], passages: 1, generalIdf: () => 5, characters: { 招: 1, 生: 1 } })).rejects.toThrow();
  }, 60_000);
});
