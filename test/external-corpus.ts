/**
 * Real documents other bureaus published (../shared/eval/external/, see its PROVENANCE.md), indexed
 * for a test: copied at run time into a temporary corpus beside the seed corpus's profile, never
 * into the repository.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { Answerer } from "../src/core/answer/answerer.js";
import { loadConfig } from "../src/core/config.js";
import { createAnswerer } from "../src/node/answerer.js";
import { ingestCorpus } from "../src/node/ingest/build-index.js";
import { openIndex, type OpenedIndex } from "../src/node/open-index.js";
import { createNodeRuntime } from "../src/node/runtime.js";
import { CORPUS_DIR } from "./helpers.js";

export const EXTERNAL = resolve(import.meta.dirname, "..", "..", "shared", "eval", "external");

/** The external folder's documents (its PROVENANCE.md and derived/ conversions left out). */
export const EXTERNAL_DOCUMENTS: string[] = existsSync(EXTERNAL)
  ? readdirSync(EXTERNAL).filter((f) => f !== "PROVENANCE.md" && statSync(join(EXTERNAL, f)).isFile())
  : [];

/** Whether every named external document is there (the tests that read them run only then). */
export const hasExternal = (...files: string[]): boolean => files.every((file) => existsSync(join(EXTERNAL, file)));

export interface ExternalCorpus {
  opened: OpenedIndex;
  answerer: Answerer;
  /** Removes the temporary corpus, index and data. */
  dispose(): void;
}

/**
 * Ingests the named external documents, with the seed corpus's profile (another city's bureau), and
 * opens the index. With `withSeed`, the seed corpus's documents are indexed beside them, as a bureau's
 * folder holds its own documents and others' (the evaluation's external index is built so).
 */
export async function openExternalCorpus(files: readonly string[], withSeed = false): Promise<ExternalCorpus> {
  const tmp = mkdtempSync(join(tmpdir(), "edu-external-"));
  const corpus = join(tmp, "corpus");
  mkdirSync(corpus);
  for (const file of files) copyFileSync(join(EXTERNAL, file), join(corpus, file));
  if (withSeed) for (const file of readdirSync(CORPUS_DIR)) copyFileSync(join(CORPUS_DIR, file), join(corpus, file));
  copyFileSync(join(CORPUS_DIR, "profile.json"), join(corpus, "profile.json"));
  await ingestCorpus({ corpusDir: corpus, indexDir: join(tmp, "index"), runtime: await createNodeRuntime(loadConfig({})) });
  const config = loadConfig({ INDEX_DIR: join(tmp, "index"), CORPUS_DIR: corpus, DATA_DIR: join(tmp, "data") });
  const opened = await openIndex(config);
  return { opened, answerer: createAnswerer(opened, config), dispose: () => rmSync(tmp, { recursive: true, force: true }) };
}

/**
 * The named external documents, ingested before the enclosing describe's tests and removed after
 * them: call inside `describe`, read the corpus through the returned function in the tests.
 */
export function useExternalCorpus(files: readonly string[], timeout = 120_000, withSeed = false): () => ExternalCorpus {
  let external: ExternalCorpus | undefined;
  beforeAll(async () => void (external = await openExternalCorpus(files, withSeed)), timeout);
  afterAll(() => external?.dispose());
  return () => external!;
}

/** The seed corpus alone, ingested into a temporary index for the enclosing describe (as useExternalCorpus). */
export const useSeedCorpus = (timeout = 120_000): (() => ExternalCorpus) => useExternalCorpus([], timeout, true);
