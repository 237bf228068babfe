/**
 * Bridges between a citizen's words and the corpus's words, built from CC-CEDICT's English glosses
 * (CC BY-SA 4.0, see NOTICE): two words that share a distinctive gloss ("to bully" for 欺负 and
 * 欺凌, "teacher" for 老师 and 教师) are expansion candidates, kept only when the target occurs in the
 * corpus and weighted by how few dictionary words share that gloss. The same glosses, read the other
 * way, turn an English question's words into the corpus's Chinese terms.
 *
 * Built once per index (the dictionary is large; the tables it leaves are small, pruned to the
 * corpus vocabulary) and stored in the index's knowledge file, so neither the server nor the Worker
 * loads the dictionary. Runtime-neutral: plain data in, plain data out.
 */
import pluralize from "pluralize";
import { stemmer } from "stemmer";

/** One CC-CEDICT line as the `cc-cedict` package ships it: traditional, simplified, pinyin, senses. */
export type CedictEntry = [traditional: string, simplified: string, pinyin: string, senses: string | string[], ...rest: unknown[]];

/** term → [target, weight] pairs, best first. */
export type BridgeTable = Record<string, Array<[string, number]>>;

export interface LexiconTables {
  /** Chinese word → corpus terms that share a distinctive gloss. */
  bridges: BridgeTable;
  /** English word or phrase of two or three words (as englishKey keys them) → corpus terms whose gloss it is. */
  english: BridgeTable;
  /**
   * Gloss words (singular) whose key is not their stem (lemmaKeys), kept where the key or the stem
   * occurs in `english`: the question side keys its words the same way (evening is not even).
   */
  englishLemmas: Record<string, string>;
}

export interface LexiconBuildInput {
  /** The dictionary's corpus-independent part (prepareLexicon). */
  lexicon: PreparedLexicon;
  /** Terms of the corpus vocabulary (keyword-index terms): the only allowed targets. */
  corpusTerms: ReadonlySet<string>;
  /** Words that carry no meaning on their own (the tokenizer's stop words). */
  stopWords: ReadonlySet<string>;
  /** Romanisations of the dictionary's common words (prepared-cedict.ts): pinyin loanwords in English. */
  wordRomanisations?: Readonly<Record<string, string[]>>;
  /** Romanisations that name a place (Shanghai): not read as a loanword (伤害). */
  placeRomanisations?: ReadonlySet<string>;
}

/** English words that never make a gloss distinctive. */
const GLOSS_STOP = new Set(
  "a an the to of for in on at by with from and or as be is are was sb sth one's oneself etc its it this that (of) into up out off over not no".split(" "),
);

/** Senses that are cross-references or names, not meanings. */
const NON_SENSE = /^(?:variant of|old variant of|see |used in|surname|abbr\. for|cl:|also written|also pr\.|japanese variant|taiwan pr\.|erhua variant|\(bound form\)$)/;

/** Longest sense (in words) that still reads as a meaning rather than a description. */
const MAX_SENSE_WORDS = 4;
/** Targets kept per word. */
const MAX_TARGETS = 4;
/** A shared gloss held by more dictionary words than this is not distinctive. */
const MAX_KEY_SHARE = 400;
/** Weight of a corpus compound's composed gloss (高水平 "high level"), times its parts' sense ranks. */
const COMPOSED_WEIGHT = 0.8;
/**
 * Marks a composed phrase key ("+high level"): the compound is searched beside the phrase's own
 * words, which keep their readings (心理健康 beside 心理 and 健康).
 */
export const COMPOSED = "+";
/** Senses of a compound's part that compose (高: "high", "tall"). */
const COMPOSED_SENSES = 2;
/** Below this weight a bridge is noise. */
const MIN_BRIDGE_WEIGHT = 0.3;
/**
 * Weight of a bridge between a dictionary abbreviation and its full form (社保 ↔ 社会保险), or a region's
 * word and the common one (幼稚园 → 幼儿园): the same thing named. A bridge of shared senses stays below
 * it (a shared key never is one word's alone).
 */
export const SAME_THING_BRIDGE = 1;

