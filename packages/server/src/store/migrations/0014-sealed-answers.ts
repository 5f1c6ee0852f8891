import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The request cache's answers are sealed at rest with their app's key; the ids they quote
 * (contacts, conversations: random, nothing personal) stay beside them in the clear, so an
 * erasure still finds the answers about a contact.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('idempotency_keys').addColumn('mentions', 'text').execute();
  },
};
