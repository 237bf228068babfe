/**
 * Postings held as the low 16 bits of their labels, in blocks of 65,536 labels: key k's labels in
 * block h are `h·65,536 + lows[i]` for i in `starts[k·B + h] … starts[k·B + h + 1]` (B blocks),
 * ascending. The BM25 keyword index (terms → documents) and the sparse vector index (features →
 * rows) both hold their postings this way (2 bytes a label instead of 4); their files keep plain
 * 32-bit labels, which `plainLabelParts` gives back.
 */

/** Labels are held as their low this many bits. */
export const BLOCK_BITS = 16;

/** Blocks of 65,536 labels needed for `size` labels (at least one, so every key has a start and an end). */
export function blockCount(size: number): number {
  return Math.max(1, Math.ceil(size / (1 << BLOCK_BITS)));
}

/**
 * Every posting's full label, key by key and ascending within a key, in parts of `partSize` labels
 * (the last part shorter), so that a writer can stream them without one array of all of them.
 */
export function* plainLabelParts(starts: Uint32Array, lows: Uint16Array, keys: number, blocks: number, partSize: number): Generator<Uint32Array> {
  const total = lows.length;
  let part = new Uint32Array(Math.min(total, partSize));
  let filled = 0;
  for (let k = 0; k < keys; k++) {
    for (let h = 0; h < blocks; h++) {
      const high = h << BLOCK_BITS;
      for (let i = starts[k * blocks + h]!, end = starts[k * blocks + h + 1]!; i < end; i++) {
        part[filled++] = high | lows[i]!;
        if (filled === part.length) {
          yield part;
          part = new Uint32Array(Math.min(total - i - 1, partSize));
          filled = 0;
        }
      }
    }
  }
}

/**
 * Where an index's large typed arrays get their memory: a plain ArrayBuffer by default, a
 * SharedArrayBuffer when a Node server shares one loaded index with its answer threads (the
 * arrays are then handed over by reference, not copied; see src/node/shared-index.ts).
 */
export type AllocateBuffer = (byteLength: number) => ArrayBuffer | SharedArrayBuffer;

export const allocatePlain: AllocateBuffer = (byteLength) => new ArrayBuffer(byteLength);