/** Lower case, parentheticals and leading infinitive/article removed: "to bully (sb)" → "bully". */
export function normalizeSense(sense: string): string | null {
  let s = sense.toLowerCase().replace(/\([^)]*\)/g, " ").replace(/\[[^\]]*\]/g, " ").replace(/[“”"'.,!?;:]/g, " ");
  s = s.replace(/\s+/g, " ").trim();
  if (!s || NON_SENSE.test(sense.toLowerCase().trim())) return null;
  s = s.replace(/^(?:to|a|an|the) /, "");
  if (!/^[a-z][a-z -]*$/.test(s)) return null;
  const words = s.split(" ");
  if (words.length > MAX_SENSE_WORDS) return null;
  return s;
}

/** Words whose final s is not a plural. */
const NOT_PLURAL = new Set(["news", "series", "species", "means", "always", "perhaps", "yes", "has", "was", "does", "sometimes", "towards", "afterwards", "besides", "whereas", "politics", "economics", "mathematics", "physics"]);


/** Plural and simple inflections folded, so "kindergartens" meets "kindergarten". */
export function singular(word: string): string {
  if (NOT_PLURAL.has(word)) return word;
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Content words of a normalized sense. */
function contentWords(sense: string): string[] {
  return sense.split(/[ -]/).filter((w) => w.length > 1 && !GLOSS_STOP.has(w)).map(singular);
}

/**
 * A word's singular (pluralize's rules of English: children → child, universities → university),
 * any other word as it is. Words whose final s is no plural, and short or -ss/-us/-is words
 * (its, us, class, campus, basis), stay whole.
 */
export function lemmaOf(word: string): string {
  if (NOT_PLURAL.has(word) || word.length <= 3 || /(?:ss|us|is)$/.test(word)) return word;
  return pluralize.singular(word);
}

/** Gloss words (lemmaOf) whose key is not their Porter stem: the dictionary's other senses of a stem. */
export type LemmaKeys = Readonly<Record<string, string>>;

/**
 * The key of an English word in the gloss table: its Porter stem (the `stemmer` package) of its
 * singular, so a question's "vocational" meets the gloss "vocation", "construction" meets "to
 * construct" and "enrolment" meets "to enroll" — unless the dictionary's glosses use the word in
 * another sense than the stem's other words (evening is not even, international is not internal,
 * university is not universal: lemmaKeys, prepared from CC-CEDICT by prepareLexicon). Words whose
 * final s is no plural stay whole (news is not new).
 */
export function englishKey(word: string, lemmaKeys?: LemmaKeys): string {
  const lemma = lemmaOf(word);
  return lemmaKeys?.[lemma] ?? (NOT_PLURAL.has(lemma) ? lemma : stemmer(lemma));
}

function sensesOf(entry: CedictEntry): string[] {
  const raw = Array.isArray(entry[3]) ? entry[3] : [entry[3]];
  return raw.flatMap((s) => (typeof s === "string" ? s.split(/;\s*/) : []));
}

/**
 * Sense keys of one word: its normalized senses, coordinated senses split ("to bully and
 * humiliate" → bully, humiliate). Only whole senses are keys: a shared modifier ("primary" of
 * "primary school") says nothing.
 */
function keysOf(senses: string[]): Set<string> {
  const keys = new Set<string>();
  for (const raw of senses) {
    const sense = normalizeSense(raw);
    if (!sense) continue;
    for (const part of sense.split(/ (?:and|or) /)) {
      const words = contentWords(part.replace(/^(?:to|a|an|the) /, ""));
      if (words.length) keys.add(words.join(" "));
    }
  }
  return keys;
}

const isHanWord = (w: string) => /^[\u3400-\u9fff]{2,8}$/.test(w);

/**
 * The dictionary's part of the tables, the same for every corpus: each Han headword's sense keys,
 * the headwords holding each key, and each headword's English gloss words. Preparing it reads all
 * 124k entries (≈ 1 s); the Node side caches it per dictionary version (src/node/knowledge.ts). It
 * is kept as three blocks of sorted lines ("word\tvalue") that a corpus looks up by binary search,
 * so an ingest parses only the few thousand entries its vocabulary reaches, not 124k.
 */
export interface PreparedLexicon {
  /** "headword\tkey|key…" for every headword (2–8 Han characters) with a sense key. */
  keys: string;
  /** "key\theadword|headword…" for every key: the words that hold it. */
  holders: string;
  /**
   * "headword\tposition word word…|position word…": gloss words (englishKey keys) of its senses of
   * 1–3 content words, by position among its senses; for a single character, its first two senses
   * of one word only (the parts of a compound the dictionary lacks).
   */
  glosses: string;
  /** "word\tword|word…": the dictionary's abbreviations (社保 "abbr. for 社会保险") and their full forms, both ways. */
  abbreviations: string;
  /** "lemma\tkey": gloss words whose key is not their stem (senseClusters), for englishKey. */
  lemmaKeys: string;
  /**
   * "word\tword|word…": a regional word (幼稚园 "kindergarten (Tw)") and the words whose own sense, unmarked,
   * is that very sense (幼儿园 "kindergarten"): the dictionary says they name the same thing where it is said.
   */
  regional?: string;
}

/** The most words that may hold a regional sense unmarked for it to name one thing. */
const MAX_REGIONAL_NAMES = 2;
/** CC-CEDICT's marks of a sense as one region's word for the thing: Taiwan, Hong Kong, Cantonese. */
const REGIONAL_SENSE = /\((?:Tw|HK|Cantonese)\)/;
/** A sense that names (National Day, a proper noun): no word of a region for a common thing. */
const NAMED_SENSE = /^(?:\([^)]*\)\s*)*[A-Z]/;

/**
 * "abbr. for 社會保險|社会保险[she4 hui4 bao3 xian3]", "abbr. to 社保[she4 bao3]": the other form, in
 * Simplified. Only a whole form (not 技术 + 战术 of 技战术) of two characters or more (not 沪, 粤).
 */
const ABBREVIATION = /abbr\. (?:for|to) ([\u3400-\u9fff]{2,})(?:\|([\u3400-\u9fff]{2,}))?\[[^\]]*\](?=\s*(?:$|[),;]))/g;
/** The same, tested once (no global state). */
const IS_ABBREVIATION = new RegExp(ABBREVIATION.source);

