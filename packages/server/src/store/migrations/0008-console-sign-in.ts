import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The console's sign-in: an agent created with a one-time password must choose their own at
 * first sign-in. Agents that exist already chose theirs long ago (or use tokens): 0.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('agents')
      .addColumn('password_change_required', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
