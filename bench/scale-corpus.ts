// Benchmark corpus scaler: `npx tsx bench/scale-corpus.ts --size 10000 [--seed 7] [--out DIR]`.
// Builds a corpus of about `size` passages from the real documents in corpus/: the real files once,
// unchanged, plus synthetic district documents made of recombined, varied sentences. Benchmark
// data only; nothing here is shipped or indexed by the service.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { fnv1a } from "../src/core/search/domain-dictionary.js";
import { parseEvalSet } from "../src/core/eval/eval-set.js";
import { processDocument } from "../src/core/ingest/process-document.js";
import { yearsIn } from "../src/core/search/query.js";
import { splitSentences } from "../src/core/text/sentences.js";
import { convertToTraditional, foldForMatching } from "../src/core/text/fold.js";
import { listCorpusFiles, PROFILE_FILE, readSidecar, SIDECAR_FILE } from "../src/node/ingest/build-index.js";
import { createMojibakeModel } from "../src/node/jieba-segmenter.js";
import { readDocument } from "../src/node/readers/read-document.js";

/** File-name prefix of every synthetic document; the recall measurement never counts them as hits. */
export const SYNTHETIC_PREFIX = "synth-";
/** Bump when the generator changes, so cached corpora are rebuilt. */
export const SCALER_VERSION = "scale-3";

/** Share of synthetic paragraphs that are a real passage with other figures, year and district. */
const NEAR_DUPLICATE_SHARE = 0.05;
/** Share of synthetic documents written in Traditional script. */
const TRADITIONAL_SHARE = 0.2;
/** Paragraph length window: inside it, the chunker makes exactly one passage of a paragraph. */
const MIN_PARAGRAPH = 70;
const MAX_PARAGRAPH = 300;

const DISTRICTS = ["市南区", "市北区", "李沧区", "崂山区", "黄岛区", "城阳区", "即墨区", "胶州市", "平度市", "莱西市", "西海岸新区"];
const TITLES: Array<{ kind: string; title: (year: number, district: string) => string }> = [
  { kind: "工作总结", title: (y, d) => `${y}年${d}教育工作总结` },
  { kind: "工作总结", title: (y, d) => `${d}教育局${y}年工作情况报告` },
  { kind: "工作要点", title: (y, d) => `${y}年${d}教育工作要点` },
  { kind: "业务目标", title: (y, d) => `${y}年度${d}教育局业务目标` },
  { kind: "讲话", title: (y, d) => `${d}教育局负责同志在${y}年全区教育工作会议上的讲话` },
  { kind: "通知", title: (y, d) => `关于做好${y}年${d}教育重点工作的通知` },
];
const CHINESE_ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

export interface ScaleOptions {
  /** Target number of passages (real + synthetic). */
  size: number;
  seed: number;
  sourceDir: string;
  outDir: string;
  /** Dev questions whose answers must stay findable (their evidence sentences are held out). */
  evalFile: string;
}

export interface ScaledCorpus {
  dir: string;
  files: number;
  /** Passages the generator planned (real passages + one per synthetic paragraph). */
  plannedPassages: number;
  characters: number;
}

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sentence {
  text: string;
  /**
   * Years a synthetic document must avoid to carry this sentence: it states the answer to a dev
   * question that names those years. Undefined: any year.
   */
  avoidYears?: number[];
}

interface SourceMaterial {
  passages: Sentence[][];
  sentences: Sentence[];
  headings: string[];
  realPassages: number;
}

interface Question {
  evidence: string[];
  years: number[];
}

/**
 * How a sentence may be reused. A sentence that states a dev answer (holds its evidence) is held
 * out of synthetic text, or else the question could not tell the real passage from a copy in a
 * made-up district; when every question it answers names a year, it may appear in documents of
 * other years, a distractor that only the year tells apart.
 */
function classify(text: string, questions: Question[]): Sentence | null {
  const answered = questions.filter((q) => q.evidence.some((e) => text.includes(e)));
  if (!answered.length) return { text };
  if (answered.some((q) => !q.years.length)) return null;
  return { text, avoidYears: answered.flatMap((q) => q.years) };
}