/** Lines "key\tvalue" sorted by key (code units) from a map; keys and values hold no tab or newline. */
function sortedLines(map: Map<string, string>): string {
  return [...map.keys()].sort().map((k) => `${k}\t${map.get(k)!}`).join("\n");
}

/** Binary search over sorted "key\tvalue" lines: the value of a key, read without splitting the block. */
export class SortedLines {
  private readonly starts: Uint32Array;

  constructor(private readonly block: string) {
    const starts: number[] = block ? [0] : [];
    for (let i = block.indexOf("\n"); i >= 0; i = block.indexOf("\n", i + 1)) starts.push(i + 1);
    this.starts = Uint32Array.from(starts);
  }

  /** Lines in the block. */
  get size(): number {
    return this.starts.length;
  }

  get(key: string): string | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const start = this.starts[mid]!;
      const tab = this.block.indexOf("\t", start);
      const here = this.block.slice(start, tab);
      if (here === key) {
        const end = this.block.indexOf("\n", tab);
        return this.block.slice(tab + 1, end < 0 ? undefined : end);
      }
      if (here < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

export function prepareLexicon(entries: Iterable<CedictEntry>): PreparedLexicon {
  // Senses per simplified headword (a headword can have several entries: 行 xing2 / hang2).
  const senses = new Map<string, string[]>();
  const characterSenses = new Map<string, string[]>();
  for (const entry of entries) {
    const word = entry[1];
    const into = isHanWord(word) ? senses : /^[\u3400-\u9fff]$/.test(word) ? characterSenses : undefined;
    if (!into) continue;
    const list = into.get(word);
    if (list) list.push(...sensesOf(entry));
    else into.set(word, sensesOf(entry));
  }
  const lemmaKeys = senseClusters([...senses, ...characterSenses]);
  const keys = new Map<string, string>();
  const holders = new Map<string, string[]>();
  const glosses = new Map<string, string>();
  const abbreviations = new Map<string, Set<string>>();
  const pair = (a: string, b: string) => {
    if (a === b) return;
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const set = abbreviations.get(x);
      if (set) set.add(y);
      else abbreviations.set(x, new Set([y]));
    }
  };
  for (const [word, list] of senses) {
    if (word.length < 2) continue;
    for (const sense of list) for (const m of sense.matchAll(ABBREVIATION)) pair(word, m[2] ?? m[1]!);
  }
  // A regional sense, normalized, against the words that hold the same sense unmarked.
  const plain = new Map<string, string[]>();
  for (const [word, list] of senses) {
    for (const raw of list) {
      if (REGIONAL_SENSE.test(raw) || BYGONE_SENSE.test(raw)) continue;
      const sense = normalizeSense(raw);
      if (!sense) continue;
      const words = plain.get(sense);
      if (!words) plain.set(sense, [word]);
      else if (!words.includes(word)) words.push(word);
    }
  }
  const regional = new Map<string, string>();
  for (const [word, list] of senses) {
    // Only a word that is a region's word in every sense it has (幼稚园 "kindergarten (Tw)"; 国小 is
    // also an abbreviation): 大考 "final exam; (Tw) college entrance exam" is the mainland's final exam
    // before it is Taiwan's 高考.
    if (!list.every((raw) => REGIONAL_SENSE.test(raw) || IS_ABBREVIATION.test(raw))) continue;
    const same = new Set<string>();
    for (const raw of list) {
      if (!REGIONAL_SENSE.test(raw) || NAMED_SENSE.test(raw)) continue;
      const sense = normalizeSense(raw);
      // A word's own sub-word or super-word is found by segmentation already (as for gloss bridges).
      const others = (sense && plain.get(sense)?.filter((w) => w !== word && !w.includes(word) && !word.includes(w))) || [];
      // A sense few words hold unmarked names one thing (kindergarten: 幼儿园; junior high school: 初中,
      // 初级中学); one many hold is an English word of many things (screen: 屏幕, 筛查 …; field: 球场, 字段 …).
      if (others.length <= MAX_REGIONAL_NAMES) for (const other of others) same.add(other);
    }
    if (same.size) regional.set(word, [...same].sort().join("|"));
  }
  for (const [word, list] of senses) {
    const own = keysOf(list);
    if (own.size) keys.set(word, [...own].join("|"));
    for (const key of own) {
      const held = holders.get(key);
      if (held) held.push(word);
      else holders.set(key, [word]);
    }
    const glossed: string[] = [];
    list.forEach((raw, position) => {
      // A sense of former times ("(in former times) private school" of 书馆) is not what a resident's
      // English means today.
      if (BYGONE_SENSE.test(raw)) return;
      const content = glossWordsOf(raw).map((w) => englishKey(w, lemmaKeys));
      if (content.length && content.length <= 3) glossed.push(`${position} ${content.join(" ")}`);
      // The sense's acronym, which the dictionary gives in brackets ("artificial intelligence (AI)",
      // "Shanghai Cooperation Organization (SCO)"), reads the word as wholly as the sense does: residents
      // write AI and SCO. Not one that is an English function word (IT, US, AM).
      for (const [, acronym] of raw.matchAll(ACRONYM)) {
        const key = acronym!.toLowerCase();
        if (!GLOSS_STOP.has(key) && !QUESTION_STOP.has(key) && !FUNCTION_WORDS.has(key)) glossed.push(`${position} ${englishKey(key, lemmaKeys)}`);
      }
    });
    if (glossed.length) glosses.set(word, glossed.join("|"));
  }
  // A character's first two senses of one word (高 "high", 园 "garden"): the parts of a corpus
  // compound the dictionary lacks (高水平 = 高 + 水平, "high level").
  for (const [character, list] of characterSenses) {
    const glossed: string[] = [];
    list.slice(0, COMPOSED_SENSES).forEach((raw, position) => {
      const content = glossWordsOf(raw).map((w) => englishKey(w, lemmaKeys));
      if (content.length === 1) glossed.push(`${position} ${content[0]}`);
    });
    if (glossed.length) glosses.set(character, glossed.join("|"));
  }
  return {
    keys: sortedLines(keys),
    holders: sortedLines(new Map([...holders].map(([k, words]) => [k, words.join("|")]))),
    glosses: sortedLines(glosses),
    abbreviations: sortedLines(new Map([...abbreviations].map(([w, set]) => [w, [...set].sort().join("|")]))),
    lemmaKeys: sortedLines(new Map(Object.entries(lemmaKeys))),
    regional: sortedLines(regional),
  };
}

/**
 * CC-CEDICT's marks of a sense no longer in use, where the sense carries one (at its start or end):
 * (old), (archaic), (classical), (in former times), …; not a longer note (old, now used figuratively).
 */
const BYGONE_SENSE = /\((?:old|archaic|classical|obsolete|in former times|in ancient times|in olden times|old-fashioned|old usage)\)/i;

/** Possessives of the dictionary's placeholders ("one's conduct", "sb's"): no gloss word. */
const POSSESSIVE = /\b(?:one|sb|sth|someone|somebody|something|oneself)['’]s\b/gi;

/** An acronym in a sense's brackets: (AI), (SCO), (GDP). */
const ACRONYM = /\(([A-Z]{2,6})\)/g;

/** The English gloss words of one sense (lemmaOf, lower case), function words left out. */
function glossWordsOf(raw: string): string[] {
  const sense = normalizeSense(raw.replace(POSSESSIVE, " "));
  if (!sense) return [];
  return sense.split(/[ -]/).filter((w) => w.length > 1 && !GLOSS_STOP.has(w)).map(lemmaOf);
}

/** Share of a word's senses that are verb senses ("to add") for its -ed and -ing forms to be inflections. */
const VERB_SHARE = 0.25;

/** The word of a group that an -ed or -ing form inflects (added → add, provided → provide, planned → plan). */
function inflectionBase(word: string, group: readonly string[]): string | undefined {
  const m = /^(.+?)(ed|ing)$/.exec(word);
  if (!m) return undefined;
  const root = m[1]!;
  const candidates = [root, `${root}e`, root.replace(/(.)\1$/, "$1"), root.replace(/i$/, "y")];
  return candidates.find((c) => c !== word && group.includes(c));
}

/** A gloss word of at most this many headwords says too little of its sense to stand apart. */
const FEW_HEADWORDS = 3;
/** Overlap of two gloss words' headword characters above which they are one sense of a stem. */
const SAME_SENSE_OVERLAP = 0.1;

/**
 * Gloss words that share a Porter stem but not a sense: "even" (甚至, 平) and "evening" (晚上, 傍晚)
 * both stem to "even", "international" (国际) and "internal" (内部) to "intern", "university"
 * (大学) and "universal" (普遍) to "univers". Two gloss words are one sense when the Chinese
 * headwords they gloss share their characters (weighted overlap of the characters' shares:
 * construction/construct 0.30, national/nation 0.38; evening/even 0.02); a word glossing three
 * headwords or fewer joins the closest of the others. The cluster glossing most headwords keeps
 * the stem as its key; each other cluster is keyed "=" + its most used word. Returns the gloss
 * words whose key is not their stem.
 */
function senseClusters(headwords: Iterable<[string, string[]]>): Record<string, string> {
  const characters = new Map<string, Map<string, number>>();
  const glossed = new Map<string, number>();
  /** Senses holding each word, and those that make it a verb ("to add"). */
  const senseCount = new Map<string, number>();
  const verbCount = new Map<string, number>();
  for (const [word, list] of headwords) {
    for (const raw of list) {
      const plain = raw.toLowerCase().replace(/\([^)]*\)/g, " ").trim();
      const verb = /^to ([a-z]+)/.exec(plain)?.[1];
      if (verb) verbCount.set(verb, (verbCount.get(verb) ?? 0) + 1);
      for (const w of new Set(plain.split(/[^a-z]+/))) if (w) senseCount.set(w, (senseCount.get(w) ?? 0) + 1);
    }
    const lemmas = new Set(list.flatMap(glossWordsOf));
    for (const lemma of lemmas) {
      let counts = characters.get(lemma);
      if (!counts) characters.set(lemma, (counts = new Map()));
      for (const c of new Set(word)) counts.set(c, (counts.get(c) ?? 0) + 1);
      glossed.set(lemma, (glossed.get(lemma) ?? 0) + 1);
    }
  }
  const shares = new Map<string, Map<string, number>>();
  for (const [lemma, counts] of characters) {
    let total = 0;
    for (const n of counts.values()) total += n;
    shares.set(lemma, new Map([...counts].map(([c, n]) => [c, n / total])));
  }
  const overlap = (a: string, b: string) => {
    const [x, y] = [shares.get(a)!, shares.get(b)!];
    let sum = 0;
    for (const [c, share] of x) sum += Math.min(share, y.get(c) ?? 0);
    return sum;
  };
  const groups = new Map<string, string[]>();
  for (const lemma of characters.keys()) {
    if (NOT_PLURAL.has(lemma)) continue;
    const stem = stemmer(lemma);
    const group = groups.get(stem);
    if (group) group.push(lemma);
    else groups.set(stem, [lemma]);
  }
  const out: Record<string, string> = {};
  for (const [stem, group] of groups) {
    if (group.length < 2) continue;
    group.sort((a, b) => glossed.get(b)! - glossed.get(a)! || a.localeCompare(b));
    const big = group.filter((l) => glossed.get(l)! > FEW_HEADWORDS);
    if (big.length < 2) continue;
    // Union-find over the words glossing more than a few headwords.
    const parent = new Map(big.map((l) => [l, l]));
    const root = (l: string): string => {
      let r = l;
      while (parent.get(r) !== r) r = parent.get(r)!;
      return r;
    };
    for (let i = 0; i < big.length; i++) {
      for (let j = i + 1; j < big.length; j++) {
        if (overlap(big[i]!, big[j]!) >= SAME_SENSE_OVERLAP) parent.set(root(big[j]!), root(big[i]!));
      }
    }
    const clusterOf = new Map<string, string>();
    for (const l of big) clusterOf.set(l, root(l));
    for (const l of group) {
      if (clusterOf.has(l)) continue;
      let best = big[0]!;
      let bestOverlap = -1;
      for (const b of big) {
        const o = overlap(l, b);
        if (o > bestOverlap) [best, bestOverlap] = [b, o];
      }
      clusterOf.set(l, clusterOf.get(best)!);
    }
    // A verb's -ed and -ing forms are that verb (added, completed, providing), whatever else they
    // gloss; a word the dictionary seldom uses as a verb has no such forms (even: evening).
    for (const l of group) {
      const base = inflectionBase(l, group);
      if (base && (verbCount.get(base) ?? 0) >= VERB_SHARE * (senseCount.get(base) ?? Infinity)) clusterOf.set(l, clusterOf.get(base)!);
    }
    const size = new Map<string, number>();
    for (const [l, r] of clusterOf) size.set(r, (size.get(r) ?? 0) + glossed.get(l)!);
    if (size.size < 2) continue;
    const dominant = [...size].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    // A cluster's name: its most used word (the group is sorted by use).
    const named = new Map<string, string>();
    for (const l of group) {
      const r = clusterOf.get(l)!;
      if (!named.has(r)) named.set(r, l);
    }
    for (const l of group) {
      const r = clusterOf.get(l)!;
      const key = r === dominant ? stem : `=${named.get(r)!}`;
      if (key !== stem) out[l] = key;
    }
  }
  return out;
}

/** Builds the bridge and English tables for one corpus vocabulary. */
export function buildLexiconTables(input: LexiconBuildInput): LexiconTables {
  const keyLines = new SortedLines(input.lexicon.keys);
  const holderLines = new SortedLines(input.lexicon.holders);
  const words = keyLines.size || 1;
  const keySets = new Map<string, Set<string>>();
  /** A headword's sense keys (empty when it has none). */
  const keysOfWord = (word: string) => {
    let set = keySets.get(word);
    if (!set) keySets.set(word, (set = new Set(keyLines.get(word)?.split("|") ?? [])));
    return set;
  };
  const holdersOf = new Map<string, string[]>();
  const holdersOfKey = (key: string) => {
    let list = holdersOf.get(key);
    if (!list) holdersOf.set(key, (list = holderLines.get(key)?.split("|") ?? []));
    return list;
  };
  const distinctiveness = (key: string) => {
    const n = holdersOfKey(key).length || words;
    return n > MAX_KEY_SHARE ? 0 : Math.log(words / n) / Math.log(words);
  };

  // Corpus terms by key: the targets a shared key can reach.
  const targetsByKey = new Map<string, string[]>();
  for (const term of input.corpusTerms) {
    if (!isHanWord(term) || input.stopWords.has(term)) continue;
    for (const key of keysOfWord(term)) {
      if (!distinctiveness(key)) continue;
      const list = targetsByKey.get(key);
      if (list) list.push(term);
      else targetsByKey.set(key, [term]);
    }
  }
  // Only a word holding one of those keys can bridge to the corpus.
  const sources = new Set<string>();
  for (const key of targetsByKey.keys()) for (const word of holdersOfKey(key)) sources.add(word);

  // A bridge is as strong as its most distinctive shared sense, times the share of the two words'
  // senses that agree (Jaccard): 老师/教师 "teacher" agree wholly; 今天/介绍 share only "present",
  // one sense among many, and are not synonyms.
  const bridges: BridgeTable = {};
  for (const word of [...sources].sort()) {
    if (input.stopWords.has(word)) continue;
    const keys = keysOfWord(word);
    const best = new Map<string, number>();
    for (const key of keys) {
      for (const target of targetsByKey.get(key) ?? []) {
        // A word's own sub-word or super-word is found by segmentation already.
        if (target === word || target.includes(word) || word.includes(target) || best.has(target)) continue;
        const other = keysOfWord(target);
        let shared = 0;
        let strongest = 0;
        for (const k of keys) {
          if (!other.has(k)) continue;
          shared++;
          strongest = Math.max(strongest, distinctiveness(k));
        }
        best.set(target, strongest * (shared / (keys.size + other.size - shared)));
      }
    }
    const kept = [...best].filter(([, w]) => w >= MIN_BRIDGE_WEIGHT).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, MAX_TARGETS);
    if (kept.length) bridges[word] = kept.map(([t, w]) => [t, round(w)]);
  }

