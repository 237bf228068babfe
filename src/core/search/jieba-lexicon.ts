import { fnv1a } from "./domain-dictionary.js";

/**
 * The jieba dictionary (word → frequency), its IDF table and its HMM, packed into one binary blob
 * that a Worker can load in a few milliseconds: no 350k-entry Map and no per-word strings; words
 * stay in one sorted string and are found by binary search. Runtime-neutral (typed arrays and
 * TextDecoder only).
 *
 * Layout (little-endian; every section starts at a multiple of 8):
 *   u32 header length │ header JSON │ words (UTF-16LE, sorted, "\n"-joined) │ u32 offsets[count+1] │
 *   f64 idf[count] (NaN = none) │ u32 freq[count] (0 = not a segmentation word) │
 *   f64 emit[4 × emitChars] (HMM emission log probabilities, NaN = none)
 */

export const LEXICON_FORMAT = "jieba-lexicon-2";

/** cppjieba's HMM (states B, E, M, S): log probabilities. */
export interface HmmModel {
  start: number[];
  trans: number[][];
  /** One map per state: character → log emission probability. */
  emit: Array<Record<string, number>>;
}

/** The HMM as the segmenter reads it: emission by character index. */
export interface PackedHmm {
  start: number[];
  trans: number[][];
  /** Character → column in `emit`. */
  charIndex: Map<string, number>;
  /** emit[state * chars + column]; NaN when the state never emits the character. */
  emit: Float64Array;
  chars: number;
}

export interface LexiconEntry {
  word: string;
  /** Dictionary frequency; 0 when the word is only in the IDF table. */
  freq: number;
  idf?: number;
}

interface LexiconHeader {
  format: string;
  /** Hash of the words, frequencies, IDF values and HMM: part of the segmenter id. */
  version: string;
  count: number;
  /** Length of the words string in UTF-16 units. */
  wordsUnits: number;
  /** Sum of the dictionary frequencies (cppjieba's freq_sum_). */
  freqSum: number;
  /** Lowest and median log weight of dictionary words (cppjieba's min_weight_, median_weight_). */
  minWeight: number;
  medianWeight: number;
  hmm: { start: number[]; trans: number[][]; emitChars: string };
}

export class JiebaLexicon {
  /** First UTF-16 unit → [lo, hi, longest word length] of the words starting with it. */
  private readonly ranges = new Map<number, [number, number, number]>();

  private constructor(
    private readonly header: LexiconHeader,
    private readonly words: string,
    private readonly offsets: Uint32Array,
    private readonly idfs: Float64Array,
    private readonly freqs: Uint32Array,
    readonly hmm: PackedHmm,
  ) {
    let first = -1;
    let range: [number, number, number] = [0, 0, 0];
    for (let i = 0; i < header.count; i++) {
      const unit = words.charCodeAt(offsets[i]!);
      const length = offsets[i + 1]! - offsets[i]! - 1;
      if (unit !== first) {
        first = unit;
        range = [i, i + 1, length];
        this.ranges.set(unit, range);
      } else {
        range[1] = i + 1;
        if (length > range[2]) range[2] = length;
      }
    }
  }

  get version(): string {
    return this.header.version;
  }
  get freqSum(): number {
    return this.header.freqSum;
  }
  get minWeight(): number {
    return this.header.minWeight;
  }
  get medianWeight(): number {
    return this.header.medianWeight;
  }
  get size(): number {
    return this.header.count;
  }

  /** Longest word (UTF-16 units) that starts with this unit; 0 when none does. */
  longestFrom(firstUnit: number): number {
    return this.ranges.get(firstUnit)?.[2] ?? 0;
  }

