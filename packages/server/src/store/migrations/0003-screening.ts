import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    // What screening did to a stored message (redacted or flagged, and by which rules).
    await db.schema.alterTable('messages').addColumn('screening', 'text').execute();
    await db.schema
      .createTable('screening_policies')
      .addColumn('app_id', 'text', (c) => c.primaryKey().references('apps.id'))
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // Verdicts keep no content: the category, rules, a hash, who and when.
    await db.schema
      .createTable('screening_verdicts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('surface', 'text', (c) => c.notNull())
      .addColumn('sender_type', 'text', (c) => c.notNull())
      .addColumn('sender_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('categories', 'text', (c) => c.notNull())
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('screening_verdicts_app_created')
      .on('screening_verdicts')
      .columns(['app_id', 'created_at'])
      .execute();
  },
};
