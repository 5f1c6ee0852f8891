import { join } from 'node:path';
import type { Config } from '../config.js';
import { createPostgresStore } from './postgres.js';
import { createSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

/** PostgreSQL when DATABASE_URL is set, otherwise SQLite at <data dir>/parley.db. */
export function openStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  options: {
    /** PostgreSQL: a pooled connection was lost (the pool replaces it). */
    onConnectionError?: (err: Error) => void;
    /** SQLite: the background checkpoint failed (the connection checkpoints inline instead). */
    onCheckpointError?: (message: string) => void;
    /** The master key of encryption at rest (config.ts resolveMasterKey). */
    masterKey: Buffer;
  },
): Promise<Store> {
  const withKey = options;
  return config.databaseUrl
    ? createPostgresStore(config.databaseUrl, withKey)
    : createSqliteStore(join(config.dataDir, 'parley.db'), withKey);
}