  // The dictionary's abbreviations (社保 for 社会保险, 医保 for 医疗保险) name the same thing: a full
  // bridge either way to a form the corpus uses, before any gloss-shared word.
  for (const line of (input.lexicon.abbreviations ?? "").split("\n")) {
    const [word = "", other = ""] = line.split("\t");
    if (!word || input.stopWords.has(word)) continue;
    const forms = other.split("|").filter((f) => input.corpusTerms.has(f) && !input.stopWords.has(f));
    if (!forms.length) continue;
    const rest = (bridges[word] ?? []).filter(([t]) => !forms.includes(t));
    bridges[word] = [...forms.map((f) => [f, SAME_THING_BRIDGE] as [string, number]), ...rest].slice(0, MAX_TARGETS);
  }

  // A region's word for a thing (幼稚园 "kindergarten (Tw)", 国中 "junior high school (Tw)") names what
  // the words holding that sense unmarked name: a full bridge to those the corpus uses, after the
  // abbreviations' forms and before any gloss-shared word. (Read once: the English readings use it too.)
  const unmarked = new Map<string, string[]>();
  for (const line of (input.lexicon.regional ?? "").split("\n")) {
    const [word = "", other = ""] = line.split("\t");
    if (word && other) unmarked.set(word, other.split("|"));
  }
  for (const [word, words] of unmarked) {
    if (input.stopWords.has(word)) continue;
    const forms = words.filter((f) => input.corpusTerms.has(f) && !input.stopWords.has(f));
    if (!forms.length) continue;
    const known = bridges[word] ?? [];
    const rest = known.filter(([t, w]) => !forms.includes(t) && w >= SAME_THING_BRIDGE);
    const after = known.filter(([t, w]) => !forms.includes(t) && w < SAME_THING_BRIDGE);
    bridges[word] = [...rest, ...forms.map((f) => [f, SAME_THING_BRIDGE] as [string, number]), ...after].slice(0, MAX_TARGETS);
  }

