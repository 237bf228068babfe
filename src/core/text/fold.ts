import * as OpenCC from "opencc-js";
import type { Script } from "../types.js";
import { compactConverter } from "./compact-converter.js";

// Phrase-aware converters. `tw` (not `twp`) keeps mainland vocabulary: only the script changes,
// so 运行 stays 運行 instead of becoming 執行. Built on first use, in the compact form of
// compact-converter.ts (same output as opencc-js's, ≈ 40 MB less heap for cn → tw); opencc-js's own
// when a future version ships a config shaped otherwise.
let simplifiedConverter: ((text: string) => string) | undefined;
let traditionalConverter: ((text: string) => string) | undefined;
const toSimplifiedConverter = (text: string): string =>
  (simplifiedConverter ??= compactConverter("tw2s") ?? OpenCC.Converter({ from: "tw", to: "cn" }))(text);
const toTraditional = (text: string): string => (traditionalConverter ??= compactConverter("s2tw") ?? OpenCC.Converter({ from: "cn", to: "tw" }))(text);
/** The locale config behind `OpenCC.Converter({ from: "tw", to: "cn" })`. */
const TO_SIMPLIFIED_CONFIG = "tw2s";

// ---------------------------------------------------------------------------------------------
// Exact pre-check for Traditional → Simplified. Most text is already Simplified and comes out of
// the converter unchanged; a set of trigger code points proves that without running it.
//
// How the converter works (opencc-js 1.4): normalization, then segmentation, then each group of
// the conversion chain in turn. Every step walks the text with a trie of its dictionaries and, at
// each position, replaces the longest key that starts there with that key's value (segmentation
// only splits the text; later groups convert each piece on its own).
//
// 1. A step changes the text only where a key whose value differs from the key matches (a key equal
//    to its value writes back what it read); such a key matches only if all its characters occur.
//    So: every single-character key is a trigger, and every phrase key gets one trigger character
//    (one already chosen if it has one, else the character that most uncovered phrases share:
//    沈, 梁, 藉 rather than 一 or 上). Text without a trigger passes every step unchanged.
// 2. Round trips. The `tw` group turns some Simplified-and-Traditional characters into their
//    OpenCC-standard variant, which the next group turns straight back (才 → 纔 → 才, 群 → 羣 → 群).
//    Such a character c (with variant v) is not a trigger when: no normalization key contains c;
//    the first group's trie maps the key c to the single character v; the second group's trie maps v
//    back to c and no other key of that group contains v (so nothing else can match across it); no
//    key of the second group that changes text contains c; and every other key of any step that
//    changes text and contains c also contains a trigger that is not such a character. Then in text
//    without other triggers the first group can only turn c into v (or leave it, inside a phrase
//    kept as it is), and the second group can only turn v back into c. (Also required: no key holds
//    an ideographic description character, which the converter steps over in its own way.)
// ---------------------------------------------------------------------------------------------

type Entry = readonly [key: string, value: string];
type Dictionary = Entry[];
type Group = Dictionary[];

interface LocaleConfig {
  normalization: Group[];
  segmentation: Group;
  conversion: Group[];
}

/** One dictionary, read as opencc-js reads it: a `"key value|key value"` string or [key, value] pairs. */
function readDictionary(dict: unknown): Dictionary {
  const entries: Entry[] = [];
  if (typeof dict === "string") {
    for (const item of dict.split("|")) {
      const [key, value] = item.split(" ");
      if (key === undefined || value === undefined) throw new TypeError("unexpected dictionary entry");
      entries.push([key, value]);
    }
  } else if (Array.isArray(dict)) {
    for (const pair of dict as unknown[]) {
      if (!Array.isArray(pair) || typeof pair[0] !== "string" || typeof pair[1] !== "string") throw new TypeError("unexpected dictionary pair");
      entries.push([pair[0], pair[1]]);
    }
  } else {
    throw new TypeError("unexpected dictionary");
  }
  return entries;
}