  private indexOf(word: string): number {
    const range = this.ranges.get(word.charCodeAt(0));
    if (!range) return -1;
    let lo = range[0];
    let hi = range[1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const candidate = this.words.slice(this.offsets[mid]!, this.offsets[mid + 1]! - 1);
      if (candidate === word) return mid;
      if (candidate < word) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Dictionary frequency of a word (0 when it is not a dictionary word). */
  freq(word: string): number {
    const i = this.indexOf(word);
    return i < 0 ? 0 : this.freqs[i]!;
  }

  /** IDF of a word from cppjieba's idf.utf8, or undefined. */
  idf(word: string): number | undefined {
    const i = this.indexOf(word);
    if (i < 0) return undefined;
    const v = this.idfs[i]!;
    return Number.isNaN(v) ? undefined : v;
  }

  /** Packs entries (any order) and an HMM into the blob format. */
  static encode(entries: LexiconEntry[], hmm: HmmModel): Uint8Array {
    const sorted = [...entries].sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    const words = sorted.map((e) => e.word).join("\n");
    const dict = sorted.filter((e) => e.freq > 0);
    let freqSum = 0;
    for (const e of dict) freqSum += e.freq;
    const weights = dict.map((e) => Math.log(e.freq / freqSum)).sort((a, b) => a - b);
    const emitChars = [...new Set(hmm.emit.flatMap((m) => Object.keys(m)))].sort();
    let hash = fnv1a(words);
    for (const e of sorted) hash = fnv1a(`${e.freq}:${e.idf ?? ""}`, hash);
    hash = fnv1a(JSON.stringify(hmm), hash);
    const header: LexiconHeader = {
      format: LEXICON_FORMAT,
      version: hash.toString(16),
      count: sorted.length,
      wordsUnits: words.length,
      freqSum,
      minWeight: weights[0] ?? 0,
      medianWeight: weights[weights.length >> 1] ?? 0,
      hmm: { start: hmm.start, trans: hmm.trans, emitChars: emitChars.join("") },
    };
    const headerBytes = new TextEncoder().encode(JSON.stringify(header));
    const layout = sections(headerBytes.length, header, emitChars.length);
    const out = new Uint8Array(layout.end);
    new DataView(out.buffer).setUint32(0, headerBytes.length, true);
    out.set(headerBytes, 4);
    const units = new Uint16Array(out.buffer, layout.words, words.length);
    for (let i = 0; i < words.length; i++) units[i] = words.charCodeAt(i);
    const offsets = new Uint32Array(out.buffer, layout.offsets, sorted.length + 1);
    const idfs = new Float64Array(out.buffer, layout.idfs, sorted.length);
    const freqs = new Uint32Array(out.buffer, layout.freqs, sorted.length);
    let at = 0;
    sorted.forEach((e, i) => {
      offsets[i] = at;
      at += e.word.length + 1;
      idfs[i] = e.idf ?? Number.NaN;
      freqs[i] = e.freq;
    });
    offsets[sorted.length] = at;
    const emit = new Float64Array(out.buffer, layout.emit, 4 * emitChars.length);
    hmm.emit.forEach((map, state) => emitChars.forEach((ch, c) => (emit[state * emitChars.length + c] = map[ch] ?? Number.NaN)));
    return out;
  }

  /**
   * Reads a blob made by `encode`; refuses another format. The columns are views on the blob unless
   * `copy` is set: then they are copied out and the blob — whose words section is held again as a
   * string — can be freed (2.9 MB less for as long as the lexicon lives; for a blob nobody shares).
   */
  static decode(blob: ArrayBuffer | Uint8Array, options: { copy?: boolean } = {}): JiebaLexicon {
    let bytes = blob instanceof Uint8Array ? blob : new Uint8Array(blob);
    // Typed views need an aligned start: copy once if the caller's view is not.
    if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as LexiconHeader;
    if (header.format !== LEXICON_FORMAT) throw new Error(`unsupported lexicon format ${String(header.format)}`);
    const chars = [...header.hmm.emitChars];
    const layout = sections(headerLength, header, chars.length);
    if (bytes.byteLength < layout.end) throw new Error("lexicon blob is truncated");
    const at = (offset: number) => bytes.byteOffset + offset;
    const own = <T extends Uint32Array | Float64Array>(view: T): T => (options.copy ? (view.slice() as T) : view);
    const words = new TextDecoder("utf-16le").decode(new Uint16Array(bytes.buffer, at(layout.words), header.wordsUnits));
    const hmm: PackedHmm = {
      start: header.hmm.start,
      trans: header.hmm.trans,
      charIndex: new Map(chars.map((ch, i) => [ch, i])),
      emit: own(new Float64Array(bytes.buffer, at(layout.emit), 4 * chars.length)),
      chars: chars.length,
    };
    return new JiebaLexicon(
      header,
      words,
      own(new Uint32Array(bytes.buffer, at(layout.offsets), header.count + 1)),
      own(new Float64Array(bytes.buffer, at(layout.idfs), header.count)),
      own(new Uint32Array(bytes.buffer, at(layout.freqs), header.count)),
      hmm,
    );
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function sections(headerLength: number, header: LexiconHeader, emitChars: number) {
  const words = align8(4 + headerLength);
  const offsets = align8(words + header.wordsUnits * 2);
  const idfs = align8(offsets + (header.count + 1) * 4);
  const freqs = idfs + header.count * 8;
  const emit = align8(freqs + header.count * 4);
  return { words, offsets, idfs, freqs, emit, end: emit + 4 * emitChars * 8 };
}
