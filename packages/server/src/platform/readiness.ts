import type { Store } from '../store/index.js';
import { type RedisClient, redisNotReadyReason } from './redis.js';

/** How long one readiness probe may wait on the store or Redis before calling it unreachable. */
const PROBE_TIMEOUT_MS = 2000;

function withTimeout(probe: Promise<string | undefined>, what: string): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    probe,
    new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Whether this node should get traffic (/readyz): its store answers and has every migration,
 * Redis answers (when configured), and it is not draining for a shutdown. Liveness (/healthz)
 * is apart: a node that is alive but not ready is left running and taken out of rotation.
 */
export class Readiness {
  private drainingSince: Date | undefined;

  constructor(
    private readonly store: Store,
    private readonly redis: RedisClient | undefined,
  ) {}

  /** From now on the node answers 503 to readiness probes, so balancers stop sending it work. */
  drain(now: Date): void {
    this.drainingSince ??= now;
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Every reason this node is not ready; empty when it is. */
  async reasons(): Promise<string[]> {
    const probes = [withTimeout(this.store.notReadyReason(), 'the database')];
    if (this.redis) probes.push(withTimeout(redisNotReadyReason(this.redis, PROBE_TIMEOUT_MS), 'Redis'));
    const reasons = (await Promise.all(probes)).filter((r): r is string => r !== undefined);
    if (this.drainingSince) reasons.unshift('draining: shutting down');
    return reasons;
  }
}
