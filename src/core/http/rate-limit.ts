/**
 * Per-client token buckets: `perMinute` answers a minute, refilled continuously, with a burst of the
 * same size. In memory and per process (one Node server, or one Worker isolate), which is the honest
 * scope for a single-instance deployment; the table is bounded so a flood of spoofed addresses cannot
 * grow it without limit.
 */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one more request would be allowed (for Retry-After). */
  retryAfterSeconds: number;
  remaining: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();
  private readonly refillPerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly maxClients = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = perMinute / 60_000;
  }

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  take(client: string): RateDecision {
    if (!this.enabled) return { allowed: true, retryAfterSeconds: 0, remaining: Infinity };
    const now = this.now();
    let bucket = this.buckets.get(client);
    if (bucket) {
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updated) * this.refillPerMs);
      bucket.updated = now;
      // Re-insert so Map order is least-recently-used first, for eviction.
      this.buckets.delete(client);
    } else {
      bucket = { tokens: this.perMinute, updated: now };
      if (this.buckets.size >= this.maxClients) this.evict(now);
    }
    this.buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000)), remaining: 0 };
  }

  /** Drops full buckets (idle clients) first, then the least recently seen. */
  private evict(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.updated) * this.refillPerMs >= this.perMinute) this.buckets.delete(key);
    }
    while (this.buckets.size >= this.maxClients) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