function readGroup(group: unknown): Group {
  if (!Array.isArray(group)) throw new TypeError("unexpected dictionary group");
  return (group as unknown[]).map(readDictionary);
}

function readChain(chain: unknown): Group[] {
  if (!Array.isArray(chain)) throw new TypeError("unexpected dictionary chain");
  return (chain as unknown[]).map(readGroup);
}

/** A locale config `{normalizationChain, segmentation, conversionChain}`; throws on any other shape. */
function readConfig(config: unknown): LocaleConfig {
  if (!config || typeof config !== "object") throw new TypeError("unexpected config");
  const read: LocaleConfig = { normalization: [], segmentation: [], conversion: [] };
  for (const [field, value] of Object.entries(config)) {
    if (field === "normalizationChain") read.normalization = readChain(value);
    else if (field === "conversionChain") read.conversion = readChain(value);
    // As Converter reads it: a group when it is an array of dictionary strings, else one dictionary.
    else if (field === "segmentation") {
      read.segmentation = Array.isArray(value) && value.every((d) => typeof d === "string") ? readGroup(value) : [readDictionary(value)];
    } else throw new TypeError(`unexpected config field ${field}`);
  }
  if (!read.conversion.length) throw new TypeError("config without a conversion chain");
  return read;
}

/** The value a group's trie holds for each key: the first dictionary of the group wins, within one the last entry. */
function trieValues(group: Group): Map<string, string> {
  const values = new Map<string, string>();
  for (const dict of [...group].reverse()) for (const [key, value] of dict) values.set(key, value);
  return values;
}

