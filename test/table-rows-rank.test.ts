/**
 * Rank fusion counts each keyword hit as one more independent result; the rows of one long table are
 * not independent. A question that names no row matches the two hundred rows of 松江区's catchment
 * annex alike (松江区…幼儿园, the column 招生咨询电话), and before, they filled the whole keyword candidate
 * list: the sentence stating the district's enquiry line was never scored. Real text: 松江区's 2019
 * kindergarten notice, in the whole external folder beside the seed corpus (../shared/eval/external/,
 * copied at run time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { EXTERNAL_DOCUMENTS, hasExternal, useExternalCorpus } from "./external-corpus.js";
import { tableOf } from "../src/core/search/search-index.js";

const SONGJIANG = "13.松江政策.pdf";

describe.runIf(hasExternal(SONGJIANG))("rows of one long table in the keyword candidates", () => {
  // Every external document beside the seed corpus: the statistics of a real folder.
  const external = useExternalCorpus(EXTERNAL_DOCUMENTS, 180_000, true);

  it("the district's enquiry line is a candidate though every row of the annex matches the question as well", async () => {
    const { retriever } = external().opened;
    const hits = await retriever.search("在松江报幼儿园，招生的事想打电话问问，该打哪个电话", { k: 400 });
    // The rows do match: most of the head is rows of one table.
    expect(hits.slice(0, 20).filter((h) => tableOf(h.passage) !== undefined).length).toBeGreaterThan(10);
    const line = hits.find((h) => h.passage.text.includes("本区学前教育阶段招生咨询电话：57821271"));
    expect(line).toBeDefined();
    expect(line!.signals.keywordRank).toBeLessThanOrEqual(200);
  });

  it("a row that holds the asked place still ranks first", async () => {
    const { retriever } = external().opened;
    const hits = await retriever.search("泗泾第九幼儿园的招生咨询电话是多少", { k: 5 });
    expect(hits[0]!.passage.text).toContain("泗泾第九幼儿园");
  });
});