  // English: a word (or two-word phrase) of a corpus term's short sense points at that term; the
  // fewer corpus terms share it, and the closer the sense is to being just that word, the stronger.
  const englishRaw = new Map<string, Map<string, number>>();
  const add = (key: string, term: string, weight: number) => {
    let map = englishRaw.get(key);
    if (!map) englishRaw.set(key, (map = new Map()));
    if (weight > (map.get(term) ?? 0)) map.set(term, weight);
  };
  const glossLines = new SortedLines(input.lexicon.glosses);
  for (const term of input.corpusTerms) {
    if (!isHanWord(term) || input.stopWords.has(term)) continue;
    // A word's first sense is what it usually means: later senses count less (引进 is "to
    // introduce; to import" long before it is "to recommend").
    for (const glossed of glossLines.get(term)?.split("|") ?? []) {
      const [at, ...content] = glossed.split(" ");
      const position = Number(at);
      const rank = 1 / (1 + 0.5 * position);
      // A word that is the whole sense ("education" of 教育) outweighs one word of a longer sense
      // ("moral education" of 德育).
      for (const w of content) add(w, term, content.length === 1 ? rank : rank / (content.length + 1));
      for (let i = 0; i + 1 < content.length; i++) add(`${content[i]} ${content[i + 1]}`, term, rank);
      if (content.length === 3) add(content.join(" "), term, rank);
    }
  }
  // A corpus compound the dictionary lacks (高水平, 公办园) is read from two parts the dictionary
  // has, each by one of its first two senses of one word: the two-word phrase only ("high
  // level"), never either word alone, and only where one split into two known parts exists.
  const partGlosses = (part: string) =>
    (glossLines.get(part)?.split("|") ?? [])
      .map((g) => g.split(" "))
      .filter((g) => g.length === 2 && Number(g[0]) < COMPOSED_SENSES)
      .map(([at, key]) => [key!, 1 / (1 + 0.5 * Number(at))] as const);
  for (const term of input.corpusTerms) {
    if (term.length < 3 || term.length > 4 || !isHanWord(term) || input.stopWords.has(term) || glossLines.get(term) !== undefined) continue;
    const splits: Array<[ReadonlyArray<readonly [string, number]>, ReadonlyArray<readonly [string, number]>]> = [];
    for (let cut = 1; cut < term.length; cut++) {
      const [head, tail] = [partGlosses(term.slice(0, cut)), partGlosses(term.slice(cut))];
      if (head.length && tail.length) splits.push([head, tail]);
    }
    if (splits.length !== 1) continue;
    const [head, tail] = splits[0]!;
    for (const [a, ra] of head) for (const [b, rb] of tail) if (a !== b) add(`${COMPOSED}${a} ${b}`, term, ra * rb * COMPOSED_WEIGHT);
  }
  // Pinyin loanwords of English (hukou, gaokao, xiaoban): the corpus words the romanisation reads,
  // as strong as a sole first-sense gloss, shared among the words it reads. Not where an English
  // gloss word has the key already, nor a place's name.
  const lemmaKeys: Record<string, string> = {};
  for (const line of (input.lexicon.lemmaKeys ?? "").split("\n")) {
    const [lemma = "", key = ""] = line.split("\t");
    if (lemma && key) lemmaKeys[lemma] = key;
  }
  for (const [roman, words] of Object.entries(input.wordRomanisations ?? {})) {
    if (input.placeRomanisations?.has(roman)) continue;
    const key = englishKey(roman, lemmaKeys);
    if (englishRaw.has(key)) continue;
    const targets = words.filter((w) => input.corpusTerms.has(w) && !input.stopWords.has(w));
    for (const term of targets) add(key, term, LOANWORD_WEIGHT);
  }
  // A region's word for a thing (幼稚园 "kindergarten (Tw)") is not an English word's reading beside the
  // unmarked word the corpus also uses for it (幼儿园): it would only find the names that keep it (贝尔幼稚园).
  for (const map of englishRaw.values()) {
    for (const term of [...map.keys()]) if (unmarked.get(term)?.some((u) => map.has(u))) map.delete(term);
  }
  const english: BridgeTable = {};
  for (const [key, map] of englishRaw) {
    const spread = Math.log(2 + map.size);
    const kept = [...map]
      .map(([t, w]) => [t, w / spread] as [string, number])
      .sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))
      .slice(0, MAX_TARGETS + 2);
    english[key] = kept.map(([t, w]) => [t, round(w)]);
  }
  // The question side keys its words as the glosses were keyed: the gloss words whose key is not
  // their stem, where either reaches the table (a word of a phrase key counts).
  const used = new Set(Object.keys(english).flatMap((k) => k.split(" ")));
  const englishLemmas: Record<string, string> = {};
  for (const [lemma, key] of Object.entries(lemmaKeys)) if (used.has(key) || used.has(stemmer(lemma))) englishLemmas[lemma] = key;
  return { bridges, english, englishLemmas };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A loanword's weight before the table's spread over its targets: a whole first sense's. */