/** The real documents through the ingest pipeline: their passages, sentences and headings (Simplified). */
async function readSources(sourceDir: string, questions: Question[]): Promise<SourceMaterial> {
  const sidecar = readSidecar(sourceDir);
  const mojibake = createMojibakeModel();
  const passages: Sentence[][] = [];
  const headings = new Set<string>();
  let realPassages = 0;
  for (const file of listCorpusFiles(sourceDir)) {
    const read = await readDocument(file, new Uint8Array(readFileSync(join(sourceDir, file))));
    const entry = sidecar[file];
    const processed = processDocument({ file, text: read.text, contentHash: "", mojibake, ...(entry ? { sidecar: entry } : {}) });
    realPassages += processed.passages.length;
    for (const p of processed.passages) {
      if (p.kind !== "paragraph") continue;
      const sentences = splitSentences(p.folded.replace(/\n/g, ""))
        .map((s) => stripEnumerator(s.trim()))
        .filter((s) => s.length >= 8)
        .flatMap((s) => classify(s, questions) ?? []);
      passages.push(sentences);
      for (const h of p.headingPath.slice(1)) headings.add(stripEnumerator(foldForMatching(h)));
    }
  }
  const questionWords = questions.flatMap((q) => q.evidence);
  return {
    passages: passages.filter((p) => p.length),
    sentences: passages.flat(),
    headings: [...headings].filter((h) => h.length >= 4 && !questionWords.some((e) => h.includes(e))),
    realPassages,
  };
}

/** Leading 一、 / （二） / 3. would make a line a heading; synthetic paragraphs must stay paragraphs. */
function stripEnumerator(text: string): string {
  return text.replace(/^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d)|——)\s*/, "");
}

interface Context {
  rng: () => number;
  year: number;
  district: string;
}

/** Another figure of the same shape: 3.86 → 2.41, 50 → 63, keeping the number of decimals. */
function varyNumber(value: string, rng: () => number): string {
  const decimals = value.includes(".") ? value.split(".")[1]!.length : 0;
  const n = Number(value.replace(/,/g, ""));
  for (let attempt = 0; attempt < 4; attempt++) {
    const scaled = n * (0.4 + rng() * 1.4);
    const next = decimals ? scaled.toFixed(decimals) : String(Math.max(1, Math.round(scaled)));
    if (next !== value) return next;
  }
  return decimals ? (n + 1).toFixed(decimals) : String(n + 1);
}

/** One sentence moved to another year, district and set of figures. */
function vary(text: string, ctx: Context): string {
  const { rng, year, district } = ctx;
  const county = district.endsWith("市");
  return text
    .replace(/(?<![\d.])((?:19|20)\d{2})(?=\s*年)/g, (y) => String(year - (Number(y) < year ? Math.floor(rng() * 2) : 0)))
    .replace(/(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)?(?![\d.])(?!\s*年)/g, (n) => (/^(?:19|20)\d{2}$/.test(n) ? n : varyNumber(n, rng)))
    .replace(/青岛市|本市/g, district)
    .replace(/全市/g, county ? "全市" : "全区")
    .replace(/市教育局|市教体局/g, `${district}教育局`);
}

function pick<T>(items: readonly T[], rng: () => number): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** A paragraph of recombined sentences (or, sometimes, one real passage varied) within the length window. */
function paragraph(source: SourceMaterial, ctx: Context): string {
  const usable = (s: Sentence) => !s.avoidYears?.includes(ctx.year);
  if (ctx.rng() < NEAR_DUPLICATE_SHARE) {
    const near = pick(source.passages, ctx.rng)
      .filter(usable)
      .map((s) => vary(s.text, ctx))
      .join("");
    if (near.length >= MIN_PARAGRAPH && near.length <= MAX_PARAGRAPH) return near;
  }
  let text = "";
  for (let tries = 0; tries < 12 && text.length < MIN_PARAGRAPH + ctx.rng() * 150; tries++) {
    const picked = pick(source.sentences, ctx.rng);
    if (!usable(picked)) continue;
    const sentence = vary(picked.text, ctx);
    if (text.length + sentence.length > MAX_PARAGRAPH) continue;
    text += /[。！？!?;；]$/.test(sentence) ? sentence : `${sentence}。`;
  }
  return text.length >= MIN_PARAGRAPH ? text : paragraph(source, ctx);
}

