/**
 * A small LRU of recent answers. Hotline and citizen questions repeat heavily ("幼升小什么时候报名"),
 * and an answer is a pure function of (index build, question, history, composer mode), so repeating
 * the work buys nothing. The key includes the build id: a re-ingest never serves an old answer.
 */
export class AnswerCache<V> {
  private readonly entries = new Map<string, V>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