const LOANWORD_WEIGHT = 1;

/**
 * English function words of questions (pronouns, auxiliaries, wh-words, quantifiers): the asked
 * attribute reads them; as search words they would map to whatever Chinese word glosses them.
 */
const QUESTION_STOP = new Set(
  "i me my mine we us our you your he him his she her they them their there here what which who whom whose when where why how many much any some do does did done can could would should will shall may might must is are was were am been being have has had please tell know let get there's it's i'm don't doesn't can't also just very really about".split(" "),
);

/**
 * English function words beyond the question's own (prepositions, determiners and quantifiers,
 * pronouns, conjunctions, sentence adverbs, discourse words): a closed class of the language. A
 * gloss table reads them as whatever Chinese word one of their senses glosses (even → 乃至, under
 * → 整治, against → 力戒, kind → 一路); they name no topic of their own, so they are searched only
 * inside a phrase that has a mapping (after school → 托班, free of charge).
 */
const FUNCTION_WORDS = new Set(
  ("after before under above below between among against around near since until till during through throughout within without across along " +
    "behind beyond toward towards upon via per than like unlike despite except inside outside onto " +
    "all both each every either neither another other others such same own few several more most less least enough " +
    "one ones someone somebody something anyone anybody anything everyone everybody everything nothing nobody none " +
    "itself themselves myself yourself ourselves himself herself whatever whichever whoever " +
    "but if whether because although though while whereas unless so nor yet then thus hence therefore however " +
    "even still already again ever never always often sometimes usually only too quite rather almost actually lately maybe perhaps anyway instead else later soon now " +
    "ok okay yes yeah thanks thank nice hi hello sure well kind sort lot lots thing things").split(" "),
);

