import type { Logger } from 'pino';
import type { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

/** Redis could not be reached at start: the message says where and why. */
export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

/** Where a Redis URL points, without its password: for messages and logs. */
export function redisAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the configured REDIS_URL';
  }
}

export interface RedisOptions {
  /** How long to wait for the first connection before giving up. Default 10 s. */
  connectTimeoutMs?: number;
}

/**
 * Connects to Redis, or fails after a bounded wait with a message naming the address (the
 * client alone would retry forever, and the server would hang without ever listening).
 *
 * Once connected, a lost connection is retried for as long as it takes (back-off up to 2 s);
 * commands issued meanwhile wait in the client's queue, bounded so an outage cannot fill the
 * memory. The loss and the recovery are logged once each; /readyz reports the outage.
 */
export async function connectRedis(url: string, log: Logger, options: RedisOptions = {}): Promise<RedisClient> {
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const where = redisAddress(url);
  // Loaded only when Redis is configured: node-redis subclasses String (its RESP
  // VerbatimString), and on V8 12 (Node 20) that alone makes every string method such as
  // charCodeAt several times slower in the whole process (screening slows ~1.7×). A single
  // node never pays for it; see docs and the test that guards it.
  const { createClient } = await import('redis');
  const client = createClient({
    url,
    socket: {
      connectTimeout: Math.min(timeoutMs, 5000),
      reconnectStrategy: (retries) => Math.min(100 * 2 ** Math.min(retries, 5), 2000),
    },
    commandsQueueMaxLength: 10_000,
  });
  let lastError: Error | undefined;
  let up = false;
  client.on('error', (err: Error) => {
    lastError = err;
    if (up) {
      up = false;
      log.error({ err, redis: where }, 'lost the connection to Redis; retrying');
    }
  });
  client.on('ready', () => {
    if (lastError && !up) log.info({ redis: where }, 'connected to Redis again');
    up = true;
  });

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new RedisUnreachableError(
            `could not reach Redis at ${where} within ${Math.round(timeoutMs / 1000)} s${
              lastError ? ` (${lastError.message || lastError.name})` : ''
            }: check REDIS_URL and that Redis is running`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([client.connect(), timedOut]);
    return client;
  } catch (err) {
    client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Undefined when Redis answers a PING within `timeoutMs`, else why not. */
export async function redisNotReadyReason(client: RedisClient, timeoutMs = 1000): Promise<string | undefined> {
  if (!client.isReady) return 'Redis unreachable: reconnecting';
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to PING within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return undefined;
  } catch (err) {
    return `Redis unreachable: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}
