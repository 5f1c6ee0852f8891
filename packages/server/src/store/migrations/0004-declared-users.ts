import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    // A user id a page declared without proof is kept apart from proven ones: it labels
    // the visitor for agents but never finds another visitor by it.
    await db.schema.alterTable('visitors').addColumn('declared_user_id', 'text').execute();
  },
};
