import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Encryption at rest (store/crypto.ts): each app's data key, wrapped with the master key, and
 * one key per contact, wrapped with their app's. Keys for apps and visitors from before this
 * migration are made when the store opens with its master key.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('apps').addColumn('data_key_enc', 'text').execute();
    await db.schema
      .createTable('contact_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('key_enc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contact_keys_owner').on('contact_keys').columns(['app_id', 'owner_id']).execute();
  },
};
