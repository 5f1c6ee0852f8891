import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../schema/index.js';

/** The database or a transaction on it: query functions take either. */
export type Db = Kysely<Database> | Transaction<Database>;

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  // SQLite (better-sqlite3) and PostgreSQL (23505) spell it differently.
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}

/**
 * Runs `work` in a transaction: a new one, or the one `db` already is (an area bound to a
 * service's transaction joins it rather than nesting).
 */
export function transact<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}

/**
 * Keyset paging, newest first: rows strictly older than the cursor's (created_at, id). For a
 * table with both columns, unqualified.
 */
export function olderThan(after: { createdAt: string; id: string }): RawBuilder<boolean> {
  return sql<boolean>`(created_at < ${after.createdAt} or (created_at = ${after.createdAt} and id < ${after.id}))`;
}
