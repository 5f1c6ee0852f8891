import { join } from 'node:path';
import type { Config } from '../config.js';
import { createPostgresStore } from './postgres.js';
import { createSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

/** PostgreSQL when DATABASE_URL is set, otherwise SQLite at <data dir>/parley.db. */
export function openStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  options: { onConnectionError?: (err: Error) => void } = {},
): Promise<Store> {
  return config.databaseUrl
    ? createPostgresStore(config.databaseUrl, options)
    : createSqliteStore(join(config.dataDir, 'parley.db'));
}
