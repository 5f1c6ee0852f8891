import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/realtime/rate-limit.js';

describe('the per-connection token bucket', () => {
  it('allows a burst, then answers with the wait until the next token', () => {
    let now = 0;
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(500);
    now = 499;
    expect(bucket.take()).toBeGreaterThan(0);
    now = 1000;
    expect(bucket.take()).toBe(0);
    now = 60_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0, 500]);
  });
});
