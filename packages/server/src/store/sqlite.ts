import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { type CompiledQuery, Kysely, type QueryResult, type SqliteDatabase, sql } from 'kysely';
import { KyselyStore } from './kysely/store.js';
import { migrateToLatest } from './migrations/index.js';
import type { Database } from './schema/index.js';
import { type CheckpointOptions, startCheckpointer } from './sqlite-checkpointer.js';
import { FairSqliteDialect } from './sqlite-dialect.js';
import type { Store } from './types.js';

/**
 * Kysely prepares every query afresh; preparing costs more than running a small statement.
 * The same SQL text always compiles to the same statement, so keep them (bounded: queries are
 * built from a fixed set of shapes, and an unexpected flood of shapes just evicts the oldest).
 */
function statementCache(database: SQLite.Database, max = 500): (sql: string) => SQLite.Statement {
  const cache = new Map<string, SQLite.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = database.prepare(sql);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  };
}

/**
 * The embedded store: one SQLite file in WAL mode. `synchronous = NORMAL` keeps every
 * committed transaction across a crash of the process (kill -9); only a power loss can take
 * the last few, which is SQLite's documented WAL trade-off for a much faster commit.
 */
export async function createSqliteStore(
  file: string,
  options: {
    /** The background checkpoint failed (the connection then checkpoints inline). */
    onCheckpointError?: (message: string) => void;
    checkpoint?: CheckpointOptions;
  } = {},
): Promise<Store> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // A 64 MiB page cache (the default is 2 MiB) keeps the message indexes in memory; their
  // inserts land all over the B-tree, one place per conversation and author.
  database.pragma('cache_size = -65536');
  const prepare = statementCache(database);

  let db: Kysely<Database> | undefined;
  const checkpointer =
    file === ':memory:'
      ? undefined
      : startCheckpointer(database, file, {
          // Through Kysely's connection lock, so it runs between transactions.
          checkpointInline: async () => {
            await db?.connection().execute((c) => sql`pragma wal_checkpoint(TRUNCATE)`.execute(c));
          },
          onError: options.onCheckpointError ?? ((message) => process.emitWarning(message)),
          ...options.checkpoint,
        });
  const connection: SqliteDatabase = {
    close: () => {
      checkpointer?.stop();
      database.close();
    },
    prepare: (sql) => prepare(sql) as unknown as ReturnType<SqliteDatabase['prepare']>,
  };
  db = new Kysely<Database>({ dialect: new FairSqliteDialect(connection) });
  await migrateToLatest(db as Kysely<unknown>, 'sqlite');
  return new KyselyStore('sqlite', db, {
    groupCommit: true,
    // better-sqlite3 answers synchronously: inside a transaction (which holds the one
    // connection) the message path runs its statements directly, past Kysely's executor.
    runInTransaction: <R>(query: CompiledQuery<R>): QueryResult<R> => {
      const statement = prepare(query.sql);
      const parameters = query.parameters as unknown[];
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      return { rows: [], numAffectedRows: BigInt(statement.run(parameters).changes) };
    },
  });
}
