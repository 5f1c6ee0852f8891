import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * A host's user id is sealed too: `user_id` and `declared_user_id` hold a keyed hash of it (a
 * signed-in user still finds their visitor by it, and the unique index still holds), and
 * `user_label` the id itself, sealed with the contact's key, for agents to read.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('visitors').addColumn('user_label', 'text').execute();
  },
};
