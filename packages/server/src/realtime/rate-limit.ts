/**
 * A token bucket per connection: `burst` events at once, refilled at `perSecond`. A client
 * over its budget gets `rate_limited` with a retry time; its connection and its other work
 * carry on.
 */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    this.tokens = limit.burst;
    this.last = now();
  }

  /** Takes one token; returns 0 when allowed, or the milliseconds until one is available. */
  take(): number {
    const t = this.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((t - this.last) / 1000) * this.limit.perSecond);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.limit.perSecond) * 1000);
  }
}

/**
 * Token buckets keyed by a string (a client address): for HTTP endpoints worth guessing at,
 * like login. Idle keys are dropped so the map cannot grow without bound.
 */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; seen: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  /** 0 when allowed, else milliseconds until the next attempt may go. */
  take(key: string): number {
    const t = this.now();
    let entry = this.buckets.get(key);
    if (!entry) {
      if (this.buckets.size >= this.maxKeys) this.evict(t);
      entry = { bucket: new TokenBucket(this.limit, this.now), seen: t };
      this.buckets.set(key, entry);
    }
    entry.seen = t;
    return entry.bucket.take();
  }

  private evict(t: number): void {
    const idleMs = (this.limit.burst / this.limit.perSecond) * 1000;
    for (const [key, entry] of this.buckets) if (t - entry.seen > idleMs) this.buckets.delete(key);
    // Still full of active keys: drop the oldest rather than grow.
    if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}
