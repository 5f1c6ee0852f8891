import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseMasterKey } from './store/crypto.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Prefix of this deployment's keys in Redis. */
  redisPrefix: string;
  /** Deliver webhooks to private addresses and over http (development only). */
  webhooksAllowPrivateNetwork: boolean;
  /** Undefined until resolveSecret() reads or creates it in the data dir. */
  secret: string | undefined;
  /** PARLEY_MASTER_KEY as given; resolveMasterKey() reads or creates it when unset. */
  masterKey: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** A bad setting: the message names the variable, the value's problem and what is expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads configuration from the environment. Every variable is optional. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`);
  }
  const host = env.HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use SQLite)');
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  }
  const redisPrefix = env.REDIS_PREFIX || 'parley:';
  if (!/^[\w:.-]{1,64}$/.test(redisPrefix)) {
    throw new ConfigError('REDIS_PREFIX may hold letters, digits and _ : . - (at most 64)');
  }
  const secret = env.PARLEY_SECRET || undefined;
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError('PARLEY_SECRET must be at least 32 characters (unset it to have one generated)');
  }
  // SQLite is one file on one machine: one node. Redis only makes sense for several.
  if (redisUrl !== undefined && databaseUrl === undefined) {
    throw new ConfigError(
      'REDIS_URL is for several nodes, and several nodes need a shared PostgreSQL: set DATABASE_URL too (the SQLite store serves one node)',
    );
  }
  // Every node, and the CLI, must sign and encrypt with the same secret: one generated per
  // machine would refuse the visitor tokens and break the identity secrets of the others.
  if (secret === undefined && (databaseUrl !== undefined || redisUrl !== undefined)) {
    throw new ConfigError(
      `PARLEY_SECRET must be set when ${databaseUrl !== undefined ? 'DATABASE_URL' : 'REDIS_URL'} is set: every node and the CLI must share one secret of at least 32 characters (for example: openssl rand -base64 32)`,
    );
  }
  const masterKey = env.PARLEY_MASTER_KEY || undefined;
  if (masterKey !== undefined) {
    try {
      parseMasterKey(masterKey);
    } catch (err) {
      throw new ConfigError(`PARLEY_MASTER_KEY: ${(err as Error).message} (for example: openssl rand -hex 32)`);
    }
  }
  // Data written by one node must be readable by every other: one key for all, never generated.
  if (masterKey === undefined && databaseUrl !== undefined) {
    throw new ConfigError(
      'PARLEY_MASTER_KEY must be set when DATABASE_URL is set: every node and the CLI encrypt and read with it (for example: openssl rand -hex 32)',
    );
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  return {
    port,
    host,
    dataDir: resolve(env.PARLEY_DATA_DIR || './data'),
    databaseUrl,
    redisUrl,
    redisPrefix,
    webhooksAllowPrivateNetwork: env.WEBHOOKS_ALLOW_PRIVATE_NETWORK === '1',
    secret,
    masterKey,
    logLevel,
  };
}

/**
 * The master key of encryption at rest (store/crypto.ts): PARLEY_MASTER_KEY, or on a single
 * SQLite node one generated on first start into the data dir (mode 0600). `generated` says
 * so, for the warning that a key kept beside the data protects little: set PARLEY_MASTER_KEY.
 */
export function resolveMasterKey(config: Config): { key: Buffer; generated: boolean } {
  if (config.masterKey) return { key: parseMasterKey(config.masterKey), generated: false };
  const file = join(config.dataDir, 'master.key');
  if (existsSync(file)) return { key: parseMasterKey(readFileSync(file, 'utf8')), generated: true };
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, generated: true };
}

/**
 * PARLEY_SECRET signs visitor tokens and encrypts app secrets. When it is not set, one is
 * generated on first start and kept in the data dir (mode 0600) so restarts keep visitors.
 */
export function resolveSecret(config: Config): string {
  if (config.secret) return config.secret;
  const file = join(config.dataDir, 'secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < 32) throw new ConfigError(`${file} holds a secret shorter than 32 characters`);
    return secret;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}
