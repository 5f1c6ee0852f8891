import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/** The audit trail: ids, actions and counts (schema/audit-log.ts), newest first per app. */
export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_log_app_created')
      .on('audit_log')
      .columns(['app_id', 'created_at', 'id'])
      .execute();
    await db.schema.createIndex('audit_log_object').on('audit_log').columns(['app_id', 'object_id']).execute();
  },
};