/** The text's code points, as `Array.from(text)` reads it (a lone surrogate as itself), without an array of strings. */
function codePoints(text: string): number[] {
  if (text.length === 1) return [text.charCodeAt(0)];
  const points: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        points.push((unit - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    points.push(unit);
  }
  return points;
}
const changes = ([key, value]: Entry): boolean => key !== value;

/** The round-trip characters of point 2 above (none unless the chain has exactly two groups). */
function roundTrips(config: LocaleConfig, singles: Set<number>): Set<number> {
  if (config.conversion.length !== 2) return new Set();
  // opencc-js steps over an ideographic description sequence (⿰…) where no key matches; with a key
  // that holds such a character, two groups could step over different stretches.
  const all = [...config.normalization.flat(2), ...config.segmentation.flat(), ...config.conversion.flat(2)];
  if (all.some(([key]) => /[\u2ff0-\u2fff]/.test(key))) return new Set();
  const [first, second] = config.conversion as [Group, Group];
  const firstValues = trieValues(first);
  const secondValues = trieValues(second);
  const pointsOf = (entries: Entry[]) => {
    const points = new Set<number>();
    for (const [key] of entries) for (const p of codePoints(key)) points.add(p);
    return points;
  };
  const inNormalizationKeys = pointsOf(config.normalization.flat(2));
  const inSecondChangingKeys = pointsOf(second.flat().filter(changes));
  const inSecondPhraseKeys = pointsOf(second.flat().filter(([key]) => codePoints(key).length > 1));

  const candidates = new Set<number>();
  for (const [key, variant] of firstValues) {
    const [c, ...rest] = codePoints(key);
    const [v, ...restOfVariant] = codePoints(variant);
    if (c === undefined || rest.length || v === undefined || restOfVariant.length || v === c) continue;
    if (secondValues.get(variant) !== key) continue;
    if (inNormalizationKeys.has(c) || inSecondChangingKeys.has(c) || inSecondPhraseKeys.has(v)) continue;
    candidates.add(c);
  }
  // Every other key that changes text and holds a candidate must also hold a trigger that is not
  // a candidate (吃 → 喫 round-trips, but 吃口 → 喫口 has no other trigger: 吃 stays a trigger).
  const strong = (p: number) => singles.has(p) && !candidates.has(p);
  const ownEntry = ([key]: Entry) => codePoints(key).length === 1 && candidates.has(key.codePointAt(0)!);
  const others = [...config.normalization.flat(2), ...config.segmentation.flat(), ...first.flat().filter((e) => !ownEntry(e)), ...second.flat()];
  const result = new Set(candidates);
  for (const entry of others) {
    if (!changes(entry)) continue;
    const points = codePoints(entry[0]);
    if (points.some((p) => candidates.has(p)) && !points.some(strong)) for (const p of points) result.delete(p);
  }
  return result;
}

/** Code points that can make the converter change a text: the BMP as a lookup table, the rest as a set. */
interface Trigger {
  bmp: Uint8Array;
  astral: Set<number>;
}

/** The trigger set of a locale config, or null (no pre-check, always convert) when it is missing or of an unexpected shape. */
function buildTrigger(configName: string): Trigger | null {
  let config: LocaleConfig;
  try {
    config = readConfig((OpenCC.Locale.configs as Record<string, unknown> | undefined)?.[configName]);
  } catch {
    return null;
  }
  const entries = [...config.normalization.flat(2), ...config.segmentation.flat(), ...config.conversion.flat(2)].filter(changes);

  const singles = new Set<number>();
  const phrases: number[][] = [];
  for (const [key] of entries) {
    const points = codePoints(key);
    if (points.length === 1) singles.add(points[0]!);
    else if (points.length > 1) phrases.push(points);
  }
  const exempt = roundTrips(config, singles);
  const chosen = new Set([...singles].filter((p) => !exempt.has(p)));
  const open = phrases.filter((points) => !points.some((p) => chosen.has(p)));
  const shared = new Map<number, number>();
  for (const points of open) for (const p of new Set(points)) shared.set(p, (shared.get(p) ?? 0) + 1);
  for (const points of open) {
    if (points.some((p) => chosen.has(p))) continue;
    let best: number | undefined;
    for (const p of points) if (!exempt.has(p) && (best === undefined || shared.get(p)! > shared.get(best)!)) best = p;
    if (best === undefined) return null; // cannot happen: roundTrips leaves every such phrase a trigger
    chosen.add(best);
  }

  const trigger: Trigger = { bmp: new Uint8Array(0x10000), astral: new Set() };
  for (const p of chosen) {
    if (p <= 0xffff) trigger.bmp[p] = 1;
    else trigger.astral.add(p);
  }
  return trigger;
}

/** Whether the text holds a trigger, reading it by code point as opencc-js does (a lone surrogate as itself). */
function hasTrigger(text: string, trigger: Trigger): boolean {
  const { bmp, astral } = trigger;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const point = text.codePointAt(i)!;
      if (point > 0xffff) {
        if (astral.has(point)) return true;
        i++;
        continue;
      }
    }
    if (bmp[unit]) return true;
  }
  return false;
}

let simplifiedTrigger: Trigger | null | undefined;

/**
 * False when the pre-check proves that `foldToSimplified(text)` returns `text` unchanged, so the
 * converter is skipped; true when the converter runs. Exported for tests.
 */
export function simplifiedMayDiffer(text: string): boolean {
  if (simplifiedTrigger === undefined) simplifiedTrigger = buildTrigger(TO_SIMPLIFIED_CONFIG);
  return simplifiedTrigger === null || hasTrigger(text, simplifiedTrigger);
}

/**
 * Texts converted before the pre-check's table is built. Building it costs more (≈ 0.1 s) than
 * converting a few hundred short texts, so a command that folds a question and its answer
 * (npm run search, npm run ask) never builds it; a server builds it in its warm-up
 * (prepareSimplifiedPreCheck), or at the latest once this many texts were converted. The output is
 * the same either way: the pre-check only skips conversions that change nothing.
 */
const CONVERSIONS_BEFORE_PRE_CHECK = 1000;
let conversionsWithoutPreCheck = 0;

function needsConversion(text: string): boolean {
  if (simplifiedTrigger === undefined && conversionsWithoutPreCheck < CONVERSIONS_BEFORE_PRE_CHECK) {
    conversionsWithoutPreCheck++;
    return true;
  }
  return simplifiedMayDiffer(text);
}

