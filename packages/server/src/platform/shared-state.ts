import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisClient } from './redis.js';

/** At most `points` attempts per `perSeconds` seconds for one key (a client address). */
export interface WindowLimit {
  points: number;
  perSeconds: number;
}

export interface LimitState {
  allowed: boolean;
  /** Attempts left in this window. */
  remaining: number;
  /** Milliseconds until the window starts afresh. */
  resetMs: number;
}

export interface KeyedLimiter {
  readonly limit: WindowLimit;
  /** Counts one attempt: 0 when allowed, else the milliseconds until the next one may go. */
  take(key: string): Promise<number>;
  /** Counts one attempt and says where the key stands (for RateLimit headers). */
  consume(key: string): Promise<LimitState>;
  /** Without counting: 0 when an attempt would be allowed, else the milliseconds to wait. */
  peek(key: string): Promise<number>;
}

/**
 * State that must hold across every node of a cluster: per-address limits, "once per window"
 * claims and small expiring sets. One node keeps it in memory; several share it in Redis
 * (chosen by configuration: REDIS_URL). Nothing here is durable; it may be lost with Redis.
 */
export interface SharedState {
  readonly kind: 'memory' | 'redis';
  /** A limiter named `name` (its keys are apart from every other limiter's). */
  limiter(name: string, limit: WindowLimit): KeyedLimiter;
  /**
   * Claims `key` for `ttlMs`: true for the one caller (on any node) that got it, false while
   * the claim holds. For "at most once per window" work: an audit record, a warning.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Adds `member` to the set at `key` and answers how many members it holds. The set expires
   * `ttlMs` after its first member; it keeps at most `cap` members (later ones are not added).
   */
  addToSet(key: string, member: string, ttlMs: number, cap: number): Promise<number>;
}

/** Wraps a rate-limiter-flexible limiter (memory or Redis) in our interface. */
function keyed(limiter: RateLimiterAbstract, limit: WindowLimit): KeyedLimiter {
  const consume = (key: string): Promise<LimitState> =>
    limiter.consume(key).then(
      (res) => ({ allowed: true, remaining: res.remainingPoints, resetMs: res.msBeforeNext }),
      (res: unknown) => {
        if (!(res instanceof RateLimiterRes)) throw res; // not a refusal: a store error
        return { allowed: false, remaining: 0, resetMs: Math.max(1, res.msBeforeNext) };
      },
    );
  return {
    limit,
    consume,
    take: (key) => consume(key).then((s) => (s.allowed ? 0 : s.resetMs)),
    peek: (key) =>
      limiter.get(key).then(
        (res) => (res && res.consumedPoints >= limit.points ? Math.max(1, res.msBeforeNext) : 0),
        // The store is unreachable: do not lock anyone out on that account (consume still counts).
        () => 0,
      ),
  };
}

/**
 * One node: everything in this process's memory. Bounded: expired entries are swept as new
 * ones come, and past `maxKeys` the oldest go first.
 */
export class MemorySharedState implements SharedState {
  readonly kind = 'memory' as const;
  private readonly claims = new Map<string, number>();
  private readonly sets = new Map<string, { expiresAt: number; members: Set<string> }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 50_000,
  ) {}

  limiter(name: string, limit: WindowLimit): KeyedLimiter {
    return keyed(new RateLimiterMemory({ keyPrefix: name, points: limit.points, duration: limit.perSeconds }), limit);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const t = this.now();
    const until = this.claims.get(key);
    if (until !== undefined && until > t) return false;
    this.claims.delete(key);
    this.bound(this.claims, (v) => v <= t);
    this.claims.set(key, t + ttlMs);
    return true;
  }

  async addToSet(key: string, member: string, ttlMs: number, cap: number): Promise<number> {
    const t = this.now();
    let entry = this.sets.get(key);
    if (!entry || entry.expiresAt <= t) {
      this.sets.delete(key);
      this.bound(this.sets, (v) => v.expiresAt <= t);
      entry = { expiresAt: t + ttlMs, members: new Set() };
      this.sets.set(key, entry);
    }
    if (entry.members.size < cap) entry.members.add(member);
    return entry.members.size;
  }

  /**
   * Makes room for more keys once the map is full. A map's order is insertion order, and
   * entries are re-inserted when renewed, so the expired ones are at the front: sweep them from
   * there, stopping at the first live one, then drop the oldest down to nine tenths of the
   * bound. Freeing a tenth at a time keeps this O(1) per key: a full map swept on every new key
   * (as before) cost O(keys) per message, and so does even a walk to the first entry, past the
   * holes that deletions leave until the map is rehashed.
   */
  private bound<V>(map: Map<string, V>, expired: (v: V) => boolean): void {
    if (map.size < this.maxKeys) return;
    const target = Math.floor(this.maxKeys * 0.9);
    for (const [k, v] of map) {
      if (map.size <= target && !expired(v)) break;
      map.delete(k);
    }
  }
}

/**
 * Several nodes: the state lives in Redis, so a limit holds across the cluster. While Redis is
 * unreachable each node falls back to its own memory (limits then hold per node) rather than
 * refusing everyone or letting everyone through; /readyz reports the outage meanwhile.
 */
export class RedisSharedState implements SharedState {
  readonly kind = 'redis' as const;
  private readonly fallback: MemorySharedState;

  /** `prefix` keeps this deployment's keys apart from others sharing the Redis (REDIS_PREFIX). */
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    now: () => number = Date.now,
  ) {
    this.fallback = new MemorySharedState(now);
  }

  limiter(name: string, limit: WindowLimit): KeyedLimiter {
    const options = { keyPrefix: `${this.prefix}${name}`, points: limit.points, duration: limit.perSeconds };
    const limiter = new RateLimiterRedis({
      ...options,
      storeClient: this.redis,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
    return keyed(limiter, limit);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (!this.redis.isReady) return this.fallback.claim(key, ttlMs);
    try {
      return (await this.redis.set(`${this.prefix}${key}`, '1', { NX: true, PX: ttlMs })) === 'OK';
    } catch {
      return this.fallback.claim(key, ttlMs);
    }
  }

  async addToSet(key: string, member: string, ttlMs: number, cap: number): Promise<number> {
    if (!this.redis.isReady) return this.fallback.addToSet(key, member, ttlMs, cap);
    const k = `${this.prefix}${key}`;
    try {
      // Add only while under the cap (a cheap check, racy by a few members at most), then
      // start the expiry with the set's first member (NX keeps an existing one).
      const size = await this.redis.sCard(k);
      if (size >= cap) return size;
      const [, , count] = await this.redis.multi().sAdd(k, member).pExpire(k, ttlMs, 'NX').sCard(k).exec();
      return Number(count);
    } catch {
      return this.fallback.addToSet(key, member, ttlMs, cap);
    }
  }
}
