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

/** The same lexicon in fewer bytes, for a copy that travels (`encodeCompact`). */
export const LEXICON_COMPACT_FORMAT = "jieba-lexicon-2-compact";

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

/** The compact form's header: the blob's, and the sizes of its value tables. */
interface CompactHeader extends Omit<LexiconHeader, "format"> {
  format: typeof LEXICON_COMPACT_FORMAT;
  idfValues: number;
  freqValues: number;
  /** Bytes per IDF and frequency code: 2, or 4 past 65,536 distinct values. */
  codeBytes: 2 | 4;
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
    private readonly idfs: Column<Float64Array>,
    private readonly freqs: Column<Uint32Array>,
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
    return i < 0 ? 0 : valueAt(this.freqs, i);
  }

  /** IDF of a word from cppjieba's idf.utf8, or undefined. */
  idf(word: string): number | undefined {
    const i = this.indexOf(word);
    if (i < 0) return undefined;
    const v = valueAt(this.idfs, i);
    return Number.isNaN(v) ? undefined : v;
  }

  /**
   * The lexicon in fewer bytes, for a copy that travels (the Worker reads it from D1 as gzip +
   * base64 text at every cold start): no offsets — the words are "\n"-joined, one scan finds them
   * again — and the IDF and frequency columns as codes into their distinct values (2,964 and 5,088
   * in the cppjieba dictionary). The cppjieba lexicon gzips to 2.2 MB instead of 3.4 MB, and half
   * as many bytes come out of gunzip. `decodeCompact` gives back the same lexicon (every word's
   * IDF and frequency) and keeps the codes: 3 MB less in the isolate that holds it.
   *
   * Layout (little-endian; every section starts at a multiple of 8): u32 header length │ header
   * JSON │ words (UTF-16LE) │ f64 IDF values │ u32 frequency values │ IDF codes[count] │
   * frequency codes[count] │ f64 emit[4 × emitChars].
   */
  encodeCompact(): Uint8Array {
    const { count } = this.header;
    const dictionary = <T extends Float64Array | Uint32Array>(column: Column<T>, make: (n: number) => T) => {
      const ids = new Map<number, number>();
      const codes = new Uint32Array(count);
      // NaN (no IDF) is one key: Map keys compare by SameValueZero.
      for (let i = 0; i < count; i++) {
        const value = valueAt(column, i);
        let id = ids.get(value);
        if (id === undefined) ids.set(value, (id = ids.size));
        codes[i] = id;
      }
      const values = make(ids.size);
      for (const [value, id] of ids) values[id] = value;
      return { codes, values };
    };
    const idf = dictionary(this.idfs, (n) => new Float64Array(n));
    const freq = dictionary(this.freqs, (n) => new Uint32Array(n));
    const codeBytes = Math.max(idf.values.length, freq.values.length) <= 1 << 16 ? 2 : 4;
    const header: CompactHeader = { ...this.header, format: LEXICON_COMPACT_FORMAT, idfValues: idf.values.length, freqValues: freq.values.length, codeBytes };
    const headerBytes = new TextEncoder().encode(JSON.stringify(header));
    const layout = compactSections(headerBytes.length, header, this.hmm.chars);
    const out = new Uint8Array(layout.end);
    new DataView(out.buffer).setUint32(0, headerBytes.length, true);
    out.set(headerBytes, 4);
    const units = new Uint16Array(out.buffer, layout.words, this.words.length);
    for (let i = 0; i < this.words.length; i++) units[i] = this.words.charCodeAt(i);
    new Float64Array(out.buffer, layout.idfValues, idf.values.length).set(idf.values);
    new Uint32Array(out.buffer, layout.freqValues, freq.values.length).set(freq.values);
    const Codes = codeBytes === 2 ? Uint16Array : Uint32Array;
    new Codes(out.buffer, layout.idfCodes, count).set(idf.codes);
    new Codes(out.buffer, layout.freqCodes, count).set(freq.codes);
    new Float64Array(out.buffer, layout.emit, this.hmm.emit.length).set(this.hmm.emit);
    return out;
  }

  /** Reads what `encodeCompact` wrote; refuses another format, a short blob and a code out of range. */
  static decodeCompact(blob: Uint8Array): JiebaLexicon {
    const bytes = blob.byteOffset % 8 === 0 ? blob : blob.slice();
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as CompactHeader;
    if (header.format !== LEXICON_COMPACT_FORMAT) throw new Error(`unsupported compact lexicon format ${String(header.format)}`);
    const chars = [...header.hmm.emitChars];
    const layout = compactSections(headerLength, header, chars.length);
    if (bytes.byteLength < layout.end) throw new Error("compact lexicon is truncated");
    const at = (offset: number) => bytes.byteOffset + offset;
    const { count } = header;
    const units = new Uint16Array(bytes.buffer, at(layout.words), header.wordsUnits);
    // Each word but the last ends with "\n": a word starts one past the previous one's end.
    const offsets = new Uint32Array(count + 1);
    let n = 0;
    for (let i = 0; i < units.length; i++) if (units[i] === 10 && n < count) offsets[++n] = i + 1;
    if (n !== count - 1) throw new Error(`compact lexicon: ${n + 1} words, header says ${count}`);
    offsets[count] = units.length + 1;
    const words = new TextDecoder("utf-16le").decode(units);
    const codes = (offset: number) => (header.codeBytes === 2 ? new Uint16Array(bytes.buffer, at(offset), count) : new Uint32Array(bytes.buffer, at(offset), count));
    const idfValues = new Float64Array(bytes.buffer, at(layout.idfValues), header.idfValues);
    const freqValues = new Uint32Array(bytes.buffer, at(layout.freqValues), header.freqValues);
    const idfCodes = codes(layout.idfCodes);
    const freqCodes = codes(layout.freqCodes);
    let highest = 0;
    for (let i = 0; i < count; i++) highest |= (idfCodes[i]! >= idfValues.length ? 1 : 0) | (freqCodes[i]! >= freqValues.length ? 1 : 0);
    if (highest) throw new Error("compact lexicon: a code past its value table");
    // Held as codes: 2 bytes a word for each column instead of 8 and 4 (3 MB less in an isolate).
    const idfs = { values: idfValues.slice(), codes: idfCodes.slice() };
    const freqs = { values: freqValues.slice(), codes: freqCodes.slice() };
    const hmm: PackedHmm = {
      start: header.hmm.start,
      trans: header.hmm.trans,
      charIndex: new Map(chars.map((ch, i) => [ch, i])),
      emit: new Float64Array(bytes.buffer, at(layout.emit), 4 * chars.length).slice(),
      chars: chars.length,
    };
    const { idfValues: _idf, freqValues: _freq, codeBytes: _bytes, ...plain } = header;
    return new JiebaLexicon({ ...plain, format: LEXICON_FORMAT }, words, offsets, idfs, freqs, hmm);
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
      { values: own(new Float64Array(bytes.buffer, at(layout.idfs), header.count)) },
      { values: own(new Uint32Array(bytes.buffer, at(layout.freqs), header.count)) },
      hmm,
    );
  }
}

