import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema/index.js';

/** The database or a transaction on it: query functions take either. */
export type Db = Kysely<Database> | Transaction<Database>;

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  // SQLite (better-sqlite3) and PostgreSQL (23505) spell it differently.
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}
