/**
 * The k best of a stream of (score, key) entries with distinct keys: a higher score is better, and
 * among equal scores the smaller key. A binary heap whose root is the worst entry kept, so an entry
 * that does not get in costs one comparison and one that does O(log k) — not the O(k) of inserting
 * into a sorted array, which at 100,000 passages and a few hundred candidates was half of a
 * keyword search. The lists it returns are exactly those of a sorted insertion with the same rule.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly keys: Float64Array;
  private size = 0;

  private readonly k: number;

  constructor(k: number) {
    this.k = Math.max(0, Math.floor(k));
    this.scores = new Float64Array(this.k);
    this.keys = new Float64Array(this.k);
  }

  /** Whether an entry would be kept: ask before a costly test (a filter) of one that would not. */
  admits(score: number, key: number): boolean {
    if (this.size < this.k) return true;
    if (this.k === 0) return false;
    const worst = this.scores[0]!;
    return score > worst || (score === worst && key < this.keys[0]!);
  }

  /** Keeps the entry if it is among the k best so far (call `admits` first, or rely on it here). */
  push(score: number, key: number): void {
    if (!this.admits(score, key)) return;
    const { scores, keys } = this;
    if (this.size < this.k) {
      // Sift up from the new leaf: the parent moves down while the entry is worse than it.
      let at = this.size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(score, key, scores[parent]!, keys[parent]!)) break;
        scores[at] = scores[parent]!;
        keys[at] = keys[parent]!;
        at = parent;
      }
      scores[at] = score;
      keys[at] = key;
      return;
    }
    // Replace the worst (the root) and sift down: the worse child moves up while it is worse than the entry.
    let at = 0;
    const n = this.size;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && worse(scores[right]!, keys[right]!, scores[left]!, keys[left]!) ? right : left;
      if (!worse(scores[child]!, keys[child]!, score, key)) break;
      scores[at] = scores[child]!;
      keys[at] = keys[child]!;
      at = child;
    }
    scores[at] = score;
    keys[at] = key;
  }

  /** The entries kept, best first; the heap is emptied. */
  drain(): Array<{ score: number; key: number }> {
    const out: Array<{ score: number; key: number }> = [];
    for (let i = 0; i < this.size; i++) out.push({ score: this.scores[i]!, key: this.keys[i]! });
    this.size = 0;
    return out.sort((a, b) => b.score - a.score || a.key - b.key);
  }
}

/** Whether entry a ranks below entry b. */
function worse(aScore: number, aKey: number, bScore: number, bKey: number): boolean {
  return aScore < bScore || (aScore === bScore && aKey > bKey);
}