/** One English word of a question: its gloss-table key, and whether it is searched on its own. */
export interface EnglishToken {
  key: string;
  /** False for function words: searched only inside a phrase. */
  alone: boolean;
}

/** English words of a question (lower case, keyed as the gloss table: englishKey), the question's function words left out. */
export function englishTokens(text: string, lemmaKeys?: LemmaKeys): EnglishToken[] {
  return (asQuantity(text.toLowerCase()).match(/[a-z]+(?:'[a-z]+)?/g) ?? [])
    .filter((w) => !QUESTION_STOP.has(w))
    .map((w) => w.replace(/'s$/, ""))
    .filter((w) => w.length > 1 && !GLOSS_STOP.has(w))
    .map((w) => ({ key: englishKey(w, lemmaKeys), alone: !FUNCTION_WORDS.has(w) }));
}

/**
 * A share asked as a quantity (what share of kindergartens, the percentage of students) is a proportion —
 * the noun, not the verb "to share" (共享) nor a word the dictionary has no corpus reading for
 * (percentage → 百分比): read as "proportion", whose readings (比例) are the corpus's words for it.
 */
const QUANTITY_SHARE = /\b(?:share|percentage|percent|ratio)(?=\s+of\b)|(?<=\b(?:what|which|the|a)\s+)(?:share|percentage|percent|ratio)\b/g;
function asQuantity(text: string): string {
  return text.replace(QUANTITY_SHARE, "proportion");
}

/** The keys of a question's English words that are searched on their own. */
export function englishWords(text: string, lemmaKeys?: LemmaKeys): string[] {
  return englishTokens(text, lemmaKeys).filter((t) => t.alone).map((t) => t.key);
}
