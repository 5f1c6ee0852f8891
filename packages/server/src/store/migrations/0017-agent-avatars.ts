import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/** An agent's photo, shown to visitors on the messenger's home: an https URL, or null for initials. */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('agents').addColumn('avatar_url', 'text').execute();
  },
};
