import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type SqliteDatabase } from 'kysely';
import { KyselyStore } from './kysely/store.js';
import { migrateToLatest } from './migrations/index.js';
import type { Database } from './schema/index.js';
import { FairSqliteDialect } from './sqlite-dialect.js';
import type { Store } from './types.js';

/**
 * Kysely prepares every query afresh; preparing costs more than running a small statement.
 * The same SQL text always compiles to the same statement, so keep them (bounded: queries are
 * built from a fixed set of shapes, and an unexpected flood of shapes just evicts the oldest).
 */
function withStatementCache(database: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
}

/**
 * The embedded store: one SQLite file in WAL mode. `synchronous = NORMAL` keeps every
 * committed transaction across a crash of the process (kill -9); only a power loss can take
 * the last few, which is SQLite's documented WAL trade-off for a much faster commit.
 */
export async function createSqliteStore(file: string): Promise<Store> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // A 64 MiB page cache (the default is 2 MiB) keeps the message indexes in memory; their
  // inserts land all over the B-tree, one place per conversation and author.
  database.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new FairSqliteDialect(withStatementCache(database)) });
  await migrateToLatest(db as Kysely<unknown>, 'sqlite');
  return new KyselyStore('sqlite', db, { groupCommit: true });
}
