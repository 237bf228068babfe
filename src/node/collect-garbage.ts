/**
 * Full collections after an index is loaded or replaced, when node runs with --expose-gc
 * (`npm start`; the flag is process-wide, so answer threads have `gc` too). A load leaves its files'
 * JSON texts and parsed passages behind (≈ 90 MB at 100,000 passages), and a replaced index its
 * arrays and passages; a main thread that only routes requests, or an answer thread whose answers
 * die young, allocates too little to reach V8's next major collection for hours, and the shared
 * memory of a replaced index is returned only once every thread holding it has collected it.
 *
 * Two collections, not one: the first frees the load's objects but V8 keeps the pages they lay on
 * (100k passages, main thread: heap 161 → 157 MB, 29 MB of it live); the second, with nothing left
 * to mark, compacts and gives them back (→ 65 MB, RSS idle 530 → 439 MB) for ≈ 20 ms more.
 */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}
