import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveMasterKey, resolveSecret } from '../src/config.js';

describe('configuration from the environment', () => {
  it('works with nothing set', () => {
    expect(loadConfig({})).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, logLevel: 'info' });
  });

  it.each([
    [{ PORT: '70000' }, /PORT must be an integer/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a redis/],
    [{ PARLEY_SECRET: 'short' }, /at least 32 characters/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ PARLEY_MASTER_KEY: 'abc' }, /PARLEY_MASTER_KEY: the master key must be 32 bytes/],
    [
      { DATABASE_URL: 'postgres://x/y', PARLEY_SECRET: 'a-secret-of-at-least-thirty-two-characters' },
      /PARLEY_MASTER_KEY must be set when DATABASE_URL is set/,
    ],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes the master key from the environment, or generates one into the data dir, once', () => {
    const hex = 'c0'.repeat(32);
    expect(resolveMasterKey(loadConfig({ PARLEY_MASTER_KEY: hex }))).toEqual({
      key: Buffer.from(hex, 'hex'),
      generated: false,
    });
    const dir = mkdtempSync(join(tmpdir(), 'parley-config-'));
    try {
      const config = loadConfig({ PARLEY_DATA_DIR: dir });
      const first = resolveMasterKey(config);
      expect(first.generated).toBe(true);
      expect(first.key).toHaveLength(32);
      expect(resolveMasterKey(config).key.equals(first.key)).toBe(true);
      expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generates the secret once, keeps it private in the data dir and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-config-'));
    try {
      const config = loadConfig({ PARLEY_DATA_DIR: dir });
      const secret = resolveSecret(config);
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(resolveSecret(config)).toBe(secret);
      expect(readFileSync(join(dir, 'secret'), 'utf8').trim()).toBe(secret);
      expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
      expect(resolveSecret(loadConfig({ PARLEY_DATA_DIR: dir, PARLEY_SECRET: 'x'.repeat(40) }))).toBe('x'.repeat(40));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