/** Builds the Simplified pre-check's table now (a server's warm-up), not on some later request. */
export function prepareSimplifiedPreCheck(): void {
  if (simplifiedTrigger === undefined) simplifiedTrigger = buildTrigger(TO_SIMPLIFIED_CONFIG);
}

const toSimplified = (text: string): string => (needsConversion(text) ? toSimplifiedConverter(text) : text);

/** Traditional → Simplified (phrase-aware OpenCC). */
export function foldToSimplified(text: string): string {
  return toSimplified(text);
}

/** Simplified → Traditional (phrase-aware OpenCC, mainland vocabulary kept). */
export function convertToTraditional(text: string): string {
  return toTraditional(text);
}

/** Convert text into the given script. */
export function toScript(text: string, script: Script): string {
  return script === "Hant" ? toTraditional(text) : toSimplified(text);
}

/**
 * The matching form of any text: NFKC (full-width letters, digits and punctuation become
 * half-width: ３ → 3, ＲＣＥＰ → RCEP, ，→ ,), Simplified script, lower case, collapsed spaces.
 * Applied identically at index time and at query time.
 */
export function foldForMatching(text: string): string {
  const folded = toSimplified(text.normalize("NFKC")).toLowerCase().replace(/[ \t\u3000]+/g, " ");
  // A day written the spoken way (5月12号) meets the written one (5月12日); same length.
  return folded.includes("号") ? folded.replace(/(\d{1,2}月\d{1,2})号/g, "$1日") : folded;
}

/** Recurring texts kept folded (headings, a passage's sentences): bounded, emptied when full. */
const RECURRING_FOLDS = 4096;
const recurringFolds = new Map<string, string>();

/**
 * `foldForMatching` for texts that recur from question to question — a passage's headings and
 * sentences, re-scored for every question that retrieves it — folded once instead of per question.
 */
export function foldRecurring(text: string): string {
  let folded = recurringFolds.get(text);
  if (folded === undefined) {
    if (recurringFolds.size >= RECURRING_FOLDS) recurringFolds.clear();
    recurringFolds.set(text, (folded = foldForMatching(text)));
  }
  return folded;
}

/** Han characters a long text's script is judged on: 8 runs of 512 spread over it (a whole document otherwise costs two full conversions). */
const SAMPLE_RUNS = 8;
const SAMPLE_RUN = 512;

function scriptSample(han: string): string {
  if (han.length <= SAMPLE_RUNS * SAMPLE_RUN) return han;
  const step = Math.floor((han.length - SAMPLE_RUN) / (SAMPLE_RUNS - 1));
  let sample = "";
  for (let r = 0; r < SAMPLE_RUNS; r++) sample += han.slice(r * step, r * step + SAMPLE_RUN);
  return sample;
}

/**
 * Which script a text is written in: counts characters that change under each conversion (over a
 * sample of a long text). Ties (no script-specific characters at all) default to Simplified.
 */
export function detectScript(text: string): Script {
  const han = scriptSample(text.replace(/[^\u3400-\u9fff]/g, ""));
  if (!han) return "Hans";
  // Text the pre-check proves Simplified has hant = 0, so it is Hans whatever hans would be: the
  // cn → tw converter is neither built nor run for it (most questions, most documents).
  if (!needsConversion(han)) return "Hans";
  const simplified = toSimplified(han);
  let hant = 0;
  for (let i = 0; i < han.length; i++) if (simplified[i] !== han[i]) hant++;
  // No character changes towards Simplified: Hans whatever the other count is, and the cn → tw
  // conversion (the costlier one, ≈ 5 ms per 4,000 characters) is not run — most documents.
  if (hant === 0) return "Hans";
  const traditional = toTraditional(han);
  let hans = 0;
  for (let i = 0; i < han.length; i++) if (traditional[i] !== han[i]) hans++;
  return hant > hans ? "Hant" : "Hans";
}
