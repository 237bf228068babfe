/**
 * Place scope: a bureau's corpus grows with its districts' documents, which repeat the city's
 * sentences with the districts' own figures. A question that names no district is about the
 * bureau's own level and finds the city's passage; a question that names a district finds that
 * district's. The district documents here are the real 2021 summary's sentence on education groups
 * with other figures, as a district's yearly report states it.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/core/config.js";
import { OWN_SCOPE, placeScope } from "../src/core/knowledge/places.js";
import { documentScope } from "../src/core/search/keyword-source.js";
import { ingestCorpus } from "../src/node/ingest/build-index.js";
import { openIndex, type OpenedIndex } from "../src/node/open-index.js";
import { createNodeRuntime } from "../src/node/runtime.js";
import { CORPUS_DIR } from "./helpers.js";

const DISTRICTS = ["市南区", "市北区", "李沧区", "崂山区", "城阳区", "即墨区", "胶州市", "平度市", "莱西市", "西海岸新区"];
const REAL = "全市基础教育集团达到83个";

let tmp: string;
let opened: OpenedIndex;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "edu-scope-"));
  const corpus = join(tmp, "corpus");
  mkdirSync(corpus);
  for (const file of readdirSync(CORPUS_DIR)) copyFileSync(join(CORPUS_DIR, file), join(corpus, file));
  const sidecar = JSON.parse(readFileSync(join(corpus, "documents.json"), "utf8")) as { documents: Record<string, unknown> };
  DISTRICTS.forEach((district, i) => {
    for (const year of [2021, 2022, 2023]) {
      const file = `district-${i}-${year}.txt`;
      const groups = 5 + i * 3 + (year - 2021);
      writeFileSync(
        join(corpus, file),
        `一、深入推进集团化办学\n${year}年,全区基础教育集团达到${groups}个,成员校${groups * 3}所。\n二、提升乡村教育水平\n${district}乡镇教育强镇筑基试点稳步推进。\n`,
      );
      sidecar.documents[file] = { title: `${year}年${district}教育工作总结`, issuer: `${district}教育局`, year, kind: "工作总结" };
    }
  });
  writeFileSync(join(corpus, "documents.json"), JSON.stringify(sidecar));
  const config = loadConfig({ CORPUS_DIR: corpus, INDEX_DIR: join(tmp, "index") });
  await ingestCorpus({ corpusDir: corpus, indexDir: join(tmp, "index"), runtime: await createNodeRuntime(config) });
  opened = await openIndex(config);
  // The real sentence, folded to Simplified (the 2021 summary is written in Traditional with pinyin annotations).
  expect(opened.index.passages.filter((p) => p.folded.includes(REAL)).map((p) => p.docId)).toEqual(["2021-work-summary"]);
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("place scope", () => {
  it("a document's scope is the most specific place its title or issuer names; the bureau's own city is its own level", () => {
    const places = opened.index.knowledge.places;
    expect(documentScope({ title: "2021年青岛市教育工作总结", issuer: "青岛市教育局" }, places)).toBe(OWN_SCOPE);
    expect(documentScope({ title: "2020年全市教育工作要点" }, places)).toBe(OWN_SCOPE);
    expect(documentScope({ title: "2021年崂山区教育工作总结", issuer: "崂山区教育局" }, places)).toBe("370212");
    expect(documentScope({ title: "2022年西海岸新区教育工作总结" }, places)).toBe("local:西海岸新区");
    const scope = (q: string) => placeScope(opened.retriever.analyze(q).places);
    expect(scope("全市有多少个基础教育集团？")).toBe(OWN_SCOPE);
    expect(scope("青岛现在有多少个基础教育集团？")).toBe(OWN_SCOPE);
    expect(scope("崂山有多少个基础教育集团？")).toBe("370212");
  });

  it("a question that names no district finds the city's passage in the top 5 among thirty districts' copies", async () => {
    for (const q of ["基础教育集团现在有多少个？", "教育集团一共有几个，成员校多少所"]) {
      const hits = await opened.retriever.search(q, { k: 5 });
      // Thirty district passages say the same in fewer words (a higher BM25): without the scope
      // the city's passage ranks below them.
      expect(hits.slice(0, 5).filter((h) => h.passage.folded.includes(REAL)).length, q).toBe(1);
    }
  });

  it("a question that names a district finds that district's passages first", async () => {
    const hits = await opened.retriever.search("崂山区基础教育集团有多少个？", { k: 3 });
    expect(hits.map((h) => h.doc.title)).toEqual(expect.arrayContaining([expect.stringContaining("崂山区")]));
    expect(hits[0]!.doc.title).toContain("崂山区");
  });
});
