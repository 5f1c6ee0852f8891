import { join } from 'node:path';
import type { Config } from '../config.js';
import { createPostgresStore } from './postgres.js';
import { createSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

/** PostgreSQL when DATABASE_URL is set, otherwise SQLite at <data dir>/parley.db. */
export function openStore(config: Config): Promise<Store> {
  return config.databaseUrl
    ? createPostgresStore(config.databaseUrl)
    : createSqliteStore(join(config.dataDir, 'parley.db'));
}