/** A column of the lexicon: one value per word, or codes into its distinct values (the compact form). */
interface Column<T extends Float64Array | Uint32Array> {
  values: T;
  codes?: Uint16Array | Uint32Array;
}

function valueAt<T extends Float64Array | Uint32Array>(column: Column<T>, i: number): number {
  return column.codes ? column.values[column.codes[i]!]! : column.values[i]!;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function compactSections(headerLength: number, header: CompactHeader, emitChars: number) {
  const words = align8(4 + headerLength);
  const idfValues = align8(words + header.wordsUnits * 2);
  const freqValues = align8(idfValues + header.idfValues * 8);
  const idfCodes = align8(freqValues + header.freqValues * 4);
  const freqCodes = align8(idfCodes + header.count * header.codeBytes);
  const emit = align8(freqCodes + header.count * header.codeBytes);
  return { words, idfValues, freqValues, idfCodes, freqCodes, emit, end: emit + 4 * emitChars * 8 };
}

function sections(headerLength: number, header: LexiconHeader, emitChars: number) {
  const words = align8(4 + headerLength);
  const offsets = align8(words + header.wordsUnits * 2);
  const idfs = align8(offsets + (header.count + 1) * 4);
  const freqs = idfs + header.count * 8;
  const emit = align8(freqs + header.count * 4);
  return { words, offsets, idfs, freqs, emit, end: emit + 4 * emitChars * 8 };
}
