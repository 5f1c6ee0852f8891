import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Contacts' names, emails, attributes and devices are sealed at rest (store/crypto.ts), so an
 * email is found by a keyed hash of it: an index that says nothing without the app's key.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('visitors').addColumn('email_hash', 'text').execute();
    await db.schema.createIndex('visitors_app_email_hash').on('visitors').columns(['app_id', 'email_hash']).execute();
  },
};