function syntheticDocument(source: SourceMaterial, rng: () => number, paragraphs: number) {
  const year = 2016 + Math.floor(rng() * 10);
  const district = pick(DISTRICTS, rng);
  const template = pick(TITLES, rng);
  const ctx: Context = { rng, year, district };
  const lines: string[] = [];
  const sections = Math.max(1, Math.min(CHINESE_ORDINALS.length, Math.round(paragraphs / 12)));
  for (let s = 0, written = 0; s < sections; s++) {
    lines.push(`${CHINESE_ORDINALS[s]}、${vary(pick(source.headings, rng), ctx).replace(/[。；;]$/, "")}`);
    const share = s === sections - 1 ? paragraphs - written : Math.round(paragraphs / sections);
    for (let p = 0; p < share; p++) lines.push(paragraph(source, ctx));
    written += share;
  }
  const traditional = rng() < TRADITIONAL_SHARE;
  const text = lines.join("\n") + "\n";
  const title = template.title(year, district);
  return {
    text: traditional ? convertToTraditional(text) : text,
    sidecar: { title: traditional ? convertToTraditional(title) : title, issuer: `${district}教育局`, year, kind: template.kind },
  };
}

/**
 * Writes the scaled corpus to `outDir` (through a temporary folder) and returns what it holds.
 * The same size and seed always give the same bytes.
 */
export async function scaleCorpus(options: ScaleOptions): Promise<ScaledCorpus> {
  const questions = parseEvalSet(readFileSync(options.evalFile, "utf8")).map((q) => ({
    evidence: q.evidence.map(foldForMatching),
    years: yearsIn(q.question),
  }));
  const source = await readSources(options.sourceDir, questions);
  const rng = random(options.seed);
  const tmp = `${options.outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });

  const sidecar: Record<string, unknown> = { ...readSidecar(options.sourceDir) };
  let characters = 0;
  for (const file of listCorpusFiles(options.sourceDir)) {
    const bytes = readFileSync(join(options.sourceDir, file));
    writeFileSync(join(tmp, file), bytes);
    characters += bytes.toString("utf8").length;
  }
  let remaining = Math.max(0, options.size - source.realPassages);
  let files = 0;
  while (remaining > 0) {
    const paragraphs = Math.min(remaining, 40 + Math.floor(rng() * 160));
    const doc = syntheticDocument(source, rng, paragraphs);
    const file = `${SYNTHETIC_PREFIX}${String(files).padStart(5, "0")}.txt`;
    writeFileSync(join(tmp, file), doc.text);
    sidecar[file] = doc.sidecar;
    characters += doc.text.length;
    remaining -= paragraphs;
    files++;
  }
  writeFileSync(join(tmp, SIDECAR_FILE), JSON.stringify({ documents: sidecar }, null, 1));
  // The bureau profile goes along: the scaled corpus is the same bureau's, only larger.
  if (existsSync(join(options.sourceDir, PROFILE_FILE))) writeFileSync(join(tmp, PROFILE_FILE), readFileSync(join(options.sourceDir, PROFILE_FILE)));
  writeFileSync(join(tmp, ".scaler.json"), JSON.stringify(scalerMarker(options)));
  rmSync(options.outDir, { recursive: true, force: true });
  renameSync(tmp, options.outDir);
  return { dir: options.outDir, files: files + listCorpusFiles(options.sourceDir).length, plannedPassages: options.size, characters };
}

function scalerMarker(options: Omit<ScaleOptions, "outDir">) {
  const source = listCorpusFiles(options.sourceDir).map((f) => fnv1a(readFileSync(join(options.sourceDir, f), "latin1")));
  const profile = existsSync(join(options.sourceDir, PROFILE_FILE)) ? fnv1a(readFileSync(join(options.sourceDir, PROFILE_FILE), "utf8")) : 0;
  return { version: SCALER_VERSION, size: options.size, seed: options.seed, eval: fnv1a(readFileSync(options.evalFile, "utf8")), source, profile };
}

/** True when `dir` already holds the corpus this scaler makes for these options (same sources and questions). */
export function isScaled(dir: string, options: Omit<ScaleOptions, "outDir">): boolean {
  const marker = join(dir, ".scaler.json");
  if (!existsSync(marker)) return false;
  return readFileSync(marker, "utf8") === JSON.stringify(scalerMarker(options));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const size = Number(flag("size", "1000"));
  const seed = Number(flag("seed", "7"));
  const outDir = flag("out", join("bench", ".work", `corpus-${size}-s${seed}`));
  const started = performance.now();
  const result = await scaleCorpus({ size, seed, sourceDir: "corpus", outDir, evalFile: flag("eval", "test/eval/dev.jsonl") });
  console.log(`${result.dir}: ${result.files} files, ~${result.plannedPassages} passages, ${result.characters} characters (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
